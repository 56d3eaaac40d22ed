"""The versioned canonical store: atomic commits, replace-by-key, history and rollback.

A commit writes new Parquet files for the provinces it touches, then a manifest, then replaces the
``CURRENT`` pointer with ``os.replace``; a crash at any point before that leaves the previous version
in force, and the history lists only versions that became current. The next commit (under the lock)
removes what an interrupted one left: temporary files, and the manifests and Parquet files of versions
that never became current. Nothing that became current is ever deleted, so any version can be returned
to (a rollback is itself a new version, and the history stays linear). A rollback names the version it
replaces and is refused if that is no longer the current one (another commit landed in between).

Every manifest records who made it (``actor``: the operating-system user unless the caller says, and
``via``: ``cli`` or ``app``, whose actor is the account name) and,
when the version holds households, the fingerprint of the id key their hashed ids were made with; an
import of households made with another key is refused unless ``rekey`` (see :mod:`analysis.ingest.privacy`).
Files are written owner-only (0600, directories 0700).
"""

from __future__ import annotations

import dataclasses
import fcntl
import getpass
import json
import os
import re
from contextlib import contextmanager
from dataclasses import dataclass, field
from datetime import datetime
from pathlib import Path

import duckdb
import pandas as pd

from analysis import db, reference
from analysis.schema import TABLES

VERSION_FILE = re.compile(r"^v(\d{6})\.(json|parquet)$")


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
    parent: int | None = None  # the version that was current when this one was made (None: written before)
    actor: str = ""  # who made it (the operating-system user on the command line)
    id_key_fingerprint: str = ""  # the key of the hashed household ids it holds (privacy.fingerprint)
    aggregates: dict = field(default_factory=dict)  # db.AGGREGATES name -> {province prefix: {"file": rel, …}}
    via: str = ""  # cli | app: where ``actor`` made it (the app names its account; "" before it was recorded)

    @classmethod
    def from_dict(cls, data: dict) -> Version:
        known = {f.name for f in dataclasses.fields(cls)}
        return cls(**{k: v for k, v in data.items() if k in known})

    def as_dict(self) -> dict:
        return dataclasses.asdict(self)

    def files(self, data_dir: Path) -> dict[str, list[Path]]:
        """The Parquet files of every canonical table and of every aggregate made by today's SQL."""
        out = {t: [data_dir / p["file"] for p in parts.values()] for t, parts in self.tables.items()}
        for name, parts in current_aggregates(self.aggregates).items():
            out[name] = [data_dir / p["file"] for p in parts.values()]
        return out

    @property
    def is_synthetic(self) -> bool:
        return any(p.get("synthetic") for parts in self.tables.values() for p in parts.values())


EMPTY = Version(0, "", "empty")


def current_aggregates(aggregates: dict) -> dict[str, dict[str, dict]]:
    """The parts of ``aggregates`` made by the SQL the aggregates are made by today (db.aggregate_digest)."""
    return {
        name: {p: info for p, info in aggregates.get(name, {}).items() if info.get("sql") == db.aggregate_digest(name)}
        for name in db.AGGREGATES
    }


