"""The scenario engine: county inputs (DuckDB SQL over the store) → results per county, city and province.

Per county, with ``planned`` the planned households of the chosen years::

    monetised              = planned × share                 (unrounded)
    absorbed_area_m2       = monetised × purchase_share × purchase_area_m2
    destock_months_after   = max(saleable − absorbed, 0) / avg_monthly_sold
    cash_needed_yuan       = monetised × compensation per household
    in_kind                = planned − monetised
    construction_area_m2   = in_kind × in_kind_area_m2
    construction_cost_yuan = construction_area_m2 × construction_cost_yuan_per_m2

Areas and money are summed to cities and the province from those unrounded figures. Households are shown
whole: a region's monetised households are its counties' unrounded sum rounded once (half to even, as
``round()``), so that a city of 10,200 planned households at 80% shows 8,160, as a person computes it, not
the sum of its counties' rounded figures; its in-kind households are planned − monetised, so the two add
up. A city's figure can therefore differ by one from the sum of its counties' shown figures. Cities' and
the province's 去化周期 after is computed from their own stock and sales (as ``metrics`` does). :func:`load_inputs` runs the SQL once per data
selection; :func:`compute` works on plain arrays and takes milliseconds, so a page can rerun it on every slider
move. Nothing here modifies its inputs.
"""

from __future__ import annotations

from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from functools import cached_property

import duckdb
import numpy as np
import pandas as pd

from analysis import db, metrics
from analysis.scenario.params import Scenario
from analysis.scenario.presets import CountyArrays, shares

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

    @cached_property
    def prepared(self) -> _Prepared:
        """The arrays every recompute reads (made on first use; the frames are read-only)."""
        return _prepare(self)


@dataclass(frozen=True, eq=False)
class Result:
    """A scenario's results at every level: ``columns[level]`` holds the result columns as arrays (what
    :func:`compare` reads); ``county``, ``city`` and ``province`` are the same as frames, made when first read."""

    scenario: Scenario
    columns: dict[str, dict[str, np.ndarray]]

    @cached_property
    def county(self) -> pd.DataFrame:
        return self._frame("county")

    @cached_property
    def city(self) -> pd.DataFrame:
        return self._frame("city")

    @cached_property
    def province(self) -> pd.DataFrame:
        return self._frame("province")

    def _frame(self, level: str) -> pd.DataFrame:
        columns = self.columns[level]
        return pd.DataFrame(columns, index=pd.RangeIndex(len(columns["region_code"])))

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
    params = {"scope": province_code, "period": q.period, "window_months": q.window_months, "years": list(q.years)}
    work = {
        level: (metrics.compute, metrics.MetricsQuery(level, province_code, q.period, q.window_months, q.years))
        for level in LEVELS
    }
    work["costs"] = (lambda c, p: db.query(c, "scenario/county_costs", p), params)
    if isinstance(con, duckdb.DuckDBPyConnection):  # four queries at once, each on its own cursor
        with ThreadPoolExecutor(max_workers=len(work)) as pool:
            running = {k: pool.submit(f, con.cursor(), arg) for k, (f, arg) in work.items()}
            frames = {k: r.result() for k, r in running.items()}
    else:  # another engine's connection runs them one by one
        frames = {k: f(con, arg) for k, (f, arg) in work.items()}
    costs = frames["costs"]
    counties = frames["county"][
        ["region_code", "region_name", *STOCK_COLUMNS, "destock_band", "planned_households", "target_monetised_share"]
    ].merge(costs, on="region_code", how="left")
    counties["planned_households"] = counties["planned_households"].fillna(0).astype("int64")  # no plan: none planned
    comp, source = compensation_per_household(counties)
    counties = counties.assign(compensation_per_household_yuan=comp, compensation_source=source)
    keep = ["region_code", "region_name", *STOCK_COLUMNS]
    inputs = Inputs(
        province_code,
        q.period,
        q.window_months,
        q.years,
        counties,
        frames["city"][keep].copy(),
        frames["province"][keep].copy(),
    )
    inputs.prepared  # noqa: B018 (made here, once: every recompute reads it)
    return inputs


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


