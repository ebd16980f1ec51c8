from django.db import models
from django.urls import reverse
from django.utils.translation import gettext_lazy as _
from mptt.models import MPTTModel, TreeForeignKey

from iomsite.models import PublishableModel, TreePublishableQuerySet
from iomsite.richtext import RichTextField, store_plain_text


class Theme(MPTTModel, PublishableModel):
    """A thematic page in the tree: Labour Migration > Ethical Recruitment > …"""

    parent = TreeForeignKey(
        "self", verbose_name=_("parent"), null=True, blank=True, on_delete=models.PROTECT, related_name="children"
    )
    title = models.CharField(_("title"), max_length=200)
    slug = models.SlugField(_("slug"), max_length=100)
    summary = models.TextField(_("summary"), blank=True, help_text=_("One or two sentences for listings and search."))
    body = RichTextField(_("overview"))
    body_text = models.TextField(editable=False, blank=True)
    path = models.CharField(max_length=1000, editable=False, db_index=True, blank=True)

    objects = TreePublishableQuerySet.as_manager()

    class MPTTMeta:
        order_insertion_by = []

    class Meta(PublishableModel.Meta):
        ordering = ["tree_id", "lft"]
        verbose_name = _("theme")
        verbose_name_plural = _("themes")

    def __str__(self):
        return self.title

    def save(self, *args, **kwargs):
        store_plain_text(self, "body", "body_text")
        super().save(*args, **kwargs)

    def get_absolute_url(self):
        return reverse("themes:detail", kwargs={"path": self.path})
