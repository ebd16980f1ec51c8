import datetime
import json
import re

import pytest

from tests.iomsite.factories import live, make_document
from tests.regions.factories import build_americas, make_figure, make_office, make_region, make_trend
from tests.regions.helpers import consultation_models

pytestmark = pytest.mark.django_db


def tab_labels(html):
    nav = html.split('<ul class="tabs">')[1].split("</ul>")[0]
    return re.findall(r">([^<]+)</a>", nav)


def json_ld(html):
    return [
        json.loads(block) for block in re.findall(r'<script type="application/ld\+json">(.*?)</script>', html, re.S)
    ]


def test_tabs_with_no_content_are_not_shown_and_404(client):
    americas, *_rest = build_americas()
    europe = make_region("europe")
    html = client.get(europe.get_absolute_url()).content.decode()
    assert 'class="tabs"' not in html  # nothing but the overview
    for tab in ("trends", "coverage", "resources"):
        assert client.get(f"/en/regions/europe/{tab}/").status_code == 404
    make_trend(americas)
    html = client.get(americas.get_absolute_url()).content.decode()
    assert tab_labels(html) == ["Overview", "Trends", "Countries and offices"]
    assert client.get("/en/regions/americas/resources/").status_code == 404


def test_trends_are_ordered_headed_paragraphs(client):
    americas, *_rest = build_americas()
    make_trend(americas, "Diasporas", "<p>Communities abroad.</p>", sort_order=4)
    make_trend(americas, "Returns", "<p>Migrants going home.</p>", sort_order=1)
    make_trend(americas, "Remittances", "<p>Money sent home.</p>", sort_order=2)
    response = client.get("/en/regions/americas/trends/")
    html = response.content.decode()
    headings = re.findall(r"<h2>([^<]+)</h2>", html.split('class="trends"')[1])
    assert headings == ["Returns", "Remittances", "Diasporas"]
    assert "<p>Money sent home.</p>" in html
    assert html.count("<h1") == 1
    assert "<title>Trends – Americas" in html


def test_coverage_lists_countries_by_subregion_with_their_offices(client):
    americas, _central, _caribbean, honduras, salvador, haiti = build_americas()
    make_office(honduras, "tegucigalpa", name="IOM Honduras", address="Colonia Palmira\nTegucigalpa")
    make_office(haiti, "port-au-prince", name="IOM Haiti", email="haiti@example.org")
    make_office(salvador, "closed", name="Closed office", published=False)
    html = client.get("/en/regions/americas/coverage/").content.decode()
    assert re.findall(r'<h2 class="coverage-heading">([^<]+)</h2>', html) == ["Central America", "The Caribbean"]
    countries = re.findall(r'<h3><a href="[^"]+">([^<]+)</a></h3>', html)
    assert countries == ["Honduras", "El Salvador", "Haiti"]
    assert 'id="office-tegucigalpa"' in html and "Colonia Palmira<br>Tegucigalpa" in html
    assert 'href="tel:+41227179111"' in html and 'href="mailto:haiti@example.org"' in html
    assert "Closed office" not in html
    assert "2 offices in the countries below." in html
    # A country's coverage tab is named Offices and lists its own offices.
    html = client.get(honduras.get_absolute_url() + "coverage/").content.decode()
    assert "IOM Honduras" in html and "IOM Haiti" not in html
    assert tab_labels(html) == ["Overview", "Offices"]


def test_office_urls_point_at_their_anchor(client):
    _americas, _central, _caribbean, honduras, *_rest = build_americas()
    office = make_office(honduras, "tegucigalpa")
    url = office.get_absolute_url()
    assert url == "/en/regions/americas/central-america/honduras/coverage/#office-tegucigalpa"
    page, anchor = url.split("#")
    assert f'id="{anchor}"' in client.get(page).content.decode()


def test_offices_page_groups_countries_by_region(client):
    _americas, _central, _caribbean, honduras, _salvador, _haiti = build_americas()
    europe = make_region("europe", title="Europe and Central Asia")
    from tests.regions.factories import make_country

    switzerland = make_country("CH", europe, slug="switzerland", title="Switzerland")
    make_office(switzerland, "geneva", kind="headquarters", name="IOM Headquarters")
    make_office(honduras, "tegucigalpa", name="IOM Honduras")
    html = client.get("/en/regions/offices/").content.decode()
    groups = re.findall(r'<h2 id="group-\d+"><a href="[^"]+">([^<]+)</a></h2>', html)
    assert groups == ["Americas and the Caribbean", "Europe and Central Asia"]
    assert 'id="office-geneva"' in html and "Headquarters" in html
    (data,) = json_ld(html)
    assert {item["name"] for item in data["@graph"]} == {"IOM Headquarters", "IOM Honduras"}
    assert html.count("<h1") == 1


