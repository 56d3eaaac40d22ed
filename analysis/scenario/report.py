"""Scenario results for people: Chinese headers and display units, a plain-language summary, the Excel file."""

from __future__ import annotations

from collections.abc import Sequence

import pandas as pd

from analysis import catalogue, export
from analysis import format as fmt
from analysis.regions import load_registry
from analysis.scenario.engine import RESULT_COLUMNS, Result
from analysis.scenario.params import PRESET_LABELS, UNIT_LABELS, Scenario, parameters

# the columns whose 口径 the scenario's 说明 sheet and page list (as the engine computes them)
FORMULA_COLUMNS = [c for c in RESULT_COLUMNS if c not in ("region_code", "region_name", "level", "period")]


def header(column: str) -> str:
    return export.header(column)


def for_people(frame: pd.DataFrame, columns: list[str]) -> pd.DataFrame:
    """Display units, Chinese headers and rounded values for scenario columns (the catalogue's)."""
    return export.for_people(frame, columns)


def display(column: str, value: object) -> str:
    """One value as text for the command line's table (changes signed, in the unit of their value)."""
    return fmt.change(column, value) if column.startswith("delta_") else fmt.value(column, value)


def formulas() -> list[tuple[str, str]]:
    """(column, 口径 as the scenario engine computes it) for every result column with one."""
    return [(c, catalogue.formula(c, scenario=True)) for c in FORMULA_COLUMNS if catalogue.formula(c, scenario=True)]


def describe(scenario: Scenario) -> str:
    """The settings of a scenario in one line: ``政策表建议；太原市 70%；购房比例 70%``."""
    reg = load_registry()
    parts = [PRESET_LABELS[scenario.preset].split("（")[0]]
    if scenario.preset == "uniform":
        parts[0] += f" {fmt.share(scenario.share)}"
    parts += [f"{reg.name(c) if c in reg.regions else c} {fmt.share(v)}" for c, v in scenario.overrides]
    base = Scenario()
    for name, text in (
        ("purchase_share", f"购房比例 {fmt.share(scenario.purchase_share)}"),
        ("purchase_area_m2", f"户均购房 {scenario.purchase_area_m2:g}㎡"),
        ("in_kind_area_m2", f"户均安置面积 {scenario.in_kind_area_m2:g}㎡"),
        ("construction_cost_yuan_per_m2", f"建设成本 {scenario.construction_cost_yuan_per_m2:,.0f}元/㎡"),
    ):
        if getattr(scenario, name) != getattr(base, name):
            parts.append(text)
    if scenario.compensation_yuan_per_household is not None:
        parts.append(
            f"每户补偿 {fmt.value('compensation_per_household_yuan', scenario.compensation_yuan_per_household)}"
        )
    if scenario.policy:
        label = {band.key: band.label for band in catalogue.bands()}  # 12–18个月, as everywhere else
        parts.append("政策表 " + "、".join(f"{label.get(b, b)}→{fmt.share(v)}" for b, v in scenario.policy))
    return "；".join(parts)


def _vs(reference: str, x: float, show, more: str = "多", less: str = "少") -> str:
    """``比基准多 1.2万`` / ``与基准持平``."""
    if x != x or abs(x) < 1e-6:
        return f"与{reference}持平"
    return f"比{reference}{more if x > 0 else less} {show(abs(x))}"


def summary(result: Result, reference_name: str = "基准") -> str:
    """What the scenario does, in plain Chinese (``result`` must carry deltas: engine.run / compare)."""
    p = result.totals()
    name = p.region_name
    years = "、".join(str(y) for y in (result.scenario.years or ())) or p.period[:4]
    lines = [
        f"本情景（{describe(result.scenario)}）下，{name} {years} 年计划改造 {fmt.households(p.planned_households)}，"
        f"其中货币化安置 {fmt.households(p.monetised_households)}（{fmt.share(p.monetised_share)}），"
        f"{_vs(reference_name, p.delta_monetised_households, fmt.households)}。"
    ]
    before = p.destock_months_after - p.delta_destock_months_after
    lines.append(
        f"按 {fmt.share(result.scenario.purchase_share)} 的货币化安置户购房、户均 {result.scenario.purchase_area_m2:g}㎡ 估算，"
        f"可消化存量商品住房 {fmt.area(p.absorbed_area_m2)}"
        + (f"（占可售面积 {fmt.share(p.absorbed_area_m2 / p.saleable_area_m2)}）" if p.saleable_area_m2 else "")
        + f"，全省去化周期由现在的 {fmt.months(p.destock_months)} 降至 {fmt.months(p.destock_months_after)}"
        + f"（{reference_name}：{fmt.months(before)}）。"
    )
    lines.append(
        f"需筹措货币化补偿资金 {fmt.money(p.cash_needed_yuan)}（{_vs(reference_name, p.delta_cash_needed_yuan, fmt.money)}）；"
        f"实物安置 {fmt.households(p.in_kind_households)}，需建设安置房 {fmt.area(p.construction_area_m2)}、"
        f"投资 {fmt.money(p.construction_cost_yuan)}（"
        f"{_vs(reference_name, p.delta_construction_area_m2, fmt.area, '多建', '少建')}、"
        f"投资{_vs('', p.delta_construction_cost_yuan, fmt.money).removeprefix('比').removeprefix('与')}）。"
    )
    cities = result.city.dropna(subset=["delta_destock_months_after"])
    size = cities.delta_destock_months_after.abs()
    if (size >= 0.05).any():  # the largest changes either way (a lower share lengthens every city's period)
        top = cities.loc[size[size >= 0.05].sort_values(ascending=False, kind="stable").index[:3]]
        lines.append(
            "去化周期变化最大的城市："
            + "、".join(
                f"{r.region_name}（{fmt.change('destock_months', r.delta_destock_months_after)}）"
                for r in top.itertuples()
            )
            + "。"
        )
    short = result.city[(result.city.destock_months_after < 6) & (result.city.monetised_households > 0)]
    if not short.empty:
        lines.append(
            "注意："
            + "、".join(short.region_name)
            + "在本情景下去化周期低于 6 个月，存量可能不足、房价承压；2018 年起此类地区宜更多采用实物安置。"
        )
    return "\n\n".join(lines)


