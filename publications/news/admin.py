from django.contrib import admin
from django.utils.translation import gettext_lazy as _
from modeltranslation.admin import TranslationAdmin

from iomsite.admin import PUBLISHING_FIELDSET, PublicationStateFilter, PublishableAdmin, state_badge
from publications.news.models import Article, Kind


@admin.register(Kind)
class KindAdmin(TranslationAdmin):
    list_display = ("title", "slug", "sort_order")
    list_editable = ("sort_order",)
    search_fields = ("title", "slug")
    prepopulated_fields = {"slug": ("title",)}
    fields = ("title", "slug", "sort_order")


@admin.register(Article)
class ArticleAdmin(PublishableAdmin):
    list_display = ("title", "kind", "date", state_badge, "updated_at")
    list_filter = (PublicationStateFilter, "kind", ("themes", admin.RelatedOnlyFieldListFilter))
    list_select_related = ("kind",)
    date_hierarchy = "date"
    search_fields = ("title", "slug", "standfirst", "body_text")
    prepopulated_fields = {"slug": ("title",)}
    autocomplete_fields = ("image", "themes", "regions", "publications", "events")
    fieldsets = (
        (None, {"fields": ("kind", "title", "slug", "date", "standfirst")}),
        (_("Text"), {"fields": ("body", "image", "link")}),
        (_("Links"), {"fields": ("themes", "regions", "publications", "events")}),
        PUBLISHING_FIELDSET,
    )
