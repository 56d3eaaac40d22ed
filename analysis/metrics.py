"""The contract's metrics table for any level, region, period and window (SQL in ``sql/metrics``)."""

from __future__ import annotations

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
    }
    return db.query(con, "metrics/region_metrics", params)
