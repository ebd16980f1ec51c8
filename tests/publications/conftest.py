import pytest
from django.utils import translation

from tests.iomsite.factories import make_document, make_image
from tests.publications.factories import (  # noqa: F401  (older imports)
    CHAPTER,
    FRONT,
    PART,
    build_report,
    make_entry,
    make_publication,
    make_series,
)


@pytest.fixture(autouse=True)
def _english():
    """Content is written in English (a request to /fr/ leaves French active in the thread)."""
    with translation.override("en"):
        yield


@pytest.fixture
def report(db):
    """A live publication with a full table of contents (10 chapters in two parts) and downloads."""
    series = make_series("world-migration-report", title="World Migration Report")
    publication = make_publication(
        "wmr",
        title="World Migration Report 2018",
        series=series,
        edition=9,
        isbn="978-92-9068-742-9",
        cover=make_image("WMR cover", size=(1200, 1600)),
        document=make_document("World Migration Report 2018"),
        body="<p>Two parts: data, then complex issues.</p>",
    )
    entries = build_report(publication, (3, 6), with_documents=True)
    return publication, entries
