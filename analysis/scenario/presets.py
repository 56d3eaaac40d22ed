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

import numpy as np
import pandas as pd

from analysis.scenario.params import Scenario


def county_shares(counties: pd.DataFrame, scenario: Scenario) -> pd.DataFrame:
    """One row per county (same index): ``monetised_share`` and ``share_source`` (a value of the catalogue's ``share_source``).

    ``counties`` needs ``region_code``, ``city_code``, ``destock_months``, ``destock_band`` and
    ``target_monetised_share``; it is not modified.
    """
    policy = scenario.policy_shares
    recommended = counties["destock_band"].map(lambda b: policy.get(b, np.nan) if isinstance(b, str) else np.nan)
    recommended = recommended.astype(float)
    target = pd.to_numeric(counties["target_monetised_share"], errors="coerce").astype(float)
    base = target.where(target.notna(), recommended).fillna(scenario.fallback_share)
    base_source = pd.Series(
        np.select([target.notna(), recommended.notna()], ["plan_target", "policy_table"], "fallback"),
        index=counties.index,
    )
    if scenario.preset == "policy_table":
        share = recommended.where(recommended.notna(), base)
        source = base_source.where(recommended.isna(), "policy_table")
    elif scenario.preset == "rule_2018":
        months = pd.to_numeric(counties["destock_months"], errors="coerce").astype(float)
        capped = (months < scenario.rule_2018_months) & recommended.notna() & (recommended < base)
        share = base.where(~capped, recommended)
        source = base_source.where(~capped, "rule_2018")
    elif scenario.preset == "uniform":
        share = pd.Series(float(scenario.share), index=counties.index)
        source = pd.Series("uniform", index=counties.index)
    else:
        share, source = base, base_source
    overrides = scenario.override_map
    for column, level in (("city_code", "city"), ("region_code", "county")):
        hit = counties[column].map(overrides)
        share = share.where(hit.isna(), hit)
        source = source.where(hit.isna(), level)
    return pd.DataFrame({"monetised_share": share.astype(float), "share_source": source}, index=counties.index)
