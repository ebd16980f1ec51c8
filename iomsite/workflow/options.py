"""Admin behaviour shared by every content admin: sections, publishing rights, stale forms.

``iomsite.admin.PublishableAdmin`` combines these mixins; apps inherit them from there.
"""

from contextlib import nullcontext

import reversion
from django import forms
from django.contrib import messages
from django.contrib.admin import SimpleListFilter
from django.contrib.admin.models import LogEntry
from django.contrib.admin.options import IS_POPUP_VAR, TO_FIELD_VAR
from django.contrib.admin.utils import quote, unquote
from django.contrib.admin.widgets import ForeignKeyRawIdWidget, url_params_from_lookup_dict
from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import FieldDoesNotExist, PermissionDenied
from django.db import transaction
from django.db.models import ProtectedError, Q
from django.db.models.signals import m2m_changed, post_delete, post_save, pre_delete, pre_save
from django.http import Http404, HttpResponse, HttpResponseRedirect
from django.shortcuts import get_object_or_404, redirect
from django.template.response import TemplateResponse
from django.urls import path, re_path, reverse
from django.utils import formats, timezone
from django.utils.html import format_html
from django.utils.text import capfirst
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, ngettext
from reversion.errors import RevertError
from reversion.models import Version
from reversion.revisions import set_comment
from reversion.utils import mute_signals

from iomsite.models import PublishableModel, Status
from iomsite.workflow import revisions
from iomsite.workflow.sections import get_scope, tree_of

PUBLISH_PERMISSION = "workflow.publish_content"
PUBLISHING_FIELDS = ("status", "publish_at", "unpublish_at")
VERSION_FIELD = "_loaded_version"
SAVE_ANYWAY_FIELD = "_save_anyway"
BUTTONS = {"_publish": "publish", "_schedule": "schedule", "_unpublish": "unpublish"}


def can_publish(user):
    return user.is_active and user.has_perm(PUBLISH_PERMISSION)


def version_token(obj):
    """What the editor's form was loaded from: the object's last change time."""
    updated_at = getattr(obj, "updated_at", None)
    return updated_at.isoformat() if updated_at else ""


def publish_now(obj, now=None):
    """Live from now on: keeps a past start time, drops a passed end time."""
    now = now or timezone.now()
    obj.status = Status.PUBLISHED
    if obj.publish_at is None or obj.publish_at > now:
        obj.publish_at = now
    if obj.unpublish_at is not None and obj.unpublish_at <= now:
        obj.unpublish_at = None


def admin_for(model):
    from django.contrib import admin

    return admin.site._registry.get(model)


# Forms ----------------------------------------------------------------------------------


class ScopedRawIdWidget(ForeignKeyRawIdWidget):
    """A raw-id box that names only objects the editor may see (a crafted value shows no title)."""

    allowed = None

    def label_and_url_for_value(self, value):
        key = self.rel.get_related_field().name
        try:
            visible = self.allowed is None or self.allowed.filter(**{key: value}).exists()
        except (ValueError, TypeError, forms.ValidationError):
            visible = False
        return super().label_and_url_for_value(value) if visible else ("", "")


def choice_filter(request, model):
    """The Q limiting which ``model`` objects this user may name in a form, or None."""
    scope = get_scope(request.user)
    if scope is None:
        return None
    tree = tree_of(model)
    if tree is not None:
        return scope.choice_q(tree)
    model_admin = admin_for(model)
    paths = model_admin.get_section_paths() if hasattr(model_admin, "get_section_paths") else None
    return scope.object_q(model, paths) if paths else None


def current_values(instance, name, request):
    """The pks a field names now: what the user may keep although it lies outside their choices.

    While a restore shows an earlier version, "now" is the stored state before the restore,
    so an old version cannot bring back another section's object.
    """
    if instance.pk is None:
        return []
    snapshot = getattr(request, "_workflow_before_restore", None)
    if snapshot is not None and snapshot["key"] == (type(instance), instance.pk):
        return snapshot["values"].get(name, [])
    if snapshot is not None:
        return []  # an inline row during a restore: only the choices
    try:
        model_field = instance._meta.get_field(name)
    except FieldDoesNotExist:  # a form field that is no model field
        return []
    if model_field.many_to_many:
        return list(getattr(instance, name).values_list("pk", flat=True))
    if model_field.many_to_one:
        return [getattr(instance, model_field.attname)]
    return []


