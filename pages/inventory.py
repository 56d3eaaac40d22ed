"""库存与去化: 去化周期 per city and county over time, land-supply advice, the 口径 switch, affordable housing."""

from __future__ import annotations

import pandas as pd
import streamlit as st

from analysis import charts
from ui import data, maps, page, widgets

sel = page.setup("库存与去化")
if not sel.has_data or sel.period is None:
    widgets.empty_state("还没有商品住房库存数据。")
    st.stop()
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
level = c1.radio(
    "层级",
    ["city", "county"],
    format_func={"city": "各市", "county": "各县（市、区）"}.get,
    horizontal=True,
    key="inv_level",
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
)
shown = monthly[monthly.region_code.isin(picked or default) & (monthly.period <= sel.period)]
st.plotly_chart(charts.destock_lines(shown, f"去化周期（近{sel.window}个月口径）"), config=charts.CONFIG)

st.subheader("口径切换：哪些地区换了档、排名怎么变")
st.caption("同一统计月份下，比较两种口径的去化周期。窗口：滚动 6 个月或 12 个月；基数：按面积（㎡）或按套数。")
a, b = st.columns(2)
basis_a = a.selectbox(
    "口径 A",
    ["12-area", "6-area", "12-units", "6-units"],
    key="basis_a",
    format_func=lambda k: f"近{k.split('-')[0]}个月 · {'面积' if k.endswith('area') else '套数'}",
)
basis_b = b.selectbox(
    "口径 B",
    ["6-area", "12-area", "12-units", "6-units"],
    key="basis_b",
    format_func=lambda k: f"近{k.split('-')[0]}个月 · {'面积' if k.endswith('area') else '套数'}",
)


def months_under(basis: str) -> pd.DataFrame:
    window, base = basis.split("-")
    m = data.metrics_for(sel, level, window=int(window))
    col = "destock_months" if base == "area" else "destock_months_units"
    from analysis.policy import band_of

    return pd.DataFrame(
        {
            "region_code": m.region_code,
            "region_name": m.region_name,
            "months": m[col],
            "band": [band_of(v) for v in m[col]],
        }
    )


ma, mb = months_under(basis_a), months_under(basis_b)
cmp = ma.merge(mb, on=["region_code", "region_name"], suffixes=("_a", "_b"))
cmp["rank_a"] = cmp.months_a.rank(ascending=False, method="min")
cmp["rank_b"] = cmp.months_b.rank(ascending=False, method="min")
cmp["rank_move"] = cmp.rank_a - cmp.rank_b
cmp["changed"] = cmp.band_a.fillna("无") != cmp.band_b.fillna("无")
view = pd.DataFrame(
    {
        "地区": cmp.region_name,
        "口径A 去化周期（个月）": cmp.months_a.round(1),
        "口径A 分档": cmp.band_a.map(widgets.band_text),
        "口径B 去化周期（个月）": cmp.months_b.round(1),
        "口径B 分档": cmp.band_b.map(widgets.band_text),
        "口径A 排名": cmp.rank_a,
        "口径B 排名": cmp.rank_b,
        "排名变化（+为上升）": cmp.rank_move,
        "换档": cmp.changed.map({True: "是", False: ""}),
    }
).sort_values("口径A 排名")
n_changed = int(cmp.changed.sum())
st.markdown(f"**{n_changed} 个地区换档**" + ("：" + "、".join(cmp[cmp.changed].region_name) if n_changed else ""))
st.dataframe(view, hide_index=True)
widgets.downloads(view, key="basis_cmp", file_stem=f"{sel.province_name}_口径对比_{sel.period}")

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
        "saleable_units",
        "unallocated_affordable_units",
        "unallocated_affordable_area_m2",
        "destock_months_units",
    ],
    key="inv_table",
    file_stem=f"{sel.province_name}_库存与供地建议_{sel.period}",
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
