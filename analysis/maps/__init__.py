"""Choropleth maps of China's provinces, cities and counties: DataFrame → plotly Figure, fully offline.

The boundaries ship in ``data/boundaries/`` (:mod:`analysis.maps.layers`). Figures use ``go.Choropleth``
with the GeoJSON passed in, matched on ``featureidkey="properties.adcode"`` (6-digit codes as strings),
``fitbounds="locations"`` and no base map (``geo.visible=False``): no tiles, no mapbox, no CDN. Region
names are written where they fit (:mod:`analysis.maps.labels`); bands and their colours come from the
catalogue (``data/policy_table.csv``).

How a page must show a map::

    event = st.plotly_chart(fig, config=maps.MAP_CONFIG, on_select="rerun", key="map")
    codes = maps.selected_codes(event)  # region codes of the clicked / box-selected regions

``MAP_CONFIG`` is required, not cosmetic: plotly.js always fetches ``<topojsonURL>world_110m.json``
before it draws a choropleth, and with no internet it silently draws nothing. ``MAP_CONFIG`` points it
at ``/app/static/`` (the repo's ``static/world_110m.json``, an empty stub), which Streamlit serves
only with ``server.enableStaticServing = true`` in ``.streamlit/config.toml``.

>>> import pandas as pd
>>> df = pd.DataFrame({"region_code": ["140105"], "region_name": ["小店区"], "destock_band": ["18-36"]})
>>> fig = province_by_county(df, "140000", color="destock_band")
>>> [t.name for t in fig.data][:2]
['≥36个月 停止供地', '18–36个月 减少供地']
"""

from __future__ import annotations

from typing import Any

import pandas as pd
import plotly.graph_objects as go

from analysis.maps.choropleth import (
    NATIONAL_MAP_HEIGHT,
    NATIONAL_NAMES_PX,
    NO_DATA_COLOR,
    NO_DATA_LABEL,
    OUTLINE_COLOR,
    MapSpec,
    _flat_trace,
    add_outline,
    band_colours,
    draw,
)
from analysis.maps.layers import layer_codes, load_layer, load_nanhai, regions
from analysis.plotly_locale import LOCALE

__all__ = [
    "MAP_CONFIG", "NO_DATA_COLOR", "NO_DATA_LABEL", "MapSpec", "add_nanhai", "add_outline", "band_colours",
    "china_by_city", "china_by_province", "city_by_county", "layer_codes", "load_layer", "province_by_city",
    "province_by_county", "selected_codes",
]  # fmt: skip

MAP_CONFIG: dict[str, Any] = {
    "topojsonURL": "/app/static/",  # static/world_110m.json; needs server.enableStaticServing = true
    "displaylogo": False,
    "scrollZoom": False,  # the page scrolls; zoom with the mode bar or a double click
    "modeBarButtonsToRemove": ["lasso2d", "Fullscreen"],  # Streamlit adds an English "Fullscreen"
    "toImageButtonOptions": {"format": "png", "scale": 2},
    **LOCALE,  # the mode bar's tooltips in Chinese
}


def _spec(color: str, uirevision: str, kwargs: dict) -> MapSpec:
    """The keyword arguments of the builders are those of :class:`~analysis.maps.choropleth.MapSpec`."""
    return MapSpec(color=color, uirevision=kwargs.pop("uirevision", uirevision), **kwargs)


def china_by_province(df: pd.DataFrame, *, color: str, nanhai: bool = True, **kwargs: Any) -> go.Figure:
    """The 34 provinces of China, with the maritime boundary and 南海诸岛 (``nanhai=False`` to omit); taller
    than a province's map, so that the country fills a full-width page and its provinces' names fit."""
    kwargs.setdefault("height", NATIONAL_MAP_HEIGHT)
    kwargs.setdefault("names_px", NATIONAL_NAMES_PX)
    fig = draw(load_layer("province"), df, _spec(color, "china:province", kwargs))
    if nanhai:
        add_nanhai(fig)
    return fig


