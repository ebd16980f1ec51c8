"""What leaves the site for other programs: iCalendar files, RSS and Atom feeds, the sitemap."""

import xml.etree.ElementTree as ET
from datetime import UTC, date, datetime, timedelta

import icalendar
import pytest
import time_machine
from django.utils import timezone

from consultations.calendar import PRODID
from tests.consultations.factories import live, make_country, make_event, make_series
from tests.helpers import sitemap_pages

pytestmark = pytest.mark.django_db

ATOM = "{http://www.w3.org/2005/Atom}"


@pytest.fixture
def in_2016():
    """The clock in 2016: the fixture's events (2015 to 2018) are in the series calendar's window."""
    with time_machine.travel(datetime(2016, 6, 1, 12, tzinfo=UTC), tick=False):
        yield


@pytest.fixture
def series(db):
    series = make_series("iom-cso-annual-consultations", title="IOM-CSO Annual Consultations")
    switzerland = make_country("CH", "Switzerland")
    make_event(
        series,
        "protecting-and-positively-impacting-migrant-lives",
        date(2015, 9, 18),
        title="Protecting and Positively Impacting Migrant Lives",
        summary="Keeping migrants safe.",
        city="Geneva",
        country=switzerland,
    )
    make_event(
        series,
        "regional",
        date(2017, 12, 30),
        end_date=date(2018, 1, 2),
        title="Over the new year",
        city="Nairobi",
        country=make_country("KE", "Kenya"),
    )
    make_event(series, "draft-one", date(2016, 1, 1), title="Draft consultation", published=False)
    make_event(
        series,
        "expired-one",
        date(2016, 2, 1),
        title="Expired consultation",
        **live(unpublish_at=timezone.now() - timedelta(days=1)),
    )
    return series


def parse_calendar(response):
    assert response.status_code == 200
    assert response["Content-Type"] == "text/calendar; charset=utf-8"
    return icalendar.Calendar.from_ical(response.content)


def test_series_calendar_parses_back_with_one_event_per_published_event(client, in_2016, series):
    response = client.get("/en/consultations/iom-cso-annual-consultations/calendar.ics")
    cal = parse_calendar(response)
    assert str(cal["PRODID"]) == PRODID and str(cal["VERSION"]) == "2.0"
    assert str(cal["X-WR-CALNAME"]) == "IOM-CSO Annual Consultations"
    events = cal.walk("VEVENT")
    assert [str(e["SUMMARY"]) for e in events] == [
        "Protecting and Positively Impacting Migrant Lives",
        "Over the new year",
    ]
    one_day, new_year = events
    # All-day events: VALUE=DATE, and DTEND is the day after the last day.
    assert one_day["DTSTART"].dt == date(2015, 9, 18) and one_day["DTEND"].dt == date(2015, 9, 19)
    assert one_day["DTSTART"].params.get("VALUE") == "DATE"
    assert new_year["DTSTART"].dt == date(2017, 12, 30) and new_year["DTEND"].dt == date(2018, 1, 3)
    assert str(one_day["LOCATION"]) == "Geneva, Switzerland"
    url = "http://testserver/en/consultations/iom-cso-annual-consultations/2015/"
    assert str(one_day["URL"]) == url + "protecting-and-positively-impacting-migrant-lives/"
    assert "Keeping migrants safe." in str(one_day["DESCRIPTION"])
    for event in events:
        assert event["DTSTAMP"].dt.tzinfo is not None
        assert str(event["UID"]).startswith("consultation-event-")
    assert len({str(e["UID"]) for e in events}) == 2
    assert b"Draft consultation" not in response.content and b"Expired consultation" not in response.content


def test_uids_are_stable_across_languages_hosts_and_edits(client, in_2016, series):
    def uids(url, **extra):
        return [str(e["UID"]) for e in parse_calendar(client.get(url, **extra)).walk("VEVENT")]

    english = uids("/en/consultations/iom-cso-annual-consultations/calendar.ics")
    french = uids("/fr/consultations/iom-cso-annual-consultations/calendar.ics", HTTP_HOST="localhost")
    assert english == french
    event = series.events.get(slug="regional")
    event.title = "Renamed"
    event.save()
    assert uids("/en/consultations/iom-cso-annual-consultations/calendar.ics") == english


def test_french_calendar_uses_french_dates_and_links(client, in_2016, series):
    cal = parse_calendar(client.get("/fr/consultations/iom-cso-annual-consultations/calendar.ics"))
    first = cal.walk("VEVENT")[0]
    assert "18 septembre 2015" in str(first["DESCRIPTION"])
    assert str(first["URL"]).startswith("http://testserver/fr/consultations/")


def summaries(response):
    return [str(event["SUMMARY"]) for event in parse_calendar(response).walk("VEVENT")]


