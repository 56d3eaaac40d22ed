"""Where a region's name goes on a map, and whether it fits there (pure Python: no shapely at run time).

A name sits at the centroid of the region's largest polygon, or, when that centroid falls outside it
(a crescent, a ring), at the middle of the widest inside stretch of the horizontal line through it. A name
is drawn when the polygon is wide enough for it at the map's scale; the others are left to the hover.

>>> square = {"type": "Polygon", "coordinates": [[[0, 0], [0, 2], [2, 2], [2, 0], [0, 0]]]}
>>> point_of(square)
(1.0, 1.0, 2.0, 2.0)
"""

from __future__ import annotations

import math
from dataclasses import dataclass


@dataclass(frozen=True)
class Label:
    code: str
    name: str
    lon: float
    lat: float
    width: float  # of the largest polygon, degrees of longitude
    height: float  # degrees of latitude


def _area_centroid(ring: list[list[float]]) -> tuple[float, float, float]:
    """Signed area and centroid of a closed ring (shoelace)."""
    a = cx = cy = 0.0
    for (x0, y0), (x1, y1) in zip(ring, ring[1:]):
        cross = x0 * y1 - x1 * y0
        a += cross
        cx += (x0 + x1) * cross
        cy += (y0 + y1) * cross
    a /= 2
    if a == 0:
        xs, ys = [p[0] for p in ring], [p[1] for p in ring]
        return 0.0, sum(xs) / len(xs), sum(ys) / len(ys)
    return a, cx / (6 * a), cy / (6 * a)


def _inside(x: float, y: float, rings: list[list[list[float]]]) -> bool:
    """Even-odd rule over the polygon's rings (holes included)."""
    hit = False
    for ring in rings:
        for (x0, y0), (x1, y1) in zip(ring, ring[1:]):
            if (y0 > y) != (y1 > y) and x < x0 + (y - y0) * (x1 - x0) / (y1 - y0):
                hit = not hit
    return hit


def _widest_stretch(y: float, rings: list[list[list[float]]]) -> float | None:
    """The middle x of the widest inside stretch of the line at latitude ``y``."""
    xs = sorted(
        x0 + (y - y0) * (x1 - x0) / (y1 - y0)
        for ring in rings
        for (x0, y0), (x1, y1) in zip(ring, ring[1:])
        if (y0 > y) != (y1 > y)
    )
    pairs = list(zip(xs[::2], xs[1::2]))
    if not pairs:
        return None
    a, b = max(pairs, key=lambda p: p[1] - p[0])
    return (a + b) / 2


def point_of(geometry: dict) -> tuple[float, float, float, float]:
    """(lon, lat, width, height) of the label point of a Polygon or MultiPolygon."""
    polys = [geometry["coordinates"]] if geometry["type"] == "Polygon" else geometry["coordinates"]
    best = max(polys, key=lambda p: abs(_area_centroid(p[0])[0]))
    _, x, y = _area_centroid(best[0])
    xs = [p[0] for p in best[0]]
    ys = [p[1] for p in best[0]]
    if not _inside(x, y, best):
        mid = _widest_stretch(y, best)
        if mid is None:
            y = (min(ys) + max(ys)) / 2
            mid = _widest_stretch(y, best)
        x = mid if mid is not None else (min(xs) + max(xs)) / 2
    return (
        round(float(x), 4),
        round(float(y), 4),
        round(float(max(xs) - min(xs)), 4),
        round(float(max(ys) - min(ys)), 4),
    )


def labels(geojson: dict) -> list[Label]:
    """A label for every feature (cache by layer: the boundary files are read once)."""
    out = []
    for f in geojson["features"]:
        lon, lat, w, h = point_of(f["geometry"])
        out.append(Label(f["properties"]["adcode"], f["properties"].get("name", ""), lon, lat, w, h))
    return out


def fitting(
    items: list[Label], names: dict[str, str], *, chars_per_span: float = 0.6, map_px: int | None = None
) -> list[Label]:
    """The labels whose name fits inside its polygon at this map's scale.

    The map is about 700 px wide at 12 px per character, so a name of ``n`` characters needs about
    ``n × chars_per_span / 100`` of the map's width (and a line of height).
    """
    if not items:
        return []
    span_x = max(i.lon + i.width / 2 for i in items) - min(i.lon - i.width / 2 for i in items)
    span_y = max(i.lat + i.height / 2 for i in items) - min(i.lat - i.height / 2 for i in items)
    span = max(span_x, span_y) or 1.0
    roomy = [
        item
        for item in items
        if item.width / span * 100 >= len(names.get(item.code, item.name)) * chars_per_span * 1.6
        and item.height / span * 100 >= 2.4
    ]
    return apart(roomy, names, span, map_px or MAP_PX)


MAP_PX = 560  # the narrowest map a page draws (1024 px screens), in pixels across its longer side
CHAR_PX, LINE_PX = 12, 16  # a name's character at 11 px, and its line, with a little room around


def apart(items: list[Label], names: dict[str, str], span: float, map_px: int = MAP_PX) -> list[Label]:
    """The labels that do not run into one another: the larger regions' names first, a name whose box would
    touch one already placed is left to the hover. Boxes are in degrees, latitudes stretched as Mercator
    stretches them at the map's middle latitude.

    >>> a = Label("1", "大同市", 113.0, 40.0, 2.0, 1.0)
    >>> b = Label("2", "朔州市", 113.3, 40.1, 1.0, 0.5)
    >>> [i.code for i in apart([b, a], {}, 10.0)]
    ['1']
    """
    if not items:
        return []
    mid = sum(i.lat for i in items) / len(items)
    stretch = 1 / max(0.2, math.cos(math.radians(mid)))
    per_px = span / map_px
    placed: list[tuple[float, float, float, float]] = []
    out = []
    for item in sorted(items, key=lambda i: i.width * i.height, reverse=True):
        half_w = len(names.get(item.code, item.name)) * CHAR_PX * per_px / 2
        half_h = LINE_PX * per_px / 2
        x, y = item.lon, item.lat * stretch
        box = (x - half_w, y - half_h, x + half_w, y + half_h)
        if any(box[0] < b[2] and b[0] < box[2] and box[1] < b[3] and b[1] < box[3] for b in placed):
            continue
        placed.append(box)
        out.append(item)
    order = {i.code: n for n, i in enumerate(items)}
    return sorted(out, key=lambda i: order[i.code])
