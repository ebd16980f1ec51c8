"""Generated regions for benchmarks (``manage.py generate_content``).

The world keeps its shape whatever the scale: 5 regions of 4 sub-regions each. The
countries grow with the scale, dealt in turn to the 20 sub-regions: 200 at scale 1 (10
per sub-region), 2,000 at scale 10, with an office in every other one: 300 countries and
offices at scale 1. So the home page's regions, a region's page and the search filters
keep their size, while sub-regions and the coverage lists grow. Countries get free ISO
codes while there are any (the consultation filters use them).
"""

from decimal import Decimal

from iomsite.generate import (
    PREFIX,
    Text,
    bulk_create,
    counted,
    first_generated,
    insert_tree_nodes,
    publishing,
    store_text,
)
from regions.iso3166 import COUNTRY_CODES
from regions.models import KeyFigure, Office, Region, Trend

REGIONS = 5
SUBREGIONS = 4  # per region
BASE_COUNTRIES = 200


def places(scale):
    """``(region, sub-region or None, country or None)`` of every generated node, parents first."""
    if not scale:
        return []
    found = [(region, None, None) for region in range(REGIONS)]
    found += [(region, sub, None) for region in range(REGIONS) for sub in range(SUBREGIONS)]
    for index in range(counted(BASE_COUNTRIES, scale)):
        region, sub = divmod(index % (REGIONS * SUBREGIONS), SUBREGIONS)
        found.append((region, sub, index // (REGIONS * SUBREGIONS)))
    return found


def slug_of(region, subregion=None, country=None):
    if country is not None:
        return f"{PREFIX}country-{region}-{subregion}-{country}"
    if subregion is not None:
        return f"{PREFIX}subregion-{region}-{subregion}"
    return f"{PREFIX}region-{region}"


def generate(context):
    rows = Region.objects.filter(slug__startswith=PREFIX).values_list("slug", "pk", "path", "tree_id", "level")
    existing = {slug: row for slug, *row in rows}
    used = set(Region.objects.exclude(iso_code="").values_list("iso_code", flat=True))
    free_codes = iter(sorted(set(COUNTRY_CODES) - used))
    new = {}
    for index, place in enumerate(places(context.scale)):
        region, subregion, _country = place
        slug = slug_of(*place)
        if slug in existing:
            continue
        depth = sum(part is not None for part in place) - 1
        parent_slug = (slug_of(region, subregion) if depth == 2 else slug_of(region)) if depth else None
        parent_node, parent_row = new.get(parent_slug), existing.get(parent_slug)
        parent_path = parent_node.path if parent_node else (parent_row[1] if parent_row else None)
        node = build_node(index, place, slug, parent_path, free_codes)
        node.parent_node = parent_node
        node.parent_row = (parent_row[0], parent_row[2], parent_row[3]) if parent_row else None
        new[slug] = node
    nodes = list(new.values())
    insert_tree_nodes(Region, nodes)
    offices = add_parts(context, nodes)
    kinds = [node.kind for node in nodes]
    return {
        "regions": kinds.count(Region.Kind.REGION),
        "sub-regions": kinds.count(Region.Kind.SUBREGION),
        "countries": kinds.count(Region.Kind.COUNTRY),
        "offices": offices,
    }


def build_node(index, place, slug, parent_path, free_codes):
    country = place[2]
    text = Text("region", slug)
    depth = sum(part is not None for part in place) - 1
    kind = (Region.Kind.REGION, Region.Kind.SUBREGION, Region.Kind.COUNTRY)[depth]
    name = text.name(2)
    node = Region(
        kind=kind,
        slug=slug,
        path=f"{parent_path}/{slug}" if parent_path else slug,
        iso_code=next(free_codes, "") if kind == Region.Kind.COUNTRY else "",
        title_en=name,
        title_fr=name if text.is_translated else None,  # place names rarely change between languages
        title_es=name if text.is_translated else None,
        **text.fields("summary", "summary"),
        **text.fields("body", "html", 3),
        # A few countries are drafts (never the first one of a sub-region).
        **publishing(index, draft_every=29 if kind == Region.Kind.COUNTRY and country else 0),
    )
    store_text([node], "body", "body_text")
    node.index = index  # its place in the generated list (not a field)
    return node


def add_parts(context, nodes):
    """Key figures, trends, offices and documents of freshly created nodes."""
    figures, trends, offices, documents = [], [], [], []
    links = Region.documents.through
    for node in nodes:
        text = Text("region-parts", node.slug)
        count = 4 if node.kind != Region.Kind.COUNTRY else 3
        for order in range(count):
            figures.append(figure(node, order, text))
        for order in range(2 if node.kind != Region.Kind.COUNTRY else 1):
            trend = Trend(
                region_id=node.pk,
                sort_order=order,
                **text.fields("heading", "name", 3),
                **text.fields("body", "html", 2, headings=False),
            )
            trends.append(trend)
        number = node.index
        if node.kind == Region.Kind.COUNTRY and number % 2 == 0:  # an office in every other country
            offices.append(
                Office(
                    country_id=node.pk,
                    kind=Office.Kind.COUNTRY,
                    slug=node.slug.replace(f"{PREFIX}country-", f"{PREFIX}office-"),
                    name_en=f"IOM {node.title_en}",
                    address=f"{text.name(2)} Street {number + 1}\n{text.name(1)}",
                    phone=f"+41 22 717 {9000 + number:04d}",
                    email="office@example.org",
                    summary_en=text.sentence(),
                    **publishing(),
                )
            )
        if node.kind != Region.Kind.COUNTRY:
            documents += [links(region_id=node.pk, document_id=context.media.document(i).pk) for i in range(2)]
    store_text(trends, "body", "body_text")
    bulk_create(KeyFigure, figures)
    bulk_create(Trend, trends)
    bulk_create(Office, offices)
    links.objects.bulk_create(documents, ignore_conflicts=True)
    return len(offices)


def figure(node, order, text):
    unit = (KeyFigure.Unit.PEOPLE, KeyFigure.Unit.PERCENT, KeyFigure.Unit.CURRENCY, KeyFigure.Unit.NUMBER)[order]
    value = {
        KeyFigure.Unit.PEOPLE: Decimal(text.rng.randint(10_000, 90_000_000)),
        KeyFigure.Unit.PERCENT: Decimal(text.rng.randint(1, 999)) / 10,
        KeyFigure.Unit.CURRENCY: Decimal(text.rng.randint(1_000_000, 9_000_000_000)),
        KeyFigure.Unit.NUMBER: Decimal(text.rng.randint(1, 500)),
    }[unit]
    labels = ("International migrants", "Migrants in the population", "Remittances received", "IOM projects")
    return KeyFigure(
        region_id=node.pk,
        sort_order=order,
        label_en=labels[order],
        value=value,
        unit=unit,
        currency_code="USD" if unit == KeyFigure.Unit.CURRENCY else "",
        year=2020,
        source_en="UN DESA Population Division",
        source_url="https://www.un.org/development/desa/pd/",
    )


def bench_pages():
    region = first_generated(
        Region.objects.published().filter(slug__startswith=PREFIX, kind=Region.Kind.REGION),
        "region",
        slug=f"{PREFIX}region-0",
    )
    return [("region", region.get_absolute_url())]
