import datetime

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import translation

from regions.models import Region
from tests.iomsite.factories import live, make_document
from tests.regions.factories import make_country, make_figure, make_office, make_region, make_trend
from tests.regions.helpers import CODES, consultation_models

pytestmark = pytest.mark.django_db

# Every public page of the app, with the base template's own queries (menus) included.
MAX_QUERIES = 10
PAGES = (
    "/{lang}/regions/",
    "/{lang}/regions/offices/",
    "/{lang}/regions/big/",
    "/{lang}/regions/big/trends/",
    "/{lang}/regions/big/coverage/",
    "/{lang}/regions/big/resources/",
    "/{lang}/regions/big/sub-0/",
    "/{lang}/regions/big/sub-0/coverage/",
    "/{lang}/regions/big/figures.csv",
    "/{lang}/regions/big/figures.json",
)


def build():
    """A region of three sub-regions, with trends, documents and resources that grow with its countries."""
    from publications.models import Publication

    ConsultationSeries, _event = consultation_models()
    region = make_region("big", title="Big region", title_fr="Grande région")
    for index in range(3):
        make_region(f"sub-{index}", region)
    if ConsultationSeries is not None:
        ConsultationSeries.objects.create(title="Consultations", slug="consultations-q", **live())
    Publication.objects.create(title="Report", slug="report-q", year=2018, **live())
    region.documents.add(*[make_document(f"Document {index}") for index in range(3)])
    return region


def grow(start, stop):
    """Countries ``start``…``stop`` of the region, each with an office, figures, a trend, an event, a report tag."""
    from publications.models import Publication

    ConsultationSeries, ConsultationEvent = consultation_models()
    region = Region.objects.get(slug="big")
    subs = list(Region.objects.filter(parent=region))
    series = ConsultationSeries.objects.get(slug="consultations-q") if ConsultationSeries else None
    publication = Publication.objects.get(slug="report-q")
    for index in range(start, stop):
        country = make_country(CODES[index], subs[index % 3], slug=f"country-{index}")
        make_office(country, f"office-{index}")
        make_figure(country, f"Migrants {index}", str(1000 + index))
        make_figure(region, f"Figure {index}", str(index % 100), unit="percent" if index % 2 else "people")
        make_trend(region, f"Trend {index}", sort_order=index)
        publication.regions.add(country)
        if series is None:
            continue
        ConsultationEvent.objects.create(
            series=series, title=f"Event {index}", slug=f"event-{index}", start_date=datetime.date(2018, 1, 1),
            country=country, **live(),
        )  # fmt: skip


def measure(client, django_assert_max_num_queries):
    counts = {}
    for lang in ("en", "fr"):
        for page in PAGES:
            url = page.format(lang=lang)
            client.get(url)  # warm the site settings cache
            with django_assert_max_num_queries(MAX_QUERIES), CaptureQueriesContext(connection) as queries:
                response = client.get(url)
            assert response.status_code == 200, url
            counts[url] = len(queries)
    translation.activate("en")  # requests leave their language active; the next objects are written in English
    return counts


def test_region_pages_run_a_fixed_number_of_queries(client, django_assert_max_num_queries):
    build()
    grow(0, 3)
    small = measure(client, django_assert_max_num_queries)
    grow(3, 150)
    assert Region.objects.filter(kind="country").count() == 150
    assert "Migrants 149" in client.get("/en/regions/big/sub-2/country-149/").content.decode()
    large = measure(client, django_assert_max_num_queries)
    assert large == small
    assert max(large.values()) <= MAX_QUERIES
