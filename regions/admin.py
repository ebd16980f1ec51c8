from django import http
from django.contrib import admin, messages
from django.core.exceptions import ValidationError
from django.forms.models import BaseInlineFormSet
from django.utils.translation import gettext_lazy as _
from modeltranslation.admin import TranslationStackedInline, TranslationTabularInline

from iomsite.admin import (
    PUBLISHING_FIELDSET,
    PublicationStateFilter,
    PublishableAdmin,
    PublishableTreeAdmin,
    state_badge,
)
from iomsite.models import Status
from regions.models import KeyFigure, Office, Region, Trend

PUBLISH_BUTTONS = ("_publish", "_schedule")


class KeyFigureFormSet(BaseInlineFormSet):
    """A published region shows every figure with its year and source: refuse to publish without them."""

    def clean(self):
        super().clean()
        # Saved as published, or sent with a Publish/Schedule button: the figures must be complete.
        publishing = self.instance.status == Status.PUBLISHED or any(key in self.data for key in PUBLISH_BUTTONS)
        if not publishing:
            return
        missing = 0
        for form in self.forms:
            if not getattr(form, "cleaned_data", None) or self._should_delete_form(form):
                continue
            figure = form.instance
            if figure.year is None:
                form.add_error("year", _("Give the year before publishing."))
                missing += 1
            if not (figure.source or "").strip():
                source_field = "source_en" if "source_en" in form.fields else "source"
                form.add_error(source_field, _("Give the source before publishing."))
                missing += 1
        if missing:
            raise ValidationError(
                _(
                    "Every key figure needs a year and a source before the region can be published. "
                    "Add them, or save the region as a draft."
                )
            )


class KeyFigureInline(TranslationTabularInline):
    model = KeyFigure
    formset = KeyFigureFormSet
    extra = 0
    fields = ("sort_order", "label", "value", "unit", "currency_code", "year", "source", "source_url")
    ordering = ("sort_order", "pk")


class TrendInline(TranslationStackedInline):
    model = Trend
    extra = 0
    fields = ("sort_order", "heading", "body")
    ordering = ("sort_order", "pk")


class OfficeInline(TranslationStackedInline):
    model = Office
    fk_name = "country"
    extra = 0
    fields = (("name", "slug"), ("kind", "sort_order"), "address", ("phone", "email"), "summary", "status")
    prepopulated_fields = {"slug": ("name",)}
    ordering = ("sort_order", "name")
    show_change_link = True


@admin.register(Region)
class RegionAdmin(PublishableTreeAdmin):
    list_display = ("tree_actions", "indented_title", "kind", "iso_code", state_badge, "updated_at")
    list_filter = ("kind", PublicationStateFilter)
    search_fields = ("title_en", "title_fr", "title_es", "iso_code", "slug")
    prepopulated_fields = {"slug": ("title",)}
    autocomplete_fields = ("documents",)
    readonly_fields = ("web_address", "updated_at", "updated_by")
    inlines = (KeyFigureInline, TrendInline, OfficeInline)
    fieldsets = (
        (None, {"fields": ("title", "slug", "kind", "parent", "iso_code", "web_address")}),
        (_("Overview"), {"fields": ("summary", "body")}),
        (_("Resources"), {"fields": ("documents",)}),
        PUBLISHING_FIELDSET,
    )

    @admin.display(description=_("web address"))
    def web_address(self, obj):
        return obj.get_absolute_url() if obj.pk else "-"

    def get_inlines(self, request, obj):
        # Offices belong to countries only.
        if obj is None or obj.kind != Region.Kind.COUNTRY:
            return (KeyFigureInline, TrendInline)
        return self.inlines

    def changelist_view(self, request, *args, **kwargs):
        if request.method == "POST" and request.POST.get("cmd") == "move_node":
            problem = self._move_problem(request)
            if problem:
                self.message_user(request, problem, level=messages.ERROR)
                return http.HttpResponse("FAIL, invalid move.")
        return super().changelist_view(request, *args, **kwargs)

    def _move_problem(self, request):
        """Check a drag-and-drop move against the tree's rules before mptt performs it."""
        queryset = self.get_queryset(request)
        try:
            node = queryset.get(pk=request.POST.get("cut_item"))
            target = queryset.get(pk=request.POST.get("pasted_on"))
        except (Region.DoesNotExist, TypeError, ValueError):
            return None  # mptt reports it
        parent = target if request.POST.get("position") == "last-child" else target.parent
        problem = node.placement_error(parent)
        if problem:
            return problem
        if parent is not None and parent.is_descendant_of(node, include_self=True):
            return None  # mptt refuses it with its own message
        new_path = f"{parent.path}/{node.slug}" if parent else node.slug
        if Region.objects.filter(path=new_path).exclude(pk=node.pk).exists():
            return _("Another place there already uses the slug “%(slug)s”.") % {"slug": node.slug}
        return None

    def publish_now(self, request, queryset):
        blocked = []
        ready = []
        for region in queryset.prefetch_related("figures"):
            (blocked if region.figures_missing_attribution() else ready).append(region)
        if blocked:
            names = ", ".join(str(region) for region in blocked)
            self.message_user(
                request,
                _("Not published, some key figures lack a year or a source: %(names)s.") % {"names": names},
                messages.ERROR,
            )
        if ready:
            super().publish_now(request, queryset.filter(pk__in=[region.pk for region in ready]))

    # The same label and the same permission as the action it narrows.
    publish_now.short_description = PublishableTreeAdmin.publish_now.short_description
    publish_now.allowed_permissions = getattr(PublishableTreeAdmin.publish_now, "allowed_permissions", ("change",))


@admin.register(Office)
class OfficeAdmin(PublishableAdmin):
    list_display = ("name", "kind", "country", "phone", state_badge, "updated_at")
    list_filter = ("kind", PublicationStateFilter)
    list_select_related = ("country",)
    search_fields = ("name_en", "name_fr", "name_es", "address", "country__title_en", "slug")
    prepopulated_fields = {"slug": ("name",)}
    autocomplete_fields = ("country",)
    fieldsets = (
        (None, {"fields": ("name", "slug", "kind", "country", "sort_order")}),
        (_("Contact"), {"fields": ("address", "phone", "email", "summary")}),
        PUBLISHING_FIELDSET,
    )

    def view_on_site(self, obj):
        return obj.get_absolute_url()
