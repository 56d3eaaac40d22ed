"""The same SQL files on Spark: the tiny known-answer fixture gives the same county metrics, breakdowns and
scenario costs on DuckDB and on Spark (pyspark in local mode, through sqlglot's transpiler), over the same
Parquet files. Skipped, saying why, only where Java is missing (``make test`` installs it when root)."""

from __future__ import annotations

import shutil

import pandas as pd
import pytest

from analysis import db
from analysis.metrics import MetricsQuery, compute
from analysis.store import Store
from tests.conftest import tiny_tables

pytest.importorskip("pyspark", reason="pyspark 未安装（requirements-test.txt）")
pytest.importorskip("sqlglot", reason="sqlglot 未安装（requirements-test.txt）")
if shutil.which("java") is None:
    pytest.skip("没有 Java 运行环境（make test 以 root 运行时安装 default-jre-headless）", allow_module_level=True)

from analysis import spark  # noqa: E402


@pytest.fixture(scope="module")
def engines(tmp_path_factory):
    t = tiny_tables()
    t["households"].loc[t["households"].household_id == "h6", "category"] = None  # unknown: urban on both
    store = Store(tmp_path_factory.mktemp("spark") / "store")
    store.commit(t, file_name="tiny")
    yield store.connect(), spark.connect(store, small_data=True)  # a few rows: quick to start


def same(a: pd.DataFrame, b: pd.DataFrame) -> None:
    assert list(a.columns) == list(b.columns)
    pd.testing.assert_frame_equal(
        a.reset_index(drop=True), b.reset_index(drop=True), check_dtype=False, check_exact=False, rtol=1e-9
    )


@pytest.mark.parametrize(
    ("level", "scope"), [("county", "140000"), ("city", None), ("province", None), ("county", "140100")]
)
def test_county_metrics_equal_on_duckdb_and_spark(engines, level, scope):
    duck, sp = engines
    q = MetricsQuery(level=level, scope=scope, period="2016-12", years=(2015, 2016))
    a, b = compute(duck, q), compute(sp, q)
    assert len(a) > 0 and a.households.sum() > 0
    same(a, b)
    assert a.loc[a.region_code == "140106", "households"].tolist() in ([], [2])  # h6 (no category) is urban


def test_breakdowns_and_scenario_costs_equal_on_duckdb_and_spark(engines):
    duck, sp = engines
    params = {"level": "county", "scope": "140000", "years": [2016], "rural": False, "dimension": "mode",
              "period": "2016-12", "window_months": 12}  # fmt: skip
    for name in ("metrics/household_breakdown", "scenario/county_costs", "meta/periods"):
        same(db.query(duck, name, params), db.query(sp, name, params))


def test_the_sql_is_transpiled_with_typed_literals_never_formatted_values():
    text = spark.spark_sql("metrics/region_metrics", {"level": "county", "scope": "140000", "period": "2016-12",
                           "window_months": 12, "years": [2016], "purchase_share": 0.7, "purchase_area_m2": 90.0,
                           "only": None})  # fmt: skip
    import sqlglot
    from sqlglot import exp

    assert not list(sqlglot.parse_one(text, read="spark").find_all(exp.Placeholder))  # every $name bound
    assert "CAST(0.7 AS DOUBLE)" in text and "CAST(NULL AS ARRAY<STRING>)" in text
