"""``make_*`` helpers for the regions tests. Each returns a saved object."""

import re
from decimal import Decimal

from iomsite.models import Status
from regions.iso3166 import COUNTRY_CODES
from regions.models import KeyFigure, Office, Region, Trend
from tests.iomsite.factories import live, unique


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


_free_codes = iter(code for code in sorted(COUNTRY_CODES) if code not in {"HN", "SV", "HT", "ES", "KE", "CH"})


def _country(**state):
    code = next(_free_codes)
    return make_country(code, slug=f"country-{code.lower()}", **state)


def _region_part(model, fields):
    def make(**state):
        return model.objects.create(region=make_region(unique("region"), **state), **fields)

    return make


# For the seam-wide tests (tests/factories.py): one object of each declared model, visible as ``state`` says.
EXAMPLES = {
    Region: lambda **state: make_region(unique("region"), **state),
    KeyFigure: _region_part(KeyFigure, {"label": "Migrants", "value": Decimal(1), "year": 2020, "source": "UN"}),
    Trend: _region_part(Trend, {"heading": "Remittances", "body": "<p>Money sent home.</p>"}),
    Office: lambda **state: make_office(_country(), unique("office"), **state),  # in a live country
}
