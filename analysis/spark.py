"""The same SQL files on Apache Spark (pyspark), for a ministry whose data outgrows one server.

    con = spark.connect(store)                          # local mode on this machine's cores
    con = spark.connect(store, "spark://host:7077")     # a cluster (every node must reach the data dir)
    metrics.compute(con, MetricsQuery(...))              # db.query hands the named file to con.query

Nothing here is a second source of SQL: each ``analysis/sql/*.sql`` file is parsed by sqlglot in DuckDB's
dialect and written in Spark's; the named parameters (``$period`` …) are replaced in the syntax tree by typed
literals (never by string formatting). The canonical tables and the aggregates are temp views over the same
Parquet files the store wrote, pruned to the scope's province as :mod:`analysis.db` prunes them (a province
whose aggregates are missing gets them from its raw rows, by the same aggregate SQL); the reference tables
(``regions``, ``region_tree``, ``bands``) are copied in from :mod:`analysis.reference`.

Needs pyspark and sqlglot (``requirements-spark.txt``) and a Java runtime (Debian's ``default-jre-headless``).
"""

from __future__ import annotations

import os
import warnings
from collections.abc import Mapping
from functools import lru_cache
from pathlib import Path
from typing import Any

import pandas as pd

from analysis import db, reference
from analysis.schema import TABLES

CONF_DIR = Path(__file__).resolve().parent / "spark_conf"  # log4j2.properties: Spark's own log kept quiet
# the Spark type of a parameter whose value may be NULL (a NULL must still have a type in Spark)
PARAM_TYPES = {"only": "ARRAY<STRING>", "years": "ARRAY<INT>"}
SPARK_TYPES = {"VARCHAR": "string", "BIGINT": "bigint", "INTEGER": "int", "DOUBLE": "double", "BOOLEAN": "boolean"}


class SparkUnavailable(RuntimeError):
    """pyspark, sqlglot or Java is missing (the message says which, in Chinese)."""


# for a few rows on one machine (the suite's fixture): one shuffle partition, no re-planning between stages, no
# code generation and the JVM's quick compiler; each would slow a query over a real data set
SMALL_DATA = {
    "spark.sql.shuffle.partitions": "1",
    "spark.sql.adaptive.enabled": "false",
    "spark.sql.codegen.wholeStage": "false",
    "spark.sql.codegen.factoryMode": "NO_CODEGEN",
    "spark.driver.extraJavaOptions": "-XX:TieredStopAtLevel=1 -XX:+UseSerialGC",
}


def session(master: str = "local[2]", small_data: bool = False):
    """A Spark session (one per process: pyspark reuses it), quiet, without its web UI; ``small_data``: tuned
    to start and answer quickly on a few rows (:data:`SMALL_DATA`)."""
    try:
        import sqlglot  # noqa: F401
        from pyspark.sql import SparkSession
    except ImportError as exc:
        raise SparkUnavailable("未安装 Spark 引擎所需的软件包：请运行 pip install -r requirements-spark.txt") from exc
    os.environ.setdefault("SPARK_CONF_DIR", str(CONF_DIR))
    warnings.filterwarnings("ignore", module="pyspark")
    try:
        builder = (
            SparkSession.builder.master(master)
            .appName("housing-metrics")
            .config("spark.ui.enabled", "false")
            .config("spark.sql.session.timeZone", "UTC")
            .config("spark.sql.ansi.enabled", "false")  # x / 0 is NULL, as in DuckDB
            .config("spark.sql.shuffle.partitions", "4")
            .config("spark.log.level", "ERROR")
            .config("spark.ui.showConsoleProgress", "false")
        )
        for key, value in (SMALL_DATA if small_data else {}).items():
            builder = builder.config(key, value)
        return builder.getOrCreate()
    except Exception as exc:  # no Java: pyspark raises its own English error
        raise SparkUnavailable("无法启动 Spark：需要 Java 运行环境（如 apt-get install default-jre-headless）") from exc


def connect(store, master: str = "local[2]", small_data: bool = False) -> SparkConnection:
    """The store's current version on Spark: what :func:`analysis.db.query` runs SQL files on."""
    return SparkConnection(session(master, small_data), store.manifest().files(store.data_dir), reference.frames())


@lru_cache(maxsize=64)
def _parsed(name: str):
    import sqlglot

    return sqlglot.parse_one(db.load_sql(name), read="duckdb")


def _literal(name: str, value: Any):
    from sqlglot import exp

    if value is None:
        return exp.cast(exp.null(), PARAM_TYPES.get(name, "STRING"), dialect="spark")
    if isinstance(value, (list, tuple)):
        array = exp.Array(expressions=[_literal(name, v) for v in value])
        return exp.cast(array, PARAM_TYPES.get(name, "ARRAY<STRING>"), dialect="spark")
    if isinstance(value, float):  # a DOUBLE, as DuckDB binds it (a bare 0.6 would be a DECIMAL in Spark)
        return exp.cast(exp.convert(value), "DOUBLE", dialect="spark")
    return exp.convert(value)


