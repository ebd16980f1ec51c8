import pytest

from iomsite import content
from iomsite.models import Status
from iomsite.search.models import SearchEntry
from tests.consultations.factories import make_country, make_event, make_series

# The search index is written when transactions commit.
pytestmark = pytest.mark.django_db(transaction=True)


def titles(response):
    return [entry.title for entry in response.context["page"].object_list]


def test_series_and_events_are_registered_for_search():
    kinds = {spec.kind: spec for spec in content.search_specs()}
    assert kinds["event"].model.__name__ == "ConsultationEvent"
    assert kinds["series"].model.__name__ == "ConsultationSeries"


def test_published_events_are_found_and_follow_their_series(client):
    series = make_series("humanitarian", title="IOM-NGO Humanitarian Consultations")
    make_event(series, "nairobi", title="Regional Humanitarian Consultation", city="Nairobi", country=make_country())
    make_event(series, "secret", title="Secret Humanitarian Consultation", published=False)
    found = titles(client.get("/en/search/", {"q": "humanitarian"}))
    assert set(found) == {"IOM-NGO Humanitarian Consultations", "Regional Humanitarian Consultation"}
    series.status = Status.DRAFT
    series.save()  # its events leave the index with it
    assert not SearchEntry.objects.filter(kind__in=["event", "series"]).exists()
