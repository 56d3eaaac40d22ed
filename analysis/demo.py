"""The built-in synthetic demo data set: Shanxi and Liaoning, every current county, 2015-01 … 2017-12.

Synthetic. Calibrated on ``../shared/reference/domain-research.md`` §7 (all [E] estimates): the
per-city table below holds each city's share of the provincial 棚改 plan, its 2016 price, its
monthly sales and its 去化周期 at end-2015 and end-2017. Deterministic for a given seed.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import pandas as pd
import pyarrow as pa

from analysis.regions import Registry

SEED = 20151231
MONTHS = [f"{y}-{m:02d}" for y in (2015, 2016, 2017) for m in range(1, 13)]
YEARS = (2015, 2016, 2017)
SEASON = np.array([0.7, 0.5, 0.9, 1.0, 1.0, 1.0, 0.9, 0.9, 1.1, 1.1, 1.1, 1.75])
SALES_GROWTH = {2015: 1.0, 2016: 1.15, 2017: 1.24}
PRICE_INDEX = {2015: 0.97, 2016: 1.0, 2017: 1.06}
MONETISED_BASE = {2015: 0.25, 2016: 0.48, 2017: 0.60}


@dataclass(frozen=True)
class CityCalibration:
    code: str
    shanty_share: float  # of the province's 棚改 plan
    rural_share: float  # of the province's rural dilapidated houses
    price_2016: float  # 元/㎡
    monthly_sales_m2: float  # average month, 2015
    destock_2015: float  # months at end-2015
    destock_2017: float  # months at end-2017
    behind: float = 1.0  # < 1: the city lags the start curve in 2017
    mining: float = 0.15  # share of 国有工矿 in its 棚改


# Shanxi: 530k 棚改 + 320k rural over 2015–2017; Liaoning: ≈470k 棚改 + ≈120k rural [E].
CITIES = [
    CityCalibration("140100", 0.17, 0.03, 7800, 420_000, 24, 12, mining=0.10),
    CityCalibration("140200", 0.13, 0.12, 5500, 140_000, 34, 17, mining=0.35),
    CityCalibration("140300", 0.055, 0.03, 4500, 55_000, 30, 15, behind=0.72, mining=0.40),
    CityCalibration("140400", 0.105, 0.09, 5000, 100_000, 27, 13, mining=0.30),
    CityCalibration("140500", 0.075, 0.055, 5000, 70_000, 25, 12, mining=0.30),
    CityCalibration("140600", 0.055, 0.055, 4300, 55_000, 40, 19, behind=0.78, mining=0.35),
    CityCalibration("140700", 0.09, 0.085, 5700, 130_000, 29, 15),
    CityCalibration("140800", 0.085, 0.135, 4500, 100_000, 25, 12),
    CityCalibration("140900", 0.065, 0.135, 4500, 70_000, 29, 15),
    CityCalibration("141000", 0.095, 0.135, 5000, 100_000, 27, 13),
    CityCalibration("141100", 0.075, 0.135, 4500, 60_000, 38, 18, behind=0.66, mining=0.35),
    CityCalibration("210100", 0.16, 0.08, 7000, 900_000, 28, 16),
    CityCalibration("210200", 0.10, 0.06, 10500, 700_000, 24, 10),
    CityCalibration("210300", 0.09, 0.07, 5000, 140_000, 30, 15, mining=0.40),
    CityCalibration("210400", 0.09, 0.07, 4500, 85_000, 34, 17, behind=0.75, mining=0.45),
    CityCalibration("210500", 0.06, 0.06, 4500, 55_000, 34, 17, mining=0.40),
    CityCalibration("210600", 0.06, 0.08, 5000, 85_000, 30, 10),
    CityCalibration("210700", 0.06, 0.08, 5000, 85_000, 30, 15),
    CityCalibration("210800", 0.06, 0.07, 5000, 100_000, 42, 20),
    CityCalibration("210900", 0.07, 0.08, 3800, 40_000, 38, 18, behind=0.70, mining=0.50),
    CityCalibration("211000", 0.05, 0.06, 4500, 55_000, 30, 15),
    CityCalibration("211100", 0.03, 0.04, 5500, 70_000, 36, 17),
    CityCalibration("211200", 0.06, 0.08, 3800, 55_000, 42, 20),
    CityCalibration("211300", 0.06, 0.09, 4300, 55_000, 30, 15),
    CityCalibration("211400", 0.05, 0.08, 4700, 70_000, 38, 18),
]
SHANTY_PLAN = {"140000": {2015: 150_000, 2016: 200_000, 2017: 180_000},
               "210000": {2015: 150_000, 2016: 170_000, 2017: 150_000}}  # fmt: skip
RURAL_PLAN = {"140000": {2015: 100_000, 2016: 110_000, 2017: 110_000},
              "210000": {2015: 40_000, 2016: 40_000, 2017: 40_000}}  # fmt: skip
# counties that have not yet reported the last month, so 报送进度 has someone to chase
LATE_REPORTERS = {"140429", "140723", "141029", "210323", "211224"}
SEISMIC_8 = {"140100", "140700", "141000", "140800", "140900", "140200"}  # Fenwei graben [R]
URBAN_CATEGORIES = ["urban_shantytown", "urban_village", "urban_dilapidated", "state_mining", "forestry", "reclamation"]
FORESTRY = {"210400", "210500", "210600", "211200"}
RECLAMATION = {"211100", "210800"}


def _county_weights(rng: np.random.Generator, reg: Registry, counties: list[str], urban: bool) -> np.ndarray:
    """Districts (区) weigh more for urban figures, counties (县) more for rural ones."""
    is_district = np.array([reg.name(c).endswith("区") for c in counties])
    base = rng.gamma(4.0, 1.0, len(counties))
    factor = np.where(is_district, 2.2, 0.8) if urban else np.where(is_district, 0.25, 1.3)
    w = base * factor
    return w / w.sum()


def _split(total: int, weights: np.ndarray) -> np.ndarray:
    """Integer split of ``total`` by weights that sums exactly to ``total``."""
    raw = weights * total
    out = np.floor(raw).astype(np.int64)
    out[np.argsort(raw - out)[::-1][: total - out.sum()]] += 1
    return out


def generate(reg: Registry, seed: int = SEED) -> dict[str, pa.Table | pd.DataFrame]:
    """The three canonical tables of the demo set."""
    rng = np.random.default_rng(seed)
    inventory, plans, households = [], [], []
    province_of = {c.code: reg.get(c.code).province_code for c in CITIES}
    for prov in ("140000", "210000"):
        cities = [c for c in CITIES if province_of[c.code] == prov]
        shanty_total = sum(c.shanty_share for c in cities)
        rural_total = sum(c.rural_share for c in cities)
        for city in cities:
            counties = reg.counties_under(city.code)
            w_urban = _county_weights(rng, reg, counties, urban=True)
            w_rural = _county_weights(rng, reg, counties, urban=False)
            inventory.append(_inventory(rng, reg, city, counties, w_urban))
            for year in YEARS:
                shanty = _split(round(SHANTY_PLAN[prov][year] * city.shanty_share / shanty_total), w_urban)
                rural = _split(round(RURAL_PLAN[prov][year] * city.rural_share / rural_total), w_rural)
                plans.append(_plans(rng, city, counties, year, shanty))
                households.append(_households(rng, reg, city, counties, year, shanty, rural))
    hh = pa.concat_tables(households)
    inv = pd.concat(inventory, ignore_index=True)
    late = inv.region_code.isin(LATE_REPORTERS) & (inv.period == MONTHS[-1])
    return {
        "inventory": inv[~late].reset_index(drop=True),
        "plans": pd.concat(plans, ignore_index=True),
        "households": hh,
    }


def _inventory(rng, reg, city: CityCalibration, counties: list[str], weights: np.ndarray) -> pd.DataFrame:
    n_months = len(MONTHS)
    years = np.array([int(m[:4]) for m in MONTHS])
    season = np.tile(SEASON, 3)
    growth = np.array([SALES_GROWTH[y] for y in years])
    rows = []
    for county, w in zip(counties, weights):
        base = city.monthly_sales_m2 * w * rng.uniform(0.85, 1.15)
        sold = base * season * growth * rng.normal(1.0, 0.08, n_months).clip(0.6, 1.4)
        # inventory path from ≈destock_2015 × monthly sales (Jan 2015) to ≈destock_2017 × monthly sales (Dec 2017)
        start = base * city.destock_2015 * 1.08 * rng.uniform(0.85, 1.2)
        end = base * SALES_GROWTH[2017] * city.destock_2017 * rng.uniform(0.85, 1.2)
        path = start * (end / start) ** (np.arange(n_months) / (n_months - 1))
        permits = np.maximum(np.diff(np.concatenate([[start], path])) + sold, sold * 0.25)
        stock = start + np.cumsum(permits - sold)
        stock = np.maximum(stock, sold * 2)
        unit_size = rng.uniform(92, 112)
        is_district = reg.name(county).endswith("区")
        price = city.price_2016 * (1.08 if is_district else 0.82) * rng.uniform(0.93, 1.07)
        prices = price * np.array([PRICE_INDEX[y] for y in years]) * rng.normal(1.0, 0.015, n_months)
        affordable_units = int(rng.integers(0, 400)) if rng.random() < 0.7 else 0
        decay = np.linspace(1.0, 0.45, n_months)
        rows.append(
            pd.DataFrame(
                {
                    "region_code": county,
                    "period": MONTHS,
                    "saleable_units": np.round(stock / unit_size).astype("int64"),
                    "saleable_area_m2": np.round(stock, 1),
                    "sold_units": np.round(sold / unit_size).astype("int64"),
                    "sold_area_m2": np.round(sold, 1),
                    "avg_price_yuan_per_m2": np.round(prices, 0),
                    "new_permit_area_m2": np.round(permits, 1),
                    "unallocated_affordable_units": np.round(affordable_units * decay).astype("int64"),
                    "unallocated_affordable_area_m2": np.round(affordable_units * decay * 65.0, 1),
                }
            )
        )
    return pd.concat(rows, ignore_index=True)


def _target_share(city: CityCalibration, year: int) -> float:
    """Plan target: the year's national path, higher where the city's inventory is large."""
    lean = (city.destock_2015 - 30) / 100
    return float(
        np.clip(MONETISED_BASE[year] + lean + (0.05 if year == 2017 and city.destock_2017 >= 17 else 0), 0.1, 0.9)
    )


def _plans(rng, city: CityCalibration, counties, year: int, planned: np.ndarray) -> pd.DataFrame:
    target = _target_share(city, year)
    shares = np.clip(np.round(target + rng.normal(0, 0.04, len(counties)), 2), 0.05, 0.95)
    # a few counties leave the target blank, as real plan tables do
    blank = rng.random(len(counties)) < 0.05
    return pd.DataFrame(
        {
            "region_code": counties,
            "year": year,
            "planned_households": planned.astype("int64"),
            "target_monetised_share": np.where(blank, np.nan, shares),
        }
    )


def _households(
    rng, reg, city: CityCalibration, counties, year: int, shanty: np.ndarray, rural: np.ndarray
) -> pa.Table:
    # roll size ≈ plan (some over-, some under-delivery)
    n_shanty = np.maximum(np.round(shanty * rng.uniform(0.96, 1.04, len(counties))).astype(np.int64), 0)
    n_rural = np.maximum(np.round(rural * rng.uniform(0.97, 1.02, len(counties))).astype(np.int64), 0)
    codes = np.repeat(np.array(counties), n_shanty + n_rural)
    is_rural = np.concatenate([np.r_[np.zeros(a, bool), np.ones(b, bool)] for a, b in zip(n_shanty, n_rural)])
    n = len(codes)
    seq = np.concatenate([np.arange(a + b) for a, b in zip(n_shanty, n_rural)])
    ids = pa.array(np.char.add(np.char.add(codes.astype("U6"), f"-{year}-"), np.char.zfill(seq.astype("U6"), 6)))

    mining = city.mining
    cat_p = np.array([0.55 - mining / 2, 0.2, 0.1, mining, 0.0, 0.0])
    if city.code in FORESTRY:
        cat_p[4] = 0.06
    if city.code in RECLAMATION:
        cat_p[5] = 0.05
    cat_p = np.clip(cat_p, 0, None)
    cat_p /= cat_p.sum()
    cat_idx = rng.choice(len(URBAN_CATEGORIES), n, p=cat_p)
    category = np.where(is_rural, "rural_dilapidated", np.array(URBAN_CATEGORIES)[cat_idx])

    # mode: actual share ≈ target, a little below in lagging cities; undecided mostly in recent years
    target = _target_share(city, year)
    actual = np.clip(target + rng.normal(0, 0.03) - (1 - city.behind) * 0.3, 0.05, 0.95)
    undecided_p = {2015: 0.01, 2016: 0.03, 2017: 0.10}[year]
    u = rng.random(n)
    mode = np.where(
        u < undecided_p, "undecided", np.where(u < undecided_p + (1 - undecided_p) * actual, "monetised", "in_kind")
    )
    mode = np.where(is_rural, "in_kind", mode)

    members = rng.choice([1, 2, 3, 4, 5, 6], n, p=[0.12, 0.28, 0.3, 0.18, 0.08, 0.04])
    original_area = np.round(np.where(is_rural, rng.uniform(30, 60, n), rng.uniform(20, 80, n)), 1)
    big_city = city.code in {"140100", "210100", "210200"}
    price = city.price_2016 * PRICE_INDEX[year]
    comp = original_area * price * rng.uniform(1.15, 1.6, n) + rng.uniform(20_000, 60_000, n)
    comp = np.clip(comp, 300_000 if big_city else 150_000, 800_000 if big_city else 450_000)
    monetised = mode == "monetised"
    ch = rng.choice(["govt_purchase", "platform_purchase", "cash"], n, p=[0.3, 0.35, 0.35])
    channel = np.where(monetised, ch, None)
    buys = monetised & ((ch != "cash") | (rng.random(n) < 0.6))
    purchased = np.where(buys, np.round(rng.normal(90, 14, n).clip(45, 160), 1), np.nan)

    # status at end-2017: older plan years are further along; lagging cities have more unsigned in 2017
    progress = {2015: 0.93, 2016: 0.78, 2017: 0.45 * city.behind}[year]
    started = {2015: 1.0, 2016: 0.99, 2017: min(1.0, 0.97 * city.behind + 0.03)}[year]
    r = rng.random(n)
    done_p = np.where(monetised, min(progress + 0.1, 0.99), progress * 0.85)
    status = np.where(
        r > started,
        "unsigned",
        np.where(r < done_p, "resettled", np.where(r < done_p + (started - done_p) * 0.4, "relocated", "signed")),
    )
    status = np.where(mode == "undecided", np.where(r < 0.5, "unsigned", "signed"), status)

    signed_m, relocated_m, resettled_m = _status_months(rng, city, year, status, mode)

    hazard = np.where(is_rural, np.where(rng.random(n) < 0.65, "D", "C"), None)
    seismic = np.where(
        is_rural, np.where(city.code in SEISMIC_8, rng.choice([7, 8, 8, 9], n), rng.choice([6, 7, 7, 8], n)), 0
    )
    rural_subsidy = np.where(hazard == "D", rng.uniform(10_000, 20_000, n), rng.uniform(3_000, 8_000, n))
    compensation = np.where(monetised, np.round(comp, 0), np.where(is_rural, np.round(rural_subsidy, 0), np.nan))

    projects = np.array([f"{reg.name(c)}{year}年棚户区改造项目" for c in counties])
    proj_index = np.repeat(np.arange(len(counties)), n_shanty + n_rural)
    project = np.where(is_rural, "农村危房改造", projects[proj_index])
    return pa.table(
        {
            "household_id": ids,
            "region_code": pa.array(codes).dictionary_encode(),
            "project": pa.array(project).dictionary_encode(),
            "category": pa.array(category).dictionary_encode(),
            "plan_year": pa.array(np.full(n, year, dtype=np.int32)),
            "members": pa.array(members.astype(np.int32)),
            "original_area_m2": pa.array(original_area),
            "is_hardship": pa.array(rng.random(n) < 0.08),
            "mode": pa.array(mode).dictionary_encode(),
            "channel": pa.array(channel.tolist(), type=pa.string()),
            "compensation_yuan": pa.array(compensation, from_pandas=True),
            "status": pa.array(status).dictionary_encode(),
            "purchased_area_m2": pa.array(purchased, from_pandas=True),
            "hazard_grade": pa.array(hazard.tolist(), type=pa.string()),
            "seismic_intensity": pa.array(np.where(is_rural, seismic, 0).astype(np.int32), mask=~is_rural),
            "signed_month": signed_m,
            "relocated_month": relocated_m,
            "resettled_month": resettled_m,
        }
    )


LAST_MONTH = 2017 * 12 + 11  # 2017-12 as a month index (year × 12 + month − 1)
MONTH_LABELS = np.array([f"{i // 12:04d}-{i % 12 + 1:02d}" for i in range(2014 * 12, LAST_MONTH + 1)])


def _label(index: np.ndarray, has: np.ndarray) -> pa.Array:
    """Month indices as 'YYYY-MM' strings (null where ``has`` is false), dictionary-encoded (fast, and the
    store writes plain strings)."""
    safe = (np.clip(index, 2014 * 12, LAST_MONTH) - 2014 * 12).astype(np.int32)
    codes = pa.array(safe, mask=~has)
    return pa.DictionaryArray.from_arrays(codes, pa.array(MONTH_LABELS))


def _status_months(rng, city: CityCalibration, year: int, status: np.ndarray, mode: np.ndarray):
    """The months each household was signed, relocated and resettled, consistent with its status at end-2017.

    Starts follow the yearly start curve (data/start_curve.csv); a city behind the curve starts its households
    a month or two late, so it falls behind in the months the curve says (and shows as a laggard then).
    """
    from analysis.progress import start_curve

    curve = np.array([start_curve()[m] for m in range(1, 13)])
    n = len(status)
    delay = int(round((1 - city.behind) * 6))
    first = year * 12 + np.searchsorted(curve, rng.random(n) * curve[-1], side="left") + delay
    first = np.minimum(first + (rng.random(n) < 0.1), LAST_MONTH)  # a tenth a month later still
    started = np.isin(status, ["signed", "relocated", "resettled"])
    moved = np.isin(status, ["relocated", "resettled"])
    done = status == "resettled"
    relocated = np.minimum(first + rng.integers(1, 4, n), LAST_MONTH)
    # resettled: bought housing within months, a new flat when it is built (at the latest by the end of the data)
    span = np.where(mode == "monetised", rng.integers(1, 5, n), rng.integers(6, 25, n))
    resettled = np.minimum(relocated + span, LAST_MONTH)
    return _label(first, started), _label(relocated, moved), _label(resettled, done)


def write(store):
    """Replace the store's data with the demo set (one new version; earlier versions stay for rollback)."""
    from analysis.regions import load_registry

    return store.commit(
        generate(load_registry()),
        action="demo",
        synthetic=True,
        replace_all=True,
        file_name="（内置演示数据）",
        note="合成演示数据，非真实统计",
    )
