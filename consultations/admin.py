from django.contrib import admin
from django.db.models import Count
from django.utils.translation import gettext_lazy as _
from modeltranslation.admin import TranslationAdmin

from consultations.models import (
    ConsultationEvent,
    ConsultationSeries,
    ConsultationsOverview,
    EventDocument,
    Partner,
    SeriesDocument,
)
from iomsite.admin import PUBLISHING_FIELDSET, PublicationStateFilter, PublishableAdmin, state_badge


def searchable_in_admin(model):
    """True when ``model`` has an admin with search fields, which autocomplete widgets need."""
    return admin.site.is_registered(model) and bool(admin.site.get_model_admin(model).search_fields)


class YearFilter(admin.SimpleListFilter):
    title = _("year")
    parameter_name = "year"

    def lookups(self, request, model_admin):
        years = ConsultationEvent.objects.order_by("-year").values_list("year", flat=True).distinct()
        return [(str(year), str(year)) for year in years]

    def queryset(self, request, queryset):
        value = self.value()
        if value is None:
            return queryset
        if not (value.isascii() and value.isdigit() and len(value) == 4):
            return queryset.none()
        return queryset.filter(year=int(value))


@admin.register(Partner)
class PartnerAdmin(TranslationAdmin):
    list_display = ("name", "acronym", "url")
    search_fields = ("name", "name_en", "acronym")
    fields = ("name", "acronym", "url")


@admin.register(ConsultationsOverview)
class ConsultationsOverviewAdmin(PublishableAdmin):
    list_display = ("title", state_badge, "updated_at")
    search_fields = ("title", "body_text")
    fieldsets = (
        (
            None,
            {
                "fields": ("title", "summary", "body"),
                "description": _("The introduction at the top of the consultations section. There is only one."),
            },
        ),
        PUBLISHING_FIELDSET,
    )

    def has_add_permission(self, request):
        return not ConsultationsOverview.objects.exists() and super().has_add_permission(request)


class SeriesDocumentInline(admin.TabularInline):
    model = SeriesDocument
    fields = ("document", "sort_order")
    autocomplete_fields = ("document",)
    extra = 1
    verbose_name_plural = _("key documents (shown in this order: lower numbers first)")


@admin.register(ConsultationSeries)
class ConsultationSeriesAdmin(PublishableAdmin):
    list_display = ("title", "event_count", "sort_order", state_badge, "updated_at")
    list_editable = ("sort_order",)
    search_fields = ("title", "title_en", "slug", "summary")
    prepopulated_fields = {"slug": ("title",)}
    autocomplete_fields = ("partners",)
    inlines = (SeriesDocumentInline,)
    fieldsets = (
        (None, {"fields": ("title", "slug", "summary", "overview", "partners", "sort_order")}),
        PUBLISHING_FIELDSET,
    )

    def get_queryset(self, request):
        return super().get_queryset(request).annotate(num_events=Count("events"))

    @admin.display(description=_("events"), ordering="num_events")
    def event_count(self, obj):
        return obj.num_events


class EventDocumentInline(admin.TabularInline):
    model = EventDocument
    fields = ("document", "sort_order")
    autocomplete_fields = ("document",)
    extra = 1
    verbose_name_plural = _("key documents (shown in this order: lower numbers first)")


@admin.register(ConsultationEvent)
class ConsultationEventAdmin(PublishableAdmin):
    list_display = ("title", "dates", "location", "series", state_badge)
    list_filter = (PublicationStateFilter, "series", YearFilter, ("country", admin.RelatedOnlyFieldListFilter))
    list_select_related = ("series", "country")
    date_hierarchy = "start_date"
    search_fields = ("title", "title_en", "slug", "theme", "theme_en", "city", "summary", "country__title_en")
    prepopulated_fields = {"slug": ("title",)}
    # Raw id boxes until the regions and themes admins offer search; then autocomplete takes over.
    raw_id_fields = ("country", "themes")
    # Editors limited to sections of the site see the events of their countries and themes.
    inlines = (EventDocumentInline,)
    fieldsets = (
        (None, {"fields": ("series", "title", "slug", "theme", "summary")}),
        (
            _("Date and place"),
            {
                "fields": (("start_date", "end_date"), "city", "country"),
                "description": _("Leave the end date empty for a one-day event."),
            },
        ),
        (_("Page"), {"fields": ("body", "themes")}),
        PUBLISHING_FIELDSET,
    )

    def get_autocomplete_fields(self, request):
        fields = list(super().get_autocomplete_fields(request))
        for name in ("country", "themes"):
            if searchable_in_admin(ConsultationEvent._meta.get_field(name).related_model):
                fields.append(name)
        return fields

    @admin.display(description=_("date"), ordering="start_date")
    def dates(self, obj):
        return obj.dates_display

    @admin.display(description=_("location"), ordering="city")
    def location(self, obj):
        return obj.location
