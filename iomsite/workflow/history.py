"""History with the admin log, a field-by-field comparison, and restore, all inside one's sections."""

from contextlib import nullcontext

import reversion
from django.contrib import messages
from django.contrib.admin.models import LogEntry
from django.contrib.admin.utils import quote, unquote
from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.db.models import ProtectedError
from django.db.models.signals import m2m_changed, post_delete, post_save, pre_delete, pre_save
from django.http import Http404, HttpResponseRedirect
from django.shortcuts import get_object_or_404, redirect
from django.template.response import TemplateResponse
from django.urls import re_path, reverse
from django.utils import formats, timezone
from django.utils.text import capfirst
from django.utils.translation import gettext as _
from reversion.errors import RevertError
from reversion.models import Version
from reversion.revisions import set_comment
from reversion.utils import mute_signals

from iomsite.workflow import revisions
from iomsite.workflow.forms import may_name, related_values, version_token
from iomsite.workflow.publishing import can_publish
from iomsite.workflow.sections import get_scope


class _Rollback(Exception):
    def __init__(self, response):
        self.response = response


class RevisionAdminMixin:
    """History with the admin log, a field-by-field comparison, and restore, all inside one's sections."""

    object_history_template = "admin/workflow/object_history.html"
    revision_form_template = "admin/workflow/revision_form.html"

    def get_urls(self):
        opts = self.model._meta
        urls = [
            re_path(
                r"^([^/]+)/history/compare/$",
                self.admin_site.admin_view(self.compare_view),
                name=f"{opts.app_label}_{opts.model_name}_compare",
            )
        ]
        return urls + super().get_urls()

    def change_view(self, request, object_id, form_url="", extra_context=None):
        if request.method == "POST":
            self._keep_baseline(request, object_id)
        return super().change_view(request, object_id, form_url, extra_context)

    def _keep_baseline(self, request, object_id):
        """Content loaded or imported outside the admin has no version: keep one before its first change."""
        obj = self.get_object(request, unquote(object_id))
        if obj is None or not self.has_change_permission(request, obj) or Version.objects.get_for_object(obj).exists():
            return
        with reversion.create_revision():
            reversion.add_to_revision(obj)
            reversion.set_comment(_("As it was before its first change in the admin."))
            if getattr(obj, "updated_at", None):
                reversion.set_date_created(obj.updated_at)

    def _visible_object(self, request, object_id):
        obj = self.get_object(request, unquote(object_id))
        if obj is None:
            raise Http404(_("Not found."))
        if not self.has_view_or_change_permission(request, obj):
            raise PermissionDenied
        return obj

    def _context(self, request, obj, title):
        opts = self.model._meta
        request.current_app = self.admin_site.name
        return {
            **self.admin_site.each_context(request),
            "title": title,
            "subtitle": None,
            "module_name": str(capfirst(opts.verbose_name_plural)),
            "object": obj,
            "opts": opts,
            "preserved_filters": self.get_preserved_filters(request),
        }

    def history_view(self, request, object_id, extra_context=None):
        obj = self._visible_object(request, object_id)
        opts = self.model._meta
        versions = list(Version.objects.get_for_object(obj).select_related("revision__user").order_by("-pk"))
        can_restore = self.has_change_permission(request, obj)
        rows = [
            {
                "version": version,
                "number": len(versions) - index,
                "restore_url": reverse(
                    f"admin:{opts.app_label}_{opts.model_name}_revision", args=[quote(obj.pk), version.pk]
                )
                if can_restore and index
                else None,
            }
            for index, version in enumerate(versions)
        ]
        log_entries = (
            LogEntry.objects.filter(content_type=ContentType.objects.get_for_model(obj), object_id=str(obj.pk))
            .select_related("user")
            .order_by("-action_time")[:200]
        )
        context = {
            **self._context(request, obj, _("History: %s") % obj),
            "versions": rows,
            "log_entries": log_entries,
            "compare_url": reverse(f"admin:{opts.app_label}_{opts.model_name}_compare", args=[quote(obj.pk)]),
            **(extra_context or {}),
        }
        return TemplateResponse(request, self.object_history_template, context)

    def compare_view(self, request, object_id):
        obj = self._visible_object(request, object_id)
        versions = Version.objects.get_for_object(obj).select_related("revision__user")
        try:
            chosen = [versions.get(pk=int(request.GET[key])) for key in ("a", "b")]
        except (KeyError, ValueError, Version.DoesNotExist):
            raise Http404(_("Choose two versions to compare.")) from None
        older, newer = sorted(chosen, key=lambda version: version.pk)
        context = {
            **self._context(request, obj, _("Compare versions: %s") % obj),
            "older": older,
            "newer": newer,
            "comparison": revisions.compare(older, newer, visible=lambda model, pk: may_name(request, model, pk)),
            "history_url": reverse(
                f"admin:{self.model._meta.app_label}_{self.model._meta.model_name}_history", args=[quote(obj.pk)]
            ),
        }
        return TemplateResponse(request, "admin/workflow/compare.html", context)

    def revision_view(self, request, object_id, version_id, extra_context=None):
        """Restore: the change form filled with an earlier version; saving it makes a new revision."""
        obj = self.get_object(request, unquote(object_id))
        if obj is None:
            raise Http404(_("Not found."))
        if not self.has_change_permission(request, obj):
            raise PermissionDenied
        version = get_object_or_404(Version.objects.get_for_object(obj).select_related("revision"), pk=version_id)
        request._workflow_base_version = version_token(obj)
        request._workflow_restoring = version
        if get_scope(request.user) is not None:
            request._workflow_before_restore = {"key": (type(obj), obj.pk), "values": related_values(obj)}
        when = formats.date_format(timezone.localtime(version.revision.date_created), "DATETIME_FORMAT")
        context = {
            "title": _("Restore the version of %(when)s") % {"when": when},
            "workflow_restoring": version,
            "workflow_restoring_when": when,
            **(extra_context or {}),
        }
        muted = (
            mute_signals(pre_save, post_save, pre_delete, post_delete, m2m_changed)
            if request.method == "GET"
            else nullcontext()
        )
        try:
            with transaction.atomic(using=version.db), muted:
                revisions.restore(version, can_publish(request.user))
                with self.create_revision(request):
                    try:
                        response = self.changeform_view(request, quote(str(obj.pk)), request.path, context)
                    except Http404:
                        # The old version lies outside the user's sections: not theirs to bring back.
                        message = _("That version lies outside your sections, so you cannot restore it.")
                        self.message_user(request, message, messages.ERROR)
                        opts = self.model._meta
                        history = reverse(f"admin:{opts.app_label}_{opts.model_name}_history", args=[quote(obj.pk)])
                        raise _Rollback(HttpResponseRedirect(history)) from None
                    if getattr(request, "_workflow_pending", None) is not None:
                        raise _Rollback(response)  # a live item: the restore is undone and becomes its draft
                    if request.method == "POST" and response.status_code == 302:
                        set_comment(_("Restored the version of %(when)s.") % {"when": when})
                        return response
                    if hasattr(response, "render"):
                        response.template_name = self.revision_form_template
                        response.render()
                    raise _Rollback(response)
        except _Rollback as rollback:
            pending = getattr(request, "_workflow_pending", None)
            if pending is not None:
                return self._store(request, *pending)
            return rollback.response
        except (RevertError, ProtectedError) as error:
            self.message_user(request, str(error), messages.ERROR)
            opts = self.model._meta
            return redirect(f"admin:{opts.app_label}_{opts.model_name}_history", quote(obj.pk))

    def _may_recover(self, request):
        # Recovering a deleted item brings back its old publishing state and, for trees, its old
        # position: publishers outside sections only, and never for trees.
        return (
            get_scope(request.user) is None
            and self.has_publish_permission(request)
            and not hasattr(self.model, "_mptt_meta")
        )

    def recoverlist_view(self, request, extra_context=None):
        if not self._may_recover(request):
            raise PermissionDenied
        return super().recoverlist_view(request, extra_context)

    def recover_view(self, request, version_id, extra_context=None):
        if not self._may_recover(request):
            raise PermissionDenied
        return super().recover_view(request, version_id, extra_context)
