"""Where each content object stands in each language (maintained by ``iomsite.languages``)."""

from django.contrib.contenttypes.fields import GenericForeignKey
from django.contrib.contenttypes.models import ContentType
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _


class TranslationState(models.TextChoices):
    TRANSLATED = "translated", _("Translated")
    PARTIAL = "partial", _("Partly translated")
    STALE = "stale", _("Stale")
    MISSING = "missing", _("Missing")


class TranslationStatus(models.Model):
    """One row per content object and language other than English.

    ``source_hash`` is the English text as it was when this language's text last changed:
    when the English text differs, the translation is stale (``source_changed_at`` says
    since when). Rows are written by ``iomsite.languages.record()`` on every save.
    """

    content_type = models.ForeignKey(ContentType, on_delete=models.CASCADE, related_name="+")
    object_id = models.PositiveBigIntegerField()
    item = GenericForeignKey("content_type", "object_id")
    language = models.CharField(_("language"), max_length=8)
    state = models.CharField(_("translation"), max_length=12, choices=TranslationState.choices)
    source_hash = models.CharField(max_length=64)
    translation_hash = models.CharField(max_length=64)
    translated_at = models.DateTimeField(_("translation last saved"), null=True, blank=True)
    source_changed_at = models.DateTimeField(_("English changed since"), null=True, blank=True)
    updated_at = models.DateTimeField(_("status changed"), default=timezone.now)

    class Meta:
        verbose_name = _("translation status")
        verbose_name_plural = _("translation statuses")
        ordering = ["-updated_at", "pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["content_type", "object_id", "language"], name="iomsite_translation_status_unique"
            )
        ]
        indexes = [models.Index(fields=["language", "state", "-updated_at"], name="translation_status_todo")]

    def __str__(self):
        return f"{self.content_type_id}:{self.object_id} {self.language} {self.state}"