def related_values(obj):
    """``{field name: [pks]}`` of an object's foreign keys and many-to-many fields."""
    values = {}
    for model_field in obj._meta.get_fields():
        if model_field.many_to_many and not model_field.auto_created:
            values[model_field.name] = list(getattr(obj, model_field.name).values_list("pk", flat=True))
        elif model_field.many_to_one and model_field.concrete:
            values[model_field.name] = [getattr(obj, model_field.attname)]
    return values


def may_name(request, model, pk):
    q = choice_filter(request, model)
    return q is None or model._default_manager.filter(q, pk=pk).exists()


def restrict_fields(form, request):
    """Narrow every choice of a sectioned model to what the user may name; keep current values."""
    instance = form.instance
    for name, field in form.fields.items():
        if not isinstance(field, forms.ModelChoiceField):
            continue
        model = field.queryset.model
        q = choice_filter(request, model)
        if q is None:
            continue
        current = current_values(instance, name, request)
        allowed = field.queryset.filter(q | Q(pk__in=[pk for pk in current if pk is not None]))
        field.queryset = allowed
        widget = getattr(field.widget, "widget", field.widget)
        if isinstance(widget, ForeignKeyRawIdWidget) and not isinstance(widget, ScopedRawIdWidget):
            widget.__class__ = type("Scoped" + type(widget).__name__, (ScopedRawIdWidget, type(widget)), {})
            widget.allowed = allowed
        if instance.pk is None and name in form.initial:
            # Initial values come from the query string on add forms: never name a foreign object.
            value = form.initial[name]
            values = value if isinstance(value, (list, tuple)) else [value]
            pks = [getattr(v, "pk", v) for v in values]
            if allowed.filter(pk__in=pks).count() != len(set(pks)):
                del form.initial[name]


class WorkflowFormMixin:
    """Mixed into each admin form class per request (``WorkflowAdminMixin.get_form``)."""

    workflow_request = None
    workflow_admin = None
    workflow_base_version = None
    workflow_conflict = False

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        restrict_fields(self, self.workflow_request)

    def clean(self):
        cleaned_data = super().clean()
        self._check_stale()
        self._check_schedule(cleaned_data)
        return cleaned_data

    def _check_stale(self):
        request = self.workflow_request
        loaded = self.data.get(VERSION_FIELD)
        if not self.instance.pk or not loaded:
            return
        current = self.workflow_base_version or version_token(self.instance)
        if loaded == current or self.data.get(SAVE_ANYWAY_FIELD):
            return
        self.workflow_conflict = True
        opts = self.instance._meta
        change_url = reverse(f"admin:{opts.app_label}_{opts.model_name}_change", args=[quote(self.instance.pk)])
        history_url = reverse(f"admin:{opts.app_label}_{opts.model_name}_history", args=[quote(self.instance.pk)])
        who = getattr(self.instance, "updated_by", None)
        message = format_html(
            '{} <a href="{}" target="_blank" rel="noopener">{}</a> · <a href="{}">{}</a>',
            _(
                "Someone else (%(who)s) saved this item after you opened it. Nothing has been saved. "
                "Compare with their version, then tick “Save anyway” to replace it with yours."
            )
            % {"who": who.get_username() if who and who != request.user else _("or you, in another window")},
            change_url,
            _("Open the newer version in a new tab"),
            history_url,
            _("History"),
        )
        raise forms.ValidationError(message, code="stale")

    def _check_schedule(self, cleaned_data):
        if "_schedule" not in self.data:
            return
        publish_at = cleaned_data.get("publish_at", self.instance.publish_at)
        if not publish_at or publish_at <= timezone.now():
            self.add_error(
                "publish_at" if "publish_at" in self.fields else None,
                _("To schedule, set a “publish from” time in the future."),
            )

    def _post_clean(self):
        super()._post_clean()
        model_admin = self.workflow_admin
        scope = get_scope(self.workflow_request.user)
        paths = model_admin.get_section_paths() if model_admin else None
        if scope is None or not paths:
            return
        allowed = scope.allows_instance(self.instance, paths, getattr(self, "cleaned_data", {}), self.initial)
        if allowed is False:
            self.add_error(None, _("You can only place this item inside your sections. Check the fields above."))


