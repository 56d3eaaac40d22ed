"""One number format for pages, exports, the command line and reports, read from the catalogue.

Every column has one display unit and one number of decimals (``analysis/catalogue/columns.yaml``); a
value is divided into its display unit, rounded half away from zero (as DuckDB's ``round`` does, so a band
decided in SQL always agrees with the number printed beside it) and written with thousands separators.
Values carry their unit with no space (``2,294.12万㎡``, ``18.0个月``, ``45.2%``, ``530,000户``); a change
uses the same unit form as its value (``−88.03万㎡``, ``+2.1个百分点``).

>>> value("saleable_area_m2", 22_941_234.5)
'2,294.12万㎡'
>>> value("destock_months", 17.95), value("monetised_share", 0.4525), value("planned_households", 530000)
('18.0个月', '45.3%', '530,000户')
>>> change("saleable_area_m2", -880_300), change("monetised_share", 0.021), change("planned_households", -20000)
('−88.03万㎡', '+2.1个百分点', '−20,000户')
>>> value("destock_months", None, none="无成交")
'无成交'
"""

from __future__ import annotations

import math

from analysis import catalogue
from analysis.catalogue import round_half_away

MINUS = "−"  # U+2212: a real minus sign in text (exports keep numbers as numbers)
UNIT_WORDS = {"%": "%", "百分点": "个百分点"}  # how a unit reads after a number


def is_missing(x: object) -> bool:
    """None, NaN, pandas' NA and NaT."""
    if x is None:
        return True
    try:
        return bool(x != x)  # NaN and pd.NA (whose comparison raises) …
    except TypeError:
        return True


def scaled(column: str, x: object) -> float | None:
    """The value in its display unit, rounded to the column's decimals (what a table or export shows)."""
    if is_missing(x):
        return None
    spec = catalogue.column(column)
    return round_half_away(float(x) / spec.divisor, spec.decimals)


def _digits(v: float, decimals: int) -> str:
    text = f"{abs(v):,.{decimals}f}"
    return (MINUS + text) if v < 0 and float(text.replace(",", "")) != 0 else text


def number(column: str, x: object, *, none: str = "—") -> str:
    """The number in the column's display unit, without the unit: ``number("saleable_area_m2", 2.3e7) == '2,300.00'``."""
    v = scaled(column, x)
    return none if v is None else _digits(v, catalogue.column(column).decimals)


def unit_text(column: str) -> str:
    unit = catalogue.column(column).display_unit
    return UNIT_WORDS.get(unit, unit)


def value(column: str, x: object, *, none: str = "—") -> str:
    """A value with its unit (numbers), its Chinese label (enums) or as written (text)."""
    if is_missing(x):
        return none
    spec = catalogue.column(column)
    if spec.values and isinstance(x, str):
        return spec.value_label(x)
    if isinstance(x, bool) or type(x).__name__ in ("bool", "bool_"):  # numpy 2 calls its own bool "bool"
        return "是" if x else "否"
    if not spec.is_numeric or isinstance(x, str):
        return str(x)
    return number(column, x) + unit_text(column)


def change(column: str, d: object, *, none: str = "—") -> str:
    """A signed change in the unit form of the column's value (shares as 个百分点)."""
    if is_missing(d):
        return none
    spec = catalogue.column(column)
    v = round_half_away(float(d) / spec.divisor, spec.decimals)
    unit = "个百分点" if spec.display_unit == "%" else unit_text(column)
    if v == 0:
        return f"{0:.{spec.decimals}f}{unit}"
    return ("+" if v > 0 else MINUS) + f"{abs(v):,.{spec.decimals}f}{unit}"


def band(key: object) -> str:
    """``'6-12'`` → ``'6–12个月'``."""
    return "—" if is_missing(key) else catalogue.enum_label("destock_band", key)


def percent(x: object, decimals: int = 1, *, none: str = "—") -> str:
    """A share as a percentage with given decimals (rules print the precision that shows the side of a line)."""
    if is_missing(x):
        return none
    return _digits(round_half_away(float(x) * 100, decimals), decimals) + "%"


def months(x: object, *, none: str = "无成交") -> str:
    return value("destock_months", x, none=none)


def share(x: object, *, none: str = "—") -> str:
    return value("monetised_share", x, none=none)


def area(x: object, *, none: str = "—") -> str:
    return value("saleable_area_m2", x, none=none)


def households(x: object, *, none: str = "—") -> str:
    return value("planned_households", x, none=none)


def money(x: object, *, none: str = "—") -> str:
    return value("compensation_yuan", x, none=none)


def count(x: object, unit: str = "", *, none: str = "—") -> str:
    """A whole count with thousands separators: ``count(12345, '套') == '12,345套'``."""
    if is_missing(x):
        return none
    return _digits(round_half_away(float(x), 0), 0) + unit


def nice_step(top: float, ticks: int = 5) -> float:
    """A round tick step (1, 2, 2.5, 5 × 10ⁿ) so that about ``ticks`` steps reach ``top``."""
    if not top or top <= 0 or math.isnan(top):
        return 1.0
    raw = top / ticks
    power = 10 ** math.floor(math.log10(raw))
    for m in (1, 2, 2.5, 5, 10):
        if raw <= m * power:
            return m * power
    return 10 * power


def nice_range(top: float, ticks: int = 5) -> tuple[float, float]:
    """``(axis_top, step)``: the smallest multiple of a round step at or above ``top``."""
    step = nice_step(top, ticks)
    return step * max(1, math.ceil((top or 0) / step - 1e-9)), step
