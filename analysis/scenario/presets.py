"""Each county's monetised share under a scenario: the preset, then the province, city and county settings.

Presets:

- ``plan_targets``: the county's plan target share, else the policy table's share for its 去化周期 band,
  else ``fallback_share`` (no target and no sales). This is the baseline.
- ``policy_table``: the policy table's share for the county's band (no band: as ``plan_targets``).
- ``rule_2018``: as ``plan_targets``, but where 去化周期 < ``rule_2018_months`` (12) no more than the
  policy table's (in-kind-favouring) share for the band.
- ``uniform``: one share for all (``Scenario.share``).

A city's setting then wins over the preset, and a county's over its city's.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import pandas as pd

from analysis.scenario.params import Scenario


def county_shares(counties: pd.DataFrame, scenario: Scenario) -> pd.DataFrame:
    """One row per county (same index): ``monetised_share`` and ``share_source`` (a value of the catalogue's ``share_source``).

    ``counties`` needs ``region_code``, ``city_code``, ``destock_months``, ``destock_band`` and
    ``target_monetised_share``; it is not modified.
    """
    share, source = shares(CountyArrays.of(counties), scenario)
    return pd.DataFrame({"monetised_share": share, "share_source": source}, index=counties.index)


@dataclass(frozen=True)
class CountyArrays:
    """The columns the presets read, as plain arrays (made once per set of inputs: a slider's recompute then
    costs no pandas)."""

    region_code: np.ndarray
    city_code: np.ndarray
    band: np.ndarray  # object: the 去化周期 band, or None
    target: np.ndarray  # float: the plan's target share (NaN: none)
    months: np.ndarray  # float: 去化周期 (NaN: unknown)

    @classmethod
    def of(cls, counties: pd.DataFrame) -> CountyArrays:
        band = counties["destock_band"].to_numpy(dtype=object)
        return cls(
            counties["region_code"].to_numpy(dtype=object),
            counties["city_code"].to_numpy(dtype=object),
            np.where([isinstance(b, str) for b in band], band, None) if len(band) else band,
            pd.to_numeric(counties["target_monetised_share"], errors="coerce").to_numpy(dtype=float),
            pd.to_numeric(counties["destock_months"], errors="coerce").to_numpy(dtype=float),
        )


def shares(c: CountyArrays, scenario: Scenario) -> tuple[np.ndarray, np.ndarray]:
    """Each county's monetised share and its source, as arrays (see :func:`county_shares`)."""
    n = len(c.region_code)
    recommended = np.full(n, np.nan)
    for band, value in scenario.policy_shares.items():
        recommended[c.band == band] = value
    has_target, has_recommended = ~np.isnan(c.target), ~np.isnan(recommended)
    base = np.where(has_target, c.target, np.where(has_recommended, recommended, scenario.fallback_share))
    base_source = np.select([has_target, has_recommended], ["plan_target", "policy_table"], "fallback").astype(object)
    if scenario.preset == "policy_table":
        share = np.where(has_recommended, recommended, base)
        source = np.where(has_recommended, "policy_table", base_source).astype(object)
    elif scenario.preset == "rule_2018":
        with np.errstate(invalid="ignore"):
            capped = (c.months < scenario.rule_2018_months) & has_recommended & (recommended < base)
        share = np.where(capped, recommended, base)
        source = np.where(capped, "rule_2018", base_source).astype(object)
    elif scenario.preset == "uniform":
        share = np.full(n, float(scenario.share))
        source = np.full(n, "uniform", dtype=object)
    else:
        share, source = base, base_source
    for codes, level in ((c.city_code, "city"), (c.region_code, "county")):  # a county's setting wins
        for code, value in scenario.overrides:
            hit = codes == code
            if hit.any():
                share = np.where(hit, value, share)
                source = np.where(hit, level, source)
    return share.astype(float), source
