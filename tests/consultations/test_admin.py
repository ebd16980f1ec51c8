from datetime import date

import pytest

from consultations.models import ConsultationEvent, EventDocument
from tests.consultations.factories import make_country, make_event, make_partner, make_series
from tests.iomsite.factories import make_document

pytestmark = pytest.mark.django_db

EVENTS = "/admin/consultations/consultationevent/"


def event_form(series, **overrides):
    data = {
        "series": series.pk,
        "title_en": "IOM-NGO Humanitarian Consultation",
        "slug": "iom-ngo-humanitarian-consultation",
        "start_date": "2016-06-13",
        "end_date": "",
        "city_en": "Geneva",
        "time_zone": "Europe/Zurich",
        "attendance": "in_person",
        "status": "published",
        "publish_at_0": "2020-01-01",
        "publish_at_1": "00:00:00",
        "key_documents-TOTAL_FORMS": "0",
        "key_documents-INITIAL_FORMS": "0",
        "key_documents-MIN_NUM_FORMS": "0",
        "key_documents-MAX_NUM_FORMS": "1000",
    }
    data.update(overrides)
    return data


def test_admin_pages_render(staff_client):
    series = make_series()
    event = make_event(series, country=make_country())
    partner = make_partner()
    for url in (
        "/admin/consultations/",
        "/admin/consultations/consultationseries/",
        "/admin/consultations/consultationseries/add/",
        f"/admin/consultations/consultationseries/{series.pk}/change/",
        EVENTS,
        EVENTS + "add/",
        f"{EVENTS}{event.pk}/change/",
        "/admin/consultations/partner/",
        f"/admin/consultations/partner/{partner.pk}/change/",
        "/admin/consultations/consultationsoverview/add/",
    ):
        assert staff_client.get(url).status_code == 200, url


def test_event_list_shows_date_location_series_and_state(staff_client):
    series = make_series(title="IOM-NGO Humanitarian Consultations")
    make_event(
        series,
        start=date(2017, 9, 11),
        end_date=date(2017, 9, 12),
        title="Regional consultation",
        city="Nairobi",
        country=make_country("KE", "Kenya"),
    )
    make_event(series, start=date(2018, 9, 25), title="Draft consultation", published=False)
    html = staff_client.get(EVENTS).content.decode()
    assert "11-12 September 2017" in html and "Nairobi, Kenya" in html
    assert "IOM-NGO Humanitarian Consultations" in html
    assert "state-live" in html and "state-draft" in html
    assert 'class="toplinks"' in html and "start_date__year=2017" in html  # the date hierarchy


def test_event_list_filters(staff_client):
    cso = make_series(title="CSO")
    humanitarian = make_series(title="Humanitarian")
    kenya = make_country("KE", "Kenya")
    make_event(cso, title="Geneva 2015", start=date(2015, 9, 18))
    make_event(humanitarian, title="Nairobi 2017", start=date(2017, 9, 11), country=kenya)
    make_event(humanitarian, title="Geneva 2018", start=date(2018, 9, 25))

    def titles(query):
        response = staff_client.get(EVENTS + query)
        assert response.status_code == 200
        return {str(event.title) for event in response.context["cl"].result_list}

    assert titles(f"?series__id__exact={humanitarian.pk}") == {"Nairobi 2017", "Geneva 2018"}
    assert titles("?year=2015") == {"Geneva 2015"}
    assert titles(f"?country__id__exact={kenya.pk}") == {"Nairobi 2017"}
    assert titles("?year=abcd") == set()
    assert titles("?start_date__year=2018") == {"Geneva 2018"}
    assert titles("?q=Nairobi") == {"Nairobi 2017"}
    html = staff_client.get(EVENTS).content.decode()
    assert "?year=2017" in html and "?year=2018" in html  # the year filter offers the years that exist


def test_end_before_start_is_an_error_in_the_admin_form(staff_client):
    series = make_series()
    response = staff_client.post(EVENTS + "add/", event_form(series, start_date="2017-09-12", end_date="2017-09-11"))
    assert response.status_code == 200
    assert "The end date cannot come before the start date." in response.content.decode()
    assert not ConsultationEvent.objects.exists()


