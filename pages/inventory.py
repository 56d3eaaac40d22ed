"""库存与去化: 去化周期 per city and county over time, land-supply advice, the 口径 switch, affordable housing."""

from __future__ import annotations

import pandas as pd
import streamlit as st

from analysis import basis, charts
from analysis import format as fmt
from ui import data, maps, page, state, text, widgets

sel = page.setup("库存与去化")
if not sel.has_data or sel.period is None:
    widgets.empty_state("还没有商品住房库存数据。")
    page.stop()
st.caption(f"{sel.province_name} · 统计月份 {sel.period} · 广义库存（可售面积）")

maps.drill_map(
    sel,
    key="inv",
    measures={
        "destock_band": "去化周期分档",
        "destock_months": "去化周期（个月）",
        "saleable_area_m2": "可售面积（万㎡）",
    },
)

st.subheader("去化周期走势")
c1, c2 = st.columns([1, 3])
level = state.declare(
    state.Param(
        "level", default="city", options=["city", "county"], refused="应为 city（各市）或 county（各县），已显示各市"
    )
)
c1.radio(
    "层级",
    ["city", "county"],
    format_func={"city": "各市", "county": "各县（市、区）"}.get,
    horizontal=True,
    key="level",
)
monthly = data.monthly_frame(sel.state.data_dir, sel.state.version, level, sel.province_code, sel.window)
latest = monthly[monthly.period == sel.period].sort_values("destock_months", ascending=False)
names = dict(zip(latest.region_code, latest.region_name))
default = list(latest.region_code[:5])
picked = c2.multiselect(
    "显示的地区（默认去化周期最高的 5 个）",
    list(names),
    default=default,
    format_func=names.get,
    key=f"inv_pick_{level}",
    placeholder="选择地区…",
)
shown = monthly[monthly.region_code.isin(picked or default) & (monthly.period <= sel.period)]
st.plotly_chart(charts.destock_lines(shown, f"去化周期（近{sel.window}个月口径）"), config=charts.CONFIG)

st.subheader("口径切换：哪些地区换了档、排名怎么变")
st.caption("同一统计月份下，比较两种口径的去化周期。窗口：滚动 6 个月或 12 个月；基数：按面积（㎡）或按套数。")
a, b = widgets.side_by_side("bases")
bases = list(basis.BASES)
basis_a = a.selectbox("口径 A", bases, index=0, key="basis_a", format_func=basis.label)
basis_b = b.selectbox("口径 B", bases, index=1, key="basis_b", format_func=basis.label)
cmp = basis.compare(
    data.metrics_for(sel, level, window=basis.BASES[basis_a][0]),
    data.metrics_for(sel, level, window=basis.BASES[basis_b][0]),
    basis_a,
    basis_b,
)
view = pd.DataFrame(
    {
        "地区": cmp.region_name,
        "A 去化周期（个月）": [fmt.scaled("destock_months", v) for v in cmp.months_a],
        "A 分档": cmp.band_a.map(widgets.band_text),
        "B 去化周期（个月）": [fmt.scaled("destock_months", v) for v in cmp.months_b],
        "B 分档": cmp.band_b.map(widgets.band_text),
        "排名变化（+为上升）": cmp.rank_move,
        "换档": cmp.changed.map({True: "是", False: ""}),
    }
)
view.attrs["decimals"] = {"A 去化周期（个月）": 1, "B 去化周期（个月）": 1, "排名变化（+为上升）": 0}
n_changed = int(cmp.changed.sum())
st.markdown(
    f"**{n_changed} 个地区换档**"
    + ("：" + "、".join(text.plain(n) for n in cmp[cmp.changed].region_name) if n_changed else "")
)
widgets.plain_table(view, key="basis_cmp", file_stem=f"{sel.province_name}_口径对比_{sel.period}")

st.subheader("供地建议与未分配保障性住房")
m = data.metrics_for(sel, level).sort_values("destock_months", ascending=False, na_position="last")
widgets.table(
    m,
    [
        "region_name",
        "destock_months",
        "destock_band",
        "land_supply_advice",
        "saleable_area_m2",
        "unallocated_affordable_units",
    ],
    more=["unallocated_affordable_area_m2", "saleable_units", "destock_months_units"],
    key="inv_table",
    file_stem=f"{sel.province_name}_库存与供地建议_{sel.period}",
    as_of=sel.period,
)
st.caption("未分配保障性住房与商品住房库存并列显示：摸底调查要求两者一并掌握（晋政办发〔2015〕122号）。")
widgets.formulas(
    [
        "saleable_area_m2",
        "avg_monthly_sold_m2",
        "destock_months",
        "destock_months_units",
        "destock_band",
        "land_supply_advice",
    ]
)
