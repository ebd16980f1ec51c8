"""Every save keeps a version; editors compare two and restore one (itself a new version), inline rows included."""

import pytest
import reversion
from django.contrib.admin.models import LogEntry
from reversion.models import Version

from iomsite.models import Page, Status
from iomsite.workflow.models import Activity, Draft
from regions.models import KeyFigure, Region, Trend
from tests.iomsite.factories import make_page
from tests.regions.factories import make_figure, make_region, make_trend
from tests.workflow.helpers import admin_url, change_url, form_data

pytestmark = pytest.mark.django_db


def save_in_admin(client, obj, **changes):
    response = client.post(change_url(obj), form_data(client.get(change_url(obj)), **changes))
    assert response.status_code == 302, response.context["adminform"].form.errors
    return response


def versions(obj):
    return list(Version.objects.get_for_object(obj).order_by("pk"))


def test_history_lists_versions_and_admin_actions(editor_client):
    page = make_page(published=False, title="First")
    save_in_admin(editor_client, page, title_en="Second")
    save_in_admin(editor_client, page, title_en="Third")
    response = editor_client.get(admin_url(page, "history"))
    assert response.status_code == 200
    assert len(response.context["versions"]) == 3  # the state before the first admin change, then two saves
    html = response.content.decode()
    assert "Restore…" in html and "Compare A and B" in html
    assert LogEntry.objects.filter(object_id=str(page.pk)).count() == 2
    assert "edna" in html and "Changed Title [en]" in html


def test_compare_shows_each_field_old_and_new_escaped(editor_client):
    page = make_page(published=False, title="First", summary="Plain words.")
    save_in_admin(editor_client, page, title_en="Second", summary_en="Now <script>alert(1)</script> words.")
    save_in_admin(editor_client, page, title_en="Third")
    older, newer = versions(page)[-2:]
    response = editor_client.get(admin_url(page, "history/compare"), {"a": newer.pk, "b": older.pk})
    assert response.status_code == 200
    rows = {row["label"]: row for row in response.context["comparison"]["fields"]}
    assert rows["title [en]"]["old"] == "Second" and rows["title [en]"]["new"] == "Third"
    assert rows["title [en]"]["changed"] and not rows["summary [en]"]["changed"]
    html = response.content.decode()
    assert "<script>alert(1)</script>" not in html
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in html


def test_content_made_outside_the_admin_keeps_its_first_state(editor_client):
    page = make_page(published=False, title="Loaded by a script")
    assert not versions(page)
    save_in_admin(editor_client, page, title_en="Edited")
    baseline, edited = versions(page)
    assert baseline.field_dict["title_en"] == "Loaded by a script"
    assert baseline.revision.comment == "As it was before its first change in the admin."
    assert baseline.revision.date_created == page.updated_at
    assert edited.field_dict["title_en"] == "Edited"


def test_compare_needs_two_versions_of_this_object(editor_client):
    page, other = make_page(published=False), make_page(published=False)
    save_in_admin(editor_client, page, title_en="Second")
    save_in_admin(editor_client, other, title_en="Other")
    mine, theirs = versions(page)[0], versions(other)[0]
    assert editor_client.get(admin_url(page, "history/compare"), {"a": mine.pk, "b": theirs.pk}).status_code == 404
    assert editor_client.get(admin_url(page, "history/compare"), {"a": mine.pk}).status_code == 404


def test_restore_is_a_new_version_and_keeps_the_publishing_state(publisher_client):
    page = make_page(published=False, title="First")
    save_in_admin(publisher_client, page, title_en="Second")
    save_in_admin(publisher_client, page, title_en="Third", _publish="1")
    first = versions(page)[1]
    url = admin_url(page, f"history/{first.pk}")
    response = publisher_client.get(url)
    assert response.status_code == 200
    assert "This form shows the version of" in response.content.decode()
    assert Page.objects.get(pk=page.pk).title == "Third"  # looking changes nothing
    response = publisher_client.post(url, form_data(response))
    assert response.status_code == 302
    # The page is live: the restore is its draft (decision 016); publishing it makes it the live version.
    page.refresh_from_db()
    assert page.title == "Third" and Draft.objects.get().data["object"]["fields"]["title_en"] == "Second"
    assert Activity.objects.filter(action=Activity.Action.RESTORED).exists()
    publish = form_data(publisher_client.get(admin_url(page, "change")), _publish="1")
    assert publisher_client.post(admin_url(page, "change"), publish).status_code == 302
    page.refresh_from_db()
    assert page.title == "Second" and page.status == Status.PUBLISHED
    latest = versions(page)[-1]
    assert len(versions(page)) == 4 and latest.revision.comment.startswith("Published the draft of")


