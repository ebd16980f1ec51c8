"""The admin site every ModelAdmin is registered on, and the guards that hold for all of them.

``IomsiteAdminSite`` is Django's default site here (``IomsiteAdminConfig.default_site``), so
``admin.site`` and ``@admin.register`` are unchanged for apps and third-party packages. Every
admin registered on it gets ``HardenedAdminMixin`` in front of its own class (and its inlines
get ``HardenedInlineMixin``), so no admin (ours, Django's user and group admins, axes',
django-otp's) can forget them. "Never a 500" holds for staff too:

- Query-string lookups only on the admin's declared list filters and date hierarchy, and
  only with the lookups those filters use: ``?title__regex=^(a+)+$`` held a worker for
  seconds on SQLite and ``?title__regex=(`` was a database error on PostgreSQL.
- A NUL byte anywhere in an admin URL's query string is a 400 (PostgreSQL refuses NUL in
  text, so a filter or autocomplete term holding one was a 500).
- Autocomplete widgets ignore posted values that are not valid keys (Django renders the
  form again with the posted value and looked it up as given: a ValueError), and
  many-to-many fields refuse them before querying (SQLite overflows on a huge integer).
"""

from functools import update_wrapper

from django.contrib import admin
from django.contrib.admin.apps import AdminConfig
from django.contrib.admin.filters import SimpleListFilter
from django.contrib.admin.widgets import AutocompleteSelect, AutocompleteSelectMultiple, url_params_from_lookup_dict
from django.core.exceptions import BadRequest, FieldDoesNotExist, ValidationError
from django.db.models.constants import LOOKUP_SEP
from django.forms import ModelMultipleChoiceField
from js_asset import Media

# What Django's and mptt's list filters and the date hierarchy put in query strings.
FILTER_LOOKUPS = {"exact", "iexact", "in", "isnull", "gt", "gte", "lt", "lte", "year", "month", "day", "inhierarchy"}


def refuse_nul(request):
    for key, values in request.GET.lists():
        if "\x00" in key or any("\x00" in value for value in values):
            raise BadRequest("NUL byte in the query string.")


class SafeAutocompleteMixin:
    def optgroups(self, name, value, attr=None):
        target = self.field.remote_field.model._meta
        key = target.get_field(getattr(self.field.remote_field, "field_name", target.pk.attname))
        valid = []
        for item in value:
            if item is None or "\x00" in str(item):
                continue
            try:
                key.run_validators(key.to_python(item))  # the range too: 10**30 is no key either
            except (ValidationError, ValueError, TypeError):
                continue  # the form says "Select a valid choice"; there is nothing to show for it
            valid.append(item)
        return super().optgroups(name, valid, attr)


class SafeAutocompleteSelect(SafeAutocompleteMixin, AutocompleteSelect):
    pass


class SafeAutocompleteSelectMultiple(SafeAutocompleteMixin, AutocompleteSelectMultiple):
    pass


class SafeKeysMixin:
    """A multiple-choice field that refuses values that are no valid key before querying with them.

    Django's own looks them up with ``pk__in``, and SQLite cannot take an integer over 64 bits.
    """

    def _check_values(self, value):
        if isinstance(value, (list, tuple)):
            model = self.queryset.model
            key = model._meta.get_field(self.to_field_name) if self.to_field_name else model._meta.pk
            for item in value:
                try:
                    key.run_validators(key.to_python(item))
                except (ValidationError, ValueError, TypeError):
                    raise ValidationError(
                        self.error_messages["invalid_pk_value"], code="invalid_pk_value", params={"pk": item}
                    ) from None
        return super()._check_values(value)


_safe_fields = {}


def with_safe_keys(formfield):
    if isinstance(formfield, ModelMultipleChoiceField) and not isinstance(formfield, SafeKeysMixin):
        cls = type(formfield)
        if cls not in _safe_fields:
            _safe_fields[cls] = type(cls.__name__, (SafeKeysMixin, cls), {"__module__": cls.__module__})
        formfield.__class__ = _safe_fields[cls]
    return formfield


class SafeWidgetsMixin:
    """For model admins and inlines alike: relation fields that survive a forged value."""

    def formfield_for_foreignkey(self, db_field, request, **kwargs):
        if "widget" not in kwargs and db_field.name in self.get_autocomplete_fields(request):
            kwargs["widget"] = SafeAutocompleteSelect(db_field, self.admin_site, using=kwargs.get("using"))
        return super().formfield_for_foreignkey(db_field, request, **kwargs)

    def formfield_for_manytomany(self, db_field, request, **kwargs):
        if "widget" not in kwargs and db_field.name in self.get_autocomplete_fields(request):
            kwargs["widget"] = SafeAutocompleteSelectMultiple(db_field, self.admin_site, using=kwargs.get("using"))
        return with_safe_keys(super().formfield_for_manytomany(db_field, request, **kwargs))


