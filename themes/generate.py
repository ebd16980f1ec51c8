"""Generated thematic pages for benchmarks (``manage.py generate_content``).

Scale 1: 1,000 themes in three levels: 10 main topics, each with 9 sub-topics of 10
pages (10 + 90 + 900). Every theme has documents, related links and
featured projects (so its Resources and News and Media tabs exist); some have an
infographic or a video. A larger scale adds main topics of the same shape, so a theme
page keeps its size (the same siblings and children) while the tree grows.
"""

from datetime import date

from iomsite.generate import (
    PREFIX,
    Text,
    bulk_create,
    counted,
    first_generated,
    insert_tree_nodes,
    publishing,
    store_text,
)
from themes.models import FeaturedProject, Infographic, Theme, ThemeDocument, ThemeLink, Video

CHILDREN = 9
GRANDCHILDREN = 10
PER_ROOT = 1 + CHILDREN + CHILDREN * GRANDCHILDREN  # 100
BASE = 10 * PER_ROOT


def position(index):
    """``(root, child or None, grandchild or None)`` of generated theme ``index``."""
    root, offset = divmod(index, PER_ROOT)
    if offset == 0:
        return root, None, None
    if offset <= CHILDREN:
        return root, offset - 1, None
    child, grandchild = divmod(offset - 1 - CHILDREN, GRANDCHILDREN)
    return root, child, grandchild


def slug_of(*place):
    return PREFIX + "theme-" + "-".join(str(part) for part in place if part is not None)


def generate(context):
    wanted = counted(BASE, context.scale)
    rows = Theme.objects.filter(slug__startswith=PREFIX).values_list("slug", "pk", "path", "tree_id", "level")
    existing = {slug: row for slug, *row in rows}
    new = {}
    for index in range(wanted):
        place = position(index)
        slug = slug_of(*place)
        if slug in existing:
            continue
        depth = sum(part is not None for part in place) - 1
        parent_slug = slug_of(*place[:depth]) if depth else None
        parent_node, parent_row = new.get(parent_slug), existing.get(parent_slug)
        parent_path = parent_node.path if parent_node else (parent_row[1] if parent_row else None)
        theme = build_theme(index, place, slug, parent_path)
        theme.parent_node = parent_node
        theme.parent_row = (parent_row[0], parent_row[2], parent_row[3]) if parent_row else None
        new[slug] = theme
    themes = list(new.values())
    insert_tree_nodes(Theme, themes)
    add_parts(context, themes)
    return {"themes": len(themes)}


def build_theme(index, place, slug, parent_path):
    text = Text("theme", index)
    theme = Theme(
        slug=slug,
        path=f"{parent_path}/{slug}" if parent_path else slug,
        **text.fields("title", "title", 2),
        **text.fields("summary", "summary"),
        **text.fields("body", "html", 5),
        # Some leaf pages are drafts (never the first of its siblings).
        **publishing(index, draft_every=13 if place[2] else 0),
    )
    store_text([theme], "body", "body_text")
    theme.index = index  # what its parts are derived from (not a field)
    return theme


def add_parts(context, themes):
    """What a theme page shows besides its text, for freshly created themes."""
    infographics, projects, links, documents, videos = [], [], [], [], []
    media = context.media
    for theme in themes:
        text = Text("theme-parts", theme.slug)
        number = theme.index
        if number % 3 == 0:
            infographics.append(Infographic(theme_id=theme.pk, image_id=media.image(number).pk, sort_order=1))
        for order, kind in enumerate(FeaturedProject.Kind.values):
            projects.append(
                FeaturedProject(
                    theme_id=theme.pk,
                    kind=kind,
                    sort_order=order,
                    image_id=media.image(number + order).pk if theme.level < 2 else None,
                    url="https://www.example.org/projects/",
                    **text.fields("title", "title", 2),
                    **text.fields("summary", "paragraph", 2),
                )
            )
        for order in range(2):
            links.append(
                ThemeLink(
                    theme_id=theme.pk,
                    sort_order=order,
                    url=f"https://www.example.org/resources/{order}/",
                    **text.fields("title", "name", 4),
                    **text.fields("description", "words", 10),
                )
            )
            documents.append(ThemeDocument(theme_id=theme.pk, document_id=media.document(number + order).pk))
        if number % 4 == 0:
            videos.append(
                Video(
                    theme_id=theme.pk,
                    url=f"https://www.youtube.com/watch?v=gen{number % 10**8:08d}",
                    date=date(2025, 1, 1),
                    thumbnail_id=media.image(number).pk,
                    **text.fields("title", "title", 3),
                    **text.fields("summary", "sentence"),
                )
            )
    for model, rows in (
        (Infographic, infographics),
        (FeaturedProject, projects),
        (ThemeLink, links),
        (ThemeDocument, documents),
        (Video, videos),
    ):
        bulk_create(model, rows)


def bench_pages():
    """A depth-3 theme, the deepest a visitor usually reaches."""
    theme = first_generated(
        Theme.objects.published().filter(slug__startswith=PREFIX, level=2).order_by("tree_id", "lft"),
        "depth-3 theme",
        slug=f"{PREFIX}theme-0-0-0",
    )
    return [("theme (depth 3)", theme.get_absolute_url())]
