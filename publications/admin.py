import csv

from django import forms
from django.conf import settings
from django.contrib import admin
from django.core.exceptions import PermissionDenied
from django.http import HttpResponse
from django.template.response import TemplateResponse
from django.urls import path, reverse
from django.utils.html import format_html, format_html_join
from django.utils.translation import gettext_lazy as _
from modeltranslation.admin import TranslationAdmin
from modeltranslation.settings import DEFAULT_LANGUAGE
from modeltranslation.utils import build_localized_fieldname
from mptt.admin import DraggableMPTTAdmin

from iomsite.admin import PUBLISHING_FIELDSET, PublicationStateFilter, PublishableAdmin, state_badge
from iomsite.workflow.scoped import TreeMoveMixin, WorkflowAdminMixin
from publications.models import DocumentText, Publication, PublicationSeries, TocEntry


class PdfTextFilter(admin.SimpleListFilter):
    """Which PDFs' words the search finds: editors look here for scans without a text layer."""

    title = _("PDF text")
    parameter_name = "pdf_text"

    def lookups(self, request, model_admin):
        return [*DocumentText.State.choices, ("none", _("No PDF"))]

    def queryset(self, request, queryset):
        value = self.value()
        if value == "none":
            return queryset.filter(document__isnull=True)
        if value in DocumentText.State.values:
            return queryset.filter(document__publication_text__state=value)
        return queryset


@admin.display(description=_("PDF text"))
def pdf_text_state(obj):
    if not obj.document_id:
        return "-"
    try:
        text_of = obj.document.publication_text
    except DocumentText.DoesNotExist:
        return DocumentText.State.PENDING.label
    if text_of.state == DocumentText.State.TEXT:
        return _("%(count)s pages of text") % {"count": text_of.page_count}
    return text_of.get_state_display()


def _has_admin_search(model):
    """Autocomplete needs the other app's admin with ``search_fields``; otherwise a plain widget."""
    return admin.site.is_registered(model) and bool(admin.site.get_model_admin(model).search_fields)


@admin.register(PublicationSeries)
class PublicationSeriesAdmin(TranslationAdmin):
    list_display = ("title", "slug", "updated_at")
    search_fields = ("title", "summary")
    prepopulated_fields = {"slug": ("title",)}
    fields = ("title", "slug", "summary")


class PublicationAdminForm(forms.ModelForm):
    """The admin supplies the model and fields; this adds the checks on translations."""

    def clean(self):
        cleaned = super().clean()
        translations = cleaned.get("translations")
        if translations:
            if self.instance.pk and any(other.pk == self.instance.pk for other in translations):
                self.add_error("translations", _("A publication cannot be a translation of itself."))
            language = cleaned.get("language")
            same = [str(other) for other in translations if other.language == language and language != "other"]
            if same:
                self.add_error(
                    "translations",
                    _("A translation is in another language; these are in the same one: %(titles)s.")
                    % {"titles": ", ".join(same)},
                )
        return cleaned


# The table shows the default language; an entry's translations are on its own form ("Change").
NUMBER = build_localized_fieldname("number", DEFAULT_LANGUAGE)
TITLE = build_localized_fieldname("title", DEFAULT_LANGUAGE)


class TocEntryInlineForm(forms.ModelForm):
    """A line of the table of contents on the publication's form; ``order`` is its place in reading order."""

    order = forms.IntegerField(
        label=_("order"),
        required=False,
        min_value=0,
        max_value=100_000,
        widget=forms.NumberInput(attrs={"class": "toc-order", "style": "width:4em"}),
        help_text=_("Lower numbers come first."),
    )

    class Meta:
        model = TocEntry
        fields = ("kind", NUMBER, TITLE, "slug", "parent", "document")

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields[TITLE].required = True  # the default language's title, as on the entry's own form


class TocEntryFormSet(forms.BaseInlineFormSet):
    def get_form_kwargs(self, index):
        kwargs = super().get_form_kwargs(index)
        if index is not None and index < self.initial_form_count():
            kwargs["initial"] = {**kwargs.get("initial", {}), "order": index}
        return kwargs

    def reading_order(self):
        """Primary keys of the kept entries, in the order the editor gave (ties: the order of the rows)."""
        kept = []
        for index, form in enumerate(self.forms):
            if form in self.deleted_forms or form.instance.pk is None:
                continue  # removed, or an empty new line
            order = form.cleaned_data.get("order") if hasattr(form, "cleaned_data") else None
            kept.append((index if order is None else order, index, form.instance.pk))
        return [pk for _order, _index, pk in sorted(kept)]


