"""Generated publications for benchmarks (``manage.py generate_content``).

Scale 1: 200 publications in 5 series (and some outside any series), each with a
foreword and 10 chapters (every fourth one groups them in two parts), covers and
PDFs from the shared media set, tagged with main themes and regions; some are in
French or Spanish and linked to an English edition.
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
from publications.models import Publication, PublicationSeries, TocEntry

BASE = 200
SERIES = 5
CHAPTERS = 10
PARTS_EVERY = 4
CHAPTER = TocEntry.Kind.CHAPTER  # every fourth publication has two parts of five chapters


def generate(context):
    series = make_series()
    wanted = counted(BASE, context.scale)
    existing = dict(Publication.objects.filter(slug__startswith=PREFIX).values_list("slug", "pk"))
    themes, regions = tags()
    publications, plans = [], []
    for index in range(wanted):
        slug = slug_of(index)
        if slug in existing:
            continue
        text = Text("publication", index)
        publications.append(build(index, slug, text, series, context))
        plans.append((index, text))
    store_text(publications, "body", "body_text")
    bulk_create(Publication, publications)
    existing.update({publication.slug: publication.pk for publication in publications})
    link(publications, plans, existing, themes, regions)
    entries = make_entries(context, publications)
    return {"publications": len(publications), "chapters and parts": entries}


def slug_of(index):
    return f"{PREFIX}publication-{index + 1}"


def make_series():
    slugs = [f"{PREFIX}pubseries-{index + 1}" for index in range(SERIES)]
    found = {series.slug: series for series in PublicationSeries.objects.filter(slug__in=slugs)}
    missing = []
    for index, slug in enumerate(slugs):
        if slug not in found:
            text = Text("publication-series", index)
            missing.append(
                PublicationSeries(
                    slug=slug,
                    **text.fields("title", "title", 1),
                    **text.fields("summary", "summary"),
                )
            )
    bulk_create(PublicationSeries, missing)
    return [found.get(slug) or next(s for s in missing if s.slug == slug) for slug in slugs]


def isbn(index):
    """A valid, unique ISBN-13 for generated publication ``index``: 978-92-99-NNNNN-C."""
    digits = f"9789299{index % 100_000:05d}"
    check = (10 - sum(int(d) * (1 if i % 2 == 0 else 3) for i, d in enumerate(digits)) % 10) % 10
    return f"978-92-99-{index % 100_000:05d}-{check}"


def build(index, slug, text, series, context):
    number = index % (SERIES + 1)
    year = 2000 + (index * 7) % 27
    language = {7: "fr", 8: "es"}.get(index % 10, "en")
    in_series = number < SERIES
    titles = text.fields("title", "title", 4)
    if language != "en":  # the title as printed on the cover, in the publication's own language
        titles["title_en"] = text.title(4, language=language)
    return Publication(
        slug=slug,
        series_id=series[number].pk if in_series else None,
        edition=index // (SERIES + 1) + 1 if in_series else None,
        year=year,
        publication_date=date(year, 1 + index % 12, 1 + index % 28),
        isbn=isbn(index),
        language=language,
        cover_id=context.media.image(index).pk,
        document_id=context.media.document(index).pk,
        **titles,
        **text.fields("summary", "summary"),
        **text.fields("body", "html", 3),
        **publishing(index, draft_every=50),
    )


def tags():
    """Main themes and regions (the top two levels) a publication may be tagged with."""
    from regions.models import Region
    from themes.models import Theme

    themes = list(
        Theme.objects.filter(slug__startswith=PREFIX, level__lte=1).order_by("pk").values_list("pk", flat=True)
    )
    regions = list(
        Region.objects.filter(slug__startswith=PREFIX, level__lte=1).order_by("pk").values_list("pk", flat=True)
    )
    return themes, regions


def link(publications, plans, slugs, themes, regions):
    theme_links, region_links, translations = [], [], []
    for publication, (index, text) in zip(publications, plans, strict=True):
        if themes:
            for pk in {text.rng.choice(themes) for _tag in range(2)}:
                theme_links.append(Publication.themes.through(publication_id=publication.pk, theme_id=pk))
        if regions:
            for pk in {text.rng.choice(regions) for _tag in range(1 + index % 2)}:
                region_links.append(Publication.regions.through(publication_id=publication.pk, region_id=pk))
        if publication.language != "en":
            original = slugs.get(slug_of(index - index % 10))
            if original is not None:
                through = Publication.translations.through
                translations.append(through(from_publication_id=publication.pk, to_publication_id=original))
                translations.append(through(from_publication_id=original, to_publication_id=publication.pk))
    Publication.themes.through.objects.bulk_create(theme_links, batch_size=1000)
    Publication.regions.through.objects.bulk_create(region_links, batch_size=1000)
    Publication.translations.through.objects.bulk_create(translations, batch_size=1000, ignore_conflicts=True)


def make_entries(context, publications):
    """Foreword, chapters and parts of freshly created publications, as django-mptt trees."""
    nodes = []
    for publication in publications:
        index = int(publication.slug.rsplit("-", 1)[1]) - 1
        text = Text("toc", index)
        tops = [("foreword", TocEntry.Kind.FRONT_MATTER, "", "Foreword", [])]
        if index % PARTS_EVERY == 0:
            for part in range(2):
                chapters = list(range(part * 5 + 1, part * 5 + 6))
                tops.append((f"part-{part + 1}", TocEntry.Kind.PART, f"Part {'I' * (part + 1)}", None, chapters))
        else:
            tops += [(f"chapter-{n}", TocEntry.Kind.CHAPTER, f"Chapter {n}", None, []) for n in range(1, CHAPTERS + 1)]
        # Each top-level entry is a tree of its own; reading order is the order of the trees.
        for order, (slug, kind, number, title, chapters) in enumerate(tops):
            top = entry(context, publication, text, slug, kind, number, title, order)
            nodes.append(top)
            for n in chapters:
                chapter = entry(
                    context, publication, text, f"chapter-{n}", TocEntry.Kind.CHAPTER, f"Chapter {n}", None, n
                )
                chapter.parent_node = top
                nodes.append(chapter)
    insert_tree_nodes(TocEntry, nodes)
    return len(nodes)


def entry(context, publication, text, slug, kind, number, title, order):
    return TocEntry(
        publication=publication,
        slug=slug,
        kind=kind,
        number_en=number,
        title_en=title or text.title(4),
        title_fr=text.title(4, language="fr") if publication.title_fr and not title else None,
        title_es=text.title(4, language="es") if publication.title_es and not title else None,
        summary_en=text.sentence() if kind != TocEntry.Kind.PART else "",
        document_id=None if kind == TocEntry.Kind.PART else context.media.document(order).pk,
    )


def bench_pages():
    publication = first_generated(
        Publication.objects.published().filter(slug__startswith=PREFIX).order_by("pk"),
        "publication",
        slug=f"{PREFIX}publication-1",
    )
    chapter = first_generated(
        TocEntry.objects.published().filter(publication__slug__startswith=PREFIX, kind=TocEntry.Kind.CHAPTER),
        "chapter",
        publication__slug=f"{PREFIX}publication-2",
        slug="chapter-5",
    )
    return [("publication", publication.get_absolute_url()), ("chapter", chapter.get_absolute_url())]
