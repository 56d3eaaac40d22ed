"""Known answers, computed by hand from tests/conftest.py::tiny_tables.

Inventory at 2016-12:
  小店区 140105: saleable 24,000 ㎡; sold 1,000/month Jan–May, nothing reported for June, 2,000/month Jul–Dec.
  迎泽区 140106: saleable 5,000 ㎡; a row every month, all with 0 sold.
  新荣区 140212 (大同): saleable 3,000 ㎡; only 2016-12 reported, 1,000 sold.
  杏花岭区 140107: no rows anywhere.
"""

from __future__ import annotations

import math

import pandas as pd
import pytest

from analysis.metrics import CONTRACT_COLUMNS, MetricsQuery, compute


def row(frame, code):
    return frame.set_index("region_code").loc[code]


@pytest.fixture()
def con(tiny_store):
    c = tiny_store.connect()
    yield c
    c.close()


def test_county_destock_12_month_window(con):
    m = compute(con, MetricsQuery(level="county", scope="140100", period="2016-12", window_months=12))
    a = row(m, "140105")
    # 12-month window 2016-01..2016-12: 5 × 1,000 + 6 × 2,000 = 17,000 over the 11 months that have data
    assert a.avg_monthly_sold_m2 == pytest.approx(17000 / 11)
    assert a.destock_months == pytest.approx(24000 / (17000 / 11))  # 15.53
    assert a.destock_band == "12-18" and a.land_supply_advice == "维持供地"
    assert a.months_with_data == 11


def test_county_destock_6_month_window_edge_of_band(con):
    m = compute(con, MetricsQuery(level="county", scope="140100", period="2016-12", window_months=6))
    a = row(m, "140105")
    # 6-month window 2016-07..2016-12: 6 × 2,000 / 6 = 2,000; 24,000 / 2,000 = 12 exactly → [12,18)
    assert a.avg_monthly_sold_m2 == pytest.approx(2000)
    assert a.destock_months == pytest.approx(12.0)
    assert a.destock_band == "12-18"


def test_no_sales_gives_null_destock(con):
    m = compute(con, MetricsQuery(level="county", scope="140100", period="2016-12"))
    b = row(m, "140106")
    assert b.saleable_area_m2 == 5000
    assert b.avg_monthly_sold_m2 == 0
    assert b.destock_months is None or math.isnan(b.destock_months)
    assert b.destock_band is None or b.destock_band != b.destock_band  # None / NaN
    assert b.recommended_monetised_share is None or math.isnan(b.recommended_monetised_share)


def test_single_month_of_data_and_lowest_band(con):
    m = compute(con, MetricsQuery(level="county", scope="140200", period="2016-12"))
    c = row(m, "140212")
    assert c.avg_monthly_sold_m2 == 1000 and c.destock_months == pytest.approx(3.0)
    assert c.destock_band == "<6" and c.land_supply_advice == "显著增加并加快供地"
    assert c.recommended_monetised_share == pytest.approx(0.1)


def test_county_with_no_rows_is_listed_empty(con):
    m = compute(con, MetricsQuery(level="county", scope="140100", period="2016-12"))
    d = row(m, "140107")
    assert math.isnan(d.saleable_area_m2) and math.isnan(d.destock_months) and d.destock_status == "not_reported"
    # no plan, no roll: unknown, never 0
    assert pd.isna(d.planned_households) and pd.isna(d.households) and pd.isna(d.compensation_yuan)
    assert math.isnan(d.monetised_share) and math.isnan(d.completion_share)


def test_city_aggregates_counties(con):
    m = compute(con, MetricsQuery(level="city", period="2016-12"))
    assert set(m.region_code) == {f"14{c:02d}00" for c in range(1, 12)}  # every city of Shanxi, with or without data
    ty = row(m, "140100")
    # saleable 24,000 + 5,000 from the two reporting counties; sales: each county's own average,
    # 小店区 17,000 / 11 (June missing) + 迎泽区 0 / 12
    assert ty.saleable_area_m2 == 29000
    assert ty.avg_monthly_sold_m2 == pytest.approx(17000 / 11)
    assert ty.destock_months == pytest.approx(29000 / (17000 / 11))  # 18.76
    assert ty.destock_band == "18-36" and ty.land_supply_advice == "减少供地"
    assert ty.recommended_monetised_share == pytest.approx(0.7)
    assert (ty.counties_reporting, ty.counties_total, ty.months_with_data) == (2, 10, 11)


def test_province_row(con):
    m = compute(con, MetricsQuery(level="province", period="2016-12"))
    p = row(m, "140000")
    assert p.saleable_area_m2 == 32000
    # 17,000 / 11 + 0 + 新荣区's one month 1,000
    assert p.avg_monthly_sold_m2 == pytest.approx(17000 / 11 + 1000)
    assert p.destock_months == pytest.approx(32000 / (17000 / 11 + 1000))
    assert p.planned_households == 1500 and (p.counties_reporting, p.counties_total) == (3, 117)


