"""Accountability: who is behind the yearly start curve, and which rule (预警 / 通报 / 约谈) flags them.

A county's or city's *start share* is started households (signed, relocated or resettled) ÷ planned
households of the year. It is compared with the share the start curve expects by the month of the
period (``data/start_curve.csv``: ≈50% by June, 78% by August, 92% by September, 100% by November).
``ratio = start share ÷ expected``; the default thresholds (adjustable on the page) are

- 约谈 (summoned for talks): ratio < 0.70
- 通报 (named in a provincial notice): ratio < 0.85
- 预警 (early warning): ratio < 0.90

The household roll is a snapshot (its latest submitted status), so earlier months are judged on it too.
"""

from __future__ import annotations

import csv
from dataclasses import dataclass
from functools import lru_cache

import pandas as pd

from analysis.format import percent
from analysis.regions import DATA_DIR


@dataclass(frozen=True)
class Thresholds:
    summon: float = 0.70  # 约谈
    notice: float = 0.85  # 通报
    warning: float = 0.90  # 预警

    def __post_init__(self) -> None:
        if not 0 < self.summon <= self.notice <= self.warning <= 1.5:
            raise ValueError("thresholds must satisfy 0 < 约谈 ≤ 通报 ≤ 预警")

    def describe(self) -> str:
        return (
            f"启动率 ÷ 当月应达进度 < {percent(self.summon, 0)} → 约谈；< {percent(self.notice, 0)} → 通报；"
            f"< {percent(self.warning, 0)} → 预警"
        )


@lru_cache(maxsize=1)
def start_curve() -> dict[int, float]:
    with (DATA_DIR / "start_curve.csv").open(encoding="utf-8") as fh:
        return {int(r["month"]): float(r["expected_start_share"]) for r in csv.DictReader(fh)}


def expected_share(period: str) -> float:
    return start_curve()[int(period[5:7])]


def beside(x: float, lines: float | tuple[float, ...], decimals: int = 0) -> str:
    """``x`` as a percentage with just the precision that shows which side of every line it is on:
    ``beside(0.702, (0.70, 0.85)) == '70.2%'`` (not "70%", which reads as on the 约谈 line),
    ``beside(0.6999, 0.70) == '69.99%'``, ``beside(0.5, 0.7) == '50%'``."""
    lines = lines if isinstance(lines, tuple) else (lines,)
    for d in range(decimals, 6):
        shown = percent(x, d)
        if all(x == line or shown != percent(line, d) for line in lines):
            return shown
    return percent(x, 6)


def flag(ratio: float | None, t: Thresholds) -> str | None:
    if ratio is None or ratio != ratio:
        return None
    if ratio < t.summon:
        return "约谈"
    if ratio < t.notice:
        return "通报"
    if ratio < t.warning:
        return "预警"
    return None


def behind_curve(metrics: pd.DataFrame, period: str, t: Thresholds = Thresholds()) -> pd.DataFrame:
    """Regions with a plan, their start share against the curve, and the flag each rule gives."""
    expected = expected_share(period)
    out = metrics[metrics.planned_households.fillna(0) > 0][
        ["region_code", "region_name", "planned_households", "started_households", "start_share"]
    ].copy()
    out["expected_start_share"] = expected
    out["start_ratio"] = out.start_share / expected
    limits = {"约谈": t.summon, "通报": t.notice, "预警": t.warning}
    flags = [flag(r, t) for r in out.start_ratio]
    out["flag"] = flags
    out["rule"] = [
        f"启动率 {percent(s)} ÷ 应达 {percent(expected, 1)} = {beside(r, tuple(limits.values()))}，"
        f"低于{f}线 {percent(limits[f], 0)}"
        if f
        else ""
        for f, s, r in zip(flags, out.start_share, out.start_ratio)
    ]
    return out.sort_values("start_ratio").reset_index(drop=True)
