"""The admin side of drafts of live items (decision 016): the change form reads and writes the draft.

For a live item, the change view runs inside a transaction that is rolled back: the draft is
applied, Django's own change view runs (forms, inlines, sections, stale-form check), and when
it saved, a snapshot of the result becomes the draft. Publishing keeps the transaction.
"""

from datetime import datetime

import reversion
from django.contrib import messages
from django.contrib.admin.options import IS_POPUP_VAR
from django.contrib.admin.utils import quote, unquote
from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.db.models import OuterRef, Subquery
from django.http import Http404, HttpResponseRedirect
from django.template.response import TemplateResponse
from django.urls import path, reverse
from django.utils import formats, timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from iomsite import content
from iomsite.models import Status
from iomsite.workflow import drafts, review
from iomsite.workflow.models import Activity, Draft
from iomsite.workflow.publishing import can_publish

DRAFT_BUTTONS = ("_discard", "_submit", "_send_back", "_schedule_changes", "_unschedule")
CHANGES_AT_FIELD = "_changes_at"
COMMENT_FIELD = "_review_comment"

# "Live + draft changes": what a changelist badge and the change form's banner add to the item's state.
STATE_LABELS = {
    Draft.State.EDITING: gettext_lazy("draft changes"),
    Draft.State.IN_REVIEW: gettext_lazy("changes in review"),
    Draft.State.SCHEDULED: gettext_lazy("changes scheduled"),
}


def admin_url(obj, view):
    opts = obj._meta
    return reverse(f"admin:{opts.app_label}_{opts.model_name}_{view}", args=[quote(obj.pk)])


def parse_moment(value):
    """A ``datetime-local`` value (or the site's date-time format) in the site's time zone, or None."""
    value = (value or "").strip()
    if not value:
        return None
    moment = None
    try:
        moment = datetime.fromisoformat(value)
    except ValueError:
        for fmt in formats.get_format("DATETIME_INPUT_FORMATS"):
            try:
                moment = datetime.strptime(value, fmt)
                break
            except ValueError:
                continue
    if moment is None:
        return None
    if timezone.is_naive(moment):
        moment = timezone.make_aware(moment)
    return moment


