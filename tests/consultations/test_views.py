import json
import re
from datetime import date, timedelta

import pytest
import time_machine
from django.utils import timezone

from consultations.models import ConsultationEvent, ConsultationsOverview, EventDocument, SeriesDocument
from iomsite.models import Status
from tests.consultations.factories import live, make_country, make_event, make_partner, make_series
from tests.iomsite.factories import make_document

pytestmark = pytest.mark.django_db

SERIES_URL = "/en/consultations/iom-ngo-humanitarian-consultations/"
NAIROBI_URL = SERIES_URL + "2017/iom-ngo-regional-humanitarian-consultation/"
TODAY = timezone.make_aware(timezone.datetime(2018, 6, 1, 12, 0))


@pytest.fixture
def countries(db):
    return {"CH": make_country("CH", "Switzerland"), "KE": make_country("KE", "Kenya")}


@pytest.fixture
def humanitarian(countries):
    """The IOM-NGO Humanitarian Consultations as the reference site lists them."""
    series = make_series(
        "iom-ngo-humanitarian-consultations",
        title="IOM-NGO Humanitarian Consultations",
        summary="A yearly platform for IOM and humanitarian NGOs.",
        overview="<p>Jointly organised with ICVA.</p>",
    )
    series.partners.add(make_partner())
    SeriesDocument.objects.create(series=series, document=make_document("Principles of Partnership"), sort_order=1)
    geneva = {"city": "Geneva", "country": countries["CH"]}
    make_event(
        series,
        "iom-ngo-humanitarian-consultation",
        date(2015, 6, 30),
        title="IOM-NGO Humanitarian Consultation",
        theme="Partnerships",
        **geneva,
    )
    make_event(
        series,
        "iom-ngo-humanitarian-consultation",
        date(2016, 6, 13),
        title="IOM-NGO Humanitarian Consultation",
        theme="IOM's role and emerging policy in humanitarian response and partnership",
        **geneva,
    )
    nairobi = make_event(
        series,
        "iom-ngo-regional-humanitarian-consultation",
        date(2017, 9, 11),
        end_date=date(2017, 9, 12),
        title="IOM-NGO Regional Humanitarian Consultation",
        summary="A regional edition over two days.",
        body="<p>Held in <strong>Nairobi</strong>.</p>",
        city="Nairobi",
        country=countries["KE"],
    )
    EventDocument.objects.create(event=nairobi, document=make_document("Nairobi programme"), sort_order=1)
    make_event(
        series,
        "iom-ngo-humanitarian-consultation",
        date(2018, 9, 25),
        title="IOM-NGO Humanitarian Consultation",
        **geneva,
    )
    return series


def rows(html):
    """The event links of the tables, in page order."""
    return re.findall(r'<td><a href="([^"]+)"', html)


def test_index_lists_series_and_the_theme_of_each_year(client, humanitarian):
    make_series("draft-series", published=False, title="Secret series")
    ConsultationsOverview.objects.create(title="IOM Consultations", body="<p>Since 2011, a dialogue.</p>", **live())
    response = client.get("/en/consultations/")
    html = response.content.decode()
    assert response.status_code == 200
    assert html.count("<h1") == 1 and "IOM Consultations" in html and "Since 2011, a dialogue." in html
    assert 'href="/en/consultations/iom-ngo-humanitarian-consultations/"' in html
    assert "Secret series" not in html
    assert "Partnerships" in html and "30 June 2015" in html
    assert html.index("Partnerships") < html.index("IOM&#x27;s role and emerging policy")  # oldest first
    assert "Organised with ICVA" in html and "4 events" in html
    assert 'type="application/rss+xml"' in html and 'href="/en/consultations/feed/"' in html


def test_index_without_an_overview_still_has_a_heading(client):
    html = client.get("/en/consultations/").content.decode()
    assert "<h1>Consultations</h1>" in html


