from django.db import models
from django.urls import reverse
from django.utils.translation import gettext_lazy as _
from mptt.models import MPTTModel, TreeForeignKey

from iomsite.models import PublishableModel, TreePublishableQuerySet
from iomsite.richtext import RichTextField, store_plain_text


class Region(MPTTModel, PublishableModel):
    """A node of the region > sub-region > country tree."""

    class Kind(models.TextChoices):
        REGION = "region", _("Region")
        SUBREGION = "subregion", _("Sub-region")
        COUNTRY = "country", _("Country")

    parent = TreeForeignKey(
        "self", verbose_name=_("parent"), null=True, blank=True, on_delete=models.PROTECT, related_name="children"
    )
    kind = models.CharField(_("kind"), max_length=10, choices=Kind.choices, default=Kind.REGION)
    title = models.CharField(_("name"), max_length=200)
    slug = models.SlugField(_("slug"), max_length=100)
    iso_code = models.CharField(
        _("ISO 3166 code"), max_length=2, blank=True, help_text=_("Countries only: two letters, e.g. KE for Kenya.")
    )
    summary = models.TextField(_("summary"), blank=True)
    body = RichTextField(_("overview"))
    body_text = models.TextField(editable=False, blank=True)
    path = models.CharField(max_length=1000, editable=False, db_index=True, blank=True)

    objects = TreePublishableQuerySet.as_manager()

    class MPTTMeta:
        order_insertion_by = []

    class Meta(PublishableModel.Meta):
        ordering = ["tree_id", "lft"]
        verbose_name = _("region or country")
        verbose_name_plural = _("regions and countries")

    def __str__(self):
        return self.title

    def save(self, *args, **kwargs):
        store_plain_text(self, "body", "body_text")
        super().save(*args, **kwargs)

    def get_absolute_url(self):
        return reverse("regions:detail", kwargs={"path": self.path})