def test_resources_show_documents_publications_and_consultations_of_the_countries(client):
    from publications.models import Publication

    ConsultationSeries, ConsultationEvent = consultation_models()

    americas, central, _caribbean, honduras, _salvador, haiti = build_americas()
    document = make_document("Regional strategy for the Americas")
    americas.documents.add(document)
    report = Publication.objects.create(title="Migration in Central America", slug="mca", year=2018, **live())
    report.regions.add(honduras)
    hidden = Publication.objects.create(title="Draft report", slug="draft-report", year=2018, status="draft")
    hidden.regions.add(honduras)
    if ConsultationEvent is None:
        pytest.skip("The consultations app has no ConsultationEvent yet.")
    series = ConsultationSeries.objects.create(title="Regional consultations", slug="regional", **live())
    ConsultationEvent.objects.create(
        series=series, title="Consultation in Tegucigalpa", slug="tegucigalpa", city="Tegucigalpa",
        start_date=datetime.date(2018, 5, 2), country=honduras, **live(),
    )  # fmt: skip
    ConsultationEvent.objects.create(
        series=series, title="Consultation in Port-au-Prince", slug="port-au-prince",
        start_date=datetime.date(2017, 5, 2), country=haiti, **live(),
    )  # fmt: skip
    html = client.get("/en/regions/americas/resources/").content.decode()
    assert "Regional strategy for the Americas" in html and "PDF" in html
    assert "Migration in Central America" in html and "Draft report" not in html
    assert "Consultation in Tegucigalpa" in html and "Consultation in Port-au-Prince" in html
    assert "Tegucigalpa, Honduras" in html
    html = client.get(central.get_absolute_url() + "resources/").content.decode()
    assert "Consultation in Tegucigalpa" in html and "Consultation in Port-au-Prince" not in html
    assert "Regional strategy" not in html  # the document belongs to the region, not its sub-regions
    assert client.get(haiti.get_absolute_url() + "resources/").status_code == 200
    central.status = "draft"
    central.save()
    html = client.get("/en/regions/americas/resources/").content.decode()
    assert "Consultation in Tegucigalpa" not in html and "Migration in Central America" not in html


def test_json_ld_describes_the_place_and_its_figures(client):
    americas, _central, _caribbean, honduras, *_rest = build_americas()
    make_figure(americas)
    (data,) = json_ld(client.get("/en/regions/americas/").content.decode())
    place, dataset = data["@graph"]
    assert place["@type"] == "Place" and place["name"] == "Americas and the Caribbean"
    assert dataset["@type"] == "Dataset"
    assert [d["contentUrl"].rsplit("/", 1)[1] for d in dataset["distribution"]] == ["figures.csv", "figures.json"]
    (data,) = json_ld(client.get(honduras.get_absolute_url()).content.decode())
    assert data["@type"] == "Country" and data["containedInPlace"]["name"] == "Central America"


def test_json_ld_cannot_be_closed_by_content(client):
    make_region("americas", title="</script><script>alert(1)</script>")
    html = client.get("/en/regions/americas/").content.decode()
    assert "<script>alert(1)" not in html
    (data,) = json_ld(html)
    assert data["name"] == "</script><script>alert(1)</script>"


def test_side_navigation_shows_siblings_and_children(client):
    americas, central, caribbean, honduras, salvador, _haiti = build_americas()
    html = client.get(central.get_absolute_url()).content.decode()
    nav = html.split('class="side-nav"')[1].split("</nav>")[0]
    assert f'href="{central.get_absolute_url()}" aria-current="page"' in nav
    for node in (caribbean, honduras, salvador):
        assert f'href="{node.get_absolute_url()}"' in nav
    html = client.get("/en/regions/americas/").content.decode()
    assert "Sub-regions and countries" in html and "Central America" in html


def test_french_page_marks_english_fallbacks(client):
    make_region(
        "americas", title="Americas and the Caribbean", title_fr="Amériques et Caraïbes", summary="English only."
    )
    html = client.get("/fr/regions/americas/").content.decode()
    assert "<h1>Amériques et Caraïbes</h1>" in html
    assert '<p class="lead" lang="en">English only.</p>' in html


def test_footer_menu_links_to_offices_keep_the_language(client):
    from iomsite.models import Menu, MenuItem

    _americas, central, _caribbean, honduras, *_rest = build_americas()
    MenuItem.objects.create(
        menu=Menu.CENTRES, title="Honduras office", url="/regions/americas/central-america/honduras/coverage/#office-x"
    )
    html = client.get("/fr/regions/").content.decode()
    assert 'href="/fr/regions/americas/central-america/honduras/coverage/#office-x"' in html