def test_series_page_shows_overview_partners_documents_and_events_newest_first(client, humanitarian):
    with time_machine.travel(TODAY + timedelta(days=365), tick=False):
        html = client.get(SERIES_URL).content.decode()
    assert html.count("<h1") == 1 and "Jointly organised with ICVA." in html
    assert "International Council of Voluntary Agencies" in html and "(ICVA)" in html
    assert "Principles of Partnership" in html and "(PDF," in html
    assert rows(html) == [
        SERIES_URL + "2018/iom-ngo-humanitarian-consultation/",
        NAIROBI_URL,
        SERIES_URL + "2016/iom-ngo-humanitarian-consultation/",
        SERIES_URL + "2015/iom-ngo-humanitarian-consultation/",
    ]
    assert "11-12 September 2017" in html and "Nairobi, Kenya" in html and "Geneva, Switzerland" in html
    assert "Upcoming events" not in html and "Past events" in html
    assert f'href="{SERIES_URL}feed/"' in html and f'href="{SERIES_URL}calendar.ics"' in html
    assert "webcal://testserver" + SERIES_URL + "calendar.ics" in html


def test_series_page_puts_upcoming_events_apart(client, humanitarian):
    with time_machine.travel(TODAY, tick=False):
        html = client.get(SERIES_URL).content.decode()
    upcoming, past = html.split("Past events", 1)
    assert "Upcoming events" in upcoming
    assert rows(upcoming) == [SERIES_URL + "2018/iom-ngo-humanitarian-consultation/"]
    assert rows(past)[0] == NAIROBI_URL


@pytest.mark.parametrize(
    "query, expected",
    [
        ("?year=2017", [NAIROBI_URL]),
        ("?country=ke", [NAIROBI_URL]),
        ("?country=KE&year=2017", [NAIROBI_URL]),
        ("?country=CH", [SERIES_URL + f"{y}/iom-ngo-humanitarian-consultation/" for y in (2018, 2016, 2015)]),
        ("?year=1999", []),
        ("?year=0000", []),
        ("?country=ZZ", []),
        ("?year=2017&country=CH", []),
        ("?year=", None),
    ],
)
def test_series_filters(client, humanitarian, query, expected):
    response = client.get(SERIES_URL + query)
    assert response.status_code == 200
    html = response.content.decode()
    if expected is None:
        assert len(rows(html)) == 4
    else:
        assert rows(html) == expected
    if expected == []:
        assert "No event matches these filters." in html


@pytest.mark.parametrize(
    "query",
    [
        "?year=abc",
        "?year=17",
        "?year=20175",
        "?year=2017%0A",
        "?country=KE%0A",
        "?year=２０１７",
        "?country=kenya",
        "?country=K1",
        "?country=%00",
    ],
)
def test_malformed_filters_are_404_not_500(client, humanitarian, query):
    assert client.get(SERIES_URL + query).status_code == 404


def test_filter_options_come_from_the_series_events(client, humanitarian):
    html = client.get(SERIES_URL + "?country=KE").content.decode()
    assert '<option value="KE" selected>Kenya</option>' in html
    assert '<option value="CH">Switzerland</option>' in html
    assert '<option value="2017">2017</option>' in html and '<option value="2014">' not in html


def test_filter_options_in_french(client, humanitarian, countries):
    countries["CH"].title_fr = "Suisse"
    countries["CH"].save()
    html = client.get(SERIES_URL.replace("/en/", "/fr/")).content.decode()
    assert '<option value="KE">Kenya</option><option value="CH">Suisse</option>' in html
    assert "Genève" not in html  # the city was not translated: it stays as written
    assert '<span lang="en">Geneva</span>, Suisse' in html
    assert "Nairobi, Kenya" not in html and '<span lang="en">Kenya</span>' in html


