"""Translation status per object and language: translated, partial, missing, stale (``iomsite.languages``)."""

from datetime import timedelta

import pytest
import time_machine
from django.utils import timezone

from iomsite import languages
from iomsite.languages import MISSING, PARTIAL, STALE, TRANSLATED, is_translated, state_of, statuses
from tests.iomsite.factories import make_page

pytestmark = pytest.mark.django_db


def test_state_from_the_fields_alone():
    page = make_page("state", title="Scam alert", summary="Beware.", body="<p>Text.</p>")
    assert state_of(page, "fr") == MISSING and not is_translated(page, "fr")
    assert state_of(page, "en") == TRANSLATED and is_translated(page, "en")
    page.title_fr = "Alerte à l'escroquerie"
    assert state_of(page, "fr") == PARTIAL and is_translated(page, "fr")
    page.summary_fr, page.body_fr = "Attention.", "<p>Texte.</p>"
    assert state_of(page, "fr") == TRANSLATED
    assert state_of(page, "es") == MISSING
    assert languages.translated_languages(page) == ["en", "fr"]


def test_an_empty_english_field_asks_for_no_translation():
    page = make_page("short", title="Short", summary="", body="<p>Body.</p>")
    page.title_fr, page.body_fr = "Court", "<p>Corps.</p>"
    assert state_of(page, "fr") == TRANSLATED


def test_saving_records_each_language():
    page = make_page("rows", title="Rows", summary="S", body="<p>B</p>")
    rows = statuses(page)
    assert set(rows) == {"fr", "es"}
    assert {row.state for row in rows.values()} == {MISSING}
    assert rows["fr"].translated_at is None


def test_english_changed_after_the_translation_makes_it_stale():
    start = timezone.now()
    with time_machine.travel(start, tick=False):
        page = make_page("stale", title="Scam alert", summary="Beware.", body="<p>Text.</p>")
        page.title_fr, page.summary_fr, page.body_fr = "Alerte", "Attention.", "<p>Texte.</p>"
        page.save()
    assert statuses(page)["fr"].state == TRANSLATED
    assert statuses(page)["fr"].translated_at == start

    later = start + timedelta(days=3)
    with time_machine.travel(later, tick=False):
        page.body_en = "<p>Text, now longer.</p>"
        page.save()
    fr, es = statuses(page)["fr"], statuses(page)["es"]
    assert fr.state == STALE and fr.source_changed_at == later and fr.translated_at == start
    assert es.state == MISSING  # nothing to be stale

    with time_machine.travel(later + timedelta(days=1), tick=False):
        page.title_en = "Scam alert!"  # a second English change: still stale since the first one
        page.save()
    assert statuses(page)["fr"].source_changed_at == later

    with time_machine.travel(later + timedelta(days=2), tick=False):
        page.body_fr = "<p>Texte, désormais plus long.</p>"
        page.save()
    fr = statuses(page)["fr"]
    assert fr.state == TRANSLATED and fr.source_changed_at is None
    assert fr.translated_at == later + timedelta(days=2)


def test_saving_english_and_translation_together_is_not_stale():
    page = make_page("together", title="One", summary="S", body="<p>B</p>")
    page.title_en, page.title_fr = "Two", "Deux"
    page.save()
    assert statuses(page)["fr"].state == PARTIAL


def test_a_save_that_changes_nothing_writes_nothing():
    page = make_page("same", title="Same", summary="S", body="<p>B</p>")
    assert languages.record(page) == []


def test_rebuild_fills_rows_for_content_saved_in_bulk():
    from iomsite.models import Page, TranslationStatus

    Page.objects.bulk_create([Page(slug="bulk", title="Bulk", body="<p>B</p>", title_fr="Vrac")])
    assert not TranslationStatus.objects.exists()
    languages.rebuild()
    assert statuses(Page.objects.get(slug="bulk"))["fr"].state == PARTIAL


def test_deleting_the_object_deletes_its_rows():
    from iomsite.models import TranslationStatus

    page = make_page("gone", title="Gone", body="<p>B</p>")
    page.delete()
    assert not TranslationStatus.objects.exists()


def test_saving_while_another_language_is_active_does_not_copy_english_into_it():
    from django.utils import translation

    page = make_page("active", title="Active", summary="S", body="<p>English body.</p>")
    with translation.override("fr"):
        page.title_es = "Activo"
        page.save()
    page.refresh_from_db()
    assert page.body_fr in (None, "") and page.body_en == "<p>English body.</p>"
    assert statuses(page)["fr"].state == MISSING
