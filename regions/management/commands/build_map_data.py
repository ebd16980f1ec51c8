"""Write regions/mapdata/countries.json from Natural Earth's boundaries (``make map-data``).

The source is the npm package world-atlas (Natural Earth 1:50m, public domain, as TopoJSON),
installed by ``npm ci --prefix regions/mapdata``. Each country's rings are decoded, simplified
(Douglas–Peucker, 0.03°) and kept as longitude/latitude in hundredths of a degree under its
ISO 3166-1 alpha-2 code; the pages project and cache them (regions/maps.py). The output is
committed, so running the site needs neither npm nor the network.
"""

import json
from pathlib import Path

from django.core.management.base import BaseCommand

from regions.iso3166 import COUNTRY_CODES
from regions.maps import DATA, simplify

SOURCE = Path(DATA).parent / "node_modules" / "world-atlas" / "countries-50m.json"
TOLERANCE = 0.03  # degrees
# Shapes Natural Earth draws apart from a member State, drawn as part of it (the United Nations'
# view); the others without a code (Kosovo, Siachen Glacier, …) are drawn as plain land.
PART_OF = {"Somaliland": "SO", "N. Cyprus": "CY"}


def decode_arcs(topology):
    scale_x, scale_y = topology["transform"]["scale"]
    shift_x, shift_y = topology["transform"]["translate"]
    arcs = []
    for arc in topology["arcs"]:
        x = y = 0
        points = []
        for dx, dy in arc:
            x, y = x + dx, y + dy
            points.append((x * scale_x + shift_x, y * scale_y + shift_y))
        arcs.append(points)
    return arcs


def ring(arcs, indexes):
    points = []
    for index in indexes:
        arc = arcs[index] if index >= 0 else arcs[~index][::-1]
        points.extend(arc[1:] if points else arc)
    return points


def polygons(geometry):
    if geometry["type"] == "Polygon":
        return [geometry["arcs"]]
    if geometry["type"] == "MultiPolygon":
        return geometry["arcs"]
    return []


def country_code(geometry):
    import pycountry  # a development dependency: only this command needs it

    name = geometry.get("properties", {}).get("name", "")
    if name in PART_OF:
        return PART_OF[name]
    if "id" not in geometry:
        return None
    found = pycountry.countries.get(numeric=geometry["id"])
    return found.alpha_2 if found and found.alpha_2 in COUNTRY_CODES else None


class Command(BaseCommand):
    help = "Build regions/mapdata/countries.json from Natural Earth (world-atlas on npm)."

    def handle(self, *args, **options):
        topology = json.loads(SOURCE.read_text())
        arcs = decode_arcs(topology)
        countries, land = {}, []
        points = 0
        for geometry in topology["objects"]["countries"]["geometries"]:
            code = country_code(geometry)
            rings = []
            for polygon in polygons(geometry):
                outer = simplify(ring(arcs, polygon[0]), TOLERANCE)  # holes (lakes) are left out
                if len(outer) >= 4:
                    rings.append([round(value * 100) for point in outer for value in point])
                    points += len(outer)
            (countries.setdefault(code, []) if code else land).extend(rings)
        data = {
            "source": "Natural Earth 1:50m cultural vectors (public domain), via world-atlas 2.0.2",
            "unit": "hundredths of a degree, [lon, lat, lon, lat, …] per ring",
            "countries": dict(sorted(countries.items())),
            "land": land,
        }
        Path(DATA).write_text(json.dumps(data, separators=(",", ":")) + "\n")
        self.stdout.write(f"{len(countries)} countries, {points} points: {DATA}")
