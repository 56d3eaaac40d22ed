"""Scenarios: hand-checked cases (tests/scenario_cases.yaml), the baseline invariant, links, the CLI."""

from __future__ import annotations

import io
import json
import math
from pathlib import Path

import openpyxl
import pandas as pd
import pytest
import yaml

from analysis import catalogue, metrics
from analysis.cli import main
from analysis.scenario import engine, report, state
from analysis.scenario.params import Scenario, ScenarioError, make_scenario, parameters
from analysis.store import Store
from tests.conftest import tiny_tables

CASES = yaml.safe_load((Path(__file__).with_name("scenario_cases.yaml")).read_text(encoding="utf-8"))


@pytest.fixture(scope="module")
def tiny_module_store(tmp_path_factory) -> Store:
    """The tiny store of conftest, written once for this module (the engine never writes to it)."""
    store = Store(tmp_path_factory.mktemp("scenario") / "store")
    store.commit(tiny_tables(), file_name="tiny")
    return store


@pytest.fixture(scope="module")
def tiny_inputs(tiny_module_store) -> engine.Inputs:
    con = tiny_module_store.connect()
    try:
        yield engine.load_inputs(con, "140000", "2016-12", 12, (2016,))
    finally:
        con.close()


def _row(frame: pd.DataFrame, code: str) -> pd.Series:
    return frame.set_index("region_code").loc[code]


def _same(actual, expected) -> bool:
    if expected is None:
        return actual is None or actual is pd.NA or (isinstance(actual, float) and math.isnan(actual))
    if isinstance(expected, str):
        return actual == expected
    return float(actual) == pytest.approx(float(expected), rel=1e-4, abs=1e-6)


@pytest.mark.parametrize("case", CASES, ids=[c["name"] for c in CASES])
def test_scenario_case(tiny_inputs, case):
    for col, value in (case.get("inputs") or {}).items():
        got = _row(tiny_inputs.counties, case["region"])[col]
        assert _same(got, value), f"input {col}: {got} ≠ {value}"
    scenario = make_scenario({**case["changes"], "province_code": "140000", "years": [2016]})
    result = engine.run(tiny_inputs, scenario)
    row = _row(result.at(case.get("level", "county")), case["region"])
    wrong = {c: (row[c], v) for c, v in case["expected"].items() if not _same(row[c], v)}
    assert not wrong, wrong


def test_baseline_is_never_mutated(tiny_inputs):
    before = {name: getattr(tiny_inputs, name).copy(deep=True) for name in ("counties", "cities", "province")}
    default_policy = dict(parameters()["policy_table"].value)
    baseline = Scenario().baseline()
    first = engine.compute(tiny_inputs, baseline)
    for changes in (
        {"share": 0.9},
        {"overrides": {"140100": 0.1, "140105": 1.0}, "purchase_share": 0.1},
        {"preset": "rule_2018", "policy": {"12-18": 0.05, "<6": 0.0}, "rule_2018_months": 60},
        {"preset": "policy_table", "compensation_yuan_per_household": 1.0, "construction_cost_yuan_per_m2": 9999},
    ):
        engine.run(tiny_inputs, make_scenario(changes))
    for name, frame in before.items():
        pd.testing.assert_frame_equal(getattr(tiny_inputs, name), frame)
    again = engine.compute(tiny_inputs, baseline)
    for level in engine.LEVELS:
        pd.testing.assert_frame_equal(first.at(level), again.at(level))
    assert (
        dict(parameters()["policy_table"].value)
        == default_policy
        == {b.key: b.recommended_share for b in catalogue.bands()}
    )
    assert Scenario() == Scenario().baseline().replace(name="") and Scenario().changes() == {}


def test_overrides_are_validated_whole_before_anything_applies():
    with pytest.raises(ScenarioError) as err:
        make_scenario(
            {
                "share": 1.2,
                "overrides": {"999999": 0.5, "140100": -0.1, "210100": 0.5},
                "purchase_area_m2": 0,
                "policy": {"9-10": 0.5},
                "province_code": "140000",
            }
        )
    text = "\n".join(err.value.problems)
    for part in ("1.2", "999999", "太原市", "沈阳市", "户均购房面积", "9-10"):
        assert part in text, part
    assert len(err.value.problems) >= 6


