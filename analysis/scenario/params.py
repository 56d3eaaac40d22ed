"""A scenario: changes to the parameters of the catalogue (``analysis/catalogue/parameters.yaml``), validated whole.

A scenario is built from a dict of changes, PolicyEngine's ``Reform.from_dict`` style; every problem is
collected before anything applies, and the defaults (the baseline) are never mutated.

>>> s = make_scenario({"preset": "uniform", "share": 0.9})
>>> s.share, s.purchase_share, s.purchase_area_m2
(0.9, 0.7, 90.0)
>>> validate({"share": 1.5, "overrides": {"999999": 0.5}})
['全省货币化安置比例「1.5」超出允许范围 0–1', '未知地区代码「999999」：行政区划名录中没有这个代码']
"""

from __future__ import annotations

import dataclasses
import math
from dataclasses import dataclass, field
from typing import Any

from analysis.catalogue import Parameter, band_keys, default, parameters
from analysis.regions import load_registry

PRESETS = ("plan_targets", "policy_table", "rule_2018", "uniform")
PRESET_LABELS = {
    "plan_targets": "计划目标比例",
    "policy_table": "政策表建议（按去化周期分档）",
    "rule_2018": "2018 规则（去化周期不足 12 个月处偏向实物安置）",
    "uniform": "全省统一比例",
}
UNIT_LABELS = {
    "share": "%",
    "m2": "㎡",
    "yuan_per_m2": "元/㎡",
    "yuan_per_household": "元/户",
    "months": "个月",
}
YEARS = range(2000, 2101)
WINDOWS = (6, 12)


class ScenarioError(ValueError):
    """A scenario refused: ``problems`` lists every reason (Chinese)."""

    def __init__(self, problems: list[str]) -> None:
        super().__init__("；".join(problems))
        self.problems = problems


def label_with_unit(p: Parameter) -> str:
    """The parameter's label with its unit as a control shows it (shares in %).

    >>> label_with_unit(parameters()["construction_cost_yuan_per_m2"])
    '安置房建设成本（元/㎡）'
    """
    return f"{p.label}（{UNIT_LABELS[p.unit]}）"


def check(p: Parameter, value: Any, what: str | None = None) -> str | None:
    """The reason ``value`` is refused for parameter ``p``, or None."""
    what = what or p.label
    if isinstance(value, bool) or not isinstance(value, (int, float)) or math.isnan(float(value)):
        return f"{what}「{value}」不是数字"
    if not p.lower <= float(value) <= p.upper:
        lo, hi = _fmt(p.lower, p.unit), _fmt(p.upper, p.unit)
        return f"{what}「{value}」超出允许范围 {lo}–{hi}"
    return None


def _fmt(x: float, unit: str) -> str:
    return f"{x:g}" if unit == "share" else f"{x:,.0f}"


def _pairs(mapping: dict) -> tuple[tuple[str, float], ...]:
    return tuple(sorted((str(k), float(v)) for k, v in mapping.items()))


@dataclass(frozen=True)
class Scenario:
    """Every setting of a scenario; hashable, so it can key caches and round-trip through a link."""

    preset: str = "plan_targets"
    share: float | None = None  # the province-wide share (preset "uniform")
    overrides: tuple[tuple[str, float], ...] = ()  # (city or county code, share); a county's wins over its city's
    purchase_share: float = field(default_factory=lambda: default("purchase_share"))
    purchase_area_m2: float = field(default_factory=lambda: default("purchase_area_m2"))
    in_kind_area_m2: float = field(default_factory=lambda: default("in_kind_area_m2"))
    construction_cost_yuan_per_m2: float = field(default_factory=lambda: default("construction_cost_yuan_per_m2"))
    compensation_yuan_per_household: float | None = None  # None: from the roll
    policy: tuple[tuple[str, float], ...] = ()  # (band, share) changes to the policy table
    fallback_share: float = field(default_factory=lambda: default("fallback_share"))
    rule_2018_months: float = field(default_factory=lambda: default("rule_2018_months"))
    years: tuple[int, ...] = ()  # plan years; () = the year of the period
    province_code: str | None = None
    period: str | None = None
    window_months: int = 12
    name: str = ""

    @property
    def override_map(self) -> dict[str, float]:
        return dict(self.overrides)

    @property
    def policy_shares(self) -> dict[str, float]:
        """The policy table in force: the defaults with this scenario's changes."""
        return {**default("policy_table"), **dict(self.policy)}

    def changes(self) -> dict[str, Any]:
        """The settings that differ from a default scenario (what a link or a JSON file carries)."""
        base = Scenario()
        out = {}
        for f in dataclasses.fields(self):
            v = getattr(self, f.name)
            if v != getattr(base, f.name):
                out[f.name] = dict(v) if f.name in ("overrides", "policy") else list(v) if f.name == "years" else v
        return out

    def replace(self, **changes: Any) -> Scenario:
        """A new scenario with ``changes`` applied and validated (this one is left as it is)."""
        return make_scenario({**self.changes(), **changes})

    def baseline(self) -> Scenario:
        """The baseline for the same data selection: every parameter at its default."""
        return Scenario(years=self.years, province_code=self.province_code, period=self.period,
                        window_months=self.window_months, name="基准")  # fmt: skip


FIELDS = {f.name for f in dataclasses.fields(Scenario)}


