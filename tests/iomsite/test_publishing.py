from datetime import timedelta

import pytest
import time_machine
from django.contrib.auth.models import AnonymousUser
from django.utils import timezone

from iomsite import content
from iomsite.models import Page, Status
from iomsite.preview import visible
from tests.factories import examples
from tests.iomsite.factories import make_page

pytestmark = pytest.mark.django_db

NOW = timezone.make_aware(timezone.datetime(2026, 6, 1, 12, 0, 0))


def slugs(queryset):
    return set(queryset.values_list("slug", flat=True))


def truth_table(now):
    """Publishing states, each with whether visitors see it at ``now``."""
    day = timedelta(days=1)
    return {
        "draft": ({"status": Status.DRAFT, "publish_at": now - day}, False),
        "scheduled": ({"status": Status.PUBLISHED, "publish_at": now + timedelta(hours=1)}, False),
        "live": ({"status": Status.PUBLISHED, "publish_at": now - day}, True),
        "ending": (
            {
                "status": Status.PUBLISHED,
                "publish_at": now - timedelta(days=2),
                "unpublish_at": now + timedelta(days=1),
            },
            True,
        ),
        "expired": (
            {
                "status": Status.PUBLISHED,
                "publish_at": now - timedelta(days=2),
                "unpublish_at": now - timedelta(days=1),
            },
            False,
        ),
    }


@pytest.mark.parametrize("model", [item.model for item in content.content_models()], ids=lambda m: m._meta.label)
def test_publishing_truth_table_of_every_content_model(model, rf):
    """What visitors see of each declared model, parts included (they follow their owner): one table for all.

    The examples come from each app's ``tests/<app>/factories.py`` (``EXAMPLES``); a new content
    type fails here until it has one.
    """
    make = examples().get(model)
    assert make is not None, f"tests/{model._meta.app_label}/factories.py has no EXAMPLES entry for {model.__name__}"
    visitor = rf.get("/")
    visitor.user = AnonymousUser()
    now = timezone.now()
    for state, (fields, shown) in truth_table(now).items():
        obj = make(**fields)
        assert visible(visitor, model._default_manager.all()).filter(pk=obj.pk).exists() is shown, state
        if hasattr(model._default_manager.all(), "published"):
            assert model._default_manager.published(now).filter(pk=obj.pk).exists() is shown, state


def test_schedule_boundaries_to_the_second():
    page = make_page("timed", publish_at=NOW, unpublish_at=NOW + timedelta(hours=1))
    second = timedelta(seconds=1)
    assert not Page.objects.published(NOW - second).exists()
    assert Page.objects.published(NOW).exists()
    assert Page.objects.published(NOW + timedelta(hours=1) - second).exists()
    assert not Page.objects.published(NOW + timedelta(hours=1)).exists()
    assert page.publication_state in {"live", "scheduled", "expired"}


def test_states_by_the_clock():
    page = make_page("clock", publish_at=NOW + timedelta(hours=1), unpublish_at=NOW + timedelta(hours=2))
    with time_machine.travel(NOW, tick=False):
        assert page.publication_state == "scheduled"
    with time_machine.travel(NOW + timedelta(minutes=90), tick=False):
        assert page.publication_state == "live"
    with time_machine.travel(NOW + timedelta(hours=3), tick=False):
        assert page.publication_state == "expired"
    page.status = Status.DRAFT
    assert page.publication_state == "draft"


def test_scheduled_page_goes_live_without_any_job(client):
    make_page("launch", publish_at=NOW + timedelta(minutes=5))
    with time_machine.travel(NOW, tick=False):
        assert client.get("/en/launch/").status_code == 404
    with time_machine.travel(NOW + timedelta(minutes=6), tick=False):
        assert client.get("/en/launch/").status_code == 200


def test_draft_page_is_404_for_visitors_and_preview_for_staff(client, staff_client):
    make_page("secret-plan", published=False, title="Secret plan")
    response = client.get("/en/secret-plan/")
    assert response.status_code == 404
    assert "Secret plan" not in response.content.decode()
    response = staff_client.get("/en/secret-plan/")
    assert response.status_code == 200
    assert "Preview" in response.content.decode()
    assert "no-cache" in response["Cache-Control"]


def test_unpublish_must_follow_publish():
    from django.core.exceptions import ValidationError

    page = Page(title="x", slug="x", publish_at=NOW, unpublish_at=NOW - timedelta(hours=1))
    with pytest.raises(ValidationError):
        page.full_clean()


def test_updated_at_bumped_with_update_fields():
    page = make_page("stamp")
    before = page.updated_at
    with time_machine.travel(timezone.now() + timedelta(minutes=1)):
        page.title = "Changed"
        page.save(update_fields=["title"])
    page.refresh_from_db()
    assert page.updated_at > before