def test_higher_share_never_absorbs_less(tiny_inputs):
    last = None
    for i in range(0, 101, 5):
        r = engine.compute(tiny_inputs, make_scenario({"share": i / 100}))
        now = r.county.set_index("region_code")[["monetised_households", "absorbed_area_m2", "cash_needed_yuan"]]
        if last is not None:
            assert (now >= last).all().all()
        last = now


def test_deltas_follow_the_region_code_when_the_reference_lists_regions_otherwise(tiny_inputs):
    """A reference whose counties come in another order (and lacks one) is matched by region code: each delta
    is this county's figure minus the same county's, by hand; a county the reference lacks has no delta."""
    mine = engine.compute(tiny_inputs, make_scenario({"share": 0.9}))
    base = engine.compute(tiny_inputs, make_scenario({"share": 0.3}))
    county = base.columns["county"]
    order = list(range(len(county["region_code"])))[::-1][:-1]  # reversed, the first county left out
    shuffled = {**base.columns, "county": {c: v[order] for c, v in county.items()}}
    got = engine.compare(mine, engine.Result(base.scenario, shuffled)).county.set_index("region_code")
    left_out = county["region_code"][0]
    for i, code in enumerate(county["region_code"]):
        want = int(mine.columns["county"]["monetised_households"][i]) - int(county["monetised_households"][i])
        if code == left_out:
            assert pd.isna(got.loc[code, "delta_monetised_households"])
        else:
            assert got.loc[code, "delta_monetised_households"] == want
            assert got.loc[code, "delta_absorbed_area_m2"] == pytest.approx(want * 0.7 * 90)


def test_planned_households_are_those_metrics_reports(tiny_inputs, tiny_module_store):
    m = metrics.compute(tiny_module_store.connect(), metrics.MetricsQuery("county", "140000", "2016-12", 12, (2016,)))
    got = tiny_inputs.counties.set_index("region_code").planned_households
    # metrics leaves a county with no plan unknown; the engine plans nothing there (0 households to place)
    assert got.to_dict() == m.set_index("region_code").planned_households.fillna(0).astype(int).to_dict()


def test_link_round_trip_gives_the_same_results(tiny_inputs):
    scenario = make_scenario(
        {
            "preset": "rule_2018",
            "overrides": {"140100": 0.7, "140106": 0.35},
            "purchase_share": 0.65,
            "purchase_area_m2": 88.5,
            "in_kind_area_m2": 70,
            "construction_cost_yuan_per_m2": 2800,
            "compensation_yuan_per_household": 300000,
            "policy": {"6-12": 0.2},
            "rule_2018_months": 14,
            "years": [2016],
            "province_code": "140000",
            "period": "2016-12",
            "window_months": 6,
            "name": "太原 70%",
        }
    )
    text = state.encode(scenario)
    assert len(text) < 400 and all(c.isalnum() or c in "-_" for c in text)
    back = state.decode(text)
    assert back == scenario
    a, b = engine.run(tiny_inputs, scenario), engine.run(tiny_inputs, back)
    for level in engine.LEVELS:
        pd.testing.assert_frame_equal(a.at(level), b.at(level))
    assert state.from_dict(json.loads(json.dumps(state.to_dict(scenario)))) == scenario


@pytest.mark.parametrize("text", ["not-base64!", "e30", "eyJ2IjoxLCJzIjozfQ", "eyJ2Ijo5fQ", "eyJ6eiI6MX0"])
def test_bad_links_are_refused_in_chinese(text):
    if text == "e30":  # {} is the default scenario
        assert state.decode(text) == Scenario()
        return
    with pytest.raises(ScenarioError) as err:
        state.decode(text)
    assert any("\u4e00" <= ch <= "\u9fff" for ch in str(err.value))


def test_every_output_column_has_a_chinese_label():
    columns = engine.RESULT_COLUMNS + engine.DELTA_COLUMNS + engine.COUNTY_COLUMNS
    missing = [c for c in columns if c not in catalogue.columns()]
    assert not missing, missing


