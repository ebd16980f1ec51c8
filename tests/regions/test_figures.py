import csv
import io
import json
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError
from django.utils import translation

from regions.figures import bar_charts, format_value
from regions.models import KeyFigure
from tests.regions.factories import make_figure, make_region
from tests.regions.helpers import bar_charts_of

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize("value", ["-0.1", "100.5", "250"])
def test_percentage_outside_0_100_is_refused(value):
    region = make_region("americas")
    figure = KeyFigure(region=region, label="Share", value=Decimal(value), unit="percent", year=2015, source="X")
    with pytest.raises(ValidationError) as error:
        figure.full_clean()
    assert "value" in error.value.message_dict


@pytest.mark.parametrize("value", ["0", "8.7", "100"])
def test_percentage_inside_0_100_is_accepted(value):
    region = make_region("americas")
    KeyFigure(region=region, label="Share", value=Decimal(value), unit="percent", year=2015, source="X").full_clean()


def test_database_refuses_a_percentage_over_100():
    from django.db import IntegrityError

    region = make_region("americas")
    with pytest.raises(IntegrityError):
        make_figure(region, unit="percent", value="101")


def test_money_needs_its_currency_and_only_money_has_one():
    region = make_region("americas")
    with pytest.raises(ValidationError) as error:
        KeyFigure(region=region, label="Remittances", value=5, unit="currency", year=2015, source="X").full_clean()
    assert "currency_code" in error.value.message_dict
    with pytest.raises(ValidationError) as error:
        KeyFigure(
            region=region, label="People", value=5, unit="people", currency_code="USD", year=2015, source="X"
        ).full_clean()
    assert "currency_code" in error.value.message_dict


@pytest.mark.parametrize(
    ("value", "unit", "currency", "english", "french_number"),
    [
        ("72500000", "people", "", "72.5 million", "72,5"),
        ("-6800000", "people", "", "\u22126.8 million", "\u22126,8"),
        ("8.7", "percent", "", "8.7%", "8,7"),
        ("27", "percent", "", "27%", "27"),
        ("125000", "number", "", "125,000", "125\xa0000"),
        ("1500000000", "currency", "USD", "USD 1.5 billion", "1,5"),
    ],
)
def test_values_are_formatted_for_the_visitor_language(value, unit, currency, english, french_number):
    with translation.override("en"):
        assert format_value(Decimal(value), unit, currency) == english
    with translation.override("fr"):
        # Words and signs come from the catalogues (compiled by make messages); numbers from the locale.
        french = format_value(Decimal(value), unit, currency)
    assert french.startswith(french_number) or f" {french_number}" in french
    assert "." not in french


def test_charts_list_one_bar_per_figure_with_its_label_and_value(client):
    region = make_region("americas", title="Americas and the Caribbean")
    make_figure(region, "International migrants in the Americas", "57500000", sort_order=1)
    make_figure(region, "Migratory balance, Central America", "-6800000", sort_order=2)
    make_figure(region, "Share of migrants worldwide", "27", unit="percent", sort_order=3)
    make_figure(region, "Remittances, Honduras", "19.3", unit="percent", sort_order=4, source="World Bank")
    make_figure(region, "Remittances received", "1200000000", unit="currency", currency_code="USD", sort_order=5)
    html = client.get("/en/regions/americas/").content.decode()
    charts = bar_charts_of(html)
    # People, per cent and dollars never share an axis: three charts, one bar per figure in each.
    assert len(charts) == 3
    assert [len(chart.findall("li")) for chart in charts] == [2, 2, 1]
    assert [len(chart.findall(".//rect")) for chart in charts] == [2, 2, 1]
    for chart in charts:
        for item in chart.findall("li"):
            # The label is page text (it wraps); the drawing says nothing a screen reader would read twice.
            label = " ".join(item.find("span").itertext())
            value = item.find(".//text").text
            assert label.endswith(f": {value}")
            assert item.find("svg").get("aria-hidden") == "true"
            assert item.find("svg").get("viewBox") is None  # drawn at the page's scale, never shrunk
            rect = item.find(".//rect")
            assert float(rect.get("width").removesuffix("%")) > 0
    labels = [" ".join(item.find("span").itertext()) for chart in charts for item in chart.findall("li")]
    for label in ("International migrants in the Americas", "Remittances, Honduras", "Remittances received"):
        assert any(label in text for text in labels), label
    values = [text.text for chart in charts for text in chart.iter("text")]
    assert values == ["57.5 million", "\u22126.8 million", "27%", "19.3%", "USD 1.2 billion"]
    assert "<script" not in "".join(html.split('<ul class="bar-chart">')[1:]).split("</ul>")[0]
    # The negative bar grows left from the zero line, the positive one right; both values sit
    # right of the zero line, so none crosses it.
    (positive, negative) = charts[0].findall("li")
    zero = float(positive.find(".//line").get("x1").removesuffix("%"))

    def pct(element, name):
        return float(element.get(name).removesuffix("%"))

    assert pct(positive.find(".//rect"), "x") == pytest.approx(zero)
    assert pct(negative.find(".//rect"), "x") + pct(negative.find(".//rect"), "width") == pytest.approx(zero, abs=0.02)
    assert pct(negative.find(".//text"), "x") == pytest.approx(zero)
    assert pct(positive.find(".//text"), "x") == pytest.approx(zero + pct(positive.find(".//rect"), "width"), abs=0.02)
    assert negative.get("class") == "negative"


