import csv

from django.contrib import admin, messages
from django.db.models import Count
from django.http import HttpResponse
from django.urls import reverse
from django.utils import timezone
from django.utils.html import format_html, format_html_join
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext
from modeltranslation.admin import TranslationAdmin

from consultations import registration as registrations
from consultations.models import (
    ConsultationEvent,
    ConsultationSeries,
    ConsultationsOverview,
    EventDocument,
    Partner,
    Registration,
    SeriesDocument,
)
from iomsite.admin import PUBLISHING_FIELDSET, STATE_LABELS, PublicationStateFilter, PublishableAdmin, state_badge
from iomsite.spreadsheets import spreadsheet_cell
from iomsite.workflow.scoped import WorkflowAdminMixin


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
    readonly_fields = (*PublishableAdmin.readonly_fields, "event_list")
    fieldsets = (
        (None, {"fields": ("title", "slug", "summary", "overview", "partners", "sort_order")}),
        (_("Events"), {"fields": ("event_list",)}),
        PUBLISHING_FIELDSET,
    )

    def get_queryset(self, request):
        return super().get_queryset(request).annotate(num_events=Count("events"))

    def get_object(self, request, object_id, from_field=None):
        obj = super().get_object(request, object_id, from_field)
        if obj is not None:
            obj._admin_request = request  # the event list shows only the events this user may see
        return obj

    @admin.display(description=_("events of this series"))
    def event_list(self, obj):
        """The series' events the user may see (their sections), newest first, with state and form link (one query)."""
        add = reverse("admin:consultations_consultationevent_add")
        request = getattr(obj, "_admin_request", None)
        if not obj or not obj.pk or request is None:
            return _("Save the series first, then add its events.")
        events = obj.events.order_by("-start_date", "-pk").only(
            "title", "start_date", "end_date", "status", "publish_at", "unpublish_at", "series_id"
        )
        event_admin = self.admin_site._registry.get(ConsultationEvent)
        if event_admin is None or not event_admin.has_view_or_change_permission(request):
            return _("You may not see the events.")
        events = event_admin.scope_filter(request, events, choosing=False)
        rows = format_html_join(
            "",
            '<li><a href="{}">{}</a> <span class="state-badge state-{}">{}</span></li>',
            (
                (
                    reverse("admin:consultations_consultationevent_change", args=[event.pk]),
                    str(event),
                    event.publication_state,
                    STATE_LABELS[event.publication_state],
                )
                for event in events
            ),
        )
        add_link = format_html('<p><a class="button" href="{}?series={}">{}</a></p>', add, obj.pk, _("Add an event"))
        if not rows:
            return format_html("<p>{}</p>{}", _("No events yet."), add_link)
        return format_html('<ul class="series-events">{}</ul>{}', rows, add_link)

    @admin.display(description=_("events"), ordering="num_events")
    def event_count(self, obj):
        return obj.num_events


class StageFilter(admin.SimpleListFilter):
    """For editors: concluded events still waiting for their report."""

    title = _("follow-up")
    parameter_name = "followup"

    def lookups(self, request, model_admin):
        return [("no_report", _("Concluded without a report"))]

    def queryset(self, request, queryset):
        if self.value() == "no_report":
            return queryset.concluded_without_report()
        if self.value() is not None:
            return queryset.none()
        return queryset


class EventDocumentInline(admin.TabularInline):
    model = EventDocument
    fields = ("document", "role", "sort_order")
    autocomplete_fields = ("document",)
    extra = 1
    verbose_name_plural = _("key documents (shown in this order: lower numbers first)")


