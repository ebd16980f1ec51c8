import json

from django.conf import settings
from django.http import Http404, HttpResponsePermanentRedirect
from django.shortcuts import get_object_or_404
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.generic import DetailView, ListView

from iomsite.pagination import paginate
from iomsite.views import PreviewMixin
from iomsite.workflow.preview import previewable
from themes.models import NEWS_TAB, RESOURCES_TAB, Theme, ThemeRedirect, publication_relation

OVERVIEW_TAB = "overview"
# What breadcrumbs and the side navigation show of the themes around a page (not their texts).
NAV_FIELDS = (
    *(f"title_{code}" for code, _name in settings.LANGUAGES),
    "title", "slug", "path", "parent", "tree_id", "lft", "rght", "level", "status", "publish_at", "unpublish_at",
)  # fmt: skip
CARD_FIELDS = (*NAV_FIELDS, "summary", *(f"summary_{code}" for code, _name in settings.LANGUAGES))  # sub-topic cards
NEWS_PER_PAGE = 20


def moved_url(request, path, include_drafts=False):
    """Where an old theme address lives now (same tab, same query string), or None."""
    redirects = ThemeRedirect.objects.select_related("theme").filter(old_path=path)
    if not include_drafts:
        redirects = redirects.filter(theme__in=Theme.objects.published())
    redirect = redirects.first()
    if redirect is None:
        return None
    match = request.resolver_match
    url = reverse(f"{match.namespace}:{match.url_name}", kwargs={**match.kwargs, "path": redirect.theme.path})
    query = request.META.get("QUERY_STRING")
    return f"{url}?{query}" if query else url


def script_json(data):
    """JSON for an inline ``<script>``: the characters that could close the element are escaped."""
    text = json.dumps(data, ensure_ascii=False)
    return text.replace("<", "\\u003c").replace(">", "\\u003e").replace("&", "\\u0026")


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


class ThemeView(PreviewMixin, DetailView):
    """A theme's tab. Resolves the path in one query; the tree around it in one query each."""

    model = Theme
    context_object_name = "theme"
    tab = OVERVIEW_TAB

    def get_queryset(self):
        queryset = Theme.objects.with_tab_flags().select_related("image")
        if self.can_preview():  # staff: drafts too, inside their sections
            return previewable(self.request, queryset)
        return queryset.published()

    def get(self, request, *args, **kwargs):
        self.object = self.get_queryset().filter(path=kwargs["path"]).first()
        if self.object is None:
            target = moved_url(request, kwargs["path"], include_drafts=self.can_preview())
            if target is None:
                raise Http404(_("There is no such theme."))
            return HttpResponsePermanentRedirect(target)
        if not self.tab_has_content(self.object, self.tab):
            raise Http404(_("This theme has nothing to show here."))
        context = self.get_context_data(object=self.object)
        return self.render_to_response(context)

    @staticmethod
    def tab_has_content(theme, tab):
        if tab == RESOURCES_TAB:
            return theme.has_documents or theme.has_links or getattr(theme, "has_publications", False)
        if tab == NEWS_TAB:
            return theme.has_news or theme.has_videos
        return True

    def get_tabs(self, theme):
        tabs = [
            (OVERVIEW_TAB, _("Overview"), theme.get_absolute_url()),
            (RESOURCES_TAB, _("Resources"), theme.resources_url),
            (NEWS_TAB, _("News and Media"), theme.news_url),
        ]
        return [
            {"key": key, "label": label, "url": url, "current": key == self.tab}
            for key, label, url in tabs
            if self.tab_has_content(theme, key)
        ]

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        theme = self.object
        ancestors = list(theme.get_ancestors().only(*NAV_FIELDS))
        siblings = list(theme.get_siblings(include_self=True).published().only(*NAV_FIELDS))
        if theme not in siblings:  # staff previewing a draft: keep it in its place in the navigation
            siblings = sorted([*siblings, theme], key=lambda node: (node.tree_id, node.lft))
        children = list(theme.get_children().published().only(*CARD_FIELDS))
        parent = ancestors[-1] if ancestors else None
        crumbs = [(_("Themes"), reverse("themes:index"))]
        crumbs += [(ancestor.title, ancestor.get_absolute_url()) for ancestor in ancestors]
        crumbs.append((theme.title, theme.get_absolute_url()))
        tabs = self.get_tabs(theme)
        if self.tab != OVERVIEW_TAB:
            crumbs.append(next((tab["label"], tab["url"]) for tab in tabs if tab["current"]))
        crumbs += self.extra_crumbs()
        context.update(
            {
                "ancestors": ancestors,
                "parent": parent,
                "siblings": siblings,
                "children": children,
                "crumbs": crumbs,
                "tabs": tabs,
                "tab": self.tab,
                "preview": not (theme.is_live and all(ancestor.is_live for ancestor in ancestors)),
                "json_ld": script_json(self.json_ld(crumbs)),
            }
        )
        return context

    def extra_crumbs(self):
        return []

    def json_ld(self, crumbs):
        absolute = self.request.build_absolute_uri
        return {
            "@context": "https://schema.org",
            "@type": "WebPage",
            "name": str(crumbs[-1][0]) if self.tab == OVERVIEW_TAB else f"{crumbs[-1][0]} – {self.object.title}",
            "description": self.object.summary,
            "url": absolute(self.request.path),
            "breadcrumb": {
                "@type": "BreadcrumbList",
                "itemListElement": [
                    {"@type": "ListItem", "position": index, "name": str(label), "item": absolute(url)}
                    for index, (label, url) in enumerate(crumbs, start=1)
                ],
            },
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
        context["page_obj"] = paginate(self.request, theme.news_items.all(), NEWS_PER_PAGE)
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
        return context

    def extra_crumbs(self):
        return [(self.video.title, self.video.get_absolute_url())]
