"""The lifecycle truth table: the stage of an event by the clock, its time zone and the editor's settings."""

from datetime import UTC, date, datetime

import pytest
import time_machine

from consultations.lifecycle import Stage, lifecycle
from consultations.models import Registration
from tests.consultations.factories import make_event, make_series

pytestmark = pytest.mark.django_db


def utc(*parts):
    return datetime(*parts, tzinfo=UTC)


@pytest.fixture
def nairobi(db):
    """Two days in Nairobi (UTC+3), registration from 1 February 09:00 UTC to 5 March 00:00 UTC."""
    return make_event(
        make_series(),
        start=date(2026, 3, 10),
        end_date=date(2026, 3, 11),
        city="Nairobi",
        time_zone="Africa/Nairobi",
        registration_enabled=True,
        registration_opens_at=utc(2026, 2, 1, 9),
        registration_closes_at=utc(2026, 3, 5),
    )


@pytest.mark.parametrize(
    ("moment", "stage"),
    [
        (utc(2026, 1, 15), Stage.ANNOUNCED),
        (utc(2026, 2, 1, 8, 59, 59), Stage.ANNOUNCED),
        (utc(2026, 2, 1, 9), Stage.REGISTRATION_OPEN),
        (utc(2026, 3, 4, 23, 59, 59), Stage.REGISTRATION_OPEN),
        (utc(2026, 3, 5), Stage.REGISTRATION_CLOSED),
        (utc(2026, 3, 9, 20, 59, 59), Stage.REGISTRATION_CLOSED),  # 23:59:59 in Nairobi, the day before
        (utc(2026, 3, 9, 21), Stage.ONGOING),  # midnight in Nairobi: the first day has begun there
        (utc(2026, 3, 11, 20, 59, 59), Stage.ONGOING),
        (utc(2026, 3, 11, 21), Stage.CONCLUDED),
        (utc(2027, 3, 11, 20, 59, 59), Stage.CONCLUDED),  # the last day + 365 days, still in Nairobi
        (utc(2027, 3, 11, 21), Stage.ARCHIVED),
    ],
)
def test_stage_by_date_in_the_event_time_zone(nairobi, moment, stage):
    assert lifecycle(nairobi, moment).stage == stage
    with time_machine.travel(moment, tick=False):
        assert nairobi.lifecycle_at(moment).stage == stage
        assert lifecycle(nairobi).stage == stage  # the clock by default


@pytest.mark.parametrize(
    ("zone", "stage"),
    [
        ("Africa/Nairobi", Stage.ONGOING),  # 01:00 on 10 March
        ("Europe/Zurich", Stage.ANNOUNCED),  # 23:00 on 9 March
        ("America/New_York", Stage.ANNOUNCED),  # 17:00 on 9 March
        ("Pacific/Auckland", Stage.ONGOING),  # 11:00 on 10 March
    ],
)
def test_the_same_moment_is_a_different_stage_in_another_time_zone(zone, stage):
    event = make_event(make_series(), start=date(2026, 3, 10), time_zone=zone)
    assert lifecycle(event, utc(2026, 3, 9, 22)).stage == stage


def test_the_last_day_ends_at_midnight_where_the_event_is():
    moment = utc(2026, 3, 11, 2)  # 11 March in UTC, still 10 March in New York
    new_york = make_event(make_series(), start=date(2026, 3, 10), time_zone="America/New_York")
    zurich = make_event(make_series(), start=date(2026, 3, 10), time_zone="Europe/Zurich")
    assert lifecycle(new_york, moment).stage == Stage.ONGOING
    assert lifecycle(zurich, moment).stage == Stage.CONCLUDED


def test_without_registration_an_event_is_announced_until_it_starts(nairobi):
    nairobi.registration_enabled = False
    assert lifecycle(nairobi, utc(2026, 2, 15)).stage == Stage.ANNOUNCED
    assert lifecycle(nairobi, utc(2026, 3, 10, 12)).stage == Stage.ONGOING


def test_open_registration_without_dates_is_open_from_publication_to_the_first_day():
    event = make_event(make_series(), start=date(2026, 3, 10), registration_enabled=True)
    assert lifecycle(event, utc(2025, 1, 1)).stage == Stage.REGISTRATION_OPEN
    assert lifecycle(event, utc(2026, 3, 9, 22, 59)).stage == Stage.REGISTRATION_OPEN
    assert lifecycle(event, utc(2026, 3, 9, 23)).stage == Stage.ONGOING  # midnight in Zurich (UTC+1)


def test_a_cancelled_event_is_cancelled_whatever_the_date(nairobi):
    nairobi.cancelled = True
    for moment in (utc(2026, 1, 1), utc(2026, 2, 15), utc(2026, 3, 10, 12), utc(2028, 1, 1)):
        stage = lifecycle(nairobi, moment)
        assert stage.stage == Stage.CANCELLED
        assert stage.ical_status == "CANCELLED"