@admin.register(ConsultationEvent)
class ConsultationEventAdmin(PublishableAdmin):
    list_display = ("title", "dates", "location", "series", "stage", "places", state_badge)
    list_filter = (
        PublicationStateFilter,
        StageFilter,
        "series",
        YearFilter,
        ("country", admin.RelatedOnlyFieldListFilter),
    )
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
                "fields": (("start_date", "end_date"), "time_zone", "city", "country", "cancelled"),
                "description": _("Leave the end date empty for a one-day event."),
            },
        ),
        (
            _("Online participation"),
            {"fields": ("attendance", "meeting_url"), "classes": ("collapse",)},
        ),
        (
            _("Registration"),
            {
                "fields": (
                    "registration_enabled",
                    ("registration_opens_at", "registration_closes_at"),
                    ("capacity", "waiting_list"),
                    ("ask_organisation", "ask_country", "ask_accessibility"),
                ),
                "description": _(
                    "Registrants confirm by e-mail. The name and e-mail address are always asked; "
                    "their personal data is erased some time after the event."
                ),
                "classes": ("collapse",),
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

    @admin.display(description=_("stage"))
    def stage(self, obj):
        return obj.lifecycle.label

    @admin.display(description=_("registrations"))
    def places(self, obj):
        """Confirmed registrations (of the places), linked to the list of the event's registrations."""
        if not obj.registration_enabled and not obj.places_taken:
            return "-"
        text = f"{obj.places_taken}/{obj.capacity}" if obj.capacity is not None else str(obj.places_taken)
        url = reverse("admin:consultations_registration_changelist") + f"?event__id__exact={obj.pk}"
        return format_html('<a href="{}">{}</a>', url, text)

    def get_queryset(self, request):
        return super().get_queryset(request).with_places()


CSV_COLUMNS = (
    ("event", _("Event")),
    ("status", _("Status")),
    ("name", _("Name")),
    ("organisation", _("Organisation")),
    ("email", _("E-mail address")),
    ("country", _("Country")),
    ("accessibility_needs", _("Accessibility needs")),
    ("language", _("Language")),
    ("created_at", _("Registered")),
    ("confirmed_at", _("Confirmed")),
)


@admin.register(Registration)
class RegistrationAdmin(WorkflowAdminMixin, admin.ModelAdmin):
    """Registrations as the organisers see them: who, for what, where they stand; CSV for the organisers."""

    list_display = ("name", "email", "organisation", "event", "status", "created_at")
    list_filter = ("status", ("event", admin.RelatedOnlyFieldListFilter))
    list_select_related = ("event__series", "country")
    search_fields = ("name", "email", "organisation", "event__title_en")
    date_hierarchy = "created_at"
    readonly_fields = (
        "event",
        "name",
        "organisation",
        "email",
        "country",
        "accessibility_needs",
        "language",
        "status",
        "created_at",
        "confirmed_at",
        "cancelled_at",
        "reminded_at",
        "purged_at",
    )
    fields = readonly_fields
    actions = ("export_csv", "cancel_registrations")

    def has_add_permission(self, request):
        return False  # people register themselves, through the double opt-in

    def has_change_permission(self, request, obj=None):
        return False

    @admin.action(description=_("Download the selected registrations as CSV"), permissions=["view"])
    def export_csv(self, request, queryset):
        response = HttpResponse(content_type="text/csv; charset=utf-8")
        stamp = timezone.localtime().strftime("%Y%m%d-%H%M")
        response["Content-Disposition"] = f'attachment; filename="registrations-{stamp}.csv"'
        response.write("\ufeff")  # so spreadsheet programs read UTF-8
        writer = csv.writer(response)
        writer.writerow([str(label) for _name, label in CSV_COLUMNS])
        for row in queryset.select_related("event__series", "country").order_by("event", "created_at", "pk"):
            values = {
                "event": str(row.event),
                "status": row.get_status_display(),
                "country": row.country.title if row.country_id else "",
                "created_at": timezone.localtime(row.created_at).strftime("%Y-%m-%d %H:%M"),
                "confirmed_at": timezone.localtime(row.confirmed_at).strftime("%Y-%m-%d %H:%M")
                if row.confirmed_at
                else "",
            }
            writer.writerow([spreadsheet_cell(values.get(name, getattr(row, name))) for name, _label in CSV_COLUMNS])
        return response

    @admin.action(description=_("Cancel the selected registrations (they are told by e-mail)"), permissions=["delete"])
    def cancel_registrations(self, request, queryset):
        cancelled = 0
        for row in queryset.exclude(status=Registration.Status.CANCELLED):
            registrations.cancel(row)
            cancelled += 1
        message = ngettext("%(count)d registration cancelled.", "%(count)d registrations cancelled.", cancelled)
        self.message_user(request, message % {"count": cancelled}, messages.SUCCESS)