class TocEntryInline(admin.TabularInline):
    """Parts and chapters edited where they live: drag (or the arrows, or the order numbers) to reorder."""

    model = TocEntry
    form = TocEntryInlineForm
    formset = TocEntryFormSet
    fields = ("order", "kind", NUMBER, TITLE, "slug", "parent", "document")
    autocomplete_fields = ("document",)
    extra = 0
    show_change_link = True
    classes = ("toc-inline",)
    verbose_name = _("entry")
    verbose_name_plural = _("table of contents (drag a line, or use its arrows, to change the order)")

    def get_queryset(self, request):
        return super().get_queryset(request).select_related("document").order_by("tree_id", "lft")

    def formfield_for_foreignkey(self, db_field, request, **kwargs):
        field = super().formfield_for_foreignkey(db_field, request, **kwargs)
        if db_field.name == "parent":
            object_id = getattr(request.resolver_match, "kwargs", {}).get("object_id")
            parts = TocEntry.objects.filter(kind=TocEntry.Kind.PART)
            field.queryset = parts.filter(publication_id=object_id) if object_id else parts.none()
            field.label_from_instance = str
        return field

    @property
    def media(self):
        return super().media + forms.Media(js=["publications/toc.js"], css={"all": ["publications/toc.css"]})


@admin.register(Publication)
class PublicationAdmin(PublishableAdmin):
    form = PublicationAdminForm
    change_list_template = "publications/admin_change_list.html"
    list_display = ("title", "series", "edition", "year", "language", state_badge, pdf_text_state, "updated_at")
    list_filter = (PublicationStateFilter, "series", "year", "language", PdfTextFilter)
    list_select_related = ("series", "document__publication_text")
    search_fields = ("title", "isbn", "summary", "series__title")
    prepopulated_fields = {"slug": ("title",)}
    readonly_fields = (*PublishableAdmin.readonly_fields, "table_of_contents")
    autocomplete_fields = ("cover", "document", "translations")
    inlines = (TocEntryInline,)
    fieldsets = (
        (None, {"fields": ("title", "slug", "series", "edition", "year", "publication_date", "isbn", "language")}),
        (
            _("Citation"),
            {
                "fields": ("authors", "editors", "publisher", "place", "issn", "doi"),
                "description": _("What the Cite this block and the reference downloads show for this publication."),
            },
        ),
        (_("Text"), {"fields": ("summary", "body")}),
        (_("Cover and download"), {"fields": ("cover", "document")}),
        (
            _("Table of contents"),
            {
                "fields": ("table_of_contents",),
                "description": _(
                    "Edit, add, remove and reorder parts and chapters in the table below the form; "
                    "an entry's summary and translations are on its own page (Change)."
                ),
            },
        ),
        (_("Links"), {"fields": ("translations", "themes", "regions")}),
        PUBLISHING_FIELDSET,
    )

    def save_formset(self, request, form, formset, change):
        super().save_formset(request, form, formset, change)
        if formset.model is TocEntry:
            TocEntry.objects.reorder(form.instance, formset.reading_order())

    def get_urls(self):
        return [
            path("reading/", self.admin_site.admin_view(self.reading_view), name="publications_reading"),
            *super().get_urls(),
        ]

    def reading_view(self, request):
        """Most read and downloaded publications and chapters, by language, with a chart and a CSV export."""
        from publications import counts

        if not self.has_view_permission(request):
            raise PermissionDenied
        counts.flush()  # what closed buckets hold is written first
        periods = {"7": 7, "30": 30, "365": 365}
        days = periods.get(request.GET.get("days"), 30)
        languages = [code for code, _name in settings.LANGUAGES]
        language = request.GET.get("language") if request.GET.get("language") in languages else ""
        rows = counts.report(days, language)
        if request.GET.get("format") == "csv":
            response = HttpResponse(content_type="text/csv; charset=utf-8")
            response["Content-Disposition"] = (
                f'attachment; filename="reading-{days}-days{"-" + language if language else ""}.csv"'
            )
            writer = csv.writer(response)
            writer.writerow(
                ["publication", "entry", "title", "views", "downloads"]
                + [f"{kind}_{code}" for code in languages for kind in ("views", "downloads")]
            )
            for row in rows:
                writer.writerow(
                    [row["publication"], row["entry"], row["title"], row["views"], row["downloads"]]
                    + [row["languages"].get(code, [0, 0])[index] for code in languages for index in (0, 1)]
                )
            return response
        top = rows[:20]
        largest = max([1, *(max(row["views"], row["downloads"]) for row in top)])
        for index, row in enumerate(top):
            row["y"] = index * 28
            row["views_width"] = round(420 * row["views"] / largest)
            row["downloads_width"] = round(420 * row["downloads"] / largest)
            row["label"] = row["title"] if len(row["title"]) <= 60 else row["title"][:59] + "…"
        context = {
            **self.admin_site.each_context(request),
            "title": _("Most read and downloaded"),
            "opts": self.model._meta,
            "rows": top,
            "days": days,
            "periods": list(periods.values()),
            "language": language,
            "languages": settings.LANGUAGES,
            "chart_height": 28 * len(top) + 10,
            "query": request.GET.urlencode(),
        }
        return TemplateResponse(request, "publications/reading_report.html", context)

    def get_autocomplete_fields(self, request):
        from regions.models import Region
        from themes.models import Theme

        fields = list(super().get_autocomplete_fields(request))
        fields += [name for name, model in (("themes", Theme), ("regions", Region)) if _has_admin_search(model)]
        return fields

    def formfield_for_manytomany(self, db_field, request, **kwargs):
        if db_field.name in ("themes", "regions") and db_field.name not in self.get_autocomplete_fields(request):
            kwargs["widget"] = admin.widgets.FilteredSelectMultiple(db_field.verbose_name, is_stacked=False)
        return super().formfield_for_manytomany(db_field, request, **kwargs)

    @admin.display(description=_("table of contents"))
    def table_of_contents(self, obj):
        if not obj or not obj.pk:
            return _("Save the publication first, then add its parts and chapters.")
        entries = list(obj.toc_entries.order_by("tree_id", "lft"))
        changelist = reverse("admin:publications_tocentry_changelist")
        add = reverse("admin:publications_tocentry_add")
        outline = format_html_join(
            "",
            '<li style="margin-left:{}em"><a href="{}">{}</a> <small>({})</small></li>',
            (
                (
                    entry.level * 1.5,
                    reverse("admin:publications_tocentry_change", args=[entry.pk]),
                    entry,
                    entry.get_kind_display(),
                )
                for entry in entries
            ),
        )
        links = format_html(
            '<p><a class="button" href="{}?publication__id__exact={}">{}</a> '
            '<a class="button" href="{}?publication={}">{}</a></p>',
            changelist,
            obj.pk,
            _("Edit and reorder the table of contents"),
            add,
            obj.pk,
            _("Add an entry"),
        )
        if not entries:
            return format_html("<p>{}</p>{}", _("No entries yet."), links)
        return format_html('<ol style="list-style:none;padding:0">{}</ol>{}', outline, links)


