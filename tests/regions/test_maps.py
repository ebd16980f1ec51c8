"""Maps of regions, countries and the world: shaded published countries as links, offices marked.

The browser test (tests/browser/test_maps.py) checks in Chromium that each office dot lies inside
its country's drawn shape; here the drawing, the links and the weight are checked from the HTML.
"""

import re

import pytest

from regions import maps
from regions.iso3166 import COUNTRY_CODES
from tests.regions.helpers import build_americas, make_country, make_office, make_region

pytestmark = pytest.mark.django_db

MAP = re.compile(r'<svg class="map".*?</svg>', re.DOTALL)


def the_map(html):
    found = MAP.findall(html)
    assert len(found) == 1, f"{len(found)} maps"
    return found[0]


def links(svg):
    return set(re.findall(r'<a href="([^"]+)" tabindex="-1">', svg))


def point_in_ring(x, y, ring):
    inside = False
    for (x1, y1), (x2, y2) in zip(ring, ring[1:] + ring[:1], strict=True):
        if (y1 > y) != (y2 > y) and x < x1 + (y - y1) * (x2 - x1) / (y2 - y1):
            inside = not inside
    return inside


def test_a_region_map_links_its_published_countries_and_not_a_draft_one(client):
    americas, _central, _caribbean, honduras, salvador, haiti = build_americas()
    salvador.status = "draft"
    salvador.save()
    svg = the_map(client.get("/en/regions/americas/").content.decode())
    assert links(svg) == {honduras.get_absolute_url(), haiti.get_absolute_url()}
    assert "<title>Honduras</title>" in svg
    # The draft is land like any neighbour: not a link, not shaded, its name nowhere in the map.
    assert salvador.get_absolute_url() not in svg and "El Salvador" not in svg
    assert 'aria-hidden="true"' in svg  # the list of countries is the text alternative
    coverage = client.get("/en/regions/americas/coverage/").content.decode()
    assert links(the_map(coverage)) == {honduras.get_absolute_url(), haiti.get_absolute_url()}


def test_a_country_map_shades_the_country_without_linking_to_itself_and_marks_its_office(client):
    east = make_region("east-africa")
    kenya = make_country("KE", east, title="Kenya")
    make_office(kenya, "nairobi", name="IOM Nairobi")
    make_office(kenya, "draft", name="A Draft Office", published=False)
    svg = the_map(client.get(kenya.get_absolute_url()).content.decode())
    assert links(svg) == set()
    assert re.search(
        r'<g class="current" data-code="KE"><title>Kenya: IOM Nairobi</title><path d="[^"]+"/><circle ', svg
    )
    assert svg.count("<circle") == 1 and "A Draft Office" not in svg


def test_the_offices_page_maps_the_world_with_a_dot_per_country_with_offices(client):
    americas, _central, _caribbean, honduras, _salvador, haiti = build_americas()
    make_office(honduras, "tegucigalpa")
    html = client.get("/en/regions/offices/").content.decode()
    svg = the_map(html)
    # Each country links to its entry in the list below, with its offices.
    assert links(svg) == {"#country-hn", "#country-sv", "#country-ht"}
    assert all(f'id="{link[1:]}"' in html for link in links(svg))
    assert svg.count("<circle") == 1
    assert re.search(r'<a href="#country-hn" tabindex="-1"><path d="[^"]+"/><circle ', svg)
    assert "Dots mark" not in html and "A dot marks the country of our 1 office." in html


def test_a_place_without_mapped_countries_has_no_map(client):
    make_region("nowhere")
    assert 'class="map"' not in client.get("/en/regions/nowhere/").content.decode()


# fmt: off
AFRICA = {
    "AO", "BF", "BI", "BJ", "BW", "CD", "CF", "CG", "CI", "CM", "CV", "DJ", "DZ", "EG",
    "EH", "ER", "ET", "GA", "GH", "GM", "GN", "GQ", "GW", "KE", "KM", "LR", "LS", "LY",
    "MA", "MG", "ML", "MR", "MU", "MW", "MZ", "NA", "NE", "NG", "RW", "SC", "SD", "SL",
    "SN", "SO", "SS", "ST", "SZ", "TD", "TG", "TN", "TZ", "UG", "ZA", "ZM", "ZW",
}
# fmt: on
FIGURE = re.compile(r'<figure class="region-map">.*?</figure>', re.DOTALL)


def test_a_map_adds_under_40_kb_even_with_every_country_and_an_office_in_each(client):
    region = make_region("east-and-horn-of-africa")
    sub = make_region("the-sub-region-of-many-countries", region)
    for code in sorted(maps.world()[0]):
        make_office(make_country(code, sub), f"office-in-{code.lower()}")
    world = FIGURE.search(client.get("/en/regions/offices/").content.decode()).group()
    assert world.count("<a href=") > 225 and world.count("<circle") > 225  # all but the far south
    assert len(world.encode()) < 40 * 1024, len(world.encode())


def test_a_region_map_of_54_countries_with_names_and_offices_adds_under_40_kb(client):
    # A region's map is drawn finer than the world's, with names: one of Africa's 54 countries.
    africa = [code for code in maps.world()[0] if code in AFRICA]
    africa_region = make_region("africa")
    africa_sub = make_region("the-sub-region-of-african-countries", africa_region)
    for code in africa:
        make_office(make_country(code, africa_sub, slug=f"{code.lower()}-country"), f"office-{code.lower()}")
    drawn = FIGURE.search(client.get("/en/regions/africa/").content.decode()).group()
    assert len(africa) > 50 and drawn.count("<a href=") == len(africa)
    assert len(drawn.encode()) < 40 * 1024, len(drawn.encode())


def test_every_office_dot_falls_inside_its_country_and_inside_the_frame():
    countries, _land = maps.world()
    codes = tuple(sorted(countries))
    for group in (codes[:60], codes[60:120], codes[120:180], codes[180:], ("KE",), ("FJ", "KI", "NZ"), ("RU", "US")):
        drawing = maps.geometry(group, group)
        shapes, _land = maps.projected(maps.centre_of(group))
        for marker in drawing.markers.values():
            assert 0 <= marker.x <= drawing.width and 0 <= marker.y <= drawing.height
        for code in group:
            rings = shapes[code]
            if rings:
                point = maps.inside_point(max(rings, key=maps._area))
                assert point_in_ring(*point, max(rings, key=maps._area)), code


def test_the_boundaries_cover_the_member_states():
    countries, _land = maps.world()
    assert set(countries) <= set(COUNTRY_CODES)
    for code in ("KE", "PH", "PA", "US", "FR", "HT", "SV", "CH", "SO", "CY", "FJ"):
        assert countries.get(code), code


def test_equal_earth_keeps_the_centre_and_the_poles_in_place():
    assert maps.project(0, 0) == (0, 0)
    left, _ = maps.project(-180, 0)
    right, _ = maps.project(180, 0)
    assert left == pytest.approx(-right) and right == pytest.approx(2.7064, abs=1e-3)
    assert maps.project(0, 90)[1] == pytest.approx(-1.3173, abs=1e-3)
