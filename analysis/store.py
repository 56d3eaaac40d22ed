"""The versioned canonical store: atomic commits, replace-by-key, history and rollback.

A commit writes new Parquet files for the provinces it touches, then a manifest, then replaces the
``CURRENT`` pointer with ``os.replace``; a crash at any point before that leaves the previous version
in force. Nothing is ever deleted, so any version can be returned to (a rollback is itself a new
version, and the history stays linear).
"""

from __future__ import annotations

import fcntl
import json
import os
from contextlib import contextmanager
from dataclasses import dataclass, field
from datetime import datetime
from pathlib import Path

import duckdb
import pandas as pd

from analysis import db, reference
from analysis.schema import TABLES


class StoreError(Exception):
    """A refusal with a Chinese message (exit status 2 on the command line)."""


@dataclass(frozen=True)
class Version:
    version: int
    created_at: str
    action: str  # demo | import | rollback
    file_name: str = ""
    kind: str = ""
    regions: list[str] = field(default_factory=list)
    rows: dict = field(default_factory=dict)
    note: str = ""
    tables: dict = field(default_factory=dict)  # table -> {province prefix: {"file": rel, "synthetic": bool}}

    def files(self, data_dir: Path) -> dict[str, list[Path]]:
        return {t: [data_dir / p["file"] for p in parts.values()] for t, parts in self.tables.items()}

    @property
    def is_synthetic(self) -> bool:
        return any(p.get("synthetic") for parts in self.tables.values() for p in parts.values())


EMPTY = Version(0, "", "empty")


