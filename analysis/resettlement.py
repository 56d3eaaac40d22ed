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
