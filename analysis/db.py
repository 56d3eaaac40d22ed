"""The only module that opens DuckDB and names Parquet paths.

A data dir holds one store:

    CURRENT                         the committed version number (replaced atomically)
    versions/v000003.json           one manifest per version: what it holds and where it came from
    parts/<table>/<pp>/v000003.parquet   one file per table and province (``pp`` = first two digits)

:func:`connect` returns an in-memory DuckDB connection on which :func:`query` reads ``inventory``,
``households`` and ``plans`` from the current version's Parquet files, beside the reference tables
``regions``, ``region_tree`` and ``bands`` (the 去化周期 bands of the catalogue: SQL decides a band by
joining on it).

Beside the raw rows every version holds the **aggregates** the metrics read (:data:`AGGREGATES`: the
household roll counted and summed by county and plan year, by each dimension's value, and by the month each
step was reached), written by the commit from ``sql/aggregate/<name>.sql``. A province whose version
has none (a store written before them) gets a view that aggregates its raw rows on the fly: the same
figures, at the old cost, until the next commit writes them.

**Pruning**: a query with a ``$scope`` (a region code) reads only the files of that region's province. The
province's tables live in a schema of their own (``p14`` for 山西: made on first use) and :func:`query` puts
it first on the search path before the SQL runs. In that schema the small tables (inventory, plans and the
aggregates: :data:`IN_MEMORY`) are read once into memory, so a second query opens no file at all; the raw
roll stays a view over its files. A query without a ``$scope`` (all of China, the meta queries) reads the
schema ``pall`` made the same way from every province. ``main`` holds only the reference tables and the
list of files (``store_parts``): a process that asks about one province never opens another's files.
"""

from __future__ import annotations

import os
import re
import threading
from collections.abc import Mapping
from functools import lru_cache
from pathlib import Path
from typing import Any

import duckdb
import pandas as pd

from analysis.schema import TABLES

REPO = Path(__file__).resolve().parents[1]
SQL_DIR = Path(__file__).resolve().parent / "sql"
META_COLUMNS = {"import_version": "INTEGER"}
# the small tables written at commit beside the raw rows: name -> the canonical table they summarise
AGGREGATES: dict[str, str] = {
    "household_counts": "households",
    "household_values": "households",
    "household_steps": "households",
}
# the tables a province schema holds in memory (a version's files never change: nothing goes stale)
IN_MEMORY = frozenset({"inventory", "plans", *AGGREGATES})
_SCHEMAS = threading.Lock()  # province schemas are made once per connection, whichever cursor asks first


def default_data_dir() -> Path:
    """``HOUSING_DATA_DIR`` if set, else ``data/store`` in the repository."""
    env = os.environ.get("HOUSING_DATA_DIR")
    return Path(env) if env else REPO / "data" / "store"


def part_path(data_dir: Path, table: str, province_prefix: str, version: int) -> Path:
    return data_dir / "parts" / table / province_prefix / f"v{version:06d}.parquet"


def manifest_path(data_dir: Path, version: int) -> Path:
    return data_dir / "versions" / f"v{version:06d}.json"


@lru_cache(maxsize=64)
def load_sql(name: str) -> str:
    """The text of ``analysis/sql/<name>.sql``."""
    return (SQL_DIR / f"{name}.sql").read_text(encoding="utf-8")


def query(con: duckdb.DuckDBPyConnection, name: str, params: Mapping[str, Any] | None = None) -> pd.DataFrame:
    """Run the named SQL file with its named parameters bound (``$period`` …): the one way SQL runs.

    Only the parameters the file names are bound, so a caller may pass a shared set. With a ``$scope`` the
    query reads only the scope's province (see the module's docstring). ``con`` may also be another
    engine's connection (:mod:`analysis.spark`): it then runs the same file itself.
    """
    sql = load_sql(name)
    bound = {k: v for k, v in (params or {}).items() if f"${k}" in sql}
    if not isinstance(con, duckdb.DuckDBPyConnection):
        return con.query(name, bound)
    use_province(con, province_prefix(bound.get("scope")))
    try:
        return con.execute(sql, bound).fetchdf()
    finally:
        con.execute("SET search_path = 'main'")