def spark_sql(name: str, params: Mapping[str, Any]) -> str:
    """The named SQL file in Spark's dialect with ``params`` bound as literals (DuckDB puts NULLs last in an
    ascending order, Spark first: sqlglot writes the order out).

    >>> print(spark_sql("meta/periods", {}).split("*/")[-1].strip())
    SELECT DISTINCT period FROM inventory ORDER BY period NULLS LAST
    """
    from sqlglot import exp

    def bind(node):
        if isinstance(node, exp.Placeholder) and node.name in params:
            return _literal(node.name, params[node.name])
        return node

    return _parsed(name).transform(bind).sql(dialect="spark")


class SparkConnection:
    """Temp views over the store's Parquet files on a Spark session; :meth:`query` runs a named SQL file."""

    def __init__(self, spark, files_by_table: Mapping[str, list[Path]], frames: Mapping[str, pd.DataFrame]) -> None:
        self.spark = spark
        self.files = {t: list(f) for t, f in files_by_table.items()}
        self._province: object = ()  # the views' province now (() = none registered yet)
        for name, frame in frames.items():
            self._frame(frame).createOrReplaceTempView(name)

    def _frame(self, frame: pd.DataFrame):
        """A small pandas frame as a Spark DataFrame (missing values as NULL, never NaN)."""
        kinds = {"i": "bigint", "u": "bigint", "f": "double", "b": "boolean"}
        schema = ", ".join(f"`{c}` {kinds.get(frame[c].dtype.kind, 'string')}" for c in frame.columns)
        rows = frame.astype(object).where(frame.notna(), None).values.tolist()
        return self.spark.createDataFrame(rows, schema)

    def _read(self, table: str, files: list[Path]):
        """One canonical table over its Parquet files, every canonical column typed (NULL where a file lacks it)."""
        from pyspark.sql import functions as F

        cols = [*((c.name, c.sql_type) for c in TABLES[table].columns), *db.META_COLUMNS.items()]
        if files:
            df = self.spark.read.option("mergeSchema", "true").parquet(*map(str, files))
        else:
            df = self.spark.createDataFrame([], ", ".join(f"`{n}` {SPARK_TYPES[t]}" for n, t in cols))
        present = set(df.columns)
        return df.select([(F.col(n) if n in present else F.lit(None)).cast(SPARK_TYPES[t]).alias(n) for n, t in cols])

    def _use(self, prefix: str | None) -> None:
        if prefix == self._province:
            return
        chosen = {t: [f for f in files if prefix is None or f.parent.name == prefix] for t, files in self.files.items()}
        for table in TABLES:
            self._read(table, chosen.get(table, [])).createOrReplaceTempView(table)
        raw = db.province_files(chosen.get("households", []))
        for name, source in db.AGGREGATES.items():
            written = chosen.get(name, [])
            done = db.province_files(written)
            missing = [f for p, fs in raw.items() if p not in done for f in fs]
            parts = [self.spark.read.parquet(*map(str, written))] if written else []
            if missing or not written:  # made from the raw rows of those provinces, by the same SQL
                self._read(source, missing).createOrReplaceTempView(source)
                parts.append(self.spark.sql(spark_sql(f"aggregate/{name}", {})))
                self._read(source, chosen.get(source, [])).createOrReplaceTempView(source)
            df = parts[0]
            for more in parts[1:]:
                df = df.unionByName(more)
            df.createOrReplaceTempView(name)
        self._province = prefix

    def query(self, name: str, params: Mapping[str, Any]) -> pd.DataFrame:
        """Run ``analysis/sql/<name>.sql`` (already bound to the parameters it names) on Spark."""
        self._use(db.province_prefix(params.get("scope")))
        from pyspark.sql import functions as F
        from pyspark.sql.types import DecimalType, FractionalType, IntegralType

        result = self.spark.sql(spark_sql(name, params))
        result = result.select(  # a DECIMAL (Spark's exact arithmetic) comes back as a float, as from DuckDB
            [
                F.col(f"`{f.name}`").cast("double") if isinstance(f.dataType, DecimalType) else F.col(f"`{f.name}`")
                for f in result.schema.fields
            ]  # fmt: skip
        )
        rows = [r.asDict() for r in result.collect()]
        frame = pd.DataFrame(rows, columns=result.columns).infer_objects()  # a missing number is NaN, as from DuckDB
        for f in result.schema.fields:  # typed as DuckDB types them: nullable Int64, float (missing: NaN)
            if isinstance(f.dataType, IntegralType):
                frame[f.name] = frame[f.name].astype("Int64")
            elif isinstance(f.dataType, FractionalType):
                frame[f.name] = frame[f.name].astype("float64")
        return frame

    def close(self) -> None:
        """Nothing to free here: the session is shared by the process (``spark.stop()`` ends it)."""
