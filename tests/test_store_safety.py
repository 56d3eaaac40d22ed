"""Issue 13: a crash at any step of a commit leaves the previous version and an honest history, and the
next commit cleans up; a rollback never discards a commit its author did not see; files are owner-only."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
from contextlib import contextmanager
from pathlib import Path

import pandas as pd
import pytest

from analysis import db
from analysis.store import Store, StoreError
from tests.conftest import REPO, all_tables, inventory_rows, run_cli

CODES = ("140105", "210302")  # two provinces: two Parquet files per commit


def frame(saleable: float, codes=CODES) -> pd.DataFrame:
    return pd.DataFrame([r for c in codes for r in inventory_rows(c, {"2016-01": 100.0}, {"2016-01": saleable})])


def total(store: Store) -> float:
    return all_tables(store).execute("SELECT sum(saleable_area_m2) FROM inventory").fetchone()[0]


def leftovers(d: Path) -> list[str]:
    """Files no current version explains: temporary ones, and versions that never became current."""
    store = Store(d)
    current = store.current_version()
    named = {str(Path(p["file"])) for v in store.history() for parts in v.tables.values() for p in parts.values()}
    out = []
    for p in d.rglob("*"):
        rel = str(p.relative_to(d))
        if p.is_file() and (
            p.name.endswith(".tmp")
            or (rel.startswith("versions/") and int(p.stem[1:]) > current)
            or (rel.startswith("parts/") and rel not in named)
        ):
            out.append(rel)
    return sorted(out)


# every step of a commit that touches the disk, in order: the Parquet file of each province (written by
# DuckDB, then renamed), the manifest (written, then renamed), the CURRENT pointer (written, then renamed)
STEPS = [
    "parquet 1 half written",
    "parquet 1 rename",
    "parquet 2 half written",
    "parquet 2 rename",
    "manifest written",
    "manifest rename",
    "current written",
    "current rename",
]


class Crash(Exception):
    pass


@contextmanager
def crash_at(step: str):
    """Make the commit die at ``step`` as a killed process would: what is on disk stays on disk."""
    real_replace, real_write_private, real_copy = os.replace, db.write_private, db.write_parquet
    seen = {"parquet": 0}

    def failing_replace(*args):
        raise Crash(step)

    def write_parquet(con, sql, params, target):
        seen["parquet"] += 1
        n = seen["parquet"]
        if step == f"parquet {n} half written":
            db.private_dir(target.parent)
            target.with_suffix(".parquet.tmp").write_bytes(b"PAR1 half a file")
            raise Crash(step)
        if step == f"parquet {n} rename":  # DuckDB wrote the whole file; the rename never happened
            os.replace = failing_replace
            try:
                return real_copy(con, sql, params, target)
            finally:
                os.replace = real_replace
        return real_copy(con, sql, params, target)

    def write_private(target, data):
        what = "manifest" if target.suffix == ".json" else "current"
        if step == f"{what} written":
            target.with_name(target.name + ".tmp").write_bytes(data[: len(data) // 2])
            raise Crash(step)
        if step == f"{what} rename":
            target.with_name(target.name + ".tmp").write_bytes(data)
            raise Crash(step)
        return real_write_private(target, data)

    db.write_parquet, db.write_private = write_parquet, write_private
    try:
        yield
    finally:
        db.write_parquet, db.write_private, os.replace = real_copy, real_write_private, real_replace


@pytest.mark.parametrize("step", STEPS)
def test_a_crash_at_every_step_of_a_commit_leaves_the_previous_version(data_dir, step):
    store = Store(data_dir)
    store.commit({"inventory": frame(1000.0)}, file_name="first.csv")
    history = [(v.version, v.file_name) for v in store.history()]
    with crash_at(step), pytest.raises(Crash):
        store.commit({"inventory": frame(9.0)}, file_name="crashed.csv")
    assert store.current_version() == 1 and total(store) == 2000.0
    assert [(v.version, v.file_name) for v in store.history()] == history  # no ghost import
    assert leftovers(data_dir)  # the crash did leave something behind…
    v = store.commit({"inventory": frame(5.0)}, file_name="next.csv")
    assert v.version == 2 and v.parent == 1 and total(store) == 10.0
    assert leftovers(data_dir) == []  # …which the next commit removed
    assert [x.file_name for x in store.history()] == ["first.csv", "next.csv"]


def test_a_ghost_manifest_is_not_history_and_is_replaced(data_dir):
    """The issue's case: a manifest of 20,000 rows written, CURRENT not swapped."""
    store = Store(data_dir)
    store.commit({"inventory": frame(1.0)}, file_name="a.csv")
    with crash_at("current rename"), pytest.raises(Crash):
        store.commit({"inventory": frame(2.0)}, file_name="ghost.csv")
    assert (data_dir / "versions" / "v000002.json").exists()  # on disk…
    assert [v.file_name for v in store.history()] == ["a.csv"]  # …but not in the history
    assert "ghost.csv" not in run_cli("history", data_dir=data_dir).stdout
    store.commit({"plans": pd.DataFrame({"region_code": ["140105"], "year": [2016], "planned_households": [5]})})
    assert [v.kind for v in store.history()] == ["inventory", "plans"]
    assert "ghost.csv" not in (data_dir / "versions" / "v000002.json").read_text(encoding="utf-8")