def test_pagination_and_bad_page_numbers(client):
    series = make_series("busy")
    ConsultationEvent.objects.bulk_create(
        ConsultationEvent(
            series=series,
            slug=f"e{i}",
            title=f"Event {i}",
            start_date=date(2000, 1, 1) + timedelta(days=i),
            year=(date(2000, 1, 1) + timedelta(days=i)).year,
            **live(),
        )
        for i in range(25)
    )
    first = client.get("/en/consultations/busy/").content.decode()
    assert len(rows(first)) == 20 and 'rel="next"' in first
    assert rows(first)[0].endswith("/e24/")
    second = client.get("/en/consultations/busy/?page=2").content.decode()
    assert len(rows(second)) == 5 and rows(second)[-1].endswith("/e0/")
    for page in ("abc", "0", "-1", "3", "1.5", "99999999999"):
        assert client.get(f"/en/consultations/busy/?page={page}").status_code == 404, page
    filtered = client.get("/en/consultations/busy/?year=2000").content.decode()
    assert "year=2000&amp;page=2" in filtered or "page=2&amp;year=2000" in filtered


def test_event_page(client, humanitarian):
    from themes.models import Theme

    Theme.objects.create(title="Migration Policy", slug="migration-policy", path="migration-policy", **live())
    Theme.objects.create(title="Hidden Theme", slug="hidden-theme", path="hidden-theme", status=Status.DRAFT)
    nairobi = ConsultationEvent.objects.get(slug="iom-ngo-regional-humanitarian-consultation")
    nairobi.themes.set(Theme.objects.all())
    response = client.get(NAIROBI_URL)
    assert response.status_code == 200
    html = response.content.decode()
    assert html.count("<h1") == 1 and "IOM-NGO Regional Humanitarian Consultation</h1>" in html
    assert f'<a href="{SERIES_URL}"' in html
    assert '<time datetime="2017-09-11">11-12 September 2017</time>' in html
    assert 'Nairobi</span>, <a href="/en/regions/kenya/"' in html
    assert "A regional edition over two days." in html and "<strong>Nairobi</strong>" in html
    assert "Nairobi programme" in html and "(PDF," in html
    assert "Migration Policy" in html and "Hidden Theme" not in html
    assert f'href="{NAIROBI_URL[:-1]}.ics"' in html
    assert "International Council of Voluntary Agencies" in html


def test_event_page_in_french_and_spanish(client, humanitarian):
    html = client.get(NAIROBI_URL.replace("/en/", "/fr/")).content.decode()
    assert "11-12 septembre 2017" in html
    assert '<h1 lang="en">' in html  # no French title yet: English, marked as such
    html = client.get(NAIROBI_URL.replace("/en/", "/es/")).content.decode()
    assert "11-12 de septiembre de 2017" in html


def test_country_not_linked_when_its_page_is_not_public(client, humanitarian, countries):
    countries["KE"].status = Status.DRAFT
    countries["KE"].save()
    html = client.get(NAIROBI_URL).content.decode()
    assert "Kenya" in html and 'href="/en/regions/kenya/"' not in html


def test_previous_and_next_by_date(client, humanitarian):
    html = client.get(NAIROBI_URL).content.decode()
    assert re.search(rf'href="{SERIES_URL}2016/[^"]+" rel="prev"', html)
    assert re.search(rf'href="{SERIES_URL}2018/[^"]+" rel="next"', html)
    first = client.get(SERIES_URL + "2015/iom-ngo-humanitarian-consultation/").content.decode()
    assert 'rel="prev"' not in first and 'rel="next"' in first
    last = client.get(SERIES_URL + "2018/iom-ngo-humanitarian-consultation/").content.decode()
    assert 'rel="prev"' in last and 'rel="next"' not in last


