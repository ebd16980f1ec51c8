from django.db import models
from django.urls import reverse

from iomsite.models import PublishableModel
from iomsite.richtext import RichTextField


class Notice(PublishableModel):
    """A short public notice about a place."""

    title = models.CharField("title", max_length=200)
    slug = models.SlugField("slug", max_length=100, unique=True)
    body = RichTextField("body", blank=True)
    region = models.ForeignKey("regions.Region", null=True, blank=True, on_delete=models.PROTECT, related_name="+")

    class Meta(PublishableModel.Meta):
        ordering = ["-publish_at", "pk"]

    def __str__(self):
        return self.title

    def get_absolute_url(self):
        return reverse("notices:detail", kwargs={"slug": self.slug})

    def search_data(self):
        return {
            "title": self.title,
            "summary": "",
            "body": self.body,
            "date": None,
            "region_ids": [self.region_id] if self.region_id else [],
        }


class NoticeLink(models.Model):
    """A link shown under a notice: a part of it, with no state of its own."""

    notice = models.ForeignKey(Notice, on_delete=models.CASCADE, related_name="links")
    url = models.URLField("link")

    def __str__(self):
        return self.url
