"""The mapping step as analysts use it from the command line: a question the reader cannot settle stops
the import with a suggested mapping; the analyst's answers are applied and checked again; a saved mapping
is applied to the next file from the same region without asking; saved mappings are versioned."""

from __future__ import annotations

from pathlib import Path

import pytest

from analysis.ingest import ingest
from analysis.ingest.mapping import Mapping
from analysis.ingest.problems import RefusedFile
from analysis.mapping_book import MappingBook
from analysis.regions import load_registry
from tests.conftest import run_cli
from tests.spreadsheets import xlsx
from tests.test_ingest_cli import snapshot

OFFICE = Path(__file__).parent / "files" / "office"
CHENGQU = OFFICE / "chengqu_households_2016.xls"
REGISTRY = load_registry()


def unknown_column_file() -> bytes:
    return xlsx(
        {
            "2016年6月": [
                ["县区", "可售面积（万平方米）", "已售面积（万平方米）", "甲乙指标"],
                ["小店区", 10.5, 1.2, 33],
                ["迎泽区", 8, 0.5, 12],
            ]
        }
    )


def test_a_column_nobody_knows_blocks_the_commit_until_mapped_or_ignored():
    data = unknown_column_file()
    asked = ingest(data, "taiyuan.xlsx", REGISTRY, kind="inventory", region="太原市")
    assert not asked.ok
    (question,) = asked.open_questions
    assert (question.about, question.written, question.blocking) == ("column", "甲乙指标", True)
    assert question.samples == ("33", "12") or set(question.samples) <= {"33", "12"}
    (error,) = asked.errors
    assert error.column == "甲乙指标" and "33、12" in error.value and "映射" in error.reason
    ignored = ingest(
        data,
        "taiyuan.xlsx",
        REGISTRY,
        kind="inventory",
        region="太原市",
        mapping=Mapping.from_dict({"columns": {"甲乙指标": "ignore"}}),
    )
    assert ignored.ok and len(ignored.frame) == 2
    assert any("甲乙指标" in n.column and "不导入" in n.reason for n in ignored.notes)
    mapped = ingest(
        data,
        "taiyuan.xlsx",
        REGISTRY,
        kind="inventory",
        region="太原市",
        mapping=Mapping.from_dict({"columns": {"甲乙指标": "new_permit_area_m2"}}),
    )
    assert mapped.ok
    assert mapped.frame.set_index("region_code").new_permit_area_m2.to_dict() == {"140105": 33, "140106": 12}


def test_a_mapping_file_with_a_bad_entry_is_refused_in_chinese():
    with pytest.raises(RefusedFile, match="不是"):
        Mapping.parse("columns:\n  面积: no_such_column\n", "households")
    with pytest.raises(RefusedFile):
        Mapping.parse("places:\n  城区: 99\n", "households")


def test_an_ambiguous_place_is_asked_answered_saved_and_applied_next_time(tmp_path, demo_dir):
    import shutil

    d = tmp_path / "store"  # a copy of the demo store (what `demo` writes), with accounts of its own
    shutil.copytree(demo_dir, d, ignore=shutil.ignore_patterns("accounts.sqlite3*"))
    before = snapshot(d)
    asked = run_cli("import", str(CHENGQU), "--kind", "households", data_dir=d, check=2)
    assert "140302" in asked.stderr and "140502" in asked.stderr and "places:" in asked.stderr
    assert snapshot(d) == before  # the question wrote nothing

    answer = tmp_path / "answer.yaml"
    answer.write_text('places:\n  城区: "140302"\n', encoding="utf-8")
    done = run_cli(
        "import", str(CHENGQU), "--kind", "households", "--mapping", str(answer), "--save-mapping", data_dir=d
    )
    assert "检查通过" in done.stdout and "已提交为版本" in done.stdout
    from analysis.accounts import AccountBook
    from analysis.accounts.audit import describe

    saved, committed = AccountBook(d).audit_log(2)  # newest first: the mapping saved after its commit
    assert (saved.what, saved.detail, committed.what) == (
        "mapping_saved", {"region": "140302", "kind": "households", "version": 1}, "commit",
    )  # fmt: skip
    assert describe(saved) == "山西省 阳泉市 城区 安置花名册的映射，版本 1"
    listed = run_cli("mappings", "list", data_dir=d).stdout
    assert "阳泉市城区（140302）" in listed and "第 1 版" in listed and "地名 1 项" in listed
    shown = run_cli("mappings", "show", "--region", "140302", "--kind", "households", data_dir=d).stdout
    assert "城区: '140302'" in shown

    again = run_cli("import", str(CHENGQU), "--kind", "households", "--dry-run", data_dir=d)
    assert again.stdout.startswith("已应用保存的映射（阳泉市城区，第 1 版）")
    assert "检查通过" in again.stdout
    ignored = run_cli("import", str(CHENGQU), "--kind", "households", "--no-saved-mapping", data_dir=d, check=2)
    assert "不唯一" in ignored.stderr


