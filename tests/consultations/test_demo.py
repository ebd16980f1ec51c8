import io
from datetime import date

import pytest
import time_machine
from django.utils import translation

from consultations import demo
from consultations.models import ConsultationEvent, ConsultationSeries, ConsultationsOverview, Partner
from regions.models import Region
from tests.consultations.factories import live

pytestmark = pytest.mark.django_db


def load():
    out = io.StringIO()
    with translation.override("en"):
        demo.load(out)
    return out.getvalue()


def test_demo_has_every_consultation_of_the_reference_site_with_date_and_place():
    assert "3 series, 42 events" in load()
    cso, hum = "iom-cso-annual-consultations", "iom-ngo-humanitarian-consultations"
    events = {
        (e.series.slug, e.start_date, e.end_date, e.city, e.country.iso_code): e.title
        for e in ConsultationEvent.objects.published()
        .filter(series__slug__in=[cso, hum], start_date__year__lte=2018)
        .select_related("series", "country")
    }
    assert events == {
        (cso, date(2011, 11, 11), None, "Geneva", "CH"): (
            "IOM-CSO Annual Consultations: 60 Years Advancing Migration through Partnership"
        ),
        (cso, date(2012, 10, 25), None, "Geneva", "CH"): (
            "IOM-CSO Annual Consultations: Enhancing Dialogue, Cooperation and Partnership on Migration"
        ),
        (cso, date(2013, 9, 12), None, "Geneva", "CH"): "IOM-CSO Annual Consultations: Migrants and Development",
        (cso, date(2014, 10, 9), None, "Geneva", "CH"): (
            "IOM-CSO Annual Consultations: Follow up to the 2013 High-Level Dialogue"
        ),
        (cso, date(2015, 9, 18), None, "Geneva", "CH"): (
            "IOM-CSO Annual Consultations: Protecting and Positively Impacting Migrant Lives"
        ),
        (cso, date(2016, 11, 4), None, "Geneva", "CH"): "IOM-CSO Annual Consultations: Post-19 September Summit",
        (hum, date(2015, 6, 30), None, "Geneva", "CH"): "IOM-NGO Humanitarian Consultation",
        (hum, date(2016, 6, 13), None, "Geneva", "CH"): "IOM-NGO Humanitarian Consultation",
        (hum, date(2017, 9, 11), date(2017, 9, 12), "Nairobi", "KE"): "IOM-NGO Regional Humanitarian Consultation",
        (hum, date(2018, 9, 25), None, "Geneva", "CH"): "IOM-NGO Humanitarian Consultation",
    }
    themes = dict(ConsultationEvent.objects.values_list("start_date", "theme_en"))
    assert themes[date(2011, 11, 11)] == "60 Years Advancing Migrant Rights and Migrant Protection"
    assert themes[date(2014, 10, 9)] == "Follow up to the 2013 UN High Level Dialogue on Migration and Development"
    assert themes[date(2015, 6, 30)] == "Partnerships"
    assert themes[date(2016, 6, 13)] == "IOM's role and emerging policy in humanitarian response and partnership"
    humanitarian = ConsultationSeries.objects.get(slug=hum)
    assert [p.acronym for p in humanitarian.partners.all()] == ["ICVA"]
    assert Partner.objects.get().name == "International Council of Voluntary Agencies"
    assert humanitarian.key_documents.get().document.kind == "pdf"
    assert all(event.key_documents.exists() for event in ConsultationEvent.objects.filter(series__slug__in=[cso, hum]))


