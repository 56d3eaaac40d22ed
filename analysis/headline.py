"""The headline figures of a region at a month: value, change like for like, and what the figure rests on.

The overview, the detail page and the brief print these, so a figure reads the same everywhere.

- A change compares the **same counties** in both months (those that reported in both), and says how many
  when that is fewer than reported now; a month the store does not hold gives "无可比数据".
- A figure whose counties did not all report says "N/M 县已报送"; one whose window is short says
  "仅 N 个月数据" instead of passing for a 12-month figure.

``compute(level, period, only=None, years=None)`` is how the caller gets a metrics frame (the page passes
its cached query, the command line the store's).
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

import pandas as pd

from analysis import catalogue
from analysis import format as fmt
from analysis.series import previous_period

Compute = Callable[..., pd.DataFrame]
NO_BASIS = "无可比数据"


@dataclass(frozen=True)
class Figure:
    key: str  # the metric column
    label: str
    value: str
    change: str | None = None
    note: str | None = None
    help: str = ""
    tone: str | None = None  # good | bad


@dataclass(frozen=True)
class Comparison:
    """One region at two months, over the counties that reported in both."""

    label: str  # 环比 | 同比
    period: str  # the earlier month
    now: pd.Series | None = None
    before: pd.Series | None = None
    counties: int = 0  # in common
    of: int = 0  # reporting now

    @property
    def available(self) -> bool:
        return self.now is not None and self.before is not None

    def text(self, column: str) -> str:
        """``−37.40万㎡ 环比（110 县同口径）`` or ``无可比数据``."""
        if not self.available or fmt.is_missing(self.now[column]) or fmt.is_missing(self.before[column]):
            return f"{self.label} {NO_BASIS}"
        d = float(self.now[column]) - float(self.before[column])
        same = f"（{self.counties} 县同口径）" if self.counties < self.of else ""
        return f"{fmt.change(column, d)} {self.label}{same}"

    def delta(self, column: str) -> float | None:
        if not self.available or fmt.is_missing(self.now[column]) or fmt.is_missing(self.before[column]):
            return None
        return float(self.now[column]) - float(self.before[column])


def _reporting(frame: pd.DataFrame) -> set[str]:
    return set(frame.region_code[frame.counties_reporting > 0])


def like_for_like(
    compute: Compute, region: pd.Series, periods: list[str], months: int, label: str, *, by: str = "stock"
) -> Comparison:
    """``region`` (a metrics row at its period) against ``months`` earlier, over the counties both months share.

    ``by="stock"``: counties that reported stock in both months; ``by="plan"``: counties with a plan in both
    years (a year-on-year change of the plan).
    """
    now_period = str(region.period)
    before = previous_period(now_period, months)
    if by == "stock" and before not in periods:
        return Comparison(label, before)
    level = str(region.level)
    code = str(region["region_code"]) if "region_code" in region.index else str(region.name)
    if by == "plan":
        year = int(now_period[:4])
        now_c = compute("county", now_period, scope=code, years=(year,))
        before_c = compute("county", before, scope=code, years=(year - 1,))
        have_now = set(now_c.region_code[now_c.planned_households.notna()])
        common = have_now & set(before_c.region_code[before_c.planned_households.notna()])
        years_now, years_before = (year,), (year - 1,)
    else:
        now_c = compute("county", now_period, scope=code)
        before_c = compute("county", before, scope=code)
        have_now = _reporting(now_c)
        common = have_now & _reporting(before_c)
        years_now = years_before = None
    if not common:
        return Comparison(label, before, of=len(have_now))
    only = tuple(sorted(common))
    now_row = _row(compute(level, now_period, scope=code, only=only, years=years_now), code)
    before_row = _row(compute(level, before, scope=code, only=only, years=years_before), code)
    return Comparison(label, before, now_row, before_row, len(common), len(have_now))


def _row(frame: pd.DataFrame, code: str) -> pd.Series:
    return frame.set_index("region_code").loc[code].rename(code)


def coverage_note(row: pd.Series) -> str | None:
    """``'3/10 县已报送'`` / ``'仅 2 个月数据'`` / ``'未报送'`` for a stock figure (None when it is whole)."""
    if not row.counties_reporting:
        return "未报送" if row.level == "county" else f"0/{row.counties_total} 县已报送"
    return row.thin_reason or None


def _tone(delta: float | None, fewer_is_better: bool) -> str | None:
    if delta is None or delta == 0:
        return None
    return "good" if (delta < 0) == fewer_is_better else "bad"


def overview(row: pd.Series, month: Comparison, year: Comparison, plan_year: Comparison) -> list[Figure]:
    """The five headline figures of 总览 for one region (a row of ``metrics.compute``)."""
    yr = str(row.period)[:4]
    stock_note = coverage_note(row)
    out = [
        Figure("planned_households", "计划改造户数", fmt.households(row.planned_households, none="无计划数据"),
               plan_year.text("planned_households"), help=f"{yr} 年度计划；同比为上年度计划（同一批县）"),
        Figure("resettled_households", "已安置户数", fmt.households(row.resettled_households, none="无花名册"),
               f"完成率 {fmt.share(row.completion_share)}", note=progress_note(row),
               help=catalogue.formula("completion_share")),
    ]  # fmt: skip
    target = row.target_monetised_share
    tone = None
    if not fmt.is_missing(row.monetised_share) and not fmt.is_missing(target):
        tone = "good" if float(row.monetised_share) >= float(target) else "bad"
    out.append(Figure("monetised_share", "货币化安置比例", fmt.share(row.monetised_share), f"目标 {fmt.share(target)}",
                      help=catalogue.formula("monetised_share"), tone=tone))  # fmt: skip
    none = "未报送" if not row.counties_reporting else "—"
    out.append(Figure("saleable_area_m2", "可售面积", fmt.area(row.saleable_area_m2, none=none),
                      month.text("saleable_area_m2"), note=stock_note, tone=_tone(month.delta("saleable_area_m2"), True),
                      help=f"{catalogue.formula('saleable_area_m2')}；{year.text('saleable_area_m2')}"))  # fmt: skip
    out.append(Figure("destock_months", "去化周期", destock_text(row), month.text("destock_months"), note=stock_note,
                      help=catalogue.formula("destock_months"), tone=_tone(month.delta("destock_months"), True)))  # fmt: skip
    return out


def destock_text(row: pd.Series) -> str:
    """The 去化周期 as a leader reads it: the months, 无成交 (reported, nothing sold) or 未报送."""
    status = getattr(row, "destock_status", "ok")
    if status == "not_reported":
        return "未报送"
    return fmt.months(row.destock_months, none="无成交")


def progress_note(row: pd.Series) -> str | None:
    """How the progress figures were dated: ``按最新状态`` when the roll has no dates, else None."""
    share = getattr(row, "progress_dated_share", None)
    if fmt.is_missing(share) or share is None:
        return None if fmt.is_missing(row.households) else "按最新状态"
    if share == 0:
        return "按最新状态（花名册无日期）"
    if share < 1:
        return f"{fmt.percent(1 - share, 1 if 1 - share < 0.01 else 0)} 的已启动户无日期，按最新状态"
    return None


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
        f"户均 {catalogue.default('purchase_area_m2'):g}㎡ 估算；若全部来自存量，去化周期由 {destock_text(row)} "
        f"降至 {fmt.months(row.destock_months_after, none='—')}"
    )