class HardenedInlineMixin(SafeWidgetsMixin):
    pass


class HardenedAdminMixin(SafeWidgetsMixin):
    """What every admin of the site does, whatever else it does."""

    def lookup_allowed(self, lookup, value, request=None):
        """Query-string filters only on the declared list filters and date hierarchy, with their lookups."""
        for fk_lookup in self.model._meta.related_fkey_lookups:
            if callable(fk_lookup):
                fk_lookup = fk_lookup()
            if (lookup, value) in url_params_from_lookup_dict(fk_lookup).items():
                return True  # a raw-id popup carrying the field's limit_choices_to
        list_filter = self.get_list_filter(request) if request is not None else self.list_filter
        if any(isinstance(item, type) and issubclass(item, SimpleListFilter) and lookup == item.parameter_name
               for item in list_filter):  # fmt: skip
            return True  # a list filter's own parameter ("state", "year"): it reads the value itself
        parts = lookup.split(LOOKUP_SEP)
        try:
            self.model._meta.get_field(parts[0])
        except FieldDoesNotExist:
            # Nothing the changelist will accept: it answers with its own error page.
            return super().lookup_allowed(lookup, value, request)
        if not self._declared_filter_path(lookup, request):
            return False
        if not self._uses_filter_lookups(parts):
            return False
        return super().lookup_allowed(lookup, value, request)

    def _declared_filter_path(self, lookup, request):
        declared = [self.date_hierarchy] if self.date_hierarchy else []
        list_filter = self.get_list_filter(request) if request is not None else self.list_filter
        for item in list_filter:
            if isinstance(item, type) and issubclass(item, SimpleListFilter):
                continue  # its parameter is not a field
            declared.append(item[0] if isinstance(item, (list, tuple)) else item)
        return any(
            isinstance(name, str) and (lookup == name or lookup.startswith(name + LOOKUP_SEP)) for name in declared
        )

    def _uses_filter_lookups(self, parts):
        """Every part after the fields is one of the lookups list filters use (no regex, no transforms)."""
        model = self.model
        for index, part in enumerate(parts):
            try:
                field = model._meta.get_field(part)
            except FieldDoesNotExist:
                return all(rest in FILTER_LOOKUPS for rest in parts[index:]) and len(parts) - index == 1
            if not field.is_relation:
                rest = parts[index + 1 :]
                return len(rest) <= 1 and all(name in FILTER_LOOKUPS for name in rest)
            model = field.related_model
        return True

    def get_inlines(self, request, obj):
        return [hardened_inline(inline) for inline in super().get_inlines(request, obj)]

    def render_change_form(self, request, context, *args, **kwargs):
        # The rich-text editor's import map is an inline script: it runs under the CSP
        # only with this response's nonce (django-csp adds it to the header once read).
        media = context.get("media")
        if media is not None:
            context["media"] = Media.from_media(media, nonce=request.csp_nonce)
        return super().render_change_form(request, context, *args, **kwargs)


def _with_mixin(mixin, cls):
    if issubclass(cls, mixin):
        return cls
    return type(cls.__name__, (mixin, cls), {"__module__": cls.__module__, "__qualname__": cls.__qualname__})


_inlines = {}


def hardened_inline(inline_class):
    if inline_class not in _inlines:
        _inlines[inline_class] = _with_mixin(HardenedInlineMixin, inline_class)
    return _inlines[inline_class]


def hardened(admin_class):
    """``admin_class`` with ``HardenedAdminMixin`` first in its bases (the same class if it has it)."""
    return _with_mixin(HardenedAdminMixin, admin_class)


class IomsiteAdminSite(admin.AdminSite):
    def register(self, model_or_iterable, admin_class=None, **options):
        super().register(model_or_iterable, hardened(admin_class or admin.ModelAdmin), **options)

    def admin_view(self, view, cacheable=False):
        inner = super().admin_view(view, cacheable)

        def guarded(request, *args, **kwargs):
            refuse_nul(request)
            return inner(request, *args, **kwargs)

        return update_wrapper(guarded, inner)


class IomsiteAdminConfig(AdminConfig):
    default_site = "iomsite.adminsite.IomsiteAdminSite"
