"""Which content items need a review, for the admin report and the owners' weekly digest.

Reviewable types are the declared publishable models that are not parts of another
(``iomsite.content``) with ``review_days`` set. An item is due when its ``review_by`` date
has come or, with no date set, ``review_days`` after its last review (or its last change).
One query per type, plus one for the owners' names: a fixed number, whatever the number of items.
"""

from dataclasses import dataclass
from datetime import timedelta

from django.contrib.contenttypes.models import ContentType
from django.db import transaction
from django.db.models import Exists, OuterRef, Q, Subquery
from django.utils import timezone

from iomsite import content
from iomsite.reviews.models import ContentReview, ReviewRecord

LIMIT = 500  # rows in the report; the digest lists an owner's own items


@dataclass
class DueItem:
    obj: object
    content_type: ContentType
    due: object  # a date
    review: ContentReview = None

    @property
    def type_name(self):
        return str(self.content_type.model_class()._meta.verbose_name).capitalize()

    @property
    def title(self):
        return str(getattr(self.obj, "title", self.obj))

    @property
    def owner_name(self):
        review = self.review
        if review is None:
            return ""
        parts = [review.owner.get_full_name() or review.owner.get_username()] if review.owner_id else []
        if review.team_id:
            parts.append(review.team.name)
        return " / ".join(parts)


def reviewable():
    """The declarations of the reviewable types."""
    return [
        item
        for item in content.publishable_models()
        if item.review_days and not item.part_of and hasattr(item.model, "get_absolute_url")
    ]


def review_days(model):
    item = content.get(model)
    return item.review_days if item is not None else None


def next_review(model, today=None):
    days = review_days(model) or 365
    return (today or timezone.localdate()) + timedelta(days=days)


def _due_queryset(item, content_type, today, now, owner=None, team=None, section=None):
    days = item.review_days
    reviews = ContentReview.objects.filter(content_type=content_type, object_id=OuterRef("pk"))
    queryset = item.model._default_manager.published(now).annotate(
        review_by=Subquery(reviews.values("review_by")[:1]),
        last_reviewed_at=Subquery(reviews.values("last_reviewed_at")[:1]),
    )
    stale = now - timedelta(days=days)
    due = Q(review_by__lte=today) | Q(
        review_by__isnull=True,
        last_reviewed_at__isnull=True,
        updated_at__lte=stale,
    )
    due |= Q(review_by__isnull=True, last_reviewed_at__lte=stale)
    queryset = queryset.filter(due)
    if owner is not None:
        queryset = queryset.filter(Exists(reviews.filter(owner=owner)))
    if team is not None:
        queryset = queryset.filter(Exists(reviews.filter(team=team)))
    if section is not None:
        from iomsite.workflow.sections import node_q

        key, root = section
        path = item.section_paths().get(key)
        if path is None:
            return None
        queryset = queryset.filter(node_q(root, "" if path == "pk" else path)).distinct()
    return queryset


def due_items(today=None, owner=None, team=None, model=None, section=None, limit=LIMIT):
    """``[DueItem]``, the longest overdue first; filters: an owner (user), a team, a model, ``(tree key, node)``."""
    today = today or timezone.localdate()
    now = timezone.now()
    found = []
    for item in reviewable():
        if model is not None and item.model is not model:
            continue
        content_type = ContentType.objects.get_for_model(item.model)
        queryset = _due_queryset(item, content_type, today, now, owner, team, section)
        if queryset is None:
            continue
        for obj in queryset.order_by("pk")[:limit]:
            last = obj.last_reviewed_at or obj.updated_at
            due = obj.review_by or (timezone.localtime(last).date() + timedelta(days=item.review_days))
            found.append(DueItem(obj, content_type, due))
    found.sort(key=lambda row: (row.due, row.type_name, row.obj.pk))
    found = found[:limit]
    _attach_reviews(found)
    return found


def _attach_reviews(rows):
    """The review rows (owner, team) of the items shown, in one query."""
    if not rows:
        return
    keys = Q()
    for row in rows:
        keys |= Q(content_type=row.content_type, object_id=row.obj.pk)
    reviews = ContentReview.objects.filter(keys).select_related("owner", "team")
    by_key = {(review.content_type_id, review.object_id): review for review in reviews}
    for row in rows:
        row.review = by_key.get((row.content_type.pk, row.obj.pk))


def mark_reviewed(obj, user, note=""):
    """Record that ``obj`` was reviewed now by ``user`` (with or without changes); the next date follows its type."""
    content_type = ContentType.objects.get_for_model(obj)
    now = timezone.now()
    with transaction.atomic():
        review, _created = ContentReview.objects.select_for_update().get_or_create(
            content_type=content_type, object_id=obj.pk
        )
        review.last_reviewed_at = now
        review.last_reviewed_by = user
        review.review_by = next_review(type(obj), timezone.localdate(now))
        review.save()
        ReviewRecord.objects.create(review=review, reviewed_by=user, reviewed_at=now, note=note)
    return review
