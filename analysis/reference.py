"""The reference tables every connection carries: regions, their ancestors, the 去化周期 bands.

Built once per process from the registry (``data/regions.csv``) and the catalogue; :mod:`analysis.db`
copies them into each connection, so SQL can join on them.
"""

from __future__ import annotations

from functools import lru_cache

import pandas as pd

from analysis import catalogue
from analysis.regions import DATA_DIR


@lru_cache(maxsize=1)
def _regions() -> tuple[pd.DataFrame, pd.DataFrame]:
    """The registry's regions (``data/regions.csv``, as :func:`analysis.regions.load_registry` reads it) and
    each region's ancestors, itself first, nearest first (read with pandas: a process that only queries never
    builds the registry's name index)."""
    columns = ["region_code", "name", "level", "parent_code", "province_code"]
    regions = pd.read_csv(DATA_DIR / "regions.csv", dtype=str, keep_default_na=False, usecols=columns)[columns]
    codes = regions.region_code.tolist()
    level = dict(zip(codes, regions.level.tolist()))
    parent = dict(zip(codes, regions.parent_code.tolist()))
    tree: dict[str, list[str]] = {"region_code": [], "ancestor_code": [], "ancestor_level": []}
    for code in codes:
        at = code
        while at:
            tree["region_code"].append(code)
            tree["ancestor_code"].append(at)
            tree["ancestor_level"].append(level[at])
            at = parent[at]
    region_tree = pd.DataFrame({k: pd.array(v, dtype=regions.region_code.dtype) for k, v in tree.items()})
    return regions, region_tree


def bands_frame() -> pd.DataFrame:
    """The catalogue's bands as SQL joins them: half-open [lower, upper), decided on the value rounded to
    the decimals 去化周期 is shown with (``round(x × scale) / scale``, ``scale = 10^decimals``, as DuckDB's
    ``round(x, decimals)`` computes it: the band agrees with the printed number)."""
    decimals = catalogue.column("destock_months").decimals
    return pd.DataFrame(
        [(b.key, b.lower_months, b.upper_months, b.land_supply_advice, b.recommended_share, b.colour, decimals,
          10.0**decimals)
         for b in catalogue.bands()],
        columns=["destock_band", "lower_months", "upper_months", "land_supply_advice", "recommended_share",
                 "colour", "decimals", "scale"],
    )  # fmt: skip


def frames() -> dict[str, pd.DataFrame]:
    """``regions``, ``region_tree`` and ``bands`` (the bands are read again after :func:`catalogue.reload`)."""
    regions, region_tree = _regions()
    return {"regions": regions, "region_tree": region_tree, "bands": bands_frame()}