def test_duplicate_slug_or_title_in_a_series_and_year_is_an_error(staff_client):
    series = make_series()
    make_event(series, "iom-ngo-humanitarian-consultation", start=date(2016, 6, 13), title="Consultation")
    response = staff_client.post(EVENTS + "add/", event_form(series, start_date="2016-12-01"))
    assert response.status_code == 200
    assert "already uses this slug" in response.content.decode()
    response = staff_client.post(EVENTS + "add/", event_form(series, slug="other", title_en="Consultation"))
    assert "already has this title" in response.content.decode()
    assert ConsultationEvent.objects.count() == 1
    # The same slug and title a year later is a new event.
    response = staff_client.post(EVENTS + "add/", event_form(series, start_date="2017-06-13", title_en="Consultation"))
    assert response.status_code == 302
    assert ConsultationEvent.objects.filter(year=2017).exists()


def test_editing_an_event_keeps_its_own_slug_valid(staff_client):
    series = make_series()
    event = make_event(
        series, "iom-ngo-humanitarian-consultation", start=date(2016, 6, 13), title="Consultation", published=False
    )  # a draft: a live one's changes would wait in its draft (decision 016)
    data = event_form(series, title_en="Consultation", summary_en="Now with a summary.")
    response = staff_client.post(f"{EVENTS}{event.pk}/change/", data)
    assert response.status_code == 302
    event.refresh_from_db()
    assert event.summary == "Now with a summary." and event.updated_by is not None


def test_key_documents_inline_keeps_its_order(staff_client):
    series = make_series()
    first, second = make_document("Programme"), make_document("Report")
    data = event_form(
        series,
        **{
            "key_documents-TOTAL_FORMS": "2",
            "key_documents-0-document": second.pk,
            "key_documents-0-sort_order": "2",
            "key_documents-0-role": "report",
            "key_documents-1-document": first.pk,
            "key_documents-1-sort_order": "1",
            "key_documents-1-role": "agenda",
        },
    )
    response = staff_client.post(EVENTS + "add/", data)
    assert response.status_code == 302
    event = ConsultationEvent.objects.get()
    assert [item.document.title for item in EventDocument.objects.filter(event=event)] == ["Programme", "Report"]


def test_country_uses_autocomplete_when_the_regions_admin_can_search(staff_client):
    from django.contrib import admin

    from regions.models import Region
    from themes.models import Theme

    html = staff_client.get(EVENTS + "add/").content.decode()
    for name, model in (("country", Region), ("themes", Theme)):
        searchable = admin.site.is_registered(model) and bool(admin.site.get_model_admin(model).search_fields)
        widget = html.split(f'name="{name}"', 1)[0].rsplit("<", 1)[1] + html.split(f'name="{name}"', 1)[1][:300]
        if searchable:
            assert "admin-autocomplete" in widget, name
        else:
            assert "vForeignKeyRawIdAdminField" in widget or "vManyToManyRawIdAdminField" in widget, name


def test_country_choices_are_countries_only(staff_client):
    from regions.models import Region

    make_country("KE", "Kenya")
    region = Region.objects.create(kind="region", title="Africa", slug="africa", status="published")
    series = make_series()
    response = staff_client.post(EVENTS + "add/", event_form(series, country=region.pk))
    assert response.status_code == 200 and not ConsultationEvent.objects.exists()


def test_series_list_counts_events_and_orders_by_sort_order(staff_client):
    series = make_series(title="Second", sort_order=2)
    make_series(title="First", sort_order=1)
    make_event(series)
    make_event(series)
    html = staff_client.get("/admin/consultations/consultationseries/").content.decode()
    assert html.index("First") < html.index("Second")
    assert '<td class="field-event_count">2</td>' in html


def test_only_one_overview(staff_client):
    from consultations.models import ConsultationsOverview

    ConsultationsOverview.objects.create(title="IOM Consultations")
    assert staff_client.get("/admin/consultations/consultationsoverview/add/").status_code == 403