def test_saved_mappings_are_versions_never_overwritten_and_a_city_mapping_covers_its_counties(tmp_path):
    book = MappingBook(tmp_path)
    first = book.save("140300", "households", Mapping.from_dict({"columns": {"面积": "original_area_m2"}}), by="甲")
    second = book.save("140300", "households", Mapping.from_dict({"columns": {"面积": "ignore"}}), by="乙")
    assert (first.version, second.version) == (1, 2)
    assert first.path.read_text(encoding="utf-8") != second.path.read_text(encoding="utf-8")
    assert [v.by for v in book.versions("140300", "households")] == ["甲", "乙"]
    covering = book.for_region("140302", "households", REGISTRY)  # 阳泉市城区 has none of its own
    assert covering is not None and covering.region_code == "140300" and covering.mapping.column("面积") == "ignore"
    own = book.save("140302", "households", Mapping.from_dict({"places": {"城区": "140302"}}))
    assert book.for_region("140302", "households", REGISTRY).version == own.version
    assert book.for_region("140302", "inventory", REGISTRY) is None


def test_the_readme_mapping_example_is_a_valid_mapping():
    readme = (Path(__file__).resolve().parents[1] / "README.md").read_text(encoding="utf-8")
    block = readme[readme.index("```yaml\ncolumns:") + len("```yaml\n") :]
    mapping = Mapping.parse(block[: block.index("```")], "households")
    assert mapping.column("面积") == "original_area_m2" and mapping.place("城区") == "140302"
    assert mapping.value("mode", "货币") == "monetised"


def test_a_return_s_opening_stock_is_never_taken_for_a_figure_of_the_month():
    data = xlsx(
        {
            "9月": [
                ["县区", "可售面积（万平方米）", "当月销售面积（万平方米）", "期初可售面积（万平方米）"],
                ["小店区", 10.5, 1.2, 11.0],
                ["迎泽区", 8, 0.5, 8.2],
            ]
        }
    )
    r = ingest(data, "taiyuan_201609.xlsx", REGISTRY, kind="inventory", region="太原市")
    assert r.ok and r.frame.new_permit_area_m2.isna().all()
    assert any("期初可售面积" in n.column and "不导入" in n.reason for n in r.notes)


def test_a_terse_channel_header_is_confirmed_by_its_values_and_they_are_shown_not_masked():
    roll = xlsx(
        {
            "台账": [
                ["县区", "户编号", "安置方式", "途径", "计划年度"],
                ["小店区", "XD-1", "货币化安置", "政府收购", 2016],
                ["小店区", "XD-2", "货币化安置", "平台选购", 2016],
                ["小店区", "XD-3", "货币化安置", "房票", 2016],
                ["小店区", "XD-4", "货币化安置", "自由支配", 2016],
            ]
        }
    )
    r = ingest(roll, "roll.xlsx", REGISTRY, kind="households")
    (q,) = [q for q in r.questions if q.written == "途径"]
    assert q.guess == "channel"
    if q.blocking:
        assert "房票" in q.samples  # a column of known values is not one of names


def test_an_ambiguous_title_and_an_unknown_column_are_asked_in_one_round():
    roll = xlsx(
        {
            "Sheet1": [
                ["城区棚户区改造安置台账"],
                ["户编号", "安置方式", "计划年度", "甲乙指标"],
                ["CQ-1", "货币化安置", 2016, 3],
                ["CQ-2", "实物安置", 2016, 4],
            ]
        }
    )
    r = ingest(roll, "roll.xlsx", REGISTRY, kind="households")
    assert {q.about for q in r.open_questions} == {"place", "column"}


def test_a_chosen_region_the_file_contradicts_is_a_warning():
    data = xlsx({"2016年6月": [["县区", "可售面积", "当月销售面积"], ["中山区", 100000, 1000]]})
    r = ingest(data, "x.xlsx", REGISTRY, kind="inventory", region="太原市")
    assert any(p.severity == "warning" and "不在太原市内" in p.reason for p in r.problems)


def test_a_hostile_mapping_text_is_refused_before_it_is_expanded():
    bomb = 'a: &a ["x","x","x","x","x","x","x","x","x"]\nb: &b [*a,*a,*a,*a,*a,*a,*a,*a,*a]\n'
    bomb += "c: &c [*b,*b,*b,*b,*b,*b,*b,*b,*b]\ncolumns: {面积: [*c,*c,*c,*c,*c,*c,*c,*c,*c]}\n"
    with pytest.raises(RefusedFile, match="别名"):
        Mapping.parse(bomb, "households")
    with pytest.raises(RefusedFile, match="过大"):
        Mapping.parse("columns:\n" + "".join(f"  列{i}: ignore\n" for i in range(20_000)), "households")
