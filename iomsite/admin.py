from django import forms
from django.conf import settings
from django.contrib import admin, messages
from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import PermissionDenied
from django.db.models import OuterRef, Q, Subquery, prefetch_related_objects
from django.http import HttpResponse, HttpResponseRedirect
from django.template.defaultfilters import filesizeformat
from django.template.response import TemplateResponse
from django.urls import path, reverse
from django.utils import formats, timezone
from django.utils.formats import date_format
from django.utils.html import format_html, format_html_join
from django.utils.http import urlencode
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext
from modeltranslation.admin import TranslationAdmin
from mptt.admin import DraggableMPTTAdmin
from reversion.admin import VersionAdmin

from iomsite import content, languages
from iomsite.forms import ImageAdminForm, MediaAdminForm
from iomsite.freshness import purge_everything
from iomsite.mediaadmin import MediaAdminMixin
from iomsite.models import (
    AbuseReport,
    Document,
    Image,
    MenuItem,
    NotFound,
    Page,
    Redirect,
    SiteSettings,
    Status,
    TranslationState,
    TranslationStatus,
)
from iomsite.workflow.drafting import DraftAdminMixin
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
CHANGES = "changes"  # the filter's "live + draft changes": a live item with a stored draft (decision 016)


class PublicationStateFilter(admin.SimpleListFilter):
    title = _("publication state")
    parameter_name = "state"

    def lookups(self, request, model_admin):
        return [*STATE_LABELS.items(), (CHANGES, _("Live + draft changes"))]

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
            case "changes":
                from django.contrib.contenttypes.models import ContentType

                from iomsite.workflow.models import Draft

                content_type = ContentType.objects.get_for_model(queryset.model)
                drafted = Draft.objects.filter(content_type=content_type).values("object_id")
                return queryset.filter(published, pk__in=drafted)
        return queryset


@admin.display(description=_("state"))
def state_badge(obj):
    """The item's state; a live item with a draft says so (``draft_state``, annotated by the admin's queryset)."""
    from iomsite.workflow.drafting import STATE_LABELS as DRAFT_LABELS

    state = obj.publication_state
    draft_state = getattr(obj, "draft_state", None)
    if draft_state and obj.status == Status.PUBLISHED:
        label = format_html("{} + {}", STATE_LABELS[state], DRAFT_LABELS[draft_state])
        return format_html('<span class="state-badge state-{} state-changes">{}</span>', state, label)
    return format_html('<span class="state-badge state-{}">{}</span>', state, STATE_LABELS[state])


TRANSLATION_LABELS = dict(TranslationState.choices)


def _status_subquery(model, code, field="state"):
    content_type = ContentType.objects.get_for_model(model, for_concrete_model=True)
    rows = TranslationStatus.objects.filter(content_type=content_type, object_id=OuterRef("pk"), language=code)
    return Subquery(rows.values(field)[:1])


class TranslationFilter(admin.SimpleListFilter):
    """``?translation=fr:stale``: the items missing, partly translated, stale or translated in a language."""

    title = _("translation")
    parameter_name = "translation"

    def lookups(self, request, model_admin):
        return [
            (f"{code}:{state}", f"{name}: {label}")
            for code, name in settings.LANGUAGES
            if code != settings.LANGUAGE_CODE
            for state, label in TranslationState.choices
        ]

    def queryset(self, request, queryset):
        code, _sep, state = (self.value() or "").partition(":")
        if state not in TRANSLATION_LABELS or code not in languages.other_languages():
            return queryset
        content_type = ContentType.objects.get_for_model(queryset.model, for_concrete_model=True)
        rows = TranslationStatus.objects.filter(content_type=content_type, language=code, state=state)
        return queryset.filter(pk__in=rows.values("object_id"))


def _export_action(code):
    def export_xliff(modeladmin, request, queryset):
        from iomsite import xliff

        data = xliff.export(queryset.order_by("pk"), code)
        response = HttpResponse(data, content_type="application/xliff+xml; charset=utf-8")
        name = f"{modeladmin.model._meta.model_name}-{settings.LANGUAGE_CODE}-{code}.xlf"
        response["Content-Disposition"] = f'attachment; filename="{name}"'
        return response

    return export_xliff


