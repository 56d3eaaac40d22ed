"""The command line as analysts and scripts drive it (in-process through main(argv); the entry point itself
in a real process where its exit status is what is tested)."""

from __future__ import annotations

import io
import json

import pandas as pd
import pyarrow.parquet as pq
import pytest

from analysis.metrics import CONTRACT_COLUMNS
from tests.conftest import run_cli


def test_metrics_city_csv_on_demo_agrees_with_independent_recomputation(demo_dir):
    out = run_cli("metrics", "--level", "city", "--format", "csv", data_dir=demo_dir).stdout
    m = pd.read_csv(io.StringIO(out), dtype={"region_code": str})
    assert list(m.columns) == CONTRACT_COLUMNS
    assert len(m) == 25 and m.region_code.is_unique
    # independent route: the Parquet files read with pyarrow, aggregated with pandas, the rule written out:
    # the counties with stock at the month (and sales in the window), each county's own window average
    inv = pd.concat(pq.read_table(p).to_pandas() for p in demo_dir.glob("parts/inventory/*/*.parquet"))
    period = inv.period.max()
    window = sorted(inv.period.unique())[-12:]
    w = inv[inv.period.isin(window)]
    county_avg = w.groupby("region_code").sold_area_m2.sum() / w.groupby("region_code").sold_area_m2.count()
    now = inv[(inv.period == period) & inv.saleable_area_m2.notna()].set_index("region_code").saleable_area_m2
    both = pd.DataFrame({"stock": now, "avg": county_avg}).dropna()
    both["city"] = both.index.str[:4] + "00"
    sums = both.groupby("city")[["stock", "avg"]].sum()
    expected = (sums.stock / sums.avg).rename("expected")
    joined = m.set_index("region_code").join(expected)
    assert joined.destock_months.to_numpy() == pytest.approx(joined.expected.to_numpy())
    counted = both.groupby("city").size()
    assert (m.set_index("region_code").counties_reporting == counted.reindex(m.region_code).to_numpy()).all()


def test_metrics_json_and_table(demo_dir):
    rows = json.loads(run_cli("metrics", "--level", "province", "--format", "json", data_dir=demo_dir).stdout)
    assert {r["region_name"] for r in rows} == {"山西省", "辽宁省"}
    table = run_cli("metrics", "--level", "county", "--region", "太原市", data_dir=demo_dir).stdout
    assert "小店区" in table and "去化周期" in table and "万㎡" in table


def test_import_two_counties_gives_hand_computed_metrics_and_is_idempotent(tmp_path):
    d = tmp_path / "store"
    csv = tmp_path / "inventory.csv"
    lines = ["region_code,period,saleable_units,saleable_area_m2,sold_units,sold_area_m2,avg_price_yuan_per_m2"]
    for m in range(1, 13):  # 小店区 sells 1,500 ㎡ a month, 迎泽区 600 ㎡
        lines.append(f"140105,2016-{m:02d},300,{30000 if m == 12 else 32000},15,1500,7200")
        lines.append(f"140106,2016-{m:02d},250,{25200 if m == 12 else 26000},6,600,6800")
    csv.write_text("\n".join(lines) + "\n", encoding="utf-8")
    first = run_cli("import", str(csv), "--kind", "inventory", data_dir=d).stdout
    assert "已提交为版本 1" in first
    out = run_cli("metrics", "--level", "county", "--region", "140100", "--format", "csv", data_dir=d).stdout
    m = pd.read_csv(io.StringIO(out), dtype={"region_code": str}).set_index("region_code")
    # 30,000 / 1,500 = 20.0 → [18,36) 减少供地; 25,200 / 600 = 42.0 → ≥36 停止供地
    assert m.loc["140105", "destock_months"] == pytest.approx(20.0)
    assert (m.loc["140105", "destock_band"], m.loc["140105", "land_supply_advice"]) == ("18-36", "减少供地")
    assert m.loc["140106", "destock_months"] == pytest.approx(42.0)
    assert (m.loc["140106", "destock_band"], m.loc["140106", "land_supply_advice"]) == (">=36", "停止供地")
    before = pd.read_csv(io.StringIO(out))
    run_cli("import", str(csv), "--kind", "inventory", data_dir=d)
    again = run_cli("metrics", "--level", "county", "--region", "140100", "--format", "csv", data_dir=d).stdout
    pd.testing.assert_frame_equal(before, pd.read_csv(io.StringIO(again)))
    inv = pd.concat(pq.read_table(p).to_pandas() for p in d.glob("parts/inventory/*/v000002.parquet"))
    assert len(inv) == 24  # replaced, not duplicated


