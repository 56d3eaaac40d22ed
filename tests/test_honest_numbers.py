"""Numbers a leader can defend when counties have not reported: every rule, computed by hand.

The fixture is 太原市 (10 counties) in 2016, each county in a situation a provincial office meets:

  小店区 140105   reports every month: stock 10,000 ㎡, sells 500 ㎡ a month
  迎泽区 140106   reports Jan–Nov (stock 6,000, sells 300), then stops: not reporting in December
  杏花岭区 140107 starts in July: stock 4,000, sells 200 a month Jul–Dec (a 6-month window)
  尖草坪区 140108 reports every month: stock 2,000, sells nothing (无成交)
  万柏林区 140109 no inventory row at all (未报送), but ten monetised households in its roll
  晋源区 140110   reports December only: stock 1,000, sells 100
  the other four counties: nothing

At 2016-12 the reporting counties are 小店, 杏花岭, 尖草坪 and 晋源 (4 of 10):
  stock = 10,000 + 4,000 + 2,000 + 1,000 = 17,000
  average monthly sales = 500 + 200 + 0 + 100 = 800 (each county's own window average)
  去化周期 = 17,000 / 800 = 21.25, the thinnest window 1 month (晋源)
"""

from __future__ import annotations

import math

import pandas as pd
import pytest

from analysis import catalogue, headline
from analysis import format as fmt
from analysis.metrics import MetricsQuery, compute
from analysis.store import Store

MONTHS = [f"2016-{m:02d}" for m in range(1, 13)]


def inv(code: str, months: list[str], stock: float, sold: float) -> list[dict]:
    return [
        {"region_code": code, "period": p, "saleable_units": int(stock / 100), "saleable_area_m2": stock,
         "sold_units": int(sold / 100), "sold_area_m2": sold, "avg_price_yuan_per_m2": 7000.0}
        for p in months
    ]  # fmt: skip


def tables() -> dict[str, pd.DataFrame]:
    rows = (
        inv("140105", MONTHS, 10_000, 500)
        + inv("140106", MONTHS[:11], 6_000, 300)
        + inv("140107", MONTHS[6:], 4_000, 200)
        + inv("140108", MONTHS, 2_000, 0)
        + inv("140110", MONTHS[11:], 1_000, 100)
    )
    plans = pd.DataFrame(
        {"region_code": ["140105", "140105", "140107"], "year": [2016, 2015, 2016],
         "planned_households": [1000, 800, 500], "target_monetised_share": [0.6, 0.5, None]}
    )  # fmt: skip
    roll = [  # 小店区's roll, with dates and without; 万柏林区's ten monetised households
        ("a", "140105", "monetised", "resettled", "2016-03", "2016-05", "2016-09"),
        ("b", "140105", "monetised", "signed", "2016-08", None, None),
        ("c", "140105", "in_kind", "relocated", None, None, None),
        ("d", "140105", "undecided", "unsigned", None, None, None),
        ("e", "140105", "in_kind", "resettled", None, None, None),
    ] + [(f"w{i}", "140109", "monetised", "signed", None, None, None) for i in range(10)]
    households = pd.DataFrame(
        roll, columns=["household_id", "region_code", "mode", "status", "signed_month", "relocated_month",
                       "resettled_month"]
    ).assign(category="urban_shantytown", plan_year=2016, compensation_yuan=lambda f: (f["mode"] == "monetised") * 300_000.0)  # fmt: skip
    return {"inventory": pd.DataFrame(rows), "plans": plans, "households": households}


@pytest.fixture(scope="module")
def con(tmp_path_factory):
    store = Store(tmp_path_factory.mktemp("honest") / "store")
    store.commit(tables(), file_name="honest")
    c = store.connect()
    yield c
    c.close()


def row(frame: pd.DataFrame, code: str) -> pd.Series:
    return frame.set_index("region_code").loc[code].rename(code)


def q(con, level="city", period="2016-12", **kw) -> pd.DataFrame:
    return compute(con, MetricsQuery(level=level, scope=kw.pop("scope", "140100"), period=period, **kw))


