"""总览: headline figures, the province map by 去化周期 band, city ranking, trend and laggards."""

from __future__ import annotations

import streamlit as st

from analysis import charts, progress
from analysis import format as fmt
from analysis.series import previous_period
from ui import data, maps, nav, page, widgets

sel = page.setup("总览")
if not sel.has_data:
    widgets.empty_state("还没有任何数据。")
    st.stop()
if sel.period is None:
    widgets.empty_state(f"{sel.province_name}还没有商品住房库存数据，去化周期无法计算。")

st.caption(
    f"{sel.province_name} · 统计月份 {sel.period} · 月均销售窗口 近{sel.window}个月 · 广义库存（可售面积）口径，按面积计算"
)
prov = data.metrics_for(sel, "province").iloc[0]
prev_m = data.metrics_for(sel, "province", period=previous_period(sel.period, 1)).iloc[0]
prev_y = data.metrics_for(sel, "province", period=previous_period(sel.period, 12)).iloc[0]


def delta(now, before, kind: str) -> str | None:
    if now is None or before is None or now != now or before != before:
        return None
    d = now - before
    if kind == "area":
        return f"{d / 1e4:+,.1f}万㎡ 环比"
    if kind == "months":
        return f"{d:+.1f}个月 环比"
    if kind == "share":
        return f"{d * 100:+.1f}个百分点 同比"
    return f"{d:+,.0f}户 同比"


c1, c2, c3, c4, c5 = st.columns(5)
c1.metric(
    "计划改造户数",
    fmt.count(prov.planned_households),
    delta(prov.planned_households, prev_y.planned_households, "hh"),
    help=f"{sel.period[:4]} 年度计划；同比为上年度计划",
    border=True,
)
c2.metric(
    "已安置户数",
    fmt.count(prov.resettled_households),
    f"完成率 {fmt.share(prov.completion_share)}",
    delta_color="off",
    delta_arrow="off",
    border=True,
)
c3.metric(
    "货币化安置比例",
    fmt.share(prov.monetised_share),
    f"目标 {fmt.share(prov.target_monetised_share)}",
    delta_color="normal" if (prov.monetised_share or 0) >= (prov.target_monetised_share or 0) else "inverse",
    delta_arrow="off",
    border=True,
    help="货币化 ÷ (货币化 + 实物)，未定户不计入",
)
c4.metric(
    "可售面积（万㎡）",
    fmt.number(prov.saleable_area_m2, 1e4),
    delta(prov.saleable_area_m2, prev_m.saleable_area_m2, "area"),
    delta_color="inverse",
    border=True,
    help=f"同比 {fmt.area_wan_m2(prov.saleable_area_m2 - prev_y.saleable_area_m2)}",
)
c5.metric(
    "去化周期（个月）",
    fmt.number(prov.destock_months, digits=1, none="无成交"),
    delta(prov.destock_months, prev_m.destock_months, "months"),
    delta_color="inverse",
    border=True,
    help="可售面积 ÷ 月均销售面积",
)
st.markdown(
    f"去化周期分档：**{widgets.band_text(prov.destock_band)}** · 供地建议：**{prov.land_supply_advice or '—'}**"
    "（建房〔2017〕80号，区间左闭右开）"
)

if prov.monetised_households:
    st.info(
        f"**货币化安置 {fmt.count(prov.monetised_households)} 户 → 消化存量商品住房 {fmt.count(prov.absorbed_units)} 套 / "
        f"{fmt.area_wan_m2(prov.absorbed_area_m2)} / 占存量 {fmt.share(prov.absorbed_share)}**"
        f"　（按 70% 的货币化安置户购房、户均 90㎡ 估算；若全部来自存量，去化周期由 {fmt.months(prov.destock_months)} "
        f"降至 {fmt.months(prov.destock_months_after)}）",
        icon=":material/real_estate_agent:",
    )

left, right = st.columns([3, 2])
with left:
    maps.drill_map(sel, key="ov")
