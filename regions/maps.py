"""Server-drawn SVG maps of a region, a country or the world (docs/decisions/015-maps.md).

Boundaries are Natural Earth's (public domain), stored in ``mapdata/countries.json`` by
``manage.py build_map_data``. A map is drawn in the Equal Earth projection, centred on the
longitude of the area it shows, framed on the area's main land, clipped to the frame and
simplified to whole pixels, so a region map weighs a few kilobytes. The geometry for one set of
countries is computed once per process (``lru_cache``); the page cache keeps the pages.
"""

import json
import math
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path

DATA = Path(__file__).resolve().parent / "mapdata" / "countries.json"
WIDTH = 800
PAD = 0.06  # of the frame, around the area
MIN_SPAN = 0.42  # projected units (about 24° at the equator): a country is shown among its neighbours
PIXEL = 0.75  # simplification tolerance in map pixels

# Equal Earth (Šavrič, Patterson and Jenny, 2018).
A1, A2, A3, A4 = 1.340264, -0.081106, 0.000893, 0.003796
M = math.sqrt(3) / 2


def project(lon, lat):
    """Longitude and latitude in degrees (longitude relative to the centre) to x, y (y down)."""
    theta = math.asin(M * math.sin(math.radians(lat)))
    t2 = theta * theta
    t6 = t2 * t2 * t2
    x = 2 * math.sqrt(3) * math.radians(lon) * math.cos(theta) / (3 * (A1 + 3 * A2 * t2 + t6 * (7 * A3 + 9 * A4 * t2)))
    y = theta * (A1 + A2 * t2 + t6 * (A3 + A4 * t2))
    return x, -y


def simplify(points, tolerance):
    """Douglas–Peucker on a closed or open line of (x, y); keeps the first and last points."""
    if len(points) < 3:
        return list(points)
    keep = [False] * len(points)
    keep[0] = keep[-1] = True
    stack = [(0, len(points) - 1)]
    while stack:
        first, last = stack.pop()
        (x1, y1), (x2, y2) = points[first], points[last]
        dx, dy = x2 - x1, y2 - y1
        norm = math.hypot(dx, dy)
        worst, index = 0.0, None
        for i in range(first + 1, last):
            px, py = points[i]
            distance = abs(dy * px - dx * py + x2 * y1 - y2 * x1) / norm if norm else math.hypot(px - x1, py - y1)
            if distance > worst:
                worst, index = distance, i
        if index is not None and worst > tolerance:
            keep[index] = True
            stack += [(first, index), (index, last)]
    return [point for point, kept in zip(points, keep, strict=True) if kept]


@lru_cache(maxsize=1)
def world():
    """``({code: [ring]}, [ring])``: rings as lists of (lon, lat) in degrees."""
    data = json.loads(DATA.read_text())

    def rings(flat_rings):
        return [
            list(zip([v / 100 for v in flat[0::2]], [v / 100 for v in flat[1::2]], strict=True)) for flat in flat_rings
        ]

    return {code: rings(value) for code, value in data["countries"].items()}, rings(data["land"])


def _area(ring):
    return abs(sum(x1 * y2 - x2 * y1 for (x1, y1), (x2, y2) in zip(ring, ring[1:] + ring[:1], strict=True))) / 2


@lru_cache(maxsize=36)
def projected(centre):
    """Every shape projected around the central meridian ``centre`` (a multiple of 10°).

    A ring that crosses the opposite meridian (the seam) would streak across the map: it is
    dropped; it lies on the far side of the globe from anything this map frames.
    """

    def ring_xy(ring):
        shifted = [((lon - centre + 180) % 360 - 180, lat) for lon, lat in ring]
        if any(abs(a[0] - b[0]) > 180 for a, b in zip(shifted, shifted[1:], strict=False)):
            return None
        return [project(lon, lat) for lon, lat in shifted]

    countries, land = world()
    shapes = {}
    for code, rings in countries.items():
        shapes[code] = [xy for xy in map(ring_xy, rings) if xy]
    return shapes, [xy for xy in map(ring_xy, land) if xy]


