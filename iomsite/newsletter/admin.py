import csv

from django.contrib import admin, messages
from django.core.exceptions import PermissionDenied
from django.http import StreamingHttpResponse
from django.urls import path
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext

from iomsite.newsletter.models import Subscriber
from iomsite.spreadsheets import spreadsheet_cell

CSV_HEADER = ("email", "language", "topics", "confirmed_at")


class _Echo:
    def write(self, value):
        return value


def confirmed_csv_response(queryset):
    """Stream the confirmed subscribers of ``queryset`` as CSV (UTF-8 with a BOM, for Excel)."""
    rows = queryset.confirmed().order_by("email").values_list("email", "language", "topics", "confirmed_at")
    writer = csv.writer(_Echo())

    def lines():
        yield "\ufeff" + writer.writerow(CSV_HEADER)
        for email, language, topics, confirmed_at in rows.iterator(chunk_size=2000):
            when = timezone.localtime(confirmed_at).isoformat(timespec="seconds") if confirmed_at else ""
            yield writer.writerow([spreadsheet_cell(email), language, " ".join(topics or []), when])

    filename = f"newsletter-subscribers-{timezone.localdate():%Y-%m-%d}.csv"
    response = StreamingHttpResponse(lines(), content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    return response


@admin.register(Subscriber)
class SubscriberAdmin(admin.ModelAdmin):
    """Read-only records of consent: they come from the double opt-in, never from typing."""

    list_display = ("email", "language", "status", "created_at", "confirmed_at", "unsubscribed_at")
    list_filter = ("status", "language")
    search_fields = ("email",)
    date_hierarchy = "created_at"
    readonly_fields = ("email", "language", "topics_list", "status", "created_at", "confirmed_at", "unsubscribed_at")
    fields = readonly_fields
    actions = ("export_confirmed", "unsubscribe_selected")
    change_list_template = "newsletter/admin/change_list.html"
    list_per_page = 100

    @admin.display(description=_("topics"))
    def topics_list(self, obj):
        return ", ".join(obj.topics or []) or _("All topics")

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        # The change page is a read-only record; list actions still need the change permission.
        if obj is not None:
            return False
        return super().has_change_permission(request, obj)

    def get_urls(self):
        export = self.admin_site.admin_view(self.export_view)
        return [path("export/", export, name="newsletter_subscriber_export"), *super().get_urls()]

    def export_view(self, request):
        if not self.has_view_permission(request):
            raise PermissionDenied
        return confirmed_csv_response(Subscriber.objects.all())

    @admin.action(description=_("Export confirmed subscribers as CSV"), permissions=["view"])
    def export_confirmed(self, request, queryset):
        return confirmed_csv_response(queryset)

    @admin.action(description=_("Unsubscribe selected subscribers"), permissions=["change"])
    def unsubscribe_selected(self, request, queryset):
        changed = 0
        for subscriber in queryset.exclude(status=Subscriber.Status.UNSUBSCRIBED):
            subscriber.unsubscribe()
            changed += 1
        self.message_user(
            request,
            ngettext("%(count)d subscriber unsubscribed.", "%(count)d subscribers unsubscribed.", changed)
            % {"count": changed},
            messages.SUCCESS,
        )
