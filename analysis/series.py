"""Monthly series, household breakdowns and submission status (the SQL lives in ``sql/metrics``)."""

from __future__ import annotations

import duckdb
import pandas as pd

from analysis import db

DIMENSIONS = ("mode", "channel", "status", "category", "hazard_grade", "seismic_intensity", "is_hardship")


def monthly(
    con: duckdb.DuckDBPyConnection, level: str, scope: str, window_months: int = 12, period: str | None = None
) -> pd.DataFrame:
    """Per region at ``level`` under ``scope`` and per month: stock, sales and the 去化周期 of that month."""
    params = {"level": level, "scope": scope, "period": period, "window_months": window_months}
    return db.query(con, "metrics/region_monthly", params)


def breakdown(
    con: duckdb.DuckDBPyConnection, level: str, scope: str, dimension: str, years: tuple[int, ...], rural: bool = False
) -> pd.DataFrame:
    """Household counts per region and per value of one dimension (e.g. channel, status)."""
    if dimension not in DIMENSIONS:
        raise ValueError(f"dimension must be one of {DIMENSIONS}")
    params = {"level": level, "scope": scope, "dimension": dimension, "years": list(years), "rural": rural}
    return db.query(con, "metrics/household_breakdown", params)


def submissions(con: duckdb.DuckDBPyConnection, scope: str, first_period: str, last_period: str) -> pd.DataFrame:
    """One row per county and month: whether inventory was submitted (报送进度), and by which version."""
    return db.query(
        con, "metrics/submissions", {"scope": scope, "first_period": first_period, "last_period": last_period}
    )


def previous_period(period: str, months: int) -> str:
    """``previous_period('2017-03', 12) == '2016-03'``."""
    y, m = int(period[:4]), int(period[5:7])
    total = y * 12 + (m - 1) - months
    return f"{total // 12:04d}-{total % 12 + 1:02d}"