@pytest.mark.parametrize(
    ("capacity", "waiting_list", "confirmed", "stage", "full"),
    [
        (None, False, 50, Stage.REGISTRATION_OPEN, False),
        (3, False, 2, Stage.REGISTRATION_OPEN, False),
        (3, False, 3, Stage.REGISTRATION_CLOSED, True),  # until full
        (3, True, 3, Stage.REGISTRATION_OPEN, True),  # full, the waiting list takes registrations
        (3, True, 2, Stage.REGISTRATION_OPEN, False),
    ],
)
def test_registration_is_open_until_full(nairobi, capacity, waiting_list, confirmed, stage, full):
    nairobi.capacity, nairobi.waiting_list = capacity, waiting_list
    nairobi.save()
    for n in range(confirmed):
        Registration.objects.create(event=nairobi, name=f"P{n}", email=f"p{n}@example.org", status="confirmed")
    Registration.objects.create(event=nairobi, name="Pending", email="pending@example.org")  # holds no place
    Registration.objects.create(event=nairobi, name="Gone", email="gone@example.org", status="cancelled")
    result = lifecycle(nairobi, utc(2026, 2, 15))
    assert (result.stage, result.full) == (stage, full)
    # The listings' annotation gives the same answer without a query per event.
    annotated = type(nairobi).objects.with_places().get(pk=nairobi.pk)
    assert annotated.places_taken == confirmed
    assert lifecycle(annotated, utc(2026, 2, 15)) == result


# Where the stage shows -------------------------------------------------------------------

TRAVEL = utc(2026, 2, 15, 12)  # registration open for ``nairobi``


@pytest.fixture
def online(nairobi):
    nairobi.attendance = "hybrid"
    nairobi.meeting_url = "https://meet.example.org/secret-room-42"
    nairobi.save()
    return nairobi


def test_event_series_and_index_pages_show_the_stage(client, online):
    with time_machine.travel(TRAVEL, tick=False):
        page = client.get(online.get_absolute_url()).content.decode()
        assert "event-stage-registration-open" in page
        assert online.get_register_url() in page
        series = client.get(online.series.get_absolute_url()).content.decode()
        assert "event-stage-registration-open" in series
        index = client.get("/en/consultations/").content.decode()
        assert "event-stage-registration-open" in index
    with time_machine.travel(utc(2026, 3, 10, 12), tick=False):
        page = client.get(online.get_absolute_url()).content.decode()
        assert "event-stage-ongoing" in page
        assert online.get_register_url() not in page
    with time_machine.travel(utc(2026, 4, 1), tick=False):
        assert "event-stage-concluded" in client.get(online.series.get_absolute_url()).content.decode()


def test_the_meeting_link_is_never_on_a_public_surface(client, online):
    with time_machine.travel(TRAVEL, tick=False):
        for url in (
            online.get_absolute_url(),
            online.get_register_url(),
            online.series.get_absolute_url(),
            online.get_ical_url(),
            "/en/consultations/",
            "/en/consultations/feed/",
            "/en/consultations/feed/atom/",
            f"/en/consultations/{online.series.slug}/calendar.ics",
        ):
            response = client.get(url)
            assert response.status_code == 200, url
            assert b"secret-room-42" not in response.content, url


def test_calendar_status_and_registration_link(client, nairobi):
    with time_machine.travel(TRAVEL, tick=False):
        text = client.get(nairobi.get_ical_url()).content.decode().replace("\r\n ", "")
        assert "STATUS:CONFIRMED" in text
        assert "Registration open" in text
        assert "http://testserver" + nairobi.get_register_url() in text
    with time_machine.travel(utc(2026, 3, 6), tick=False):
        text = client.get(nairobi.get_ical_url()).content.decode().replace("\r\n ", "")
        assert "Registration closed" in text
        assert nairobi.get_register_url() not in text
    nairobi.cancelled = True
    nairobi.save()
    with time_machine.travel(TRAVEL, tick=False):
        series_calendar = client.get(f"/en/consultations/{nairobi.series.slug}/calendar.ics").content.decode()
        assert "STATUS:CANCELLED" in series_calendar


def test_feeds_carry_the_stage(client, nairobi):
    with time_machine.travel(TRAVEL, tick=False):
        assert "Registration open" in client.get("/en/consultations/feed/").content.decode()
    with time_machine.travel(utc(2026, 3, 20), tick=False):
        assert "Concluded" in client.get("/en/consultations/feed/atom/").content.decode()


def test_a_full_event_says_so_and_offers_the_waiting_list(client, nairobi):
    nairobi.capacity = 1
    nairobi.save()
    Registration.objects.create(event=nairobi, name="A", email="a@example.org", status="confirmed")
    with time_machine.travel(TRAVEL, tick=False):
        page = client.get(nairobi.get_absolute_url()).content.decode()
        assert "Join the waiting list" in page
    nairobi.waiting_list = False
    nairobi.save()
    with time_machine.travel(TRAVEL, tick=False):
        page = client.get(nairobi.get_absolute_url()).content.decode()
        assert "Every place is taken: registration is closed." in page
        assert client.get(nairobi.get_register_url()).status_code == 200  # says it is not open
        assert b"<form" not in client.get(nairobi.get_register_url()).content.split(b"<main")[-1]


def test_a_cached_event_page_shows_full_as_soon_as_the_last_place_goes(client, nairobi, settings):
    """Registrations are content-app rows: confirming one retires cached pages (decision 011), no cron."""
    settings.IOMSITE_PAGE_CACHE = True
    nairobi.capacity = 1
    nairobi.save()
    with time_machine.travel(TRAVEL, tick=False):
        client.get(nairobi.get_absolute_url())
        cached = client.get(nairobi.get_absolute_url())
        assert cached["X-Page-Cache"] == "hit"
        assert "Join the waiting list" not in cached.content.decode()
        Registration.objects.create(event=nairobi, name="A", email="a@example.org", status="confirmed")
        fresh = client.get(nairobi.get_absolute_url())
        assert fresh["X-Page-Cache"] == "miss"
        assert "Join the waiting list" in fresh.content.decode()