def test_previous_next_skip_drafts_and_break_same_day_ties(client):
    series = make_series("ties")
    a = make_event(series, "a", date(2020, 5, 1))
    make_event(series, "draft", date(2020, 5, 2), published=False)
    b = make_event(series, "b", date(2020, 5, 3))
    c = make_event(series, "c", date(2020, 5, 3))
    html = client.get(b.get_absolute_url()).content.decode()
    assert f'href="{a.get_absolute_url()}" rel="prev"' in html
    assert f'href="{c.get_absolute_url()}" rel="next"' in html
    assert "/draft/" not in html


def test_event_json_ld(client, humanitarian):
    html = client.get(NAIROBI_URL).content.decode()
    raw = re.search(r'<script type="application/ld\+json">(.*?)</script>', html, re.S).group(1)
    data = json.loads(raw)
    assert data["@type"] == "Event"
    assert data["name"] == "IOM-NGO Regional Humanitarian Consultation"
    assert (data["startDate"], data["endDate"]) == ("2017-09-11", "2017-09-12")
    assert data["location"]["address"] == {
        "@type": "PostalAddress",
        "addressLocality": "Nairobi",
        "addressCountry": "KE",
    }
    assert data["url"] == "http://testserver" + NAIROBI_URL
    names = [organizer["name"] for organizer in data["organizer"]]
    assert "International Council of Voluntary Agencies" in names


def test_json_ld_cannot_break_out_of_its_script(client):
    event = make_event(make_series(), "x", title="</script><script>alert(1)</script>")
    html = client.get(event.get_absolute_url()).content.decode()
    assert "<script>alert(1)" not in html
    raw = re.search(r'<script type="application/ld\+json">(.*?)</script>', html, re.S).group(1)
    assert json.loads(raw)["name"] == "</script><script>alert(1)</script>"


def test_wrong_year_or_series_is_404(client, humanitarian):
    assert client.get(SERIES_URL + "2016/iom-ngo-regional-humanitarian-consultation/").status_code == 404
    assert client.get("/en/consultations/other/2017/iom-ngo-regional-humanitarian-consultation/").status_code == 404
    assert client.get("/en/consultations/no-such-series/").status_code == 404


def test_draft_event_is_404_for_visitors_and_preview_for_staff(client, staff_client):
    event = make_event(make_series("s"), "secret-meeting", title="Secret meeting", published=False)
    response = client.get(event.get_absolute_url())
    assert response.status_code == 404 and "Secret meeting" not in response.content.decode()
    response = staff_client.get(event.get_absolute_url())
    assert response.status_code == 200
    assert "Preview" in response.content.decode()
    assert "no-cache" in response["Cache-Control"]


def test_draft_series_hides_its_pages_from_visitors_but_not_from_staff(client, staff_client):
    series = make_series("hidden-series", published=False)
    event = make_event(series, "public-event")
    for url in (series.get_absolute_url(), event.get_absolute_url(), event.get_ical_url()):
        assert client.get(url).status_code == 404, url
    response = staff_client.get(series.get_absolute_url())
    assert response.status_code == 200 and "no-cache" in response["Cache-Control"]
    response = staff_client.get(event.get_absolute_url())
    assert response.status_code == 200 and "Preview" in response.content.decode()


def test_scheduled_event_appears_on_time(client):
    series = make_series("timed")
    event = make_event(series, "launch", publish_at=TODAY + timedelta(minutes=5))
    with time_machine.travel(TODAY, tick=False):
        assert client.get(event.get_absolute_url()).status_code == 404
        assert "/launch/" not in client.get(series.get_absolute_url()).content.decode()
    with time_machine.travel(TODAY + timedelta(minutes=6), tick=False):
        assert client.get(event.get_absolute_url()).status_code == 200
        assert "/launch/" in client.get(series.get_absolute_url()).content.decode()