def centre_of(codes):
    """The central meridian for an area: the mean longitude of its largest rings, to 10°."""
    countries, _land = world()
    xs, ys, weight = 0.0, 0.0, 0.0
    for code in codes:
        rings = countries.get(code)
        if not rings:
            continue
        main = max(rings, key=_area)
        lon = sum(p[0] for p in main) / len(main)
        area = max(_area(main), 0.01) ** 0.5  # large countries count more, small ones still count
        xs += math.cos(math.radians(lon)) * area
        ys += math.sin(math.radians(lon)) * area
        weight += area
    if not weight:
        return 0
    return round(math.degrees(math.atan2(ys, xs)) / 10) * 10 % 360


def _main_rings(rings):
    """A country's main land: rings of at least a fifth of its largest (not far islands)."""
    if not rings:
        return []
    largest = max(_area(ring) for ring in rings)
    return [ring for ring in rings if _area(ring) >= largest / 5]


def _frame(rings):
    xs = [x for ring in rings for x, _y in ring]
    ys = [y for ring in rings for _x, y in ring]
    left, right, top, bottom = min(xs), max(xs), min(ys), max(ys)
    width, height = max(right - left, MIN_SPAN), max(bottom - top, MIN_SPAN * 0.6)
    cx, cy = (left + right) / 2, (top + bottom) / 2
    width, height = width * (1 + 2 * PAD), height * (1 + 2 * PAD)
    # A frame between 2:1 and 5:4, so a tall country is not a sliver and a wide one not a strip.
    height = min(max(height, width * 0.5), width * 0.8) if height < width * 0.8 else height
    width = max(width, height * 1.25)
    return cx - width / 2, cy - height / 2, width, height


def _clip(ring, xmin, ymin, xmax, ymax):
    """Sutherland–Hodgman: the ring cut to the rectangle (filled shapes stay right)."""
    edges = (
        (lambda p: p[0] >= xmin, lambda a, b: (xmin, a[1] + (b[1] - a[1]) * (xmin - a[0]) / (b[0] - a[0]))),
        (lambda p: p[0] <= xmax, lambda a, b: (xmax, a[1] + (b[1] - a[1]) * (xmax - a[0]) / (b[0] - a[0]))),
        (lambda p: p[1] >= ymin, lambda a, b: (a[0] + (b[0] - a[0]) * (ymin - a[1]) / (b[1] - a[1]), ymin)),
        (lambda p: p[1] <= ymax, lambda a, b: (a[0] + (b[0] - a[0]) * (ymax - a[1]) / (b[1] - a[1]), ymax)),
    )
    points = ring
    for inside, cut in edges:
        if not points:
            break
        result = []
        previous = points[-1]
        for point in points:
            if inside(point):
                if not inside(previous):
                    result.append(cut(previous, point))
                result.append(point)
            elif inside(previous):
                result.append(cut(previous, point))
            previous = point
        points = result
    return points


def _path(rings, transform, bounds, keep_one=False, tolerance=PIXEL):
    """SVG path data (absolute first point, then relative whole pixels) for the rings."""
    parts = []
    candidates = []
    for ring in rings:
        pixels = [transform(point) for point in ring]
        pixels = _clip(pixels, *bounds)
        if len(pixels) < 3:
            continue
        candidates.append(pixels)
    for pixels in candidates:
        simple = simplify([*pixels, pixels[0]], tolerance)[:-1]
        rounded = []
        for x, y in simple:
            point = (round(x), round(y))
            if not rounded or point != rounded[-1]:
                rounded.append(point)
        if len(rounded) < 3 and not (keep_one and not parts and pixels is candidates[-1]):
            continue
        if len(rounded) < 3:  # a tiny island of the area itself: a dot-sized diamond
            x, y = rounded[0]
            rounded = [(x, y - 2), (x + 2, y), (x, y + 2), (x - 2, y)]
        x0, y0 = rounded[0]
        steps = [f"{x - px} {y - py}" for (px, py), (x, y) in zip(rounded, rounded[1:], strict=False)]
        parts.append(f"M{x0} {y0}l" + " ".join(steps) + "z")
    return "".join(parts).replace(" -", "-")


