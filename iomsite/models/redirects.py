"""Old addresses that answer with a permanent redirect, and the public addresses that answer 404."""

from django.contrib.contenttypes.fields import GenericForeignKey
from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from iomsite.models.base import TimeStampedModel


class Redirect(TimeStampedModel):
    """An old address and where it leads now: a page of the site, another address, or an object.

    ``old_path`` is language-neutral (``/news/old-slug/``): it answers in every language,
    each to the same language's version of the target. A redirect to an object follows it
    wherever it moves next (no chains), and so do the pages under its old address
    (``/news/old-slug/photos/``). Redirects answer only where the site would say 404:
    a page at the address always wins.
    """

    old_path = models.CharField(
        _("old address"),
        max_length=1000,
        help_text=_("The address that no longer works, without the language: /old-section/old-name/."),
    )
    new_path = models.CharField(
        _("new address"),
        max_length=1000,
        blank=True,
        help_text=_("A path on this site (/section/new-name/) or a full address (https://…); or choose an item below."),
    )
    content_type = models.ForeignKey(
        ContentType,
        verbose_name=_("item type"),
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        help_text=_("Or an item of the site: the redirect follows it wherever it moves."),
    )
    object_id = models.PositiveBigIntegerField(_("item number"), null=True, blank=True)
    target = GenericForeignKey("content_type", "object_id")
    automatic = models.BooleanField(
        _("made by the site"), default=False, editable=False, help_text=_("Made when an item's address changed.")
    )

    class Meta:
        ordering = ["old_path"]
        verbose_name = _("redirect")
        verbose_name_plural = _("redirects")
        constraints = [
            models.UniqueConstraint(fields=["old_path"], name="iomsite_redirect_unique_old_path"),
            models.CheckConstraint(
                condition=(Q(new_path="") & Q(content_type__isnull=False) & Q(object_id__isnull=False))
                | (~Q(new_path="") & Q(content_type__isnull=True) & Q(object_id__isnull=True)),
                name="iomsite_redirect_one_target",
                violation_error_message=_("Give a new address or choose an item, not both."),
            ),
        ]
        indexes = [models.Index(fields=["content_type", "object_id"], name="iomsite_redirect_target")]

    def __str__(self):
        return self.old_path

    def clean(self):
        from iomsite import redirects

        super().clean()
        self.old_path = redirects.normalise(self.old_path)
        if self.new_path:
            self.new_path = redirects.normalise(self.new_path) if self.new_path.startswith("/") else self.new_path
        if self.content_type_id and self.object_id is None:
            raise ValidationError({"object_id": _("Give the number of the item.")})
        if self.content_type_id and self.target is None:
            raise ValidationError({"object_id": _("There is no such item.")})
        problem = redirects.loop_problem(self)
        if problem:
            raise ValidationError(problem)

    def target_path(self):
        """Where it leads, language-neutral (``None`` when the item is gone or has no page)."""
        from iomsite import redirects

        if self.new_path:
            return self.new_path
        target = self.target
        return redirects.address(target) if target is not None else None


class NotFound(models.Model):
    """A public address visitors asked for that answered 404, and how often: no visitor data is kept."""

    path = models.CharField(_("address"), max_length=500)
    hits = models.PositiveIntegerField(_("requests"), default=1)
    first_seen = models.DateTimeField(_("first asked"), default=timezone.now)
    last_seen = models.DateTimeField(_("last asked"), default=timezone.now)

    class Meta:
        ordering = ["-hits", "-last_seen"]
        verbose_name = _("page not found")
        verbose_name_plural = _("pages not found")
        constraints = [models.UniqueConstraint(fields=["path"], name="iomsite_notfound_unique_path")]

    def __str__(self):
        return self.path
