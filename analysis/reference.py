"""The reference tables every connection carries: regions, their ancestors, the 去化周期 bands.

Built once per process from the registry (``data/regions.csv``) and the catalogue; :mod:`analysis.db`
copies them into each connection, so SQL can join on them.
"""

from __future__ import annotations

from functools import lru_cache

import pandas as pd

from analysis import catalogue
from analysis.regions import DATA_DIR, load_registry


@lru_cache(maxsize=1)
def _regions() -> tuple[pd.DataFrame, pd.DataFrame]:
    reg = load_registry(DATA_DIR)
    regions = pd.DataFrame(
        [(r.code, r.name, r.level, r.parent_code, r.province_code) for r in reg.regions.values()],
        columns=["region_code", "name", "level", "parent_code", "province_code"],
    )
    tree = [(code, anc, reg.regions[anc].level) for code in reg.regions for anc in reg.ancestors(code)]
    region_tree = pd.DataFrame(tree, columns=["region_code", "ancestor_code", "ancestor_level"])
    return regions, region_tree


def bands_frame() -> pd.DataFrame:
    """The catalogue's bands as SQL joins them: half-open [lower, upper), decided on the value rounded to
    the decimals 去化周期 is shown with (``round(x, decimals)``: the band agrees with the printed number)."""
    decimals = catalogue.column("destock_months").decimals
    return pd.DataFrame(
        [(b.key, b.lower_months, b.upper_months, b.land_supply_advice, b.recommended_share, b.colour, decimals)
         for b in catalogue.bands()],
        columns=["destock_band", "lower_months", "upper_months", "land_supply_advice", "recommended_share",
                 "colour", "decimals"],
    )  # fmt: skip


def frames() -> dict[str, pd.DataFrame]:
    """``regions``, ``region_tree`` and ``bands`` (the bands are read again after :func:`catalogue.reload`)."""
    regions, region_tree = _regions()
    return {"regions": regions, "region_tree": region_tree, "bands": bands_frame()}
