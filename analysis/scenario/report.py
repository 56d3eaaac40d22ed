"""Scenario results for people: Chinese headers and display units, a plain-language summary, the Excel file."""

from __future__ import annotations

import math

import pandas as pd

from analysis import export
from analysis import format as fmt
from analysis.glossary import ENUM_LABELS, SCENARIO_FORMULAS, SCENARIO_PARAM_LABELS, TERMS, label
from analysis.policy import BANDS
from analysis.regions import load_registry
from analysis.scenario.engine import COMPENSATION_SOURCES, Result
from analysis.scenario.params import PRESET_LABELS, UNIT_LABELS, Scenario, parameters
from analysis.scenario.presets import SOURCE_LABELS

# column -> (display unit, divisor); the metric columns come from analysis.export.UNITS
UNITS: dict[str, tuple[str, float]] = {
    **export.UNITS,
    "delta_monetised_share": ("百分点", 0.01),
    "delta_absorbed_area_m2": ("万㎡", 1e4), "delta_destock_months_after": ("个月", 1),
    "delta_cash_needed_yuan": ("亿元", 1e8), "delta_construction_area_m2": ("万㎡", 1e4),
    "delta_construction_cost_yuan": ("亿元", 1e8),
}  # fmt: skip
VALUE_LABELS = {"share_source": SOURCE_LABELS, "compensation_source": COMPENSATION_SOURCES, **ENUM_LABELS}


def header(column: str) -> str:
    return export.header(column, UNITS)


def for_people(frame: pd.DataFrame, columns: list[str]) -> pd.DataFrame:
    """Display units and Chinese headers for scenario columns (rounded as they read)."""
    return export.for_people(frame, columns, units=UNITS, value_labels=VALUE_LABELS, rounded=True)


def display(column: str, value: object) -> str:
    """One value as text for the command line's table."""
    if value is None or (isinstance(value, float) and math.isnan(value)):
        return "—"
    if column.startswith("delta_"):
        base = column[6:]
        v = float(value)
        if base.endswith("_share"):
            return f"{v * 100:+.1f}个百分点".replace("-", "−")
        if base.endswith("_months_after"):
            return f"{v:+.1f}个月".replace("-", "−")
        if abs(v) < 1e-9:
            return "0"
        return ("+" if v > 0 else "−") + display(base, abs(v))
    if column.endswith("_yuan"):
        return fmt.money(value)
    if column.endswith("_m2"):
        return fmt.area_wan_m2(value)
    if column in VALUE_LABELS:
        return VALUE_LABELS[column].get(value, str(value))
    return fmt.display(column, value)


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
        parts.append(f"每户补偿 {fmt.money(scenario.compensation_yuan_per_household)}")
    if scenario.policy:
        parts.append("政策表 " + "、".join(f"{b}→{fmt.share(v)}" for b, v in scenario.policy))
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
        f"**本情景**（{describe(result.scenario)}）下，{name} {years} 年计划改造 {fmt.count(p.planned_households)} 户，"
        f"其中货币化安置 {fmt.count(p.monetised_households)} 户（{fmt.share(p.monetised_share)}），"
        f"{_vs(reference_name, p.delta_monetised_households, lambda v: fmt.count(v) + ' 户')}。"
    ]
    before = p.destock_months_after - p.delta_destock_months_after
    lines.append(
        f"按 {fmt.share(result.scenario.purchase_share)} 的货币化安置户购房、户均 {result.scenario.purchase_area_m2:g}㎡ 估算，"
        f"可消化存量商品住房 {fmt.area_wan_m2(p.absorbed_area_m2)}"
        + (f"（占可售面积 {fmt.share(p.absorbed_area_m2 / p.saleable_area_m2)}）" if p.saleable_area_m2 else "")
        + f"，全省去化周期由现在的 {fmt.months(p.destock_months)} 降至 {fmt.months(p.destock_months_after)}"
        + f"（{reference_name}：{fmt.months(before)}）。"
    )
    lines.append(
        f"需筹措货币化补偿资金 {fmt.money(p.cash_needed_yuan)}（{_vs(reference_name, p.delta_cash_needed_yuan, fmt.money)}）；"
        f"实物安置 {fmt.count(p.in_kind_households)} 户，需建设安置房 {fmt.area_wan_m2(p.construction_area_m2)}、"
        f"投资 {fmt.money(p.construction_cost_yuan)}（"
        f"{_vs(reference_name, p.delta_construction_area_m2, fmt.area_wan_m2, '多建', '少建')}、"
        f"投资{_vs('', p.delta_construction_cost_yuan, fmt.money).removeprefix('比').removeprefix('与')}）。"
    )
    cities = result.city.dropna(subset=["delta_destock_months_after"])
    moved = cities[cities.delta_destock_months_after.abs() >= 0.05].sort_values("delta_destock_months_after")
    if not moved.empty:
        top = moved.head(3)
        lines.append(
            "去化周期变化最大的城市："
            + "、".join(f"{r.region_name}（{r.delta_destock_months_after:+.1f}个月）" for r in top.itertuples())
            + "。"
        )
    short = result.city[(result.city.destock_months_after < 6) & (result.city.monetised_households > 0)]
    if not short.empty:
        lines.append(
            "注意："
            + "、".join(short.region_name)
            + " 在本情景下去化周期低于 6 个月，存量可能不足、房价承压；2018 年起此类地区宜更多采用实物安置。"
        )
    return "\n\n".join(lines)


