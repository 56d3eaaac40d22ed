"""Issue 13: the household-id key. Created atomically (eight processes at once agree on one key), never
silently replaced, living outside the data dir if asked, and named in every manifest that holds
households, so that an import with another key is refused before it duplicates anyone."""

from __future__ import annotations

import multiprocessing
import os
import subprocess
import sys

import pytest

from analysis.ingest import privacy
from analysis.store import Store
from tests.conftest import REPO, all_tables, run_cli

ROLL = (
    "户主姓名,身份证号,县区,棚户区类型,安置方式,补偿金额（元）,签约状态,计划年度\n"
    + "".join(f"户主{i},1401051980010{i:05d},小店区,城市棚户区,货币化安置,300000,已签约,2016\n" for i in range(50))
).encode()


def _get_key(folder: str, barrier, out) -> None:
    barrier.wait()
    try:
        out.put(privacy.id_key(folder).hex())
    except Exception as exc:  # reported, so that the test names it
        out.put(f"{type(exc).__name__}: {exc}")


def test_eight_processes_creating_the_key_at_once_all_get_the_same_one(tmp_path, monkeypatch):
    monkeypatch.delenv(privacy.ENV_KEY, raising=False)
    ctx = multiprocessing.get_context("fork")
    for round_ in range(5):
        folder = tmp_path / f"round{round_}"
        barrier, out = ctx.Barrier(8), ctx.Queue()
        procs = [ctx.Process(target=_get_key, args=(str(folder), barrier, out)) for _ in range(8)]
        for p in procs:
            p.start()
        keys = [out.get(timeout=30) for _ in procs]
        for p in procs:
            p.join(10)
        assert len(set(keys)) == 1, keys  # no FileExistsError, no empty read, one key
        assert bytes.fromhex(keys[0]) == (folder / ".id_key").read_bytes() and len(keys[0]) == 64
        assert (folder / ".id_key").stat().st_mode & 0o777 == 0o600
        assert [p.name for p in folder.iterdir()] == [".id_key"]  # no temporary file left


def test_concurrent_first_imports_agree_on_the_key_and_duplicate_no_one(tmp_path):
    d = tmp_path / "store"
    roll = tmp_path / "roll.csv"
    roll.write_bytes(ROLL)
    env = dict(os.environ, HOUSING_DATA_DIR=str(d), PYTHONPATH=str(REPO))
    env.pop(privacy.ENV_KEY, None)
    procs = [
        subprocess.Popen(
            [sys.executable, "-m", "analysis", "import", str(roll)],
            cwd=REPO,
            env=env,
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            text=True,
        )
        for _ in range(4)  # four real processes racing for the first key (the key itself: eight, above)
    ]
    results = [(p.wait(timeout=180), p.stderr.read()) for p in procs]
    assert all(code == 0 for code, _ in results), results
    store = Store(d)
    n = all_tables(store).execute("SELECT count(*), count(DISTINCT household_id) FROM households").fetchone()
    assert n == (50, 50)  # four imports of one roll: fifty households, once each
    fingerprints = {v.id_key_fingerprint for v in store.history()}
    assert fingerprints == {privacy.fingerprint((d / ".id_key").read_bytes())}


def test_an_empty_or_truncated_key_is_an_error_and_is_never_replaced(tmp_path):
    d = tmp_path / "store"
    roll = tmp_path / "roll.csv"
    roll.write_bytes(ROLL)
    run_cli("import", str(roll), data_dir=d)
    before = run_cli("history", data_dir=d).stdout
    for broken in (b"", b"short"):
        (d / ".id_key").write_bytes(broken)
        proc = run_cli("import", str(roll), data_dir=d, check=2)
        assert "户编号密钥文件" in proc.stderr and ("是空的" if not broken else "已损坏") in proc.stderr
        assert (d / ".id_key").read_bytes() == broken  # never silently replaced
        assert run_cli("history", data_dir=d).stdout == before
        with pytest.raises(privacy.IdKeyError):
            privacy.id_key(d)


def test_the_key_can_live_outside_the_data_dir(tmp_path, monkeypatch):
    outside = tmp_path / "secrets" / "housing.key"
    monkeypatch.setenv(privacy.ENV_KEY_FILE, str(outside))
    monkeypatch.delenv(privacy.ENV_KEY, raising=False)
    d = tmp_path / "store"
    roll = tmp_path / "roll.csv"
    roll.write_bytes(ROLL)
    run_cli("import", str(roll), data_dir=d)
    assert outside.is_file() and not (d / ".id_key").exists()
    assert outside.stat().st_mode & 0o777 == 0o600
    assert Store(d).manifest().id_key_fingerprint == privacy.fingerprint(outside.read_bytes())


def test_a_changed_key_is_refused_before_it_duplicates_anyone_unless_rekey(tmp_path, monkeypatch):
    """The issue's case: 5,000 households became 15,000 rows after three imports with changed keys."""
    d = tmp_path / "store"
    roll = tmp_path / "roll.csv"
    roll.write_bytes(ROLL)
    monkeypatch.setenv(privacy.ENV_KEY, "the first key of this installation")
    run_cli("import", str(roll), data_dir=d)
    run_cli("import", str(roll), data_dir=d)  # the same key: replaces
    monkeypatch.setenv(privacy.ENV_KEY, "someone changed the key in between")
    proc = run_cli("import", str(roll), data_dir=d, check=2)
    assert "户编号密钥" in proc.stderr and "不同" in proc.stderr and "--rekey" in proc.stderr
    dry = run_cli("import", str(roll), "--dry-run", data_dir=d).stdout
    assert "正式导入将被拒绝，除非加 --rekey" in dry
    count = "SELECT count(*) FROM households"
    assert all_tables(Store(d)).execute(count).fetchone()[0] == 50
    out = run_cli("import", str(roll), "--rekey", data_dir=d).stdout
    assert "已按 --rekey 记录新的户编号密钥" in out and "此前按旧密钥生成户编号的 50 户" in out
    store = Store(d)
    assert all_tables(store).execute(count).fetchone()[0] == 100  # what --rekey says it does
    assert store.manifest().id_key_fingerprint == privacy.fingerprint(b"someone changed the key in between")


def test_the_fingerprint_follows_the_households_through_commits_and_rollbacks(tmp_path, monkeypatch):
    d = tmp_path / "store"
    roll = tmp_path / "roll.csv"
    roll.write_bytes(ROLL)
    plans = tmp_path / "plans.csv"
    plans.write_text("region_code,year,planned_households\n140105,2016,1200\n", encoding="utf-8")
    monkeypatch.setenv(privacy.ENV_KEY, "a key of at least sixteen bytes")
    run_cli("import", str(plans), data_dir=d)
    store = Store(d)
    assert store.manifest().id_key_fingerprint == ""  # no households: nothing to name
    run_cli("import", str(roll), data_dir=d)
    run_cli("import", str(plans), data_dir=d)  # households stay: so does their key
    fp = privacy.fingerprint(b"a key of at least sixteen bytes")
    assert [v.id_key_fingerprint for v in store.history()] == ["", fp, fp]
    run_cli("rollback", "1", "--yes", data_dir=d)
    assert store.manifest().id_key_fingerprint == ""
    monkeypatch.setenv(privacy.ENV_KEY, "another key, after the rollback")
    run_cli("import", str(roll), data_dir=d)  # no households any more: a new key is no conflict
