"""情景模拟: set monetised shares (province, city, county) and assumptions; see absorption, 去化周期, cash
needed and construction avoided beside the baseline; save, compare, share by link, export to Excel."""

from __future__ import annotations

import json

import streamlit as st

from analysis import catalogue, charts, maps
from analysis import format as fmt
from analysis.regions import load_registry
from analysis.scenario import engine, report, state
from analysis.scenario.params import PRESET_LABELS, PRESETS, label_with_unit, parameters
from ui import data, errors, nav, page, text, widgets
from ui import maps as drill
from ui import scenario as sc
from ui import state as view

sc.restore_from_link()  # a link's scenario sets the widgets once; one it cannot use is named in a notice
sel = page.setup(
    "情景模拟", "调整货币化安置比例，看消化多少存量、去化周期降多少、要筹多少钱、少建多少安置房（与基准并列比较）。"
)
if not sel.has_data or sel.period is None:
    widgets.empty_state("情景模拟需要商品住房库存和年度计划数据。")
    page.stop()
nav.follow_request()  # a county clicked on the Δ map opens its detail page
sc.ensure_defaults(sel)
sc.take_editor_edits()
P = parameters()

# -- settings ---------------------------------------------------------------------------------------------
with st.container(border=True):
    a, b, c = st.columns([3, 2, 2])
    preset = a.selectbox(
        "各县比例的取法（预设）",
        PRESETS,
        format_func=PRESET_LABELS.get,
        key="sc_preset",
        help="未单独设定的县按此取比例；地市设定优先于预设，县级设定优先于地市设定。基准为「计划目标比例」。",
    )
    b.slider(
        "全省统一比例（%）",
        0,
        100,
        step=1,
        key="sc_share",
        disabled=preset != "uniform",
        help="预设为「全省统一比例」时生效",
    )
    years_all = sorted({int(p[:4]) for p in data.periods(sel.state.data_dir, sel.state.version)})
    c.multiselect(
        "计划年度",
        years_all,
        key="sc_years",
        placeholder=f"{sel.period[:4]}（默认）",  # the help says why: the year of the month shown
        help="计划改造户数取所选年度之和；不选则取统计月份所在年度",
    )
    row = widgets.twos("sc_sliders")
    rng = {k: P[k] for k in ("purchase_share", "purchase_area_m2", "in_kind_area_m2", "construction_cost_yuan_per_m2")}
    name = {k: label_with_unit(p) for k, p in rng.items()}  # the catalogue's labels (parameters.yaml)
    row.slider(name["purchase_share"], 0, 100, step=5, key="sc_purchase_share", help=rng["purchase_share"].description)
    row.slider(name["purchase_area_m2"], rng["purchase_area_m2"].lower, rng["purchase_area_m2"].upper, step=5.0,
               key="sc_purchase_area", format="%d", help=rng["purchase_area_m2"].description)  # fmt: skip
    row.slider(name["in_kind_area_m2"], rng["in_kind_area_m2"].lower, rng["in_kind_area_m2"].upper, step=5.0,
               key="sc_in_kind_area", format="%d", help=rng["in_kind_area_m2"].description)  # fmt: skip
    row.slider(name["construction_cost_yuan_per_m2"], rng["construction_cost_yuan_per_m2"].lower,
               rng["construction_cost_yuan_per_m2"].upper, step=100.0, key="sc_cost", format="localized",
               help=rng["construction_cost_yuan_per_m2"].description)  # fmt: skip
    with st.expander("政策表与补偿款（可调假设，非官方数字）"):
        bands = catalogue.bands()
        row = widgets.threes("sc_policy")  # the bands' shares and the compensation
        for band in bands:
            row.number_input(f"{band.label}（%）", 0.0, 100.0, step=5.0, format="%.1f", key=sc.policy_key(band.key))
        row.number_input(
            "每户补偿款（万元）", 0.0, 500.0, step=1.0, key="sc_compensation", help="0 = 按各县花名册平均补偿款"
        )
        st.caption("政策表：按去化周期分档（左闭右开）的建议货币化安置比例，用于「政策表建议」「2018 规则」两种预设。")

