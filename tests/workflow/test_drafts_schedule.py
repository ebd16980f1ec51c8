"""Scheduled drafts of live items: right for visitors one second after the time, with no cron job."""

from datetime import datetime, timedelta
from io import StringIO
from zoneinfo import ZoneInfo

import pytest
import time_machine
from django.core.management import call_command

from iomsite.workflow.models import Activity, Draft
from tests.helpers import run_tasks
from tests.iomsite.factories import make_page
from tests.workflow.helpers import change_url, form_data

pytestmark = pytest.mark.django_db

GENEVA = ZoneInfo("Europe/Zurich")
# "Publish these changes at 09:00 Geneva time": a whole minute a few hours ahead (editors' sessions last 8 hours).
AT = (datetime.now(GENEVA) + timedelta(hours=3)).replace(second=0, microsecond=0)
SECOND = timedelta(seconds=1)


@pytest.fixture
def scheduled(editor_client, publisher_client):
    with time_machine.travel(AT - timedelta(hours=2), tick=False):
        page = make_page(published=True, title="Embargoed report", body="<p>Old figures</p>")
        data = form_data(editor_client.get(change_url(page)), body_en="<p>New figures in May</p>", _submit="1")
        assert editor_client.post(change_url(page), data).status_code == 302
        data = form_data(
            publisher_client.get(change_url(page)), _schedule_changes="1", _changes_at=AT.strftime("%Y-%m-%dT%H:%M")
        )
        assert publisher_client.post(change_url(page), data).status_code == 302
    draft = Draft.objects.get()
    assert draft.state == Draft.State.SCHEDULED and draft.publish_at == AT
    return page


def test_visitors_see_the_changes_one_second_after_the_time_without_a_worker(client, scheduled):
    with time_machine.travel(AT - SECOND, tick=False):
        html = client.get(scheduled.get_absolute_url()).content.decode()
        assert "Old figures" in html and "New figures" not in html
        assert Draft.objects.exists()
    with time_machine.travel(AT + SECOND, tick=False):
        html = client.get(scheduled.get_absolute_url()).content.decode()
        assert "New figures in May" in html and "Old figures" not in html
    assert not Draft.objects.exists()
    entry = Activity.objects.get(action=Activity.Action.PUBLISHED)
    assert f"as scheduled for {AT.day} " in entry.message


def test_the_worker_applies_it_at_the_time(scheduled):
    with time_machine.travel(AT - SECOND, tick=False):
        run_tasks()
        scheduled.refresh_from_db()
        assert "Old figures" in scheduled.body
    with time_machine.travel(AT + SECOND, tick=False):
        run_tasks()
    scheduled.refresh_from_db()
    assert "New figures in May" in scheduled.body and not Draft.objects.exists()


def test_the_command_applies_due_drafts(scheduled):
    out = StringIO()
    with time_machine.travel(AT + SECOND, tick=False):
        call_command("apply_scheduled_drafts", stdout=out)
    assert out.getvalue().startswith("1 scheduled draft(s) published.")
    scheduled.refresh_from_db()
    assert "New figures in May" in scheduled.body


def test_the_page_cache_does_not_outlive_the_time(client, settings, scheduled):
    settings.IOMSITE_PAGE_CACHE = True
    with time_machine.travel(AT - timedelta(seconds=30), tick=False):
        assert "Old figures" in client.get(scheduled.get_absolute_url()).content.decode()
        assert client.get(scheduled.get_absolute_url())["X-Page-Cache"] == "hit"
    with time_machine.travel(AT + SECOND, tick=False):
        assert "New figures in May" in client.get(scheduled.get_absolute_url()).content.decode()


def test_an_editors_change_to_a_scheduled_draft_puts_it_back_in_review(client, editor_client, scheduled):
    with time_machine.travel(AT - timedelta(hours=1), tick=False):
        data = form_data(editor_client.get(change_url(scheduled)), body_en="<p>Editor sneaks words</p>")
        assert editor_client.post(change_url(scheduled), data).status_code == 302
    draft = Draft.objects.get()
    assert draft.state == Draft.State.IN_REVIEW and draft.publish_at is None
    with time_machine.travel(AT + SECOND, tick=False):
        html = client.get(scheduled.get_absolute_url()).content.decode()
    assert "Old figures" in html and "sneaks" not in html


def test_a_past_time_is_refused(publisher_client):
    page = make_page(published=True, title="Report")
    data = form_data(publisher_client.get(change_url(page)), title_en="Changed", _schedule_changes="1")
    data["_changes_at"] = "2000-01-01T09:00"
    response = publisher_client.post(change_url(page), data, follow=True)
    assert "give a date and time in the future" in response.content.decode()
    assert Draft.objects.get().state == Draft.State.EDITING
