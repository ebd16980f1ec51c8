"""The admin's forms under the workflow: choices within one's sections, stale forms, scheduling.

``WorkflowAdminMixin.get_form`` mixes ``WorkflowFormMixin`` into each admin form per
request; inline formsets get ``workflow_formset``.
"""

from django import forms
from django.contrib.admin.utils import quote
from django.contrib.admin.widgets import ForeignKeyRawIdWidget
from django.core.exceptions import FieldDoesNotExist
from django.db.models import Q
from django.urls import reverse
from django.utils import timezone
from django.utils.html import format_html
from django.utils.translation import gettext as _

from iomsite import content
from iomsite.models import PublishableModel, Status
from iomsite.workflow.publishing import PUBLISHING_FIELDS
from iomsite.workflow.sections import get_scope, section_field, tree_of

VERSION_FIELD = "_loaded_version"
SAVE_ANYWAY_FIELD = "_save_anyway"


def version_token(obj):
    """What the editor's form was loaded from: the object's last change time."""
    updated_at = getattr(obj, "updated_at", None)
    return updated_at.isoformat() if updated_at else ""


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
    field = section_field(model)
    if field:
        return scope.member_q(field, choosing=True)
    tree = tree_of(model)
    if tree is not None:
        return scope.choice_q(tree)
    paths = content.section_paths(model)
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
        for name_of_check in getattr(model, "choice_validators", ()):
            if not isinstance(field, forms.ModelMultipleChoiceField):
                field.validators.append(getattr(model, name_of_check))  # e.g. an image needs its alt text
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
        scope = get_scope(self.workflow_request.user)
        paths = content.section_paths(self.instance)
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
