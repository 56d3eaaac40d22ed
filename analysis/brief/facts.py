"""What a brief and a 通报 are made of, gathered with the functions the pages use (no figure of their own).

For a province: its row of ``metrics.compute`` at the province level, its cities and its counties, the
headline figures of 总览 (:func:`analysis.headline.overview` with the like-for-like changes), the laggard
rule of 总览 (:func:`analysis.progress.behind_curve` on the cities) and the money still needed of 货币化安置
(:func:`analysis.resettlement.cash_still_needed`). For a city: the same, its row taken from the cities of
its province as 地区详情 takes it, its counties in place of the cities.

``compute(level, period, scope=None, only=None, years=None)`` is how the figures are asked for: the page
passes ``ui.data.compute_for(sel)`` (its cache), the command line :func:`connection_compute` on the store.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

import duckdb
import pandas as pd

from analysis import headline, metrics, progress, resettlement
from analysis.regions import load_registry

Compute = Callable[..., pd.DataFrame]
LEVELS = ("province", "city")


class NotBriefable(ValueError):
    """The view has no brief (a county, a region without data, a month outside the data): the message is
    Chinese and says what to do instead."""


@dataclass(frozen=True)
class Source:
    """Where the figures come from: ``compute`` bound to one sales window, the months with inventory data,
    whether the store is the synthetic demo, and its version (printed in the footnotes)."""

    compute: Compute
    periods: tuple[str, ...]
    window: int
    is_synthetic: bool = False
    version: int | None = None


@dataclass(frozen=True)
class Facts:
    code: str
    name: str
    level: str  # province | city
    province_code: str
    period: str
    window: int
    thresholds: progress.Thresholds
    row: pd.Series  # the region's metrics row
    subs: pd.DataFrame  # its cities (or counties), by 去化周期 from high to low as the page ranks them
    counties: pd.DataFrame  # every county under it
    figures: tuple[headline.Figure, ...]  # the five headline figures of 总览
    behind: pd.DataFrame  # progress.behind_curve(subs): every sub-region with a plan, flag and rule
    money: pd.DataFrame  # resettlement.cash_still_needed(subs), in the order of ``subs``
    is_synthetic: bool = False
    version: int | None = None

    @property
    def sub_level(self) -> str:
        return "city" if self.level == "province" else "county"

    @property
    def scope_word(self) -> str:
        """全省 / 全市."""
        return "全省" if self.level == "province" else "全市"

    @property
    def sub_word(self) -> str:
        """城市 / 县（市、区）."""
        return "城市" if self.level == "province" else "县（市、区）"

    @property
    def expected_share(self) -> float:
        return progress.expected_share(self.period)

    @property
    def flagged(self) -> pd.DataFrame:
        return self.behind[self.behind.flag.notna()]

    def counted(self, column: str) -> int:
        """Counties with a value of ``column`` (planned_households: a plan; households: a roll)."""
        return int(self.counties[column].notna().sum())


def connection_compute(con: duckdb.DuckDBPyConnection, window: int) -> Compute:
    """``compute`` on a store connection, each query computed once (the changes ask for the same counties)."""
    cache: dict[tuple, pd.DataFrame] = {}

    def compute(level, period, scope=None, only=None, years=None):
        key = (level, period, scope, tuple(only) if only is not None else None, tuple(years or ()))
        if key not in cache:
            query = metrics.MetricsQuery(
                level=level, scope=scope, period=period, window_months=window, years=tuple(years or ()), only=only
            )
            cache[key] = metrics.compute(con, query)
        return cache[key]

    return compute


def check_view(source: Source, code: str, period: str | None) -> tuple[str, str, str]:
    """``(level, province_code, period)`` of a briefable view, or :class:`NotBriefable` saying why not."""
    reg = load_registry()
    if code not in reg.regions:
        raise NotBriefable(f"无法识别地区代码「{code}」")
    r = reg.get(code)
    if r.level not in LEVELS:
        parent = reg.name(r.parent_code) if r.parent_code in reg.regions else "所在市"
        raise NotBriefable(f"简报按省或市生成：「{r.name}」是县（市、区），请生成{parent}的简报")
    if not source.periods:
        raise NotBriefable("还没有商品住房库存数据，无法生成简报：请先导入库存报表或写入演示数据")
    period = period or source.periods[-1]
    if period not in source.periods:
        first, last = source.periods[0], source.periods[-1]
        raise NotBriefable(f"数据中没有 {period} 的库存数据：已有 {first} 至 {last}（共 {len(source.periods)} 个月）")
    province = code if r.level == "province" else r.province_code
    return r.level, province, period


def gather(
    source: Source, code: str, period: str | None = None, thresholds: progress.Thresholds | None = None
) -> Facts:
    """The facts of the brief of province or city ``code`` at ``period`` (default: the latest month)."""
    level, province, period = check_view(source, code, period)
    thresholds = thresholds or progress.Thresholds()
    compute = source.compute
    cities = compute("city", period, scope=province)
    if level == "province":
        frame = compute("province", period, scope=province)
        if frame.empty:
            raise NotBriefable(f"「{load_registry().name(code)}」没有数据")
        row = frame.iloc[0].copy()
        subs = cities
    else:
        if code not in set(cities.region_code):
            raise NotBriefable(f"「{load_registry().name(code)}」所在省份没有数据")
        row = cities.set_index("region_code").loc[code].copy()
        row["region_code"] = code
        subs = compute("county", period, scope=code)
    if not len(subs):
        raise NotBriefable(f"「{row.region_name}」没有下属地区的数据")
    subs = subs.sort_values("destock_months", ascending=False, na_position="last").reset_index(drop=True)
    months = list(source.periods)
    figures = headline.overview(
        row,
        headline.like_for_like(compute, row, months, 1, "环比"),
        headline.like_for_like(compute, row, months, 12, "同比"),
        headline.like_for_like(compute, row, months, 12, "同比", by="plan"),
    )
    return Facts(
        code=code,
        name=str(row.region_name),
        level=level,
        province_code=province,
        period=period,
        window=source.window,
        thresholds=thresholds,
        row=row,
        subs=subs,
        counties=compute("county", period, scope=code),
        figures=tuple(figures),
        behind=progress.behind_curve(subs, period, thresholds),
        money=resettlement.cash_still_needed(subs),
        is_synthetic=source.is_synthetic,
        version=source.version,
    )