def test_plans_and_households(con):
    m = compute(con, MetricsQuery(level="county", scope="140000", period="2016-12"))
    a, b, c = row(m, "140105"), row(m, "140106"), row(m, "140212")
    # 小店区: 4 urban households (h1–h4), the rural one (h5) counted apart
    assert (a.households, a.monetised_households, a.in_kind_households, a.undecided_households) == (4, 2, 1, 1)
    assert a.monetised_share == pytest.approx(2 / 3)  # undecided excluded from the denominator
    assert a.compensation_yuan == 500000
    assert a.resettled_households == 2 and a.completion_share == pytest.approx(2 / 1000)
    assert a.absorbed_area_m2 == pytest.approx(2 * 0.7 * 90)  # 126 ㎡
    assert a.destock_months_after == pytest.approx((24000 - 126) / (17000 / 11))
    assert a.target_monetised_share == pytest.approx(0.6)
    assert (a.rural_households, a.rural_d_grade_households, a.rural_priority_households) == (1, 1, 1)
    assert a.hardship_households == 1
    # 迎泽区: only undecided households → no share; no target in its plan
    assert b.households == 2 and math.isnan(b.monetised_share) and math.isnan(b.target_monetised_share)
    # 新荣区: zero planned → completion null; its only household is from 2015: no 2016 roll (unknown, not 0)
    assert c.planned_households == 0 and math.isnan(c.completion_share) and pd.isna(c.households)


def test_target_share_is_household_weighted(con):
    m = compute(con, MetricsQuery(level="city", period="2016-12"))
    # 太原: (1000 × 0.6) / 1000; 迎泽区 has no target and is left out of both sums
    assert row(m, "140100").target_monetised_share == pytest.approx(0.6)
    p = compute(con, MetricsQuery(level="province", period="2016-12"))
    # 山西: (1000 × 0.6 + 0 × 0.5) / (1000 + 0)
    assert row(p, "140000").target_monetised_share == pytest.approx(0.6)


def test_years_selection(con):
    m = compute(con, MetricsQuery(level="county", scope="140212", period="2016-12", years=(2015, 2016)))
    c = row(m, "140212")
    assert c.households == 1 and c.monetised_households == 1 and c.compensation_yuan == 250000


def test_months_missing_in_window(con):
    # at 2016-07 the 6-month window is 2016-02..2016-07: Feb–May 1,000, June missing, July 2,000 → 6,000 / 5
    m = compute(con, MetricsQuery(level="county", scope="140105", period="2016-07", window_months=6))
    a = row(m, "140105")
    assert a.avg_monthly_sold_m2 == pytest.approx(6000 / 5)
    assert a.saleable_area_m2 == 0  # the fixture reports 0 stock outside 2016-12
    assert a.destock_months == 0 and a.destock_band == "<6"


def test_contract_columns_come_first(con):
    m = compute(con, MetricsQuery(level="city", period="2016-12"))
    assert list(m.columns[: len(CONTRACT_COLUMNS)]) == CONTRACT_COLUMNS


def test_default_period_is_latest(con):
    m = compute(con, MetricsQuery(level="province"))
    assert set(m.period) == {"2016-12"}


def test_empty_store_gives_no_rows(data_dir):
    from analysis.store import Store

    con = Store(data_dir).connect()
    assert compute(con, MetricsQuery(level="city")).empty


def test_the_other_columns_by_hand(tiny_store):
    """The --all-columns figures beyond the contract's, on the same fixture.

    小店区 units: saleable 24,000 ㎡ / 100 = 240 套; sold 10 套 a month Jan–May and 20 a month Jul–Dec,
    so 5 × 10 + 6 × 20 = 170 套 over the 11 months with data.
    """
    from tests.conftest import tiny_tables

    inv = tiny_tables()["inventory"]
    december = inv[inv.period == "2016-12"].assign(unallocated_affordable_units=[30, 12, 5])
    tiny_store.commit({"inventory": december}, file_name="unallocated")
    con = tiny_store.connect()
    m = compute(con, MetricsQuery(level="county", scope="140000", period="2016-12"))
    a = row(m, "140105")
    assert a.saleable_units == 240
    assert a.avg_monthly_sold_units == pytest.approx(170 / 11)
    assert a.destock_months_units == pytest.approx(240 / (170 / 11))  # 15.53
    # started: signed, relocated or resettled urban households: h1, h2, h3 (h4 unsigned; h5 rural)
    assert a.started_households == 3 and a.start_share == pytest.approx(3 / 1000)
    assert a.absorbed_units == pytest.approx(2 * 0.7)  # two monetised households, 70% buy
    assert a.absorbed_share == pytest.approx(2 * 0.7 * 90 / 24000)
    assert a.unallocated_affordable_units == 30
    # rural: h5 is grade D and resettled
    assert (a.rural_c_grade_households, a.rural_done_households) == (0, 1)
    city = row(compute(con, MetricsQuery(level="city", scope="140000", period="2016-12")), "140100")
    assert city.unallocated_affordable_units == 30 + 12
    con.close()
