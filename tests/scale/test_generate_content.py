"""``manage.py generate_content``: realistic, idempotent, consistent, and fast enough to run here."""

import io
import json
import re

import pytest
from django.core.management import call_command
from django.db.models import Count

from iomsite.generate import PREFIX

pytestmark = pytest.mark.django_db


def generate(scale):
    out = io.StringIO()
    call_command("generate_content", scale=scale, stdout=out)
    return out.getvalue()


def counts():
    from consultations.models import ConsultationEvent, ConsultationSeries
    from iomsite.models import Document, Image, Page
    from iomsite.search.models import SearchEntry
    from publications.models import Publication, TocEntry
    from publications.news.models import Article
    from regions.models import Office, Region
    from themes.models import Theme

    return {
        "pages": Page.objects.count(),
        "themes": Theme.objects.count(),
        "news": Article.objects.count(),
        "series": ConsultationSeries.objects.count(),
        "events": ConsultationEvent.objects.count(),
        "publications": Publication.objects.count(),
        "entries": TocEntry.objects.count(),
        "regions": Region.objects.count(),
        "offices": Office.objects.count(),
        "images": Image.objects.count(),
        "documents": Document.objects.count(),
        "search": SearchEntry.objects.count(),
    }


def test_volumes_follow_the_scale_and_a_second_run_adds_nothing():
    from consultations.models import ConsultationEvent
    from publications.models import Publication, TocEntry
    from regions.models import Office, Region
    from themes.models import Theme

    generate(0.05)
    first = counts()
    assert Theme.objects.filter(slug__startswith=PREFIX).count() == 50
    assert ConsultationEvent.objects.filter(slug__startswith=PREFIX).count() == 250
    assert Publication.objects.filter(slug__startswith=PREFIX).count() == 10
    # The world keeps its 5 regions and 20 sub-regions; countries (and offices, one in two) grow with the scale.
    assert Region.objects.filter(slug__startswith=PREFIX, kind=Region.Kind.COUNTRY).count() == 10
    assert Region.objects.filter(slug__startswith=PREFIX).count() == 25 + 10
    assert Office.objects.count() == 5
    assert TocEntry.objects.filter(kind=TocEntry.Kind.CHAPTER).count() == 10 * 10
    assert first["images"] == 6 + 1 and first["documents"] == 5  # a handful, reused (plus the site's demo image)
    assert first["search"] > 0

    generate(0.05)
    assert counts() == first

    generate(0.1)  # a top-up: the same items plus the new ones
    second = counts()
    assert Theme.objects.filter(slug__startswith=PREFIX).count() == 100
    assert ConsultationEvent.objects.filter(slug__startswith=PREFIX).count() == 500
    assert second["images"] == first["images"] and second["documents"] == first["documents"]
    assert all(second[key] >= first[key] for key in first)


def test_trees_are_consistent_after_generating_and_topping_up():
    generate(0.02)
    generate(0.05)
    out = io.StringIO()
    call_command("check_trees", stdout=out)  # raises CommandError on any damaged tree
    assert "DAMAGED" not in out.getvalue()


def test_three_levels_of_themes_with_paths_and_tabs():
    from themes.models import Theme

    generate(0.02)
    levels = dict(Theme.objects.order_by().values_list("level").annotate(n=Count("pk")))
    assert levels == {0: 1, 1: 9, 2: 10}
    leaf = Theme.objects.get(slug=f"{PREFIX}theme-0-0-0")
    assert leaf.path == f"{PREFIX}theme-0/{PREFIX}theme-0-0/{PREFIX}theme-0-0-0"
    assert [node.slug for node in leaf.get_ancestors()] == [f"{PREFIX}theme-0", f"{PREFIX}theme-0-0"]
    assert leaf.body_text_en and "<" not in leaf.body_text_en  # the plain copy save() would make
    assert leaf.documents.exists()


def test_computed_fields_are_filled_as_save_fills_them():
    from consultations.models import ConsultationEvent
    from publications.models import Publication
    from publications.validators import validate_isbn
    from regions.models import Region

    generate(0.02)
    for event in ConsultationEvent.objects.filter(slug__startswith=PREFIX):
        assert event.year == event.start_date.year
        assert event.end_date is None or event.end_date > event.start_date
        assert event.body_text_en and "<p>" not in event.body_text_en
    for region in Region.objects.filter(slug__startswith=PREFIX).select_related("parent"):
        assert region.path == (f"{region.parent.path}/{region.slug}" if region.parent else region.slug)
    for publication in Publication.objects.filter(slug__startswith=PREFIX):
        validate_isbn(publication.isbn)
        assert publication.body_text_en


def test_mostly_published_a_few_drafts_some_translated():
    from consultations.models import ConsultationEvent

    generate(0.1)
    events = ConsultationEvent.objects.filter(slug__startswith=PREFIX)
    published = events.published().count()
    assert 0 < events.count() - published < events.count() * 0.05
    translated = events.exclude(title_fr=None).count()
    assert 0 < translated < events.count() / 2
    assert events.exclude(title_es=None).count() == translated


def test_search_finds_generated_content_and_the_page_cache_version_moves():
    from django.test import Client

    from iomsite.freshness import content_version

    before = content_version()
    generate(0.02)
    assert content_version() != before
    response = Client().get("/en/search/?q=migration")
    assert response.status_code == 200
    assert re.search(rf'<h3><a href="/en/[^"]*/{PREFIX}', response.content.decode())  # generated items are found


def test_bench_urls_lists_the_key_pages_with_their_queries():
    generate(0.1)
    out = io.StringIO()
    call_command("bench_urls", stdout=out)
    data = json.loads(out.getvalue())
    labels = [label for label, _path in data["pages"]]
    # Home, then each content app's pages in INSTALLED_APPS order (ContentAppConfig.bench), then search.
    assert labels[:3] == ["home", "theme (depth 3)", "listing, page 1"]
    assert labels[3].startswith("listing, last page (")
    assert labels[4:7] == ["region", "publication", "chapter"]
    assert labels[7:] == ["news", "article", "notice", "search"]  # the test-only content app's page too
    assert dict(data["pages"])["search"] == "/en/search/?q=migration"
    assert all(1 <= data["queries"][label] <= 10 for label in labels)