class DraftAdminMixin:
    """Live items are changed through a draft; Publishers publish, schedule or send back."""

    def get_queryset(self, request):
        queryset = super().get_queryset(request)
        content_type = ContentType.objects.get_for_model(self.model)
        drafts_of = Draft.objects.filter(content_type=content_type, object_id=OuterRef("pk"))
        return queryset.annotate(draft_state=Subquery(drafts_of.values("state")[:1]))

    def get_urls(self):
        opts = self.model._meta
        name = f"{opts.app_label}_{opts.model_name}"
        urls = [
            path(
                "<path:object_id>/draft/preview/",
                self.admin_site.admin_view(self.draft_preview_view),
                name=f"{name}_draft_preview",
            ),
            path(
                "<path:object_id>/draft/compare/",
                self.admin_site.admin_view(self.draft_compare_view),
                name=f"{name}_draft_compare",
            ),
        ]
        return urls + super().get_urls()

    # The activity log ---------------------------------------------------------------------------

    def log_addition(self, request, obj, message):
        entry = super().log_addition(request, obj, message)
        if obj.status == Status.PUBLISHED:
            drafts.record(request.user, Activity.Action.PUBLISHED, obj, _("Created and published it."))
        else:
            drafts.record(request.user, Activity.Action.CREATED, obj, _("Created it as a draft."))
        return entry

    def log_change(self, request, obj, message):
        entry = super().log_change(request, obj, message)
        if getattr(request, "_workflow_drafting", False) or isinstance(message, str):
            return entry  # a draft (its own lines) or a bulk action (``_bulk`` writes its line)
        restored = getattr(request, "_workflow_restoring", None)
        button = self._button(request)
        if restored is not None:
            when = formats.date_format(timezone.localtime(restored.revision.date_created), "DATETIME_FORMAT")
            action, words = Activity.Action.RESTORED, _("Restored the version of %(when)s.") % {"when": when}
        elif button == "publish":
            action, words = Activity.Action.PUBLISHED, _("Published it.")
        elif button == "schedule":
            when = formats.date_format(timezone.localtime(obj.publish_at), "DATETIME_FORMAT")
            action, words = Activity.Action.SCHEDULED, _("Scheduled it for %(when)s.") % {"when": when}
        elif button == "unpublish":
            action, words = Activity.Action.UNPUBLISHED, _("Unpublished it (back to draft).")
        else:
            fields = [name for part in message or () for name in part.get("changed", {}).get("fields", ())]
            action = Activity.Action.CHANGED
            words = _("Changed %(fields)s.") % {"fields": ", ".join(fields)} if fields else _("Saved it unchanged.")
        drafts.record(request.user, action, obj, words)
        return entry

    def log_deletion(self, request, obj, object_repr):
        entry = super().log_deletion(request, obj, object_repr)
        drafts.record(request.user, Activity.Action.DELETED, obj, _("Deleted it."))
        return entry

    # The change view ---------------------------------------------------------------------------

    def changeform_view(self, request, object_id=None, form_url="", extra_context=None):
        if object_id is None or "_saveasnew" in request.POST or IS_POPUP_VAR in request.GET:
            return super().changeform_view(request, object_id, form_url, extra_context)
        obj = self.get_object(request, unquote(object_id))
        if not drafts.is_drafted(obj) or not self.has_view_or_change_permission(request, obj):
            return super().changeform_view(request, object_id, form_url, extra_context)
        draft = drafts.get_draft(obj)
        if request.method == "POST" and "_discard" in request.POST:
            return self._discard(request, obj, draft)
        if request.method == "POST" and "_unschedule" in request.POST:
            return self._unschedule(request, obj, draft)
        request._workflow_drafting = True
        request._workflow_draft = draft
        if draft is not None:
            request._workflow_base_version = draft.token
        button = self._button(request)
        restoring = getattr(request, "_workflow_restoring", None) is not None
        versions = drafts.revision_state()  # the admin's revision (``VersionAdmin.change_view``) so far
        with transaction.atomic():
            if draft is not None and not restoring:  # a restore has written the old version onto the rows
                drafts.apply(obj, draft.data)
            response = super().changeform_view(request, object_id, form_url, extra_context)
            if hasattr(response, "render") and not response.is_rendered and not restoring:
                response.render()  # inside the transaction: the form shows the draft
            saved = getattr(request, "_workflow_saved", None)
            commit = (
                saved is not None
                and not restoring
                and (button in ("publish", "unpublish") or saved.status != Status.PUBLISHED)
            )
            if commit:
                self._published(request, saved, draft, button)
            else:
                transaction.set_rollback(True)
        if not commit:
            drafts.forget_versions(versions)  # nothing was saved: no revision of the draft as if it were live
        if saved is None or commit:
            return response
        if restoring:
            request._workflow_pending = (obj, draft, request._workflow_snapshot)
            return response  # the restore view undoes its writes, then stores the draft
        return self._store(request, obj, draft, request._workflow_snapshot)

    def response_change(self, request, obj):
        if getattr(request, "_workflow_drafting", False):
            request._workflow_saved = obj
            request._workflow_snapshot = drafts.snapshot(obj)
            if self._button(request) in ("publish", "unpublish") or obj.status != Status.PUBLISHED:
                reversion.set_comment(self._publish_message(request, obj))  # inside the admin's revision
                return super().response_change(request, obj)
            return HttpResponseRedirect(admin_url(obj, "change"))  # replaced by ``_store``'s answer
        return super().response_change(request, obj)

    def _publish_message(self, request, obj):
        draft = getattr(request, "_workflow_draft", None)
        if obj.status != Status.PUBLISHED:
            return _("Unpublished (back to draft).")
        if draft is not None:
            return _("Published %(draft)s.") % {"draft": drafts.draft_name(draft)}
        return _("Published the changes made in the form.")

    def _published(self, request, obj, draft, button):
        """The form and the draft were saved to the live rows (this transaction commits)."""
        message = self._publish_message(request, obj)
        submitted_by = draft.submitted_by if draft is not None else None
        if draft is not None:
            draft.delete()
        action = Activity.Action.PUBLISHED if obj.status == Status.PUBLISHED else Activity.Action.UNPUBLISHED
        drafts.record(request.user, action, obj, message)
        if submitted_by is not None and submitted_by != request.user:
            review.notify_editor(request, obj, submitted_by, "published")

    def _store(self, request, obj, draft, data):
        """A draft save: the snapshot is the draft; review and scheduling buttons act on it."""
        user = request.user
        publisher = self.has_publish_permission(request)
        live = type(obj)._default_manager.get(pk=obj.pk)
        if publisher:
            self._apply_publishing_fields(request, live, data)
        changed = drafts.has_changes(live, data)
        if not changed and not any(name in request.POST for name in ("_submit", "_schedule_changes")):
            if draft is not None:
                draft.delete()
                drafts.record(user, Activity.Action.DISCARDED, live, _("The draft matched the live version again."))
                self.message_user(request, _("The draft is the same as the live version, so it was removed."))
            else:
                self.message_user(request, _("No changes: visitors see this version."))
            return self._redirect_after(request, live)
        draft = drafts.save_draft(live, data, user, draft)
        if "_submit" in request.POST:
            self._submit(request, live, draft)
        elif "_send_back" in request.POST and publisher:
            self._send_back(request, live, draft)
        elif "_schedule_changes" in request.POST and publisher:
            self._schedule(request, live, draft)
        else:
            if draft.state == Draft.State.SCHEDULED and not publisher:
                self._back_to_review(request, live, draft)
            restored = getattr(request, "_workflow_restoring", None)
            if restored is not None:
                when = formats.date_format(timezone.localtime(restored.revision.date_created), "DATETIME_FORMAT")
                message = _("Restored the version of %(when)s as a draft.") % {"when": when}
                drafts.record(user, Activity.Action.RESTORED, live, message)
            else:
                message = _("Saved %(draft)s.") % {"draft": drafts.draft_name(draft)}
                drafts.record(user, Activity.Action.DRAFTED, live, message)
            self.message_user(
                request,
                _("Your changes were saved as a draft. Visitors still see the live version until it is published."),
                messages.SUCCESS,
            )
        return self._redirect_after(request, live)

    def _apply_publishing_fields(self, request, live, data):
        """A publisher's change of the publishing times takes effect at once; content waits in the draft.

        Forms post times to the second: a difference under a second is no change.
        """
        source = drafts.deserialize_object(data["object"])
        names = []
        for name in ("publish_at", "unpublish_at"):
            posted, stored = getattr(source, name), getattr(live, name)
            if (posted is None) != (stored is None) or (posted and abs((posted - stored).total_seconds()) >= 1):
                names.append(name)
        if not names:
            return
        for name in names:
            setattr(live, name, getattr(source, name))
        live.updated_by = request.user
        live.save(update_fields=[*names, "updated_by"])
        drafts.record(request.user, Activity.Action.CHANGED, live, _("Changed the publishing times."))

    def _submit(self, request, obj, draft):
        draft.state = Draft.State.IN_REVIEW
        draft.submitted_by = request.user
        draft.publish_at = None
        draft.save()
        name = drafts.draft_name(draft)
        drafts.record(
            request.user, Activity.Action.SUBMITTED, obj, _("Submitted %(draft)s for review.") % {"draft": name}
        )
        count = review.notify_publishers(request, obj, draft)
        self.message_user(
            request,
            _("Submitted for review: %(count)d publisher(s) of this section were told.") % {"count": count},
            messages.SUCCESS,
        )

    def _send_back(self, request, obj, draft):
        comment = request.POST.get(COMMENT_FIELD, "").strip()
        if not comment:
            self.message_user(
                request, _("Say what to change in the comment when you send a draft back."), messages.ERROR
            )
            return
        draft.state = Draft.State.EDITING
        draft.comment = comment[:2000]
        draft.publish_at = None
        draft.save()
        name = drafts.draft_name(draft)
        drafts.record(
            request.user,
            Activity.Action.SENT_BACK,
            obj,
            _("Sent back %(draft)s: %(comment)s") % {"draft": name, "comment": comment},
        )
        if draft.submitted_by is not None:
            review.notify_editor(request, obj, draft.submitted_by, "sent_back", comment=comment)
        self.message_user(request, _("Sent back to the editor with your comment."), messages.SUCCESS)

    def _schedule(self, request, obj, draft):
        moment = parse_moment(request.POST.get(CHANGES_AT_FIELD))
        if moment is None or moment <= timezone.now():
            self.message_user(
                request,
                _("To schedule the changes, give a date and time in the future. Your changes were saved as a draft."),
                messages.ERROR,
            )
            return
        from iomsite.workflow import schedule

        schedule.schedule(request, obj, draft, moment)
        when = formats.date_format(timezone.localtime(moment), "DATETIME_FORMAT")
        self.message_user(
            request, _("The changes are scheduled: visitors see them from %(when)s.") % {"when": when}, messages.SUCCESS
        )

    def _back_to_review(self, request, obj, draft):
        """An editor changed a scheduled draft: what goes live must be what a publisher scheduled."""
        draft.state = Draft.State.IN_REVIEW
        draft.publish_at = None
        draft.submitted_by = request.user
        draft.save()
        drafts.record(request.user, Activity.Action.UNSCHEDULED, obj, _("Changed a scheduled draft: back in review."))
        review.notify_publishers(request, obj, draft)
        self.message_user(
            request,
            _("This draft was scheduled; your change puts it back in review, and a publisher schedules it again."),
            messages.WARNING,
        )

    def _discard(self, request, obj, draft):
        if not self.has_change_permission(request, obj):
            raise PermissionDenied
        if draft is not None:
            name = drafts.draft_name(draft)
            draft.delete()
            drafts.record(request.user, Activity.Action.DISCARDED, obj, _("Discarded %(draft)s.") % {"draft": name})
            self.message_user(request, _("The draft was discarded. The live version is unchanged."), messages.SUCCESS)
        return HttpResponseRedirect(admin_url(obj, "change"))

    def _unschedule(self, request, obj, draft):
        if not self.has_publish_permission(request) or not self.has_change_permission(request, obj):
            raise PermissionDenied
        if draft is not None and draft.state == Draft.State.SCHEDULED:
            draft.state = Draft.State.IN_REVIEW
            draft.publish_at = None
            draft.save()
            drafts.record(
                request.user, Activity.Action.UNSCHEDULED, obj, _("Cancelled the scheduled publication of the changes.")
            )
            self.message_user(request, _("The schedule was cancelled; the draft is back in review."), messages.SUCCESS)
        return HttpResponseRedirect(admin_url(obj, "change"))

    def _redirect_after(self, request, obj):
        if "_save" in request.POST and not any(name in request.POST for name in DRAFT_BUTTONS):
            opts = obj._meta
            return HttpResponseRedirect(reverse(f"admin:{opts.app_label}_{opts.model_name}_changelist"))
        return HttpResponseRedirect(admin_url(obj, "change"))

    # The form's banner -------------------------------------------------------------------------------

    def render_change_form(self, request, context, add=False, change=False, form_url="", obj=None):
        if getattr(request, "_workflow_drafting", False) and obj is not None:
            draft = getattr(request, "_workflow_draft", None)
            publisher = self.has_publish_permission(request)
            context["workflow_drafting"] = True
            context["workflow_draft"] = draft
            context["workflow_draft_name"] = drafts.draft_name(draft) if draft else ""
            context["workflow_draft_publisher"] = publisher and context.get("has_change_permission", True)
            context["workflow_draft_stale"] = (
                draft is not None
                and obj.__class__._default_manager.filter(pk=obj.pk, updated_at__gt=draft.updated_at).exists()
            )
            if draft is not None:
                context["workflow_draft_preview_url"] = admin_url(obj, "draft_preview")
                context["workflow_draft_compare_url"] = admin_url(obj, "draft_compare")
            context["workflow_changes_at_field"] = CHANGES_AT_FIELD
            context["workflow_comment_field"] = COMMENT_FIELD
        return super().render_change_form(request, context, add=add, change=change, form_url=form_url, obj=obj)

    # Preview and compare -------------------------------------------------------------------------------

    def _drafted_object(self, request, object_id):
        obj = self.get_object(request, unquote(object_id))
        if obj is None or not self.has_view_or_change_permission(request, obj) or not drafts.is_drafted(obj):
            raise Http404(_("Not found."))
        draft = drafts.get_draft(obj)
        if draft is None:
            raise Http404(_("This item has no draft."))
        return obj, draft

    def draft_preview_view(self, request, object_id):
        """The public page with the draft applied, exactly as visitors will see it; then undone."""
        from iomsite.workflow import preview

        obj, draft = self._drafted_object(request, object_id)
        return preview.render_draft(
            request, obj, draft, language=request.GET.get("language"), subpage=request.GET.get("tab", "")
        )

    def draft_compare_view(self, request, object_id):
        """The live page and the draft page as text, with word-level changes marked."""
        from iomsite.workflow import preview

        obj, draft = self._drafted_object(request, object_id)
        language = request.GET.get("language")
        context = {
            **self.admin_site.each_context(request),
            "title": _("Draft compared with the live version: %s") % obj,
            "subtitle": None,
            "object": obj,
            "opts": self.model._meta,
            "draft": draft,
            "draft_name": drafts.draft_name(draft),
            "comparison": preview.compare_text(
                request, obj, draft, language=language, subpage=request.GET.get("tab", "")
            ),
            "change_url": admin_url(obj, "change"),
            "preview_url": admin_url(obj, "draft_preview"),
        }
        request.current_app = self.admin_site.name
        return TemplateResponse(request, "admin/workflow/draft_compare.html", context)