def test_stock_and_sales_come_from_the_same_counties(con):
    ty = row(q(con), "140100")
    assert ty.saleable_area_m2 == 17_000
    assert ty.avg_monthly_sold_m2 == pytest.approx(800)  # not (500×12 + 300×11 + 200×6 + 100) / 12 = 883.3
    assert ty.destock_months == pytest.approx(21.25)
    assert (ty.destock_band, ty.land_supply_advice) == ("18-36", "减少供地")
    assert (ty.counties_reporting, ty.counties_total) == (4, 10)
    assert ty.months_with_data == 1 and not ty.window_complete  # 晋源区 has one month
    assert ty.thin_reason == "4/10 县已报送；仅 1 个月数据"


def test_each_county_in_its_situation(con):
    c = q(con, "county")
    stopped, started, nothing, absent = (row(c, k) for k in ("140106", "140107", "140108", "140109"))
    assert stopped.destock_status == "not_reported" and math.isnan(stopped.saleable_area_m2)
    assert math.isnan(stopped.avg_monthly_sold_m2) and stopped.data_note == "未报送"  # no figure, not 无成交
    assert started.avg_monthly_sold_m2 == pytest.approx(200) and started.months_with_data == 6
    assert started.destock_months == pytest.approx(20) and started.data_note == "仅 6 个月数据"
    assert nothing.destock_status == "no_sales" and nothing.avg_monthly_sold_m2 == 0
    assert math.isnan(nothing.destock_months) and nothing.data_note == "无成交"
    assert absent.destock_status == "not_reported" and math.isnan(absent.destock_months_after)
    in_november = row(q(con, "county", "2016-11"), "140106")  # while it still reported
    assert in_november.avg_monthly_sold_m2 == pytest.approx(300) and in_november.destock_months == pytest.approx(20)


def test_the_province_and_a_city_without_any_report(con):
    p = row(q(con, "province", scope="140000"), "140000")
    assert (p.counties_reporting, p.counties_total) == (4, 117)
    assert p.destock_months == pytest.approx(21.25)
    datong = row(q(con, scope="140000"), "140200")
    assert datong.counties_reporting == 0 and datong.destock_status == "not_reported"
    assert math.isnan(datong.saleable_area_m2) and pd.isna(datong.planned_households)  # unknown, not 0
    assert pd.isna(datong.households) and pd.isna(datong.compensation_yuan) and datong.data_note == "0/10 县已报送"


def test_the_after_figure_counts_absorption_only_where_the_stock_is_known(con):
    ty = row(q(con), "140100")
    # monetised: a, b in 小店区 (reporting) and ten in 万柏林区 (not): 12 × 0.7 × 90 = 756 ㎡ absorbed in all
    assert ty.absorbed_area_m2 == pytest.approx(756)
    assert ty.destock_months_after == pytest.approx((17_000 - 2 * 63) / 800)  # only 小店区's 126 ㎡
    assert ty.absorbed_share == pytest.approx(126 / 17_000)


def test_progress_as_of_the_month(con):
    june = row(q(con, "county", "2016-06"), "140105")
    # started by June: a (signed 2016-03), c and e (no dates: by their status); b signs in August
    assert june.started_households == 3 and june.start_share == pytest.approx(3 / 1000)
    # resettled by June: e (no dates, resettled); a is resettled in September
    assert june.resettled_households == 1 and june.completion_share == pytest.approx(1 / 1000)
    dec = row(q(con, "county", "2016-12"), "140105")
    assert dec.started_households == 4 and dec.resettled_households == 2
    # of the four households past 未签约 (a, b, c, e), a and b have dates
    assert dec.progress_dated_share == pytest.approx(2 / 4)
    assert headline.progress_note(dec) == "50% 的已启动户无日期，按最新状态"


def compute_for(con):
    def compute_(level, period, scope=None, only=None, years=None):
        return compute(con, MetricsQuery(level=level, scope=scope, period=period, years=tuple(years or ()), only=only))

    return compute_


