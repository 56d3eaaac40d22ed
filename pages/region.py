"""地区详情: every metric of one city or county, its history and its place in the ranking."""

from __future__ import annotations

import pandas as pd
import streamlit as st

from analysis import charts
from analysis import format as fmt
from analysis.export import for_people
from analysis.glossary import label
from analysis.metrics import CONTRACT_COLUMNS
from analysis.regions import load_registry
from ui import data, nav, page, widgets

sel = page.setup("地区详情")
if not sel.has_data:
    widgets.empty_state("还没有任何数据。")
    st.stop()
reg = load_registry()
cities = data.metrics_for(sel, "city")
counties = data.metrics_for(sel, "county")
options = [*cities.region_code, *counties.region_code]
names = {c: " › ".join(reg.path_names(c)[1:]) for c in options}
wanted = st.query_params.get("region")
if wanted != st.session_state.get("_region_from_url"):  # opened (or re-opened) by a link
    st.session_state["_region_from_url"] = wanted
    st.session_state["region_pick"] = wanted if wanted in names else options[0]
elif st.session_state.get("region_pick") not in names:
    st.session_state["region_pick"] = options[0]
code = st.selectbox(
    "地区", options, format_func=names.get, key="region_pick", help="从任一地图或表格点击地区也会打开这里"
)
st.query_params["region"] = code
st.session_state["_region_from_url"] = code
r = reg.get(code)
level = r.level
peers = cities if level == "city" else data.metrics_for(sel, "county", scope=r.parent_code)
row = (cities if level == "city" else counties).set_index("region_code").loc[code]

crumbs = reg.path_names(code)
st.markdown("**" + " › ".join(crumbs) + "**")
if level == "county":
    nav.region_link(r.parent_code, f"返回 {reg.name(r.parent_code)}")

c = st.columns(5)
c[0].metric(
    "去化周期",
    fmt.months(row.destock_months),
    f"{widgets.band_text(row.destock_band)} · {row.land_supply_advice or '—'}",
    delta_arrow="off",
    delta_color="off",
    border=True,
)
c[1].metric("可售面积", fmt.area_wan_m2(row.saleable_area_m2), border=True)
c[2].metric(
    "货币化安置比例",
    fmt.share(row.monetised_share),
    f"目标 {fmt.share(row.target_monetised_share)}",
    delta_arrow="off",
    delta_color="off",
    border=True,
)
c[3].metric("计划改造户数", fmt.count(row.planned_households), border=True)
c[4].metric("完成率", fmt.share(row.completion_share), border=True)

ranked = peers.sort_values("destock_months", ascending=False, na_position="last").reset_index(drop=True)
pos = ranked.index[ranked.region_code == code]
scope_name = "全省各市" if level == "city" else f"{reg.name(r.parent_code)}各县（市、区）"
if len(pos) and row.destock_months == row.destock_months:
    st.markdown(f"去化周期在{scope_name}中排第 **{pos[0] + 1}** 位（共 {len(ranked)} 个，从高到低）。")

monthly = data.monthly_frame(sel.state.data_dir, sel.state.version, level, code, sel.window)
monthly = monthly[monthly.region_code == code]
if monthly.empty:
    st.info("该地区还没有库存数据。请在「数据上传」页导入该地区的商品住房库存报表。")
else:
    a, b = st.columns(2)
    a.plotly_chart(charts.stock_and_sales(monthly, "可售面积与月销售面积"), config=charts.CONFIG)
    b.plotly_chart(charts.destock_lines(monthly, "去化周期走势"), config=charts.CONFIG)

st.subheader("全部指标")
values = pd.DataFrame(
    {
        "指标": [label(col) for col in CONTRACT_COLUMNS[3:]],
        "数值": [fmt.display(col, row[col]) for col in CONTRACT_COLUMNS[3:]],
    }
)
st.dataframe(values, hide_index=True)
widgets.downloads(values, key="region_values", file_stem=f"{r.name}_指标_{sel.period}")

if level == "city":
    st.subheader(f"{r.name}各县（市、区）")
    sub = data.metrics_for(sel, "county", scope=code).sort_values("destock_months", ascending=False, na_position="last")
    event = widgets.table(
        sub,
        [
            "region_name",
            "destock_months",
            "destock_band",
            "land_supply_advice",
            "saleable_area_m2",
            "planned_households",
            "monetised_share",
            "completion_share",
        ],
        key="region_sub",
        file_stem=f"{r.name}_各县指标_{sel.period}",
        on_select="rerun",
    )
    rows = event.selection.rows if event is not None and hasattr(event, "selection") else []
    if rows:
        nav.go_to_region(sub.iloc[rows[0]].region_code)
if not monthly.empty:
    st.caption("月度序列（可售面积、销售面积、去化周期等）：")
    widgets.downloads(for_people(monthly), key="region_monthly", file_stem=f"{r.name}_月度序列")
widgets.formulas(CONTRACT_COLUMNS[4:])