def parameter_table(scenario: Scenario) -> pd.DataFrame:
    """The 情景参数 sheet: every parameter, its value in this scenario, unit, range, meaning, source."""
    params = parameters()
    reg = load_registry()
    rows = [("预设", PRESET_LABELS[scenario.preset], "", "", "各县未单独设定时的比例取法", "本产品")]
    values = {
        "monetised_share": scenario.share,
        "purchase_share": scenario.purchase_share,
        "purchase_area_m2": scenario.purchase_area_m2,
        "in_kind_area_m2": scenario.in_kind_area_m2,
        "construction_cost_yuan_per_m2": scenario.construction_cost_yuan_per_m2,
        "compensation_yuan_per_household": scenario.compensation_yuan_per_household,
        "fallback_share": scenario.fallback_share,
        "rule_2018_months": scenario.rule_2018_months,
    }
    for name, value in values.items():
        p = params[name]
        unit = UNIT_LABELS.get(p.unit, p.unit)
        shown = "（未设定）" if value is None else _number(value * 100 if p.unit == "share" else value)
        scale = 100 if p.unit == "share" else 1
        rng = f"{_number(p.lower * scale):,}–{_number(p.upper * scale):,}"  # 0–5,000,000, never 5e+06
        rows.append((p.label, shown, unit, rng, p.description, p.reference))
    table = params["policy_table"]
    for band in catalogue.bands():
        rows.append(
            (f"{table.label}（{band.label}）", _number(scenario.policy_shares[band.key] * 100),
             "%", "0–100", f"政策表：去化周期 {band.label} 的建议比例", table.reference)
        )  # fmt: skip
    for code, value in scenario.overrides:
        level = "地市" if reg.get(code).level == "city" else "县（市、区）"
        rows.append(
            (f"{reg.name(code)}货币化安置比例", _number(value * 100), "%", "0–100",
             f"{level}设定：{reg.name(code)}（{code}）", "情景")
        )  # fmt: skip
    frame = pd.DataFrame(rows, columns=["参数", "取值", "单位", "允许范围", "说明", "默认值来源"])
    # each value written as the number it is (70, 12.5), a text (the preset, 未设定) as text
    frame.attrs[export.ROW_DECIMALS_ATTR] = {
        "取值": [
            None if isinstance(v, str) else 0 if isinstance(v, int) else len(f"{v:g}".split(".")[1])
            for v in frame["取值"]
        ]
    }
    return frame


def _number(value: float) -> float | int:
    """A parameter's value as a number a spreadsheet computes with (70, not the text '70'; 0.35 as 0.35).

    >>> _number(70.0), _number(12.5), _number(100 * 0.7)
    (70, 12.5, 70)
    """
    rounded = round(float(value), 6)  # 100 × 0.7 is 70.00000000000001
    return int(rounded) if rounded.is_integer() else rounded


def notes(result: Result, province_name: str, reference_name: str = "基准") -> list[str]:
    sc = result.scenario
    years = "、".join(str(y) for y in sc.years) or result.totals().period[:4]
    out = [
        f"{province_name}，统计月份 {result.totals().period}，月均销售窗口近{sc.window_months}个月，计划年度 {years}",
        f"情景：{sc.name or '当前情景'}（{describe(sc)}）；变化列 = 本情景 − {reference_name}",
        "演示数据为合成数据时，结果不能作为决策依据。补偿款、建设成本等为估算假设，非官方数字。",
    ]
    out += [f"{catalogue.label(c)}：{f}" for c, f in formulas()]
    out.append(catalogue.text("baseline"))
    return out


def excel_bytes(result: Result, province_name: str, reference_name: str = "基准", extra: Sequence[str] = ()) -> bytes:
    """情景参数, 全省, 各市, 各县 sheets with Chinese headers and display units, plus the 说明 sheet (``extra``
    first: the page, the data's source, the moment of export)."""
    from analysis.scenario.engine import DELTA_COLUMNS

    cols = [c for c in RESULT_COLUMNS if c not in ("level", "period")] + DELTA_COLUMNS
    county_cols = cols + ["share_source", "compensation_per_household_yuan", "compensation_source"]
    sheets = {
        "情景参数": parameter_table(result.scenario),
        "全省": for_people(result.province, cols),
        "各市": for_people(result.city, cols),
        "各县": for_people(result.county, county_cols),
    }
    lines = [*extra, *notes(result, province_name, reference_name)]
    return export.to_excel_bytes(sheets, list(dict.fromkeys(lines)))