scenario, problems = sc.current(sel)
if scenario is None:
    st.error("情景参数有误，未计算：\n\n" + "\n".join(f"- {p}" for p in problems))
    page.stop()
link_problem = sc.sync_link(scenario)
years = scenario.years or (int(sel.period[:4]),)
saved = st.session_state[sc.SAVED]
r1, r2, _ = st.columns([2, 2, 3])
ref_name = r1.selectbox("对比对象", ["基准", *saved], key="sc_reference", help="变化 = 本情景 − 对比对象")
ref_text = text.plain(ref_name)
reference = scenario.baseline() if ref_name == "基准" else state.decode(saved[ref_name])
selection = (sel.state.data_dir, sel.state.version, sel.province_code, sel.period, sel.window, years)


def results(s) -> engine.Result:
    return sc.computed(*selection, state.encode(s))


result = engine.compare(results(scenario), results(reference))
baseline = results(scenario.baseline())
p = result.totals()
cities = result.city
names = dict(zip(cities.region_code, cities.region_name))
city = view.declare(view.Param("city", default="", options=["", *names], refused="不是所选省份的地市，已显示全省各市"))
r2.selectbox("地市（下钻到县）", ["", *names], format_func=lambda x: "全省各市" if not x else names[x], key="city")

# -- what it does -----------------------------------------------------------------------------------------
st.info(text.figures(report.summary(result, ref_text)), icon=":material/lightbulb:")


FIGURES = [  # label, column, fewer is better
    ("货币化安置户数", "monetised_households", False),
    ("消化存量面积", "absorbed_area_m2", False),
    ("消化后去化周期", "destock_months_after", True),
    ("所需补偿资金", "cash_needed_yuan", True),
    ("安置房建设面积", "construction_area_m2", True),
    ("安置房建设投资", "construction_cost_yuan", True),
]


def _card(title: str, col: str, fewer_is_better: bool) -> widgets.Card:
    d = p[f"delta_{col}"]
    moved = not fmt.is_missing(d) and abs(float(d)) > 1e-9
    tone = None if not moved else ("good" if (float(d) < 0) == fewer_is_better else "bad")
    change = f"{fmt.change(f'delta_{col}', d)} 相对{ref_name}" if moved else f"与{ref_name}持平"
    none = "无成交" if col == "destock_months_after" else "—"
    helptext = (
        f"现状 {fmt.months(p.destock_months)}"
        if col == "destock_months_after"
        else catalogue.formula(col, scenario=True)
    )
    return widgets.Card(title, fmt.value(col, p[col], none=none), change, help=helptext, tone=tone)


widgets.cards([_card(*f) for f in FIGURES], key="scenario")
st.caption(f"变化均相对「{ref_text}」。{text.plain(catalogue.text('baseline'))}")
if link_problem:
    st.warning(link_problem, icon=":material/link_off:")

shown = result.county[result.county.city_code == city] if city else cities
ref_html = text.html(ref_name)  # plotly reads a little HTML in its texts
hover = [
    ("destock_months", "现状去化周期"),
    ("destock_months_after", "本情景消化后"),
    ("monetised_share", "本情景比例"),
    ("delta_monetised_share", f"比例变化（相对{ref_html}）", lambda v: fmt.change("delta_monetised_share", v)),
    ("cash_needed_yuan", "所需补偿资金"),
]
span = max(float(shown.delta_destock_months_after.abs().max(skipna=True) or 0), 0.5)
map_args = dict(
    color="delta_destock_months_after",
    label=f"去化周期变化（相对{ref_html}）",
    hover=hover,
    colorscale=[[0, "#2166ac"], [0.5, "#f7f7f7"], [1, "#b2182b"]],  # RdBu: white no change; grey no data
    zmin=-span,
    zmax=span,
    height=560,
)
if city:
    fig = maps.city_by_county(shown, city, title=f"{names[city]} · Δ去化周期", **map_args)
