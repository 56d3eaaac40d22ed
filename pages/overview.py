"""总览: headline figures, the province map by 去化周期 band, city ranking, trend and laggards."""

from __future__ import annotations

import pandas as pd
import streamlit as st

from analysis import charts, headline, progress
from analysis import format as fmt
from ui import brief, data, maps, nav, page, tables, text, widgets

sel = page.setup("总览")
if not sel.has_data:
    widgets.empty_state("还没有任何数据。")
    page.stop()
if sel.period is None:
    widgets.empty_state(f"{sel.province_name}还没有商品住房库存数据，去化周期无法计算。")
    page.stop()

st.caption(
    f"{sel.province_name} · 统计月份 {sel.period} · 月均销售窗口 近{sel.window}个月 · 广义库存（可售面积）口径，按面积计算"
)
brief.offer(sel, sel.province_code)
prov, figures = data.overview_figures(sel)
widgets.cards([widgets.Card(f.label, f.value, f.change, f.note, f.help, f.tone) for f in figures], key="overview")
st.markdown(
    f"去化周期分档：**{text.plain(widgets.band_text(prov.destock_band))}** · "
    f"供地建议：**{text.plain(prov.land_supply_advice or '—')}**（建房〔2017〕80号，区间左闭右开）"
)

line = headline.absorption(prov)
if line:
    st.info(text.figures(f"**{line}**　（{headline.absorption_basis(prov)}）"), icon=":material/real_estate_agent:")

left, right = widgets.side_by_side("overview", wide_first=True)
with left:
    maps.drill_map(sel, key="ov")
with right:
    monthly = data.province_monthly(sel)
    st.plotly_chart(
        charts.stock_and_sales(monthly, f"{sel.province_name} 可售面积与月销售面积", sel.period), config=charts.CONFIG
    )
    st.plotly_chart(charts.destock_lines(monthly, "全省去化周期走势", period=sel.period), config=charts.CONFIG)

st.subheader("各市排名（按去化周期从高到低）")
cities = data.metrics_for(sel, "city").sort_values("destock_months", ascending=False, na_position="last")
clicked = widgets.table(
    cities,
    [
        "region_name",
        "destock_months",
        "destock_band",
        "land_supply_advice",
        "saleable_area_m2",
        "monetised_share",
        "completion_share",
    ],
    more=[
        "avg_monthly_sold_m2",
        "planned_households",
        "target_monetised_share",
        "recommended_monetised_share",
        "compensation_yuan",
    ],
    key="city_rank",
    file_stem=f"{sel.province_name}_各市指标_{sel.period}",
    notes=[f"{sel.province_name}，统计月份 {sel.period}，月均销售窗口近{sel.window}个月"],
    as_of=sel.period,
    clickable=True,
)
if clicked:
    nav.go_to_region(clicked)
st.caption("点击表格中的一行打开该市的地区详情；下载的表格另含月均销售面积、计划户数、目标比例、建议比例和补偿款。")

st.subheader("进度落后的城市")
with st.expander("问责规则与阈值（可调整）", expanded=False):
    a, b, c = st.columns(3)
    summon = a.slider("约谈线", 0.3, 1.0, progress.Thresholds.summon, 0.05, format="%.2f", key="t_summon")
    notice = b.slider("通报线", 0.3, 1.0, progress.Thresholds.notice, 0.05, format="%.2f", key="t_notice")
    warning = c.slider("预警线", 0.3, 1.2, progress.Thresholds.warning, 0.05, format="%.2f", key="t_warning")
    st.caption(
        "启动率 = 已签约、已搬迁、已安置户数 ÷ 年度计划户数；应达进度按全年启动曲线（3月末约12.5%、6月末50%、"
        "8月末78%、9月末92%、10月末99%、11月末100%）。进度按花名册中签约、搬迁、安置的日期算到统计月份；"
        "没有日期的户按其最新状态计。"
    )
try:
    thresholds = progress.Thresholds(summon, notice, warning)
except ValueError:
    st.error("阈值须满足：约谈线 ≤ 通报线 ≤ 预警线。")
    page.stop()
st.caption(
    f"规则：{thresholds.describe()}（{sel.period} 应达进度 {fmt.percent(progress.expected_share(sel.period), 1)}）"
)
behind = progress.behind_curve(cities, sel.period, thresholds)
flagged = behind[behind.flag.notna()]
if behind.empty:
    st.info("无计划数据：所选年度没有年度计划，无法判断进度。")
elif flagged.empty:
    st.success("所有有计划的城市均达到当月应达进度。")
else:
    listed = pd.DataFrame(
        {
            "城市": flagged.region_name,
            "处置": flagged.flag,
            "触发规则": flagged.rule,
            "计划户数（户）": flagged.planned_households,
            "已启动户数（户）": flagged.started_households,
            "启动率（%）": [fmt.scaled("start_share", v) for v in flagged.start_share],
        }
    )
    listed.attrs["decimals"] = {"计划户数（户）": 0, "已启动户数（户）": 0, "启动率（%）": 1}
    tables.text_table(
        listed.assign(
            **{"计划户数（户）": [fmt.number("planned_households", v) for v in flagged.planned_households],
               "已启动户数（户）": [fmt.number("started_households", v) for v in flagged.started_households],
               "启动率（%）": [fmt.number("start_share", v) for v in flagged.start_share]}
        ),
        key="behind",
    )  # fmt: skip
    widgets.downloads(
        listed, key="behind", file_stem=f"{sel.province_name}_进度落后城市_{sel.period}", notes=[thresholds.describe()]
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
