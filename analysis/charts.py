"""DataFrame → Plotly figure; never calls st.*. Chinese labels, display units, no external assets."""

from __future__ import annotations

import pandas as pd
import plotly.graph_objects as go

from analysis import catalogue
from analysis import format as fmt
from analysis.plotly_locale import LOCALE

FONT = "Noto Sans CJK SC, Source Han Sans SC, Microsoft YaHei, PingFang SC, sans-serif"
# Okabe–Ito: told apart with the common forms of colour blindness
PALETTE = ["#0072B2", "#D55E00", "#009E73", "#CC79A7", "#E69F00", "#56B4E9", "#000000", "#F0E442"]
SUBMITTED, MISSING = "#4575b4", "#f4a582"  # 报送进度: blue reported, orange missing (not red/green)
CONFIG = {"displaylogo": False, "modeBarButtonsToRemove": ["lasso2d", "select2d", "Fullscreen"], **LOCALE}


def _layout(fig: go.Figure, title: str = "", height: int = 380, **kwargs) -> go.Figure:
    fig.update_layout(
        title={"text": title, "x": 0, "font": {"size": 15}} if title else None,
        font={"family": FONT, "size": 12},
        margin={"l": 10, "r": 10, "t": 40 if title else 10, "b": 40},
        height=height,
        # below everything, axis labels included (a legend in plot coordinates runs into rotated labels)
        legend={"orientation": "h", "yref": "container", "y": 0, "yanchor": "bottom", "x": 0},
        hoverlabel={"font": {"family": FONT}},
        separators=".,",
        **kwargs,
    )
    return fig


def _overlay(fig: go.Figure, shapes: list[dict] = (), annotations: list[dict] = ()) -> go.Figure:
    """Lines, bands and their labels added in one update (plotly's ``add_hline`` and kin re-validate the whole
    layout once per line: eight band edges cost a quarter of a second a chart)."""
    return fig.update_layout(shapes=[*fig.layout.shapes, *shapes], annotations=[*fig.layout.annotations, *annotations])


def _hline(y: float, line: dict) -> dict:
    return {"type": "line", "xref": "x domain", "x0": 0, "x1": 1, "yref": "y", "y0": y, "y1": y, "line": line}


def _month(period: pd.Series) -> pd.Series:
    return pd.to_datetime(period + "-01")


DATE_AXIS = {"type": "date", "tickformat": "%Y-%m", "dtick": "M6", "hoverformat": "%Y-%m"}
THIN_LEGEND = "数据不全的月份（虚线：窗口不完整或有县未报送）"


def _full_months(monthly: pd.DataFrame) -> pd.Series:
    """Months whose figure rests on a complete window and on every county (True where the frame cannot say)."""
    ok = pd.Series(True, index=monthly.index)
    if "window_complete" in monthly:
        ok &= monthly.window_complete.fillna(False).astype(bool)
    if "counties_reporting" in monthly and "counties_total" in monthly:
        ok &= monthly.counties_reporting >= monthly.counties_total
    return ok


def split(values: pd.Series, full: pd.Series) -> tuple[pd.Series, pd.Series]:
    """A series as two lines: the full months (solid) and the thin ones (dashed), joined where they meet."""
    values = pd.to_numeric(values, errors="coerce").astype(float)
    solid = values.where(full)
    near = full.astype(bool) & (
        ~full.shift(1, fill_value=True).astype(bool) | ~full.shift(-1, fill_value=True).astype(bool)
    )
    thin = values.where(~full | near)
    return solid, thin


def _thin_text(monthly: pd.DataFrame) -> list[str]:
    out = []
    for row in monthly.itertuples():
        parts = []
        reporting, total = getattr(row, "counties_reporting", None), getattr(row, "counties_total", None)
        if reporting is not None and total is not None and reporting < total:
            parts.append(f"{reporting}/{total} 县已报送")
        if getattr(row, "window_complete", True) is False:
            parts.append(f"仅 {getattr(row, 'months_with_data', '?')} 个月数据")
        out.append("；".join(parts) or "数据完整")
    return out


