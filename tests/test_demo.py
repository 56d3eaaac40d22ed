"""The demo data set: deterministic, complete and calibrated as domain.md describes."""

from __future__ import annotations

import hashlib

import numpy as np
import pandas as pd
import pytest

from analysis import demo
from analysis.metrics import MetricsQuery, compute
from analysis.regions import load_registry
from analysis.store import Store


@pytest.fixture(scope="module")
def tables(demo_dir):
    """The demo set as the session's demo store holds it (written by ``demo.write``)."""
    import pyarrow as pa
    import pyarrow.parquet as pq

    def read(kind):
        return pa.concat_tables([pq.read_table(f) for f in sorted(demo_dir.glob(f"parts/{kind}/*/*.parquet"))])

    out = {k: read(k).drop_columns(["import_version"]) for k in ("inventory", "plans", "households")}
    return {
        "inventory": out["inventory"].to_pandas(),
        "plans": out["plans"].to_pandas(),
        "households": out["households"],
    }


def test_deterministic(tables):
    """Generated again, the set is the one the session's store holds (written by another process or earlier):
    inventory and plans row for row; households by their counts and sums per county, category, mode and status,
    and the same ids (the store keeps rows sorted by key, so the order is not compared)."""
    again = demo.generate(load_registry())
    for kind, key in (("inventory", ["region_code", "period"]), ("plans", ["region_code", "year"])):
        a = again[kind].sort_values(key).reset_index(drop=True)
        b = tables[kind].sort_values(key).reset_index(drop=True)[list(a.columns)]
        pd.testing.assert_frame_equal(a, b, check_dtype=False)

    def summary(hh):
        keys = ["region_code", "category", "mode", "status"]
        frame = hh.select([*keys, "compensation_yuan"]).to_pandas()
        frame[keys] = frame[keys].astype(str)
        out = frame.groupby(keys).compensation_yuan.agg(["count", "sum"]).reset_index()
        return out.sort_values(keys).reset_index(drop=True)

    pd.testing.assert_frame_equal(summary(again["households"]), summary(tables["households"]), check_dtype=False)
    ids = again["households"].column("household_id").to_pandas()
    assert (
        hashlib.sha256(ids.sort_values().str.cat().encode()).hexdigest()
        == hashlib.sha256(tables["households"].column("household_id").to_pandas().str.cat().encode()).hexdigest()
    )


def test_every_current_county_every_month(tables):
    reg = load_registry()
    counties = {c for p in ("140000", "210000") for c in reg.counties_under(p)}
    inv = tables["inventory"]
    assert set(inv.region_code) == counties and len(counties) == 217
    months = inv.groupby("region_code").period.nunique()
    assert months.ge(35).all() and set(months[months == 35].index) == demo.LATE_REPORTERS
    assert inv.period.min() == "2015-01" and inv.period.max() == "2017-12"


def test_plan_totals_match_the_province_targets(tables):
    plans = tables["plans"]
    by_prov = plans.groupby(plans.region_code.str[:2]).planned_households.sum()
    assert by_prov["14"] == 530_000 and by_prov["21"] == 470_000
    hh = tables["households"].to_pandas()
    rural = hh[hh.category == "rural_dilapidated"]
    assert rural.region_code.astype(str).str[:2].eq("14").sum() == pytest.approx(320_000, rel=0.02)


def test_december_peak_february_trough(tables):
    inv = tables["inventory"]
    by_month = inv.groupby(inv.period.str[5:]).sold_area_m2.sum()
    assert by_month.idxmax() == "12" and by_month.idxmin() == "02"


def test_calibration_of_destock_and_shares(demo_dir):
    con = Store(demo_dir).connect()
    early = compute(con, MetricsQuery(level="city", period="2016-01"))
    late = compute(con, MetricsQuery(level="city", period="2017-12"))
    assert early.destock_months.between(18, 46).all(), early[["region_name", "destock_months"]]
    assert late.destock_months.between(8, 24).all(), late[["region_name", "destock_months"]]
    shenyang = late.set_index("region_code").loc["210100"].destock_months
    assert 14 <= shenyang <= 18
    shares = [
        compute(con, MetricsQuery(level="province", period=f"{y}-12")).monetised_share.mean()
        for y in (2015, 2016, 2017)
    ]
    assert shares[0] < 0.35 and 0.4 < shares[1] < 0.6 and shares[2] > 0.55
    # higher where inventory is large: the share correlates with the city's 2016 destock period
    d16 = compute(con, MetricsQuery(level="city", period="2016-12"))
    assert np.corrcoef(d16.destock_months, d16.monetised_share)[0, 1] > 0.3
    # some cities visibly behind: completion spread in 2017
    assert (late.completion_share < 0.38).sum() >= 2


def test_prices_in_range(tables):
    inv = tables["inventory"]
    prices = inv[inv.period.str.startswith("2016")].groupby(inv.region_code.str[:4]).avg_price_yuan_per_m2.mean()
    assert prices.between(3000, 12500).all()
    assert prices.idxmax() == "2102"  # 大连 highest
