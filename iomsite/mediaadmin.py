"""The media library's admin rules: sections, drafts of live media, where each is used (decision 017).

An editor's change to the file or the text visitors see of an image or document that a
published item uses is kept as a draft on the row (``MediaDraftMixin.draft``); visitors keep
the live file and text until a publisher saves the change form (the "Publish changes"
button). Anyone who may change the row may discard the draft. History is read-only: an old
version's file is gone from storage.
"""

from django.contrib import messages
from django.contrib.admin import display
from django.contrib.admin.utils import quote, unquote
from django.core.exceptions import PermissionDenied
from django.db.models import BooleanField, ExpressionWrapper
from django.http import FileResponse, Http404, HttpResponseRedirect
from django.urls import path, reverse
from django.utils import formats, timezone
from django.utils.cache import add_never_cache_headers
from django.utils.html import format_html, format_html_join
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from iomsite.media import delete_files
from iomsite.usage import is_published, live_use_q, uses
from iomsite.workflow.publishing import can_publish
from iomsite.workflow.scoped import WorkflowAdminMixin
from iomsite.workflow.sections import get_scope

DISCARD = "_discard_draft"


class MediaAdminMixin(WorkflowAdminMixin):
    change_form_template = "admin/iomsite/media_change_form.html"
    media_readonly = ("state", "used_on")

    # Lists and the change page.

    def get_queryset(self, request):
        live = ExpressionWrapper(live_use_q(self.model), output_field=BooleanField())
        return super().get_queryset(request).select_related("section").annotate(in_live_use=live)

    @display(description=gettext_lazy("state"))
    def state(self, obj):
        if obj is None or obj.pk is None:
            return _("Draft")
        live = getattr(obj, "in_live_use", None)
        if live is None or getattr(obj, "standalone", False):
            live = is_published(obj)
        label = (_("Live + draft changes") if obj.has_draft else _("Live")) if live else _("Draft")
        key = ("live-draft" if obj.has_draft else "live") if live else "draft"
        return format_html('<span class="state-badge state-{}">{}</span>', key, label)

    @display(description=gettext_lazy("used on"))
    def used_on(self, obj):
        if obj is None or obj.pk is None:
            return "-"
        found = uses(obj)
        if not found:
            return _("Not used on any page yet.")
        return format_html(
            '<ul class="media-uses">{}</ul>',
            format_html_join(
                "",
                "<li>{} <small>({}, {})</small></li>",
                (
                    (
                        format_html('<a href="{}">{}</a>', use.admin_url, use.label) if use.admin_url else use.label,
                        use.via,
                        _("live") if use.live else _("draft"),
                    )
                    for use in found
                ),
            ),
        )

    def get_readonly_fields(self, request, obj=None):
        fields = [*super().get_readonly_fields(request, obj), *self.media_readonly]
        if not can_publish(request.user) and "standalone" in [f.name for f in self.model._meta.fields]:
            fields.append("standalone")
        return fields

    def formfield_for_foreignkey(self, db_field, request, **kwargs):
        field = super().formfield_for_foreignkey(db_field, request, **kwargs)
        scope = get_scope(request.user)
        if db_field.name == "section" and scope is not None:
            field.queryset = field.queryset.filter(pk__in=scope.section_ids)
            field.required = True  # a sectioned user's media belong to their sections
            field.empty_label = None
        return field

    # Drafts of live media.

    def change_view(self, request, object_id, form_url="", extra_context=None):
        if request.method == "POST" and DISCARD in request.POST:
            return self.discard_draft(request, object_id)
        request._media_show_draft = True
        return super().change_view(request, object_id, form_url, extra_context)

    def get_object(self, request, object_id, from_field=None):
        obj = super().get_object(request, object_id, from_field)
        if obj is not None:
            obj._absolute_uri = request.build_absolute_uri
        if obj is not None and obj.has_draft and getattr(request, "_media_show_draft", False):
            obj._live_file_name = obj.file.name
            obj.show_draft()
        return obj

    def holds_drafts(self, request, obj):
        """Whether this user's change to ``obj`` waits for a publisher: an editor, media that visitors see."""
        return not can_publish(request.user) and is_published(obj)

    def save_model(self, request, obj, form, change):
        if not change:
            return super().save_model(request, obj, form, change)
        stored = type(obj)._default_manager.get(pk=obj.pk)
        if self.holds_drafts(request, stored):
            return self._save_draft(request, obj, stored, form)
        if stored.has_draft:
            request._media_log = _("Published the draft changes of %(when)s.") % {
                "when": formats.date_format(timezone.localtime(stored.draft_at), "DATETIME_FORMAT")
            }
            if stored.draft_file_name and stored.draft_file_name != obj.file.name:
                delete_files(stored.draft_file_name)
        obj.draft, obj.draft_by, obj.draft_at = {}, None, None
        super().save_model(request, obj, form, change)

    def _save_draft(self, request, edited, stored, form):
        drafted = set(stored.drafted_columns()) | {"file"}
        for name in form.changed_data:
            if name not in drafted and name in form.cleaned_data:
                setattr(stored, name, getattr(edited, name))  # the library's own fields: title, section
        previous = stored.draft_file_name
        stored.draft = stored.draft_from(edited)
        stored.draft_by, stored.draft_at = (request.user, timezone.now()) if stored.draft else (None, None)
        stored.save()
        if previous and previous != stored.draft_file_name:
            delete_files(previous)
        form.instance = stored
        if stored.draft:
            request._media_log = _("Saved draft changes (%(fields)s); not live until a publisher publishes them.") % {
                "fields": ", ".join(sorted(stored.draft))
            }
            self.message_user(
                request,
                _(
                    "Saved as a draft: visitors keep seeing the current file and text until a publisher "
                    "publishes your changes."
                ),
                messages.WARNING,
            )

    def construct_change_message(self, request, form, formsets, add=False):
        message = getattr(request, "_media_log", None)
        return message if message else super().construct_change_message(request, form, formsets, add)

    def discard_draft(self, request, object_id):
        obj = self.get_object(request, unquote(object_id))
        if obj is None:
            raise Http404(_("Not found."))
        if not self.has_change_permission(request, obj):
            raise PermissionDenied
        if obj.has_draft:
            delete_files(obj.draft_file_name)
            obj.draft, obj.draft_by, obj.draft_at = {}, None, None
            obj.save(update_fields=["draft", "draft_by", "draft_at"])
            self.log_change(request, obj, _("Discarded the draft changes."))
            self.message_user(request, _("The draft changes were discarded."), messages.SUCCESS)
        opts = obj._meta
        return HttpResponseRedirect(reverse(f"admin:{opts.app_label}_{opts.model_name}_change", args=[quote(obj.pk)]))

    def get_urls(self):
        opts = self.model._meta
        return [
            path(
                "upload/",
                self.admin_site.admin_view(self.upload_view),
                name=f"{opts.app_label}_{opts.model_name}_upload",
            ),
            path(
                "<path:object_id>/draft-file/",
                self.admin_site.admin_view(self.draft_file_view),
                name=f"{opts.app_label}_{opts.model_name}_draft_file",
            ),
            *super().get_urls(),
        ]

    def upload_view(self, request):
        """Several files at once: each a draft image or document (``iomsite.uploads``)."""
        from django.contrib.admin import site
        from django.template.response import TemplateResponse

        from iomsite.models import Document, Image
        from iomsite.uploads import MultipleUploadForm

        if not all(site._registry[model].has_add_permission(request) for model in (Image, Document)):
            raise PermissionDenied
        scope = get_scope(request.user)
        form = MultipleUploadForm(request.POST or None, request.FILES or None, scope=scope)
        if request.method == "POST" and form.is_valid():
            created = form.save(request.user)
            for obj in created:
                site._registry[type(obj)].log_addition(request, obj, _("Uploaded with several other files."))
            images = sum(isinstance(obj, Image) for obj in created)
            self.message_user(
                request,
                _("%(count)d files uploaded as drafts.") % {"count": len(created)}
                + (" " + _("Add alternative text to each image before using it on a page.") if images else ""),
                messages.SUCCESS,
            )
            if images:
                return HttpResponseRedirect(reverse("admin:iomsite_image_changelist") + "?alt=missing")
            return HttpResponseRedirect(reverse("admin:iomsite_document_changelist"))
        context = {
            **self.admin_site.each_context(request),
            "title": _("Upload several files"),
            "opts": self.model._meta,
            "form": form,
        }
        return TemplateResponse(request, "admin/iomsite/upload.html", context)

    def draft_file_view(self, request, object_id):
        """The draft's new file, for those who may see the row; never cached."""
        from iomsite.views import download_policy

        obj = self.get_object(request, unquote(object_id))
        if obj is None or not obj.draft_file_name or not self.has_view_permission(request, obj):
            raise Http404(_("Not found."))

        @download_policy
        def serve(request):
            response = FileResponse(obj.file.storage.open(obj.draft_file_name, "rb"), as_attachment=False)
            add_never_cache_headers(response)
            return response

        return serve(request)

    def draft_file_url(self, obj):
        opts = obj._meta
        return reverse(f"admin:{opts.app_label}_{opts.model_name}_draft_file", args=[quote(obj.pk)])

    def render_change_form(self, request, context, add=False, change=False, form_url="", obj=None):
        if obj is not None and obj.pk is not None and obj.has_draft:
            context["media_draft"] = {
                "by": obj.draft_by,
                "at": obj.draft_at,
                "fields": sorted(obj.draft),
                "file_url": self.draft_file_url(obj) if obj.draft_file_name else None,
                "publisher": can_publish(request.user),
            }
        context["media_discard"] = DISCARD
        return super().render_change_form(request, context, add=add, change=change, form_url=form_url, obj=obj)

    # Deleting what is used, and history.

    def get_deleted_objects(self, objs, request):
        """Media in use are protected, with the list of items using them (live and draft, rich text included)."""
        deleted, model_count, perms_needed, protected = super().get_deleted_objects(objs, request)
        extra = []
        for obj in objs:
            for use in uses(obj):
                extra.append(
                    _("“%(media)s” is used on %(item)s (%(state)s)")
                    % {"media": obj, "item": use.label, "state": _("live") if use.live else _("draft")}
                )
        return deleted, model_count, perms_needed, [*protected, *extra]

    def revision_view(self, request, object_id, version_id, extra_context=None):
        raise Http404(_("Earlier versions of media are shown in the history; their files are gone."))

    def recover_view(self, request, version_id, extra_context=None):
        raise Http404(_("Deleted media cannot be brought back: their files are gone."))

    def recoverlist_view(self, request, extra_context=None):
        raise Http404(_("Deleted media cannot be brought back: their files are gone."))
