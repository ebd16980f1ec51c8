from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _


class AbuseReport(models.Model):
    """A report of abuse, fraud or misconduct sent with the public form; read by Site managers only."""

    created_at = models.DateTimeField(_("received"), default=timezone.now, editable=False)
    what = models.TextField(_("what happened"))
    where_and_when = models.CharField(_("where and when"), max_length=500, blank=True)
    name = models.CharField(_("name"), max_length=200, blank=True)
    email = models.EmailField(_("e-mail address"), blank=True)
    language = models.CharField(_("language"), max_length=8, choices=settings.LANGUAGES, default="en")
    handled = models.BooleanField(
        _("handled"), default=False, help_text=_("Tick when the report has been passed to the team that handles it.")
    )

    class Meta:
        ordering = ["-created_at", "-pk"]
        verbose_name = _("abuse report")
        verbose_name_plural = _("abuse reports")

    def __str__(self):
        return _("Report of %(date)s") % {"date": timezone.localtime(self.created_at).strftime("%Y-%m-%d %H:%M")}
