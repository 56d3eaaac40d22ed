"""Money still to be found for monetised resettlement, per region (unknown stays unknown).

    still needed households = max(round(planned × target share) − monetised households, 0)
    average compensation     = compensation of monetised households ÷ monetised households
    cash still needed        = still needed households × average compensation

The target share is the plan's, else the policy table's recommendation for the region's band. Where the
average compensation is unknown (no monetised household with compensation yet), so is the cash.
"""

from __future__ import annotations

import numpy as np
import pandas as pd


def cash_still_needed(metrics: pd.DataFrame) -> pd.DataFrame:
    """``metrics`` with ``avg_compensation_yuan``, ``monetised_still_needed`` and ``cash_still_needed_yuan``."""
    monetised = metrics.monetised_households.astype(float)
    avg = (metrics.compensation_yuan.astype(float) / monetised.where(monetised > 0)).astype(float)
    target = metrics.target_monetised_share.astype(float).fillna(metrics.recommended_monetised_share.astype(float))
    wanted = np.rint(metrics.planned_households.astype(float) * target)
    still = (wanted - monetised).clip(lower=0)
    cash = still * avg
    cash = cash.where(~((still == 0) & avg.isna()), 0.0)  # nothing still needed costs nothing, even unpriced
    return metrics.assign(
        avg_compensation_yuan=avg,
        monetised_still_needed=still.astype("Int64"),
        cash_still_needed_yuan=cash.astype(float),
    )


URBAN_STEPS = ("已安置", "已启动、未安置", "未启动")
RURAL_STEPS = ("已完成", "未完成")


def progress_as_of(metrics: pd.DataFrame, rural: bool = False) -> pd.DataFrame:
    """Each region's roll by how far its households had got at the metrics' month, counted as the cards and
    tables count them (so a chart beside them never shows another month):

        urban: 已安置 = resettled_households; 已启动、未安置 = started − resettled; 未启动 = households − started
        rural: 已完成 = rural_done_households; 未完成 = rural_households − rural_done_households

    Long form (``region_code``, ``region_name``, ``value``, ``households``) for :func:`analysis.charts.stacked`;
    a region whose roll is unknown has no rows (unknown stays unknown).

    >>> m = pd.DataFrame({"region_code": ["1"], "region_name": ["甲"], "households": [10], "started_households": [7],
    ...                   "resettled_households": [3], "rural_households": [4], "rural_done_households": [1]})
    >>> progress_as_of(m).households.tolist(), progress_as_of(m, rural=True).households.tolist()
    ([3, 4, 3], [1, 3])
    """
    if rural:
        total, done = metrics.rural_households, metrics.rural_done_households
        parts = {"已完成": done, "未完成": total - done}
    else:
        total, started, done = metrics.households, metrics.started_households, metrics.resettled_households
        parts = {"已安置": done, "已启动、未安置": started - done, "未启动": total - started}
    rows = [
        (code, name, step, int(value))
        for step, values in parts.items()
        for code, name, value, known in zip(metrics.region_code, metrics.region_name, values, total.notna())
        if known and pd.notna(value)
    ]
    return pd.DataFrame(rows, columns=["region_code", "region_name", "value", "households"])
