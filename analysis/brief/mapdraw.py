"""A static choropleth by 去化周期 band: GeoPandas + matplotlib from ``data/boundaries/``, no browser, no tiles.

Every region of the boundary layer is drawn exactly once: coloured by its band, light grey when it has
no band (no data, not reported), hatched when its figure is thin. Regions are named where the name fits
inside them (smaller type for small regions); a region too small for its name is named beside it, with a
leader, where no other name is. Web Mercator, as the Plotly maps.

>>> from analysis.brief.model import MapInput, MapRegion
>>> frame = map_frame(MapInput("city", "140000", (MapRegion("140100", "12-18"),)), {"12-18": "#fee090"})
>>> len(frame), frame.set_index("code").loc["140100", "color"], frame.set_index("code").loc["140200", "color"]
(11, '#fee090', '#d9d9d9')
"""

from __future__ import annotations

import math
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from functools import lru_cache

import geopandas as gpd
import pandas as pd
import shapely
from matplotlib import patheffects
from matplotlib.axes import Axes
from matplotlib.collections import Collection
from matplotlib.font_manager import FontProperties
from shapely.geometry import box
from shapely.ops import polylabel

from analysis.brief.model import MapInput
from analysis.maps.choropleth import BORDER_COLOR, NO_DATA_COLOR, OUTLINE_COLOR  # as on the page
from analysis.maps.layers import load_layer, regions

HATCH = "//////"
HATCH_COLOR = "#3c4043"
MERCATOR = "EPSG:3857"
PT_MM = 25.4 / 72


@dataclass(frozen=True)
class MapDrawing:
    """What :func:`draw_map` drew: the frame (one row per region), its artists, the labels placed."""

    frame: gpd.GeoDataFrame
    fill: Collection
    hatch: Collection | None
    labels: dict[str, float]  # region code → font size (pt) of its name
    omitted: tuple[str, ...]  # codes whose name did not fit


def layer(m: MapInput) -> dict:
    """The GeoJSON layer a map draws (see :func:`analysis.maps.layers.load_layer`)."""
    if m.level == "city":
        return load_layer("city", m.parent_code)
    if regions().get(m.parent_code, {}).get("level") == "city":
        return load_layer("county", city_code=m.parent_code)
    return load_layer("county", m.parent_code)


@lru_cache(maxsize=16)
def _projected(m_level: str, parent_code: str) -> gpd.GeoDataFrame:
    features = layer(MapInput(m_level, parent_code))["features"]
    if not features:
        raise ValueError(f"no {m_level} boundaries for {parent_code}")
    frame = gpd.GeoDataFrame.from_features(features, crs="EPSG:4326")
    frame = frame.rename(columns={"adcode": "code"})[["code", "name", "geometry"]]
    return frame.to_crs(MERCATOR)


def map_frame(m: MapInput, colors: Mapping[str, str]) -> gpd.GeoDataFrame:
    """One row per region of the layer: code, name, band, color, is_thin, geometry (Mercator metres).

    ``is_thin`` is only set where there is a band: a region with no figure is grey, not hatched.

    ``colors``: band key → colour. Codes of ``m.regions`` that are not on the layer raise ValueError.
    """
    frame = _projected(m.level, m.parent_code).copy()
    by_code = {r.code: r for r in m.regions}
    unknown = sorted(set(by_code) - set(frame["code"]))
    if unknown:
        raise ValueError(f"regions not on the {m.level} layer of {m.parent_code}: {unknown}")
    bands = [by_code[c].band if c in by_code else None for c in frame["code"]]
    frame["band"] = pd.Series(bands, index=frame.index, dtype=object)
    frame["color"] = [colors[b] if b is not None else NO_DATA_COLOR for b in bands]
    frame["is_thin"] = [
        bool(by_code[c].is_thin) and by_code[c].band is not None if c in by_code else False for c in frame["code"]
    ]
    return frame


def aspect(m: MapInput) -> float:
    """Height ÷ width of the map as drawn (Mercator)."""
    x0, y0, x1, y1 = _projected(m.level, m.parent_code).total_bounds
    return (y1 - y0) / (x1 - x0)