def parameter_table(scenario: Scenario) -> pd.DataFrame:
    """The 情景参数 sheet: every parameter, its value in this scenario, unit, range, meaning, source."""
    params = parameters()
    reg = load_registry()
    rows = [("预设", "preset", PRESET_LABELS[scenario.preset], "", "", "各县未单独设定时的比例取法", "本产品")]
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
        shown = "（未设定）" if value is None else f"{value * 100:g}" if p.unit == "share" else f"{value:g}"
        rng = f"{p.lower * 100:g}–{p.upper * 100:g}" if p.unit == "share" else f"{p.lower:g}–{p.upper:g}"
        rows.append((SCENARIO_PARAM_LABELS[name], name, shown, unit, rng, p.description, p.reference))
    table = params["policy_table"]
    for band in BANDS:
        rows.append(
            (f"{SCENARIO_PARAM_LABELS['policy_table']}（{ENUM_LABELS['destock_band'][band]}）", f"policy_table[{band}]",
             f"{scenario.policy_shares[band] * 100:g}", "%", "0–100",
             f"政策表：去化周期 {ENUM_LABELS['destock_band'][band]} 的建议比例", table.reference)
        )  # fmt: skip
    for code, value in scenario.overrides:
        level = "地市" if reg.get(code).level == "city" else "县（市、区）"
        rows.append(
            (
                f"{reg.name(code)}货币化安置比例",
                f"monetised_share[{code}]",
                f"{value * 100:g}",
                "%",
                "0–100",
                f"{level}设定：{reg.name(code)}",
                "情景",
            )
        )
    return pd.DataFrame(rows, columns=["参数", "参数代码", "取值", "单位", "允许范围", "说明", "默认值来源"])


def notes(result: Result, province_name: str, reference_name: str = "基准") -> list[str]:
    sc = result.scenario
    years = "、".join(str(y) for y in sc.years) or result.totals().period[:4]
    out = [
        f"{province_name}，统计月份 {result.totals().period}，月均销售窗口近{sc.window_months}个月，计划年度 {years}",
        f"情景：{sc.name or '当前情景'}（{describe(sc)}）；变化列 = 本情景 − {reference_name}",
        "演示数据为合成数据时，结果不能作为决策依据。补偿款、建设成本等为估算假设，非官方数字。",
    ]
    out += [f"{label(c)}：{SCENARIO_FORMULAS[c]}" for c in SCENARIO_FORMULAS if c in TERMS]
    out.append(SCENARIO_FORMULAS["baseline"])
    return out


def excel_bytes(result: Result, province_name: str, reference_name: str = "基准") -> bytes:
    """情景参数, 全省, 各市, 各县 sheets with Chinese headers and display units, plus the 说明 sheet."""
    from analysis.scenario.engine import DELTA_COLUMNS, RESULT_COLUMNS

    cols = [c for c in RESULT_COLUMNS if c not in ("level", "period")] + DELTA_COLUMNS
    county_cols = cols + ["share_source", "compensation_per_household_yuan", "compensation_source"]
    sheets = {
        "情景参数": parameter_table(result.scenario),
        "全省": for_people(result.province, cols),
        "各市": for_people(result.city, cols),
        "各县": for_people(result.county, county_cols),
    }
    return export.to_excel_bytes(sheets, notes(result, province_name, reference_name))