def china_by_city(df: pd.DataFrame, *, color: str, nanhai: bool = True, **kwargs: Any) -> go.Figure:
    """All prefecture-level cities of China, with 南海诸岛; a province with no city in the registry (台湾省)
    is drawn whole, in grey, so China is complete."""
    kwargs.setdefault("names", False)  # 370 cities: names only on hover
    fig = draw(load_layer("city"), df, _spec(color, "china:city", kwargs))
    reg = regions()
    with_cities = {r["parent_code"] for r in reg.values() if r["level"] == "city"}
    provinces = load_layer("province")
    whole = [c for c in layer_codes(provinces) if c not in with_cities]
    if whole:
        names = {f["properties"]["adcode"]: f["properties"]["name"] for f in provinces["features"]}
        fig.add_trace(
            _flat_trace(
                provinces,
                whole,
                NO_DATA_COLOR,
                NO_DATA_LABEL,
                [[c, names[c]] for c in whole],
                "<b>%{customdata[1]}</b><extra></extra>",
                99,
                legend=False,
            )  # fmt: skip
        )
    if nanhai:
        add_nanhai(fig)
    return fig


def province_by_city(df: pd.DataFrame, province_code: str, *, color: str, **kwargs: Any) -> go.Figure:
    """The cities of one province, named."""
    return draw(load_layer("city", province_code), df, _spec(color, f"{province_code}:city", kwargs))


def province_by_county(
    df: pd.DataFrame, province_code: str, *, color: str, city_borders: bool = True, **kwargs: Any
) -> go.Figure:
    """The counties of one province, with the city borders drawn over them (names on hover: 100+ counties)."""
    kwargs.setdefault("names", False)
    fig = draw(load_layer("county", province_code), df, _spec(color, f"{province_code}:county", kwargs))
    if city_borders:
        add_outline(fig, load_layer("city", province_code), name="地市界")
    return fig


def city_by_county(df: pd.DataFrame, city_code: str, *, color: str, **kwargs: Any) -> go.Figure:
    """The counties of one city, named where they fit."""
    return draw(load_layer("county", city_code=city_code), df, _spec(color, f"{city_code}:county", kwargs))


def add_nanhai(fig: go.Figure, boundaries_dir=None) -> go.Figure:
    """Draw the maritime boundary (十段线), the South China Sea islands and the 南海诸岛 label."""
    lon: list[float | None] = []
    lat: list[float | None] = []
    island_lon: list[float] = []
    island_lat: list[float] = []
    for feature in load_nanhai(boundaries_dir)["features"]:
        geom = feature["geometry"]
        if geom["type"] in ("LineString", "MultiLineString"):
            for line in [geom["coordinates"]] if geom["type"] == "LineString" else geom["coordinates"]:
                lon += [p[0] for p in line] + [None]
                lat += [p[1] for p in line] + [None]
        else:
            for poly in [geom["coordinates"]] if geom["type"] == "Polygon" else geom["coordinates"]:
                ring = poly[0][:-1]
                island_lon.append(round(sum(p[0] for p in ring) / len(ring), 3))
                island_lat.append(round(sum(p[1] for p in ring) / len(ring), 3))
    common = dict(hoverinfo="skip", showlegend=False)
    fig.add_trace(go.Scattergeo(lon=lon, lat=lat, mode="lines", name="海上边界",
                                line=dict(color=OUTLINE_COLOR, width=1.3), **common))  # fmt: skip
    fig.add_trace(go.Scattergeo(lon=island_lon, lat=island_lat, mode="markers", name="南海诸岛",
                                marker=dict(size=2, color=OUTLINE_COLOR), **common))  # fmt: skip
    fig.add_trace(go.Scattergeo(lon=[114.6], lat=[13.2], mode="text", text=["南海诸岛"], name="南海诸岛标注",
                                textfont=dict(size=10, color=OUTLINE_COLOR), **common))  # fmt: skip
    return fig


def selected_codes(event: Any) -> list[str]:
    """Region codes in a ``st.plotly_chart(on_select=...)`` event (dict access; works with AppTest too).

    Points from the overlay traces (borders, names, 南海诸岛) carry no location and are skipped.
    """
    if not event:
        return []
    try:
        points = event["selection"]["points"]
    except (KeyError, TypeError):
        return []
    out: list[str] = []
    for p in points:
        code = p.get("location") or ((p.get("customdata") or [None])[0])
        if isinstance(code, str) and code not in out:
            out.append(code)
    return out
