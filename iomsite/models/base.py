"""Abstract bases shared by every content app: timestamps and publishing."""

from django.conf import settings
from django.db import models
from django.db.models import Exists, OuterRef, Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _


class TimeStampedModel(models.Model):
    """``created_at``/``updated_at``; ``save(update_fields=...)`` still bumps ``updated_at``."""

    created_at = models.DateTimeField(_("created"), default=timezone.now, editable=False)
    updated_at = models.DateTimeField(_("last changed"), default=timezone.now, editable=False)

    class Meta:
        abstract = True

    def save(self, *args, **kwargs):
        self.updated_at = timezone.now()
        update_fields = kwargs.get("update_fields")
        if update_fields is not None:
            kwargs["update_fields"] = {*update_fields, "updated_at"}
        super().save(*args, **kwargs)


class Status(models.TextChoices):
    DRAFT = "draft", _("Draft")
    PUBLISHED = "published", _("Published")


def live_q(now=None, prefix=""):
    """The publishing rule as a Q object: published, started, not yet ended."""
    now = now or timezone.now()
    return Q(**{f"{prefix}status": Status.PUBLISHED, f"{prefix}publish_at__lte": now}) & (
        Q(**{f"{prefix}unpublish_at__isnull": True}) | Q(**{f"{prefix}unpublish_at__gt": now})
    )


class PublishableQuerySet(models.QuerySet):
    def published(self, now=None):
        """What visitors may see now. Every public surface asks this, nothing else."""
        return self.filter(live_q(now))


class TreePublishableQuerySet(PublishableQuerySet):
    def published(self, now=None):
        """Live nodes whose ancestors are all live too (a draft parent hides its subtree).

        One query: a correlated NOT EXISTS over the nested-set columns.
        """
        model = self.model
        opts = model._mptt_meta
        hidden_ancestor = model._default_manager.filter(
            **{
                opts.tree_id_attr: OuterRef(opts.tree_id_attr),
                f"{opts.left_attr}__lt": OuterRef(opts.left_attr),
                f"{opts.right_attr}__gt": OuterRef(opts.right_attr),
            }
        ).exclude(live_q(now))
        return self.filter(live_q(now)).exclude(Exists(hidden_ancestor))


class PublishableModel(TimeStampedModel):
    """Status, publishing window and last editor. Visitors see ``published()`` only."""

    status = models.CharField(
        _("status"),
        max_length=10,
        choices=Status.choices,
        default=Status.DRAFT,
        db_index=True,
        help_text=_("Drafts are never shown to visitors. Choose Published to put this on the site."),
    )
    publish_at = models.DateTimeField(
        _("publish from"),
        default=timezone.now,
        db_index=True,
        help_text=_("A published item goes live at this time. Set a future time to schedule it."),
    )
    unpublish_at = models.DateTimeField(
        _("unpublish at"),
        null=True,
        blank=True,
        help_text=_("Optional. The item leaves the site at this time."),
    )
    updated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("last changed by"),
        null=True,
        blank=True,
        editable=False,
        on_delete=models.SET_NULL,
        related_name="+",
    )

    objects = PublishableQuerySet.as_manager()

    class Meta:
        abstract = True

    def clean(self):
        from django.core.exceptions import ValidationError

        super().clean()
        if self.unpublish_at and self.publish_at and self.unpublish_at <= self.publish_at:
            raise ValidationError({"unpublish_at": _("The unpublish time must come after the publish time.")})

    @property
    def is_live(self):
        return self.publication_state == "live"

    @property
    def publication_state(self):
        """draft / scheduled / live / expired, by the clock."""
        now = timezone.now()
        if self.status != Status.PUBLISHED:
            return "draft"
        if self.publish_at and self.publish_at > now:
            return "scheduled"
        if self.unpublish_at and self.unpublish_at <= now:
            return "expired"
        return "live"
