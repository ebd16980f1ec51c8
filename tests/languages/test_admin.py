"""Editors see where each item stands in each language: changelists, change forms and the dashboard."""

from datetime import timedelta

import pytest
import time_machine
from django.utils import timezone

from iomsite.models import TranslationStatus
from tests.iomsite.factories import make_page

pytestmark = pytest.mark.django_db

DASHBOARD = "/admin/iomsite/translationstatus/"


def rows(html):
    return [row.split("</tr>")[0] for row in html.split("<tr")[1:]]


def row_of(html, text):
    return next(row for row in rows(html) if text in row)


def three_pages():
    english = make_page("only-english", title="Only English", summary="S", body="<p>B</p>")
    complete = make_page("all-three", title="All three", summary="", body="<p>B</p>")
    complete.title_fr, complete.body_fr = "Les trois", "<p>B fr</p>"
    complete.title_es, complete.body_es = "Los tres", "<p>B es</p>"
    complete.save()
    stale = make_page("stale-one", title="Stale one", summary="", body="<p>B</p>")
    stale.title_fr, stale.body_fr = "Périmée", "<p>B fr</p>"
    stale.save()
    with time_machine.travel(timezone.now() + timedelta(days=2)):
        stale.body_en = "<p>B, rewritten</p>"
        stale.save()
    return english, complete, stale


def test_changelist_shows_each_languages_state(staff_client):
    three_pages()
    html = staff_client.get("/admin/iomsite/page/").content.decode()
    assert "FR: Missing" in row_of(html, "Only English") and "ES: Missing" in row_of(html, "Only English")
    assert "FR: Translated" in row_of(html, "All three") and "ES: Translated" in row_of(html, "All three")
    assert "FR: Stale" in row_of(html, "Stale one") and "ES: Missing" in row_of(html, "Stale one")


def test_changelist_filters_by_translation_state(staff_client):
    three_pages()
    html = staff_client.get("/admin/iomsite/page/?translation=fr:stale").content.decode()
    assert "Stale one" in html and "Only English" not in html and "All three" not in html
    html = staff_client.get("/admin/iomsite/page/?translation=es:missing").content.decode()
    assert "Stale one" in html and "Only English" in html and "All three" not in html
    assert staff_client.get("/admin/iomsite/page/?translation=xx:nonsense").status_code == 200


def test_change_form_shows_the_state_and_date_per_language(staff_client):
    _english, _complete, stale = three_pages()
    html = staff_client.get(f"/admin/iomsite/page/{stale.pk}/change/").content.decode()
    assert "Translations" in html and "the English text changed on" in html
    assert 'class="translation-badge translation-stale"' in html


def test_dashboard_lists_what_needs_work_per_language_most_recent_first(staff_client):
    english, complete, stale = three_pages()
    response = staff_client.get(DASHBOARD + "?language=fr")
    assert response.status_code == 200
    html = response.content.decode()
    listed = [row for row in rows(html) if "field-state_badge" in row]
    assert len(listed) == 2  # missing and stale; the translated page is done
    assert "Stale one" in listed[0] and "Only English" in listed[1]  # the latest change first
    assert f'href="/admin/iomsite/page/{stale.pk}/change/"' in listed[0]
    assert "All three" not in html
    assert "All three" in staff_client.get(DASHBOARD + "?language=fr&todo=translated").content.decode()


def test_dashboard_query_count_does_not_grow_with_rows(staff_client, django_assert_max_num_queries):
    three_pages()
    with django_assert_max_num_queries(16):  # 16 with the first lookup of the next scheduled draft (decision 016)
        assert staff_client.get(DASHBOARD + "?language=es").status_code == 200
    for index in range(20):
        make_page(f"more-{index}", title=f"More {index}", body="<p>B</p>")
    with django_assert_max_num_queries(16):
        html = staff_client.get(DASHBOARD + "?language=es").content.decode()
    assert "More 19" in html


def test_dashboard_is_read_only(staff_client):
    _english, _complete, stale = three_pages()
    row = TranslationStatus.objects.filter(language="fr", object_id=stale.pk).first()
    assert staff_client.get(f"{DASHBOARD}{row.pk}/change/").status_code in (200, 302, 403)
    assert staff_client.post(f"{DASHBOARD}{row.pk}/delete/", {"post": "yes"}).status_code == 403
    assert TranslationStatus.objects.filter(pk=row.pk).exists()
    assert staff_client.get(DASHBOARD + "add/").status_code == 403