def test_a_commit_killed_by_a_signal_leaves_a_readable_store(tmp_path):
    """A real kill (SIGKILL) at several moments of a large commit, then a commit that cleans up."""
    d = tmp_path / "store"
    Store(d).commit({"inventory": frame(1.0)}, file_name="first.csv")
    code = (
        "import pandas as pd, sys; from analysis.store import Store; from tests.conftest import inventory_rows\n"
        "months = {f'{y}-{m:02d}': 1.0 for y in range(2010, 2024) for m in range(1, 13)}\n"
        "codes = [f'14{i:04d}' for i in range(1, 300)] + [f'21{i:04d}' for i in range(1, 300)]\n"
        "rows = [r for c in codes for r in inventory_rows(c, months, months)]\n"
        "print('ready', flush=True)\n"
        "Store(sys.argv[1]).commit({'inventory': pd.DataFrame(rows)}, file_name='killed.csv')\n"
    )
    for delay in (0.05, 0.3, 0.8):
        proc = subprocess.Popen(
            [sys.executable, "-c", code, str(d)], cwd=REPO, stdout=subprocess.PIPE, env=dict(os.environ)
        )
        assert proc.stdout.readline().strip() == b"ready"
        time.sleep(delay)
        proc.send_signal(signal.SIGKILL)
        proc.wait()
        store = Store(d)
        assert {v.file_name for v in store.history()} <= {"first.csv", "killed.csv", ""}
        assert all(p.exists() for files in store.manifest().files(d).values() for p in files)
        total(store)  # readable
    store = Store(d)
    store.commit({"inventory": frame(3.0)}, file_name="after.csv")
    assert leftovers(d) == []


def test_a_missing_current_pointer_is_an_error_not_a_reason_to_delete(data_dir):
    store = Store(data_dir)
    store.commit({"inventory": frame(1.0)})
    store.commit({"inventory": frame(2.0)})
    (data_dir / "CURRENT").unlink()
    with pytest.raises(StoreError, match="缺少 CURRENT 文件"):
        store.commit({"inventory": frame(3.0)})
    assert len(list((data_dir / "versions").glob("v*.json"))) == 2  # nothing deleted


# -- the rollback race ----------------------------------------------------------------------------
def test_a_rollback_is_refused_when_an_import_landed_after_its_author_looked(data_dir):
    store = Store(data_dir)
    store.commit({"inventory": frame(1.0)}, file_name="first.csv")
    store.commit({"inventory": frame(2.0)}, file_name="second.csv")
    seen = store.current_version()  # the admin looks at the history: version 2 is current
    store.commit({"inventory": frame(3.0)}, file_name="landed.csv")  # a county's import lands
    with pytest.raises(StoreError, match="当前版本已是 3，不是您看到的版本 2"):
        store.rollback(1, expected_current=seen)
    assert store.current_version() == 3 and total(store) == 6.0  # the import that reported success stays