def workflow_formset(formset_class, request, publisher):
    """Inline formsets: section-limited choices, publishing fields locked for non-publishers."""

    class WorkflowFormSet(formset_class):
        def add_fields(self, form, index):
            super().add_fields(form, index)
            restrict_fields(form, request)
            if publisher or not issubclass(self.model, PublishableModel):
                return
            locked = form.instance.pk is not None and form.instance.status == Status.PUBLISHED
            for name, field in form.fields.items():
                # A disabled field keeps its initial value whatever the POST says.
                if locked or name in PUBLISHING_FIELDS:
                    field.disabled = True

    WorkflowFormSet.__name__ = formset_class.__name__
    return WorkflowFormSet


# Admin mixins -----------------------------------------------------------------------------


class WorkflowAdminMixin:
    """Sections on every admin path, 404 for what one may not see, query strings on declared filters only.

    ``section_paths`` maps tree names to the path from this model to the tree
    (``{"region": "country"}``); tree models need none.
    """

    section_paths = None

    def get_section_paths(self):
        if self.section_paths:
            return self.section_paths
        tree = tree_of(self.model)
        return {tree: "pk"} if tree else {}

    def scope_filter(self, request, queryset, choosing=None):
        scope = get_scope(request.user)
        if scope is None:
            return queryset
        tree = tree_of(self.model)
        if choosing is None:
            choosing = self._choosing(request)
        if tree and choosing:
            return queryset.filter(scope.choice_q(tree))
        paths = self.get_section_paths()
        return queryset.filter(scope.object_q(self.model, paths)) if paths else queryset

    def _choosing(self, request):
        """An autocomplete or raw-id lookup: it lists what one may name, not what one may edit."""
        match = getattr(request, "resolver_match", None)
        if match is not None and match.url_name == "autocomplete":
            return True
        changelist = bool(match and match.url_name and match.url_name.endswith("_changelist"))
        return changelist and IS_POPUP_VAR in request.GET and TO_FIELD_VAR in request.GET

    def get_queryset(self, request):
        return self.scope_filter(request, super().get_queryset(request))

    def object_in_scope(self, request, obj):
        if obj is None or obj.pk is None or get_scope(request.user) is None or not self.get_section_paths():
            return True
        cache = request.__dict__.setdefault("_workflow_in_scope", {})
        key = (self.model, obj.pk)
        if key not in cache:
            queryset = self.model._default_manager.filter(pk=obj.pk)
            cache[key] = self.scope_filter(request, queryset, choosing=False).exists()
        return cache[key]

    def has_view_permission(self, request, obj=None):
        return super().has_view_permission(request, obj) and self.object_in_scope(request, obj)

    def has_change_permission(self, request, obj=None):
        return super().has_change_permission(request, obj) and self.object_in_scope(request, obj)

    def has_delete_permission(self, request, obj=None):
        return super().has_delete_permission(request, obj) and self.object_in_scope(request, obj)

    def _get_obj_does_not_exist_redirect(self, request, opts, object_id):
        # Not "X with ID 5 doesn't exist" and a redirect: outside one's sections is simply not there.
        raise Http404(_("Not found."))

    def lookup_allowed(self, lookup, value, request=None):
        """Query-string filters only on the declared list filters and date hierarchy (no probing other fields)."""
        for fk_lookup in self.model._meta.related_fkey_lookups:
            if callable(fk_lookup):
                fk_lookup = fk_lookup()
            if (lookup, value) in url_params_from_lookup_dict(fk_lookup).items():
                return True  # a raw-id popup carrying the field's limit_choices_to
        allowed = [self.date_hierarchy] if self.date_hierarchy else []
        list_filter = self.get_list_filter(request) if request is not None else self.list_filter
        for item in list_filter:
            if isinstance(item, type) and issubclass(item, SimpleListFilter):
                if lookup == item.parameter_name:
                    return True  # the filter's own parameter ("state", "year")
            elif isinstance(item, (list, tuple)):
                allowed.append(item[0])
            elif isinstance(item, str):
                allowed.append(item)
        try:
            self.model._meta.get_field(lookup.split("__")[0])
        except FieldDoesNotExist:
            return super().lookup_allowed(lookup, value, request)  # no field: the changelist ignores it
        if not any(lookup == name or lookup.startswith(f"{name}__") for name in allowed):
            return False
        return super().lookup_allowed(lookup, value, request)

    def get_form(self, request, obj=None, change=False, **kwargs):
        form = super().get_form(request, obj, change=change, **kwargs)
        attrs = {
            "workflow_request": request,
            "workflow_admin": self,
            "workflow_base_version": getattr(request, "_workflow_base_version", None),
        }
        return type(form.__name__, (WorkflowFormMixin, form), attrs)

    def get_formsets_with_inlines(self, request, obj=None):
        publisher = can_publish(request.user)
        for formset, inline in super().get_formsets_with_inlines(request, obj):
            yield workflow_formset(formset, request, publisher), inline

    def save_related(self, request, form, formsets, change):
        super().save_related(request, form, formsets, change)
        scope = get_scope(request.user)
        if scope is not None and self.get_section_paths():
            # The last word: the saved object must lie inside the user's sections, else nothing is kept.
            request.__dict__.pop("_workflow_in_scope", None)
            if not self.object_in_scope(request, form.instance):
                raise PermissionDenied

    def render_change_form(self, request, context, add=False, change=False, form_url="", obj=None):
        if change and obj is not None and obj.pk is not None:
            if request.method == "POST" and VERSION_FIELD in request.POST:
                context["workflow_version"] = request.POST[VERSION_FIELD]
            else:
                context["workflow_version"] = getattr(request, "_workflow_base_version", None) or version_token(obj)
        return super().render_change_form(request, context, add=add, change=change, form_url=form_url, obj=obj)


