"""地区详情: every metric of one city or county, its history and its place in the ranking."""

from __future__ import annotations

import pandas as pd
import streamlit as st

from analysis import catalogue, charts, headline
from analysis import format as fmt
from analysis.export import ROW_DECIMALS_ATTR, for_people, notes_for
from analysis.metrics import CONTRACT_COLUMNS
from analysis.regions import load_registry
from ui import brief, data, nav, page, state, text, widgets


def metric_rows(row: pd.Series, columns: list[str]) -> pd.DataFrame:
    """指标 (its unit in the header) and 数值 as a number rounded as on screen: numbers stay numbers in the files."""
    labels, cells, places = [], [], []
    for c in columns:
        spec = catalogue.column(c)
        labels.append(catalogue.header(c))
        figure = spec.is_numeric and not spec.values and not isinstance(row[c], str)
        if figure and not fmt.is_missing(row[c]):
            cells.append(fmt.scaled(c, row[c]))
            places.append(spec.decimals)
        else:
            shown = headline.destock_text(row) if c == "destock_months" else fmt.value(c, row[c])
            cells.append(None if shown == "—" else shown)
            places.append(None)
    out = pd.DataFrame({"指标": labels, "数值": pd.Series(cells, dtype=object)})
    out.attrs[ROW_DECIMALS_ATTR] = {"数值": places}
    return out


sel = page.setup("地区详情")
if not sel.has_data:
    widgets.empty_state("还没有任何数据。")
    page.stop()
nav.follow_request()
reg = load_registry()
cities = data.metrics_for(sel, "city")
counties = data.metrics_for(sel, "county")
options = [*cities.region_code, *counties.region_code]
names = {c: " › ".join(reg.path_names(c)[1:]) for c in options}
code = state.declare(
    state.Param(
        "region",
        default=options[0],
        options=options,
        refused=f"不是{sel.province_name}的地市或县（市、区），已显示{names[options[0]]}",
    )
)
st.selectbox("地区", options, format_func=names.get, key="region", help="从任一地图或表格点击地区也会打开这里")
r = reg.get(code)
level = r.level
peers = cities if level == "city" else data.metrics_for(sel, "county", scope=r.parent_code)
row = (cities if level == "city" else counties).set_index("region_code").loc[code]
row["region_code"] = code

st.markdown("**" + " › ".join(text.plain(n) for n in reg.path_names(code)) + "**")
if level == "county":
    st.button(f"返回 {reg.name(r.parent_code)}", icon=":material/arrow_upward:", type="tertiary", key="region_up",
              on_click=widgets.guard(state.set_value), args=("region", r.parent_code))  # fmt: skip
brief.offer(sel, code)

note = headline.coverage_note(row)
cards = [
    widgets.Card("去化周期", headline.destock_text(row), f"{widgets.band_text(row.destock_band)} · {row.land_supply_advice or '—'}",
                 note=note),
    widgets.Card("可售面积", fmt.area(row.saleable_area_m2, none="未报送" if not row.counties_reporting else "—"), note=note),
    widgets.Card("货币化安置比例", fmt.share(row.monetised_share), f"目标 {fmt.share(row.target_monetised_share)}"),
    widgets.Card("计划改造户数", fmt.households(row.planned_households)),
    widgets.Card("完成率", fmt.share(row.completion_share)),
]  # fmt: skip
widgets.cards(cards, key="region")
line = headline.absorption(row)
if line:
    st.caption(line)

ranked = peers.sort_values("destock_months", ascending=False, na_position="last").reset_index(drop=True)
pos = ranked.index[ranked.region_code == code]
scope_name = "全省各市" if level == "city" else f"{reg.name(r.parent_code)}各县（市、区）"
if len(pos) and not fmt.is_missing(row.destock_months):
    st.markdown(f"去化周期在{text.plain(scope_name)}中排第 **{pos[0] + 1}** 位（共 {len(ranked)} 个，从高到低）。")

monthly = data.monthly_frame(sel.state.data_dir, sel.state.version, level, code, sel.window)
monthly = monthly[monthly.region_code == code]
if monthly.empty:
    st.info("该地区还没有库存数据。请在「数据上传」页导入该地区的商品住房库存报表。")
else:
    a, b = widgets.side_by_side("region_charts")
    a.plotly_chart(charts.stock_and_sales(monthly, "可售面积与月销售面积", sel.period), config=charts.CONFIG)
    b.plotly_chart(charts.destock_lines(monthly, "去化周期走势", period=sel.period), config=charts.CONFIG)

st.subheader("全部指标")
shown_columns = CONTRACT_COLUMNS[3:]
values = pd.DataFrame(
    {
        "指标": [catalogue.label(c) for c in shown_columns],  # the value carries its unit (172.68万㎡)
        "数值": [headline.destock_text(row) if c == "destock_months" else fmt.value(c, row[c]) for c in shown_columns],
    }
)
st.dataframe(values, hide_index=True, height="content", width="stretch")
widgets.downloads(metric_rows(row, shown_columns), key="region_values", file_stem=f"{r.name}_指标_{sel.period}",
                  notes=[f"地区：{' › '.join(reg.path_names(code))}", *notes_for(shown_columns, as_of=sel.period)])  # fmt: skip

if level == "city":
    st.subheader(f"{r.name}各县（市、区）")
    sub = data.metrics_for(sel, "county", scope=code).sort_values("destock_months", ascending=False, na_position="last")
    clicked = widgets.table(
        sub,
        ["region_name", "destock_months", "destock_band", "land_supply_advice", "saleable_area_m2",
         "monetised_share", "completion_share"],
        more=["planned_households"],
        key="region_sub",
        file_stem=f"{r.name}_各县指标_{sel.period}",
        as_of=sel.period,
        clickable=True,
    )  # fmt: skip
    if clicked:
        nav.go_to_region(clicked)
    st.caption("点击表格中的一行打开该县（市、区）的地区详情。")
if not monthly.empty:
    st.caption("月度序列（可售面积、销售面积、去化周期等）：")
    series_columns = [c for c in monthly.columns if c in catalogue.columns() and c != "region_code"]
    widgets.downloads(for_people(monthly, series_columns), key="region_monthly", file_stem=f"{r.name}_月度序列")
widgets.formulas(CONTRACT_COLUMNS[4:])
