from datetime import timedelta

import pytest
from django.utils import timezone

from iomsite import content
from regions.models import Office, Region
from tests.helpers import sitemap_pages
from tests.regions.factories import build_americas, make_country, make_office, make_region

pytestmark = pytest.mark.django_db

NOW = timezone.make_aware(timezone.datetime(2026, 6, 1, 12, 0, 0))


def slugs(queryset):
    return set(queryset.values_list("slug", flat=True))


def test_an_office_shows_only_with_its_country():
    region = make_region("africa")
    country = make_country("KE", region, slug="kenya")
    make_office(country, "nairobi")
    assert slugs(Office.objects.published()) == {"nairobi"}
    region.status = "draft"
    region.save()
    assert not Office.objects.published().exists()


@pytest.mark.parametrize("hidden", ["americas", "central-america"])
def test_a_draft_hides_its_whole_subtree(client, hidden):
    americas, central, _caribbean, honduras, _salvador, haiti = build_americas()
    make_office(honduras, "tegucigalpa", name="IOM Honduras")
    make_office(haiti, "port-au-prince", name="IOM Haiti")
    node = Region.objects.get(slug=hidden)
    node.status = "draft"
    node.save()
    hidden_urls = [central.get_absolute_url(), honduras.get_absolute_url(), honduras.get_absolute_url() + "coverage/"]
    if hidden == "americas":
        hidden_urls += [americas.get_absolute_url(), haiti.get_absolute_url()]
    for url in hidden_urls:
        assert client.get(url).status_code == 404, url
    index = client.get("/en/regions/").content.decode()
    assert "Central America" not in index and "Honduras" not in index
    offices = client.get("/en/regions/offices/").content.decode()
    assert "IOM Honduras" not in offices and "Honduras" not in offices
    assert ("IOM Haiti" in offices) == (hidden != "americas")
    sitemap = sitemap_pages(client)
    assert "/honduras/" not in sitemap and "/central-america/" not in sitemap
    assert ("/en/regions/americas/" in sitemap) == (hidden != "americas")
    if hidden == "central-america":
        coverage = client.get(americas.get_absolute_url() + "coverage/").content.decode()
        assert "Haiti" in coverage and "Honduras" not in coverage and "IOM Honduras" not in coverage
        overview = client.get(americas.get_absolute_url()).content.decode()
        assert "Central America" not in overview


def test_draft_region_is_404_for_visitors_and_a_preview_for_staff(client, staff_client):
    _americas, central, _caribbean, honduras, _salvador, _haiti = build_americas()
    central.status = "draft"
    central.save()
    for region in (central, honduras):  # honduras is live itself, hidden by its draft parent
        url = region.get_absolute_url()
        assert client.get(url).status_code == 404
        response = staff_client.get(url)
        assert response.status_code == 200
        html = response.content.decode()
        assert "Preview" in html
        assert "no-cache" in response["Cache-Control"]
    # A staff preview of the draft shows its own countries and offices in the tabs.
    make_office(honduras, "tegucigalpa", name="IOM Honduras")
    response = staff_client.get(central.get_absolute_url() + "coverage/")
    assert response.status_code == 200
    assert "Honduras" in response.content.decode() and "IOM Honduras" in response.content.decode()
    assert "no-cache" in response["Cache-Control"]


def test_live_pages_have_no_preview_banner_for_staff(staff_client):
    americas, *_rest = build_americas()
    response = staff_client.get(americas.get_absolute_url())
    assert "Preview:" not in response.content.decode()
    assert "no-cache" not in response.get("Cache-Control", "")


def test_scheduled_region_appears_on_time(client):
    import time_machine

    make_region("future", publish_at=NOW + timedelta(minutes=5))
    with time_machine.travel(NOW, tick=False):
        assert client.get("/en/regions/future/").status_code == 404
    with time_machine.travel(NOW + timedelta(minutes=6), tick=False):
        assert client.get("/en/regions/future/").status_code == 200


def test_home_section_lists_published_regions_only(client):
    make_region("americas", title="Americas and the Caribbean", summary="About 57.5 million migrants.")
    make_region("secret", title="Secret Region", published=False)
    section = next(s for s in content.home_sections() if s.key == "regions")
    assert section.order == 40
    assert [region.slug for region in section.get_items()] == ["americas"]
    html = client.get("/en/").content.decode()
    assert '<a href="/en/regions/americas/">Americas and the Caribbean</a>' in html
    assert "Secret Region" not in html
    assert 'href="/en/regions/"' in html


def test_search_data_and_registration():
    americas, central, _caribbean, honduras, *_rest = build_americas()
    spec = next(s for s in content.search_specs() if s.kind == "region")
    assert spec.model is Region
    data = honduras.search_data()
    assert data["title"] == "Honduras"
    assert set(data["region_ids"]) == {americas.pk, central.pk, honduras.pk}
    assert data["date"] is None and data["theme_ids"] == []
    assert "About honduras." in data["body"]
    assert any(facet.name == "region" for facet in content.search_facets())


def test_draft_region_is_not_searchable():
    make_region("secret", published=False)
    spec = next(s for s in content.search_specs() if s.kind == "region")
    assert not spec.live_queryset().filter(slug="secret").exists()
