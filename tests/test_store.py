"""The store: atomic commits, replace by key, history and rollback."""

from __future__ import annotations

import pandas as pd
import pytest

from analysis import db
from analysis.store import Store, StoreError
from tests.conftest import all_tables, inventory_rows


def frame(saleable: float, codes=("140105", "140106")) -> pd.DataFrame:
    return pd.DataFrame([r for c in codes for r in inventory_rows(c, {"2016-01": 100.0}, {"2016-01": saleable})])


def count(store: Store, table: str = "inventory") -> int:
    con = all_tables(store)
    return con.execute(f"SELECT count(*) FROM {table}").fetchone()[0]


def test_empty_store_reads_as_empty_tables(data_dir):
    store = Store(data_dir)
    assert store.current_version() == 0 and store.is_empty()
    assert count(store) == 0 and count(store, "households") == 0


def test_commit_replaces_by_key_and_never_duplicates(data_dir):
    store = Store(data_dir)
    v1 = store.commit({"inventory": frame(1000.0)}, file_name="a.csv")
    assert v1.rows["inventory"] == {"incoming": 2, "added": 2, "replaced": 0}
    v2 = store.commit({"inventory": frame(2000.0)}, file_name="a.csv")
    assert v2.rows["inventory"] == {"incoming": 2, "added": 0, "replaced": 2}
    con = all_tables(store)
    assert con.execute("SELECT count(*), sum(saleable_area_m2) FROM inventory").fetchone() == (2, 4000.0)
    assert con.execute("SELECT DISTINCT import_version FROM inventory").fetchall() == [(2,)]


def test_commit_keeps_other_provinces_and_keys(data_dir):
    store = Store(data_dir)
    store.commit({"inventory": frame(1000.0, codes=("140105", "210302"))})
    store.commit({"inventory": frame(5.0, codes=("140106",))})
    con = all_tables(store)
    got = dict(con.execute("SELECT region_code, saleable_area_m2 FROM inventory").fetchall())
    assert got == {"140105": 1000.0, "210302": 1000.0, "140106": 5.0}


def test_history_and_rollback(data_dir):
    store = Store(data_dir)
    store.commit({"inventory": frame(1000.0)}, file_name="first.csv")
    store.commit({"inventory": frame(2000.0)}, file_name="second.csv")
    v3 = store.rollback(1, expected_current=2)
    assert v3.version == 3 and v3.action == "rollback" and v3.parent == 2
    assert v3.note == "回退到版本 1（替换版本 2）"
    assert all_tables(store).execute("SELECT sum(saleable_area_m2) FROM inventory").fetchone()[0] == 2000.0
    assert [(v.version, v.action, v.file_name) for v in store.history()] == [
        (1, "import", "first.csv"),
        (2, "import", "second.csv"),
        (3, "rollback", ""),
    ]
    store.rollback(2, expected_current=3)  # forward again: nothing was deleted
    assert all_tables(store).execute("SELECT sum(saleable_area_m2) FROM inventory").fetchone()[0] == 4000.0
    store.rollback(0, expected_current=4)
    assert store.is_empty()


def test_rollback_to_unknown_version_is_refused(data_dir):
    store = Store(data_dir)
    store.commit({"inventory": frame(1.0)})
    with pytest.raises(StoreError, match="不存在"):
        store.rollback(9, expected_current=1)


def test_crash_half_way_leaves_previous_version(data_dir, monkeypatch):
    store = Store(data_dir)
    store.commit({"inventory": frame(1000.0, codes=("140105", "210302"))})
    calls = {"n": 0}
    real = db.write_parquet

    def failing(*args, **kwargs):
        calls["n"] += 1
        if calls["n"] == 2:  # the second province's file
            raise OSError("disk full")
        return real(*args, **kwargs)

    monkeypatch.setattr(db, "write_parquet", failing)
    with pytest.raises(OSError):
        store.commit({"inventory": frame(9.0, codes=("140105", "210302"))})
    assert store.current_version() == 1
    con = all_tables(store)
    assert con.execute("SELECT sum(saleable_area_m2) FROM inventory").fetchone()[0] == 2000.0
    monkeypatch.setattr(db, "write_parquet", real)
    v = store.commit({"inventory": frame(9.0, codes=("140105",))})
    assert v.version == 2  # the failed attempt left no version behind


def test_synthetic_flag_follows_partitions(data_dir):
    store = Store(data_dir)
    store.commit({"inventory": frame(1.0)}, synthetic=True, action="demo")
    assert store.manifest().is_synthetic
    store.commit({"inventory": frame(2.0)})  # real rows into a demo province: still partly synthetic
    assert store.manifest().is_synthetic
    store.commit({"inventory": frame(3.0, codes=("210302",))}, replace_all=True)
    assert not store.manifest().is_synthetic
