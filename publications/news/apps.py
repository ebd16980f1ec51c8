"""News articles, press releases and stories: the site's "News and Media".

An app of its own (label ``news``) inside the publications package: the top level is fixed, and
an article links themes, regions, publications and consultation events, so it sits above all of
them (docs/decisions/020-news.md).
"""

from django.utils.translation import gettext_lazy as _

from iomsite.content import Content, ContentAppConfig, Home, Search

HOME_NEWS = 4


def latest_news():
    """The newest live articles, for the top of the home page."""
    from publications.news.models import Article

    return Article.objects.published().newest_first().select_related("kind", "image")[:HOME_NEWS]


def searchable_articles():
    from publications.news.models import Article

    return Article.objects.published().prefetch_related("themes", "regions")


class NewsConfig(ContentAppConfig):
    name = "publications.news"
    label = "news"
    verbose_name = _("News")
    url_prefix = "news"
    title = _("News")
    content = (
        Content(
            "Article",
            key="article",
            sections={"theme": "themes", "region": "regions"},
            search=Search("article", _("News"), queryset=searchable_articles),
        ),
    )
    sitemaps = {"news": "publications.news.sitemaps.ArticleSitemap"}
    # The home page leads with the latest news, before the featured publication.
    home = Home(_("Latest news"), "news/includes/home_section.html", latest_news, order=1, more_url="news:index")
    order = 60
    demo = "publications.news.demo.load"
    generate = "publications.news.generate.generate"
    bench = "publications.news.generate.bench_pages"
