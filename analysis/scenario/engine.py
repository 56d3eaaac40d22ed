"""The scenario engine: county inputs (DuckDB SQL over the store) → results per county, city and province.

Per county, with ``planned`` the planned households of the chosen years::

    monetised              = round(planned × share)          (Python's round: half to even)
    absorbed_area_m2       = monetised × purchase_share × purchase_area_m2
    destock_months_after   = max(saleable − absorbed, 0) / avg_monthly_sold
    cash_needed_yuan       = monetised × compensation per household
    in_kind                = planned − monetised
    construction_area_m2   = in_kind × in_kind_area_m2
    construction_cost_yuan = construction_area_m2 × construction_cost_yuan_per_m2

Households, areas and money are summed to cities and the province; their 去化周期 after is computed
from their own stock and sales (as ``metrics`` does). :func:`load_inputs` runs the SQL once per data
selection; :func:`compute` is pure pandas and takes milliseconds, so a page can rerun it on every slider
move. Nothing here modifies its inputs.
"""

from __future__ import annotations

from dataclasses import dataclass

import duckdb
import numpy as np
import pandas as pd

from analysis import db, metrics
from analysis.scenario.params import Scenario
from analysis.scenario.presets import county_shares

LEVELS = ("province", "city", "county")
STOCK_COLUMNS = ["saleable_area_m2", "avg_monthly_sold_m2", "destock_months"]
SUMMED = [
    "planned_households", "monetised_households", "in_kind_households", "absorbed_area_m2", "cash_needed_yuan",
    "construction_area_m2", "construction_cost_yuan",
]  # fmt: skip
RESULT_COLUMNS = [
    "region_code", "region_name", "level", "period", "planned_households", "monetised_share",
    "monetised_households", "in_kind_households", "absorbed_area_m2", "saleable_area_m2", "avg_monthly_sold_m2",
    "destock_months", "destock_months_after", "cash_needed_yuan", "construction_area_m2", "construction_cost_yuan",
]  # fmt: skip
COUNTY_COLUMNS = ["city_code", "destock_band", "share_source", "compensation_per_household_yuan", "compensation_source"]
DELTA_OF = [
    "monetised_share", "monetised_households", "in_kind_households", "absorbed_area_m2", "destock_months_after",
    "cash_needed_yuan", "construction_area_m2", "construction_cost_yuan",
]  # fmt: skip
DELTA_COLUMNS = [f"delta_{c}" for c in DELTA_OF]


@dataclass(frozen=True)
class Inputs:
    """What the engine needs for one province at one period: read-only frames, one row per region."""

    province_code: str
    period: str
    window_months: int
    years: tuple[int, ...]
    counties: pd.DataFrame  # region_code, region_name, city_code, stock, band, planned, target, compensation
    cities: pd.DataFrame  # region_code, region_name + STOCK_COLUMNS
    province: pd.DataFrame  # one row, same columns


@dataclass(frozen=True)
class Result:
    scenario: Scenario
    county: pd.DataFrame
    city: pd.DataFrame
    province: pd.DataFrame

    def at(self, level: str) -> pd.DataFrame:
        return {"county": self.county, "city": self.city, "province": self.province}[level]

    def totals(self) -> pd.Series:
        return self.province.iloc[0]


def load_inputs(
    con: duckdb.DuckDBPyConnection,
    province_code: str,
    period: str | None = None,
    window_months: int = 12,
    years: tuple[int, ...] = (),
) -> Inputs:
    """County inputs of one province from the store (the metrics query, plus compensation inputs)."""
    q = metrics.resolve(con, metrics.MetricsQuery("county", province_code, period, window_months, tuple(years)))
    frames = {
        level: metrics.compute(con, metrics.MetricsQuery(level, province_code, q.period, q.window_months, q.years))
        for level in LEVELS
    }
    params = {"scope": province_code, "period": q.period, "window_months": q.window_months, "years": list(q.years)}
    costs = db.query(con, "scenario/county_costs", params)
    counties = frames["county"][
        ["region_code", "region_name", *STOCK_COLUMNS, "destock_band", "planned_households", "target_monetised_share"]
    ].merge(costs, on="region_code", how="left")
    counties["planned_households"] = counties["planned_households"].fillna(0).astype("int64")  # no plan: none planned
    comp, source = compensation_per_household(counties)
    counties = counties.assign(compensation_per_household_yuan=comp, compensation_source=source)
    keep = ["region_code", "region_name", *STOCK_COLUMNS]
    return Inputs(
        province_code,
        q.period,
        q.window_months,
        q.years,
        counties,
        frames["city"][keep].copy(),
        frames["province"][keep].copy(),
    )


