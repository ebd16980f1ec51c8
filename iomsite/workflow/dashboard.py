"""The admin home page: my drafts, drafts awaiting publication, the next 7 days, recent changes.

Across every publishable model with an admin the user may view, inside their sections.
Each list is one UNION query over all models; titles then come with one query per
model that has rows, so the page costs a fixed number of queries whatever the content.
"""

from collections import defaultdict
from datetime import timedelta

from django.apps import apps
from django.contrib import admin
from django.contrib.auth import get_user_model
from django.contrib.contenttypes.models import ContentType
from django.db.models import Case, DateTimeField, F, IntegerField, Q, Value, When
from django.urls import NoReverseMatch, reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from iomsite.models import PublishableModel, Status

LIMIT = 10
WINDOW = timedelta(days=7)
COLUMNS = ("ct", "pk", "moment", "publish_at", "updated_by_id")


def publishable_admins(request):
    """(model, model admin) pairs the user may look at."""
    pairs = []
    for model in apps.get_models():
        model_admin = admin.site._registry.get(model)
        if model_admin is None or not issubclass(model, PublishableModel):
            continue
        if model_admin.has_view_or_change_permission(request):
            pairs.append((model, model_admin))
    return sorted(pairs, key=lambda pair: pair[0]._meta.label)


def _union(request, pairs, condition, moment, order):
    parts = []
    content_types = ContentType.objects.get_for_models(*[model for model, _admin in pairs])
    for model, model_admin in pairs:
        queryset = model._default_manager.all()
        if hasattr(model_admin, "scope_filter"):
            queryset = model_admin.scope_filter(request, queryset, choosing=False)
        parts.append(
            queryset.filter(condition)
            .annotate(ct=Value(content_types[model].pk, output_field=IntegerField()), moment=moment)
            .order_by()
            .values_list(*COLUMNS)
        )
    if not parts:
        return []
    query = parts[0].union(*parts[1:], all=True) if len(parts) > 1 else parts[0]
    return list(query.order_by(order)[:LIMIT])


def build(request):
    """The dashboard lists, each a list of dicts ready for the template."""
    pairs = publishable_admins(request)
    if not pairs:
        return None
    now = timezone.now()
    soon = now + WINDOW
    updated = F("updated_at")
    draft = Q(status=Status.DRAFT)
    going_live = Q(status=Status.PUBLISHED, publish_at__gt=now, publish_at__lte=soon)
    expiring = Q(status=Status.PUBLISHED, unpublish_at__gt=now, unpublish_at__lte=soon)
    next_moment = Case(
        When(publish_at__gt=now, then=F("publish_at")), default=F("unpublish_at"), output_field=DateTimeField()
    )
    lists = {
        "mine": _union(request, pairs, draft & Q(updated_by=request.user), updated, "-moment"),
        "drafts": _union(request, pairs, draft & ~Q(updated_by=request.user), updated, "-moment"),
        "upcoming": _union(request, pairs, going_live | expiring, next_moment, "moment"),
        "recent": _union(request, pairs, Q(), updated, "-moment"),
    }
    result = _resolve(lists, pairs, now)
    result["review"] = drafts_waiting(request, pairs)
    return result


def drafts_waiting(request, pairs):
    """Drafts of live items in review or scheduled, inside one's sections: one query, and one per model shown."""
    from iomsite.workflow.drafting import STATE_LABELS as DRAFT_LABELS
    from iomsite.workflow.models import Draft

    admins = {ContentType.objects.get_for_model(model).pk: (model, model_admin) for model, model_admin in pairs}
    waiting = list(
        Draft.objects.filter(content_type__in=admins, state__in=[Draft.State.IN_REVIEW, Draft.State.SCHEDULED])
        .select_related("submitted_by")
        .order_by("state", "updated_at")[: LIMIT * 3]
    )
    by_type = defaultdict(list)
    for draft in waiting:
        by_type[draft.content_type_id].append(draft)
    allowed = {}
    for ct, found in by_type.items():
        model, model_admin = admins[ct]
        queryset = model._default_manager.filter(pk__in=[draft.object_id for draft in found])
        if hasattr(model_admin, "scope_filter"):
            queryset = model_admin.scope_filter(request, queryset, choosing=False)
        allowed[ct] = queryset.in_bulk()
    items = []
    for draft in waiting:
        obj = allowed.get(draft.content_type_id, {}).get(draft.object_id)
        if obj is None:
            continue
        opts = obj._meta
        scheduled = draft.state == Draft.State.SCHEDULED
        items.append(
            {
                "title": str(obj),
                "kind": opts.verbose_name,
                "url": reverse(f"admin:{opts.app_label}_{opts.model_name}_change", args=[obj.pk]),
                "state": "scheduled" if scheduled else "review",
                "state_label": DRAFT_LABELS[draft.state],
                "moment": draft.publish_at if scheduled else draft.updated_at,
                "event": _("changes go live") if scheduled else None,
                "by": draft.submitted_by.get_username() if draft.submitted_by else "",
            }
        )
    return items[:LIMIT]


def _resolve(lists, pairs, now):
    from iomsite.admin import STATE_LABELS

    wanted = defaultdict(set)
    users = set()
    for rows in lists.values():
        for ct, pk, *_rest, updated_by in rows:
            wanted[ct].add(pk)
            if updated_by:
                users.add(updated_by)
    models = {ContentType.objects.get_for_model(model).pk: model for model, _admin in pairs}
    objects = {ct: models[ct]._default_manager.in_bulk(pks) for ct, pks in wanted.items()}
    names = dict(get_user_model()._default_manager.filter(pk__in=users).values_list("pk", "username"))
    result = {}
    for key, rows in lists.items():
        items = []
        for ct, pk, moment, publish_at, updated_by in rows:
            obj = objects[ct].get(pk)
            if obj is None:
                continue
            opts = obj._meta
            try:
                url = reverse(f"admin:{opts.app_label}_{opts.model_name}_change", args=[pk])
            except NoReverseMatch:
                url = ""
            event = None
            if key == "upcoming":
                event = _("goes live") if publish_at and publish_at > now else _("leaves the site")
            items.append(
                {
                    "title": str(obj),
                    "kind": opts.verbose_name,
                    "url": url,
                    "state": obj.publication_state,
                    "state_label": STATE_LABELS[obj.publication_state],
                    "moment": moment,
                    "event": event,
                    "by": names.get(updated_by, ""),
                }
            )
        result[key] = items
    return result
