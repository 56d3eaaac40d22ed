"""Random and mangled files: a clean result or a clean refusal, never a traceback."""

from __future__ import annotations

import datetime as dt
import os

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from analysis.ingest import IngestResult, RefusedFile, ingest
from analysis.regions import load_registry
from tests.spreadsheets import csv_bytes, xlsx

REG = load_registry()
WORDS = [
    "县区",
    "县（区）",
    "统计月份",
    "可售面积（万平方米）",
    "可售套数",
    "当月销售",
    "套数",
    "面积",
    "均价",
    "年度",
    "2015年",
    "2016年",
    "计划改造户数",
    "货币化安置比例",
    "户主姓名",
    "身份证号",
    "安置方式",
    "补偿款（万元）",
    "签约状态",
    "棚户区类型",
    "合计",
    "小计",
    "栏次",
    "单位：套、万平方米",
    "填表人：",
    "说明：",
    "小店区",
    "城区",
    "郊区",
    "铁西区",
    "长治市",
    "火星区",
    "货币化安置",
    "已签约",
    "城中村",
    "60%",
    "1,234",
    " 25.6 ",
    "—",
    "/",
    "2016年1月",
    "2099-13",
    "-5",
    "1e309",
    "NaN",
    "＝SUM(A1)",
    "\u3000",
    "",
]
CELLS = st.one_of(
    st.sampled_from(WORDS),
    st.integers(-(10**6), 10**12),
    st.floats(allow_nan=True, allow_infinity=True),
    st.text(max_size=12),
    st.none(),
    st.just(dt.datetime(2016, 1, 31)),
)
GRIDS = st.lists(st.lists(CELLS, min_size=0, max_size=7), min_size=0, max_size=9)
KINDS = st.sampled_from([None, "inventory", "households", "plans"])
# INGEST_FUZZ_EXAMPLES=3000 for a deep run before a release; the suite's run stays quick
SETTINGS = settings(
    max_examples=int(os.environ.get("INGEST_FUZZ_EXAMPLES", "60")),
    deadline=None,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.filter_too_much],
)


def attempt(data: bytes, name: str, kind, region=None) -> None:
    try:
        result = ingest(data, name, REG, kind=kind, region=region, id_key=b"k" * 32)
    except RefusedFile as exc:
        assert str(exc) and all(p.reason for p in exc.problems)
        return
    assert isinstance(result, IngestResult)
    for p in result.problems:
        assert p.reason and p.severity in ("error", "warning", "note") and p.text()


@SETTINGS
@given(grid=GRIDS, kind=KINDS, region=st.sampled_from([None, "阳泉市", "140105", "火星"]))
def test_random_grids_as_xlsx(grid, kind, region):
    safe = [[c if not isinstance(c, str) else "".join(ch for ch in c if ch.isprintable()) for c in r] for r in grid]
    safe = [[None if isinstance(c, float) and (c != c or abs(c) == float("inf")) else c for c in r] for r in safe]
    attempt(xlsx({"表1": safe}), "x.xlsx", kind, region)


@SETTINGS
@given(grid=GRIDS, kind=KINDS, encoding=st.sampled_from(["utf-8", "utf-8-sig", "gb18030"]))
def test_random_grids_as_csv(grid, kind, encoding):
    attempt(csv_bytes(grid, encoding), "x.csv", kind)


@SETTINGS
@given(data=st.binary(max_size=600), suffix=st.sampled_from(["xlsx", "xls", "csv", "txt", "doc"]))
def test_random_bytes(data, suffix):
    attempt(data, f"x.{suffix}", None)


@SETTINGS
@given(cut=st.integers(0, 4000), flip=st.integers(0, 4000))
def test_mangled_workbook(cut, flip):
    good = bytearray(
        xlsx(
            {
                "库存": [
                    ["县区", "统计月份", "可售面积", "可售套数", "销售面积", "销售套数", "均价"],
                    ["小店区", "2016-01", 1, 1, 1, 1, 1],
                ]
            }
        )
    )
    if flip < len(good):
        good[flip] ^= 0xFF
    attempt(bytes(good[: max(cut, 1)] if cut < len(good) else good), "x.xlsx", None)