def draw_map(
    ax: Axes,
    m: MapInput,
    colors: Mapping[str, str],
    *,
    font: FontProperties,
    text_width_mm: Callable[[str, float], float],
    label_size: float = 7.5,
    min_label_size: float = 5.0,
) -> MapDrawing:
    """Draw the map into ``ax`` (its whole box, equal scale, centred) and name the regions that fit.

    ``text_width_mm(text, size_pt)`` measures a label in the font used.
    """
    frame = map_frame(m, colors)
    ax.set_axis_off()
    x0, y0, x1, y1 = frame.total_bounds
    fig_w, fig_h = ax.figure.get_size_inches() * 25.4
    pos = ax.get_position()
    box_w, box_h = pos.width * fig_w, pos.height * fig_h  # mm
    scale = max((x1 - x0) / box_w, (y1 - y0) / box_h)  # metres per mm
    cx, cy = (x0 + x1) / 2, (y0 + y1) / 2
    ax.set_xlim(cx - box_w * scale / 2, cx + box_w * scale / 2)
    ax.set_ylim(cy - box_h * scale / 2, cy + box_h * scale / 2)
    ax.set_aspect("equal", adjustable="box")

    before = len(ax.collections)
    frame.plot(ax=ax, color=list(frame["color"]), edgecolor=BORDER_COLOR, linewidth=0.5)
    fill = ax.collections[before]
    hatch = None
    thin = frame[frame["is_thin"]]
    if len(thin):
        thin.plot(ax=ax, facecolor="none", edgecolor=BORDER_COLOR, linewidth=0.5, hatch=HATCH)
        hatch = ax.collections[-1]
        hatch.set_hatchcolor(HATCH_COLOR)
        hatch.set_hatch_linewidth(0.35)
    if m.level == "county" and regions().get(m.parent_code, {}).get("level") == "province":
        cities = _projected("city", m.parent_code)
        cities.boundary.plot(ax=ax, color=OUTLINE_COLOR, linewidth=0.6)
    outline = gpd.GeoSeries([shapely.coverage_union_all(frame.geometry.values)], crs=MERCATOR)
    outline.boundary.plot(ax=ax, color=OUTLINE_COLOR, linewidth=0.7)

    labels: dict[str, float] = {}
    placed: list = []  # the label boxes drawn, in map units
    small: list = []
    for row in frame.itertuples():
        part = max(getattr(row.geometry, "geoms", [row.geometry]), key=lambda g: g.area)
        x, y = _anchor(part)
        size = _fit(part, x, y, row.name, scale, text_width_mm, label_size, min_label_size)
        if size is None:
            small.append((row, x, y))
            continue
        _label(ax, x, y, row.name, font, size, _ink(row.color))
        placed.append(_label_box(x, y, row.name, size, scale, text_width_mm))
        labels[row.code] = size
    omitted: list[str] = []
    (vx0, vx1), (vy0, vy1) = ax.get_xlim(), ax.get_ylim()
    view = box(vx0, vy0, vx1, vy1)
    for row, x, y in small:  # too small for its name: beside it, with a halo and a leader, where nothing is
        size = min_label_size
        spot = _free_spot(x, y, row.name, size, scale, text_width_mm, placed, view)
        if spot is None:
            omitted.append(row.code)
            continue
        lx, ly, b = spot
        if (lx, ly) != (x, y):
            ax.plot([x, lx], [y, ly], color=HATCH_COLOR, linewidth=0.4, zorder=5)
            ax.plot([x], [y], marker="o", markersize=1.2, color=HATCH_COLOR, zorder=5)
        _label(ax, lx, ly, row.name, font, size, "#202124", halo=True)
        placed.append(b)
        labels[row.code] = size
    return MapDrawing(frame=frame, fill=fill, hatch=hatch, labels=labels, omitted=tuple(omitted))


def _label(ax: Axes, x: float, y: float, name: str, font: FontProperties, size: float, color: str, halo=False) -> None:
    effects = [patheffects.withStroke(linewidth=1.6, foreground="white")] if halo else None
    ax.text(
        x,
        y,
        name,
        fontproperties=font,
        fontsize=size,
        color=color,
        ha="center",
        va="center_baseline",
        zorder=6,
        path_effects=effects,
    )


def _label_box(x: float, y: float, name: str, size: float, scale: float, width_mm):
    w = width_mm(name, size) * scale
    h = size * PT_MM * scale * 1.1
    return box(x - w / 2, y - h / 2, x + w / 2, y + h / 2)


def _free_spot(x, y, name, size, scale, width_mm, placed, view):
    """Where a label of a small region goes: on it if no other label is there, else the nearest of eight
    places around it (one label height and width away) that overlaps no label and stays in the map."""
    b0 = _label_box(x, y, name, size, scale, width_mm)
    w, h = b0.bounds[2] - b0.bounds[0], b0.bounds[3] - b0.bounds[1]
    for k in (0.0, 1.0, 1.6):
        steps = ((0, 0),) if k == 0 else ((0, 1), (0, -1), (1, 0), (-1, 0), (1, 1), (-1, 1), (1, -1), (-1, -1))
        for dx, dy in steps:
            lx, ly = x + dx * k * (w / 2 + h / 2), y + dy * k * h * 1.2
            b = _label_box(lx, ly, name, size, scale, width_mm)
            if view.contains(b) and not any(b.intersects(p) for p in placed):
                return lx, ly, b
    return None


def _anchor(part) -> tuple[float, float]:
    """A point well inside a polygon (its pole of inaccessibility)."""
    x0, y0, x1, y1 = part.bounds
    p = polylabel(part, tolerance=max(x1 - x0, y1 - y0) / 200)
    return p.x, p.y


def _fit(part, x: float, y: float, name: str, scale: float, width_mm, size: float, min_size: float) -> float | None:
    """The largest font size, from ``size`` down to ``min_size``, whose label box centred on (x, y) lies
    in the polygon ``part``."""
    s = size
    while s >= min_size - 1e-9:
        w = width_mm(name, s) * scale * 0.92  # a little overlap with the border is fine
        h = s * PT_MM * scale * 0.8
        if part.contains(box(x - w / 2, y - h / 2, x + w / 2, y + h / 2)):
            return s
        s -= 0.5
    return None


def _ink(color: str) -> str:
    """Dark text on light fills, white on dark ones (relative luminance)."""
    r, g, b = (int(color[i : i + 2], 16) / 255 for i in (1, 3, 5))

    def lin(c: float) -> float:
        return c / 12.92 if c <= 0.03928 else math.pow((c + 0.055) / 1.055, 2.4)

    lum = 0.2126 * lin(r) + 0.7152 * lin(g) + 0.0722 * lin(b)
    return "#ffffff" if lum < 0.22 else "#202124"
