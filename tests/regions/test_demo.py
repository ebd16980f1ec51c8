import os
from decimal import Decimal

import pytest
from django.core.management import call_command
from django.utils import translation

from iomsite.models import Menu, MenuItem
from regions.models import KeyFigure, Office, Region, Trend

# The demo content is loaded once for the module (tests/conftest.py): every test here sees it.
pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("demo")]


def load():
    call_command("load_demo_content", stdout=open(os.devnull, "w"))  # noqa: SIM115


def test_demo_has_the_snapshot_regions_figures_and_offices(demo):
    paths = set(Region.objects.values_list("path", flat=True))
    for path in (
        "europe",
        "europe/western-europe/germany",
        "europe/western-europe/spain",
        "europe/western-europe/united-kingdom",
        "europe/western-europe/france",
        "europe/western-europe/switzerland",
        "americas",
        "americas/north-america/united-states",
        "americas/north-america/canada",
        "americas/central-america/honduras",
        "americas/central-america/el-salvador",
        "americas/central-america/panama",
        "americas/south-america",
        "americas/caribbean/haiti",
        "east-and-horn-of-africa/kenya",
        "asia-and-the-pacific/philippines",
    ):
        assert path in paths, path
    values = {(f.region.slug, f.label): f.value for f in KeyFigure.objects.select_related("region")}
    assert values["americas", "International migrants in the Americas"] == 57_500_000
    assert values["americas", "Share of the world's international migrants"] == 27
    assert values["central-america", "Migratory balance, Central America"] == -6_800_000
    assert values["honduras", "Remittances as a share of GDP, Honduras"] == Decimal("19.3")
    assert values["europe", "Non-EU nationals residing in Europe"] == 31_900_000
    assert all(figure.is_attributed for figure in KeyFigure.objects.all())
    assert Trend.objects.filter(region__slug="americas").count() == 4
    geneva = Office.objects.get(slug="geneva")
    assert geneva.kind == "headquarters" and geneva.phone == "+41 22 717 9111"
    assert "17 Route des Morillons" in geneva.address and "1218 Grand-Saconnex" in geneva.address
    assert Office.objects.get(slug="manila").country.iso_code == "PH"
    assert Office.objects.get(slug="panama").kind == "administrative"


def test_demo_is_idempotent_and_ends_with_a_consistent_tree(demo):
    counts = (Region.objects.count(), KeyFigure.objects.count(), Trend.objects.count(), Office.objects.count())
    paths = sorted(Region.objects.values_list("path", flat=True))
    load()
    assert (Region.objects.count(), KeyFigure.objects.count(), Trend.objects.count(), Office.objects.count()) == counts
    assert sorted(Region.objects.values_list("path", flat=True)) == paths
    for region in Region.objects.all():
        ancestors = region.get_ancestors(include_self=True)
        assert region.path == "/".join(node.slug for node in ancestors)
        assert (
            region.get_descendant_count()
            == Region.objects.filter(tree_id=region.tree_id, lft__gt=region.lft, rght__lt=region.rght).count()
        )
        if region.parent_id:
            assert region.level == region.parent.level + 1


def test_footer_links_reach_the_administrative_centres_and_offices(client, demo):
    centres = MenuItem.objects.filter(menu=Menu.CENTRES)
    assert {item.title: item.url for item in centres} == {
        "IOM Manila Administrative Centre": "/regions/asia-and-the-pacific/philippines/coverage/#office-manila",
        "IOM Panama Administrative Centre": "/regions/americas/central-america/panama/coverage/#office-panama",
    }
    assert MenuItem.objects.get(menu=Menu.FOOTER, title="Countries and Offices").url == "/regions/offices/"
    for lang in ("en", "fr"):
        html = client.get(f"/{lang}/").content.decode()
        for item in centres:
            url = f"/{lang}{item.url}"
            assert f'href="{url}"' in html
            page, anchor = url.split("#")
            assert f'id="{anchor}"' in client.get(page).content.decode()
        assert f'href="/{lang}/regions/offices/"' in html
    html = client.get("/en/regions/offices/").content.decode()
    for name in ("IOM Headquarters", "IOM Manila Administrative Centre", "IOM Panama Administrative Centre"):
        assert name in html


def test_americas_overview_in_french_and_spanish(client, demo):
    french = client.get("/fr/regions/americas/").content.decode()
    assert "<h1>Amériques et Caraïbes</h1>" in french
    assert "57,5 millions de migrants internationaux" in french
    assert "Migrants internationaux dans les Amériques" in french
    spanish = client.get("/es/regions/americas/").content.decode()
    assert "<h1>Américas y el Caribe</h1>" in spanish
    assert "57,5 millones de migrantes internacionales" in spanish
    with translation.override("es"):
        assert Region.objects.get(slug="central-america").title == "Centroamérica"


def test_demo_pages_render(client, demo):
    for url in (
        "/en/regions/",
        "/en/regions/offices/",
        "/en/regions/europe/",
        "/en/regions/europe/coverage/",
        "/en/regions/americas/",
        "/en/regions/americas/trends/",
        "/en/regions/americas/coverage/",
        "/en/regions/americas/central-america/honduras/",
        "/en/regions/east-and-horn-of-africa/kenya/resources/",
        "/en/regions/europe/western-europe/switzerland/resources/",
    ):
        assert client.get(url).status_code == 200, url
    html = client.get("/en/").content.decode()
    assert "Americas and the Caribbean" in html and "Europe and Central Asia" in html


def test_every_region_page_a_visitor_reaches_has_an_overview_and_key_figures(client, demo):
    """Followed from the regions index and each page's links: none says it has no overview (issue 22)."""
    import re

    from regions.models import Region

    seen, queue = set(), ["/en/regions/"]
    while queue:
        url = queue.pop()
        if url in seen:
            continue
        seen.add(url)
        html = client.get(url).content.decode()
        assert "There is no overview of this place yet" not in html, url
        queue += [link for link in re.findall(r'href="(/en/regions/[-\w/]+/)"', html) if link.count("/") >= 4]
    for region in Region.objects.published():
        assert region.get_absolute_url() in seen, region
        assert region.body and region.figures.exists(), region
    assert len(seen) > Region.objects.published().count()


def test_every_country_on_the_offices_page_has_an_office_with_its_address(client, demo):
    page = client.get("/en/regions/offices/")
    countries = [country for _root, group in page.context["groups"] for country in group]
    assert countries
    for country in countries:
        offices = list(country.offices.all())
        assert offices and all(office.address.strip() for office in offices), country