def validate(changes: dict[str, Any]) -> list[str]:
    """Every reason the changes are refused (empty when they are fine)."""
    problems: list[str] = _check_shapes(changes)
    if problems:  # a tampered link or file: the rest cannot be read safely
        return problems
    params = parameters()
    unknown = sorted(set(changes) - FIELDS)
    if unknown:
        problems.append("未知的情景参数：" + "、".join(unknown))
    preset = _preset(changes)
    if preset not in PRESETS:
        problems.append(f"未知的预设「{preset}」：可选 {' | '.join(PRESETS)}")
    share = changes.get("share")
    if share is not None:
        problems.append(check(params["monetised_share"], share, "全省货币化安置比例"))
        if preset != "uniform":
            problems.append(f"全省统一比例只用于预设 uniform，不能与预设「{preset}」同时使用")
    elif preset == "uniform":
        problems.append("预设 uniform（全省统一比例）需要给出比例，如 --share 0.6")
    for name in ("purchase_share", "purchase_area_m2", "in_kind_area_m2", "construction_cost_yuan_per_m2",
                 "fallback_share", "rule_2018_months"):  # fmt: skip
        if name in changes:
            problems.append(check(params[name], changes[name]))
    if changes.get("compensation_yuan_per_household") is not None:
        problems.append(check(params["compensation_yuan_per_household"], changes["compensation_yuan_per_household"]))
    problems += _check_overrides(changes.get("overrides") or {}, changes.get("province_code"))
    for band, value in dict(changes.get("policy") or {}).items():
        if band not in band_keys():
            problems.append(f"政策表没有分档「{band}」：可选 {'、'.join(band_keys())}")
        else:
            problems.append(check(params["policy_table"], value, f"政策表 {band} 个月分档的比例"))
    for y in changes.get("years") or ():
        if isinstance(y, bool) or not isinstance(y, int) or y not in YEARS:
            problems.append(f"计划年度「{y}」无效")
    if changes.get("window_months", 12) not in WINDOWS:
        problems.append(f"月均销售窗口「{changes.get('window_months')}」无效：应为 6 或 12")
    province = changes.get("province_code")
    if province is not None:
        reg = load_registry()
        if province not in reg.regions or reg.get(province).level != "province":
            problems.append(f"省份代码「{province}」无效")
    return [p for p in problems if p]


def _check_shapes(changes: dict[str, Any]) -> list[str]:
    """Each value of the kind its parameter takes (links and files come from outside)."""
    import re

    problems = []
    if not isinstance(changes.get("overrides", {}) or {}, dict):
        problems.append("地区比例设定（overrides）应为「地区代码: 比例」")
    if not isinstance(changes.get("policy", {}) or {}, dict):
        problems.append("政策表（policy）应为「分档: 比例」")
    years = changes.get("years", ()) or ()
    if not isinstance(years, (list, tuple)):
        problems.append(f"计划年度「{years}」应为年份的列表，如 [2016, 2017]")
    period = changes.get("period")
    if period is not None and not (isinstance(period, str) and re.fullmatch(r"\d{4}-(0[1-9]|1[0-2])", period)):
        problems.append(f"统计月份「{period}」无效：应为 YYYY-MM")
    for key in ("name", "preset", "province_code"):
        value = changes.get(key)
        if value is not None and not isinstance(value, str):
            problems.append(f"情景参数 {key} 应为文字")
    for key in ("share", "purchase_share", "purchase_area_m2", "in_kind_area_m2", "construction_cost_yuan_per_m2",
                "compensation_yuan_per_household", "fallback_share", "rule_2018_months"):  # fmt: skip
        value = changes.get(key)
        if value is not None and (isinstance(value, bool) or not isinstance(value, (int, float)) or abs(value) > 1e12):
            problems.append(f"情景参数 {key} 的值「{value}」不是合理的数字")
    for mapping in (changes.get("overrides"), changes.get("policy")):
        if isinstance(mapping, dict):
            for k, v in mapping.items():
                if isinstance(v, bool) or not isinstance(v, (int, float)) or abs(v) > 1e12:
                    problems.append(f"「{k}」的比例「{v}」不是数字")
    return problems


def _preset(changes: dict[str, Any]) -> str:
    """A share given with no preset means one share for all."""
    return changes.get("preset") or ("uniform" if changes.get("share") is not None else "plan_targets")


def _check_overrides(overrides: dict, province: str | None) -> list[str]:
    reg = load_registry()
    problems = []
    share = parameters()["monetised_share"]
    for code, value in dict(overrides).items():
        code = str(code)
        region = reg.regions.get(code)
        if region is None:
            problems.append(f"未知地区代码「{code}」：行政区划名录中没有这个代码")
            continue
        if region.level not in ("city", "county"):
            problems.append(f"「{region.name}」是省级地区：全省比例请用全省统一比例（--share）设定")
            continue
        if province and region.province_code != province:
            problems.append(f"「{region.name}」（{code}）不在所选省份内")
        problems.append(check(share, value, f"「{region.name}」的货币化安置比例"))
    return problems


def make_scenario(changes: dict[str, Any]) -> Scenario:
    """A scenario from a dict of changes to the defaults, validated whole (:class:`ScenarioError`)."""
    problems = validate(changes)
    if problems:
        raise ScenarioError(problems)
    kw = dict(changes, preset=_preset(changes))
    for name in ("share", "purchase_share", "purchase_area_m2", "in_kind_area_m2", "construction_cost_yuan_per_m2",
                 "compensation_yuan_per_household", "fallback_share", "rule_2018_months"):  # fmt: skip
        if kw.get(name) is not None:
            kw[name] = float(kw[name])
    if "overrides" in kw:
        kw["overrides"] = _pairs(kw["overrides"] or {})
    if "policy" in kw:
        kw["policy"] = _pairs(kw["policy"] or {})
    if "years" in kw:
        kw["years"] = tuple(sorted(set(kw["years"] or ())))
    return Scenario(**kw)