def test_chart_coordinates_are_not_localised_in_french(client):
    region = make_region("americas")
    make_figure(region, "A", "57500000")
    make_figure(region, "B", "7500000")
    html = client.get("/fr/regions/americas/").content.decode()
    (chart,) = bar_charts_of(html)
    for rect in chart.findall(".//rect"):
        float(rect.get("x").removesuffix("%")), float(rect.get("width").removesuffix("%"))
    assert "57,5 million" in html


def test_percent_bars_are_drawn_against_100():
    region = make_region("europe")
    figure = make_figure(region, "Migrants as a share of the population", "8.7", unit="percent")
    (chart,) = bar_charts([figure])
    assert float(chart.bars[0].width.removesuffix("%")) == pytest.approx(62 * 0.087, rel=0.01)


def test_figure_cards_show_value_label_year_and_source(client):
    region = make_region("europe")
    make_figure(region, "Migrants in Europe and Central Asia", "72500000", year=2013, source_url="https://example.org/")
    html = client.get("/en/regions/europe/").content.decode()
    assert '<span class="figure-value">72.5 million</span>' in html
    assert "Migrants in Europe and Central Asia" in html
    assert '<a href="https://example.org/" rel="noopener">UN DESA Population Division</a>, 2013' in html


def test_csv_download_parses_back(client):
    region = make_region("americas", title="Americas and the Caribbean")
    make_figure(region, "International migrants, “Americas”", "57500000", sort_order=1)
    make_figure(region, "Share of migrants worldwide", "27.5", unit="percent", sort_order=2, year=2017)
    make_figure(region, "Remittances", "1200000000.5", unit="currency", currency_code="USD", sort_order=3)
    response = client.get("/en/regions/americas/figures.csv")
    assert response.status_code == 200
    assert response["Content-Type"] == "text/csv; charset=utf-8"
    assert response["Content-Disposition"] == 'attachment; filename="americas-key-figures.csv"'
    rows = list(csv.DictReader(io.StringIO(response.content.decode("utf-8-sig"))))
    assert [row["label"] for row in rows] == [
        "International migrants, “Americas”",
        "Share of migrants worldwide",
        "Remittances",
    ]
    assert [Decimal(row["value"]) for row in rows] == [Decimal("57500000"), Decimal("27.5"), Decimal("1200000000.5")]
    assert [row["unit"] for row in rows] == ["people", "percent", "currency"]
    assert rows[2]["currency"] == "USD"
    assert [row["year"] for row in rows] == ["2015", "2017", "2015"]
    assert {row["source"] for row in rows} == {"UN DESA Population Division"}


def test_json_download_parses_back(client):
    region = make_region("americas", title="Americas and the Caribbean", title_fr="Amériques et Caraïbes")
    make_figure(region, "International migrants", "57500000", label_fr="Migrants internationaux", sort_order=1)
    make_figure(region, "Share", "8.7", unit="percent", sort_order=2)
    response = client.get("/fr/regions/americas/figures.json")
    assert response.status_code == 200
    assert response["Content-Type"].startswith("application/json")
    assert response["Content-Disposition"] == 'attachment; filename="americas-key-figures.json"'
    data = json.loads(response.content)
    assert data["region"] == "Amériques et Caraïbes"
    assert data["figures"] == [
        {
            "label": "Migrants internationaux",
            "value": 57500000,
            "unit": "people",
            "currency": "",
            "year": 2015,
            "source": "UN DESA Population Division",
            "source_url": "",
        },
        {
            "label": "Share",
            "value": 8.7,
            "unit": "percent",
            "currency": "",
            "year": 2015,
            "source": "UN DESA Population Division",
            "source_url": "",
        },
    ]


def test_downloads_of_a_draft_region_are_404_for_visitors_and_uncached_for_staff(client, staff_client):
    region = make_region("americas")
    country = make_region("hidden", region, kind="country", iso_code="HN", published=True)
    make_figure(country)
    region.status = "draft"
    region.save()
    for url in ("/en/regions/americas/figures.csv", "/en/regions/americas/hidden/figures.json"):
        assert client.get(url).status_code == 404
        response = staff_client.get(url)
        assert response.status_code == 200
        assert "no-cache" in response["Cache-Control"]


def test_a_page_without_figures_has_no_chart_and_no_download_links(client):
    make_region("americas")
    html = client.get("/en/regions/americas/").content.decode()
    assert 'class="bar-chart"' not in html and "figures.csv" not in html
