"""Build the POST an admin change form would send, from the form the admin rendered."""

import datetime

from django.forms import CheckboxInput, MultiWidget


def _widget_data(name, widget, value):
    inner = getattr(widget, "widget", widget)  # RelatedFieldWidgetWrapper
    if isinstance(inner, MultiWidget):
        values = value if isinstance(value, (list, tuple)) else inner.decompress(value)
        data = {}
        for suffix, sub_widget, sub_value in zip(inner.widgets_names, inner.widgets, values, strict=False):
            data.update(_widget_data(f"{name}{suffix}", sub_widget, sub_value))
        return data
    if isinstance(inner, CheckboxInput):
        return {name: "on"} if value else {}
    if value is None:
        return {} if getattr(inner, "allow_multiple_selected", False) else {name: ""}
    if isinstance(value, (list, tuple)):
        return {name: [str(getattr(item, "pk", item)) for item in value]}
    if isinstance(value, (datetime.date, datetime.time)):
        return {name: inner.format_value(value)}
    return {name: str(value)}


def _form_data(form):
    data = {}
    for bound in form:
        if bound.field.disabled:
            continue
        data.update(_widget_data(bound.html_name, bound.field.widget, bound.value()))
    return data


def form_data(response, **changes):
    """The data the change form in ``response`` would post, with ``changes`` applied."""
    context = response.context
    data = _form_data(context["adminform"].form)
    for inline in context["inline_admin_formsets"]:
        formset = inline.formset
        data.update(_form_data(formset.management_form))
        for form in formset.forms:
            data.update(_form_data(form))
    if "_loaded_version" in response.content.decode():
        data["_loaded_version"] = context["workflow_version"]
    data.update(changes)
    return {key: value for key, value in data.items() if value is not None}


def change_url(obj):
    opts = obj._meta
    return f"/admin/{opts.app_label}/{opts.model_name}/{obj.pk}/change/"


def admin_url(obj, view):
    opts = obj._meta
    return f"/admin/{opts.app_label}/{opts.model_name}/{obj.pk}/{view}/"


def changelist_url(model):
    opts = model._meta
    return f"/admin/{opts.app_label}/{opts.model_name}/"