class XliffImportForm(forms.Form):
    file = forms.FileField(label=_("XLIFF file"), required=False)
    xml = forms.CharField(widget=forms.HiddenInput, required=False)

    def clean(self):
        cleaned = super().clean()
        if not cleaned.get("file") and not cleaned.get("xml"):
            raise forms.ValidationError(_("Choose the translated XLIFF file."))
        return cleaned

    def data_bytes(self):
        upload = self.cleaned_data.get("file")
        if upload:
            if not hasattr(self, "_bytes"):
                self._bytes = upload.read(6 * 1024 * 1024)
            return self._bytes
        return self.cleaned_data["xml"].encode("utf-8")


class TranslationStatusMixin:
    """Where each item stands in each language: a changelist column and filter, a block on the change form.

    The column reads the status rows in the changelist's own query (one subquery per
    language); the change form shows, per language, the state and its date.
    """

    def get_actions(self, request):
        actions = super().get_actions(request)
        if languages.tracked(self.model) and self.has_view_permission(request):
            for code, name in settings.LANGUAGES:
                if code != settings.LANGUAGE_CODE:
                    label = _("Export for translation into %(language)s (XLIFF)") % {"language": name}
                    actions[f"export_xliff_{code}"] = (_export_action(code), f"export_xliff_{code}", label)
        return actions

    def changelist_view(self, request, extra_context=None):
        if languages.tracked(self.model) and self.has_change_permission(request):
            opts = self.model._meta
            extra_context = {
                **(extra_context or {}),
                "xliff_import_url": reverse(f"admin:{opts.app_label}_{opts.model_name}_xliff_import"),
            }
        return super().changelist_view(request, extra_context)

    def get_urls(self):
        opts = self.model._meta
        urls = [
            path(
                "xliff-import/",
                self.admin_site.admin_view(self.xliff_import_view),
                name=f"{opts.app_label}_{opts.model_name}_xliff_import",
            )
        ]
        return urls + super().get_urls()

    def xliff_import_view(self, request):
        """Upload a translated XLIFF file, see what changes, then apply it (the rich-text sanitiser applies).

        Only items the editor may change here are changed (a live item needs a publisher,
        as its change form does); the others are listed as refused.
        """
        from iomsite import xliff

        if not self.has_change_permission(request):
            raise PermissionDenied
        context = {**self.admin_site.each_context(request), "opts": self.model._meta, "title": _("Import translations")}
        form = XliffImportForm(request.POST or None, request.FILES or None)
        if request.method == "POST" and form.is_valid():
            try:
                language, changes = xliff.read(form.data_bytes(), model=self.model)
            except xliff.XliffError as error:
                form.add_error(None, str(error))
            else:
                allowed, refused = [], []
                for change in changes:
                    # An import writes the item itself, not a draft: a published item only for a
                    # publisher, the publishing mixin's own lock (an editor's change would be live at once).
                    may = self.has_change_permission(request, change.obj) and not self._locked(request, change.obj)
                    (allowed if may else refused).append(change)
                if "_apply" in request.POST and allowed:
                    saved = xliff.apply(language, allowed)
                    self.message_user(
                        request,
                        ngettext(
                            "Translations imported into %(count)d item.",
                            "Translations imported into %(count)d items.",
                            len(saved),
                        )
                        % {"count": len(saved)},
                        messages.SUCCESS,
                    )
                    opts = self.model._meta
                    return HttpResponseRedirect(reverse(f"admin:{opts.app_label}_{opts.model_name}_changelist"))
                context.update(
                    language=dict(settings.LANGUAGES)[language],
                    changes=allowed,
                    refused=refused,
                    xml=form.data_bytes().decode("utf-8"),
                    previewed=True,
                )
        context["form"] = form
        return TemplateResponse(request, "admin/iomsite/xliff_import.html", context)

    def get_queryset(self, request):
        queryset = super().get_queryset(request)
        if not languages.tracked(self.model):
            return queryset
        return queryset.annotate(
            **{f"translation_{code}": _status_subquery(self.model, code) for code in languages.other_languages()}
        )

    def get_list_display(self, request):
        return (*super().get_list_display(request), "translation_states")

    def get_list_filter(self, request):
        if not languages.tracked(self.model):
            return super().get_list_filter(request)
        return (*super().get_list_filter(request), TranslationFilter)

    def get_readonly_fields(self, request, obj=None):
        return (*super().get_readonly_fields(request, obj), "translation_status")

    def get_fieldsets(self, request, obj=None):
        fieldsets = list(super().get_fieldsets(request, obj))
        if obj is not None and languages.tracked(self.model):
            fieldsets.append((_("Translations"), {"fields": ("translation_status",)}))
        return fieldsets

    @admin.display(description=_("translations"))
    def translation_states(self, obj):
        parts = []
        for code in languages.other_languages():
            state = getattr(obj, f"translation_{code}", None) or languages.state_of(obj, code)
            parts.append(
                format_html(
                    '<span class="translation-badge translation-{}" title="{}">{}</span>',
                    state,
                    TRANSLATION_LABELS.get(state, state),
                    f"{code.upper()}: {TRANSLATION_LABELS.get(state, state)}",
                )
            )
        return format_html_join(" ", "{}", ((part,) for part in parts))

    @admin.display(description=_("in each language"))
    def translation_status(self, obj):
        if obj is None or obj.pk is None:
            return ""
        rows = languages.statuses(obj)
        names = dict(settings.LANGUAGES)
        lines = []
        for code in languages.other_languages():
            row = rows.get(code)
            state = row.state if row else languages.state_of(obj, code)
            if state == TranslationState.STALE:
                when = _("the English text changed on %(date)s; translation saved on %(saved)s") % {
                    "date": date_format(timezone.localtime(row.source_changed_at), "DATETIME_FORMAT"),
                    "saved": date_format(timezone.localtime(row.translated_at), "DATETIME_FORMAT"),
                }
            elif row and row.translated_at:
                when = _("translation saved on %(saved)s") % {
                    "saved": date_format(timezone.localtime(row.translated_at), "DATETIME_FORMAT")
                }
            else:
                when = ""
            lines.append((names[code], state, TRANSLATION_LABELS.get(state, state), when))
        return format_html(
            '<ul class="translation-status">{}</ul>',
            format_html_join(
                "",
                '<li>{}: <span class="translation-badge translation-{}">{}</span> <span class="help">{}</span></li>',
                lines,
            ),
        )