else:
    fig = maps.province_by_city(shown, sel.province_code, title=f"{sel.province_name} · Δ去化周期", **map_args)
map_key = f"sc_map_{city or 'prov'}_{st.session_state.get('_map_round', 0)}"  # a fresh map after a click
st.plotly_chart(fig, config=maps.MAP_CONFIG, key=map_key, on_select=errors.guard(lambda: drill.on_map_select(map_key)),
                selection_mode="points")  # fmt: skip
st.caption(
    "蓝色：去化周期比对比对象缩短；红色：延长。灰色：无成交或无数据。点击地市下钻到其县（市、区）；点击县（市、区）打开地区详情。"
)
left, right = widgets.side_by_side("sc_charts")
left.plotly_chart(charts.scenario_tradeoff(shown, ref_html), config=charts.CONFIG)
right.plotly_chart(charts.scenario_destock(shown, ref_html), config=charts.CONFIG)

# -- shares per city / county -------------------------------------------------------------------------------
where = names[city] if city else sel.province_name
st.subheader(f"{where} · 各{'县（市、区）' if city else '市'}货币化安置比例")
st.caption("直接修改「情景比例（%）」一列：改动即成为该地区的单独设定（优先于预设；县级设定优先于地市设定）。")
level = "county" if city else "city"
sc.share_editor(shown, baseline.at(level), level)
pick = st.container(horizontal=True, vertical_alignment="bottom")  # buttons as wide as their words; wraps
pick.selectbox("或者：选择地区", list(shown.region_code), format_func=dict(zip(shown.region_code, shown.region_name)).get,
               key="sc_pick", index=None, placeholder="选择地区…", width=240)  # fmt: skip
pick.number_input("设为（%）", 0.0, 100.0, value=70.0, step=1.0, format="%.1f", key="sc_pick_value", width=150)
pick.button("设定", key="sc_pick_apply", on_click=errors.guard(sc.set_one), args=("sc_pick", "sc_pick_value"))
pick.button("清除单独设定", key="sc_clear", on_click=errors.guard(sc.clear_overrides))
if scenario.overrides:
    reg = load_registry()
    st.caption("单独设定：" + "；".join(f"{reg.name(c)} {fmt.share(v)}" for c, v in scenario.overrides))

# -- results ----------------------------------------------------------------------------------------------
st.subheader("情景结果")
ON_SCREEN = ["region_name", "monetised_share", "monetised_households", "absorbed_area_m2", "destock_months_after",
             "cash_needed_yuan"]  # fmt: skip
cols = [c for c in engine.RESULT_COLUMNS if c not in ("region_code", "level", "period")] + engine.DELTA_COLUMNS
table = report.for_people(shown, ON_SCREEN + (["share_source"] if city else []))
st.dataframe(table, hide_index=True, column_config=widgets.column_config(table), height="content")
st.caption("下载的表格另含计划户数、实物安置、可售面积、月均销售、建设面积与投资，以及与对比对象的全部变化列。")
file_stem = f"{sel.province_name}_情景模拟_{sel.period}"
full = report.for_people(shown, cols + (["share_source"] if city else []))
widgets.downloads(full, key="sc_table", file_stem=f"{file_stem}_{names[city]}各县" if city else f"{file_stem}_各市")
st.download_button(
    "下载情景与结果（Excel：参数、全省、各市、各县、说明）",
    lambda view=widgets.view_notes(): report.excel_bytes(result, sel.province_name, ref_name, widgets.stamped(view)),
    f"{file_stem}.xlsx",
    "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    key="sc_excel",
    on_click="ignore",
    icon=":material/table_view:",
    type="primary",
)