def default_actor() -> str:
    """The operating-system user running this process."""
    try:
        return getpass.getuser()
    except (KeyError, OSError):  # no name for this uid (a container)
        return f"uid {os.getuid()}"


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
        return Version.from_dict(json.loads(path.read_text(encoding="utf-8")))

    def history(self) -> list[Version]:
        """The versions that became current, oldest first (not one an interrupted commit left behind)."""
        current = self.current_version()
        return [v for v in self._manifests() if v.version <= current]

    def _manifests(self) -> list[Version]:
        folder = self.data_dir / "versions"
        if not folder.exists():
            return []
        return [Version.from_dict(json.loads(p.read_text(encoding="utf-8"))) for p in sorted(folder.glob("v*.json"))]

    def is_empty(self) -> bool:
        return not any(self.manifest().tables.values())

    def connect(self) -> duckdb.DuckDBPyConnection:
        return db.connect(self.manifest().files(self.data_dir), reference.frames())

    # -- writing -------------------------------------------------------------------------------
    @contextmanager
    def _lock(self):
        db.private_dir(self.data_dir)
        try:
            os.chmod(self.data_dir, 0o700)  # a store made before files were owner-only
        except OSError:
            pass
        fd = os.open(self.data_dir / ".lock", os.O_RDWR | os.O_CREAT, 0o600)
        try:
            fcntl.flock(fd, fcntl.LOCK_EX)
            self._clean_leftovers()
            yield
        finally:
            fcntl.flock(fd, fcntl.LOCK_UN)
            os.close(fd)

    def _clean_leftovers(self) -> None:
        """Remove what interrupted commits left: temporary files, and the manifests and Parquet files of
        versions that never became current (or that no manifest names). Called under the lock."""
        current = self._checked_current()
        keep = {
            (self.data_dir / p["file"]).resolve()
            for v in self._manifests()
            if v.version <= current
            for parts in [*v.tables.values(), *v.aggregates.values()]
            for p in parts.values()
        }
        for path in [self.data_dir / "CURRENT.tmp", *self._files("versions"), *self._files("parts")]:
            m = VERSION_FILE.match(path.name)
            if path.name.endswith(".tmp"):
                stale = True
            elif m is None:
                continue
            elif m.group(2) == "json":
                stale = int(m.group(1)) > current
            else:
                stale = int(m.group(1)) > current or path.resolve() not in keep
            if stale:
                path.unlink(missing_ok=True)

    def _checked_current(self) -> int:
        """The current version, or an error where cleaning up could destroy what it cannot see."""
        try:
            text = (self.data_dir / "CURRENT").read_text().strip()
        except FileNotFoundError:
            if any(v.version > 1 for v in self._manifests()):  # v2 exists only once v1 was current
                raise StoreError(
                    f"数据目录 {self.data_dir} 中有多个版本，却缺少 CURRENT 文件（记录当前版本号）：未做任何改动。"
                    "请从备份恢复 CURRENT 文件，或写入当前版本号后重试"
                ) from None
            return 0
        if not text.isdigit():
            raise StoreError(f"数据目录 {self.data_dir} 中的 CURRENT 文件已损坏（应为版本号）：未做任何改动")
        return int(text)

    def _files(self, folder: str) -> list[Path]:
        root = self.data_dir / folder
        return [p for p in root.rglob("*") if p.is_file()] if root.exists() else []

    def _write_manifest(self, version: Version) -> None:
        path = db.manifest_path(self.data_dir, version.version)
        db.private_dir(path.parent)
        db.write_private(path, json.dumps(version.as_dict(), ensure_ascii=False, indent=1).encode("utf-8"))

    def _point_to(self, version: int) -> None:
        """The commit point: ``CURRENT`` names the new version."""
        db.write_private(self.data_dir / "CURRENT", str(version).encode("ascii"))

    def _publish(self, version: Version) -> None:
        self._write_manifest(version)
        self._point_to(version.version)

    def commit(
        self,
        frames: dict[str, pd.DataFrame],
        *,
        file_name: str = "",
        action: str = "import",
        synthetic: bool = False,
        replace_all: bool = False,
        note: str = "",
        actor: str | None = None,
        via: str = "cli",
        id_key_fingerprint: str = "",
        rekey: bool = False,
    ) -> Version:
        """Merge canonical rows into one new version; a row whose key exists replaces it.

        ``frames`` maps a table name to validated rows with its canonical columns (pandas or Arrow).
        With ``replace_all`` the new version holds only these rows (used by ``demo --force``).
        ``id_key_fingerprint`` names the key the households' hashed ids were made with: a key other than
        the one of the households already stored is refused, unless ``rekey`` (then it is recorded).
        """
        with self._lock():
            current = self.manifest()
            fingerprint = self._fingerprint(current, frames, id_key_fingerprint, replace_all, rekey)
            version = current.version + 1
            tables = {} if replace_all else {t: dict(parts) for t, parts in current.tables.items()}
            con = db.memory_connection()
            rows: dict[str, dict[str, int]] = {}
            regions: set[str] = set()
            touched: dict[str, set[str]] = {}
            for kind, frame in frames.items():
                before = dict(tables.get(kind, {}))
                rows[kind] = self._merge(con, kind, frame, version, tables.setdefault(kind, {}), synthetic)
                touched[kind] = {p for p, info in tables[kind].items() if before.get(p) != info}
                regions.update(r[0] for r in con.execute("SELECT DISTINCT region_code FROM incoming").fetchall())
                con.execute("DROP TABLE incoming")
            kept = {} if replace_all else current_aggregates(current.aggregates)
            aggregates = self._aggregate(con, tables, kept, touched, version)
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
                parent=current.version,
                actor=actor or default_actor(),
                via=via,
                id_key_fingerprint=fingerprint if tables.get("households") else "",
                aggregates=aggregates,
            )
            self._publish(record)
            return record

    def check_id_key(self, kind: str, fingerprint: str, rekey: bool = False) -> None:
        """Refuse now (StoreError) what :meth:`commit` would refuse for the id key (checked again there)."""
        self._fingerprint(self.manifest(), {kind: None}, fingerprint, False, rekey)

    @staticmethod
    def _fingerprint(current: Version, frames: dict, new: str, replace_all: bool, rekey: bool) -> str:
        """The key fingerprint the new version records; a households import with another key is refused."""
        old = "" if replace_all else current.id_key_fingerprint
        if "households" not in frames or not new:
            return old
        if old and new != old and current.tables.get("households") and not rekey:
            raise StoreError(
                f"本次导入所用的户编号密钥（指纹 {new}）与已有花名册数据所用的密钥（指纹 {old}）不同："
                "由姓名、身份证号生成的户编号会对不上，同一户将被重复计入，已拒绝，未写入任何数据。"
                "请恢复原来的密钥（环境变量 HOUSING_ID_KEY 或密钥文件），"
                "或确认更换密钥后在命令行导入时加 --rekey（见 README「户编号密钥」）"
            )
        return new

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

    def _aggregate(
        self, con, tables: dict, kept: dict, touched: dict[str, set[str]], version: int
    ) -> dict[str, dict[str, dict]]:
        """The aggregates of the new version: written anew for every province whose source rows this version
        changed or whose aggregate is missing (a store written before aggregates, or by older aggregate SQL),
        kept for the others. Each part records the digest of the SQL that made it."""
        out: dict[str, dict[str, dict]] = {}
        for name, source in db.AGGREGATES.items():
            parts = out.setdefault(name, {})
            for prefix, info in sorted(tables.get(source, {}).items()):
                old = kept.get(name, {}).get(prefix)
                if old and prefix not in touched.get(source, set()):
                    parts[prefix] = old
                    continue
                target = db.part_path(self.data_dir, name, prefix, version)
                db.write_aggregate(con, name, self.data_dir / info["file"], target)
                parts[prefix] = {
                    "file": str(target.relative_to(self.data_dir)),
                    "synthetic": info.get("synthetic", False),
                    "sql": db.aggregate_digest(name),
                }
        return out

    def rollback(self, version: int, *, expected_current: int, actor: str | None = None, via: str = "cli") -> Version:
        """Make ``version`` current again, as a new version that records the rollback and the one it replaces.

        ``expected_current`` is the version the caller saw as current: if another commit or rollback
        landed since, nothing is done (a rollback must never discard a commit its author did not see).
        """
        with self._lock():
            current = self.current_version()
            if current != expected_current:
                raise StoreError(
                    f"当前版本已是 {current}，不是您看到的版本 {expected_current}：在您查看之后又有新的提交或回退，"
                    "未回退。请刷新后重新查看历史，再决定是否回退"
                )
            if version == current:
                raise StoreError(f"版本 {version} 已是当前版本，无需回退")
            if version < 0 or version > current:
                raise StoreError(f"版本 {version} 不存在，请用 history 查看可用版本")
            target = self.manifest(version) if version != 0 else EMPTY
            con = db.memory_connection()  # a version written before aggregates gets them now
            aggregates = self._aggregate(con, target.tables, current_aggregates(target.aggregates), {}, current + 1)
            con.close()
            record = Version(
                version=current + 1,
                created_at=datetime.now().isoformat(timespec="seconds"),
                action="rollback",
                note=f"回退到版本 {version}（替换版本 {current}）",
                rows={},
                tables=target.tables,
                parent=current,
                actor=actor or default_actor(),
                via=via,
                id_key_fingerprint=target.id_key_fingerprint,
                aggregates=aggregates,
            )
            self._publish(record)
            return record
