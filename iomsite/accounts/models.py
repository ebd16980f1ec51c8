from django.conf import settings
from django.contrib.sessions.base_session import AbstractBaseSession
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _


class Session(AbstractBaseSession):
    """Django's database session, with whose it is, so an editor can see and end their sessions.

    No IP address and no full user agent: the browser and system it names are enough to
    tell two sessions apart.
    """

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("user"), null=True, on_delete=models.CASCADE, related_name="+"
    )
    created_at = models.DateTimeField(_("signed in"), default=timezone.now)
    last_seen = models.DateTimeField(_("last seen"), default=timezone.now)
    device = models.CharField(_("browser"), max_length=100, blank=True)

    class Meta(AbstractBaseSession.Meta):
        verbose_name = _("session")
        verbose_name_plural = _("sessions")

    @classmethod
    def get_session_store_class(cls):
        from iomsite.accounts.sessions import SessionStore

        return SessionStore


class PasswordOnlyAccount(models.Model):
    """An account exempt from the two-factor requirement (the demo logins of the demo database)."""

    user = models.OneToOneField(
        settings.AUTH_USER_MODEL, verbose_name=_("user"), on_delete=models.CASCADE, related_name="password_only"
    )
    reason = models.CharField(_("why"), max_length=200)

    class Meta:
        verbose_name = _("password-only account")
        verbose_name_plural = _("password-only accounts")

    def __str__(self):
        return str(self.user)


class RateLimitCount(models.Model):
    """One window's count of a rate limit (``iomsite.ratelimit``, ``durable=True``), in the database.

    The shared cache evicts under pressure: a flood of distinct page addresses could push a
    sign-up or password-reset counter out of it and reset the limit. Rows hold a keyed hash,
    never an address or IP; windows that ended are deleted as new ones start.
    """

    key = models.CharField(max_length=120)
    window = models.BigIntegerField()
    count = models.PositiveIntegerField(default=0)
    ends_at = models.DateTimeField(db_index=True)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["key", "window"], name="ratelimit_key_window")]

    def __str__(self):
        return f"{self.key} #{self.window}: {self.count}"
