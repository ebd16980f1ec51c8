from django.contrib.contenttypes.models import ContentType
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _


class SearchEntryQuerySet(models.QuerySet):
    def live(self, now=None):
        """Entries inside their publishing window now (the index also keeps the window)."""
        now = now or timezone.now()
        return self.filter(publish_at__lte=now).filter(Q(unpublish_at__isnull=True) | Q(unpublish_at__gt=now))


class SearchEntry(models.Model):
    """One row per published object and language: the denormalised search index.

    On PostgreSQL a generated ``search_vector`` column (weighted title A, summary B,
    body C, with the language's text search configuration) and a GIN index are added
    by the migration; they are not model fields.
    """

    content_type = models.ForeignKey(ContentType, on_delete=models.CASCADE)
    object_id = models.PositiveBigIntegerField()
    language = models.CharField(max_length=8)
    translated = models.BooleanField(default=True, help_text="False when the title falls back to English.")
    kind = models.CharField(max_length=30, db_index=True)
    title = models.TextField()
    summary = models.TextField(blank=True)
    body = models.TextField(blank=True)
    url = models.CharField(max_length=1000)
    date = models.DateField(null=True, blank=True)
    year = models.PositiveSmallIntegerField(null=True, blank=True, db_index=True)
    facets = models.CharField(max_length=2000, blank=True, help_text="',theme:3,region:7,' for filters.")
    publish_at = models.DateTimeField()
    unpublish_at = models.DateTimeField(null=True, blank=True)

    objects = SearchEntryQuerySet.as_manager()

    class Meta:
        verbose_name = _("search entry")
        verbose_name_plural = _("search entries")
        constraints = [
            models.UniqueConstraint(fields=["content_type", "object_id", "language"], name="search_entry_unique")
        ]
        indexes = [models.Index(fields=["language", "kind"], name="search_lang_kind")]

    def __str__(self):
        return f"{self.kind}: {self.title} ({self.language})"
