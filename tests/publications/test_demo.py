import os

import pytest
from django.core.management import call_command

from iomsite.models import Document
from publications.models import Publication, PublicationSeries, TocEntry

# The demo content is loaded once for the module (tests/conftest.py): every test here sees it.
pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("demo")]

SNAPSHOT_CONTENTS = [
    "Director General's Foreword",
    "Chapter 1 – Report Overview: Making sense of migration in an increasingly interconnected world",
    "Part I – Data and information on migration",
    "Chapter 2 – Migration and migrants: A global overview",
    "Chapter 3 – Migration and migrants: Regional dimensions and developments",
    "Chapter 4 – Migration research and analysis: Growth, reach and recent contributions",
    "Part II – Complex and emerging migration issues",
    "Chapter 5 – Global migration governance: Existing architecture and recent developments",
    "Chapter 6 – Mobility, migration and transnational connectivity",
    "Chapter 7 – Understanding migration journeys from migrants’ perspectives",
    "Chapter 8 – Media reporting of migrants and migration",
    "Chapter 9 – Migration, violent extremism and social exclusion",
    "Chapter 10 – Migrants and cities: Stepping beyond World Migration Report 2015",
]


def contents(publication):
    return [str(entry) for entry in publication.toc_entries.order_by("tree_id", "lft")]


def test_demo_world_migration_report(demo):
    wmr = Publication.objects.get(slug="world-migration-report-2018")
    assert wmr.is_live and wmr.edition == 9 and wmr.year == 2018
    assert wmr.series.title == "World Migration Report" and "2000" in wmr.series.summary
    assert contents(wmr) == SNAPSHOT_CONTENTS
    chapters = wmr.toc_entries.filter(kind=TocEntry.Kind.CHAPTER)
    assert chapters.count() == 10
    assert all(entry.document and entry.document.kind == "pdf" for entry in chapters)
    assert wmr.document.kind == "pdf" and wmr.cover.width > 0
    assert [c.parent.number for c in chapters.filter(number__in=["Chapter 4", "Chapter 5"]).order_by("lft")] in (
        ["Part I", "Part II"],
        ["Part II", "Part I"],
    )
    assert not wmr.title_fr and wmr.summary_es and wmr.body_fr  # the French title is the French edition's (issue 20)


def test_demo_translation_and_other_publications(demo):
    wmr = Publication.objects.get(slug="world-migration-report-2018")
    french = Publication.objects.get(slug="etat-de-la-migration-dans-le-monde-2018")
    assert french.language == "fr" and list(french.translations.all()) == [wmr]
    titles = set(Publication.objects.published().values_list("title", flat=True))
    assert {"Ethical recruitment in global labour mobility", "Thematic Paper - Global Compact for Migration"} <= titles


def test_demo_is_idempotent_and_leaves_a_consistent_tree(demo):
    counts = (Publication.objects.count(), PublicationSeries.objects.count(), TocEntry.objects.count())
    documents = Document.objects.count()
    wmr = Publication.objects.get(slug="world-migration-report-2018")
    call_command("load_demo_content", stdout=open(os.devnull, "w"))  # noqa: SIM115
    assert (Publication.objects.count(), PublicationSeries.objects.count(), TocEntry.objects.count()) == counts
    assert Document.objects.count() == documents
    assert contents(wmr) == SNAPSHOT_CONTENTS
    TocEntry.objects.rebuild()  # rebuilding a consistent tree changes nothing visible
    assert contents(wmr) == SNAPSHOT_CONTENTS


def test_demo_pages_render_in_three_languages(client, demo):
    for language in ("en", "fr", "es"):
        html = client.get(f"/{language}/publications/world-migration-report-2018/").content.decode()
        assert "World Migration Report" in html or "Informe" in html or "État" in html
        assert (
            client.get(f"/{language}/publications/world-migration-report-2018/migrants-and-cities/").status_code == 200
        )
    html = client.get("/es/publications/world-migration-report-2018/").content.decode()
    assert "<h1>Informe sobre las Migraciones en el Mundo 2018</h1>" in html