def province_prefix(scope: object) -> str | None:
    """The province (first two digits) a scope's region lies in, or None (every province).

    >>> province_prefix("140105"), province_prefix(None), province_prefix("山西省")
    ('14', None, None)
    """
    return scope[:2] if isinstance(scope, str) and re.fullmatch(r"\d{6}", scope) else None


def use_province(con: duckdb.DuckDBPyConnection, prefix: str | None) -> None:
    """Point ``con``'s search path at one province's tables (``prefix``: its two digits; None: every
    province's), made on first use."""
    prefix = prefix or "all"
    schema = f"p{prefix}"
    with _SCHEMAS:
        exists = con.execute("SELECT count(*) FROM duckdb_schemas() WHERE schema_name = $s", {"s": schema}).fetchone()
        if not exists[0]:
            files: dict[str, list[Path]] = {}
            for table, file in con.execute(
                "SELECT table_name, file FROM main.store_parts WHERE $p = 'all' OR province = $p ORDER BY file",
                {"p": prefix},
            ).fetchall():
                files.setdefault(table, []).append(Path(file))
            con.execute(f"CREATE SCHEMA {schema}")
            _create_views(con, schema, files, in_memory=IN_MEMORY)
    con.execute(f"SET search_path = '{schema},main'")


def scalar(con: duckdb.DuckDBPyConnection, name: str, params: Mapping[str, Any] | None = None) -> Any:
    """The single value a named SQL file returns (None when it returns no row)."""
    frame = query(con, name, params)
    return None if frame.empty else frame.iat[0, 0]


def memory_connection() -> duckdb.DuckDBPyConnection:
    con = duckdb.connect(":memory:")
    con.execute("SET threads = 2")
    return con


def _quote(path: Path) -> str:
    return "'" + str(path).replace("'", "''") + "'"


def _empty_select(table: str) -> str:
    cols = [f"CAST(NULL AS {c.sql_type}) AS {c.name}" for c in TABLES[table].columns]
    cols += [f"CAST(NULL AS {t}) AS {n}" for n, t in META_COLUMNS.items()]
    return "SELECT " + ", ".join(cols) + " WHERE false"


def table_select(table: str, files: list[Path], con: duckdb.DuckDBPyConnection | None = None) -> str:
    """SQL reading one canonical table from its Parquet files (typed and empty when there are none).

    With ``con``, every canonical column is listed: a column that files written before it existed lack is
    read as NULL (so a store stays readable when the catalogue gains an optional column). The paths come
    from our own manifests, never from user input.
    """
    if not files:
        return _empty_select(table)
    file_list = "[" + ", ".join(_quote(f) for f in files) + "]"
    source = f"read_parquet({file_list}, union_by_name = true)"
    if con is None:
        return f"SELECT * FROM {source}"
    present = {row[0] for row in con.execute(f"DESCRIBE SELECT * FROM {source}").fetchall()}
    wanted = [*((c.name, c.sql_type) for c in TABLES[table].columns), *META_COLUMNS.items()]
    cols = [n if n in present else f"CAST(NULL AS {t}) AS {n}" for n, t in wanted]
    return f"SELECT {', '.join(cols)} FROM {source}"


def aggregate_digest(name: str) -> str:
    """A digest of the SQL an aggregate is made by: a file made by other SQL is not read as this aggregate
    (it is made on the fly and written again at the next commit)."""
    import hashlib

    return hashlib.sha256(load_sql("aggregate/" + name).encode("utf-8")).hexdigest()[:16]


def aggregate_select(name: str, raw_files: list[Path], con: duckdb.DuckDBPyConnection | None = None) -> str:
    """SQL computing the aggregate ``name`` from the raw rows in ``raw_files`` (``sql/aggregate/<name>.sql``)."""
    return (
        f"WITH {AGGREGATES[name]} AS ({table_select(AGGREGATES[name], raw_files, con)}) {load_sql('aggregate/' + name)}"
    )


def province_files(files: list[Path]) -> dict[str, list[Path]]:
    """Files by province prefix: a part's folder is named by it (``parts/<table>/<pp>/v000003.parquet``)."""
    out: dict[str, list[Path]] = {}
    for f in files:
        out.setdefault(f.parent.name, []).append(f)
    return out


