"""Small builders for the regions tests. Each returns a saved object."""

import re
import xml.etree.ElementTree as ET
from decimal import Decimal

from iomsite.models import Status
from regions.iso3166 import COUNTRY_CODES
from regions.models import KeyFigure, Office, Region, Trend
from tests.factories import live

CODES = sorted(COUNTRY_CODES)


def make_region(slug, parent=None, kind=None, published=True, **fields):
    if kind is None:
        kind = Region.Kind.SUBREGION if parent is not None and parent.kind == Region.Kind.REGION else Region.Kind.REGION
    if parent is not None:
        parent.refresh_from_db()
    defaults = live() if published else {"status": Status.DRAFT}
    defaults.update({"title": slug.replace("-", " ").title(), "body": f"<p>About {slug}.</p>"})
    defaults.update(fields)
    return Region.objects.create(slug=slug, parent=parent, kind=kind, **defaults)


def make_country(iso_code, parent=None, published=True, **fields):
    slug = fields.pop("slug", COUNTRY_CODES[iso_code].lower().replace(" ", "-").replace(",", "").replace("'", ""))
    slug = re.sub(r"[^-a-z0-9]", "", slug)[:90] or iso_code.lower()
    return make_region(slug, parent, kind=Region.Kind.COUNTRY, published=published, iso_code=iso_code, **fields)


def make_figure(region, label="International migrants", value="57500000", unit=KeyFigure.Unit.PEOPLE, **fields):
    defaults = {"year": 2015, "source": "UN DESA Population Division"}
    defaults.update(fields)
    return KeyFigure.objects.create(region=region, label=label, value=Decimal(value), unit=unit, **defaults)


def make_office(country, slug, kind=Office.Kind.COUNTRY, published=True, **fields):
    defaults = live() if published else {"status": Status.DRAFT}
    defaults.update(
        {"name": f"IOM {country.title} {slug}", "address": f"Main street\n{country.title}", "phone": "+41 22 717 9111"}
    )
    defaults.update(fields)
    return Office.objects.create(country=country, slug=slug, kind=kind, **defaults)


def make_trend(region, heading="Remittances", body="<p>Money sent home.</p>", sort_order=0):
    return Trend.objects.create(region=region, heading=heading, body=body, sort_order=sort_order)


def build_americas():
    """Americas > Central America > Honduras, El Salvador; Americas > Caribbean > Haiti."""
    americas = make_region("americas", title="Americas and the Caribbean")
    central = make_region("central-america", americas, title="Central America")
    honduras = make_country("HN", central, slug="honduras", title="Honduras")
    salvador = make_country("SV", central, slug="el-salvador", title="El Salvador")
    caribbean = make_region("caribbean", americas, title="The Caribbean")
    haiti = make_country("HT", caribbean, slug="haiti", title="Haiti")
    for region in (americas, central, caribbean, honduras, salvador, haiti):
        region.refresh_from_db()
    return americas, central, caribbean, honduras, salvador, haiti


def consultation_models():
    """``(ConsultationSeries, ConsultationEvent)``, or ``(None, None)`` while that app has no models yet."""
    try:
        from consultations.models import ConsultationEvent, ConsultationSeries
    except ImportError:
        return None, None
    return ConsultationSeries, ConsultationEvent


def svgs(html):
    """Every inline ``<svg>`` of a page, parsed as XML."""
    return [ET.fromstring(block) for block in re.findall(r"<svg\b.*?</svg>", html, flags=re.DOTALL)]


SVG = "{http://www.w3.org/2000/svg}"


def bar_charts_of(html):
    """Each ``<ul class="bar-chart">`` of a page, parsed as XML: one ``<li>`` (label, one-bar SVG) a figure."""
    return [ET.fromstring(block) for block in re.findall(r'<ul class="bar-chart">.*?</ul>', html, flags=re.DOTALL)]
