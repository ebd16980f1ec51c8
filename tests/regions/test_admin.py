import datetime

import pytest
from django.forms import MultiWidget

from iomsite.models import Status
from regions.models import KeyFigure, Office, Region
from tests.regions.factories import build_americas, make_country, make_figure, make_office, make_region, make_trend

pytestmark = pytest.mark.django_db


def _value(value):
    if isinstance(value, (datetime.date, datetime.time)):
        return value.isoformat()
    return "" if value is None else value


def _add_form(data, form):
    for name, field in form.fields.items():
        key = form.add_prefix(name)
        value = form[name].value()
        if isinstance(field.widget, MultiWidget):
            parts = field.widget.decompress(value) if not isinstance(value, list) else value
            for index, part in enumerate(parts):
                data[f"{key}_{index}"] = _value(part)
        elif isinstance(value, bool):
            if value:
                data[key] = "on"
        elif isinstance(value, (list, tuple)):
            data[key] = [str(item) for item in value]
        else:
            data[key] = _value(value)


def form_data(response, **overrides):
    """The admin change form as the browser would post it back, with ``overrides``."""
    data = {}
    _add_form(data, response.context["adminform"].form)
    for inline in response.context["inline_admin_formsets"]:
        formset = inline.formset
        _add_form(data, formset.management_form)
        for form in formset.forms:
            _add_form(data, form)
    data.update(overrides)
    return data


def test_admin_pages_render(staff_client):
    _americas, _central, _caribbean, honduras, *_rest = build_americas()
    office = make_office(honduras, "tegucigalpa")
    region = Region.objects.get(slug="americas")
    for url in (
        "/admin/regions/region/",
        "/admin/regions/region/?kind__exact=country",
        "/admin/regions/region/?state=draft",
        "/admin/regions/region/?q=hondu",
        "/admin/regions/region/add/",
        f"/admin/regions/region/{region.pk}/change/",
        f"/admin/regions/region/{honduras.pk}/change/",
        "/admin/regions/office/",
        "/admin/regions/office/?kind__exact=country",
        "/admin/regions/office/add/",
        f"/admin/regions/office/{office.pk}/change/",
    ):
        assert staff_client.get(url).status_code == 200, url


def test_changelist_filters_and_search(staff_client):
    build_americas()
    html = staff_client.get("/admin/regions/region/?kind__exact=country").content.decode()
    assert "Honduras" in html and "Central America" not in html
    html = staff_client.get("/admin/regions/region/?q=HN").content.decode()
    assert "Honduras" in html and "Haiti" not in html


def test_offices_inline_only_on_countries(staff_client):
    americas, _central, _caribbean, honduras, *_rest = build_americas()
    region_page = staff_client.get(f"/admin/regions/region/{americas.pk}/change/")
    country_page = staff_client.get(f"/admin/regions/region/{honduras.pk}/change/")
    assert "offices-TOTAL_FORMS" not in region_page.content.decode()
    assert "offices-TOTAL_FORMS" in country_page.content.decode()
    assert "figures-TOTAL_FORMS" in region_page.content.decode()
    assert "trends-TOTAL_FORMS" in region_page.content.decode()


def test_region_autocomplete_for_other_apps(staff_client):
    build_americas()
    response = staff_client.get(
        "/admin/autocomplete/",
        {"app_label": "regions", "model_name": "office", "field_name": "country", "term": "hon"},
    )
    assert response.status_code == 200
    assert [item["text"] for item in response.json()["results"]] == ["Honduras"]
    # Offices go in countries only: regions are not offered.
    response = staff_client.get(
        "/admin/autocomplete/",
        {"app_label": "regions", "model_name": "office", "field_name": "country", "term": "america"},
    )
    assert response.json()["results"] == []


def test_publishing_with_an_unattributed_figure_is_refused_with_inline_errors(staff_client):
    region = make_region("americas", published=False)
    make_figure(region, year=None, source="")
    url = f"/admin/regions/region/{region.pk}/change/"
    data = form_data(staff_client.get(url), status=Status.PUBLISHED)
    response = staff_client.post(url, data)
    assert response.status_code == 200
    html = response.content.decode()
    assert "Give the year before publishing." in html
    assert "Give the source before publishing." in html
    assert "Every key figure needs a year and a source" in html
    region.refresh_from_db()
    assert region.status == Status.DRAFT
    # Saved as a draft, the same figure is accepted.
    response = staff_client.post(url, form_data(staff_client.get(url)))
    assert response.status_code == 302
    # With the year and source filled in the same submission, publishing succeeds.
    data = form_data(
        staff_client.get(url), status=Status.PUBLISHED, **{"figures-0-year": "2015", "figures-0-source_en": "UN DESA"}
    )
    response = staff_client.post(url, data)
    assert response.status_code == 302
    region.refresh_from_db()
    assert region.status == Status.PUBLISHED
    assert KeyFigure.objects.get(region=region).source == "UN DESA"


def test_percentage_over_100_refused_in_the_inline(staff_client):
    region = make_region("americas")
    make_figure(region, unit="percent", value="27")
    url = f"/admin/regions/region/{region.pk}/change/"
    response = staff_client.post(url, form_data(staff_client.get(url), **{"figures-0-value": "127"}))
    assert response.status_code == 200
    assert "A percentage must be between 0 and 100." in response.content.decode()
    assert KeyFigure.objects.get(region=region).value == 27