class PartDraftAdminMixin:
    """Admins of parts edited on their own page (a publication's chapters): changes to a part of a
    live item go to the owner's draft, by the same rolled-back transaction as the owner's form.

    Add, change, delete and drag and drop all work on the owner's draft; a bulk delete of parts
    of a live item is refused (one deletes them one by one, into the draft).
    """

    def _part(self):
        item = content.get(self.model)
        return item if item is not None and item.owner is not None else None

    def _drafted_owners(self, request, object_id=None, pks=()):
        item = self._part()
        if item is None:
            return []
        owner_model = item.owner.model
        field = self.model._meta.get_field(item.part_of)
        wanted = [pk for pk in pks if pk]
        if object_id is not None:
            try:
                row = self.model._default_manager.filter(pk=object_id).values(field.attname).first()
            except (TypeError, ValueError):
                return []  # not a key: the admin's own view answers 404
            found = row[field.attname] if row else drafts.owner_draft_rows(owner_model, self.model, object_id)
            wanted.append(found)
        posted = request.POST.get(item.part_of) or request.GET.get(item.part_of)
        if posted:
            wanted.append(posted)
        owners = []
        for pk in wanted:
            try:
                owner = owner_model._default_manager.filter(pk=pk).first()
            except (TypeError, ValueError):
                owner = None
            if drafts.is_drafted(owner) and all(known.pk != owner.pk for known in owners):
                owners.append(owner)
        return owners

    def _in_owner_drafts(self, request, owners, call):
        """Run ``call`` with the owners' drafts applied; what it saved becomes their drafts."""
        found = {owner.pk: drafts.get_draft(owner) for owner in owners}
        versions = drafts.revision_state()
        request._workflow_part_drafting = owners
        saved = {}
        with transaction.atomic():
            for owner in owners:
                if found[owner.pk] is not None:
                    drafts.apply(owner, found[owner.pk].data)
            response = call()
            if hasattr(response, "render") and not response.is_rendered:
                response.render()
            if (
                request.method == "POST"
                and response.status_code in (200, 302)
                and request.__dict__.get("_workflow_part_saved")
            ):
                for owner in owners:
                    saved[owner.pk] = drafts.snapshot(type(owner)._default_manager.get(pk=owner.pk))
            transaction.set_rollback(True)
        drafts.forget_versions(versions)
        for owner in owners:
            if owner.pk in saved:
                self._store_owner_draft(request, owner, found[owner.pk], saved[owner.pk])
        return response

    def _store_owner_draft(self, request, owner, draft, data):
        live = type(owner)._default_manager.get(pk=owner.pk)
        name = live._meta.verbose_name
        if not drafts.has_changes(live, data):
            if draft is not None:
                draft.delete()
            return
        draft = drafts.save_draft(live, data, request.user, draft)
        if draft.state == Draft.State.SCHEDULED and not can_publish(request.user):
            draft.state, draft.publish_at, draft.submitted_by = Draft.State.IN_REVIEW, None, request.user
            draft.save()
            message = _("Changed a scheduled draft: back in review.")
            drafts.record(request.user, Activity.Action.UNSCHEDULED, live, message)
        message = _("Changed its %(parts)s in %(draft)s.") % {
            "parts": self.model._meta.verbose_name_plural,
            "draft": drafts.draft_name(draft),
        }
        drafts.record(request.user, Activity.Action.DRAFTED, live, message)
        self.message_user(
            request,
            _(
                "The %(name)s “%(owner)s” is live, so this change was saved in its draft. Visitors see it once "
                "the draft is published."
            )
            % {"name": name, "owner": live},
            messages.SUCCESS,
        )

    def _after_part_save(self, request):
        request._workflow_part_saved = True
        owners = request._workflow_part_drafting
        return HttpResponseRedirect(admin_url(owners[0], "change"))

    def changeform_view(self, request, object_id=None, form_url="", extra_context=None):
        owners = self._drafted_owners(request, object_id and unquote(object_id))
        if not owners:
            return super().changeform_view(request, object_id, form_url, extra_context)
        return self._in_owner_drafts(
            request, owners, lambda: super(PartDraftAdminMixin, self).changeform_view(
                request, object_id, form_url, extra_context
            )
        )  # fmt: skip

    def response_add(self, request, obj, post_url_continue=None):
        if getattr(request, "_workflow_part_drafting", None):
            return self._after_part_save(request)
        return super().response_add(request, obj, post_url_continue)

    def response_change(self, request, obj):
        if getattr(request, "_workflow_part_drafting", None):
            return self._after_part_save(request)
        return super().response_change(request, obj)

    def delete_view(self, request, object_id, extra_context=None):
        owners = self._drafted_owners(request, unquote(object_id))
        if not owners:
            return super().delete_view(request, object_id, extra_context)
        return self._in_owner_drafts(
            request, owners, lambda: super(PartDraftAdminMixin, self).delete_view(request, object_id, extra_context)
        )

    def response_delete(self, request, obj_display, obj_id):
        if getattr(request, "_workflow_part_drafting", None):
            return self._after_part_save(request)
        return super().response_delete(request, obj_display, obj_id)

    def has_delete_permission(self, request, obj=None):
        if (
            obj is not None
            and self._part() is not None
            and not getattr(request, "_workflow_part_drafting", None)
            and drafts.is_drafted(getattr(obj, self._part().part_of, None))
        ):
            return False  # a bulk delete would take parts off a live item at once
        return super().has_delete_permission(request, obj)

    def changelist_view(self, request, *args, **kwargs):
        if request.method == "POST" and request.POST.get("cmd") == "move_node":
            pks = [request.POST.get("cut_item"), request.POST.get("pasted_on")]
            owners = []
            for pk in pks:
                owners += [owner for owner in self._drafted_owners(request, pk) if owner not in owners]
            if owners:

                def move():
                    response = super(PartDraftAdminMixin, self).changelist_view(request, *args, **kwargs)
                    request._workflow_part_saved = response.content.startswith(b"OK")
                    return response

                return self._in_owner_drafts(request, owners, move)
        return super().changelist_view(request, *args, **kwargs)
