"""Chinese number formats for display: 万 / 亿, 万㎡, %, 个月 (storage keeps base units)."""

from __future__ import annotations

import math


def _missing(x: object) -> bool:
    return x is None or (isinstance(x, float) and math.isnan(x))


def count(x: object) -> str:
    """Households, units: ``12345 → '1.23万'``, ``980 → '980'``."""
    if _missing(x):
        return "—"
    x = float(x)
    if abs(x) >= 1e8:
        return f"{x / 1e8:,.{_digits(x / 1e8)}f}亿"
    if abs(x) >= 1e4:
        return f"{x / 1e4:,.{_digits(x / 1e4)}f}万"
    return f"{x:,.0f}"


def _digits(x: float) -> int:
    """Fewer decimals for bigger numbers, so a figure stays short: 2,344 / 123.5 / 12.35."""
    return 0 if abs(x) >= 100 else 1 if abs(x) >= 10 else 2


def number(x: object, divisor: float = 1.0, digits: int | None = None, none: str = "—") -> str:
    """A bare number for a label that carries the unit: ``number(23439841, 1e4) == '2,344'``."""
    if _missing(x):
        return none
    v = float(x) / divisor
    return f"{v:,.{_digits(v) if digits is None else digits}f}"


def area_wan_m2(x: object) -> str:
    """Area in ㎡ shown in 万㎡: ``1234567 → '123万㎡'``, ``23439841 → '2,344万㎡'``."""
    if _missing(x):
        return "—"
    v = float(x) / 1e4
    return f"{v:,.{_digits(v)}f}万㎡"


def money(x: object) -> str:
    """Yuan shown in 亿元 or 万元: ``3.7e10 → '370.01亿元'``."""
    if _missing(x):
        return "—"
    x = float(x)
    if abs(x) >= 1e8:
        return f"{x / 1e8:,.{_digits(x / 1e8)}f}亿元"
    return f"{x / 1e4:,.{_digits(x / 1e4)}f}万元"


def share(x: object) -> str:
    return "—" if _missing(x) else f"{float(x) * 100:.1f}%"


def months(x: object, *, none: str = "无成交") -> str:
    return none if _missing(x) else f"{float(x):.1f}个月"


def price(x: object) -> str:
    return "—" if _missing(x) else f"{float(x):,.0f}元/㎡"


# how each metric column is shown in tables (CLI table, pages, exports with display values)
DISPLAY = {
    "saleable_area_m2": area_wan_m2, "avg_monthly_sold_m2": area_wan_m2, "absorbed_area_m2": area_wan_m2,
    "unallocated_affordable_area_m2": area_wan_m2, "destock_months": months, "destock_months_after": months,
    "destock_months_units": months, "planned_households": count, "households": count,
    "monetised_households": count, "in_kind_households": count, "undecided_households": count,
    "resettled_households": count, "hardship_households": count, "rural_households": count,
    "saleable_units": count, "absorbed_units": count, "unallocated_affordable_units": count,
    "monetised_share": share, "target_monetised_share": share, "recommended_monetised_share": share,
    "completion_share": share, "absorbed_share": share, "compensation_yuan": money,
    "avg_price_yuan_per_m2": price, "cash_needed_yuan": money, "construction_cost_yuan": money,
    "construction_area_m2": area_wan_m2, "destock_band": lambda b: band(b),
}  # fmt: skip


def band(value: object) -> str:
    """``'6-12'`` → ``'6–12个月'``."""
    from analysis.glossary import ENUM_LABELS

    return "—" if _missing(value) else ENUM_LABELS["destock_band"].get(str(value), str(value))


def display(column: str, value: object) -> str:
    f = DISPLAY.get(column)
    if f is not None:
        return f(value)
    return "—" if _missing(value) else str(value)
