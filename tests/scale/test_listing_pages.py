"""Deep pages of a consultation series and the home page's events, read without sorting every event.

The series listing shows upcoming events soonest first, then past events newest first. It
is read page by page with index scans (``UpcomingThenPast``); these tests check it is the
same list, page for page, as ``upcoming()`` followed by ``past()`` (and, where no two events
share a day, as the single sorted query ``upcoming_then_past()`` it replaces).
"""

import io
from datetime import date, datetime, timedelta

import pytest
import time_machine
from django.core.management import call_command
from django.utils import timezone

from iomsite.generate import PREFIX

pytestmark = pytest.mark.django_db

# Generated events of a series run back five days at a time from 1 June 2027: on this day
# some are still to come and the rest are past, so the boundary falls inside the listing.
TODAY = datetime(2027, 4, 1, 12, tzinfo=timezone.get_fixed_timezone(0))


@pytest.fixture
def series():
    from consultations.models import ConsultationEvent, ConsultationSeries

    call_command("generate_content", scale=0.15, skip_search=True, stdout=io.StringIO())
    series = ConsultationSeries.objects.get(slug=f"{PREFIX}series-1")
    # A running event (started before today, ends after it) and a draft, to test the edges.
    first = ConsultationEvent.objects.filter(series=series).order_by("start_date").first()
    first.start_date, first.end_date = date(2027, 3, 30), date(2027, 4, 2)
    first.save()
    return series


def listed(client, url):
    """Every event of every page of the listing at ``url``, in the order shown."""
    events, number = [], 1
    while True:
        response = client.get(f"{url}?page={number}")
        assert response.status_code == 200
        page = response.context["page"]
        events += [event.pk for event in page.object_list]
        if not page.has_next():
            return events
        number += 1


@time_machine.travel(TODAY, tick=False)
def test_every_page_matches_the_single_sorted_list(client, series):
    from consultations.models import ConsultationEvent

    events = ConsultationEvent.objects.published().filter(series=series)
    today = timezone.localdate()
    expected = [*events.upcoming(today).values_list("pk", flat=True), *events.past(today).values_list("pk", flat=True)]
    shown = listed(client, series.get_absolute_url())
    assert len(expected) > 20  # several pages
    assert shown == expected
    assert shown == list(events.upcoming_then_past(today).values_list("pk", flat=True))  # one event a day here
    upcoming = ConsultationEvent.objects.published().filter(series=series).upcoming(timezone.localdate())
    assert 0 < upcoming.count() < len(expected)  # the boundary is inside the listing


@time_machine.travel(TODAY, tick=False)
def test_a_running_event_is_upcoming_until_its_last_day(client, series):
    from consultations.models import ConsultationEvent

    running = ConsultationEvent.objects.get(series=series, start_date=date(2027, 3, 30))
    events = ConsultationEvent.objects.published().filter(series=series)
    assert running in events.upcoming(timezone.localdate())
    assert running not in events.past(timezone.localdate())
    assert running in events.past(timezone.localdate() + timedelta(days=2))


@time_machine.travel(TODAY, tick=False)
def test_filtered_listing_keeps_the_order(client, series):
    from consultations.models import ConsultationEvent

    event = ConsultationEvent.objects.published().filter(series=series).exclude(country=None).first()
    events = ConsultationEvent.objects.published().filter(series=series, country=event.country)
    today = timezone.localdate()
    expected = [*events.upcoming(today).values_list("pk", flat=True), *events.past(today).values_list("pk", flat=True)]
    response = client.get(f"{series.get_absolute_url()}?country={event.country.iso_code}")
    assert [e.pk for e in response.context["page"].object_list] == expected[:20]


@time_machine.travel(TODAY, tick=False)
def test_home_shows_what_is_coming_first_then_the_latest(client, series):
    from consultations.apps import home_items
    from consultations.models import ConsultationEvent

    events = ConsultationEvent.objects.published().in_published_series()
    assert [e.pk for e in home_items()] == [e.pk for e in events.upcoming(timezone.localdate())[:4]]
    with time_machine.travel(datetime(2030, 1, 1, tzinfo=timezone.get_fixed_timezone(0)), tick=False):
        # Nothing is coming any more: the events that ended last.
        assert [e.pk for e in home_items()] == [e.pk for e in events.latest_past(timezone.localdate())[:4]]


@time_machine.travel(TODAY, tick=False)
def test_index_counts_and_year_themes_without_loading_every_event(client, series, django_assert_max_num_queries):
    from consultations.models import ConsultationEvent
    from consultations.views import THEMES_ON_INDEX, UPCOMING_ON_INDEX

    live = ConsultationEvent.objects.published().filter(series=series)
    for number, pk in enumerate(live.order_by("start_date").values_list("pk", flat=True)[: THEMES_ON_INDEX + 5]):
        ConsultationEvent.objects.filter(pk=pk).update(theme_en=f"Year theme {number}")
    with django_assert_max_num_queries(10):
        response = client.get("/en/consultations/")
    assert response.status_code == 200
    listed_series = {s.pk: s for s in response.context["series_list"]}
    assert listed_series[series.pk].event_count == live.count()
    themed = [e.pk for e in live.exclude(theme_en="").order_by("start_date", "pk")]
    assert len(themed) > THEMES_ON_INDEX  # the latest are shown, oldest first, with a link to the rest
    assert [e.pk for e in listed_series[series.pk].themed_events] == themed[-THEMES_ON_INDEX:]
    assert listed_series[series.pk].more_themes
    upcoming = ConsultationEvent.objects.published().in_published_series().upcoming(timezone.localdate())
    assert upcoming.count() > UPCOMING_ON_INDEX  # the rest are on each series' page, linked
    assert [e.pk for e in response.context["upcoming"]] == [e.pk for e in upcoming[:UPCOMING_ON_INDEX]]
    assert response.context["more_upcoming"]
