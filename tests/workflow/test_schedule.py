"""Scheduled publishing and unpublishing take effect by the clock alone (no job runs)."""

from datetime import UTC, datetime, timedelta

import pytest
import time_machine

from iomsite.models import Page, Status
from tests.iomsite.factories import make_page
from tests.workflow.helpers import change_url, form_data

pytestmark = pytest.mark.django_db

PUBLISH = datetime(2030, 3, 1, 9, 0, tzinfo=UTC)
UNPUBLISH = datetime(2030, 3, 8, 18, 0, tzinfo=UTC)
SECOND = timedelta(seconds=1)


@pytest.fixture
def scheduled():
    return make_page(published=False, status=Status.PUBLISHED, publish_at=PUBLISH, unpublish_at=UNPUBLISH)


@pytest.mark.parametrize(
    ("moment", "state", "visible"),
    [
        (PUBLISH - SECOND, "scheduled", False),
        (PUBLISH, "live", True),
        (PUBLISH + SECOND, "live", True),
        (UNPUBLISH - SECOND, "live", True),
        (UNPUBLISH, "expired", False),
        (UNPUBLISH + SECOND, "expired", False),
    ],
)
def test_schedule_boundaries(client, scheduled, moment, state, visible):
    with time_machine.travel(moment, tick=False):
        assert scheduled.publication_state == state
        assert Page.objects.published().filter(pk=scheduled.pk).exists() is visible
        assert client.get(scheduled.get_absolute_url()).status_code == (200 if visible else 404)


def test_admin_badges_and_state_filter_follow_the_clock(client, staff_user, scheduled):
    staff_client = client
    with time_machine.travel(PUBLISH - SECOND, tick=False):
        staff_client.force_login(staff_user)  # sessions expire: log in at the travelled time
        response = staff_client.get("/admin/iomsite/page/", {"state": "scheduled"})
        assert response.context["cl"].result_count == 1
        assert 'class="state-badge state-scheduled"' in response.content.decode()
    with time_machine.travel(PUBLISH + SECOND, tick=False):
        staff_client.force_login(staff_user)
        response = staff_client.get("/admin/iomsite/page/", {"state": "live"})
        assert response.context["cl"].result_count == 1
    with time_machine.travel(UNPUBLISH + SECOND, tick=False):
        staff_client.force_login(staff_user)
        response = staff_client.get("/admin/iomsite/page/", {"state": "expired"})
        assert response.context["cl"].result_count == 1


def test_publisher_schedules_with_the_button(client, publisher):
    page = make_page(published=False)
    publisher_client = client
    with time_machine.travel(PUBLISH - timedelta(days=2), tick=False):
        publisher_client.force_login(publisher)
        data = form_data(publisher_client.get(change_url(page)), _schedule="1")
        data.update({"publish_at_0": "2030-03-01", "publish_at_1": "10:00:00"})  # Zurich time, 09:00 UTC
        response = publisher_client.post(change_url(page), data)
        assert response.status_code == 302, response.context["adminform"].form.errors
        page.refresh_from_db()
        assert page.status == Status.PUBLISHED and page.publish_at == PUBLISH
        assert page.publication_state == "scheduled"
