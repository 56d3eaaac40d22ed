"""The three sample files and the rules of committing, through the command line as analysts run it."""

from __future__ import annotations

import json
from pathlib import Path

import duckdb
import pytest

from analysis.ingest import ingest, templates
from analysis.regions import load_registry
from analysis.store import Store
from tests.conftest import all_tables, run_cli
from tests.spreadsheets import csv_bytes, xlsx

SAMPLES = Path(__file__).resolve().parents[2] / "shared" / "samples"
if not SAMPLES.is_dir():
    SAMPLES = Path("/work/shared/samples")
needs_samples = pytest.mark.skipif(not SAMPLES.is_dir(), reason="../shared/samples not present")


def snapshot(d: Path) -> dict[str, bytes]:
    return {str(p.relative_to(d)): p.read_bytes() for p in sorted(d.rglob("*")) if p.is_file() and p.name != ".lock"}


@needs_samples
def test_the_three_samples_import_with_totals_that_match_the_files(tmp_path):
    d = tmp_path / "store"
    out = run_cli("import", str(SAMPLES / "changzhi_inventory_201706.xlsx"), data_dir=d).stdout
    # the file's own 合计 row: 48609套, 510.47 万平方米, 3054套, 30.55 万平方米
    assert "可售套数 48,609套，可售面积 510.47万㎡，当月销售套数 3,054套，当月销售面积 30.55万㎡" in out
    assert "统计月份 2017-06" in out and "已提交为版本 1" in out
    out = run_cli("import", str(SAMPLES / "anshan_households_2016.csv"), data_dir=d).stdout
    assert "行数 40" in out and "被征收人姓名、身份证号" in out
    out = run_cli("import", str(SAMPLES / "yangquan_plan_2015_2017.xlsx"), "--region", "阳泉市", data_dir=d).stdout
    assert "计划改造户数 33,800户" in out and "2015 至 2017" in out
    again = run_cli("import", str(SAMPLES / "anshan_households_2016.csv"), data_dir=d).stdout
    assert "新增 0 行，替换 40 行" in again
    m = json.loads(run_cli("metrics", "--level", "city", "--region", "140400", "--format", "json", data_dir=d).stdout)
    assert m[0]["saleable_area_m2"] == pytest.approx(5_104_700)
    con = all_tables(Store(d))  # the current version's rows (older parts stay on disk for rollback)
    n = con.execute("SELECT count(*), count(DISTINCT household_id) FROM households").fetchone()
    assert n == (40, 40)
    history = run_cli("history", data_dir=d).stdout
    assert "changzhi_inventory_201706.xlsx" in history and "yangquan_plan_2015_2017.xlsx" in history


def test_a_refused_file_lists_every_problem_and_leaves_the_store_as_it_was(tmp_path):
    d = tmp_path / "store"
    good = tmp_path / "good.csv"
    good.write_bytes(csv_bytes([["县区", "年度", "计划户数"], ["小店区", 2016, 100]]))
    run_cli("import", str(good), data_dir=d)
    before = snapshot(d)
    bad = tmp_path / "bad.xlsx"
    bad.write_bytes(
        xlsx(
            {
                "计划": [
                    ["县区", "年度", "计划户数", "货币化比例"],
                    ["小店区", 2017, 100, "50%"],
                    ["火星区", 2017, -5, "150%"],
                ]
            }
        )
    )
    proc = run_cli("import", str(bad), data_dir=d, check=2)
    assert proc.stdout == ""
    assert "已拒绝：文件「bad.xlsx」有 3 处错误，未写入任何数据" in proc.stderr
    assert "工作表「计划」第 3 行「县区」列，值「火星区」" in proc.stderr
    assert "工作表「计划」第 3 行「计划户数」列，值「-5」：不能为负数" in proc.stderr
    assert "工作表「计划」第 3 行「货币化比例」列，值「150%」：比例超过 100%" in proc.stderr
    as_json = json.loads(run_cli("import", str(bad), "--format", "json", data_dir=d, check=2).stdout)
    assert [(p["sheet"], p["row"], p["column"]) for p in as_json["problems"]] == [
        ("计划", 3, "县区"),
        ("计划", 3, "计划户数"),
        ("计划", 3, "货币化比例"),
    ]
    assert snapshot(d) == before


