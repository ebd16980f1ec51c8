"""Scheduled drafts: correct for visitors at the moment, with no cron job (decision 016).

A scheduled draft is applied by whichever comes first: the task enqueued for its moment
(``apply_scheduled_drafts_task``, run by ``manage.py db_worker``), ``manage.py
apply_scheduled_drafts``, or the first request after the moment (``DraftScheduleMiddleware``).
The next moment is kept in the shared cache, so a request costs no query while the cache
holds it; the page cache's freshness (``iomsite.freshness``) counts the moments too.
"""

import logging

from django.core.cache import cache
from django.db import DatabaseError, transaction
from django.db.models import Min
from django.utils import formats, timezone
from django.utils.translation import gettext as _
from django_tasks import task

logger = logging.getLogger(__name__)

NEXT_KEY = "drafts:next-scheduled"
NONE = "none"


def next_draft_change(now=None):
    """The earliest moment a scheduled draft is due (past or future), or None. Cached until drafts change."""
    value = cache.get(NEXT_KEY)
    if value is None:
        from iomsite.workflow.models import Draft

        value = Draft.objects.filter(state=Draft.State.SCHEDULED).aggregate(moment=Min("publish_at"))["moment"]
        cache.set(NEXT_KEY, value or NONE, None)
    return None if value == NONE else value


def forget(sender, instance, **kwargs):
    """A draft changed: the next moment is computed again; cached pages may not outlive a new one."""
    from iomsite.freshness import bump_version

    cache.delete(NEXT_KEY)
    if instance.state == instance.State.SCHEDULED:
        bump_version()


def connect():
    from django.db.models.signals import post_delete, post_save

    from iomsite.workflow.models import Draft

    post_save.connect(forget, sender=Draft, dispatch_uid="drafts-schedule-save")
    post_delete.connect(forget, sender=Draft, dispatch_uid="drafts-schedule-delete")
    post_delete.connect(drop_drafts, dispatch_uid="drafts-of-deleted-items")


def drop_drafts(sender, instance, **kwargs):
    """A deleted item takes its draft along."""
    from iomsite.models import PublishableModel
    from iomsite.workflow.models import Draft

    if isinstance(instance, PublishableModel) and instance.pk is not None:
        Draft.objects.for_object(instance).delete()


def schedule(request, obj, draft, moment):
    from iomsite.workflow import drafts, review
    from iomsite.workflow.models import Activity, Draft

    draft.state = Draft.State.SCHEDULED
    draft.publish_at = moment
    draft.scheduled_by = request.user
    draft.save()
    when = formats.date_format(timezone.localtime(moment), "DATETIME_FORMAT")
    drafts.record(
        request.user,
        Activity.Action.SCHEDULED,
        obj,
        _("Scheduled %(draft)s for %(when)s.") % {"draft": drafts.draft_name(draft), "when": when},
    )
    apply_scheduled_drafts_task.using(run_after=moment).enqueue()
    if draft.submitted_by is not None and draft.submitted_by != request.user:
        review.notify_editor(request, obj, draft.submitted_by, "scheduled", when=when)


def apply_due(now=None):
    """Publish every scheduled draft whose moment has come; returns how many. Safe to run in parallel."""
    from iomsite.workflow import drafts
    from iomsite.workflow.models import Draft

    now = now or timezone.now()
    applied = 0
    with transaction.atomic():
        for draft in Draft.objects.due(now).select_for_update(skip_locked=True).select_related("content_type"):
            model = draft.content_type.model_class()
            obj = model._default_manager.filter(pk=draft.object_id).first() if model else None
            if obj is None:
                draft.delete()
                continue
            when = formats.date_format(timezone.localtime(draft.publish_at), "DATETIME_FORMAT")
            message = _("Published %(draft)s as scheduled for %(when)s.") % {
                "draft": drafts.draft_name(draft),
                "when": when,
            }
            drafts.publish_draft(obj, draft, draft.scheduled_by, comment=message)
            applied += 1
    cache.delete(NEXT_KEY)
    return applied


@task()
def apply_scheduled_drafts_task():
    return apply_due()


class DraftScheduleMiddleware:
    """Before any page is read: apply the scheduled drafts that are due (one cache read otherwise)."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        try:
            moment = next_draft_change()
            if moment is not None and moment <= timezone.now():
                apply_due()
        except DatabaseError:  # the outage middleware answers for the database; the page shows the live rows
            logger.exception("Scheduled drafts could not be applied")
        return self.get_response(request)
