"""Sections on every admin path: 404 for what one may not see, choices and moves inside one's sections.

``iomsite.admin.PublishableAdmin`` combines these with publishing rights and history;
apps inherit them from there. Section paths come from the seam (``iomsite.content``).
"""

from django.contrib import messages
from django.contrib.admin import SimpleListFilter
from django.contrib.admin.options import IS_POPUP_VAR, TO_FIELD_VAR
from django.contrib.admin.widgets import url_params_from_lookup_dict
from django.core.exceptions import FieldDoesNotExist, PermissionDenied
from django.http import Http404, HttpResponse
from django.utils.translation import gettext as _

from iomsite import content
from iomsite.workflow.drafting import PartDraftAdminMixin
from iomsite.workflow.forms import VERSION_FIELD, WorkflowFormMixin, version_token, workflow_formset
from iomsite.workflow.publishing import can_publish
from iomsite.workflow.sections import get_scope, protected_roots, section_field, tree_of


class WorkflowAdminMixin(PartDraftAdminMixin):
    """Sections on every admin path, 404 for what one may not see, query strings on declared filters only.

    The paths from the model to the section trees are the seam's (``Content.sections``).
    """

    def get_section_paths(self):
        field = section_field(self.model)
        return {"section": field} if field else content.section_paths(self.model)

    def scope_filter(self, request, queryset, choosing=None):
        scope = get_scope(request.user)
        if scope is None:
            return queryset
        tree = tree_of(self.model)
        if choosing is None:
            choosing = self._choosing(request)
        field = section_field(self.model)
        if field:
            return queryset.filter(scope.member_q(field, choosing))
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

    def get_deleted_objects(self, objs, request):
        """A section's root counts as protected on the confirmation page, as a protected foreign key would."""
        deleted, model_count, perms_needed, protected = super().get_deleted_objects(objs, request)
        sections = protected_roots(self.model, list(objs))
        if sections:
            protected = [*protected, *(_("Section: %(name)s") % {"name": section} for section in sections)]
        return deleted, model_count, perms_needed, protected

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
