"""The only module that opens DuckDB and names Parquet paths.

A data dir holds one store:

    CURRENT                         the committed version number (replaced atomically)
    versions/v000003.json           one manifest per version: what it holds and where it came from
    parts/<table>/<pp>/v000003.parquet   one file per table and province (``pp`` = first two digits)

:func:`connect` returns an in-memory DuckDB connection whose views ``inventory``, ``households`` and
``plans`` read the current version's Parquet files, beside the reference tables ``regions``,
``region_tree`` and ``bands`` (the 去化周期 bands of the catalogue: SQL decides a band by joining on it).
"""

from __future__ import annotations

import os
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

    Only the parameters the file names are bound, so a caller may pass a shared set.
    """
    sql = load_sql(name)
    bound = {k: v for k, v in (params or {}).items() if f"${k}" in sql}
    return con.execute(sql, bound).fetchdf()


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


def connect(
    files_by_table: Mapping[str, list[Path]], reference: Mapping[str, pd.DataFrame]
) -> duckdb.DuckDBPyConnection:
    """An in-memory connection: a view per canonical table over its Parquet files, and the reference tables
    (``regions``, ``region_tree``, ``bands``: see :mod:`analysis.reference`) copied in."""
    con = memory_connection()
    for name, frame in reference.items():
        con.register(f"{name}_df", frame)
        con.execute(f"CREATE TABLE {name} AS SELECT * FROM {name}_df")
        con.unregister(f"{name}_df")
    for table in TABLES:
        con.execute(f"CREATE VIEW {table} AS {table_select(table, files_by_table.get(table, []), con)}")
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