def inside_point(ring):
    """A point inside a ring: the middle of the widest stretch of a horizontal line through it."""
    ys = sorted(y for _x, y in ring)
    best = None
    for y in (ys[len(ys) // 2], (ys[0] + ys[-1]) / 2, ys[len(ys) // 3], ys[2 * len(ys) // 3]):
        y += 1e-7
        crossings = sorted(
            x1 + (y - y1) * (x2 - x1) / (y2 - y1)
            for (x1, y1), (x2, y2) in zip(ring, ring[1:] + ring[:1], strict=True)
            if (y1 > y) != (y2 > y)
        )
        for left, right in zip(crossings[0::2], crossings[1::2], strict=False):
            if best is None or right - left > best[0]:
                best = (right - left, ((left + right) / 2, y))
    return best[1] if best else ring[0]


@dataclass
class Shape:
    code: str
    path: str


@dataclass
class Marker:
    code: str
    x: float
    y: float


@dataclass
class Geometry:
    width: int
    height: int
    area: list = field(default_factory=list)  # Shape per country of the area
    land: str = ""  # every other country and land in the frame, one path
    markers: dict = field(default_factory=dict)  # code: Marker, for countries with offices


@lru_cache(maxsize=256)
def geometry(area_codes, marker_codes=(), world_view=False):
    """The drawing of a map that shades ``area_codes`` and marks ``marker_codes`` (tuples of codes)."""
    countries, _land = world()
    area_codes = tuple(code for code in area_codes if code in countries)
    centre = 10 if world_view or not area_codes else centre_of(area_codes)
    shapes, land = projected(centre)
    if world_view or not area_codes:
        left, top = project(-180, 0)[0], project(0, 85)[1]
        width, height = 2 * -left, project(0, -58)[1] - top
    else:
        left, top, width, height = _frame([ring for code in area_codes for ring in _main_rings(shapes[code])])
    scale = WIDTH / width
    map_height = round(height * scale)

    def transform(point):
        return ((point[0] - left) * scale, (point[1] - top) * scale)

    bounds = (-4, -4, WIDTH + 4, map_height + 4)
    area = set(area_codes)
    drawing = Geometry(width=WIDTH, height=map_height)
    tolerance = PIXEL * 2 if world_view else PIXEL  # the whole world is drawn smaller
    drawing.area = [Shape(code, _path(shapes[code], transform, bounds, True, tolerance)) for code in area_codes]
    others = [ring for code, rings in shapes.items() if code not in area for ring in rings] + land
    drawing.land = _path(others, transform, bounds, tolerance=tolerance)
    for code in marker_codes:
        rings = shapes.get(code)
        if rings:
            x, y = transform(inside_point(max(rings, key=_area)))
            if 0 <= x <= WIDTH and 0 <= y <= map_height:
                drawing.markers[code] = Marker(code, round(x), round(y))
    return drawing


def region_map(countries, current=None, world_view=False):
    """What ``regions/includes/map.html`` draws for ``countries`` (nodes with their offices
    prefetched, as ``RegionContent.countries()`` gives them): their shapes, each a link but the
    page's own, and a marker in each country that has an office. None without a mapped country.

    A region's map links each country to its page; the world map (the offices page) links each
    to its entry in the list below it, with the country's offices: a short link, so the map of
    every country stays under 40 KB.
    """
    by_code = {country.iso_code: country for country in countries if country.iso_code}
    with_offices = tuple(sorted(code for code, country in by_code.items() if country.offices.all()))
    drawing = geometry(tuple(sorted(by_code)), with_offices, world_view)
    shapes = []
    office_count = 0
    for shape in drawing.area:
        if not shape.path:
            continue
        country = by_code[shape.code]
        marker = drawing.markers.get(shape.code)
        offices = country.offices.all()
        office_count += len(offices) if marker else 0
        shapes.append(
            {
                "code": shape.code,
                "title": country.title,
                "path": shape.path,
                "url": ""
                if current is not None and country.pk == current.pk
                else f"#country-{shape.code.lower()}"
                if world_view
                else country.get_absolute_url(),
                "marker": marker,
                "offices": ", ".join(office.name for office in offices),
            }
        )
    if not shapes:
        return None
    return {
        "width": drawing.width,
        "height": drawing.height,
        "land": drawing.land,
        "shapes": shapes,
        "office_count": office_count,
        "named": not world_view,  # hover names: on a region's map; the world's would weigh too much
    }