def test_excel_has_parameters_results_and_notes(tiny_inputs):
    scenario = make_scenario({"preset": "policy_table", "overrides": {"140100": 0.7}, "province_code": "140000"})
    data = report.excel_bytes(engine.run(tiny_inputs, scenario), "山西省")
    book = openpyxl.load_workbook(io.BytesIO(data))
    assert book.sheetnames == ["情景参数", "全省", "各市", "各县", "说明"]
    params = [[c.value for c in row] for row in book["情景参数"].iter_rows()]
    assert params[0] == ["参数", "取值", "单位", "允许范围", "说明", "默认值来源"]  # no English code column
    assert any(r[:3] == ["太原市货币化安置比例", 70, "%"] for r in params)  # a number, not the text '70'
    assert not any(x in str(r) for r in params for x in ("reference/", "plans.", "households."))  # no file names
    headers = [c.value for c in book["各市"][1]]
    assert "所需补偿资金（亿元）" in headers and "消化后去化周期变化（个月）" in headers
    notes = " ".join(str(r[0].value) for r in book["说明"].iter_rows())
    assert "计划改造户数 × 货币化安置比例（不取整）" in notes


def test_summary_says_what_the_scenario_does(tiny_inputs):
    scenario = make_scenario({"share": 0.25, "province_code": "140000"})
    text = report.summary(engine.run(tiny_inputs, scenario))
    assert "全省统一比例 25.0%" in text and "货币化安置" in text and "少 " in text


def test_the_summary_names_the_largest_changes_either_way(tiny_inputs):
    """A lower share lengthens every city's period: the three named are the largest changes, not the smallest."""
    result = engine.run(tiny_inputs, make_scenario({"share": 0.2, "province_code": "140000"}))
    five = pd.concat([result.city.iloc[[0]]] * 5, ignore_index=True)  # one city's row, five times, renamed
    names = ["太原市", "吕梁市", "朔州市", "大同市", "阳泉市"]
    result.__dict__["city"] = five.assign(region_name=names, delta_destock_months_after=[1.4, 6.4, 5.0, 4.4, -0.02])
    text = report.summary(result)
    assert "去化周期变化最大的城市：吕梁市（+6.4个月）、朔州市（+5.0个月）、大同市（+4.4个月）。" in text
    result.__dict__["city"] = result.city.assign(delta_destock_months_after=[-1.4, -6.4, 5.0, -4.4, 0.0])
    assert "吕梁市（−6.4个月）、朔州市（+5.0个月）、大同市（−4.4个月）" in report.summary(result)


def test_the_one_line_description_names_bands_as_the_page_does():
    scenario = make_scenario({"preset": "policy_table", "policy": {"12-18": 0.45}, "purchase_share": 0.6})
    assert report.describe(scenario) == "政策表建议；购房比例 60.0%；政策表 12–18个月→45.0%"


# -- the command line ----------------------------------------------------------------------------------


def _cli(capsys, *args: str) -> tuple[int, str, str]:
    code = main(list(args))
    out = capsys.readouterr()
    return code, out.out, out.err


def test_cli_done_when_share_09_for_a_county(demo_dir, capsys):
    code, out, _ = _cli(capsys, "scenario", "--share", "0.9", "--level", "county", "--region", "140105",
                        "--format", "csv", "--data-dir", str(demo_dir))  # fmt: skip
    assert code == 0
    frame = pd.read_csv(io.StringIO(out), dtype={"region_code": str})
    assert list(frame.region_code) == ["140105"]
    row = frame.iloc[0]
    code, m_out, _ = _cli(capsys, "metrics", "--level", "county", "--region", "140105", "--format", "csv",
                          "--data-dir", str(demo_dir))  # fmt: skip
    planned = int(pd.read_csv(io.StringIO(m_out)).planned_households.iloc[0])
    assert row.planned_households == planned
    assert row.monetised_households == round(planned * 0.9)  # shown whole; the figures use planned × 0.9
    assert row.absorbed_area_m2 == pytest.approx(planned * 0.9 * 0.7 * 90)
    assert row.in_kind_households == planned - round(planned * 0.9)


