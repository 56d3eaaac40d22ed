"""Naming a header no synonym names: every canonical column scored by the header's characters against
its vocabulary, the unit the header (or the group above it) states, and the values below it.

A clear winner is taken (and said, so the analyst can change it); two columns that score alike, or a
column with data that fits nothing, become a question for the mapping step.

>>> best = rank(["安置情况", "方式"], "households", ["货币化安置", "产权调换", "货币化安置"], set())
>>> best[0].column, best[0].score > best[1].score + 0.3
('mode', True)
>>> rank(["面积"], "households", ["48.6", "77.6", "47.6", "29.4"], set())[0].column
'original_area_m2'
>>> rank(["补偿（万元）"], "households", ["31.76", "29.73", ""], set())[0].column
'compensation_yuan'
"""

from __future__ import annotations

import re
from collections import Counter
from dataclasses import dataclass
from functools import lru_cache

from analysis import catalogue
from analysis.ingest.canonical import header_key
from analysis.ingest.values import CellError, clean_text, is_blank, parse_enum, parse_number, parse_period
from analysis.ingest.vocabulary import HARDSHIP_TERMS, HEADER_SYNONYMS, IGNORABLE_HEADERS, VALUE_SYNONYMS
from analysis.schema import ENUMS, TABLES

TAKE = 0.9  # a score at which a column is taken without asking …
MARGIN = 0.3  # … when the runner-up is this far behind
ASK = 0.5  # below this nothing fits: the column is asked about with 不导入 as the guess


@dataclass(frozen=True)
class Candidate:
    column: str
    score: float
    reason: str  # Chinese: why this column (the words, the unit, the values)


# the unit a column is stored in, and the written units that say it
UNIT_FAMILIES = {
    "area": ("㎡", "平方米", "m2", "米2", "平米"),
    "money": ("元", "万元"),
    "households": ("户",),
    "units": ("套",),
    "people": ("人",),
    "share": ("%", "％", "比例", "比重"),
    "degree": ("度",),
}
PLAUSIBLE = {  # the range a column's values fall in as clerks write them (any of its usual units)
    "members": (1, 20),
    "seismic_intensity": (5, 10),
    "original_area_m2": (5, 600),
    "purchased_area_m2": (20, 400),
    "compensation_yuan": (0.1, 1e7),
    "avg_price_yuan_per_m2": (300, 200_000),
    "planned_households": (1, 1e6),
}


def rank(parts: list[str], kind: str, samples: list[str], taken: set[str]) -> list[Candidate]:
    """The kind's columns not yet taken, best first (only those with any evidence)."""
    header = [clean_text(p) for p in parts if p]
    if not header:
        return []
    values = [v for v in (clean_text(s) for s in samples) if not is_blank(v)][:200]
    unit = _unit_family(" ".join(header))
    out = []
    for col in [*TABLES[kind].column_names, "region_name"]:
        if col in taken or col == "region_code" or (col == "region_name" and "region_code" in taken):
            continue
        words, why_words = _word_score(header, col)
        if words <= 0:
            continue
        fit, why_values = _value_score(col, values)
        unit_fit = _unit_score(col, unit)
        score = round(words + fit + unit_fit, 3)
        reasons = [why_words]
        if unit_fit > 0:
            reasons.append(f"单位为{unit_label(unit)}")
        if why_values:
            reasons.append(why_values)
        out.append(Candidate(col, score, "，".join(reasons)))
    return sorted(out, key=lambda c: -c.score)


def decide(candidates: list[Candidate]) -> tuple[str | None, bool]:
    """``(column, sure)``: the best candidate and whether it is taken without asking."""
    if not candidates or candidates[0].score < ASK:
        return None, False
    first = candidates[0]
    second = candidates[1].score if len(candidates) > 1 else 0.0
    return first.column, first.score >= TAKE and first.score - second >= MARGIN


def is_ignorable(parts: list[str]) -> bool:
    """序号, 备注, 乡镇（街道）, 所属市 …: columns that carry nothing the product keeps."""
    key = header_key("".join(parts[-1:]))
    return any(re.fullmatch(p, key) for p in IGNORABLE_HEADERS)


# words a header may be with its values to confirm it (too loose to be synonyms on their own)
SCORING_NAMES = {
    "channel": ("途径", "安置途径", "安置渠道", "购房途径", "房源渠道"),
    "mode": ("方式", "安置形式"),
    "original_area_m2": ("面积", "住房面积", "房屋面积"),
}


def is_known_value(value: str, kind: str) -> bool:
    """A value of one of the kind's columns with a value table (货币化安置, 政府收购 …)."""
    cols = [c for c in TABLES[kind].column_names if c in ENUMS]
    return any(_enum_fits(c, value) for c in cols)