@time_machine.travel(date(2027, 3, 10), tick=False)
def test_the_next_consultations_are_in_the_coming_months_and_on_the_calendars(client):
    load()
    coming = (
        ConsultationEvent.objects.published()
        .upcoming()
        .filter(series__slug__in=["iom-cso-annual-consultations", "iom-ngo-humanitarian-consultations"])
    )
    dates = {event.series.slug: event.start_date for event in coming.select_related("series")}
    assert date(2027, 5, 1) < dates["iom-cso-annual-consultations"] < date(2027, 6, 30)
    assert date(2027, 7, 1) < dates["iom-ngo-humanitarian-consultations"] < date(2027, 8, 31)
    regional = coming.get(series__slug="iom-ngo-humanitarian-consultations")
    assert regional.city == "Nairobi" and "will take place" in regional.body
    for slug in ("iom-cso-annual-consultations", "iom-ngo-humanitarian-consultations"):
        calendar = client.get(f"/en/consultations/{slug}/calendar.ics").content.decode()
        assert calendar.count("BEGIN:VEVENT") >= 1 and "DTSTART;VALUE=DATE:2027" in calendar
    assert "2027" in client.get("/en/consultations/").content.decode()


def test_demo_seminars_are_placed_around_today_and_fill_two_pages(client):
    """A monthly series: 24 past sessions and 6 to come, so "Coming up" is never empty and the listing has a Next."""
    import time_machine

    with time_machine.travel(date(2026, 12, 2)):
        load()
        seminars = ConsultationEvent.objects.published().filter(series__slug=demo.SEMINARS).order_by("start_date")
        days = [event.start_date for event in seminars]
        assert len(days) == 30 and len(set(days)) == 30
        assert all(day.weekday() == 3 and 8 <= day.day <= 14 for day in days)  # the second Thursday
        assert days[0] == date(2024, 12, 12) and days[-1] == date(2027, 5, 13)
        assert sum(day >= date(2026, 12, 2) for day in days) == 6
        page = client.get(f"/en/consultations/{demo.SEMINARS}/").content.decode()
        assert "Upcoming events" in page
        assert 'rel="next"' in page
        second = client.get(f"/en/consultations/{demo.SEMINARS}/?page=2").content.decode()
        assert days[0].year == 2024 and "Migration Research Seminar: Counting labour migrants" in second


def test_demo_overview_in_three_languages():
    load()
    overview = ConsultationsOverview.objects.published().get()
    assert overview.title_en == "IOM Consultations"
    assert overview.title_fr and overview.body_fr and overview.summary_fr
    assert overview.title_es and overview.body_es and overview.summary_es
    assert overview.body_text_fr.startswith("Depuis 2011")


def test_demo_pages_render(client):
    load()
    assert "Nairobi, Kenya" in client.get("/en/consultations/iom-ngo-humanitarian-consultations/").content.decode()
    html = client.get("/fr/consultations/").content.decode()
    assert "Les consultations de l'OIM" in html or "Les consultations de l&#x27;OIM" in html
    assert "18 septembre 2015" in html
    html = client.get(
        "/es/consultations/iom-cso-annual-consultations/2015/protecting-and-positively-impacting-migrant-lives/"
    )
    assert "18 de septiembre de 2015" in html.content.decode()


def test_demo_is_idempotent():
    load()
    counts = [m.objects.count() for m in (ConsultationSeries, ConsultationEvent, Partner, Region)]
    load()
    assert [m.objects.count() for m in (ConsultationSeries, ConsultationEvent, Partner, Region)] == counts


def test_demo_uses_the_countries_of_the_regions_app_when_they_exist():
    africa = Region.objects.create(kind="region", title="Africa", slug="africa", **live())
    east = Region.objects.create(kind="subregion", title="East Africa", slug="east-africa", parent=africa, **live())
    kenya = Region.objects.create(kind="country", iso_code="KE", title="Kenya", slug="kenya", parent=east, **live())
    load()
    assert ConsultationEvent.objects.get(start_date=date(2017, 9, 11)).country == kenya
    assert Region.objects.filter(iso_code="KE").count() == 1
    switzerland = Region.objects.get(kind="country", iso_code="CH")  # created where it was missing
    assert switzerland.parent is None and switzerland.is_live and switzerland.slug == "switzerland"
