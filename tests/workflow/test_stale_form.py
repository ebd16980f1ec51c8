"""Two editors on one item: the second save from a stale form never silently overwrites the first."""

import pytest

from iomsite.models import Page
from tests.iomsite.factories import make_page
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


def test_menu_items_are_protected_too(manager_client, django_user_model):
    from django.contrib.auth.models import Group

    from iomsite.models import MenuItem
    from iomsite.workflow.roles import SITE_MANAGER
    from tests.workflow.conftest import client_for, make_user

    other = client_for(make_user(django_user_model, "max", Group.objects.get(name=SITE_MANAGER)))
    item = MenuItem.objects.create(menu="footer", title="Contact", url="/contact/")
    mine = form_data(manager_client.get(change_url(item)), title_en="Contact us")
    theirs = form_data(other.get(change_url(item)), title_en="Write to us")
    assert other.post(change_url(item), theirs).status_code == 302
    response = manager_client.post(change_url(item), mine)
    assert response.status_code == 200 and "saved this item after you opened it" in response.content.decode()
    assert MenuItem.objects.get(pk=item.pk).title == "Write to us"