class Store:
    def __init__(self, data_dir: str | Path | None = None) -> None:
        self.data_dir = Path(data_dir) if data_dir else db.default_data_dir()

    # -- reading -------------------------------------------------------------------------------
    def current_version(self) -> int:
        try:
            return int((self.data_dir / "CURRENT").read_text().strip())
        except (FileNotFoundError, ValueError):
            return 0

    def manifest(self, version: int | None = None) -> Version:
        version = self.current_version() if version is None else version
        if version == 0:
            return EMPTY
        path = db.manifest_path(self.data_dir, version)
        if not path.exists():
            raise StoreError(f"版本 {version} 不存在，请用 history 查看可用版本")
        return Version(**json.loads(path.read_text(encoding="utf-8")))

    def history(self) -> list[Version]:
        folder = self.data_dir / "versions"
        if not folder.exists():
            return []
        return [Version(**json.loads(p.read_text(encoding="utf-8"))) for p in sorted(folder.glob("v*.json"))]

    def is_empty(self) -> bool:
        return not any(self.manifest().tables.values())

    def connect(self) -> duckdb.DuckDBPyConnection:
        return db.connect(self.manifest().files(self.data_dir), reference.frames())

    # -- writing -------------------------------------------------------------------------------
    @contextmanager
    def _lock(self):
        self.data_dir.mkdir(parents=True, exist_ok=True)
        with (self.data_dir / ".lock").open("w") as fh:
            fcntl.flock(fh, fcntl.LOCK_EX)
            try:
                yield
            finally:
                fcntl.flock(fh, fcntl.LOCK_UN)

    def _next_version(self) -> int:
        existing = [v.version for v in self.history()]
        return max(existing, default=0) + 1

    def _publish(self, version: Version) -> None:
        path = db.manifest_path(self.data_dir, version.version)
        path.parent.mkdir(parents=True, exist_ok=True)
        tmp = path.with_suffix(".json.tmp")
        tmp.write_text(json.dumps(version.__dict__, ensure_ascii=False, indent=1), encoding="utf-8")
        os.replace(tmp, path)
        pointer = self.data_dir / "CURRENT.tmp"
        with pointer.open("w") as fh:
            fh.write(str(version.version))
            fh.flush()
            os.fsync(fh.fileno())
        os.replace(pointer, self.data_dir / "CURRENT")

    def commit(
        self,
        frames: dict[str, pd.DataFrame],
        *,
        file_name: str = "",
        action: str = "import",
        synthetic: bool = False,
        replace_all: bool = False,
        note: str = "",
    ) -> Version:
        """Merge canonical rows into one new version; a row whose key exists replaces it.

        ``frames`` maps a table name to validated rows with its canonical columns (pandas or Arrow).
        With ``replace_all`` the new version holds only these rows (used by ``demo --force``).
        """
        with self._lock():
            current = self.manifest()
            version = self._next_version()
            tables = {} if replace_all else {t: dict(parts) for t, parts in current.tables.items()}
            con = db.memory_connection()
            rows: dict[str, dict[str, int]] = {}
            regions: set[str] = set()
            for kind, frame in frames.items():
                rows[kind] = self._merge(con, kind, frame, version, tables.setdefault(kind, {}), synthetic)
                regions.update(r[0] for r in con.execute("SELECT DISTINCT region_code FROM incoming").fetchall())
                con.execute("DROP TABLE incoming")
            con.close()
            record = Version(
                version=version,
                created_at=datetime.now().isoformat(timespec="seconds"),
                action=action,
                file_name=file_name,
                kind=",".join(frames),
                regions=sorted(regions),
                rows=rows,
                note=note,
                tables=tables,
            )
            self._publish(record)
            return record

    def _merge(self, con, kind: str, frame, version: int, parts: dict, synthetic: bool) -> dict[str, int]:
        table = TABLES[kind]
        con.register("incoming_df", frame)
        present = set(con.execute("SELECT * FROM incoming_df LIMIT 0").fetchdf().columns)
        casts = ", ".join(
            f"CAST({c.name} AS {c.sql_type}) AS {c.name}"
            if c.name in present
            else f"CAST(NULL AS {c.sql_type}) AS {c.name}"
            for c in table.columns
        )
        con.execute(
            f"CREATE TABLE incoming AS SELECT {casts}, CAST($v AS INTEGER) AS import_version FROM incoming_df",
            {"v": version},
        )
        con.unregister("incoming_df")
        prefixes = [
            r[0] for r in con.execute("SELECT DISTINCT substr(region_code, 1, 2) FROM incoming ORDER BY 1").fetchall()
        ]
        key = ", ".join(table.key)
        counts = {"incoming": 0, "added": 0, "replaced": 0}
        for prefix in prefixes:
            old = parts.get(prefix)
            old_sql = db.table_select(kind, [self.data_dir / old["file"]] if old else [])
            new_sql = "SELECT * FROM incoming WHERE substr(region_code, 1, 2) = $p"
            n_new, n_replaced = con.execute(
                f"WITH old AS ({old_sql}), new AS ({new_sql}) SELECT (SELECT count(*) FROM new), "
                f"(SELECT count(*) FROM old SEMI JOIN new USING ({key}))",
                {"p": prefix},
            ).fetchone()
            select = (
                f"WITH old AS ({old_sql}), new AS ({new_sql}) "
                f"SELECT * FROM old ANTI JOIN new USING ({key}) "
                f"UNION ALL BY NAME SELECT * FROM new ORDER BY {key}"
            )
            target = db.part_path(self.data_dir, kind, prefix, version)
            db.write_parquet(con, select, {"p": prefix}, target)
            parts[prefix] = {
                "file": str(target.relative_to(self.data_dir)),
                "synthetic": synthetic or bool(old and old.get("synthetic")),
            }
            counts["incoming"] += n_new
            counts["added"] += n_new - n_replaced
            counts["replaced"] += n_replaced
        return counts

    def rollback(self, version: int) -> Version:
        """Make ``version`` current again, as a new version that records the rollback."""
        with self._lock():
            target = self.manifest(version) if version != 0 else EMPTY
            current = self.current_version()
            if version == current:
                raise StoreError(f"版本 {version} 已是当前版本，无需回退")
            record = Version(
                version=self._next_version(),
                created_at=datetime.now().isoformat(timespec="seconds"),
                action="rollback",
                note=f"回退到版本 {version}",
                rows={},
                tables=target.tables,
            )
            self._publish(record)
            return record