# -- save, share, compare ---------------------------------------------------------------------------------
st.subheader("保存、分享与比较")
left, right = st.columns(2)
with left:
    n1, n2 = st.columns([3, 1], vertical_alignment="bottom")
    n1.text_input("情景名称", key="sc_name", placeholder="如：太原 70% + 其余按政策表")
    n2.button("保存情景", key="sc_save", on_click=errors.guard(sc.save), args=(state.encode(scenario), "sc_name"))
    st.markdown("**分享链接**（整个情景都在链接里，同事打开即看到相同的设定与结果）")
    if link_problem:
        st.caption(link_problem)
    else:
        st.code(sc.share_url(scenario), language=None, wrap_lines=True)
    st.download_button(
        "下载情景文件（JSON）",
        json.dumps(state.to_dict(scenario), ensure_ascii=False, indent=1),
        f"{file_stem}.json",
        "application/json",
        key="sc_json",
        on_click="ignore",
        icon=":material/download:",
    )
    st.file_uploader(
        "载入情景文件", type=["json"], key="sc_upload", on_change=errors.guard(sc.load_file), args=("sc_upload",)
    )
    if st.session_state.pop("_sc_load_error", None):
        st.error("情景文件无法载入：文件不是本系统导出的情景 JSON 或参数无效。")
with right:
    if saved:
        l1, l2 = st.columns([3, 1], vertical_alignment="bottom")
        l1.selectbox("已保存的情景", list(saved), key="sc_load_pick")
        l2.button("载入", key="sc_load", on_click=errors.guard(sc.load), args=("sc_load_pick",))
    else:
        st.caption(
            "还没有保存的情景：命名后点「保存情景」，即可在此载入和比较（保存在本次会话中；长期保存请下载情景文件或保存链接）。"
        )
    options = ["基准", "当前情景", *saved]
    c1, c2 = st.columns(2)
    name_a = c1.selectbox("比较：情景 A", options, key="sc_cmp_a")
    name_b = c2.selectbox("情景 B", options, index=1, key="sc_cmp_b")


def _scenario(name: str):
    return {"基准": scenario.baseline(), "当前情景": scenario}.get(name) or state.decode(saved[name])


cmp = engine.compare(results(_scenario(name_b)), results(_scenario(name_a)))
totals = cmp.totals()
st.markdown(
    f"**{text.plain(name_b)} − {text.plain(name_a)}**（全省）：去化周期 "
    f"{fmt.change('delta_destock_months_after', totals.delta_destock_months_after)}，"
    f"补偿资金 {fmt.change('delta_cash_needed_yuan', totals.delta_cash_needed_yuan)}，"
    f"安置房建设投资 {fmt.change('delta_construction_cost_yuan', totals.delta_construction_cost_yuan)}"
)
a_share = results(_scenario(name_a)).city.monetised_share
FIRST = ["delta_destock_months_after", "delta_cash_needed_yuan", "delta_construction_cost_yuan"]  # what differs
order = ["region_name", *FIRST, "monetised_share"]
compared = report.for_people(cmp.city.assign(a_share=a_share), order)
# A and B in every header: two columns never share a name, even when both sides are the same scenario
a_header, b_header = f"情景 A（{name_a}）比例（%）", f"情景 B（{name_b}）比例（%）"
compared.insert(len(compared.columns) - 1, a_header, [fmt.scaled("monetised_share", v) for v in a_share])
compared = compared.rename(columns={"货币化安置比例（%）": b_header})
decimals = dict(compared.attrs.get("decimals", {}))
decimals[a_header] = 1
decimals[b_header] = decimals.pop("货币化安置比例（%）", 1)
compared.attrs["decimals"] = decimals
on_screen = compared[compared.columns[:4]]
on_screen.attrs = dict(compared.attrs)
st.dataframe(on_screen, hide_index=True, column_config=widgets.column_config(on_screen), height="content")
widgets.downloads(compared, key="sc_compare", file_stem=f"{file_stem}_情景比较")

with st.expander("口径（情景公式与参数）"):
    st.markdown(
        "\n".join(f"- **{catalogue.label(c)}**：{text.plain(f)}" for c, f in report.formulas())
        + f"\n- **基准**：{text.plain(catalogue.text('baseline'))}\n- **预设**："
        + "；".join(PRESET_LABELS.values())
    )
    params = report.parameter_table(scenario)  # numbers and texts in one column: shown as written
    st.dataframe(params.assign(取值=params["取值"].map(str)), hide_index=True, height="content")
