"""What organisers and editors do with registrations and event documents in the admin."""

import csv
import io
from datetime import date

import pytest
import time_machine

from consultations.models import EventDocument, Registration
from tests.consultations.factories import make_country, make_event, make_series
from tests.iomsite.factories import make_document

pytestmark = pytest.mark.django_db

REGISTRATIONS = "/admin/consultations/registration/"
EVENTS = "/admin/consultations/consultationevent/"


@pytest.fixture
def event(db):
    return make_event(make_series(), start=date(2026, 3, 10), registration_enabled=True, title="Regional consultation")


def test_csv_export_for_organisers(staff_client, event):
    kenya = make_country("KE", "Kenya")
    Registration.objects.create(
        event=event, name="Ana Pérez", organisation="ICVA", email="ana@example.org", country=kenya, status="confirmed"
    )
    Registration.objects.create(event=event, name='=HYPERLINK("http://evil")', email="x@example.org")
    other = Registration.objects.create(event=make_event(make_series()), name="Not selected", email="n@example.org")
    assert staff_client.get(REGISTRATIONS).status_code == 200
    assert staff_client.get(REGISTRATIONS + f"{other.pk}/change/").status_code == 200
    selected = Registration.objects.filter(event=event).values_list("pk", flat=True)
    response = staff_client.post(REGISTRATIONS, {"action": "export_csv", "_selected_action": list(selected)})
    assert response.status_code == 200
    assert response["Content-Type"].startswith("text/csv")
    rows = list(csv.reader(io.StringIO(response.content.decode("utf-8-sig"))))
    assert rows[0][:5] == ["Event", "Status", "Name", "Organisation", "E-mail address"]
    assert len(rows) == 3
    assert rows[1][1:6] == ["Confirmed", "Ana Pérez", "ICVA", "ana@example.org", "Kenya"]
    assert rows[2][2].startswith("'=")  # a formula stays text in a spreadsheet
    assert "Not selected" not in response.content.decode()


def test_cancel_action_frees_the_place(staff_client, event, mailoutbox):
    row = Registration.objects.create(event=event, name="Ana", email="ana@example.org", status="confirmed")
    staff_client.post(REGISTRATIONS, {"action": "cancel_registrations", "_selected_action": [row.pk]})
    row.refresh_from_db()
    assert row.status == "cancelled"


def test_registrations_cannot_be_added_by_hand(staff_client):
    assert staff_client.get(REGISTRATIONS + "add/").status_code == 403


def test_concluded_events_without_report_are_listed_for_editors(staff_client):
    series = make_series()
    with_report = make_event(series, title="Has its report", start=date(2025, 5, 1))
    EventDocument.objects.create(event=with_report, document=make_document("Report"), role="report")
    missing = make_event(series, title="Report still missing", start=date(2025, 6, 1))
    EventDocument.objects.create(event=missing, document=make_document("Agenda"), role="agenda")
    make_event(series, title="Still to come", start=date(2026, 6, 1))
    with time_machine.travel("2026-01-10 12:00Z", tick=False):
        assert "Concluded without a report" in staff_client.get(EVENTS).content.decode()
        page = staff_client.get(EVENTS + "?followup=no_report").content.decode()
    assert "Report still missing" in page
    assert "Has its report" not in page and "Still to come" not in page


def test_event_page_groups_documents_by_role(client):
    event = make_event(make_series(), start=date(2025, 5, 1))
    for title, role, order in (
        ("Final report", "report", 1),
        ("Concept note 2025", "concept_note", 2),
        ("Day one slides", "presentation", 3),
        ("Programme", "agenda", 4),
    ):
        EventDocument.objects.create(event=event, document=make_document(title), role=role, sort_order=order)
    page = client.get(event.get_absolute_url()).content.decode()
    headings = ["<h3>Concept note</h3>", "<h3>Agenda</h3>", "<h3>Presentation</h3>", "<h3>Report</h3>"]
    positions = [page.index(heading) for heading in headings]
    assert positions == sorted(positions)
    assert page.index("Programme") < page.index("<h3>Presentation</h3>") < page.index("Final report")


def test_event_admin_shows_the_stage_and_the_registration_settings(staff_client, event):
    change = staff_client.get(EVENTS + f"{event.pk}/change/").content.decode()
    for field in ("registration_enabled", "capacity", "waiting_list", "meeting_url", "time_zone", "ask_country"):
        assert f'name="{field}"' in change
    with time_machine.travel("2026-02-01 12:00Z", tick=False):
        changelist = staff_client.get(EVENTS).content.decode()
        assert "Registration open" in changelist


def test_event_changelist_counts_registrations_and_links_to_them(staff_client, event):
    event.capacity = 40
    event.save()
    for n in range(3):
        Registration.objects.create(event=event, name=f"P{n}", email=f"p{n}@example.org", status="confirmed")
    Registration.objects.create(event=event, name="W", email="w@example.org", status="waiting")
    page = staff_client.get(EVENTS).content.decode()
    link = f"{REGISTRATIONS}?event__id__exact={event.pk}"
    assert f'<a href="{link}">3/40</a>' in page
    listing = staff_client.get(link).content.decode()
    assert "p0@example.org" in listing and "w@example.org" in listing