def test_import_refusal_exit_2_lists_every_problem_and_writes_nothing(tmp_path):
    d = tmp_path / "store"
    bad = tmp_path / "bad.csv"
    bad.write_text(
        "region_code,period,saleable_units,saleable_area_m2,sold_units,sold_area_m2,avg_price_yuan_per_m2\n"
        "140105,2016-01,10,-5,1,10,7000\n999999,2016-02,10,5,1,10,7000\n",
        encoding="utf-8",
    )
    proc = run_cli("import", str(bad), data_dir=d, check=2)
    assert "第 2 行「saleable_area_m2」列，值「-5」：不能为负数" in proc.stderr
    assert "第 3 行「region_code」列，值「999999」：未知地区" in proc.stderr
    assert proc.stdout == ""
    assert not (d / "CURRENT").exists()


def test_import_dry_run_csv_prints_only_rows(tmp_path):
    d = tmp_path / "store"
    f = tmp_path / "plans.csv"
    f.write_text("region_code,year,planned_households,target_monetised_share\n140105,2016,1200,60%\n", encoding="utf-8")
    out = run_cli("import", str(f), "--dry-run", "--format", "csv", data_dir=d).stdout
    assert out.splitlines() == ["region_code,year,planned_households,target_monetised_share", "140105,2016,1200,0.6"]
    assert not (d / "CURRENT").exists()


def test_history_and_rollback_commands(tmp_path):
    d = tmp_path / "store"
    f = tmp_path / "plans.csv"
    f.write_text("region_code,year,planned_households\n140105,2016,1200\n", encoding="utf-8")
    run_cli("import", str(f), data_dir=d)
    f.write_text("region_code,year,planned_households\n140105,2016,1500\n", encoding="utf-8")
    run_cli("import", str(f), data_dir=d)
    hist = run_cli("history", data_dir=d).stdout
    assert "plans.csv" in hist and "年度计划" in hist
    refused = run_cli("rollback", "1", data_dir=d, check=2)  # no terminal to ask on, no --yes
    assert "替换当前版本 2" in refused.stderr and "回退需要确认" in refused.stderr
    assert "已回退到版本 1（替换了版本 2；记录为新版本 3）" in run_cli("rollback", "1", "--yes", data_dir=d).stdout
    out = run_cli(
        "metrics", "--level", "county", "--region", "140105", "--period", "2016-12", "--format", "json", data_dir=d
    ).stdout
    assert json.loads(out)[0]["planned_households"] == 1200
    assert "不存在" in run_cli("rollback", "42", "--yes", data_dir=d, check=2).stderr


def test_bad_arguments_exit_2_in_chinese(tmp_path):
    d = tmp_path / "store"
    assert "格式不对" in run_cli("metrics", "--period", "2016-13", data_dir=d, check=2).stderr
    assert "无法识别地区" in run_cli("metrics", "--region", "火星市", data_dir=d, check=2).stderr
    assert "参数错误" in run_cli("metrics", "--level", "village", data_dir=d, check=2, process=True).stderr
    assert "找不到文件" in run_cli("import", str(tmp_path / "nope.xlsx"), data_dir=d, check=2).stderr


def test_demo_refuses_to_overwrite_without_force(demo_dir):
    proc = run_cli("demo", data_dir=demo_dir, check=2)
    assert "--force" in proc.stderr
    assert "未改动" in run_cli("demo", "--if-empty", data_dir=demo_dir).stdout


def test_internal_error_exit_1_without_traceback(tmp_path):
    d = tmp_path / "store"
    d.mkdir()
    (d / "CURRENT").write_text("7")  # points at a manifest that does not exist
    proc = run_cli("metrics", data_dir=d, check=None, process=True)  # the real entry point
    assert proc.returncode in (1, 2)
    assert "Traceback" not in proc.stderr


def test_a_month_outside_the_data_is_refused(demo_dir):
    for cmd in (["metrics"], ["scenario", "--share", "0.5"]):
        proc = run_cli(*cmd, "--period", "2019-01", data_dir=demo_dir, check=2)
        assert "数据中没有 2019-01 的库存数据：已有 2015-01 至 2017-12" in proc.stderr