def test_changes_compare_the_same_counties(con):
    ty = row(q(con), "140100")
    month = headline.like_for_like(compute_for(con), ty, MONTHS, 1, "环比")
    # November reported 小店, 迎泽, 杏花岭, 尖草坪; December 小店, 杏花岭, 尖草坪, 晋源: three in common
    assert (month.counties, month.of) == (3, 4)
    assert month.before.saleable_area_m2 == 16_000 and month.now.saleable_area_m2 == 16_000
    assert month.text("saleable_area_m2") == "0.00万㎡ 环比（3 县同口径）"  # not −5,000 (迎泽 stopped, 晋源 began)
    year = headline.like_for_like(compute_for(con), ty, MONTHS, 12, "同比")
    assert not year.available and year.text("saleable_area_m2") == "同比 无可比数据"  # no 2015 in the store
    plan = headline.like_for_like(compute_for(con), ty, MONTHS, 12, "同比", by="plan")
    assert plan.text("planned_households") == "+200户 同比（1 县同口径）"  # 小店区 1,000 against 800


def test_a_band_follows_the_number_shown(tmp_path):
    """Boundaries given as decimals that are not exact in binary land in the band of the printed value."""
    store = Store(tmp_path / "store")
    rows = inv("140105", MONTHS, 7201.2, 1200.2) + inv("140106", MONTHS, 17_960, 1000)
    store.commit({"inventory": pd.DataFrame(rows)}, file_name="edges")
    c = q(store.connect(), "county")
    on_edge, nearly = row(c, "140105"), row(c, "140106")
    assert on_edge.destock_months < 6 and on_edge.destock_band == "6-12"  # 5.999999999999998, printed 6.0
    assert fmt.months(on_edge.destock_months) == "6.0个月"
    assert nearly.destock_band == "18-36" and fmt.months(nearly.destock_months) == "18.0个月"  # 17.96
    assert catalogue.band_of(nearly.destock_months) == nearly.destock_band  # Python and SQL agree


def test_a_short_window_is_said_on_the_card(tmp_path):
    store = Store(tmp_path / "store")
    store.commit({"inventory": pd.DataFrame(inv("140105", MONTHS[:2], 10_000, 500))}, file_name="two")
    c = store.connect()
    p = row(compute(c, MetricsQuery("province", "140000", "2016-02")), "140000")
    assert p.months_with_data == 2 and not p.window_complete
    month = headline.like_for_like(compute_for(c), p, ["2016-01", "2016-02"], 1, "环比")
    figures = {f.key: f for f in headline.overview(p, month, headline.Comparison("同比", "2015-02"),
                                                   headline.Comparison("同比", "2015-02"))}  # fmt: skip
    assert "仅 2 个月数据" in figures["destock_months"].note
    assert figures["planned_households"].value == "无计划数据"


def test_a_roll_without_a_category_counts_as_urban_never_lost(tmp_path):
    """A roll with no 棚户区类型 column stores the category as unknown (null): its households count among the
    urban ones (2 here), never vanish; only a 农村危房 household is rural (1)."""
    roll = pd.DataFrame(
        {"household_id": ["n1", "n2", "r1"], "region_code": ["140105"] * 3, "mode": ["monetised", "in_kind", None],
         "category": [None, None, "rural_dilapidated"], "plan_year": [2016] * 3, "status": ["signed"] * 3,
         "compensation_yuan": [100_000.0, None, None]}
    )  # fmt: skip
    store = Store(tmp_path / "s")
    store.commit({"households": roll, "inventory": pd.DataFrame(inv("140105", MONTHS, 1000, 10))}, file_name="r")
    c = store.connect()
    got = row(compute(c, MetricsQuery(level="county", scope="140105", period="2016-12")), "140105")
    assert (got.households, got.monetised_households, got.rural_households) == (2, 1, 1)
    assert got.monetised_share == 1 / 2  # 1 monetised ÷ (1 monetised + 1 in kind)
