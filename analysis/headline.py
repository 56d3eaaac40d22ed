"""The headline figures of a region at a month: value, change and what the change compares with.

The overview, the detail page and the brief print these, so a figure reads the same everywhere.
"""

from __future__ import annotations

from dataclasses import dataclass

import pandas as pd

from analysis import catalogue
from analysis import format as fmt


@dataclass(frozen=True)
class Figure:
    key: str  # the metric column
    label: str
    value: str
    change: str | None = None
    note: str | None = None
    help: str = ""
    tone: str | None = None  # good | bad


def _change(
    column: str, now: object, before: object, what: str, fewer_is_better: bool
) -> tuple[str | None, str | None]:
    if fmt.is_missing(now) or fmt.is_missing(before):
        return None, None
    d = float(now) - float(before)
    tone = None if d == 0 else ("good" if (d < 0) == fewer_is_better else "bad")
    return f"{fmt.change(column, d)} {what}", tone


def overview(now: pd.Series, month_before: pd.Series | None, year_before: pd.Series | None) -> list[Figure]:
    """The five headline figures of 总览 for one region (rows of ``metrics.compute``)."""
    year = str(now.period)[:4]
    out = []
    change, tone = _change(
        "planned_households", now.planned_households, None if year_before is None else year_before.planned_households,
        "同比", False,
    )  # fmt: skip
    out.append(Figure("planned_households", "计划改造户数", fmt.households(now.planned_households), change,
                      help=f"{year} 年度计划；同比为上年度计划"))  # fmt: skip
    out.append(
        Figure(
            "resettled_households",
            "已安置户数",
            fmt.households(now.resettled_households),
            f"完成率 {fmt.share(now.completion_share)}",
            help=catalogue.formula("completion_share"),
        )  # fmt: skip
    )
    target = now.target_monetised_share
    tone = None
    if not fmt.is_missing(now.monetised_share) and not fmt.is_missing(target):
        tone = "good" if float(now.monetised_share) >= float(target) else "bad"
    out.append(
        Figure(
            "monetised_share",
            "货币化安置比例",
            fmt.share(now.monetised_share),
            f"目标 {fmt.share(target)}",
            help=catalogue.formula("monetised_share"),
            tone=tone,
        )  # fmt: skip
    )
    change, tone = _change(
        "saleable_area_m2", now.saleable_area_m2, None if month_before is None else month_before.saleable_area_m2,
        "环比", True,
    )  # fmt: skip
    out.append(Figure("saleable_area_m2", "可售面积", fmt.area(now.saleable_area_m2), change, tone=tone,
                      help=catalogue.formula("saleable_area_m2")))  # fmt: skip
    change, tone = _change(
        "destock_months",
        now.destock_months,
        None if month_before is None else month_before.destock_months,
        "环比",
        True,
    )
    out.append(Figure("destock_months", "去化周期", fmt.months(now.destock_months), change, tone=tone,
                      help=catalogue.formula("destock_months")))  # fmt: skip
    return out


def absorption(row: pd.Series) -> str | None:
    """``货币化安置 N 户 → 消化存量商品住房 X 套 / Y 万㎡ / 占存量 Z%`` (the reporting pattern of Qinghai 2015)."""
    if fmt.is_missing(row.monetised_households) or not row.monetised_households:
        return None
    return (
        f"货币化安置 {fmt.households(row.monetised_households)} → 消化存量商品住房 {fmt.count(row.absorbed_units, '套')} / "
        f"{fmt.area(row.absorbed_area_m2)} / 占存量 {fmt.share(row.absorbed_share)}"
    )


def absorption_basis(row: pd.Series) -> str:
    """How the absorption is estimated, with the defaults of the catalogue."""
    return (
        f"按 {fmt.percent(catalogue.default('purchase_share'), 0)} 的货币化安置户购房、"
        f"户均 {catalogue.default('purchase_area_m2'):g}㎡ 估算；若全部来自存量，去化周期由 {fmt.months(row.destock_months)} "
        f"降至 {fmt.months(row.destock_months_after)}"
    )