def _create_views(
    con: duckdb.DuckDBPyConnection,
    schema: str,
    files_by_table: Mapping[str, list[Path]],
    in_memory: frozenset[str] = frozenset(),
) -> None:
    """A view per canonical table and aggregate in ``schema`` (a table read into memory for ``in_memory``)."""

    def create(name: str, select: str) -> None:
        con.execute(f"CREATE {'TABLE' if name in in_memory else 'VIEW'} {schema}.{name} AS {select}")

    for table in TABLES:
        create(table, table_select(table, files_by_table.get(table, []), con))
    for name, source in AGGREGATES.items():
        raw = province_files(files_by_table.get(source, []))
        written = files_by_table.get(name, [])
        done = province_files(written)
        missing = [f for prefix, fs in raw.items() if prefix not in done for f in fs]
        parts = [f"SELECT * FROM read_parquet([{', '.join(_quote(f) for f in written)}])"] if written else []
        if missing or not written:
            parts.append(f"SELECT * FROM ({aggregate_select(name, missing, con)})")
        create(name, " UNION ALL BY NAME ".join(parts))


def connect(
    files_by_table: Mapping[str, list[Path]], reference: Mapping[str, pd.DataFrame]
) -> duckdb.DuckDBPyConnection:
    """An in-memory connection: the reference tables (``regions``, ``region_tree``, ``bands``: see
    :mod:`analysis.reference`) copied in and the list of the version's files; a province's tables (or every
    province's) are made when a query first asks for them (:func:`use_province`)."""
    con = memory_connection()
    for name, frame in reference.items():
        con.register(f"{name}_df", frame)
        con.execute(f"CREATE TABLE {name} AS SELECT * FROM {name}_df")
        con.unregister(f"{name}_df")
    parts = pd.DataFrame(
        [(t, f.parent.name, str(f)) for t, files in files_by_table.items() for f in files],
        columns=["table_name", "province", "file"],
    )
    con.register("store_parts_df", parts)
    con.execute("CREATE TABLE store_parts AS SELECT * FROM store_parts_df")
    con.unregister("store_parts_df")
    return con


def private_dir(path: Path) -> None:
    """Create ``path`` and any missing parent as directories only their owner can enter (0700)."""
    missing = []
    while not path.exists():
        missing.append(path)
        path = path.parent
    for folder in reversed(missing):
        folder.mkdir(mode=0o700, exist_ok=True)


def write_private(target: Path, data: bytes) -> None:
    """Write ``data`` to ``target`` atomically (a temporary file flushed to disk, then renamed), owner-only."""
    tmp = target.with_name(target.name + ".tmp")
    fd = os.open(tmp, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
    try:
        view = memoryview(data)
        while view:
            view = view[os.write(fd, view) :]
        os.fsync(fd)
    finally:
        os.close(fd)
    os.replace(tmp, target)
    _sync_dir(target.parent)


def _sync_dir(folder: Path) -> None:
    fd = os.open(folder, os.O_RDONLY)
    try:
        os.fsync(fd)
    finally:
        os.close(fd)


def write_aggregate(con: duckdb.DuckDBPyConnection, name: str, raw_file: Path, target: Path) -> int:
    """Write the aggregate ``name`` of one province's raw rows (``raw_file``) to ``target``; its row count."""
    return write_parquet(con, aggregate_select(name, [raw_file], con), {}, target)


def write_parquet(con: duckdb.DuckDBPyConnection, select_sql: str, params: dict, target: Path) -> int:
    """Write the result of ``select_sql`` to ``target`` atomically and owner-only; return its row count."""
    private_dir(target.parent)
    tmp = target.with_suffix(".parquet.tmp")
    con.execute(
        f"COPY ({select_sql}) TO {_quote(tmp)} (FORMAT parquet, COMPRESSION zstd, ROW_GROUP_SIZE 500000)",
        params,
    )
    os.chmod(tmp, 0o600)
    with open(tmp, "rb") as fh:
        os.fsync(fh.fileno())
    os.replace(tmp, target)
    return con.execute(f"SELECT count(*) FROM read_parquet({_quote(target)})").fetchone()[0]