class PublishingAdminMixin:
    """Who may publish: the ``workflow.publish_content`` permission, on every path.

    Without it the publishing fields are read-only, inline publishing fields are locked,
    the bulk actions and buttons are absent, a published item is view-only and cannot
    be deleted, and ``save_model`` keeps the stored publishing values whatever is posted.
    """

    actions = ("publish_now", "unpublish_now")

    def has_publish_permission(self, request):
        return can_publish(request.user) and super().has_change_permission(request)

    def _locked(self, request, obj):
        return obj is not None and obj.status == Status.PUBLISHED and not self.has_publish_permission(request)

    def has_change_permission(self, request, obj=None):
        return super().has_change_permission(request, obj) and not self._locked(request, obj)

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
            count += 1
        return count

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
        """The public page of an object one may see, drafts included (the site shows staff a preview banner)."""
        obj = self.get_object(request, unquote(object_id))
        if obj is None or not self.has_view_permission(request, obj) or not hasattr(obj, "get_absolute_url"):
            raise Http404(_("Not found."))
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
            if hasattr(obj, "get_absolute_url"):
                context["workflow_preview_url"] = reverse(
                    f"admin:{opts.app_label}_{opts.model_name}_preview", args=[quote(obj.pk)]
                )
            context["workflow_state"] = obj.publication_state
        if not publisher:
            if obj is not None and obj.pk is not None and obj.status == Status.PUBLISHED:
                context["workflow_note"] = _(
                    "This item is published, so only a publisher can change or delete it. "
                    "Ask a publisher, or ask them to unpublish it so you can edit the draft."
                )
            else:
                context["workflow_note"] = _(
                    "You can save this as a draft and preview it. A publisher puts it on the site."
                )
        return super().render_change_form(request, context, add=add, change=change, form_url=form_url, obj=obj)


class TreeMoveMixin:
    """Drag and drop in a tree changelist: never out of or into somewhere outside one's sections."""

    def changelist_view(self, request, *args, **kwargs):
        if request.method == "POST" and request.POST.get("cmd") == "move_node":
            refusal = self.move_refusal(request)
            if refusal is not None:
                return refusal
        return super().changelist_view(request, *args, **kwargs)

    def move_refusal(self, request):
        if get_scope(request.user) is None or not self.get_section_paths():
            return None
        queryset = self.get_queryset(request)
        try:
            node = queryset.get(pk=request.POST.get("cut_item"))
            target = queryset.get(pk=request.POST.get("pasted_on"))
        except (self.model.DoesNotExist, TypeError, ValueError):
            raise Http404(_("Not found.")) from None
        if not self.has_change_permission(request, node):
            raise PermissionDenied
        parent = target if request.POST.get("position") in ("last-child", "first-child") else target.parent
        if parent is None or not queryset.filter(pk=parent.pk).exists():
            self.message_user(request, _("You can only move items within your sections."), messages.ERROR)
            return HttpResponse("FAIL, outside your sections.", status=403)
        return None


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
                    if request.method == "POST" and response.status_code == 302:
                        set_comment(_("Restored the version of %(when)s.") % {"when": when})
                        return response
                    if hasattr(response, "render"):
                        response.template_name = self.revision_form_template
                        response.render()
                    raise _Rollback(response)
        except _Rollback as rollback:
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