def twin_axes(left_top: float, right_top: float, ticks: int = 5) -> tuple[dict, dict]:
    """Two y axes with round ticks that share the grid: both run over the same number of round steps."""
    lt, ls = fmt.nice_range(left_top, ticks)
    rt, rs = fmt.nice_range(right_top, ticks)
    n = max(round(lt / ls), round(rt / rs))
    return (
        {"range": [0, ls * n], "dtick": ls, "tick0": 0, "tickformat": ",~r"},
        {"range": [0, rs * n], "dtick": rs, "tick0": 0, "tickformat": ",~r"},
    )


def stock_and_sales(monthly: pd.DataFrame, title: str = "可售面积与月销售面积", period: str | None = None) -> go.Figure:
    """Monthly stock (line, 万㎡) over monthly sales (bars, 万㎡) for one region (``period`` marked)."""
    left, right = twin_axes(
        float((monthly.saleable_area_m2 / 1e4).max(skipna=True) or 0),
        float((monthly.sold_area_m2 / 1e4).max(skipna=True) or 0),
    )
    fig = go.Figure()
    fig.add_bar(
        x=_month(monthly.period),
        y=monthly.sold_area_m2 / 1e4,
        name="当月销售面积（万㎡）",
        marker_color="#f39c12",
        yaxis="y2",
        opacity=0.75,
        hovertemplate="%{x}<br>销售 %{y:,.1f} 万㎡<extra></extra>",
    )
    full = _full_months(monthly)
    solid, thin = split(monthly.saleable_area_m2 / 1e4, full)
    fig.add_scatter(
        x=_month(monthly.period),
        y=solid,
        name="可售面积（万㎡）",
        mode="lines",
        line={"color": "#b22222", "width": 2.5},
        hovertemplate="%{x}<br>可售 %{y:,.2f} 万㎡<extra></extra>",
    )
    if thin.notna().any():
        fig.add_scatter(
            x=_month(monthly.period), y=thin, name=THIN_LEGEND, mode="lines",
            line={"color": "#9e9e9e", "width": 2, "dash": "dash"},
            customdata=_thin_text(monthly), hovertemplate="%{x}<br>可售 %{y:,.2f} 万㎡<br>%{customdata}<extra></extra>",
        )  # fmt: skip
    fig = _layout(
        fig,
        title,
        yaxis={"title": "可售面积（万㎡）", **left},
        yaxis2={"title": "月销售面积（万㎡）", "overlaying": "y", "side": "right", "showgrid": False, **right},
        xaxis=DATE_AXIS,
    )
    return _overlay(fig, *month_mark(period))


def month_mark(period: str | None) -> tuple[list[dict], list[dict]]:
    """A vertical line at the month the page is looking at, and its label (shapes, annotations)."""
    if not period:
        return [], []
    x = pd.Timestamp(period + "-01")
    line = {"type": "line", "xref": "x", "x0": x, "x1": x, "yref": "y domain", "y0": 0, "y1": 1,
            "line": {"color": "#444", "width": 1, "dash": "dot"}}  # fmt: skip
    note = {"x": x, "y": 1, "yref": "paper", "text": period, "showarrow": False, "yanchor": "bottom",
            "font": {"size": 10}}  # fmt: skip
    return [line], [note]