@dataclass(frozen=True)
class _Prepared:
    """What every recompute of one set of inputs reads, made once: plain arrays and each county's row in the
    cities' table (a slider's recompute then costs arrays, not pandas)."""

    shares: CountyArrays
    planned: np.ndarray  # int64
    saleable: np.ndarray
    sold: np.ndarray
    months: np.ndarray
    stock_known: np.ndarray  # bool: the county's saleable area is known
    comp: np.ndarray
    comp_source: np.ndarray
    city_at: np.ndarray  # each county's row in ``cities`` (-1: none)
    fixed: dict[str, np.ndarray]  # the county columns no setting changes


def _prepare(inputs: Inputs) -> _Prepared:
    c = inputs.counties
    saleable = c.saleable_area_m2.to_numpy(dtype=float)
    return _Prepared(
        shares=CountyArrays.of(c),
        planned=c.planned_households.to_numpy(dtype="int64"),
        saleable=saleable,
        sold=c.avg_monthly_sold_m2.to_numpy(dtype=float),
        months=c.destock_months.to_numpy(dtype=float),
        stock_known=~np.isnan(saleable),
        comp=c.compensation_per_household_yuan.to_numpy(dtype=float),
        comp_source=c.compensation_source.to_numpy(dtype=object),
        city_at=pd.Index(inputs.cities.region_code).get_indexer(c.city_code),
        fixed={k: c[k].to_numpy(dtype=object) for k in ("region_code", "region_name", "city_code", "destock_band")},
    )


def compute(inputs: Inputs, scenario: Scenario) -> Result:
    """Results of ``scenario`` on ``inputs`` at every level (no deltas: see :func:`compare`)."""
    p = inputs.prepared
    share, share_source = shares(p.shares, scenario)
    n = len(p.planned)
    expected = p.planned * share  # unrounded: every sum and every figure made from it
    monetised = np.rint(expected).astype("int64")  # shown in whole households (half to even, as round())
    in_kind = p.planned - monetised
    if scenario.compensation_yuan_per_household is not None:
        comp = np.full(n, float(scenario.compensation_yuan_per_household))
        comp_source = np.full(n, "setting", dtype=object)
    else:
        comp, comp_source = p.comp, p.comp_source
    absorbed = expected * scenario.purchase_share * scenario.purchase_area_m2
    construction = (p.planned - expected) * scenario.in_kind_area_m2
    values = {
        "planned_households": p.planned,
        "monetised_share": share,
        "monetised_households": monetised,
        "in_kind_households": in_kind,
        "absorbed_area_m2": absorbed,
        "saleable_area_m2": p.saleable,
        "avg_monthly_sold_m2": p.sold,
        "destock_months": p.months,
        "destock_months_after": _months_after(p.saleable, absorbed, p.sold),
        "cash_needed_yuan": expected * comp,
        "construction_area_m2": construction,
        "construction_cost_yuan": construction * scenario.construction_cost_yuan_per_m2,
    }
    county = _ordered(
        {**p.fixed, **values, "share_source": share_source, "compensation_per_household_yuan": comp,
         "compensation_source": comp_source},
        "county", inputs.period, n, RESULT_COLUMNS + COUNTY_COLUMNS,
    )  # fmt: skip
    exact = {**values, "monetised_households": expected}  # a city's households: its counties' sum, rounded once
    city = _roll_up(exact, p, p.city_at, inputs.cities, "city", inputs.period)
    province = _roll_up(exact, p, np.zeros(n, dtype="int64"), inputs.province, "province", inputs.period)
    return Result(scenario, {"county": county, "city": city, "province": province})


