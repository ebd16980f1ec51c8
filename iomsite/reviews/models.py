"""Owners and review dates of content items, kept beside the content (one table for every type).

A generic row keyed by content type, rather than fields on every publishable model: one
migration here instead of one in every content app, and content apps need not know about
it. An item without a row is due ``review_days`` (its type's declaration, ``iomsite.content``)
after its last review or, never reviewed, its last change.
"""

from django.conf import settings
from django.contrib.contenttypes.fields import GenericForeignKey
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _


class ContentReview(models.Model):
    content_type = models.ForeignKey(
        "contenttypes.ContentType", verbose_name=_("type"), on_delete=models.CASCADE, related_name="+"
    )
    object_id = models.PositiveBigIntegerField(_("item number"))
    item = GenericForeignKey("content_type", "object_id")
    owner = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("owner"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="owned_reviews",
        help_text=_("The person who keeps this item current. They receive the weekly digest of what is due."),
    )
    team = models.ForeignKey(
        "auth.Group",
        verbose_name=_("team"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="owned_reviews",
        help_text=_("Or a team: every member receives the digest."),
    )
    review_by = models.DateField(
        _("review by"),
        null=True,
        blank=True,
        help_text=_("Empty: the default of the type after the last review (or the last change)."),
    )
    last_reviewed_at = models.DateTimeField(_("last reviewed"), null=True, blank=True, editable=False)
    last_reviewed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, editable=False, related_name="+"
    )

    class Meta:
        ordering = ["review_by", "pk"]
        verbose_name = _("content owner and review date")
        verbose_name_plural = _("content owners and review dates")
        constraints = [
            models.UniqueConstraint(fields=["content_type", "object_id"], name="reviews_one_per_item"),
        ]
        indexes = [models.Index(fields=["review_by"], name="reviews_due", condition=Q(review_by__isnull=False))]

    def __str__(self):
        return f"{self.content_type.name} #{self.object_id}"


class ReviewRecord(models.Model):
    """One review: the item was checked and is still right (with or without changes)."""

    review = models.ForeignKey(ContentReview, on_delete=models.CASCADE, related_name="records")
    reviewed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+", verbose_name=_("by")
    )
    reviewed_at = models.DateTimeField(_("reviewed"))
    note = models.CharField(_("note"), max_length=300, blank=True)

    class Meta:
        ordering = ["-reviewed_at", "-pk"]
        verbose_name = _("review")
        verbose_name_plural = _("reviews")

    def __str__(self):
        return f"{self.review} ({self.reviewed_at:%Y-%m-%d})"
