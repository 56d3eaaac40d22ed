"""Cached access to the store: one DuckDB connection per data version, cached metric frames."""

from __future__ import annotations

from dataclasses import dataclass

import duckdb
import pandas as pd
import streamlit as st

from analysis import headline, metrics
from analysis.store import Store, Version


@dataclass(frozen=True)
class DataState:
    data_dir: str
    version: int

    @property
    def store(self) -> Store:
        return Store(self.data_dir)


def current() -> DataState:
    """The data dir and its committed version (read on every rerun: one tiny file)."""
    store = Store()
    return DataState(str(store.data_dir), store.current_version())


@st.cache_resource(show_spinner=False, max_entries=4)
def _connection(data_dir: str, version: int) -> duckdb.DuckDBPyConnection:
    return Store(data_dir).connect()


def cursor(state: DataState) -> duckdb.DuckDBPyConnection:
    """A cursor on the cached connection (cursors may be used from several sessions at once)."""
    return _connection(state.data_dir, state.version).cursor()


@st.cache_data(show_spinner=False, max_entries=8)
def manifest(data_dir: str, version: int) -> Version:
    return Store(data_dir).manifest(version)


@st.cache_data(show_spinner=False, max_entries=8)
def provinces_with_data(data_dir: str, version: int) -> list[tuple[str, str]]:
    return metrics.provinces_with_data(cursor(DataState(data_dir, version)))


@st.cache_data(show_spinner=False, max_entries=8)
def periods(data_dir: str, version: int) -> list[str]:
    return metrics.periods(cursor(DataState(data_dir, version)))


@st.cache_data(show_spinner=False, max_entries=64)
def plan_years(data_dir: str, version: int, scope: str) -> list[int]:
    return metrics.plan_years(cursor(DataState(data_dir, version)), scope)


@st.cache_data(show_spinner=False, max_entries=512)
def metrics_frame(
    data_dir: str,
    version: int,
    level: str,
    scope: str | None,
    period: str | None,
    window: int,
    years: tuple[int, ...] = (),
    only: tuple[str, ...] | None = None,
) -> pd.DataFrame:
    con = cursor(DataState(data_dir, version))
    query = metrics.MetricsQuery(level=level, scope=scope, period=period, window_months=window, years=years, only=only)
    return metrics.compute(con, query)


@st.cache_data(show_spinner=False, max_entries=64)
def monthly_frame(data_dir: str, version: int, level: str, scope: str, window: int) -> pd.DataFrame:
    from analysis import series

    return series.monthly(cursor(DataState(data_dir, version)), level, scope, window)


@st.cache_data(show_spinner=False, max_entries=64)
def breakdown_frame(
    data_dir: str, version: int, level: str, scope: str, dimension: str, years: tuple[int, ...], rural: bool = False
) -> pd.DataFrame:
    from analysis import series

    return series.breakdown(cursor(DataState(data_dir, version)), level, scope, dimension, years, rural)


@st.cache_data(show_spinner=False, max_entries=16)
def submissions_frame(data_dir: str, version: int, scope: str, first: str, last: str) -> pd.DataFrame:
    from analysis import series

    return series.submissions(cursor(DataState(data_dir, version)), scope, first, last)


def metrics_for(
    sel,
    level: str,
    scope: str | None = None,
    period: str | None = None,
    window: int | None = None,
    years: tuple[int, ...] | None = (),
    only: tuple[str, ...] | None = None,
) -> pd.DataFrame:
    """Metrics for the sidebar's selection (scope defaults to the selected province)."""
    return metrics_frame(
        sel.state.data_dir,
        sel.state.version,
        level,
        scope or sel.province_code,
        period or sel.period,
        window or sel.window,
        tuple(years or ()),
        only,
    )


def compute_for(sel):
    """The ``compute(level, period, scope=, only=, years=)`` the headline figures ask for, on the cache."""

    def compute(level, period, scope=None, only=None, years=None):
        return metrics_for(sel, level, scope=scope, period=period, years=years, only=only)

    return compute


def overview_figures(sel) -> tuple[pd.Series, list]:
    """总览's province row and its headline figures (each with its 环比 / 同比 change), on the cache."""
    prov = metrics_for(sel, "province").iloc[0]
    compute, months = compute_for(sel), list(sel.periods)
    return prov, headline.overview(
        prov,
        headline.like_for_like(compute, prov, months, 1, "环比"),
        headline.like_for_like(compute, prov, months, 12, "同比"),
        headline.like_for_like(compute, prov, months, 12, "同比", by="plan"),
    )


def province_monthly(sel) -> pd.DataFrame:
    """The province's monthly stock, sales and 去化周期 over the window (总览's trend charts)."""
    return monthly_frame(sel.state.data_dir, sel.state.version, "province", sel.province_code, sel.window)