def _ordered(columns: dict[str, object], level: str, period: str, n: int, order: list[str]) -> dict[str, np.ndarray]:
    columns = {**columns, "level": np.full(n, level, dtype=object), "period": np.full(n, period, dtype=object)}
    return {k: columns[k] for k in order}


def _roll_up(
    values: dict[str, np.ndarray], p: _Prepared, at: np.ndarray, regions: pd.DataFrame, level: str, period: str
) -> dict[str, np.ndarray]:
    """The counties' ``values`` summed into ``regions`` (``at``: each county's row there, -1 for none; a region
    without counties sums to 0), in ``regions``' order."""
    inside, n = at >= 0, len(regions)

    def total(v: np.ndarray) -> np.ndarray:
        keep = inside & ~np.isnan(v) if v.dtype.kind == "f" else inside
        return np.bincount(at[keep], weights=v[keep], minlength=n)

    out: dict[str, object] = {c: regions[c].to_numpy() for c in regions.columns}
    for col in SUMMED:
        summed = total(values[col])
        out[col] = summed.round().astype("int64") if col.endswith("_households") else summed
    out["in_kind_households"] = out["planned_households"] - out["monetised_households"]  # the two add up
    # cash is unknown (not 0) for a city or province where some county's compensation is unknown
    cash = values["cash_needed_yuan"]
    unknown = np.bincount(at[inside & np.isnan(cash) & (values["monetised_households"] > 0)], minlength=n)
    out["cash_needed_yuan"] = np.where(unknown > 0, np.nan, out["cash_needed_yuan"])
    planned = out["planned_households"]
    with np.errstate(divide="ignore", invalid="ignore"):
        out["monetised_share"] = np.where(planned > 0, out["monetised_households"] / planned, np.nan)
    # the 去化周期 after: only the absorption of counties whose stock is known (as metrics computes it)
    known = total(np.where(p.stock_known, values["absorbed_area_m2"], 0.0))
    saleable, sold = (regions[c].to_numpy(dtype=float) for c in ("saleable_area_m2", "avg_monthly_sold_m2"))
    out["destock_months_after"] = _months_after(saleable, known, sold)
    return _ordered(out, level, period, n, RESULT_COLUMNS)


def compare(result: Result, reference: Result) -> Result:
    """``result`` with ``delta_*`` columns: this scenario minus the reference (the baseline or another)."""
    levels = {}
    for level in LEVELS:
        mine, ref = result.columns[level], reference.columns[level]
        if not np.array_equal(mine["region_code"], ref["region_code"]):  # same inputs give the same rows
            at = pd.Index(ref["region_code"]).get_indexer(mine["region_code"])
            ref = {c: _take(np.asarray(ref[c], dtype=float), at) for c in DELTA_OF}
        out = {c: v for c, v in mine.items() if not c.startswith("delta_")}
        for c in DELTA_OF:
            d = np.asarray(mine[c], dtype=float) - np.asarray(ref[c], dtype=float)
            out[f"delta_{c}"] = _households(d) if c.endswith("_households") else d
        levels[level] = out
    return Result(result.scenario, levels)


def _take(values: np.ndarray, at: np.ndarray) -> np.ndarray:
    """``values[at]``, NaN where ``at`` is -1 (a region the reference does not have)."""
    return np.where(at >= 0, values[np.clip(at, 0, None)], np.nan) if len(values) else np.full(len(at), np.nan)


def _households(d: np.ndarray) -> pd.arrays.IntegerArray:
    """A difference of households as whole numbers (unknown stays unknown)."""
    unknown = np.isnan(d)
    return pd.arrays.IntegerArray(np.where(unknown, 0, np.round(d)).astype("int64"), unknown)


def run(inputs: Inputs, scenario: Scenario, reference: Scenario | None = None) -> Result:
    """Results with deltas against ``reference`` (default: the baseline)."""
    ref = reference if reference is not None else scenario.baseline()
    return compare(compute(inputs, scenario), compute(inputs, ref))
