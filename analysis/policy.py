"""The default policy table by 去化周期 band (kept as data in ``data/policy_table.csv``)."""

from __future__ import annotations

import csv
from dataclasses import dataclass
from functools import lru_cache

from analysis.regions import DATA_DIR

BANDS = ("<6", "6-12", "12-18", "18-36", ">=36")


@dataclass(frozen=True)
class BandRule:
    band: str
    lower_months: float
    upper_months: float | None
    land_supply_advice: str
    recommended_monetised_share: float
    source: str


@lru_cache(maxsize=1)
def policy_table() -> dict[str, BandRule]:
    with (DATA_DIR / "policy_table.csv").open(encoding="utf-8") as fh:
        rules = {
            row["destock_band"]: BandRule(
                row["destock_band"],
                float(row["lower_months"]),
                float(row["upper_months"]) if row["upper_months"] else None,
                row["land_supply_advice"],
                float(row["recommended_monetised_share"]),
                row["source"],
            )
            for row in csv.DictReader(fh)
        }
    assert set(rules) == set(BANDS)
    return rules


def default_shares() -> dict[str, float]:
    return {band: rule.recommended_monetised_share for band, rule in policy_table().items()}


def band_of(months: float | None) -> str | None:
    """The half-open band a 去化周期 falls in: ``band_of(12) == '12-18'``."""
    if months is None or months != months:
        return None
    for band in reversed(BANDS):
        if months >= policy_table()[band].lower_months:
            return band
    return "<6"