def destock_lines(
    monthly: pd.DataFrame,
    title: str = "去化周期走势",
    highlight: list[str] | None = None,
    value: str = "destock_months",
    period: str | None = None,
) -> go.Figure:
    """去化周期 per region over time, on the five land-supply bands (``period`` marked)."""
    fig = go.Figure()
    bands = catalogue.bands()
    top = max(bands[-1].lower_months + 4, float(monthly[value].max(skipna=True) or 0) * 1.05)
    top, step = fmt.nice_range(top, 6)
    shapes = [
        {"type": "rect", "xref": "x domain", "x0": 0, "x1": 1, "yref": "y", "y0": band.lower_months,
         "y1": top if band.upper_months is None else min(band.upper_months, top),  # the last band runs to the top
         "fillcolor": band.colour, "opacity": 0.15, "line": {"width": 0}, "layer": "below"}
        for band in bands
        if band.lower_months < top
    ]  # fmt: skip
    shown_thin = False
    for i, (code, g) in enumerate(monthly.groupby("region_code", sort=False)):
        bold = highlight is None or code in highlight
        colour = PALETTE[i % len(PALETTE)]
        solid, thin = split(g[value], _full_months(g))
        name = g.region_name.iloc[0]
        fig.add_scatter(
            x=_month(g.period),
            y=solid,
            name=name,
            legendgroup=code,
            legendrank=i + 1,  # the regions in their order, the thin-data entry after them all
            mode="lines",
            line={"width": 2.5 if bold else 1, "color": colour},
            opacity=1 if bold else 0.45,
            hovertemplate=name + " %{x}<br>去化周期 %{y:.1f} 个月<extra></extra>",
        )
        if thin.notna().any():  # months whose window is short or whose counties did not all report
            fig.add_scatter(
                x=_month(g.period), y=thin, name=THIN_LEGEND, legendgroup="thin", showlegend=not shown_thin, legendrank=10_000,
                mode="lines", line={"width": 1.5, "color": colour, "dash": "dash"}, opacity=0.7,
                customdata=_thin_text(g),
                hovertemplate=name + " %{x}<br>去化周期 %{y:.1f} 个月<br>%{customdata}<extra></extra>",
            )  # fmt: skip
            shown_thin = True
    edges = [b.lower_months for b in bands[1:] if b.lower_months < top]
    shapes += [_hline(edge, {"width": 0.8, "dash": "dot", "color": "#555"}) for edge in edges]
    labels = [
        {"xref": "x domain", "x": 1, "xanchor": "left", "yref": "y", "y": edge, "yanchor": "middle",
         "text": f"{edge:g}个月", "showarrow": False}
        for edge in edges
    ]  # fmt: skip
    line, note = month_mark(period)
    yaxis = {"title": "去化周期（个月）", "range": [0, top], "dtick": step, "tick0": 0}
    fig = _layout(fig, title, height=420, yaxis=yaxis, xaxis=DATE_AXIS)
    _overlay(fig, shapes + line, labels + note)
    return fig.update_layout(margin={"r": 56})  # room for the band labels (36个月 …) on the right


def share_bars(frame: pd.DataFrame, title: str = "货币化安置比例：实际、目标与建议") -> go.Figure:
    """Per region: actual monetised share against the plan target and the policy table's recommendation."""
    fig = go.Figure()
    for col, name, colour in (
        ("monetised_share", "实际", "#b22222"),
        ("target_monetised_share", "计划目标", "#2c7bb6"),
        ("recommended_monetised_share", "政策表建议", "#95a5a6"),
    ):
        fig.add_bar(
            x=frame.region_name,
            y=frame[col] * 100,
            name=name,
            marker_color=colour,
            hovertemplate="%{x} " + name + " %{y:.1f}%<extra></extra>",
        )
    return _layout(fig, title, barmode="group", yaxis={"title": "%", "range": [0, 100]})


def stacked(
    breakdown: pd.DataFrame,
    dimension: str,
    title: str,
    value: str = "households",
    unit: str = "户",
    order: list[str] | None = None,
) -> go.Figure:
    """Stacked bars per region of a household dimension (channel, status …) with Chinese value labels."""
    labels = dict(catalogue.columns()[dimension].values) if dimension in catalogue.columns() else {}
    values = order or [v for v in labels if v in set(breakdown.value)] or sorted(breakdown.value.dropna().unique())
    regions = list(dict.fromkeys(breakdown.region_name))
    fig = go.Figure()
    for i, v in enumerate(values):
        part = breakdown[breakdown.value == v].set_index("region_name").reindex(regions)
        name = labels.get(v, str(v))
        fig.add_bar(
            x=regions,
            y=part[value].fillna(0),
            name=name,
            marker_color=PALETTE[i % len(PALETTE)],
            hovertemplate="%{x} " + name + " %{y:,.0f} " + unit + "<extra></extra>",
        )
    return _layout(fig, title, barmode="stack", yaxis={"title": unit, "tickformat": ","})


