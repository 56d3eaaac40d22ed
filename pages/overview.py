"""总览: the province's headline figures and its cities' ranking."""

from __future__ import annotations

import streamlit as st

from analysis import format as fmt
from ui import data, page, widgets

sel = page.setup("总览")
if not sel.has_data:
    widgets.empty_state("还没有任何数据。")
    st.stop()

st.caption(f"{sel.province_name} · 统计月份 {sel.period or '—'} · 月均销售窗口 近{sel.window}个月 · 广义库存（可售面积）口径")
prov = data.metrics_frame(sel.state.data_dir, sel.state.version, "province", sel.province_code, sel.period, sel.window)
cities = data.metrics_frame(sel.state.data_dir, sel.state.version, "city", sel.province_code, sel.period, sel.window)
p = prov.iloc[0]

c1, c2, c3, c4, c5 = st.columns(5)
c1.metric("计划改造户数", fmt.count(p.planned_households), help=f"{p.period[:4]} 年度计划")
c2.metric("已安置户数", fmt.count(p.resettled_households), f"完成率 {fmt.share(p.completion_share)}", delta_color="off", delta_arrow="off")
c3.metric("货币化安置比例", fmt.share(p.monetised_share),
          f"目标 {fmt.share(p.target_monetised_share)}", delta_color="off", delta_arrow="off")
c4.metric("可售商品住房面积", fmt.area_wan_m2(p.saleable_area_m2))
c5.metric("去化周期", fmt.months(p.destock_months),
          f"{p.destock_band or '—'} · {p.land_supply_advice or '—'}", delta_color="off", delta_arrow="off")

if p.monetised_households:
    st.markdown(
        f"**货币化安置 {fmt.count(p.monetised_households)} 户 → 消化存量商品住房 {fmt.count(p.absorbed_units)} 套 / "
        f"{fmt.area_wan_m2(p.absorbed_area_m2)} / 占存量 {fmt.share(p.absorbed_share)}**"
        f"（按购房比例 70%、户均 90㎡ 估算；消化后去化周期 {fmt.months(p.destock_months_after)}）"
    )

st.subheader("各市排名（按去化周期从高到低）")
ranked = cities.sort_values("destock_months", ascending=False, na_position="last")
widgets.table(
    ranked,
    ["region_name", "destock_months", "destock_band", "land_supply_advice", "saleable_area_m2",
     "avg_monthly_sold_m2", "planned_households", "monetised_share", "target_monetised_share",
     "recommended_monetised_share", "completion_share", "compensation_yuan"],
    key="city_rank", file_stem=f"{sel.province_name}_各市指标_{sel.period}",
    notes=[f"数据：{sel.province_name}，统计月份 {sel.period}，窗口近{sel.window}个月"],
)
widgets.formulas(["destock_months", "avg_monthly_sold_m2", "destock_band", "land_supply_advice", "monetised_share",
                  "target_monetised_share", "recommended_monetised_share", "absorbed_area_m2",
                  "destock_months_after", "completion_share"])
