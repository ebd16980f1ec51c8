"""Two editors on one item: the second save from a stale form never silently overwrites the first."""

import pytest

from iomsite.models import Page
from tests.factories import make_page
from tests.workflow.helpers import change_url, form_data

pytestmark = pytest.mark.django_db


def test_stale_form_is_refused_with_a_link_then_saved_only_when_confirmed(editor_client, publisher_client):
    page = make_page(published=False, title="Original")
    mine = form_data(editor_client.get(change_url(page)), title_en="Mine")
    theirs = form_data(publisher_client.get(change_url(page)), title_en="Theirs")
    assert publisher_client.post(change_url(page), theirs).status_code == 302

    response = editor_client.post(change_url(page), mine)
    assert response.status_code == 200
    html = response.content.decode()
    assert "Someone else (paul) saved this item after you opened it" in html
    assert f'href="{change_url(page)}"' in html and "Open the newer version in a new tab" in html
    assert 'name="_save_anyway"' in html
    assert 'value="Mine"' in html  # the editor's text is kept in the form
    assert Page.objects.get(pk=page.pk).title == "Theirs"

    # Sending the same stale form again changes nothing; ticking "Save anyway" does.
    assert editor_client.post(change_url(page), mine).status_code == 200
    assert Page.objects.get(pk=page.pk).title == "Theirs"
    response = editor_client.post(change_url(page), {**mine, "_save_anyway": "1"})
    assert response.status_code == 302
    assert Page.objects.get(pk=page.pk).title == "Mine"


def test_fresh_form_saves_without_a_question(editor_client):
    page = make_page(published=False)
    for title in ("First", "Second"):
        response = editor_client.post(change_url(page), form_data(editor_client.get(change_url(page)), title_en=title))
        assert response.status_code == 302
    assert Page.objects.get(pk=page.pk).title == "Second"


def test_a_bulk_action_between_load_and_save_also_counts(editor_client, publisher_client):
    page = make_page(published=False)
    mine = form_data(editor_client.get(change_url(page)), title_en="Mine")
    publisher_client.post("/admin/iomsite/page/", {"action": "publish_now", "_selected_action": [page.pk]})
    response = editor_client.post(change_url(page), mine)
    assert response.status_code in (200, 403)  # stale, or no longer a draft the editor may change
    assert Page.objects.get(pk=page.pk).title != "Mine"