@pytest.mark.parametrize(
    "args, words",
    [
        (["--share", "1.5"], ["超出允许范围"]),
        (["--set", "999999=0.5"], ["未知地区代码"]),
        (["--set", "140100"], ["格式不对"]),
        (["--region", "不存在的地方"], ["无法识别地区"]),
        (["--preset", "uniform"], ["需要给出比例"]),
        (["--preset", "nonsense"], ["未知的预设"]),
        (["--years", "2017-2015"], ["年度范围"]),
    ],
)
def test_cli_refuses_bad_input_in_chinese(tiny_module_store, capsys, args, words):
    code, out, err = _cli(capsys, "scenario", *args, "--data-dir", str(tiny_module_store.data_dir))
    assert code == 2 and out == ""
    for w in words:
        assert w in err


def test_cli_years_range_and_table(tiny_module_store, capsys):
    code, out, _ = _cli(capsys, "scenario", "--preset", "policy_table", "--set", "太原市=70%", "--years", "2015-2017",
                        "--region", "140000", "--data-dir", str(tiny_module_store.data_dir))  # fmt: skip
    assert code == 0
    assert "太原市 70.0%" in out and "所需补偿资金" in out


def _link(data) -> str:
    import base64

    return base64.urlsafe_b64encode(json.dumps(data).encode()).decode().rstrip("=")


@pytest.mark.parametrize(
    "data",
    [
        {"o": "abc"},
        {"t": [1]},
        {"o": [1, 2]},
        {"y": 2016},
        {"y": "2016"},
        {"pr": ["x"]},
        {"pa": 10**400},
        {"m": "2016-13"},
        {"m": 201612},
        {"n": [1]},
        {"o": {"140100": "abc"}},
        [[[[[[[[[[[]]]]]]]]]]],
    ],
)
def test_tampered_links_are_refused_in_chinese_never_a_crash(data):
    with pytest.raises(ScenarioError) as exc:
        state.decode(_link(data))
    assert all(any("\u4e00" <= ch <= "\u9fff" for ch in p) for p in exc.value.problems)


def test_unknown_compensation_is_unknown_at_city_and_province_not_zero(tiny_inputs):
    import dataclasses

    county = tiny_inputs.counties.copy()
    county["compensation_per_household_yuan"] = float("nan")
    unknown = dataclasses.replace(tiny_inputs, counties=county)
    result = engine.run(unknown, make_scenario({"province_code": "140000"}))
    assert result.county.cash_needed_yuan.isna().all()
    paying = result.city[result.city.monetised_households > 0]
    assert len(paying) and paying.cash_needed_yuan.isna().all()  # 太原: unknown, not 0
    assert result.province.cash_needed_yuan.isna().all()
    text = report.summary(result)  # says the cash is unknown rather than "nan" or 0
    assert "nan" not in text.lower()
    report.excel_bytes(result, "山西省")


def test_a_citys_households_are_its_counties_unrounded_sum_rounded_once(tiny_inputs):
    """A city of k counties of 3 planned households each, at 50%: each county shows round(1.5) = 2, the city
    round(1.5 k) (3 for two counties, as a person computes 6 × 50%), not 2 k; the areas use 1.5 per county."""
    import dataclasses

    counties = tiny_inputs.counties.copy()
    city = counties.city_code.value_counts().index[0]  # the city with the most counties
    mine = counties.city_code == city
    counties.loc[mine, "planned_households"] = 3
    inputs = dataclasses.replace(tiny_inputs, counties=counties)
    result = engine.run(inputs, make_scenario({"share": 0.5, "province_code": "140000", "years": [2016]}))
    k = int(mine.sum())
    assert k >= 2
    for code in counties.region_code[mine]:
        assert _row(result.county, code).monetised_households == 2  # half to even: round(1.5) = 2
    shown = _row(result.city, city)
    assert shown.planned_households == 3 * k
    assert shown.monetised_households == round(1.5 * k) and shown.monetised_share == round(1.5 * k) / (3 * k)
    assert shown.in_kind_households == 3 * k - round(1.5 * k)  # the two add up to the planned households
    assert shown.absorbed_area_m2 == pytest.approx(1.5 * k * 0.7 * 90)
    assert shown.construction_area_m2 == pytest.approx(1.5 * k * result.scenario.in_kind_area_m2)