def compensation_per_household(c: pd.DataFrame) -> tuple[pd.Series, pd.Series]:
    """Per county: the roll's average compensation per monetised household; else original area × price;
    else the city's, else the province's roll average."""

    def ratio(num: pd.Series, den: pd.Series) -> pd.Series:
        return (num / den.where(den > 0)).astype(float)

    city = c.groupby("city_code")[
        ["compensation_sum_yuan", "compensated_households", "original_area_sum_m2", "households_with_area",
         "price_weighted_sum", "price_weight_m2"]
    ].transform("sum")  # fmt: skip
    total = c[city.columns].sum()
    roll = ratio(c.compensation_sum_yuan, c.compensated_households)
    area = ratio(c.original_area_sum_m2, c.households_with_area)
    area = area.fillna(ratio(city.original_area_sum_m2, city.households_with_area))
    if total.households_with_area > 0:
        area = area.fillna(total.original_area_sum_m2 / total.households_with_area)
    price = ratio(c.price_weighted_sum, c.price_weight_m2).fillna(ratio(city.price_weighted_sum, city.price_weight_m2))
    if total.price_weight_m2 > 0:
        price = price.fillna(total.price_weighted_sum / total.price_weight_m2)
    city_roll = ratio(city.compensation_sum_yuan, city.compensated_households)
    province_roll = (
        total.compensation_sum_yuan / total.compensated_households if total.compensated_households else np.nan
    )
    steps = [("roll", roll), ("area_price", area * price), ("city_roll", city_roll),
             ("province_roll", pd.Series(province_roll, index=c.index, dtype=float))]  # fmt: skip
    value = pd.Series(np.nan, index=c.index, dtype=float)
    source = pd.Series("none", index=c.index, dtype=object)
    for name, step in steps:
        take = value.isna() & step.notna()
        value = value.where(~take, step)
        source = source.where(~take, name)
    return value, source


def _months_after(saleable: np.ndarray, absorbed: np.ndarray, sold: np.ndarray) -> np.ndarray:
    """去化周期 after the purchases: the stock left (never below 0) over the monthly sales (unknown without
    sales or without stock)."""
    with np.errstate(divide="ignore", invalid="ignore"):
        return np.clip(saleable - absorbed, 0, None) / np.where(sold > 0, sold, np.nan)


def compute(inputs: Inputs, scenario: Scenario) -> Result:
    """Results of ``scenario`` on ``inputs`` at every level (no deltas: see :func:`compare`)."""
    c = inputs.counties
    shares = county_shares(c, scenario)
    planned = c.planned_households.to_numpy(dtype=float)
    monetised = np.rint(planned * shares.monetised_share.to_numpy()).astype("int64")  # half to even, as round()
    in_kind = c.planned_households.to_numpy(dtype="int64") - monetised
    if scenario.compensation_yuan_per_household is not None:
        comp = pd.Series(scenario.compensation_yuan_per_household, index=c.index, dtype=float)
        comp_source = pd.Series("setting", index=c.index)
    else:
        comp, comp_source = c.compensation_per_household_yuan, c.compensation_source
    county = pd.DataFrame(
        {
            "region_code": c.region_code,
            "region_name": c.region_name,
            "level": "county",
            "period": inputs.period,
            "planned_households": c.planned_households.astype("int64"),
            "monetised_share": shares.monetised_share,
            "monetised_households": monetised,
            "in_kind_households": in_kind,
            "absorbed_area_m2": monetised * scenario.purchase_share * scenario.purchase_area_m2,
            "saleable_area_m2": c.saleable_area_m2.astype(float),
            "avg_monthly_sold_m2": c.avg_monthly_sold_m2.astype(float),
            "destock_months": c.destock_months.astype(float),
            "cash_needed_yuan": monetised * comp.to_numpy(dtype=float),
            "construction_area_m2": in_kind * scenario.in_kind_area_m2,
            "city_code": c.city_code,
            "destock_band": c.destock_band,
            "share_source": shares.share_source,
            "compensation_per_household_yuan": comp.to_numpy(dtype=float),
            "compensation_source": comp_source.to_numpy(),
        },
        index=c.index,
    )
    county["construction_cost_yuan"] = county.construction_area_m2 * scenario.construction_cost_yuan_per_m2
    county["destock_months_after"] = _months_after(
        *(county[c].to_numpy(dtype=float) for c in ("saleable_area_m2", "absorbed_area_m2", "avg_monthly_sold_m2"))
    )
    county = county[RESULT_COLUMNS + COUNTY_COLUMNS].reset_index(drop=True)
    city = _roll_up(county, county.city_code.to_numpy(dtype=object), inputs.cities, "city", inputs.period)
    everywhere = np.full(len(county), inputs.province_code, dtype=object)
    province = _roll_up(county, everywhere, inputs.province, "province", inputs.period)
    return Result(scenario, county, city, province)