def test_draft_events_absent_from_listings(client, humanitarian):
    make_event(humanitarian, "draft-event", date(2017, 1, 1), title="Unpublished consultation", published=False)
    make_event(
        humanitarian,
        "expired-event",
        date(2017, 2, 1),
        title="Withdrawn consultation",
        **{"publish_at": TODAY - timedelta(days=2), "unpublish_at": TODAY - timedelta(days=1)},
    )
    with time_machine.travel(TODAY, tick=False):
        for url in ("/en/consultations/", SERIES_URL, SERIES_URL + "?year=2017", "/en/", NAIROBI_URL):
            html = client.get(url).content.decode()
            assert "draft-event" not in html and "Unpublished consultation" not in html, url
            assert "expired-event" not in html and "Withdrawn consultation" not in html, url


def test_home_section_shows_upcoming_then_latest_events(client, humanitarian):
    make_event(humanitarian, "draft-soon", date(2018, 7, 1), published=False, title="Draft soon")
    with time_machine.travel(TODAY, tick=False):
        html = client.get("/en/").content.decode()
    section = html.split('id="home-consultations"', 1)[1].split("</section>", 1)[0]
    links = re.findall(r'<h3><a href="([^"]+)"', section)
    assert links == [
        SERIES_URL + "2018/iom-ngo-humanitarian-consultation/",
        NAIROBI_URL,
        SERIES_URL + "2016/iom-ngo-humanitarian-consultation/",
        SERIES_URL + "2015/iom-ngo-humanitarian-consultation/",
    ]
    assert "Coming up" in section and "Draft soon" not in section
    assert 'href="/en/consultations/"' in section


def test_section_breadcrumbs(client, humanitarian):
    html = client.get(NAIROBI_URL).content.decode()
    crumbs = html.split('class="breadcrumbs', 1)[1].split("</nav>", 1)[0]
    assert 'href="/en/consultations/"' in crumbs and f'href="{SERIES_URL}"' in crumbs
    assert '<span aria-current="page">IOM-NGO Regional Humanitarian Consultation</span>' in crumbs


def upcoming_section(html):
    start = html.index('id="upcoming-heading"')
    return html[start : html.index("</section>", start)]


def test_index_shows_the_next_twelve_events_and_links_each_series_for_the_rest(client):
    with time_machine.travel(TODAY, tick=False):
        first, second, archive = (make_series(slug, title=slug.title()) for slug in ("first", "second", "archive"))
        soon = TODAY.date() + timedelta(days=1)
        make_event(first, "draft-soonest", soon, title="Draft soonest", published=False)
        for day in range(15):  # one a day, the two series in turn
            make_event((first, second)[day % 2], f"event-{day}", soon + timedelta(days=day), title=f"Meeting {day}")
        make_event(archive, "old", date(2010, 1, 1), title="Old meeting")
        section = upcoming_section(client.get("/en/consultations/").content.decode())
    cards = re.findall(r"<h3[^>]*><a href=\"[^\"]+\">([^<]+)</a></h3>", section)
    assert cards == [f"Meeting {day}" for day in range(12)]  # the nearest twelve, soonest first
    assert "More events are coming" in section
    assert '<a href="/en/consultations/first/">All events of First</a>' in section
    assert '<a href="/en/consultations/second/">All events of Second</a>' in section
    assert "Archive" not in section and "Draft soonest" not in section


def upcoming_section_with(client, events, language="en"):
    """The "Coming up" section of the index when one series has ``events`` events, one a day from tomorrow."""
    with time_machine.travel(TODAY, tick=False):
        series = make_series("first", title="First")
        for day in range(events):
            make_event(series, f"event-{day}", TODAY.date() + timedelta(days=day + 1), title=f"Meeting {day}")
        return upcoming_section(client.get(f"/{language}/consultations/").content.decode())


def test_index_without_more_upcoming_events_has_no_links_to_the_rest(client):
    section = upcoming_section_with(client, 12)
    assert section.count('class="card"') == 12
    assert "More events are coming" not in section and "All events of" not in section


def test_index_links_to_the_rest_in_french(client):
    section = upcoming_section_with(client, 13, language="fr")
    assert "Tous les événements de First" in section