def cash_bars(frame: pd.DataFrame, title: str = "补偿资金：已核定与尚需") -> go.Figure:
    fig = go.Figure()
    fig.add_bar(
        x=frame.region_name, y=frame.compensation_yuan / 1e8, name="已核定补偿款（亿元）", marker_color="#2c7bb6"
    )
    fig.add_bar(
        x=frame.region_name, y=frame.cash_still_needed_yuan / 1e8, name="尚需资金（亿元，估算）", marker_color="#f39c12"
    )
    return _layout(fig, title, barmode="stack", yaxis={"title": "亿元"})


def submission_grid(sub: pd.DataFrame, title: str = "报送进度（县 × 月）") -> go.Figure:
    """A heatmap: one row per county (every one labelled), one column per month; blue reported, orange missing."""
    pivot = sub.assign(v=sub.submitted.astype(int)).pivot_table(
        index=["city_name", "region_name"], columns="period", values="v", aggfunc="max", sort=False
    )
    names = [f"{c} {n}" for c, n in pivot.index]
    text = [["已报送" if v == 1 else "未报送" for v in row] for row in pivot.to_numpy()]
    fig = go.Figure(
        go.Heatmap(
            z=pivot.to_numpy(),
            x=list(pivot.columns),
            y=names,
            zmin=0,
            zmax=1,
            colorscale=[[0, MISSING], [0.5, MISSING], [0.5, SUBMITTED], [1, SUBMITTED]],
            showscale=False,
            xgap=1,
            ygap=1,
            customdata=text,
            hovertemplate="%{y} %{x}<br>%{customdata}<extra></extra>",
        )
    )
    fig = _layout(
        fig,
        title,
        height=max(300, 18 * len(names) + 120),
        yaxis={"autorange": "reversed", "tickmode": "array", "tickvals": names, "ticktext": names, "automargin": True},
        xaxis={"type": "category", "side": "top"},
    )
    return fig.update_layout(margin={"t": 80 if title else 40})  # month labels sit on top, under the title


# -- scenario ----------------------------------------------------------------------------------------
def scenario_tradeoff(frame: pd.DataFrame, reference: str = "基准", title: str = "") -> go.Figure:
    """Per region: the extra compensation cash a scenario needs against the construction it avoids (亿元).

    ``frame`` needs ``region_name``, ``delta_cash_needed_yuan`` and ``delta_construction_cost_yuan``.
    """
    fig = go.Figure()
    fig.add_bar(
        x=frame.region_name,
        y=frame.delta_cash_needed_yuan / 1e8,
        name=f"补偿资金比{reference}增加（亿元）",
        marker_color="#f39c12",
        hovertemplate="%{x}<br>补偿资金变化 %{y:+,.2f} 亿元<extra></extra>",
    )
    fig.add_bar(
        x=frame.region_name,
        y=-frame.delta_construction_cost_yuan / 1e8,
        name=f"安置房建设投资比{reference}减少（亿元）",
        marker_color="#2c7bb6",
        hovertemplate="%{x}<br>少建投资 %{y:+,.2f} 亿元<extra></extra>",
    )
    return _layout(
        fig, title or f"所需补偿资金与少建安置房（相对{reference}）", barmode="group", yaxis={"title": "亿元"}
    )


def scenario_destock(frame: pd.DataFrame, reference: str = "基准", title: str = "") -> go.Figure:
    """Per region: 去化周期 now, after the reference scenario and after this one, on the land-supply bands."""
    fig = go.Figure()
    before_ref = frame.destock_months_after - frame.delta_destock_months_after
    for values, name, colour in (
        (frame.destock_months, "现状", "#95a5a6"),
        (before_ref, f"{reference}消化后", "#2c7bb6"),
        (frame.destock_months_after, "本情景消化后", "#b22222"),
    ):
        fig.add_bar(
            x=frame.region_name,
            y=values,
            name=name,
            marker_color=colour,
            hovertemplate="%{x} " + name + " %{y:.1f} 个月<extra></extra>",
        )
    _overlay(
        fig, [_hline(b.lower_months, {"color": "#bbbbbb", "width": 1, "dash": "dot"}) for b in catalogue.bands()[1:]]
    )
    return _layout(fig, title or "各地去化周期：现状、对比情景与本情景", barmode="group", yaxis={"title": "个月"})
