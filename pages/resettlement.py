"""货币化安置: monetised share against target and recommendation, channels, money, progress, rural housing."""

from __future__ import annotations

import streamlit as st

from analysis import charts, resettlement
from analysis import format as fmt
from ui import data, page, state, widgets

sel = page.setup("货币化安置")
if not sel.has_data:
    widgets.empty_state("还没有安置数据。")
    page.stop()
latest = int((sel.period or "2017-12")[:4])
have = set(data.plan_years(sel.state.data_dir, sel.state.version, sel.province_code))
# the three years up to the month's, those with a plan or a roll (never a year that can only show "no data")
years = tuple(y for y in range(latest - 2, latest + 1) if y in have) or (latest,)
year = latest if latest in years else years[-1]
# the year follows the sidebar's month (2016-06 → 2016, then 2017-12 → 2017) unless another year was chosen here
before = st.session_state.get("_year_default")
if not state.opening() and before not in (None, year) and st.session_state.get("year") in (before, None):
    state.set_value("year", year)
st.session_state["_year_default"] = year
pick = state.declare(
    state.Param("year", default=year, options=list(years), parse=int, refused=f"不在可选年度内，已显示{year}年")
)
st.segmented_control("计划年度", list(years), key="year", format_func=lambda y: f"{y}年")
yrs = (st.session_state.get("year") or year,)
st.caption(f"{sel.province_name} · {yrs[0]} 年度计划与花名册")

cities = data.metrics_for(sel, "city", years=yrs)
prov = data.metrics_for(sel, "province", years=yrs).iloc[0]
if fmt.is_missing(prov.households) and fmt.is_missing(prov.planned_households):
    widgets.empty_state(
        f"{sel.province_name} {yrs[0]} 年没有计划和花名册数据：请在「数据上传」页导入年度计划和安置花名册。"
    )
    page.stop()

widgets.cards(
    [
        widgets.Card("计划改造户数", fmt.households(prov.planned_households, none="无计划数据")),
        widgets.Card("花名册户数", fmt.households(prov.households, none="无花名册")),
        widgets.Card(
            "货币化安置比例", fmt.share(prov.monetised_share), f"目标 {fmt.share(prov.target_monetised_share)}"
        ),
        widgets.Card("已核定补偿款", fmt.money(prov.compensation_yuan)),
        widgets.Card("困难家庭户数", fmt.households(prov.hardship_households)),
    ],
    key="resettlement",
)

st.plotly_chart(charts.share_bars(cities), config=charts.CONFIG)
st.caption(
    "建议比例按各市当前去化周期查默认政策表（去化周期越长越鼓励货币化；库存不足时按 2018 年要求更多采用实物安置）。"
)

left, right = widgets.side_by_side("rs_breakdown")
channels = data.breakdown_frame(sel.state.data_dir, sel.state.version, "city", sel.province_code, "channel", yrs)
channels = channels[channels.value.notna() & (channels.value != "None")]
left.plotly_chart(charts.stacked(channels, "channel", "货币化安置三种渠道（户）"), config=charts.CONFIG)
status = resettlement.progress_as_of(cities)  # as of 统计月份, as the cards and the table count it
right.plotly_chart(
    charts.stacked(status, "progress", f"进度（截至 {sel.period}，户）", order=list(resettlement.URBAN_STEPS)),
    config=charts.CONFIG,
)

st.subheader("补偿资金：已核定与尚需")
money = resettlement.cash_still_needed(cities)
st.plotly_chart(charts.cash_bars(money), config=charts.CONFIG)
unknown = money[money.cash_still_needed_yuan.isna()].region_name.tolist()
st.caption(
    "尚需资金（估算）= max(round(计划户数 × 目标比例) − 已货币化安置户数, 0) × 该市货币化安置户均补偿款；"
    "无目标比例时用政策表建议比例。" + (f"户均补偿款未知、无法估算：{'、'.join(unknown)}。" if unknown else "")
)
widgets.table(
    money,
    [
        "region_name",
        "planned_households",
        "monetised_households",
        "monetised_share",
        "compensation_yuan",
        "cash_still_needed_yuan",
        "completion_share",
    ],
    more=[
        "target_monetised_share",
        "households",
        "in_kind_households",
        "undecided_households",
        "avg_compensation_yuan",
        "monetised_still_needed",
        "resettled_households",
        "hardship_households",
    ],
    key="rs_table",
    file_stem=f"{sel.province_name}_货币化安置_{yrs[0]}",
)

st.subheader("农村危房改造")
st.caption("农村危房单独统计（一户一档）：按危险等级 C/D、抗震设防烈度 ≥ 8 度的重点地区、完成情况。")
widgets.cards(
    [
        widgets.Card("农村危房户数", fmt.households(prov.rural_households)),
        widgets.Card("D级（拆除重建）", fmt.households(prov.rural_d_grade_households)),
        widgets.Card("8度及以上设防区", fmt.households(prov.rural_priority_households)),
        widgets.Card(
            "已完成", fmt.households(prov.rural_done_households), f"完成率 {fmt.share(prov.rural_done_share)}"
        ),
    ],
    key="rural",
)
grades = data.breakdown_frame(
    sel.state.data_dir, sel.state.version, "city", sel.province_code, "hazard_grade", yrs, True
)
rural_status = resettlement.progress_as_of(cities, rural=True)
l2, r2 = widgets.side_by_side("rs_rural")
l2.plotly_chart(charts.stacked(grades, "hazard_grade", "危险等级（户）", order=["D", "C"]), config=charts.CONFIG)
r2.plotly_chart(
    charts.stacked(
        rural_status, "progress", f"农村危房进度（截至 {sel.period}，户）", order=list(resettlement.RURAL_STEPS)
    ),
    config=charts.CONFIG,
)
widgets.table(
    cities,
    [
        "region_name",
        "rural_households",
        "rural_d_grade_households",
        "rural_priority_households",
        "rural_done_households",
        "rural_done_share",
    ],
    more=["rural_c_grade_households"],  # C级 = 户数 − D级: in the downloads, room on screen for 说明
    key="rural_table",
    file_stem=f"{sel.province_name}_农村危房_{yrs[0]}",
)
widgets.formulas(
    [
        "monetised_share",
        "target_monetised_share",
        "recommended_monetised_share",
        "compensation_yuan",
        "completion_share",
        "hardship_households",
        "rural_households",
        "rural_priority_households",
    ]
)