class PublishableAdmin(
    TranslationStatusMixin,
    DraftAdminMixin,
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


class AltTextFilter(admin.SimpleListFilter):
    title = _("alternative text")
    parameter_name = "alt"

    def lookups(self, request, model_admin):
        return [("missing", _("Missing: not usable on pages yet"))]

    def queryset(self, request, queryset):
        if self.value() == "missing":
            return queryset.filter(Q(alt_text_en="") | Q(alt_text_en__isnull=True))
        return queryset


@admin.register(Image)
class ImageAdmin(MediaAdminMixin, TranslationAdmin, VersionAdmin):
    form = ImageAdminForm
    list_display = ("thumbnail", "title", "alt_text", "state", "section", "dimensions", "size", "created_at")
    list_filter = (AltTextFilter, "section")
    change_list_template = "admin/iomsite/media_change_list.html"
    search_fields = ("title", "alt_text", "caption", "credit")
    readonly_fields = ("preview", "dimensions", "size")
    fields = (
        "title", "section", "file", "preview", "focal_x", "focal_y",
        "alt_text", "caption", "credit", "dimensions", "size",
    )  # fmt: skip
    media_readonly = ("state", "used_on")

    class Media:
        css = {"all": ("iomsite/admin.css",)}
        js = ("iomsite/focal-point.js",)

    def get_fields(self, request, obj=None):
        return [*super().get_fields(request, obj), *(f for f in self.media_readonly if obj is not None)]

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
        if obj.draft_file_name and obj.file.name == obj.draft_file_name:
            # The draft's new file: from the admin (renditions are made for the live file only).
            width = min(obj.width, 640)
            return format_html(
                '<img src="{}" alt="{}" width="{}" height="{}" data-focal-point> <p class="help">{}</p>',
                self.draft_file_url(obj),
                obj.alt_text,
                width,
                max(1, round(obj.height * width / obj.width)),
                _("The new file of the draft (visitors still see the live one)."),
            )
        url, width, height = obj.renditions(max_width=640)[-1]
        return format_html(
            '<img src="{}" alt="{}" width="{}" height="{}" data-focal-point data-focal-help="{}">',
            url,
            obj.alt_text,
            width,
            height,
            _("Click on what must stay in view when the image is cropped."),
        )

    @admin.display(description=_("dimensions"))
    def dimensions(self, obj):
        return f"{obj.width} × {obj.height}" if obj.width else "-"

    @admin.display(description=_("size"))
    def size(self, obj):
        return filesizeformat(obj.file_size) if obj.file_size else "-"


@admin.register(Document)
class DocumentAdmin(MediaAdminMixin, VersionAdmin):
    form = MediaAdminForm
    change_list_template = "admin/iomsite/media_change_list.html"
    list_display = ("title", "kind", "language", "state", "section", "size", "created_at")
    list_filter = ("kind", "language", "section")
    search_fields = ("title",)
    readonly_fields = ("kind", "size", "download", "preview_link")
    fields = ("title", "section", "language", "file", "standalone", "kind", "size", "download", "preview_link")
    media_readonly = ("state", "used_on")

    def get_fields(self, request, obj=None):
        return [*super().get_fields(request, obj), *(f for f in self.media_readonly if obj is not None)]

    @admin.display(description=_("size"))
    def size(self, obj):
        return filesizeformat(obj.file_size) if obj.file_size else "-"

    @admin.display(description=_("download"))
    def download(self, obj):
        if not obj.pk:
            return "-"
        if obj.draft_file_name and obj.file.name == obj.draft_file_name:
            return format_html(
                '<a href="{}">{}</a> <span class="help">{}</span>',
                self.draft_file_url(obj),
                obj.download_name,
                _("(the new file of the draft)"),
            )
        return format_html('<a href="{}">{}</a>', obj.get_absolute_url(), obj.download_name)

    @admin.display(description=_("preview link"))
    def preview_link(self, obj):
        if not obj.pk:
            return "-"
        until = timezone.localtime(timezone.now() + timezone.timedelta(days=settings.IOMSITE_DOCUMENT_PREVIEW_DAYS))
        return format_html(
            '<input type="text" readonly size="60" value="{}" aria-label="{}"> <p class="help">{}</p>',
            obj._absolute_uri(obj.preview_url()) if hasattr(obj, "_absolute_uri") else obj.preview_url(),
            _("Preview link"),
            _(
                "For journalists under embargo: anyone with this link can download the document until %(until)s, "
                "even before it is public. Share it only with the people it is meant for."
            )
            % {"until": formats.date_format(until, "DATETIME_FORMAT")},
        )


@admin.register(MenuItem)
class MenuItemAdmin(TreeMoveMixin, WorkflowAdminMixin, TranslationAdmin, DraggableMPTTAdmin):
    list_display = ("tree_actions", "indented_title", "menu", "link", "is_active")
    list_display_links = ("indented_title",)
    list_filter = ("menu", "is_active")
    search_fields = ("title", "url")
    autocomplete_fields = ("page",)
    fields = ("menu", "parent", "title", "url", "page", "target_type", "target_id", "is_active")

    @admin.display(description=_("link"))
    def link(self, obj):
        return obj.get_url()

    def formfield_for_foreignkey(self, db_field, request, **kwargs):
        if db_field.name == "target_type":
            # The kinds of item with a page of their own and a publishing state (what menus may link).
            models = [
                item.model
                for item in content.publishable_models()
                if hasattr(item.model, "get_absolute_url") and item.model is not Page
            ]
            types = ContentType.objects.get_for_models(*models, for_concrete_models=True).values()
            kwargs["queryset"] = ContentType.objects.filter(pk__in=[t.pk for t in types])
        return super().formfield_for_foreignkey(db_field, request, **kwargs)

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

    actions = ("purge_cache",)

    def has_add_permission(self, request):
        return not SiteSettings.objects.exists() and super().has_add_permission(request)

    @admin.action(description=_("Purge the whole page cache (every page renders afresh)"), permissions=("change",))
    def purge_cache(self, request, queryset):
        """The emergency purge (decision 018): edits already retire what they change, this retires everything."""
        purge_everything()
        self.message_user(request, _("Every cached page and value is retired."), messages.SUCCESS)

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


class TranslationTodoFilter(admin.SimpleListFilter):
    """The dashboard opens on what needs a translator: missing, partly translated or stale."""

    title = _("translation")
    parameter_name = "todo"

    def lookups(self, request, model_admin):
        return [("todo", _("Needs work")), *TranslationState.choices]

    def choices(self, changelist):
        for lookup, title in self.lookup_choices:
            yield {
                "selected": (self.value() or "todo") == lookup,
                "query_string": changelist.get_query_string({self.parameter_name: lookup}),
                "display": title,
            }

    def queryset(self, request, queryset):
        value = self.value() or "todo"
        if value == "todo":
            return queryset.exclude(state=TranslationState.TRANSLATED)
        if value in TRANSLATION_LABELS:
            return queryset.filter(state=value)
        return queryset


class TranslationLanguageFilter(admin.SimpleListFilter):
    title = _("language")
    parameter_name = "language"

    def lookups(self, request, model_admin):
        return [(code, name) for code, name in settings.LANGUAGES if code != settings.LANGUAGE_CODE]

    def queryset(self, request, queryset):
        if self.value() in languages.other_languages():
            return queryset.filter(language=self.value())
        return queryset


@admin.register(TranslationStatus)
class TranslationStatusAdmin(admin.ModelAdmin):
    """The translation dashboard: per language, what is missing or stale, most recently changed first.

    Read-only: the rows follow the content (``iomsite.languages``); translators follow the
    links to the items' own change forms.
    """

    list_display = ("item_link", "kind", "language_name", "state_badge", "source_changed_at", "translated_at")
    list_filter = (TranslationLanguageFilter, TranslationTodoFilter, "content_type")
    list_per_page = 50
    ordering = ("-updated_at", "pk")
    actions = None

    def get_queryset(self, request):
        tracked = [model for model in languages.tracked_models() if self.admin_site.is_registered(model)]
        types = ContentType.objects.get_for_models(*tracked, for_concrete_models=True).values() if tracked else []
        return super().get_queryset(request).filter(content_type__in=list(types)).select_related("content_type")

    def get_changelist_instance(self, request):
        changelist = super().get_changelist_instance(request)
        # One query per kind of item on the page, not one per row.
        prefetch_related_objects(list(changelist.result_list), "item")
        return changelist

    def has_view_permission(self, request, obj=None):
        return request.user.is_active and request.user.is_staff

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False

    @admin.display(description=_("item"))
    def item_link(self, row):
        item = row.item
        if item is None:
            return "—"
        opts = item._meta
        url = reverse(f"admin:{opts.app_label}_{opts.model_name}_change", args=[item.pk])
        return format_html('<a href="{}">{}</a>', url, str(item))

    @admin.display(description=_("kind"), ordering="content_type")
    def kind(self, row):
        return row.content_type.model_class()._meta.verbose_name

    @admin.display(description=_("language"), ordering="language")
    def language_name(self, row):
        return dict(settings.LANGUAGES).get(row.language, row.language)

    @admin.display(description=_("translation"), ordering="state")
    def state_badge(self, row):
        return format_html(
            '<span class="translation-badge translation-{}">{}</span>', row.state, TRANSLATION_LABELS[row.state]
        )


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
