from django.conf import settings
from django.shortcuts import get_object_or_404
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.generic import ListView

from iomsite.pagination import paginate
from iomsite.views import TreePageView
from themes.models import NEWS_TAB, RESOURCES_TAB, Theme, news_of, publication_relation

OVERVIEW_TAB = "overview"
# What breadcrumbs and the side navigation show of the themes around a page (not their texts).
NAV_FIELDS = (
    *(f"title_{code}" for code, _name in settings.LANGUAGES),
    "title", "slug", "path", "parent", "tree_id", "lft", "rght", "level", "status", "publish_at", "unpublish_at",
)  # fmt: skip
CARD_FIELDS = (*NAV_FIELDS, "summary", *(f"summary_{code}" for code, _name in settings.LANGUAGES))  # sub-topic cards
NEWS_PER_PAGE = 20


class ThemeIndexView(ListView):
    """Main topics with their direct sub-topics: one query whatever the size of the tree."""

    template_name = "themes/index.html"

    def get_queryset(self):
        return Theme.objects.published().filter(level__lte=1).select_related("image")

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        roots, by_pk = [], {}
        for theme in context["object_list"]:
            theme.subtopics = []
            by_pk[theme.pk] = theme
            if theme.parent_id is None:
                roots.append(theme)
            elif theme.parent_id in by_pk:
                by_pk[theme.parent_id].subtopics.append(theme)
        context["roots"] = roots
        context["crumbs"] = [(_("Themes"), reverse("themes:index"))]
        return context


class ThemeView(TreePageView):
    """A theme's tab. The tree around it in one query each, with only the fields shown."""

    model = Theme
    context_object_name = "theme"
    tabs = (
        (OVERVIEW_TAB, gettext_lazy("Overview"), "themes:detail"),
        (RESOURCES_TAB, gettext_lazy("Resources"), "themes:resources"),
        (NEWS_TAB, gettext_lazy("News and Media"), "themes:news"),
    )
    tab = OVERVIEW_TAB
    index_crumb = (gettext_lazy("Themes"), "themes:index")
    missing = gettext_lazy("There is no such theme.")
    missing_tab = gettext_lazy("This theme has nothing to show here.")

    def get_queryset(self):
        return super().get_queryset().with_tab_flags().select_related("image")

    def tab_shown(self, theme, tab):
        if tab == RESOURCES_TAB:
            return theme.has_documents or theme.has_links or getattr(theme, "has_publications", False)
        if tab == NEWS_TAB:
            return theme.has_news or theme.has_videos
        return True

    def navigation(self, theme):
        ancestors = list(theme.get_ancestors().only(*NAV_FIELDS))
        siblings = list(theme.get_siblings(include_self=True).published().only(*NAV_FIELDS))
        if theme not in siblings:  # staff previewing a draft: keep it in its place in the navigation
            siblings = sorted([*siblings, theme], key=lambda node: (node.tree_id, node.lft))
        children = list(theme.get_children().published().only(*CARD_FIELDS))
        return ancestors, siblings, children

    def json_ld(self, theme, ancestors, crumbs):
        return {
            "@context": "https://schema.org",
            "@type": "WebPage",
            "name": str(crumbs[-1][0]) if self.tab == OVERVIEW_TAB else f"{crumbs[-1][0]} – {theme.title}",
            "description": theme.summary,
            "url": self.request.build_absolute_uri(self.request.path),
            "breadcrumb": self.breadcrumb_ld(crumbs),
        }


class ThemeDetailView(ThemeView):
    template_name = "themes/detail.html"

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        theme = self.object
        infographics = list(theme.infographics.select_related("image"))
        projects = list(theme.projects.select_related("image"))
        kinds = theme.projects.model.Kind
        context.update(
            {
                "infographics": infographics,
                "featured_projects": [p for p in projects if p.kind == kinds.PROJECT],
                "key_initiatives": [p for p in projects if p.kind == kinds.INITIATIVE],
                "share_image": theme.image or (infographics[0].image if infographics else None),
            }
        )
        return context


class ThemeResourcesView(ThemeView):
    template_name = "themes/resources.html"
    tab = RESOURCES_TAB

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        theme = self.object
        context["documents"] = [item.document for item in theme.documents.select_related("document")]
        context["links"] = list(theme.links.all())
        # Related publications come from the publications app (Publication.themes, related name
        # "publications"); the tab lists them as soon as that relation exists.
        relation = publication_relation()
        context["publications"] = list(theme.publications.published()) if relation is not None else []
        return context


class ThemeNewsView(ThemeView):
    template_name = "themes/news.html"
    tab = NEWS_TAB

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        theme = self.object
        # The news articles tagged with this theme (the news app's ``Article.themes``), each with its own page.
        articles = news_of(theme)
        if articles is not None:
            context["page_obj"] = paginate(self.request, articles.select_related("kind", "image"), NEWS_PER_PAGE)
        context["videos"] = list(theme.videos.select_related("thumbnail"))
        return context


class ThemeVideoView(ThemeView):
    """One video with its privacy-enhanced player: the player loads only on this page, when asked for."""

    template_name = "themes/video.html"
    tab = NEWS_TAB

    def get_context_data(self, **kwargs):
        self.video = get_object_or_404(self.object.videos.select_related("thumbnail"), pk=self.kwargs["pk"])
        context = super().get_context_data(**kwargs)
        context["video"] = self.video
        context["translation_object"] = self.video  # the page is the video's: its language decides the note
        return context

    def extra_crumbs(self):
        return [(self.video.title, self.video.get_absolute_url())]
