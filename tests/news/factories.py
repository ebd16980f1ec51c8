"""``make_*`` helpers for the news tests. Each returns a saved object."""

from iomsite.models import Status
from publications.news.demo import kinds
from publications.news.models import Article
from tests.iomsite.factories import live, unique


def make_kind(slug="news"):
    return kinds()[slug]


def make_article(slug=None, published=True, kind="news", themes=(), regions=(), **fields):
    slug = slug or unique("article")
    defaults = live() if published else {"status": Status.DRAFT}
    defaults.update(
        {"title": slug.replace("-", " ").title(), "standfirst": f"About {slug}.", "body": "<p>What happened.</p>"}
    )
    defaults.update(fields)
    article = Article.objects.create(slug=slug, kind=make_kind(kind), **defaults)
    article.themes.set(themes)
    article.regions.set(regions)
    return article


# For the seam-wide tests (tests/factories.py): one object of each declared model, visible as ``state`` says.
EXAMPLES = {Article: lambda **state: make_article(**state)}
