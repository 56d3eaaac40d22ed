"""One number format (analysis/format.py): display units, fixed decimals, thousands separators, changes."""

from __future__ import annotations

import math

import pandas as pd

from analysis import format as fmt


def test_values_carry_their_unit_with_fixed_decimals():
    assert fmt.value("saleable_area_m2", 23_439_841.7) == "2,343.98万㎡"
    assert fmt.value("saleable_area_m2", 5_000) == "0.50万㎡"
    assert fmt.value("compensation_yuan", 3.7001e10) == "370.01亿元"
    assert fmt.value("compensation_per_household_yuan", 250_000) == "25.00万元"
    assert fmt.value("planned_households", 180000) == "180,000户"
    assert fmt.value("monetised_share", 0.569) == "56.9%"
    assert fmt.value("destock_months", 14.617) == "14.6个月"
    assert fmt.value("destock_months", 20) == "20.0个月"  # never "20" beside "19.9"


def test_missing_values_say_so():
    assert fmt.value("planned_households", None) == "—" and fmt.value("planned_households", math.nan) == "—"
    assert fmt.value("destock_months", pd.NA, none="无成交") == "无成交"
    assert fmt.months(None) == "无成交"


def test_rounding_is_half_away_from_zero_like_duckdb():
    assert fmt.value("destock_months", 17.95) == "18.0个月"  # 17.95 × 10 = 179.5 (as DuckDB's round)
    assert fmt.value("destock_months", 7201.2 / 1200.2) == "6.0个月"
    assert fmt.number("saleable_area_m2", -5) == "0.00"  # no "−0.00"


def test_changes_use_the_unit_form_of_their_value():
    assert fmt.change("saleable_area_m2", -880_300) == "−88.03万㎡"
    assert fmt.change("planned_households", 20_000) == "+20,000户"
    assert fmt.change("monetised_share", 0.021) == "+2.1个百分点"
    assert fmt.change("destock_months", 0.0) == "0.0个月"
    assert fmt.change("delta_cash_needed_yuan", 6.2e9) == "+62.00亿元"


def test_percent_and_counts():
    assert fmt.percent(0.7025, 1) == "70.3%" and fmt.percent(0.7, 0) == "70%"
    assert fmt.count(12345, "套") == "12,345套"


def test_round_axis_steps():
    assert fmt.nice_range(199.3) == (200.0, 50.0)
    assert fmt.nice_range(66.4) == (80.0, 20.0)
    assert fmt.nice_step(0) == 1.0