def test_unknown_iso_code_refused_in_the_admin(staff_client):
    americas, central, *_rest = build_americas()
    data = {
        "title_en": "Atlantis",
        "slug": "atlantis",
        "kind": "country",
        "parent": str(central.pk),
        "iso_code": "QQ",
        "status": "draft",
        "publish_at_0": "2020-01-01",
        "publish_at_1": "00:00:00",
        "figures-TOTAL_FORMS": "0",
        "figures-INITIAL_FORMS": "0",
        "trends-TOTAL_FORMS": "0",
        "trends-INITIAL_FORMS": "0",
    }
    response = staff_client.post("/admin/regions/region/add/", data)
    assert response.status_code == 200
    assert "is not an ISO 3166-1 country code" in response.content.decode()
    data["iso_code"] = "hn"
    response = staff_client.post("/admin/regions/region/add/", data)
    assert "Another country already has this ISO code: Honduras." in response.content.decode()
    data["iso_code"] = "gt"
    response = staff_client.post("/admin/regions/region/add/", data)
    assert response.status_code == 302
    atlantis = Region.objects.get(slug="atlantis")
    assert atlantis.iso_code == "GT" and atlantis.path == "americas/central-america/atlantis"


def test_publish_action_skips_regions_with_unattributed_figures(staff_client):
    ready = make_region("ready", published=False)
    make_figure(ready)
    blocked = make_region("blocked", title="Blocked region", published=False)
    make_figure(blocked, source="")
    response = staff_client.post(
        "/admin/regions/region/",
        {"action": "publish_now", "_selected_action": [ready.pk, blocked.pk]},
        follow=True,
    )
    assert "Blocked region" in response.content.decode()
    ready.refresh_from_db()
    blocked.refresh_from_db()
    assert ready.status == Status.PUBLISHED and blocked.status == Status.DRAFT


def move(staff_client, node, target, position):
    return staff_client.post(
        "/admin/regions/region/",
        {"cmd": "move_node", "cut_item": node.pk, "pasted_on": target.pk, "position": position},
    )


def test_drag_and_drop_moves_keep_paths_right(staff_client):
    americas, central, caribbean, honduras, *_rest = build_americas()
    response = move(staff_client, honduras, caribbean, "last-child")
    assert response.content == b"OK, moved."
    honduras.refresh_from_db()
    assert honduras.path == "americas/caribbean/honduras"
    response = move(staff_client, central, make_region("europe"), "last-child")
    assert response.content == b"OK, moved."
    assert Region.objects.get(slug="el-salvador").path == "europe/central-america/el-salvador"


@pytest.mark.parametrize(
    ("node", "target", "position"),
    [
        ("honduras", "haiti", "last-child"),  # into a country
        ("central-america", "americas", "left"),  # a sub-region to the top
        ("americas", "europe", "last-child"),  # a region under a region
        ("central-america", "caribbean", "last-child"),  # a sub-region under a sub-region
    ],
)
def test_drag_and_drop_refuses_moves_against_the_rules(staff_client, node, target, position):
    build_americas()
    make_region("europe")
    before = list(Region.objects.order_by("pk").values_list("pk", "parent_id", "lft", "rght", "tree_id", "path"))
    response = move(staff_client, Region.objects.get(slug=node), Region.objects.get(slug=target), position)
    assert response.content == b"FAIL, invalid move."
    after = list(Region.objects.order_by("pk").values_list("pk", "parent_id", "lft", "rght", "tree_id", "path"))
    assert after == before


def test_drag_and_drop_refuses_a_slug_clash(staff_client):
    americas, central, caribbean, *_rest = build_americas()
    clash = make_country("GT", caribbean, slug="el-salvador")
    response = move(staff_client, clash, central, "last-child")
    assert response.content == b"FAIL, invalid move."
    clash.refresh_from_db()
    assert clash.path == "americas/caribbean/el-salvador"


def test_office_admin_saves_and_links_to_the_site(staff_client):
    _americas, _central, _caribbean, honduras, *_rest = build_americas()
    data = {
        "name_en": "IOM Honduras",
        "slug": "tegucigalpa",
        "kind": "country",
        "country": str(honduras.pk),
        "sort_order": "0",
        "address": "Tegucigalpa",
        "phone": "+504 2555 0100",
        "email": "hn@example.org",
        "status": "published",
        "publish_at_0": "2020-01-01",
        "publish_at_1": "00:00:00",
    }
    response = staff_client.post("/admin/regions/office/add/", data)
    assert response.status_code == 302
    office = Office.objects.get(slug="tegucigalpa")
    assert office.updated_by is not None
    assert staff_client.get(f"/admin/regions/office/{office.pk}/change/").status_code == 200
    region = Region.objects.get(slug="central-america")
    data.update({"slug": "wrong", "country": str(region.pk)})
    response = staff_client.post("/admin/regions/office/add/", data)
    assert response.status_code == 200  # a region is not a country


def test_trends_are_edited_inline(staff_client):
    region = make_region(
        "americas", published=False
    )  # a draft: a live one's changes would wait in its draft (decision 016)
    make_trend(region, "Remittances", sort_order=2)
    url = f"/admin/regions/region/{region.pk}/change/"
    response = staff_client.get(url)
    assert "Remittances" in response.content.decode()
    response = staff_client.post(url, form_data(response, **{"trends-0-heading_en": "Money sent home"}))
    assert response.status_code == 302
    assert region.trends.get().heading == "Money sent home"
