"""Editors save drafts; only publishers put things on the site, whatever path they take."""

import pytest

from iomsite.models import Page, Status
from tests.iomsite.factories import make_page
from tests.workflow.helpers import change_url, changelist_url, form_data

pytestmark = pytest.mark.django_db


def test_editor_sees_publishing_fields_read_only_with_a_note(editor_client):
    page = make_page(published=False)
    response = editor_client.get(change_url(page))
    assert response.status_code == 200
    form = response.context["adminform"].form
    assert "status" not in form.fields and "publish_at" not in form.fields
    assert "A publisher puts it on the site" in response.content.decode()
    assert 'name="_publish"' not in response.content.decode()


def test_editor_crafted_post_cannot_publish(editor_client):
    page = make_page(published=False)
    data = form_data(editor_client.get(change_url(page)), title_en="New title", status="published")
    data.update({"publish_at_0": "01/01/2020", "publish_at_1": "00:00:00", "_publish": "1"})
    response = editor_client.post(change_url(page), data)
    assert response.status_code == 302
    page.refresh_from_db()
    assert page.title == "New title"
    assert page.status == Status.DRAFT


def test_editor_creates_drafts_only(editor_client):
    response = editor_client.get("/admin/iomsite/page/add/")
    assert response.status_code == 200
    data = form_data(response, title_en="Fresh", slug="fresh", body_en="<p>Hi</p>", status="published")
    response = editor_client.post("/admin/iomsite/page/add/", data)
    assert response.status_code == 302, response.context["adminform"].form.errors
    assert Page.objects.get(slug="fresh").status == Status.DRAFT


def test_editor_has_no_bulk_publish_action_and_a_crafted_one_does_nothing(editor_client):
    page = make_page(published=False)
    response = editor_client.get(changelist_url(Page))
    actions = [value for value, _label in response.context["action_form"].fields["action"].choices]
    assert "publish_now" not in actions and "unpublish_now" not in actions
    response = editor_client.post(
        changelist_url(Page), {"action": "publish_now", "_selected_action": [page.pk], "index": 0}
    )
    assert response.status_code in (200, 302)
    page.refresh_from_db()
    assert page.status == Status.DRAFT


def test_editor_changes_a_published_item_only_as_a_draft_and_cannot_delete_it(editor_client):
    page = make_page(published=True, title="Live page")
    response = editor_client.get(change_url(page))
    assert response.status_code == 200
    assert response.context["has_change_permission"]  # the change goes to a draft (decision 016)
    assert "your changes are saved as a draft" in response.content.decode()
    data = form_data(response, title_en="Hijacked", status="draft", _publish="1")
    assert editor_client.post(change_url(page), data).status_code == 302
    assert editor_client.post(f"/admin/iomsite/page/{page.pk}/delete/", {"post": "yes"}).status_code == 403
    page.refresh_from_db()
    assert page.title == "Live page" and page.status == Status.PUBLISHED


def test_editor_deletes_own_draft(editor_client):
    page = make_page(published=False)
    response = editor_client.post(f"/admin/iomsite/page/{page.pk}/delete/", {"post": "yes"})
    assert response.status_code == 302
    assert not Page.objects.filter(pk=page.pk).exists()


def test_editor_bulk_delete_refuses_published_items(editor_client):
    live = make_page(published=True)
    draft = make_page(published=False)
    response = editor_client.post(
        changelist_url(Page),
        {"action": "delete_selected", "_selected_action": [live.pk, draft.pk], "post": "yes"},
    )
    assert response.status_code == 403
    assert Page.objects.filter(pk__in=[live.pk, draft.pk]).count() == 2


def test_publisher_publishes_with_the_button(publisher_client):
    page = make_page(published=False)
    data = form_data(publisher_client.get(change_url(page)), _publish="1")
    response = publisher_client.post(change_url(page), data)
    assert response.status_code == 302
    page.refresh_from_db()
    assert page.is_live


def test_publisher_bulk_publish_and_unpublish(publisher_client):
    pages = [make_page(published=False) for _ in range(3)]
    ids = [page.pk for page in pages]
    publisher_client.post(changelist_url(Page), {"action": "publish_now", "_selected_action": ids})
    assert Page.objects.published().filter(pk__in=ids).count() == 3
    publisher_client.post(changelist_url(Page), {"action": "unpublish_now", "_selected_action": ids})
    assert Page.objects.filter(pk__in=ids, status=Status.DRAFT).count() == 3


def test_publisher_schedule_needs_a_future_time(publisher_client):
    page = make_page(published=False)
    data = form_data(publisher_client.get(change_url(page)), _schedule="1")
    response = publisher_client.post(change_url(page), data)
    assert response.status_code == 200
    assert "set a “publish from” time in the future" in response.content.decode()
    page.refresh_from_db()
    assert page.status == Status.DRAFT


def test_inline_publishing_fields_are_locked_for_editors(editor_client):
    """A country's offices are edited inline; an editor's crafted status is ignored, a live office is frozen."""
    from regions.models import Office
    from tests.regions.factories import make_country, make_office

    country = make_country("HN", published=False, title="Honduras")
    live_office = make_office(country, "tegucigalpa", name="Tegucigalpa office")
    draft_office = make_office(country, "san-pedro", published=False, name="San Pedro office")
    response = editor_client.get(change_url(country))
    assert response.status_code == 200
    formset = next(f.formset for f in response.context["inline_admin_formsets"] if f.formset.model is Office)
    forms = {form.instance.pk: form for form in formset.forms}
    assert forms[draft_office.pk].fields["status"].disabled
    assert all(field.disabled for field in forms[live_office.pk].fields.values())
    data = form_data(response)
    prefix = formset.prefix
    index = {form.instance.pk: i for i, form in enumerate(formset.forms)}
    data[f"{prefix}-{index[draft_office.pk]}-status"] = "published"
    data[f"{prefix}-{index[live_office.pk]}-name_en"] = "Renamed"
    data[f"{prefix}-{index[live_office.pk]}-DELETE"] = "on"
    response = editor_client.post(change_url(country), data)
    assert response.status_code == 302, response.context["adminform"].form.errors
    draft_office.refresh_from_db()
    live_office.refresh_from_db()
    assert draft_office.status == Status.DRAFT
    assert live_office.name == "Tegucigalpa office" and live_office.status == Status.PUBLISHED


def test_bulk_publishing_is_logged_on_the_item(publisher_client):
    page = make_page(published=False)
    publisher_client.post(changelist_url(Page), {"action": "publish_now", "_selected_action": [page.pk]})
    html = publisher_client.get(f"/admin/iomsite/page/{page.pk}/history/").content.decode()
    assert "Published with the bulk action." in html and "paul" in html


def test_recovering_deleted_items_is_for_publishers_and_never_for_trees(editor_client, publisher_client):
    assert editor_client.get("/admin/iomsite/page/recover/").status_code == 403
    assert publisher_client.get("/admin/iomsite/page/recover/").status_code == 200
    assert publisher_client.get("/admin/regions/region/recover/").status_code == 403
