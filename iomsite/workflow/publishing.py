"""Who may publish: the ``workflow.publish_content`` permission, on every admin path; the Preview button."""

from django.contrib import messages
from django.contrib.admin.options import IS_POPUP_VAR
from django.contrib.admin.utils import quote, unquote
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpResponseRedirect
from django.shortcuts import redirect
from django.urls import path, reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, ngettext

from iomsite.models import Status
from iomsite.preview import may_preview, visible

PUBLISH_PERMISSION = "workflow.publish_content"
PUBLISHING_FIELDS = ("status", "publish_at", "unpublish_at")
BUTTONS = {"_publish": "publish", "_schedule": "schedule", "_unpublish": "unpublish"}


def can_publish(user):
    return user.is_active and user.has_perm(PUBLISH_PERMISSION)


def publish_now(obj, now=None):
    """Live from now on: keeps a past start time, drops a passed end time."""
    now = now or timezone.now()
    obj.status = Status.PUBLISHED
    if obj.publish_at is None or obj.publish_at > now:
        obj.publish_at = now
    if obj.unpublish_at is not None and obj.unpublish_at <= now:
        obj.unpublish_at = None


class PublishingAdminMixin:
    """Who may publish: the ``workflow.publish_content`` permission, on every path.

    Without it the publishing fields are read-only, inline publishing fields are locked,
    the bulk actions and buttons are absent, a published item cannot be deleted (its
    changes go to a draft: ``iomsite.workflow.drafting``), and ``save_model`` keeps the
    stored publishing values whatever is posted.
    """

    actions = ("publish_now", "unpublish_now")

    def has_publish_permission(self, request):
        return can_publish(request.user) and super().has_change_permission(request)

    def _locked(self, request, obj):
        return obj is not None and obj.status == Status.PUBLISHED and not self.has_publish_permission(request)

    def has_delete_permission(self, request, obj=None):
        return super().has_delete_permission(request, obj) and not self._locked(request, obj)

    def get_readonly_fields(self, request, obj=None):
        fields = tuple(super().get_readonly_fields(request, obj))
        if self.has_publish_permission(request):
            return fields
        return fields + tuple(name for name in PUBLISHING_FIELDS if name not in fields)

    def get_actions(self, request):
        actions = super().get_actions(request)
        if not self.has_publish_permission(request):
            for name in ("publish_now", "unpublish_now"):
                actions.pop(name, None)
        return actions

    def _button(self, request):
        if request.method != "POST" or not self.has_publish_permission(request):
            return None
        return next((action for key, action in BUTTONS.items() if key in request.POST), None)

    def save_model(self, request, obj, form, change):
        obj.updated_by = request.user
        button = self._button(request)
        if button == "publish":
            publish_now(obj)
        elif button == "schedule":
            obj.status = Status.PUBLISHED
        elif button == "unpublish":
            obj.status = Status.DRAFT
        if not self.has_publish_permission(request):
            self._keep_publishing_state(request, obj, change)
        super().save_model(request, obj, form, change)

    def _keep_publishing_state(self, request, obj, change):
        stored = None
        if change:
            stored = type(obj)._default_manager.filter(pk=obj.pk).values(*PUBLISHING_FIELDS).first()
        if stored is None:
            stored = {"status": Status.DRAFT, "publish_at": obj.publish_at, "unpublish_at": obj.unpublish_at}
        if any(getattr(obj, name) != value for name, value in stored.items()):
            for name, value in stored.items():
                setattr(obj, name, value)
            self.message_user(
                request,
                _("Only publishers can publish or schedule; your changes were saved as they were."),
                messages.WARNING,
            )

    def _state_message(self, obj):
        state = obj.publication_state
        if state == "live":
            return _("“%(obj)s” is live on the site.") % {"obj": obj}
        if state == "scheduled":
            when = timezone.localtime(obj.publish_at)
            return _("“%(obj)s” is scheduled: it goes live on %(when)s.") % {
                "obj": obj,
                "when": when.strftime("%d %B %Y, %H:%M"),
            }
        return _("“%(obj)s” is a draft: visitors cannot see it.") % {"obj": obj}

    def _after_button(self, request, obj):
        self.message_user(request, self._state_message(obj), messages.SUCCESS)
        opts = obj._meta
        return HttpResponseRedirect(reverse(f"admin:{opts.app_label}_{opts.model_name}_change", args=[quote(obj.pk)]))

    def response_add(self, request, obj, post_url_continue=None):
        if self._button(request) and IS_POPUP_VAR not in request.POST:
            return self._after_button(request, obj)
        return super().response_add(request, obj, post_url_continue)

    def response_change(self, request, obj):
        if self._button(request) and IS_POPUP_VAR not in request.POST:
            return self._after_button(request, obj)
        return super().response_change(request, obj)

    @staticmethod
    def _publish_log_message(action):
        return {"publish": "Published with the bulk action.", "unpublish": "Unpublished with the bulk action."}[action]

    def _bulk(self, request, queryset, action):
        if not self.has_publish_permission(request):
            raise PermissionDenied
        count = 0
        for obj in queryset:
            if not self.has_change_permission(request, obj):
                continue
            if action == "publish":
                publish_now(obj)
            else:
                obj.status = Status.DRAFT
            obj.updated_by = request.user
            obj.save()
            self.log_change(request, obj, self._publish_log_message(action))
            self._record_bulk(request, obj, action)
            count += 1
        return count

    def _record_bulk(self, request, obj, action):
        from iomsite.workflow import drafts
        from iomsite.workflow.models import Activity

        if action == "unpublish":
            draft = drafts.get_draft(obj)
            if draft is not None:  # off the site: the item itself is the draft now (decision 016)
                drafts.apply(obj, draft.data)
                draft.delete()
            drafts.record(request.user, Activity.Action.UNPUBLISHED, obj, _("Unpublished with the bulk action."))
        else:
            drafts.record(request.user, Activity.Action.PUBLISHED, obj, _("Published with the bulk action."))

    def publish_now(self, request, queryset):
        count = self._bulk(request, queryset, "publish")
        self.message_user(
            request, ngettext("%d item published.", "%d items published.", count) % count, messages.SUCCESS
        )

    publish_now.short_description = gettext_lazy("Publish selected items now")
    publish_now.allowed_permissions = ("publish",)

    def unpublish_now(self, request, queryset):
        count = self._bulk(request, queryset, "unpublish")
        self.message_user(
            request,
            ngettext("%d item unpublished.", "%d items unpublished.", count) % count,
            messages.SUCCESS,
        )

    unpublish_now.short_description = gettext_lazy("Unpublish selected items (back to draft)")
    unpublish_now.allowed_permissions = ("publish",)

    # Preview and view on site.

    def get_urls(self):
        opts = self.model._meta
        urls = [
            path(
                "<path:object_id>/preview/",
                self.admin_site.admin_view(self.preview_view),
                name=f"{opts.app_label}_{opts.model_name}_preview",
            )
        ]
        return urls + super().get_urls()

    def preview_view(self, request, object_id):
        """The public page of an object, drafts included, when the site's preview rule shows it to this user."""
        obj = self.get_object(request, unquote(object_id))
        if obj is None or not self.has_view_permission(request, obj) or not hasattr(obj, "get_absolute_url"):
            raise Http404(_("Not found."))
        if not visible(request, self.model._default_manager.filter(pk=obj.pk)).exists():
            raise Http404(_("Not found."))  # the page would answer "not found" to this user too
        return redirect(obj.get_absolute_url())

    def get_view_on_site_url(self, obj=None):
        if obj is None or getattr(obj, "publication_state", "live") != "live":
            return None  # drafts have Preview instead: visitors would get "not found"
        return super().get_view_on_site_url(obj)

    def render_change_form(self, request, context, add=False, change=False, form_url="", obj=None):
        publisher = self.has_publish_permission(request)
        context["workflow_buttons"] = (
            publisher and context.get("has_change_permission", True) and not context.get("is_popup")
        )
        if obj is not None and obj.pk is not None:
            opts = obj._meta
            if hasattr(obj, "get_absolute_url") and (obj.is_live or may_preview(request, self.model)):
                context["workflow_preview_url"] = reverse(
                    f"admin:{opts.app_label}_{opts.model_name}_preview", args=[quote(obj.pk)]
                )
            context["workflow_state"] = obj.publication_state
        if not publisher:
            if obj is not None and obj.pk is not None and obj.status == Status.PUBLISHED:
                context["workflow_note"] = _(
                    "This item is published: your changes are saved as a draft, and visitors keep seeing "
                    "the live version until a publisher publishes them. Submit the draft for review when it is ready."
                )
            else:
                context["workflow_note"] = _(
                    "You can save this as a draft and preview it. A publisher puts it on the site."
                )
        return super().render_change_form(request, context, add=add, change=change, form_url=form_url, obj=obj)
