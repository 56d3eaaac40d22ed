"""The 口径 switch: the same month's 去化周期 on two bases (6- or 12-month window, area or units), which
regions change band and how the ranking moves."""

from __future__ import annotations

import pandas as pd

from analysis import catalogue

BASES = {  # key → (window in months, metric column)
    "12-area": (12, "destock_months"),
    "6-area": (6, "destock_months"),
    "12-units": (12, "destock_months_units"),
    "6-units": (6, "destock_months_units"),
}


def label(key: str) -> str:
    """``'12-area'`` → ``'近12个月 · 面积'``."""
    window, column = BASES[key]
    return f"近{window}个月 · {'面积' if column == 'destock_months' else '套数'}"


def compare(frame_a: pd.DataFrame, frame_b: pd.DataFrame, basis_a: str, basis_b: str) -> pd.DataFrame:
    """One row per region: months and band on each basis, rank on each (1 = longest), the move, band changed.

    ``frame_a`` / ``frame_b`` are metrics frames computed with the window of each basis. A region with no
    figure on a basis has no rank there; "no figure" on both is not a change of band.
    """

    def side(frame: pd.DataFrame, basis: str) -> pd.DataFrame:
        column = BASES[basis][1]
        months = frame[column].astype(float)
        return pd.DataFrame(
            {
                "region_code": frame.region_code,
                "region_name": frame.region_name,
                "months": months,
                "band": [catalogue.band_of(v) for v in months],
            }  # fmt: skip
        )

    out = side(frame_a, basis_a).merge(side(frame_b, basis_b), on=["region_code", "region_name"], suffixes=("_a", "_b"))
    out["rank_a"] = out.months_a.rank(ascending=False, method="min").astype("Int64")
    out["rank_b"] = out.months_b.rank(ascending=False, method="min").astype("Int64")
    out["rank_move"] = out.rank_a - out.rank_b
    out["changed"] = out.band_a.fillna("") != out.band_b.fillna("")
    return out.sort_values(["rank_a", "region_code"], na_position="last").reset_index(drop=True)
