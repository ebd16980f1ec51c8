from django.contrib import admin
from django.db.models import Q
from django.template.defaultfilters import filesizeformat
from django.utils import timezone
from django.utils.html import format_html
from django.utils.translation import gettext_lazy as _
from modeltranslation.admin import TranslationAdmin
from mptt.admin import DraggableMPTTAdmin
from reversion.admin import VersionAdmin

from iomsite.forms import MediaAdminForm
from iomsite.models import Document, Image, MenuItem, Page, SiteSettings, Status
from iomsite.workflow.options import (
    PublishingAdminMixin,
    RevisionAdminMixin,
    TreeMoveMixin,
    WorkflowAdminMixin,
)

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
    revisions with compare and restore, sections, and the stale-form check. Apps
    declare ``section_paths`` when their objects belong to a theme or region
    (``{"region": "country"}``); see ``iomsite.workflow.sections``.
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
    """Tree models (themes, regions, tables of contents): drag and drop, indentation, badges."""

    list_display = ("tree_actions", "indented_title", state_badge, "updated_at")
    list_display_links = ("indented_title",)
    mptt_level_indent = 20