def _names(col: str) -> tuple[str, ...]:
    spec = catalogue.columns().get(col)
    names = [n for n in HEADER_SYNONYMS.get(col, ()) if re.search(r"[\u4e00-\u9fff]", n)]
    names += SCORING_NAMES.get(col, ())
    if spec is not None:
        names += [spec.label, spec.short]
    return tuple(dict.fromkeys(n for n in names if n))


@lru_cache(maxsize=8192)
def _similar(header: str, name: str) -> float:
    """How much of the header the name holds (characters in order count double)."""
    if not header or not name:
        return 0.0
    common = sum((Counter(header) & Counter(name)).values())
    precision = common / len(header)
    if precision < 0.5:
        return 0.0
    recall = common / len(name)
    return 0.7 * precision + 0.3 * recall


def _word_score(header: list[str], col: str) -> tuple[float, str]:
    last = header_key(header[-1])
    joined = header_key("".join(header))
    best, why = 0.0, ""
    for name in _names(col):
        for text, weight in ((last, 1.0), (joined, 0.9)):
            s = _similar(text, name) * weight
            if s > best:
                best, why = s, f"表头与「{name}」相近"
    return round(best, 3), why


def _unit_family(text: str) -> str | None:
    inside = "".join(re.findall(r"[（(]([^）)]*)[）)]", text)) or text
    for family in ("area", "money", "share", "households", "units", "people", "degree"):
        if any(u in inside for u in UNIT_FAMILIES[family]):
            return family
    return None


def unit_label(family: str | None) -> str:
    return {"area": "面积", "money": "金额", "households": "户", "units": "套", "people": "人", "share": "比例",
            "degree": "度"}.get(family or "", "")  # fmt: skip


def _column_family(col: str) -> str | None:
    spec = catalogue.columns().get(col)
    unit = spec.unit if spec else ""
    return {"㎡": "area", "元": "money", "户": "households", "套": "units", "人": "people", "share": "share",
            "度": "degree"}.get(unit)  # fmt: skip


def _unit_score(col: str, unit: str | None) -> float:
    if unit is None:
        return 0.0
    family = _column_family(col)
    if family is None:
        return -0.3
    return 0.3 if family == unit else -0.6


def _value_score(col: str, values: list[str]) -> tuple[float, str]:
    """How well the values below the header fit the column (no values: no evidence either way)."""
    if not values:
        return 0.0, ""
    n = len(values)
    if col in ENUMS or col == "is_hardship":
        hits = sum(1 for v in values if _enum_fits(col, v))
        rate = hits / n
        if rate == 0:
            return -0.5, ""
        return 0.6 * rate, f"{hits}/{n} 个值是{catalogue.columns()[col].label}的取值"
    if col in ("signed_month", "relocated_month", "resettled_month", "period"):
        rate = sum(1 for v in values if _is_month(v)) / n
        return (0.5 * rate, "值是日期") if rate >= 0.8 else (-0.5, "")
    numbers = [x for x in (_number(v) for v in values) if x is not None]
    rate = len(numbers) / n
    spec = catalogue.columns().get(col)
    numeric = spec is not None and spec.is_numeric
    if col in ("plan_year", "year"):
        ok = sum(1 for x in numbers if 2000 <= x <= 2035 and x == int(x)) / n
        return (0.5 * ok, "值是年份") if ok >= 0.8 else (-0.5, "")
    if numeric:
        if rate < 0.8:
            return -0.5, ""
        low, high = PLAUSIBLE.get(col, (0, float("inf")))
        inside = sum(1 for x in numbers if low <= x <= high) / max(len(numbers), 1)
        if col == "purchased_area_m2" and len(numbers) == n:
            inside *= 0.5  # bought area is blank for in-kind households: a column full everywhere is rarely it
        return (0.3 * inside, "值为合理范围内的数字") if inside >= 0.8 else (-0.3, "")
    if col in ("project", "household_id", "region_name"):
        text = sum(1 for v in values if _number(v) is None) / n
        unique = len(set(values)) / n
        if col == "household_id":
            return (0.2, "值各不相同") if unique >= 0.9 else (-0.3, "")
        return (0.1, "") if text >= 0.8 else (-0.3, "")
    return 0.0, ""


def _enum_fits(col: str, value: str) -> bool:
    if col == "is_hardship":
        return any(t in value for t in HARDSHIP_TERMS) or value in ("是", "否")
    try:
        return parse_enum(value, ENUMS[col], VALUE_SYNONYMS.get(col, {})) is not None
    except CellError:
        return False


def _is_month(value: str) -> bool:
    try:
        return parse_period(value) is not None
    except CellError:
        return False


def _number(value: str) -> float | None:
    try:
        return parse_number(value)[0]
    except CellError:
        return None
