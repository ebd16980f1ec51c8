from django.contrib import admin, messages
from django.contrib.admin.utils import unquote
from django.http import HttpResponse, HttpResponseRedirect
from django.urls import reverse
from django.utils.html import format_html
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from modeltranslation.admin import TranslationStackedInline

from iomsite.admin import PUBLISHING_FIELDSET, PublicationStateFilter, PublishableTreeAdmin, state_badge
from themes.models import (
    FeaturedProject,
    Infographic,
    Theme,
    ThemeDocument,
    ThemeLink,
    Video,
)


class InfographicInline(TranslationStackedInline):
    model = Infographic
    extra = 0
    autocomplete_fields = ("image",)
    fields = ("sort_order", "image", "caption", "credit")
    classes = ("collapse",)
    verbose_name_plural = gettext_lazy("Overview: infographics")


class FeaturedProjectInline(TranslationStackedInline):
    model = FeaturedProject
    extra = 0
    autocomplete_fields = ("image",)
    fields = ("sort_order", "kind", "title", "summary", "image", "url")
    classes = ("collapse",)
    verbose_name_plural = gettext_lazy("Overview: featured projects and key initiatives")


class ThemeDocumentInline(admin.TabularInline):
    model = ThemeDocument
    extra = 0
    autocomplete_fields = ("document",)
    fields = ("sort_order", "document")
    classes = ("collapse",)
    verbose_name_plural = gettext_lazy("Resources: documents from the library")


class ThemeLinkInline(TranslationStackedInline):
    model = ThemeLink
    extra = 0
    fields = ("sort_order", "title", "url", "description")
    classes = ("collapse",)
    verbose_name_plural = gettext_lazy("Resources: related links")


class VideoInline(TranslationStackedInline):
    model = Video
    extra = 0
    autocomplete_fields = ("thumbnail",)
    fields = ("sort_order", "title", "url", "date", "summary", "thumbnail")
    classes = ("collapse",)
    verbose_name_plural = gettext_lazy("News and Media: videos")


def children_message(themes):
    names = "; ".join(
        _("“%(theme)s” has %(children)s")
        % {"theme": theme, "children": ", ".join(f"“{child}”" for child in theme.get_children())}
        for theme in themes
    )
    return _(
        "A topic with sub-topics cannot be deleted: %(names)s. "
        "Move the sub-topics to another topic (drag them in the list) or delete them first."
    ) % {"names": names}


@admin.register(Theme)
class ThemeAdmin(PublishableTreeAdmin):
    list_display = ("tree_actions", "indented_title", state_badge, "view_on_site_link", "updated_at")
    list_filter = (PublicationStateFilter,)
    search_fields = ("title", "slug", "summary", "body_text")
    prepopulated_fields = {"slug": ("title",)}
    autocomplete_fields = ("image",)
    fieldsets = (
        (None, {"fields": ("title", "slug", "parent", "summary", "body", "image")}),
        PUBLISHING_FIELDSET,
    )
    inlines = (
        InfographicInline,
        FeaturedProjectInline,
        ThemeDocumentInline,
        ThemeLinkInline,
        VideoInline,
    )

    @admin.display(description=gettext_lazy("on the site"))
    def view_on_site_link(self, obj):
        label = _("View on site") if obj.is_live else _("Preview")
        return format_html('<a href="{}" target="_blank" rel="noopener">{}</a>', obj.get_absolute_url(), label)

    def delete_view(self, request, object_id, extra_context=None):
        theme = self.get_object(request, unquote(object_id))
        if theme is not None and not theme.is_leaf_node():
            self.message_user(request, children_message([theme]), messages.ERROR)
            return HttpResponseRedirect(reverse("admin:themes_theme_change", args=[theme.pk]))
        return super().delete_view(request, object_id, extra_context)

    def delete_selected_tree(self, modeladmin, request, queryset):
        blocked = [theme for theme in queryset if not theme.is_leaf_node()]
        if blocked:
            self.message_user(request, children_message(blocked), messages.ERROR)
            return None
        return super().delete_selected_tree(modeladmin, request, queryset)

    def _move_node(self, request):
        """Refuse a drag and drop that would give two topics the same address, with a message."""
        queryset = self.get_queryset(request)
        try:
            cut_item = queryset.get(pk=request.POST.get("cut_item"))
            pasted_on = queryset.get(pk=request.POST.get("pasted_on"))
        except (Theme.DoesNotExist, TypeError, ValueError):
            return super()._move_node(request)
        parent = pasted_on if request.POST.get("position") in ("last-child", "first-child") else pasted_on.parent
        path = f"{parent.path}/{cut_item.slug}" if parent else cut_item.slug
        if Theme.objects.filter(path=path).exclude(pk=cut_item.pk).exists():
            self.message_user(
                request,
                _("“%(theme)s” was not moved: another topic already has the address /themes/%(path)s/.")
                % {"theme": cut_item, "path": path},
                messages.ERROR,
            )
            return HttpResponse("FAIL, address taken.")
        return super()._move_node(request)
