from django import forms
from django.contrib import admin, messages
from django.core.exceptions import PermissionDenied
from django.db.models import Q
from django.http import HttpResponseRedirect
from django.template.defaultfilters import filesizeformat
from django.urls import path, reverse
from django.utils import timezone
from django.utils.html import format_html
from django.utils.http import urlencode
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext
from modeltranslation.admin import TranslationAdmin
from mptt.admin import DraggableMPTTAdmin
from reversion.admin import VersionAdmin

from iomsite.forms import MediaAdminForm
from iomsite.models import AbuseReport, Document, Image, MenuItem, NotFound, Page, Redirect, SiteSettings, Status
from iomsite.workflow.history import RevisionAdminMixin
from iomsite.workflow.publishing import PublishingAdminMixin
from iomsite.workflow.scoped import TreeMoveMixin, WorkflowAdminMixin

admin.site.site_header = _("IOM website administration")
admin.site.site_title = _("IOM website")
admin.site.index_title = _("Content")

PUBLISHING_FIELDSET = (
    _("Publishing"),
    {
        "fields": ("status", "publish_at", "unpublish_at"),
        "description": _(
            "New items are drafts. Publish now, or set a future time to schedule; "
            "set an unpublish time to take the item off the site later."
        ),
    },
)

STATE_LABELS = {
    "draft": _("Draft"),
    "scheduled": _("Scheduled"),
    "live": _("Live"),
    "expired": _("Expired"),
}


class PublicationStateFilter(admin.SimpleListFilter):
    title = _("publication state")
    parameter_name = "state"

    def lookups(self, request, model_admin):
        return list(STATE_LABELS.items())

    def queryset(self, request, queryset):
        now = timezone.now()
        published = Q(status=Status.PUBLISHED)
        ended = Q(unpublish_at__isnull=False, unpublish_at__lte=now)
        match self.value():
            case "draft":
                return queryset.exclude(published)
            case "scheduled":
                return queryset.filter(published, publish_at__gt=now)
            case "live":
                return queryset.published(now)
            case "expired":
                return queryset.filter(published, publish_at__lte=now).filter(ended)
        return queryset


@admin.display(description=_("state"))
def state_badge(obj):
    state = obj.publication_state
    return format_html('<span class="state-badge state-{}">{}</span>', state, STATE_LABELS[state])


class MissingTranslationsMixin:
    """A changelist column naming the languages whose title is not translated yet (no extra query)."""

    def get_list_display(self, request):
        return (*super().get_list_display(request), "missing_translations")

    @admin.display(description=_("translation missing"))
    def missing_translations(self, obj):
        from django.conf import settings
        from modeltranslation.translator import NotRegistered, translator

        try:
            fields = translator.get_options_for_model(type(obj)).fields
        except NotRegistered:
            return ""
        field = "title" if "title" in fields else next(iter(fields), None)
        if field is None:
            return ""
        missing = [
            code.upper()
            for code, _name in settings.LANGUAGES[1:]
            if not getattr(obj, f"{field}_{code.replace('-', '_')}", None)
        ]
        return ", ".join(missing) or "—"


class PublishableAdmin(
    MissingTranslationsMixin,
    PublishingAdminMixin,
    RevisionAdminMixin,
    WorkflowAdminMixin,
    TranslationAdmin,
    VersionAdmin,
):
    """The one admin base for visitor-facing models.

    State badges, filters, publishing rights (``workflow.publish_content``), preview,
    revisions with compare and restore, sections, and the stale-form check. Where an
    object belongs in the section trees is its app's declaration (``Content.sections``
    in ``iomsite.content``); see ``iomsite.workflow.sections``.
    """

    list_filter = (PublicationStateFilter,)
    readonly_fields = ("updated_at", "updated_by")
    save_on_top = True

    class Media:
        css = {"all": ("iomsite/admin.css",)}


@admin.register(Page)
class PageAdmin(PublishableAdmin):
    list_display = ("title", "slug", state_badge, "updated_at", "updated_by")
    list_select_related = ("updated_by",)
    search_fields = ("title", "summary", "body_text")
    prepopulated_fields = {"slug": ("title",)}
    fieldsets = (
        (None, {"fields": ("title", "slug", "summary", "body")}),
        PUBLISHING_FIELDSET,
    )


