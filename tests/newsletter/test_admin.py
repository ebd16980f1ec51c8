import csv
import io
from datetime import UTC, datetime

import pytest
from django.contrib.auth.models import Permission
from django.test import Client

from iomsite.newsletter.models import Subscriber

pytestmark = pytest.mark.django_db

CHANGELIST = "/admin/newsletter/subscriber/"
EXPORT = "/admin/newsletter/subscriber/export/"


@pytest.fixture
def subscribers(db):
    when = datetime(2026, 3, 14, 9, 30, tzinfo=UTC)
    return [
        Subscriber.objects.create(
            email="ana@example.org",
            language="es",
            topics=["labour-migration", "climate"],
            status="confirmed",
            confirmed_at=when,
        ),
        Subscriber.objects.create(email="ben@example.org", language="fr", status="confirmed", confirmed_at=when),
        Subscriber.objects.create(email="=cmd@example.org", language="en", status="confirmed", confirmed_at=when),
        Subscriber.objects.create(email="pending@example.org", status="pending"),
        Subscriber.objects.create(email="left@example.org", status="unsubscribed"),
    ]


def _rows(response):
    assert response["Content-Type"] == "text/csv; charset=utf-8"
    assert response["Content-Disposition"].startswith('attachment; filename="newsletter-subscribers-')
    content = b"".join(response.streaming_content).decode("utf-8-sig")
    return list(csv.reader(io.StringIO(content)))


def test_export_all_confirmed_subscribers_as_csv(staff_client, subscribers):
    rows = _rows(staff_client.get(EXPORT))
    assert rows[0] == ["email", "language", "topics", "confirmed_at"]
    assert rows[1:] == [
        ["'=cmd@example.org", "en", "", "2026-03-14T10:30:00+01:00"],  # a formula-like cell stays text
        ["ana@example.org", "es", "labour-migration climate", "2026-03-14T10:30:00+01:00"],
        ["ben@example.org", "fr", "", "2026-03-14T10:30:00+01:00"],
    ]


def test_export_action_on_selected_subscribers(staff_client, subscribers):
    ana, ben, _cmd, pending, _left = subscribers
    response = staff_client.post(
        CHANGELIST, {"action": "export_confirmed", "_selected_action": [ana.pk, pending.pk, ben.pk]}
    )
    assert [row[0] for row in _rows(response)[1:]] == ["ana@example.org", "ben@example.org"]


def test_changelist_offers_the_download_button(staff_client, subscribers):
    html = staff_client.get(CHANGELIST).content.decode()
    assert f'href="{EXPORT}"' in html
    assert "Export confirmed subscribers as CSV" in html


@pytest.mark.parametrize(
    "query",
    ["", "?status__exact=confirmed", "?language__exact=fr", "?q=ana", "?status__exact=pending&language__exact=en"],
)
def test_changelist_filters_and_search(staff_client, subscribers, query):
    response = staff_client.get(CHANGELIST + query)
    assert response.status_code == 200
    shown = {s.email for s in response.context["cl"].result_list}
    expected = {
        "": {s.email for s in subscribers},
        "?status__exact=confirmed": {"ana@example.org", "ben@example.org", "=cmd@example.org"},
        "?language__exact=fr": {"ben@example.org"},
        "?q=ana": {"ana@example.org"},
        "?status__exact=pending&language__exact=en": {"pending@example.org"},
    }[query]
    assert shown == expected


def test_change_page_is_a_read_only_record(staff_client, subscribers):
    ana = subscribers[0]
    response = staff_client.get(f"{CHANGELIST}{ana.pk}/change/")
    assert response.status_code == 200
    html = response.content.decode()
    assert "ana@example.org" in html and "labour-migration, climate" in html
    assert 'name="email"' not in html
    staff_client.post(f"{CHANGELIST}{ana.pk}/change/", {"email": "x@example.org", "status": "pending"})
    ana.refresh_from_db()
    assert (ana.email, ana.status) == ("ana@example.org", "confirmed")


def test_subscribers_are_never_typed_in(staff_client):
    assert staff_client.get(f"{CHANGELIST}add/").status_code == 403


def test_unsubscribe_selected_action(staff_client, subscribers):
    ana, ben, *_ = subscribers
    staff_client.post(CHANGELIST, {"action": "unsubscribe_selected", "_selected_action": [ana.pk]})
    ana.refresh_from_db()
    ben.refresh_from_db()
    assert ana.status == "unsubscribed" and ana.unsubscribed_at is not None
    assert ben.status == "confirmed"


def test_delete_page_renders(staff_client, subscribers):
    assert staff_client.get(f"{CHANGELIST}{subscribers[0].pk}/delete/").status_code == 200


def _staff(django_user_model, username, *codenames):
    user = django_user_model.objects.create_user(username, password="pw-for-tests-only", is_staff=True)
    user.user_permissions.set(Permission.objects.filter(codename__in=codenames))
    client = Client()
    client.force_login(user)
    return client


def test_export_needs_the_view_permission(django_user_model, subscribers, client):
    assert client.get(EXPORT).status_code == 302  # anonymous: to the login page
    assert _staff(django_user_model, "other").get(EXPORT).status_code == 403
    viewer = _staff(django_user_model, "viewer", "view_subscriber")
    response = viewer.get(EXPORT)
    assert response.status_code == 200
    assert len(_rows(response)) == 4
    # A viewer sees the list and the download, but may not unsubscribe anyone.
    html = viewer.get(CHANGELIST).content.decode()
    assert "export_confirmed" in html and "unsubscribe_selected" not in html