def test_dry_run_writes_nothing_and_csv_prints_only_the_rows(tmp_path):
    d = tmp_path / "store"
    f = tmp_path / "p.csv"
    f.write_bytes(csv_bytes([["县区", "年度", "计划户数"], ["小店区", "2016年", "1,200"]], "gbk"))
    out = run_cli("import", str(f), "--dry-run", "--format", "csv", data_dir=d).stdout
    assert out == "region_code,year,planned_households,target_monetised_share\n140105,2016,1200,\n"
    assert not d.exists() or not any(d.rglob("*.parquet"))


def test_no_personal_identifier_anywhere_under_the_data_dir(tmp_path):
    d = tmp_path / "store"
    secrets = ["王建国", "李秀英", "140105198001011234", "14010519750505432X", "13812345678", "6222020200112233445"]
    roll = tmp_path / "roll.xlsx"
    roll.write_bytes(
        xlsx(
            {
                "花名册": [
                    ["小店区棚户区改造花名册（2016年）"],
                    [
                        "户主姓名",
                        "身份证号码",
                        "联系电话",
                        "银行卡号",
                        "区县",
                        "类型",
                        "安置方式",
                        "补偿款（元）",
                        "状态",
                    ],
                    [
                        *secrets[0:1],
                        secrets[2],
                        secrets[4],
                        secrets[5],
                        "小店区",
                        "城中村",
                        "货币化安置",
                        300000,
                        "已签约",
                    ],
                    [secrets[1], secrets[3], "", "", "小店区", "城中村", "回迁安置", "", "未签约"],
                ]
            }
        )
    )
    out = run_cli("import", str(roll), data_dir=d).stdout
    assert "已提交为版本 1" in out
    for secret in secrets:
        assert secret not in out
    blobs = b"".join(p.read_bytes() for p in d.rglob("*") if p.is_file())
    con = duckdb.connect()
    text = " ".join(
        str(v) for row in con.execute(f"SELECT * FROM '{d}/parts/households/*/*.parquet'").fetchall() for v in row
    )
    for secret in secrets:
        assert secret.encode() not in blobs and secret not in text
    assert (d / ".id_key").stat().st_mode & 0o077 == 0  # the hashing key is readable by its owner only


@pytest.mark.parametrize("kind", ["inventory", "households", "plans"])
def test_each_blank_template_once_filled_reads_back(kind, tmp_path):
    import io

    import openpyxl

    wb = openpyxl.load_workbook(io.BytesIO(templates.template_bytes(kind)))
    assert wb.sheetnames == ["填报", "说明"]
    ws = wb["填报"]
    row = {
        "inventory": ["小店区", "2016年3月", 3000, 320000, 150, 15000, 7000, None, None, None],
        "households": [
            "XD-1",
            "小店区",
            "某项目",
            "城中村",
            2016,
            3,
            60,
            "否",
            "货币化安置",
            "平台选购",
            300000,
            "已签约",
            90,
            None,
            None,
        ],
        "plans": ["小店区", 2016, 1200, "60%"],
    }[kind]
    ws.append(row)
    buf = io.BytesIO()
    wb.save(buf)
    result = ingest(buf.getvalue(), templates.template_name(kind), load_registry(), id_key=b"k" * 32)
    assert result.kind == kind and result.ok, [p.text() for p in result.problems]
    assert result.frame.region_code.tolist() == ["140105"]


def test_a_refused_roll_names_the_personal_columns_it_would_drop_and_never_their_values(tmp_path):
    header = ["序号", "户主姓名", "身份证号", "所在区县", "类型", "安置方式", "补偿款（万元）", "签约状态", "计划年度"]
    body = [
        [1, "王建国", "140105198001011234", "小店区", "城中村", "货币化安置", "25.5", "已签约", "2016年"],
        [2, "李秀英", "14010519750505432X", "火星区", "城中村", "产权调换", "", "未签约", "2016年"],
    ]
    roll = tmp_path / "roll.csv"
    roll.write_bytes(csv_bytes([header, *body], "gbk"))
    proc = run_cli("import", str(roll), data_dir=tmp_path / "store", check=2)
    assert "已拒绝" in proc.stderr and "火星区" in proc.stderr
    assert "读取时将丢弃的个人身份信息列（不保存）：户主姓名、身份证号" in proc.stderr
    assert "王建国" not in proc.stderr and "140105198001011234" not in proc.stderr