@admin.register(Image)
class ImageAdmin(TranslationAdmin):
    form = MediaAdminForm
    list_display = ("thumbnail", "title", "alt_text", "dimensions", "size", "created_at")
    search_fields = ("title", "alt_text", "caption", "credit")
    readonly_fields = ("preview", "dimensions", "size")
    fields = ("title", "file", "preview", "alt_text", "caption", "credit", "dimensions", "size")

    @admin.display(description=_("image"))
    def thumbnail(self, obj):
        if not obj.pk or not obj.width:
            return ""
        url, width, height = obj.renditions(max_width=320)[0]
        return format_html('<img src="{}" alt="" width="80" height="{}">', url, round(80 * height / width))

    @admin.display(description=_("preview"))
    def preview(self, obj):
        if not obj.pk or not obj.width:
            return "-"
        url, width, height = obj.renditions(max_width=640)[-1]
        return format_html('<img src="{}" alt="{}" width="{}" height="{}">', url, obj.alt_text, width, height)

    @admin.display(description=_("dimensions"))
    def dimensions(self, obj):
        return f"{obj.width} × {obj.height}" if obj.width else "-"

    @admin.display(description=_("size"))
    def size(self, obj):
        return filesizeformat(obj.file_size) if obj.file_size else "-"


@admin.register(Document)
class DocumentAdmin(admin.ModelAdmin):
    form = MediaAdminForm
    list_display = ("title", "kind", "language", "size", "created_at")
    list_filter = ("kind", "language")
    search_fields = ("title",)
    readonly_fields = ("kind", "size", "download")
    fields = ("title", "language", "file", "kind", "size", "download")

    @admin.display(description=_("size"))
    def size(self, obj):
        return filesizeformat(obj.file_size) if obj.file_size else "-"

    @admin.display(description=_("download"))
    def download(self, obj):
        if not obj.pk:
            return "-"
        return format_html('<a href="{}">{}</a>', obj.get_absolute_url(), obj.download_name)


@admin.register(MenuItem)
class MenuItemAdmin(TreeMoveMixin, WorkflowAdminMixin, TranslationAdmin, DraggableMPTTAdmin):
    list_display = ("tree_actions", "indented_title", "menu", "link", "is_active")
    list_display_links = ("indented_title",)
    list_filter = ("menu", "is_active")
    search_fields = ("title", "url")
    autocomplete_fields = ("page",)
    fields = ("menu", "parent", "title", "url", "page", "is_active")

    @admin.display(description=_("link"))
    def link(self, obj):
        return obj.get_url()

    def get_queryset(self, request):
        return super().get_queryset(request).select_related("page")


@admin.register(SiteSettings)
class SiteSettingsAdmin(TranslationAdmin):
    fieldsets = (
        (None, {"fields": ("name", "short_name", "tagline")}),
        (_("Contact"), {"fields": ("address", "phone", "email", "copyright_holder")}),
        (
            _("Follow us"),
            {"fields": ("twitter_url", "facebook_url", "youtube_url", "linkedin_url", "instagram_url")},
        ),
    )

    def has_add_permission(self, request):
        return not SiteSettings.objects.exists() and super().has_add_permission(request)

    def has_delete_permission(self, request, obj=None):
        return False


class PublishableTreeAdmin(TreeMoveMixin, PublishableAdmin, DraggableMPTTAdmin):
    """Tree models: drag and drop, indentation, badges."""

    list_display = ("tree_actions", "indented_title", state_badge, "updated_at")
    list_display_links = ("indented_title",)
    mptt_level_indent = 20


class RedirectImportForm(forms.Form):
    file = forms.FileField(
        label=_("CSV file"),
        help_text=_(
            "Two columns: the old address, then where it leads: a path on this site (/section/new-name/), "
            "a full address (https://…) or an item as app.model:number (iomsite.page:12). "
            "A first line with headings is skipped. UTF-8, at most 1 MB."
        ),
    )

    MAX_SIZE = 1024 * 1024

    def clean_file(self):
        upload = self.cleaned_data["file"]
        if upload.size > self.MAX_SIZE:
            raise forms.ValidationError(_("The file is larger than 1 MB; split it in parts."))
        try:
            return upload.read().decode("utf-8-sig")
        except UnicodeDecodeError:
            raise forms.ValidationError(_("The file is not UTF-8 text; save it as “CSV UTF-8”.")) from None