@admin.register(TocEntry)
class TocEntryAdmin(TreeMoveMixin, WorkflowAdminMixin, TranslationAdmin, DraggableMPTTAdmin):
    list_display = ("tree_actions", "indented_title", "kind", "publication", "pdf", pdf_text_state)
    list_display_links = ("indented_title",)
    list_filter = ("publication", PdfTextFilter)
    list_select_related = ("publication", "document__publication_text")
    search_fields = ("title", "number", "publication__title")
    prepopulated_fields = {"slug": ("title",)}
    autocomplete_fields = ("publication", "document")
    mptt_level_indent = 20
    fields = (
        "publication",
        "parent",
        "kind",
        "number",
        "title",
        "slug",
        "summary",
        "document",
        "authors",
        "pages",
        "doi",
    )

    @admin.display(description=_("PDF"))
    def pdf(self, obj):
        if not obj.document_id:
            return "-"
        return format_html('<a href="{}">{}</a>', obj.document.get_absolute_url(), obj.document.download_name)

    def formfield_for_foreignkey(self, db_field, request, **kwargs):
        field = super().formfield_for_foreignkey(db_field, request, **kwargs)
        if db_field.name == "parent":
            field.queryset = field.queryset.select_related("publication")
            field.label_from_instance = lambda part: f"{part.publication} › {part}"
        return field
