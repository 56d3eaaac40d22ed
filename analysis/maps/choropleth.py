"""One choropleth: every feature of a layer drawn once, coloured by a column, named where the name fits.

Bands (a column ending in ``_band``) are drawn one trace per band in the catalogue's order and colours, so
the legend always lists every band; other columns get a continuous colour scale in their display unit.
Regions with no value are grey; regions whose figure rests on thin data (``thin`` names a column of
reasons: incomplete coverage or window) get a dashed outline and the reason in the hover.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from typing import Any

import pandas as pd
import plotly.graph_objects as go

import analysis.maps.labels as lbl
from analysis import catalogue
from analysis import format as fmt
from analysis.maps.layers import layer_codes, regions, subset

FONT_FAMILY = "Noto Sans CJK SC, Source Han Sans SC, Microsoft YaHei, PingFang SC, sans-serif"
MAP_HEIGHT = 520
NATIONAL_MAP_HEIGHT = 720  # China with 南海诸岛 is about as tall as it is wide: a full-width page's map
NATIONAL_NAMES_PX = 460  # ... which a 1024 px screen draws about 480 px across
NO_DATA_COLOR = "#d9d9d9"
NO_DATA_LABEL = "无成交/无数据"
BORDER_COLOR = "#ffffff"
OUTLINE_COLOR = "#5f6368"  # city borders on a county map, the maritime boundary
THIN_COLOR = "#252525"
THIN_LABEL = "数据不全（虚线框，悬停看原因）"
VALUE_BORDER_COLOR = "#bdbdbd"  # continuous maps: the palest colours stay distinct from the page
# YlOrRd without its near-white end (sequential, colour-blind safe)
DEFAULT_COLORSCALE: list[list] = [
    [0.0, "#ffeda0"],
    [0.25, "#fecc5c"],
    [0.5, "#fd8d3c"],
    [0.75, "#f03b20"],
    [1.0, "#bd0026"],
]

HoverItem = tuple  # (column,) | (column, label) | (column, label, value -> str)


@dataclass(frozen=True)
class MapSpec:
    """What a map shows: the column that colours it and how."""

    color: str
    label: str | None = None  # legend / colour bar title (default: the catalogue's label)
    hover: Sequence[HoverItem] = ()
    colorscale: str | list | None = None
    zmin: float | None = None
    zmax: float | None = None
    title: str | None = None
    height: int = MAP_HEIGHT
    names: bool = True  # write region names where they fit
    names_px: int = lbl.MAP_PX  # the map's narrowest drawn size (px, across its longer side) names must fit at
    thin: str | None = None  # column with the reason a region's figure is thin ("" / None: not thin)
    uirevision: str | None = None
    extra: dict = field(default_factory=dict)

    @property
    def is_bands(self) -> bool:
        return self.color.endswith("_band")


def band_order() -> list[catalogue.Band]:
    """Most urgent first, as the legend lists them."""
    return list(reversed(catalogue.bands()))


def band_colours() -> dict[str, str]:
    return {b.key: b.colour for b in catalogue.bands()}


def band_legends() -> dict[str, str]:
    return {b.key: b.legend for b in catalogue.bands()}


def _hover_item(item: Sequence) -> tuple[str, str, Callable[[Any], str]]:
    column = item[0]
    spec = catalogue.columns().get(column)
    label = item[1] if len(item) > 1 and item[1] else (spec.label if spec else column)
    how = item[2] if len(item) > 2 else None
    if callable(how):
        return column, label, how
    return (
        column,
        label,
        lambda v, c=column: fmt.value(c, v) if c in catalogue.columns() else fmt.value("region_name", v),
    )


def _luminance(hex_colour: str) -> float:
    r, g, b = (int(hex_colour.lstrip("#")[i : i + 2], 16) / 255 for i in (0, 2, 4))
    return 0.2126 * r + 0.7152 * g + 0.0722 * b


_LABELS: dict[tuple[str, ...], list[lbl.Label]] = {}


def _labels_of(geojson: dict) -> list[lbl.Label]:
    """Label points of a layer, computed once per layer (a layer is known by its codes)."""
    key = tuple(layer_codes(geojson))
    if key not in _LABELS:
        if len(_LABELS) > 128:
            _LABELS.clear()
        _LABELS[key] = lbl.labels(geojson)
    return _LABELS[key]


def draw(geojson: dict, df: pd.DataFrame, spec: MapSpec) -> go.Figure:
    """The figure of ``df`` (one row per ``region_code``) on ``geojson`` under ``spec``."""
    if "region_code" not in df.columns or spec.color not in df.columns:
        raise ValueError(f"df needs the columns region_code and {spec.color!r}")
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
    col_spec = catalogue.columns().get(spec.color)
    label = spec.label if spec.label is not None else (col_spec.label if col_spec else spec.color)
    legends = band_legends()
    first = (spec.color, label, (lambda b: legends.get(b, NO_DATA_LABEL)) if spec.is_bands else None)
    items = [_hover_item(h) for h in spec.hover]
    if spec.color not in [c for c, _, _ in items]:
        items.insert(0, _hover_item(first))
    thin = _thin(frame, spec.thin)
    if thin and "data_note" not in [c for c, _, _ in items]:
        items.append(("_thin", "数据说明", lambda v: v or "—"))
    hover_text = _hover_columns(frame.assign(_thin=pd.Series(thin, dtype=object)), items)
    template = (
        "<b>%{customdata[1]}</b>"
        + "".join(f"<br>{lab}：%{{customdata[{i + 2}]}}" for i, (_, lab, _) in enumerate(items))
        + "<extra></extra>"
    )

    def customdata(sub: list[str]) -> list[list[str]]:
        return [[c, names.get(c, c), *hover_text.get(c, ["—"] * len(items))] for c in sub]

    values = frame[spec.color]
    has_value = [c for c in codes if c in values.index and not fmt.is_missing(values[c])]
    fig = go.Figure()
    fill: dict[str, str] = {c: NO_DATA_COLOR for c in codes}
    if spec.is_bands:
        _band_traces(fig, geojson, codes, has_value, values, customdata, template, label, fill)
    else:
        _value_traces(fig, geojson, codes, has_value, values, customdata, template, label, spec, col_spec, fill)
    if thin:
        add_outline(fig, subset(geojson, thin), name=THIN_LABEL, colour=THIN_COLOR, width=1.6, dash="dot", legend=True)
    if spec.names:
        _name_trace(fig, geojson, names, fill, spec.names_px)
    layout(fig, title=spec.title, height=spec.height, uirevision=spec.uirevision, unmapped=unmapped)
    return fig


def _thin(frame: pd.DataFrame, column: str | None) -> dict[str, str]:
    if not column or column not in frame.columns:
        return {}
    return {c: str(r) for c, r in frame[column].items() if isinstance(r, str) and r}


def _band_traces(fig, geojson, codes, has_value, values, customdata, template, label, fill) -> None:
    colours = band_colours()
    bad = sorted({str(v) for v in values.dropna() if v not in colours})
    if bad:
        raise ValueError(f"unknown band values {bad}; expected {list(colours)}")
    for rank, band in enumerate(band_order()):
        sub = [c for c in has_value if values[c] == band.key]
        fill.update({c: band.colour for c in sub})
        if sub:
            fig.add_trace(_flat_trace(geojson, sub, band.colour, band.legend, customdata(sub), template, rank))
        else:  # plotly.js shows no legend item for an empty choropleth: a point-less marker stands in
            fig.add_trace(_legend_only(band.colour, band.legend, rank))
    rest = [c for c in codes if c not in set(has_value)]
    n = len(colours)
    if rest:
        fig.add_trace(_flat_trace(geojson, rest, NO_DATA_COLOR, NO_DATA_LABEL, customdata(rest), template, n))
    else:
        fig.add_trace(_legend_only(NO_DATA_COLOR, NO_DATA_LABEL, n))
    fig.update_layout(legend=dict(title=dict(text=label), traceorder="normal", itemclick="toggle",
                                  itemdoubleclick="toggleothers", **_LEGEND))  # fmt: skip
    fig.update_geos(domain=dict(x=[0.3, 1.0], y=[0.0, 1.0]))  # the legend sits to the left, off the map


_LEGEND = dict(x=0.0, xanchor="left", y=0.0, yanchor="bottom", bgcolor="rgba(255,255,255,0.8)")


def _value_traces(fig, geojson, codes, has_value, values, customdata, template, label, spec, col_spec, fill) -> None:
    divisor = col_spec.divisor if col_spec else 1.0
    unit = col_spec.display_unit if col_spec else ""
    z = [float(values[c]) / divisor for c in has_value]
    rest = [c for c in codes if c not in set(has_value)]
    if rest:
        fig.add_trace(_flat_trace(geojson, rest, NO_DATA_COLOR, NO_DATA_LABEL, customdata(rest), template, 1,
                                  border=VALUE_BORDER_COLOR))  # fmt: skip
    scale = spec.colorscale if spec.colorscale is not None else DEFAULT_COLORSCALE
    lo = spec.zmin if spec.zmin is not None else (min(z) if z else 0.0)
    hi = spec.zmax if spec.zmax is not None else (max(z) if z else 1.0)
    if isinstance(scale, list):
        fill.update({c: _colour_at(scale, (v - lo) / (hi - lo) if hi > lo else 0.5) for c, v in zip(has_value, z)})
    decimals = col_spec.decimals if col_spec else 1
    fig.add_trace(
        go.Choropleth(
            geojson=subset(geojson, has_value),
            featureidkey="properties.adcode",
            locations=has_value,
            z=z,
            zmin=spec.zmin,
            zmax=spec.zmax,
            colorscale=scale,
            marker=dict(line=dict(color=VALUE_BORDER_COLOR, width=0.5)),
            colorbar=dict(
                title=dict(text=_with_unit(label, unit), side="top"),
                thickness=12,
                len=0.7,
                tickformat=f",.{min(decimals, 2)}~f",  # round ticks read 300, 2.5 (not 300.00)
                x=1.0,
                xanchor="left",
            ),  # fmt: skip
            customdata=customdata(has_value),
            hovertemplate=template,
            name=label,
            showlegend=False,
            selected=dict(marker=dict(opacity=1.0)),
            unselected=dict(marker=dict(opacity=0.45)),
        )
    )
    fig.update_layout(legend=_LEGEND)
    fig.update_geos(domain=dict(x=[0.0, 0.92], y=[0.0, 1.0]))


def _with_unit(label: str, unit: str) -> str:
    """A colour bar's title: its label and unit, in one pair of brackets.

    >>> _with_unit("可售面积", "万㎡"), _with_unit("去化周期变化（相对基准）", "个月"), _with_unit("户数", "")
    ('可售面积（万㎡）', '去化周期变化（相对基准，个月）', '户数')
    """
    if not unit:
        return label
    return f"{label[:-1]}，{unit}）" if label.endswith("）") else f"{label}（{unit}）"


def _colour_at(scale: list, t: float) -> str:
    """The colour of a plotly colour scale at ``t`` (0–1), by linear interpolation."""
    t = min(1.0, max(0.0, t))
    for (t0, c0), (t1, c1) in zip(scale, scale[1:]):
        if t <= t1:
            k = 0.0 if t1 == t0 else (t - t0) / (t1 - t0)
            a = [int(c0.lstrip("#")[i : i + 2], 16) for i in (0, 2, 4)]
            b = [int(c1.lstrip("#")[i : i + 2], 16) for i in (0, 2, 4)]
            return "#" + "".join(f"{round(x + (y - x) * k):02x}" for x, y in zip(a, b))
    return scale[-1][1]


def _name_trace(fig: go.Figure, geojson: dict, names: dict[str, str], fill: dict[str, str], px: int) -> None:
    """Region names at their label points, where they fit (dark on pale fills, white on dark ones)."""
    fits = lbl.fitting(_labels_of(geojson), names, map_px=px)
    if not fits:
        return
    colours = ["#ffffff" if _luminance(fill.get(i.code, NO_DATA_COLOR)) < 0.45 else "#202124" for i in fits]
    fig.add_trace(
        go.Scattergeo(
            lon=[i.lon for i in fits],
            lat=[i.lat for i in fits],
            mode="text",
            text=[names.get(i.code, i.name) for i in fits],
            textfont=dict(size=11, color=colours, family=FONT_FAMILY),
            name="地名",
            hoverinfo="skip",
            showlegend=False,
        )
    )


def _flat_trace(geojson, sub, colour, name, customdata, template, rank, *, legend=True, border=BORDER_COLOR):
    return go.Choropleth(
        geojson=subset(geojson, sub),
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
    """A legend item for a band no region falls in, so the legend always lists every band."""
    return go.Scattergeo(
        lon=[None], lat=[None], mode="markers", name=name, legendgroup=name, legendrank=1000 + rank,
        showlegend=True, hoverinfo="skip",
        marker=dict(symbol="square", size=11, color=colour, line=dict(color=BORDER_COLOR, width=0.6)),
    )  # fmt: skip


def add_outline(fig: go.Figure, geojson: dict, *, name: str, width: float = 1.2, colour: str = OUTLINE_COLOR,
                dash: str = "solid", legend: bool = False) -> go.Figure:  # fmt: skip
    """Draw the borders of a layer over a map as one line trace (city borders on counties, thin-data marks)."""
    lon: list[float | None] = []
    lat: list[float | None] = []
    for feature in geojson["features"]:
        geom = feature["geometry"]
        for poly in [geom["coordinates"]] if geom["type"] == "Polygon" else geom["coordinates"]:
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
            showlegend=legend,
            legendrank=2000,
            line=dict(color=colour, width=width, dash=dash),
        )  # fmt: skip
    )
    return fig


def layout(fig: go.Figure, *, title: str | None, height: int, uirevision: str | None, unmapped: list[str]) -> None:
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
    reg = regions()
    levels = {reg[c]["level"] for c in layer if c in reg}
    return sorted(c for c in codes if c not in on_map and reg.get(c, {}).get("level", "?") in levels | {"?"})


def _hover_columns(frame: pd.DataFrame, items: list[tuple[str, str, Callable[[Any], str]]]) -> dict[str, list[str]]:
    out: dict[str, list[str]] = {c: [] for c in frame.index}
    for column, _, show in items:
        col = frame[column] if column in frame.columns else pd.Series(None, index=frame.index, dtype=object)
        for c, v in col.items():
            out[c].append(show(None if fmt.is_missing(v) else v))
    return out
