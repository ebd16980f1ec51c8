"""Sections follow each app's declaration in the seam (``Content.sections``, parts through their owner)."""

import pytest

from consultations.models import ConsultationEvent
from publications.models import Publication
from tests.consultations.factories import make_event, make_series
from tests.publications.factories import make_publication
from tests.workflow.conftest import SECRET
from tests.workflow.helpers import change_url, changelist_url, form_data

pytestmark = pytest.mark.django_db


def test_the_declarations():
    from iomsite.content import section_paths
    from publications.models import TocEntry
    from regions.models import KeyFigure, Office, Region

    assert section_paths(ConsultationEvent) == {"region": "country", "theme": "themes"}
    assert section_paths(Publication) == {"theme": "themes", "region": "regions"}
    assert section_paths(TocEntry) == {"theme": "publication__themes", "region": "publication__regions"}
    assert section_paths(Region) == {"region": "pk"}
    assert section_paths(KeyFigure) == {"region": "region"}
    assert section_paths(Office) == {"region": "country"}


def test_consultation_events_follow_their_country(amy_client, world):
    series = make_series()
    inside = make_event(series, title="Meeting in Tegucigalpa", country=world["honduras"], published=False)
    outside = make_event(series, title=f"{SECRET} meeting", country=world["spain"], published=False)
    html = amy_client.get(changelist_url(ConsultationEvent)).content.decode()
    assert "Meeting in Tegucigalpa" in html and SECRET not in html
    assert amy_client.get(change_url(outside)).status_code == 404
    response = amy_client.get(change_url(inside))
    assert response.status_code == 200
    response = amy_client.post(change_url(inside), form_data(response, country=world["spain"].pk))
    assert response.status_code == 200 and "country" in response.context["adminform"].form.errors
    assert SECRET not in response.content.decode()
    inside.refresh_from_db()
    assert inside.country == world["honduras"]


def test_publications_inside_only_when_all_their_regions_are(amy_client, world):
    inside = make_publication(title="Honduras report", published=False)
    inside.regions.set([world["honduras"]])
    mixed = make_publication(title=f"{SECRET} and Honduras", published=False)
    mixed.regions.set([world["honduras"], world["spain"]])
    untagged = make_publication(title=f"{SECRET} global report", published=False)
    html = amy_client.get(changelist_url(Publication)).content.decode()
    assert "Honduras report" in html and SECRET not in html
    assert amy_client.get(change_url(mixed)).status_code == 404
    assert amy_client.get(change_url(untagged)).status_code == 404
    response = amy_client.get(change_url(inside))
    assert response.status_code == 200
    data = form_data(response, regions=[world["honduras"].pk, world["spain"].pk])
    response = amy_client.post(change_url(inside), data)
    assert response.status_code == 200 and "regions" in response.context["adminform"].form.errors
    assert list(inside.regions.all()) == [world["honduras"]]


def test_chapters_follow_their_publication(amy, world):
    """A chapter's section path crosses its publication: {"region": "publication__regions"}."""
    from iomsite.workflow.sections import get_scope
    from publications.models import TocEntry
    from tests.publications.factories import make_entry

    inside = make_publication(title="Honduras report")
    inside.regions.set([world["honduras"]])
    outside = make_publication(title="Spain report")
    outside.regions.set([world["spain"]])
    mine, theirs = make_entry(inside, "Overview"), make_entry(outside, "Overview")
    paths = {"theme": "publication__themes", "region": "publication__regions"}
    q = get_scope(amy).object_q(TocEntry, paths)
    assert list(TocEntry.objects.filter(q)) == [mine]
    assert theirs not in TocEntry.objects.filter(q)