def test_the_rollback_command_takes_the_version_it_showed(tmp_path):
    d = tmp_path / "store"
    store = Store(d)
    store.commit({"inventory": frame(1.0)}, file_name="first.csv")
    store.commit({"inventory": frame(2.0)}, file_name="second.csv")
    proc = run_cli("rollback", "1", "--from", "1", "--yes", data_dir=d, check=2)
    assert "当前版本是 2，不是 --from 给出的 1" in proc.stderr
    out = run_cli("rollback", "1", "--from", "2", "--yes", data_dir=d).stdout
    assert "已回退到版本 1（替换了版本 2；记录为新版本 3）" in out
    assert store.manifest().note == "回退到版本 1（替换版本 2）" and store.manifest().actor


def test_rollback_asks_on_a_terminal_and_version_0_always_needs_yes(tmp_path):
    import pty

    d = tmp_path / "store"
    store = Store(d)
    store.commit({"inventory": frame(1.0)}, file_name="first.csv")
    store.commit({"inventory": frame(2.0)}, file_name="second.csv")

    def on_terminal(*args: str, answer: bytes) -> tuple[int, str]:
        main, child = pty.openpty()
        env = dict(os.environ, HOUSING_DATA_DIR=str(d), PYTHONPATH=str(REPO))
        proc = subprocess.Popen(
            [sys.executable, "-m", "analysis", *args], stdin=child, stdout=child, stderr=child, cwd=REPO, env=env
        )
        os.close(child)
        out = b""
        while b"[y/N]" not in out and b"\xe5\xb7\xb2" not in out:  # the question, or 已… (a refusal)
            try:
                out += os.read(main, 4096)
            except OSError:  # the command ended
                break
        if b"[y/N]" in out:
            os.write(main, answer + b"\n")
        proc.wait(timeout=60)
        try:
            while chunk := os.read(main, 4096):
                out += chunk
        except OSError:
            pass
        os.close(main)
        return proc.returncode, out.decode("utf-8", "replace")

    code, out = on_terminal("rollback", "1", answer=b"n")
    assert code == 2 and "替换当前版本 2" in out and "是否确认？[y/N]" in out and "已取消" in out
    assert store.current_version() == 2
    code, out = on_terminal("rollback", "0", answer=b"y")
    assert code == 2 and "回退到版本 0 会清空全部省份的数据，必须加 --yes" in out and "[y/N]" not in out
    code, out = on_terminal("rollback", "1", answer=b"y")
    assert code == 0 and "已回退到版本 1（替换了版本 2；记录为新版本 3）" in out
    assert "已回退到版本 0" in run_cli("rollback", "0", "--yes", data_dir=d).stdout and store.is_empty()


def test_the_upload_page_rollback_fails_if_an_import_landed_after_the_page_was_drawn(tiny_store: Store):
    from tests.test_upload_page import open_upload

    tiny_store.commit({"inventory": frame(2.0)}, file_name="second.csv")
    at = open_upload()  # the page shows version 2 as current
    at.selectbox(key="up_rollback_to").set_value(1)
    at.checkbox(key="up_rollback_sure").check().run()
    assert "替换当前版本 2" in at.checkbox(key="up_rollback_sure").label
    tiny_store.commit({"inventory": frame(3.0)}, file_name="landed.csv")  # between the view and the click
    at.button(key="up_rollback").click().run()
    assert not at.exception
    assert any("未能回退：当前版本已是 3，不是您看到的版本 2" in e.value for e in at.error)
    assert tiny_store.current_version() == 3 and tiny_store.manifest().file_name == "landed.csv"


def test_store_files_and_directories_are_owner_only(data_dir):
    store = Store(data_dir)
    store.commit({"inventory": frame(1.0)})
    for p in [data_dir, *data_dir.rglob("*")]:
        mode = p.stat().st_mode & 0o777
        assert mode & 0o077 == 0, (p, oct(mode))


def test_the_data_page_shows_the_server_path_to_admins_only(tiny_store: Store):
    import streamlit as st

    from tests.apptest import login, new_app

    def texts(user: str, **account) -> str:
        st.cache_data.clear()
        at = login(new_app(), user, **account).run()
        at.switch_page("pages/data.py").run()
        assert not at.exception
        return " ".join(m.value for m in at.markdown) + " ".join(c.value for c in at.caption)

    seen = texts("省查看者", role="viewer", scope="山西省")
    assert "当前版本 1" in seen and str(tiny_store.data_dir) not in seen and "/tmp" not in seen
    assert "数据目录" in texts("测试管理员")  # the admin's caption (escaped for markdown)