def _roll_up(county: pd.DataFrame, keys: np.ndarray, regions: pd.DataFrame, level: str, period: str) -> pd.DataFrame:
    """The counties summed into ``regions`` (``keys``: each county's region code; a region without counties
    sums to 0), in ``regions``' order. Plain arrays, one frame made at the end: a slider's recompute runs this
    twice per scenario."""
    at = pd.Index(regions.region_code).get_indexer(keys)  # each county's row in ``regions`` (-1: none)
    inside, n = at >= 0, len(regions)

    def total(values: np.ndarray) -> np.ndarray:
        keep = inside & ~np.isnan(values)
        return np.bincount(at[keep], weights=values[keep], minlength=n)

    out: dict[str, object] = {c: regions[c].to_numpy() for c in regions.columns}
    out["level"], out["period"] = level, period
    for col in SUMMED:
        summed = total(county[col].to_numpy(dtype=float))
        out[col] = summed.round().astype("int64") if col.endswith("_households") else summed
    # cash is unknown (not 0) for a city or province where some county's compensation is unknown
    cash = county.cash_needed_yuan.to_numpy(dtype=float)
    unknown = np.bincount(at[inside & np.isnan(cash) & (county.monetised_households.to_numpy() > 0)], minlength=n)
    out["cash_needed_yuan"] = np.where(unknown > 0, np.nan, out["cash_needed_yuan"])
    planned = out["planned_households"]
    with np.errstate(divide="ignore", invalid="ignore"):
        out["monetised_share"] = np.where(planned > 0, out["monetised_households"] / planned, np.nan)
    # the 去化周期 after: only the absorption of counties whose stock is known (as metrics computes it)
    absorbed = county.absorbed_area_m2.to_numpy(dtype=float)
    known = total(np.where(county.saleable_area_m2.notna().to_numpy(), absorbed, 0.0))
    saleable, sold = (regions[c].to_numpy(dtype=float) for c in ("saleable_area_m2", "avg_monthly_sold_m2"))
    out["destock_months_after"] = _months_after(saleable, known, sold)
    return pd.DataFrame(out, index=pd.RangeIndex(n))[RESULT_COLUMNS]


def compare(result: Result, reference: Result) -> Result:
    """``result`` with ``delta_*`` columns: this scenario minus the reference (the baseline or another)."""
    frames = {}
    for level in LEVELS:
        mine, ref = result.at(level), reference.at(level)
        if not np.array_equal(mine.region_code.to_numpy(), ref.region_code.to_numpy()):  # same inputs: same rows
            ref = ref.set_index("region_code").reindex(mine.region_code)
        deltas = {}
        for c in DELTA_OF:
            d = pd.Series(mine[c].to_numpy(dtype=float) - ref[c].to_numpy(dtype=float), index=mine.index)
            deltas[f"delta_{c}"] = d.round().astype("Int64") if c.endswith("_households") else d
        frames[level] = pd.concat([mine, pd.DataFrame(deltas, index=mine.index)], axis=1)  # one copy, not eight
    return Result(result.scenario, frames["county"], frames["city"], frames["province"])


def run(inputs: Inputs, scenario: Scenario, reference: Scenario | None = None) -> Result:
    """Results with deltas against ``reference`` (default: the baseline)."""
    ref = reference if reference is not None else scenario.baseline()
    return compare(compute(inputs, scenario), compute(inputs, ref))
