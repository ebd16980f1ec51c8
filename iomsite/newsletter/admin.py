import csv

from django import forms
from django.contrib import admin, messages
from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpResponse, StreamingHttpResponse
from django.shortcuts import get_object_or_404, redirect
from django.urls import path, reverse
from django.utils import timezone
from django.utils.decorators import method_decorator
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext
from django.views.decorators.http import require_POST

from iomsite import content
from iomsite.newsletter.forms import topic_choices
from iomsite.newsletter.models import Issue, IssueItem, Subscriber
from iomsite.newsletter.sending import add_suggestions, preview, send_test, start_sending
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


# Issues ------------------------------------------------------------------------------------


class IssueItemForm(forms.ModelForm):
    class Meta:
        model = IssueItem
        fields = ("content_type", "object_id", "note", "sort_order")

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        models = [item.model for item in content.publishable_models() if item.shape == "list" and not item.part_of]
        types = ContentType.objects.get_for_models(*models).values()
        self.fields["content_type"].queryset = ContentType.objects.filter(pk__in=[t.pk for t in types])

    def clean(self):
        data = super().clean()
        content_type, object_id = data.get("content_type"), data.get("object_id")
        if content_type and object_id:
            model = content_type.model_class()
            if not model._default_manager.published().filter(pk=object_id).exists():
                raise forms.ValidationError(_("There is no published item of this type with this number."))
        return data


class IssueItemInline(admin.TabularInline):
    model = IssueItem
    form = IssueItemForm
    fields = ("content_type", "object_id", "title", "note", "sort_order")
    readonly_fields = ("title",)
    extra = 0
    verbose_name_plural = _("items (lower numbers first; “Add suggestions” fills this list from recent content)")

    @admin.display(description=_("title"))
    def title(self, obj):
        if not obj.pk:
            return "-"
        target = obj.content_type.get_object_for_this_type(pk=obj.object_id) if obj.content_type_id else None
        return str(getattr(target, "title", target)) if target else _("(no longer exists)")


class IssueForm(forms.ModelForm):
    topics = forms.MultipleChoiceField(
        label=_("topics"),
        required=False,
        widget=forms.CheckboxSelectMultiple,
        help_text=Issue._meta.get_field("topics").help_text,
    )

    class Meta:
        model = Issue
        fields = ("subject", "language", "topics", "introduction")

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        if "topics" in self.fields:  # not once the issue is sent (read-only)
            self.fields["topics"].choices = topic_choices()


@admin.register(Issue)
class IssueAdmin(admin.ModelAdmin):
    """Compose, preview, test and send an issue; its progress and send log once sending."""

    list_display = ("subject", "language", "status", "created_at", "sent_at", "progress_summary")
    list_filter = ("status", "language")
    search_fields = ("subject",)
    inlines = (IssueItemInline,)
    form = IssueForm
    fields = ("subject", "language", "topics", "introduction")
    change_form_template = "newsletter/admin/issue_change_form.html"

    def get_readonly_fields(self, request, obj=None):
        if obj is not None and obj.status != Issue.Status.DRAFT:
            return self.fields  # sent as it was
        return ()

    def has_delete_permission(self, request, obj=None):
        return (obj is None or obj.status == Issue.Status.DRAFT) and super().has_delete_permission(request, obj)

    def save_model(self, request, obj, form, change):
        if not change:
            obj.created_by = request.user
        super().save_model(request, obj, form, change)

    def get_inline_instances(self, request, obj=None):
        if obj is not None and obj.status != Issue.Status.DRAFT:
            return []
        return super().get_inline_instances(request, obj)

    @admin.display(description=_("progress"))
    def progress_summary(self, obj):
        if obj.status == Issue.Status.DRAFT:
            return "-"
        counts = obj.progress()
        return _("%(sent)d sent, %(pending)d to send, %(skipped)d skipped, %(failed)d failed") % counts

    def get_urls(self):
        def wrap(view):
            return self.admin_site.admin_view(view)

        return [
            path("<int:pk>/preview/<str:kind>/", wrap(self.preview_view), name="newsletter_issue_preview"),
            path("<int:pk>/suggest/", wrap(self.suggest_view), name="newsletter_issue_suggest"),
            path("<int:pk>/test/", wrap(self.test_view), name="newsletter_issue_test"),
            path("<int:pk>/send/", wrap(self.send_view), name="newsletter_issue_send"),
            *super().get_urls(),
        ]

    def _issue(self, request, pk, change=False):
        issue = get_object_or_404(Issue, pk=pk)
        allowed = self.has_change_permission(request, issue) if change else self.has_view_permission(request, issue)
        if not allowed:
            raise PermissionDenied
        return issue

    def _back(self, issue):
        return redirect(reverse("admin:newsletter_issue_change", args=[issue.pk]))

    def preview_view(self, request, pk, kind):
        """The e-mail as a subscriber receives it: ``html`` or ``text``."""
        issue = self._issue(request, pk)
        subject, html, text = preview(issue)
        if kind == "html":
            response = HttpResponse(html, content_type="text/html; charset=utf-8")
            # The preview is our own template; it may not run scripts or be framed elsewhere.
            response["Content-Security-Policy"] = "default-src 'none'; style-src 'unsafe-inline'; img-src *"
            return response
        if kind == "text":
            return HttpResponse(f"Subject: {subject}\n\n{text}", content_type="text/plain; charset=utf-8")
        raise Http404

    @method_decorator(require_POST)
    def suggest_view(self, request, pk):
        issue = self._issue(request, pk, change=True)
        if issue.status != Issue.Status.DRAFT:
            raise PermissionDenied
        added = add_suggestions(issue)
        message = ngettext("%(count)d item suggested.", "%(count)d items suggested.", added) % {"count": added}
        self.message_user(request, message if added else _("No recent content matches."), messages.INFO)
        return self._back(issue)

    @method_decorator(require_POST)
    def test_view(self, request, pk):
        issue = self._issue(request, pk)
        if not request.user.email:
            self.message_user(request, _("Your account has no e-mail address for the test."), messages.ERROR)
            return self._back(issue)
        send_test(issue, request.user.email)
        self.message_user(request, _("A test is on its way to %(email)s.") % {"email": request.user.email})
        return self._back(issue)

    @method_decorator(require_POST)
    def send_view(self, request, pk):
        issue = self._issue(request, pk, change=True)
        if not request.user.has_perm("newsletter.send_issue"):
            raise PermissionDenied
        if start_sending(issue, request.user):
            count = issue.deliveries.count()
            message = ngettext(
                "Sending to %(count)d subscriber has started.", "Sending to %(count)d subscribers has started.", count
            )
            self.message_user(request, message % {"count": count}, messages.SUCCESS)
        else:
            self.message_user(request, _("This issue has already been sent."), messages.WARNING)
        return self._back(issue)

    def change_view(self, request, object_id, form_url="", extra_context=None):
        extra_context = extra_context or {}
        issue = Issue.objects.filter(pk=object_id).first() if str(object_id).isdigit() else None
        if issue is not None:
            extra_context.update(
                {
                    "issue": issue,
                    "progress": issue.progress(),
                    "can_send": request.user.has_perm("newsletter.send_issue"),
                    "log": issue.deliveries.select_related("subscriber").order_by("-sent_at", "-pk")[:50],
                }
            )
        return super().change_view(request, object_id, form_url, extra_context)