def test_editor_restores_a_draft_but_not_a_published_item(editor_client):
    page = make_page(published=False, title="First")
    save_in_admin(editor_client, page, title_en="Second")
    save_in_admin(editor_client, page, title_en="Third")
    url = admin_url(page, f"history/{versions(page)[1].pk}")
    assert editor_client.post(url, form_data(editor_client.get(url))).status_code == 302
    assert Page.objects.get(pk=page.pk).title == "Second"
    Page.objects.filter(pk=page.pk).update(status=Status.PUBLISHED, title_en="Live")
    # A published item: the restore becomes a draft, never the live version.
    assert editor_client.post(url, form_data(editor_client.get(url))).status_code == 302
    assert Page.objects.get(pk=page.pk).title == "Live"
    assert Draft.objects.get().data["object"]["fields"]["title_en"] == "Second"


def test_restore_brings_inline_rows_back_and_removes_later_ones(staff_client):
    region = make_region("caribbean", published=False, title="The Caribbean")
    make_trend(region, heading="Remittances", body="<p>Money sent home.</p>", sort_order=0)
    make_trend(region, heading="Climate", body="<p>Storms and displacement.</p>", sort_order=1)
    with reversion.create_revision():
        region.save()  # version 1: the region and its two trends
    first = versions(region)[0]
    remittances = Trend.objects.get(heading="Remittances")
    remittances.heading = "Remittances rise"
    remittances.save()
    Trend.objects.filter(heading="Climate").delete()
    make_figure(region)
    with reversion.create_revision():
        region.save()
    assert Trend.objects.filter(region=region).count() == 1 and KeyFigure.objects.filter(region=region).exists()

    url = admin_url(region, f"history/{first.pk}")
    response = staff_client.get(url)
    assert response.status_code == 200
    # The comparison shows the inline changes too.
    second = versions(region)[1]
    compare = staff_client.get(admin_url(region, "history/compare"), {"a": first.pk, "b": second.pk})
    inlines = {inline["title"]: inline["rows"] for inline in compare.context["comparison"]["inlines"]}
    trend_states = {row["label"]: row["state"] for row in inlines["Trends"]}
    assert trend_states == {"Remittances rise": "changed", "Climate": "removed"}
    assert [row["state"] for row in inlines["Key figures"]] == ["added"]

    assert staff_client.post(url, form_data(response)).status_code == 302
    headings = sorted(Trend.objects.filter(region=region).values_list("heading", flat=True))
    assert headings == ["Climate", "Remittances"]
    assert not KeyFigure.objects.filter(region=region).exists()
    region.refresh_from_db()
    assert Region.objects.get(pk=region.pk).lft == region.lft  # tree position untouched


def test_restore_touches_only_this_item_of_a_bulk_revision(publisher_client):
    one, two = make_page(published=False, title="One"), make_page(published=False, title="Two")
    publisher_client.post("/admin/iomsite/page/", {"action": "publish_now", "_selected_action": [one.pk, two.pk]})
    bulk = versions(one)[-1]
    assert bulk.revision.version_set.count() == 2
    save_in_admin(publisher_client, one, title_en="One changed", _publish="1")
    save_in_admin(publisher_client, two, title_en="Two changed", _publish="1")
    url = admin_url(one, f"history/{bulk.pk}")
    assert publisher_client.post(url, form_data(publisher_client.get(url))).status_code == 302
    assert Page.objects.get(pk=one.pk).title == "One changed"  # live: the restore is its draft
    assert Draft.objects.get().data["object"]["fields"]["title_en"] == "One"
    assert Page.objects.get(pk=two.pk).title == "Two changed"
