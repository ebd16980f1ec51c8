"""``make_*`` helpers for the themes tests. Each returns a saved object."""

from datetime import date, timedelta

from django.utils import timezone

from iomsite.models import Status
from tests.iomsite.factories import make_document, make_image, unique
from tests.news.factories import make_article
from themes.models import FeaturedProject, Infographic, Theme, ThemeDocument, ThemeLink, Video


def make_theme(slug, parent=None, published=True, **fields):
    defaults = {
        "title": slug.replace("-", " ").title(),
        "summary": f"About {slug}.",
        "body": f"<h2>Vision</h2><p>The {slug} overview.</p>",
    }
    if published:
        defaults.update(status=Status.PUBLISHED, publish_at=timezone.now() - timedelta(days=1))
    defaults.update(fields)
    return Theme.objects.create(slug=slug, parent=parent, **defaults)


def make_chain(*slugs, **fields):
    """labour > ethical > iris > …: returns the nodes, root first."""
    nodes, parent = [], None
    for slug in slugs:
        parent = make_theme(slug, parent, **fields)
        nodes.append(parent)
    return nodes


def add_content(theme, count=1, image=None, document=None):
    """``count`` of every part a theme page shows: infographics, projects, documents, links, news, videos."""
    image = image or make_image()
    for n in range(count):
        Infographic.objects.create(theme=theme, image=image, caption=f"Infographic {n}", sort_order=n)
        FeaturedProject.objects.create(
            theme=theme, title=f"Project {n}", summary="A project.", image=image, url="https://example.org/p"
        )
        FeaturedProject.objects.create(theme=theme, title=f"Initiative {n}", kind=FeaturedProject.Kind.INITIATIVE)
        ThemeDocument.objects.create(theme=theme, document=document or make_document(), sort_order=n)
        ThemeLink.objects.create(theme=theme, title=f"Link {n}", url="https://example.org/")
        make_article(title=f"News {n}", date=date(2020, 1, 1) + timedelta(days=n), themes=[theme])
        Video.objects.create(
            theme=theme, title=f"Video {n}", url="https://www.youtube.com/watch?v=abcdefghijk", thumbnail=image
        )


def grow_tree(roots=4, children=25, grandchildren=9):
    """A big published tree, built in bulk with django-mptt's own builder (ids, parents and paths given)."""
    live = {"status": Status.PUBLISHED, "publish_at": timezone.now() - timedelta(days=1)}
    next_id = (Theme.objects.order_by("-pk").values_list("pk", flat=True).first() or 0) + 1
    count = 0

    def node(slug, parent=None):
        nonlocal next_id
        path = f"{parent['path']}/{slug}" if parent else slug
        data = {"id": next_id, "slug": slug, "path": path, "title_en": f"Topic {path}", **live}
        if parent:
            data["parent_id"] = parent["id"]
        next_id += 1
        return data

    for r in range(roots):
        root = node(f"bulk-{r}")
        root["children"] = []
        for c in range(children):
            child = node(f"c{c}", root)
            child["children"] = [node(f"g{g}", child) for g in range(grandchildren)]
            root["children"].append(child)
        nodes = Theme.objects.build_tree_nodes(root)
        Theme.objects.bulk_create(nodes)  # one tree at a time: the builder asks for the next tree id
        count += len(nodes)
    _reset_sequences(Theme)  # ids were given: PostgreSQL's sequence must move past them
    return count


def _reset_sequences(*models):
    from django.core.management.color import no_style
    from django.db import connection

    statements = connection.ops.sequence_reset_sql(no_style(), list(models))
    with connection.cursor() as cursor:
        for sql in statements:
            cursor.execute(sql)


def _part(model, fields):
    """A maker of a theme's part in the given publishing state (the part follows its theme)."""

    def make(**state):
        return model.objects.create(theme=make_theme(unique("theme"), **state), **fields())

    return make


# For the seam-wide tests (tests/factories.py): one object of each declared model, visible as ``state`` says.
EXAMPLES = {
    Theme: lambda **state: make_theme(unique("theme"), **state),
    Infographic: _part(Infographic, lambda: {"image": make_image()}),
    FeaturedProject: _part(FeaturedProject, lambda: {"title": "A project"}),
    ThemeDocument: _part(ThemeDocument, lambda: {"document": make_document()}),
    ThemeLink: _part(ThemeLink, lambda: {"title": "A link", "url": "https://example.org/"}),
    Video: _part(Video, lambda: {"title": "A video", "url": "https://www.youtube.com/watch?v=abcdefghijk"}),
}