@admin.register(Redirect)
class RedirectAdmin(admin.ModelAdmin):
    """Old addresses and where they lead: made by the site when an address changes, or by hand."""

    list_display = ("old_path", "leads_to", "automatic", "updated_at")
    list_filter = ("automatic", ("content_type", admin.RelatedOnlyFieldListFilter))
    search_fields = ("old_path", "new_path")
    list_select_related = ("content_type",)
    fields = ("old_path", "new_path", "content_type", "object_id", "leads_to", "automatic")
    readonly_fields = ("leads_to", "automatic")
    change_list_template = "admin/iomsite/redirect/change_list.html"

    @admin.display(description=_("leads to"))
    def leads_to(self, obj):
        if obj is None or obj.pk is None:
            return "-"
        path = obj.target_path()
        if path is None:
            return _("(the item is gone)")
        if obj.new_path:
            return path
        return format_html("{} <small>({})</small>", path, obj.target)

    def get_changeform_initial_data(self, request):
        initial = super().get_changeform_initial_data(request)
        if "old_path" in initial:
            from iomsite.redirects import normalise

            initial["old_path"] = normalise(initial["old_path"])  # from the 404 report's link
        return initial

    def formfield_for_foreignkey(self, db_field, request, **kwargs):
        if db_field.name == "content_type":
            from django.contrib.contenttypes.models import ContentType

            from iomsite import content

            models = [item.model for item in content.content_models() if item.has_address]
            kwargs["queryset"] = ContentType.objects.filter(
                pk__in=[ct.pk for ct in ContentType.objects.get_for_models(*models).values()]
            )
        return super().formfield_for_foreignkey(db_field, request, **kwargs)

    def save_model(self, request, obj, form, change):
        from iomsite.redirects import collapse

        obj.automatic = False
        collapse(obj)  # one hop: to where its target leads; those leading here now lead there

    def get_urls(self):
        return [
            path("import/", self.admin_site.admin_view(self.import_view), name="iomsite_redirect_import"),
            *super().get_urls(),
        ]

    def import_view(self, request):
        from django.template.response import TemplateResponse

        from iomsite.redirects import import_csv

        if not (self.has_add_permission(request) and self.has_change_permission(request)):
            raise PermissionDenied
        form = RedirectImportForm(request.POST or None, request.FILES or None)
        problems = []
        if request.method == "POST" and form.is_valid():
            saved, problems = import_csv(form.cleaned_data["file"])
            if not problems:
                self.message_user(
                    request,
                    ngettext("%d redirect imported.", "%d redirects imported.", saved) % saved,
                    messages.SUCCESS,
                )
                return HttpResponseRedirect(reverse("admin:iomsite_redirect_changelist"))
        context = {
            **self.admin_site.each_context(request),
            "title": _("Import redirects"),
            "opts": self.model._meta,
            "form": form,
            "problems": problems,
        }
        return TemplateResponse(request, "admin/iomsite/redirect/import.html", context)


@admin.register(NotFound)
class NotFoundAdmin(admin.ModelAdmin):
    """The public addresses most asked for that answered 404: turn the frequent ones into redirects."""

    list_display = ("path", "hits", "first_seen", "last_seen", "make_redirect")
    search_fields = ("path",)
    readonly_fields = ("path", "hits", "first_seen", "last_seen")
    date_hierarchy = "last_seen"

    @admin.display(description=_("redirect"))
    def make_redirect(self, obj):
        url = reverse("admin:iomsite_redirect_add") + "?" + urlencode({"old_path": obj.path})
        return format_html('<a href="{}">{}</a>', url, _("Make a redirect"))

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False


@admin.register(AbuseReport)
class AbuseReportAdmin(admin.ModelAdmin):
    """Reports from the public form: Site managers read them and mark them handled; nobody edits what was sent."""

    list_display = ("__str__", "where_and_when", "email", "language", "handled")
    list_filter = ("handled", "language")
    search_fields = ("what", "where_and_when", "name", "email")
    readonly_fields = ("created_at", "what", "where_and_when", "name", "email", "language")
    fields = ("created_at", "what", "where_and_when", "name", "email", "language", "handled")

    def has_add_permission(self, request):
        return False
