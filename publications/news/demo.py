"""Demo news: the three kinds and a dozen articles, in our own words (facts from the reference snapshot)."""

from publications.news.models import Kind

KINDS = (
    ("news", 10, {"en": "News", "fr": "Actualité", "es": "Noticia"}),
    ("press-release", 20, {"en": "Press release", "fr": "Communiqué de presse", "es": "Comunicado de prensa"}),
    ("story", 30, {"en": "Story", "fr": "Récit", "es": "Historia"}),
)


def kinds():
    """The three kinds every site starts with, created when missing: ``{slug: Kind}``."""
    found = {}
    for slug, order, titles in KINDS:
        found[slug], _created = Kind.objects.get_or_create(
            slug=slug, defaults={"sort_order": order, **{f"title_{code}": title for code, title in titles.items()}}
        )
    return found


def load(stdout):
    kinds()
    stdout.write(f"  news: {Kind.objects.count()} kinds")
