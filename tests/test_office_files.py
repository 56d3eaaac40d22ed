"""Returns written by LibreOffice (tests/files/office, rebuilt by tools/build_office_files.py): each imports
with exactly the rows its expected.yaml lists, stops at the mapping step with the choice named, or is
refused with every problem at once."""

from __future__ import annotations

import math
from pathlib import Path

import pytest
import yaml

from analysis.ingest import ingest
from analysis.regions import load_registry

FOLDER = Path(__file__).parent / "files" / "office"
EXPECTED = yaml.safe_load((FOLDER / "expected.yaml").read_text(encoding="utf-8"))["files"]
REG = load_registry()
KEY = b"k" * 32


def read(name: str, args: list[str] | None = None, **extra):
    spec = EXPECTED[name]
    options = dict(zip(args[::2], args[1::2])) if args else {}
    return ingest(
        (FOLDER / name).read_bytes(),
        name,
        REG,
        kind=spec["kind"],
        region=options.get("--region"),
        period=options.get("--period"),
        id_key=KEY,
        **extra,
    )


def same(a, b) -> bool:
    if a is None or (isinstance(a, float) and math.isnan(a)):
        return b is None
    if isinstance(b, float) or isinstance(a, float):
        return b is not None and abs(float(a) - float(b)) < 0.01
    return a == b


def assert_rows(result, spec) -> None:
    columns = spec["canonical"]["columns"]
    got = result.frame[columns].astype(object).where(result.frame[columns].notna(), None).values.tolist()
    want = spec["canonical"]["rows"]
    key = [columns.index(c) for c in ("region_code", "period", "year") if c in columns]
    if "household_id" not in columns:  # old counties merged into their successors may move: compare by key
        got, want = sorted(got, key=lambda r: [r[i] for i in key]), sorted(want, key=lambda r: [r[i] for i in key])
    assert len(got) == len(want), (len(got), len(want), [p.text() for p in result.problems])
    for i, (g, w) in enumerate(zip(got, want)):
        for col, a, b in zip(columns, g, w):
            if col == "household_id":
                if b is None:
                    assert str(a).startswith("HH-"), (i, a)  # a keyed hash where the roll has no number
                    continue
                a = str(a).split("-", 1)[1] if str(a).startswith(g[1] + "-") else a  # scoped by county
            assert same(a, b), (i, col, a, b)


GOOD = [n for n, s in EXPECTED.items() if s["outcome"].startswith("ok")]


@pytest.mark.parametrize("name", GOOD)
def test_a_good_return_imports_with_exactly_its_rows(name):
    spec = EXPECTED[name]
    result = read(name, spec.get("args"))
    assert result.ok, [p.text() for p in result.errors] + [q.written for q in result.open_questions]
    assert_rows(result, spec)
    if "personal_columns_dropped" in spec:
        assert sorted(result.dropped_personal) == sorted(spec["personal_columns_dropped"])
    for want in spec.get("problems", []):
        found = [p for p in result.problems if p.column == want["column"] and p.value == want["value"]]
        assert found and found[0].severity == want["level"], (want, [p.text() for p in result.problems])
        assert list(found[0].rows) == want["rows"]
    if spec["outcome"] == "ok":
        assert not result.warnings, [p.text() for p in result.warnings]


def test_a_bad_return_is_refused_with_every_problem_at_once():
    name = "xinzhou_inventory_2016_bad.xlsx"
    result = read(name)
    assert not result.ok
    got = {(p.sheet, p.row, p.column, p.value) for p in result.errors}
    for want in EXPECTED[name]["problems"]:
        assert (want["sheet"], want["row"], want["column"], want["value"]) in got, (want, got)
    assert len(result.errors) == len(EXPECTED[name]["problems"]), [p.text() for p in result.errors]
    assert "忻府区" in next(p.reason for p in result.errors if p.value == "忻州区")
    assert not any("缺少必需的列" in p.reason for p in result.problems)  # the price is optional


def test_an_ambiguous_place_stops_at_the_mapping_step_with_the_candidates():
    name = "chengqu_households_2016.xls"
    result = read(name)
    assert not result.ok
    places = [q for q in result.open_questions if q.about == "place"]
    assert places and places[0].written == "城区", [q for q in result.questions]
    codes = {c for c, _ in places[0].options}
    want = {c["code"] for c in EXPECTED[name]["without_args"]["candidates"]}
    assert {"140302", "140502"} <= codes <= want | codes
    from analysis.ingest.mapping import Mapping

    answered = read(name, mapping=Mapping(places={"城区": "140302"}))
    assert answered.ok, [p.text() for p in answered.errors]
    assert_rows(answered, EXPECTED[name])
