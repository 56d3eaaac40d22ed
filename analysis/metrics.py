"""The contract's metrics table for any level, region, period and window (SQL in ``sql/metrics``).

Beside the contract's columns every row says how much its figures rest on: ``counties_reporting`` of
``counties_total``, ``months_with_data`` and ``window_complete``, ``destock_status`` (有数值 / 无成交 / 未报送)
and ``thin_reason``, the sentence a table, a map or a card shows when the figure is thin.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

import duckdb
import pandas as pd

from analysis import catalogue, db

CONTRACT_COLUMNS = [
    "region_code", "region_name", "level", "period", "saleable_area_m2", "avg_monthly_sold_m2",
    "destock_months", "destock_band", "land_supply_advice", "planned_households", "households",
    "monetised_households", "in_kind_households", "undecided_households", "monetised_share",
    "target_monetised_share", "recommended_monetised_share", "absorbed_area_m2", "destock_months_after",
    "compensation_yuan", "resettled_households", "completion_share",
    # coverage, on every row (the honest-numbers extension of the contract)
    "counties_reporting", "counties_total", "months_with_data", "window_complete",
]  # fmt: skip
LEVELS = ("province", "city", "county")
WINDOWS = (6, 12)


@dataclass(frozen=True)
class MetricsQuery:
    level: str = "city"
    scope: str | None = None  # region code: that region and the regions under it
    period: str | None = None  # 'YYYY-MM'; default: the latest month in the inventory
    window_months: int = 12
    years: tuple[int, ...] = field(default=())  # plan years; default: the year of ``period``
    purchase_share: float = field(default_factory=lambda: catalogue.default("purchase_share"))
    purchase_area_m2: float = field(default_factory=lambda: catalogue.default("purchase_area_m2"))
    only: tuple[str, ...] | None = None  # county codes: compute on these counties alone (like for like)

    def __post_init__(self) -> None:
        if self.level not in LEVELS:
            raise ValueError(f"level must be one of {LEVELS}")
        if self.window_months not in WINDOWS:
            raise ValueError(f"window_months must be one of {WINDOWS}")


def periods(con: duckdb.DuckDBPyConnection) -> list[str]:
    """Every month with inventory data, oldest first."""
    return db.query(con, "meta/periods").period.tolist()


def latest_period(con: duckdb.DuckDBPyConnection) -> str | None:
    months = periods(con)
    return months[-1] if months else None


def plan_years(con: duckdb.DuckDBPyConnection, scope: str) -> list[int]:
    """The plan years with a plan or a household of the roll under ``scope`` (a region code), oldest first."""
    return [int(y) for y in db.query(con, "meta/plan_years", {"scope": scope}).year]


def provinces_with_data(con: duckdb.DuckDBPyConnection) -> list[tuple[str, str]]:
    """(code, name) of every province with any data."""
    frame = db.query(con, "meta/provinces_with_data")
    return list(zip(frame.province_code, frame.province_name))


def resolve(con: duckdb.DuckDBPyConnection, query: MetricsQuery) -> MetricsQuery:
    """Fill the defaults that depend on the data (period, years)."""
    period = query.period or latest_period(con)
    if period is None:  # no inventory at all: take the latest plan year
        year = db.scalar(con, "meta/latest_plan_year")
        period = f"{int(year)}-12" if not pd.isna(year) else "2017-12"
    years = query.years or (int(period[:4]),)
    return MetricsQuery(
        query.level,
        query.scope,
        period,
        query.window_months,
        tuple(years),
        query.purchase_share,
        query.purchase_area_m2,
        query.only,
    )


def compute(con: duckdb.DuckDBPyConnection, query: MetricsQuery) -> pd.DataFrame:
    """One row per region: the contract's columns first, then supporting figures."""
    q = resolve(con, query)
    params = {
        "level": q.level,
        "scope": q.scope,
        "period": q.period,
        "window_months": q.window_months,
        "years": list(q.years),
        "purchase_share": q.purchase_share,
        "purchase_area_m2": q.purchase_area_m2,
        "only": list(q.only) if q.only is not None else None,
    }
    frame = db.query(con, "metrics/region_metrics", params)
    frame["thin_reason"] = [
        thin_reason(level, n, m, months, complete, q.window_months)
        for level, n, m, months, complete in zip(
            frame.level, frame.counties_reporting, frame.counties_total, frame.months_with_data, frame.window_complete
        )
    ]
    frame["data_note"] = [
        data_note(s, r, m) for s, r, m in zip(frame.destock_status, frame.thin_reason, frame.counties_total)
    ]
    return frame


def data_note(status: str, thin: str, total: int) -> str:
    """What a table's 数据说明 cell says: 未报送, 无成交 (reported, nothing sold), or the thin-data reason.

    >>> data_note("not_reported", "", 1), data_note("no_sales", "", 1), data_note("ok", "3/10 县已报送", 10)
    ('未报送', '无成交', '3/10 县已报送')
    >>> data_note("not_reported", "", 10)
    '0/10 县已报送'
    """
    if status == "not_reported":
        return "未报送" if total <= 1 else f"0/{total} 县已报送"
    notes = ["无成交"] if status == "no_sales" else []
    return "；".join([*notes, *([thin] if thin else [])])


def compact_note(note: str) -> str:
    """The 数据说明 cell as a narrow table column shows it (the downloads keep the full wording).

    >>> compact_note("6/7 县已报送；仅 3 个月数据"), compact_note("无成交"), compact_note("0/10 县已报送")
    ('6/7 县，3 个月', '无成交', '0/10 县')
    """
    short = re.sub(r"(\d+/\d+) 县已报送", r"\1 县", note or "")
    return re.sub(r"仅 (\d+) 个月数据", r"\1 个月", short).replace("；", "，")


COMPACT_NOTE_LEGEND = (
    "说明列：“6/7 县”即 7 个县（市、区）中 6 个已报送；“3 个月”即窗口内仅 3 个月有数据；下载文件中为完整说明。"
)


def thin_reason(level: str, reporting: int, total: int, months: int, complete: bool, window: int = 12) -> str:
    """Why a region's figure rests on less than it seems: ``'3/10 县已报送；仅 2 个月数据'`` (``''`` when it does not).

    >>> thin_reason("city", 3, 10, 2, False, 12), thin_reason("county", 1, 1, 12, True, 12)
    ('3/10 县已报送；仅 2 个月数据', '')
    >>> thin_reason("county", 0, 1, 0, False, 12)
    ''
    """
    if not reporting:
        return ""  # no figure at all: shown as 未报送, not as a thin one
    parts = []
    if level != "county" and reporting < total:
        parts.append(f"{reporting}/{total} 县已报送")
    if not complete:
        parts.append(f"仅 {months} 个月数据")
    return "；".join(parts)