def test_series_calendar_holds_the_last_twelve_months_and_everything_coming(client):
    with time_machine.travel(datetime(2020, 6, 15, 12, tzinfo=UTC), tick=False):
        series = make_series("annual")
        make_event(series, "too-old", date(2019, 5, 1), title="Too old")
        make_event(series, "long", date(2019, 6, 1), end_date=date(2019, 6, 20), title="Ended within the year")
        make_event(series, "recent", date(2019, 9, 1), title="Recent")
        make_event(series, "soon", date(2020, 7, 1), title="Soon")
        make_event(series, "far", date(2030, 1, 1), title="Far ahead")
        make_event(series, "secret", date(2020, 8, 1), title="Secret draft", published=False)
        got = summaries(client.get("/en/consultations/annual/calendar.ics"))
    assert got == ["Ended within the year", "Recent", "Soon", "Far ahead"]


def test_series_calendar_keeps_the_nearest_events_when_there_are_too_many(client, monkeypatch):
    monkeypatch.setattr("consultations.views.CALENDAR_LIMIT", 3)
    today = date(2020, 6, 15)
    with time_machine.travel(datetime(2020, 6, 15, 12, tzinfo=UTC), tick=False):
        series = make_series("annual")
        for days in (-100, -10, 10, 20):
            make_event(series, f"at-{days}", today + timedelta(days=days), title=f"At {days}")
        got = summaries(client.get("/en/consultations/annual/calendar.ics"))
    assert got == ["At -10", "At 10", "At 20"]  # every upcoming one, then the newest past ones; in date order


def test_event_ics_download(client, series):
    url = "/en/consultations/iom-cso-annual-consultations/2017/regional.ics"
    response = client.get(url)
    cal = parse_calendar(response)
    assert response["Content-Disposition"] == 'attachment; filename="regional-2017.ics"'
    (event,) = cal.walk("VEVENT")
    assert str(event["SUMMARY"]) == "Over the new year"
    assert event["DTEND"].dt == date(2018, 1, 3)
    assert client.get("/en/consultations/iom-cso-annual-consultations/2016/draft-one.ics").status_code == 404
    assert client.get("/en/consultations/iom-cso-annual-consultations/2016/regional.ics").status_code == 404


def test_calendar_of_a_draft_series_is_404(client):
    hidden = make_series("hidden", published=False)
    make_event(hidden, "e")
    assert client.get("/en/consultations/hidden/calendar.ics").status_code == 404


def test_rss_feed_lists_published_events_newest_first(client, series):
    response = client.get("/en/consultations/feed/")
    assert response.status_code == 200 and response["Content-Type"].startswith("application/rss+xml")
    channel = ET.fromstring(response.content).find("channel")
    items = channel.findall("item")
    assert [i.findtext("title") for i in items] == [
        "Over the new year",
        "Protecting and Positively Impacting Migrant Lives",
    ]
    assert items[0].findtext("link").endswith("/en/consultations/iom-cso-annual-consultations/2017/regional/")
    assert "30 December 2017-2 January 2018" in items[0].findtext("description")
    assert b"Draft consultation" not in response.content and b"Expired consultation" not in response.content


def test_series_atom_feed(client, series):
    other = make_series("other")
    make_event(other, "elsewhere", title="Another series' event")
    response = client.get("/fr/consultations/iom-cso-annual-consultations/feed/atom/")
    assert response.status_code == 200 and response["Content-Type"].startswith("application/atom+xml")
    feed = ET.fromstring(response.content)
    titles = [entry.findtext(f"{ATOM}title") for entry in feed.findall(f"{ATOM}entry")]
    assert titles == ["Over the new year", "Protecting and Positively Impacting Migrant Lives"]
    assert feed.findall(f"{ATOM}entry")[1].findtext(f"{ATOM}summary").startswith("18 septembre 2015")
    assert client.get("/en/consultations/nope/feed/").status_code == 404


def test_feeds_skip_events_of_draft_series(client):
    hidden = make_series("hidden", published=False)
    make_event(hidden, "in-hidden", title="Hidden series event")
    assert b"Hidden series event" not in client.get("/en/consultations/feed/").content
    assert client.get("/en/consultations/hidden/feed/").status_code == 404


def test_sitemap_lists_published_series_and_events_only(client, series):
    make_series("draft-series", published=False)
    event = series.events.get(slug="regional")
    event.title_fr = "Consultation régionale"
    event.save()
    content = sitemap_pages(client)
    assert "http://testserver/en/consultations/iom-cso-annual-consultations/" in content
    assert "/en/consultations/iom-cso-annual-consultations/2017/regional/" in content
    assert "/fr/consultations/iom-cso-annual-consultations/2017/regional/" in content
    assert "draft-one" not in content and "expired-one" not in content and "draft-series" not in content