with right:
    monthly = data.monthly_frame(sel.state.data_dir, sel.state.version, "province", sel.province_code, sel.window)
    st.plotly_chart(charts.stock_and_sales(monthly, f"{sel.province_name} 可售面积与月销售面积"), config=charts.CONFIG)
    st.plotly_chart(charts.destock_lines(monthly, "全省去化周期走势"), config=charts.CONFIG)

st.subheader("各市排名（按去化周期从高到低）")
cities = data.metrics_for(sel, "city").sort_values("destock_months", ascending=False, na_position="last")
event = widgets.table(
    cities,
    [
        "region_name",
        "destock_months",
        "destock_band",
        "land_supply_advice",
        "saleable_area_m2",
        "avg_monthly_sold_m2",
        "planned_households",
        "monetised_share",
        "target_monetised_share",
        "recommended_monetised_share",
        "completion_share",
        "compensation_yuan",
    ],
    key="city_rank",
    file_stem=f"{sel.province_name}_各市指标_{sel.period}",
    notes=[f"{sel.province_name}，统计月份 {sel.period}，月均销售窗口近{sel.window}个月"],
    on_select="rerun",
)
rows = event.selection.rows if event is not None and hasattr(event, "selection") else []
if rows:
    nav.go_to_region(cities.iloc[rows[0]].region_code)
st.caption("点击表格中的一行打开该市的地区详情。")

st.subheader("进度落后的城市")
with st.expander("问责规则与阈值（可调整）", expanded=False):
    a, b, c = st.columns(3)
    summon = a.slider("约谈线", 0.3, 1.0, progress.Thresholds.summon, 0.05, format="%.2f", key="t_summon")
    notice = b.slider("通报线", 0.3, 1.0, progress.Thresholds.notice, 0.05, format="%.2f", key="t_notice")
    warning = c.slider("预警线", 0.3, 1.2, progress.Thresholds.warning, 0.05, format="%.2f", key="t_warning")
    st.caption(
        "启动率 = 已签约、已搬迁、已安置户数 ÷ 年度计划户数；应达进度按全年启动曲线（3月末约12.5%、6月末50%、"
        "8月末78%、9月末92%、10月末99%、11月末100%）。花名册为最新报送状态。"
    )
try:
    thresholds = progress.Thresholds(summon, notice, warning)
except ValueError:
    st.error("阈值须满足：约谈线 ≤ 通报线 ≤ 预警线。")
    st.stop()
st.caption(f"规则：{thresholds.describe()}（{sel.period} 应达进度 {progress.expected_share(sel.period):.0%}）")
behind = progress.behind_curve(cities, sel.period, thresholds)
flagged = behind[behind.flag.notna()]
if flagged.empty:
    st.success("所有城市均达到当月应达进度。")
else:
    shown = flagged.rename(columns={"region_name": "城市", "flag": "处置", "rule": "触发规则"})
    shown["计划户数"] = flagged.planned_households
    shown["已启动户数"] = flagged.started_households
    shown["启动率"] = (flagged.start_share * 100).round(1).astype(str) + "%"
    st.dataframe(
        shown[["城市", "处置", "触发规则", "计划户数", "已启动户数", "启动率"]],
        hide_index=True,
        column_config={c: st.column_config.NumberColumn(format="localized") for c in ("计划户数", "已启动户数")},
    )
    widgets.downloads(
        shown[["城市", "处置", "触发规则", "计划户数", "已启动户数", "启动率"]],
        key="behind",
        file_stem=f"{sel.province_name}_进度落后城市_{sel.period}",
        notes=[thresholds.describe()],
    )

widgets.formulas(
    [
        "saleable_area_m2",
        "avg_monthly_sold_m2",
        "destock_months",
        "destock_band",
        "land_supply_advice",
        "monetised_share",
        "target_monetised_share",
        "recommended_monetised_share",
        "absorbed_area_m2",
        "destock_months_after",
        "completion_share",
        "start_share",
    ]
)
