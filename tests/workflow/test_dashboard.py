"""The admin home page shows each editor what needs attention."""

from datetime import timedelta

import pytest
from django.utils import timezone

from iomsite.models import Status
from tests.iomsite.factories import make_page

pytestmark = pytest.mark.django_db


def lists(response):
    board = response.context["board"]
    return {key: [item["title"] for item in items] for key, items in board.items()}


def test_dashboard_lists(editor, editor_client, publisher):
    now = timezone.now()
    mine = make_page(published=False, title="My draft", updated_by=editor)
    theirs = make_page(published=False, title="Their draft", updated_by=publisher)
    make_page(title="Going live", status=Status.PUBLISHED, publish_at=now + timedelta(days=2))
    make_page(title="Too far", status=Status.PUBLISHED, publish_at=now + timedelta(days=9))
    make_page(title="Leaving", publish_at=now - timedelta(days=1), unpublish_at=now + timedelta(days=3))
    response = editor_client.get("/admin/")
    assert response.status_code == 200
    found = lists(response)
    assert found["mine"] == [mine.title]
    assert found["drafts"] == [theirs.title]
    assert found["upcoming"] == ["Going live", "Leaving"]
    assert found["recent"][0] == "Leaving"
    html = response.content.decode()
    assert 'id="workflow-dashboard"' in html and "goes live" in html and "leaves the site" in html


@pytest.mark.parametrize("count", [3, 30])
def test_dashboard_query_count_does_not_grow(staff_client, django_assert_max_num_queries, count):
    for _n in range(count):
        make_page(published=False)
    with django_assert_max_num_queries(25):  # 12 measured; at most one more per content type with rows
        response = staff_client.get("/admin/")
    assert response.status_code == 200
    assert len(response.context["board"]["drafts"]) == min(count, 10)
