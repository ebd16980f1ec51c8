"""``make_*`` helpers for the publications tests. Each returns a saved object."""

from iomsite.models import Status
from publications.models import Publication, PublicationSeries, TocEntry
from tests.iomsite.factories import live, make_document, unique

FRONT, PART, CHAPTER = TocEntry.Kind.FRONT_MATTER, TocEntry.Kind.PART, TocEntry.Kind.CHAPTER


def make_series(slug=None, **fields):
    slug = slug or unique("series")
    return PublicationSeries.objects.create(slug=slug, title=fields.pop("title", slug.title()), **fields)


def make_publication(slug=None, published=True, **fields):
    slug = slug or unique("publication")
    defaults = live() if published else {"status": Status.DRAFT}
    defaults.update({"title": slug.replace("-", " ").title(), "year": 2018, "summary": f"About {slug}."})
    defaults.update(fields)
    return Publication.objects.create(slug=slug, **defaults)


def make_entry(publication, title, kind=CHAPTER, parent=None, document=None, **fields):
    entry = TocEntry(
        publication=publication,
        parent=parent,
        kind=kind,
        title=title,
        slug=fields.pop("slug", None) or unique(title.lower().replace(" ", "-")),
        document=document,
        **fields,
    )
    entry.save()
    return entry


def build_report(publication, chapters_per_part=(3, 6), with_documents=False):
    """Foreword, Chapter 1, then parts of chapters (numbered on from 2). Returns entries by slug."""
    document = make_document("Chapter PDF") if with_documents else None
    entries = {
        "foreword": make_entry(publication, "Foreword", FRONT, slug="foreword", document=document),
        "chapter-1": make_entry(publication, "Overview", number="Chapter 1", slug="chapter-1", document=document),
    }
    number = 2
    for index, count in enumerate(chapters_per_part, start=1):
        part = make_entry(publication, f"Part {index}", PART, slug=f"part-{index}", number=f"Part {index}")
        entries[f"part-{index}"] = part
        for _n in range(count):
            entries[f"chapter-{number}"] = make_entry(
                publication,
                f"Chapter title {number}",
                parent=part,
                number=f"Chapter {number}",
                slug=f"chapter-{number}",
                document=document,
            )
            number += 1
    return entries


# For the seam-wide tests (tests/factories.py): one object of each declared model, visible as ``state`` says.
EXAMPLES = {
    Publication: lambda **state: make_publication(**state),
    TocEntry: lambda **state: make_entry(make_publication(**state), "A chapter"),  # follows its publication
}
