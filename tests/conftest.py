"""Shared fixtures: temporary data dirs, a tiny hand-checkable store, the demo store (built once a session).

The command line runs in-process through ``analysis.cli.main(argv)`` (about 2 ms a call against 0.6 s for a
new Python); ``run_cli(..., process=True)`` runs the real ``python -m analysis`` where the entry point itself
is under test.
"""

from __future__ import annotations

import contextlib
import fcntl
import io
import os
import subprocess
import sys
from dataclasses import dataclass
from pathlib import Path

import pandas as pd
import pytest

from analysis.store import Store

REPO = Path(__file__).resolve().parents[1]


@pytest.fixture(autouse=True)
def quick_password_hashes(request, monkeypatch):
    """In-process tests hash passwords with argon2id at its lowest cost (about 0.2 ms against 170 ms for the
    product's RFC 9106 defaults, which a test marked ``real_password_cost`` keeps); a login never rewrites a
    stored hash at that cost (the demo store's admin, shared with the servers, keeps its own). Servers and
    commands the tests start as processes use the product's own hasher."""
    if request.node.get_closest_marker("real_password_cost"):
        return
    from argon2 import PasswordHasher

    from analysis.accounts import book

    class Quick(PasswordHasher):
        def check_needs_rehash(self, hash: str) -> bool:  # a stored hash is never rewritten at this cost
            return False

    monkeypatch.setattr(book, "_HASHER", Quick(time_cost=1, memory_cost=8, parallelism=1))
    monkeypatch.setattr(book, "_DUMMY", [])


@pytest.fixture()
def data_dir(tmp_path, monkeypatch) -> Path:
    """An empty data dir, also set as HOUSING_DATA_DIR."""
    d = tmp_path / "store"
    monkeypatch.setenv("HOUSING_DATA_DIR", str(d))
    return d


def inventory_rows(code: str, months: dict[str, float], saleable: dict[str, float]) -> list[dict]:
    return [
        {
            "region_code": code,
            "period": p,
            "saleable_units": int(saleable.get(p, 0) / 100),
            "saleable_area_m2": saleable.get(p, 0.0),
            "sold_units": int(s / 100),
            "sold_area_m2": s,
            "avg_price_yuan_per_m2": 7000.0,
        }
        for p, s in months.items()
    ]


def all_tables(store):
    """A connection on ``store`` whose search path is every province's tables, for a test's own SQL (the app's
    queries run through ``db.query``, which chooses the province's tables itself)."""
    from analysis import db

    con = store.connect()
    db.use_province(con, None)
    return con


def tiny_tables() -> dict[str, pd.DataFrame]:
    """The known-answer fixture of tests/test_metrics.py (see the comments there for the arithmetic)."""
    a_sold = {f"2016-{m:02d}": 1000.0 for m in range(1, 6)} | {f"2016-{m:02d}": 2000.0 for m in range(7, 13)}
    b_sold = {f"2016-{m:02d}": 0.0 for m in range(1, 13)}
    rows = (
        inventory_rows("140105", a_sold, {"2016-12": 24000.0})  # 小店区: 2016-06 missing
        + inventory_rows("140106", b_sold, {"2016-12": 5000.0})  # 迎泽区: no sales at all
        + inventory_rows("140212", {"2016-12": 1000.0}, {"2016-12": 3000.0})  # 大同 新荣区: one month
    )
    inventory = pd.DataFrame(rows)
    plans = pd.DataFrame(
        {
            "region_code": ["140105", "140106", "140212"],
            "year": [2016, 2016, 2016],
            "planned_households": [1000, 500, 0],
            "target_monetised_share": [0.6, None, 0.5],
        }
    )
    hh = [
        ("h1", "140105", "urban_shantytown", 2016, "monetised", "resettled", 300000.0, None, None),
        ("h2", "140105", "urban_village", 2016, "monetised", "signed", 200000.0, None, None),
        ("h3", "140105", "urban_shantytown", 2016, "in_kind", "resettled", None, None, None),
        ("h4", "140105", "urban_shantytown", 2016, "undecided", "unsigned", None, None, None),
        ("h5", "140105", "rural_dilapidated", 2016, "in_kind", "resettled", 15000.0, "D", 8),
        ("h6", "140106", "urban_shantytown", 2016, "undecided", "unsigned", None, None, None),
        ("h7", "140106", "urban_shantytown", 2016, "undecided", "signed", None, None, None),
        ("h8", "140212", "urban_shantytown", 2015, "monetised", "resettled", 250000.0, None, None),
    ]
    households = pd.DataFrame(
        hh,
        columns=[
            "household_id",
            "region_code",
            "category",
            "plan_year",
            "mode",
            "status",
            "compensation_yuan",
            "hazard_grade",
            "seismic_intensity",
        ],
    )
    households["is_hardship"] = households.household_id.isin(["h2"])
    return {"inventory": inventory, "plans": plans, "households": households}


@pytest.fixture()
def tiny_store(data_dir) -> Store:
    """The tiny fixture in a store of its own (tests may write to it)."""
    store = Store(data_dir)
    store.commit(tiny_tables(), file_name="tiny")
    return store


@pytest.fixture(scope="session")
def tiny_dir(tmp_path_factory) -> Path:
    """The tiny fixture committed once a session, for tests that only read it."""
    d = tmp_path_factory.mktemp("tiny") / "store"
    Store(d).commit(tiny_tables(), file_name="tiny")
    return d


@pytest.fixture(scope="session")
def demo_dir(tmp_path_factory, worker_id) -> Path:
    """The demo data set, written once a test session and shared by every worker (read it, never write it),
    with the admin account of tests/apptest.py (logins write its sessions and audit rows)."""
    from analysis import demo
    from tests.apptest import ensure_account

    if worker_id == "master":
        d = tmp_path_factory.mktemp("demo") / "store"
        demo.write(Store(d))
        ensure_account(d)  # the admin the app tests log in with
        return d
    root = tmp_path_factory.getbasetemp().parent  # this session's folder, shared by the xdist workers
    d = root / "demo" / "store"
    with (root / "demo.lock").open("w") as lock:
        fcntl.flock(lock, fcntl.LOCK_EX)  # the first worker writes it, the others wait for it
        if not (d / "CURRENT").exists():
            demo.write(Store(d))
            ensure_account(d)
    return d


@pytest.fixture(scope="module")
def browser():
    """Debian Chromium under Playwright, one per test module (tests/browser.py; a test starting Playwright
    itself, as tests/test_hostile.py does, must not overlap one: hence not one per session)."""
    from playwright.sync_api import sync_playwright

    from tests.browser import launch

    with sync_playwright() as p:
        b = launch(p)
        yield b
        b.close()


@pytest.fixture()
def demo_env(demo_dir, monkeypatch) -> Path:
    monkeypatch.setenv("HOUSING_DATA_DIR", str(demo_dir))
    return demo_dir


@dataclass
class Ran:
    returncode: int
    stdout: str
    stderr: str


def run_cli(*args: str, data_dir: Path, check: int | None = 0, process: bool = False) -> Ran:
    """``python -m analysis ARGS`` on ``data_dir``: in-process by default, a real process with ``process``."""
    if process:
        env = dict(os.environ, HOUSING_DATA_DIR=str(data_dir), PYTHONPATH=str(REPO))
        done = subprocess.run(
            [sys.executable, "-m", "analysis", *args], capture_output=True, text=True, env=env, cwd=REPO, timeout=120
        )
        ran = Ran(done.returncode, done.stdout, done.stderr)
    else:
        from analysis.cli import main

        out, err = io.StringIO(), io.StringIO()
        before = os.environ.get("HOUSING_DATA_DIR")
        os.environ["HOUSING_DATA_DIR"] = str(data_dir)
        try:
            with contextlib.redirect_stdout(out), contextlib.redirect_stderr(err):
                try:
                    code = main(list(args))
                except SystemExit as exc:  # argparse's own exits
                    code = exc.code if isinstance(exc.code, int) else 1
        finally:
            if before is None:
                os.environ.pop("HOUSING_DATA_DIR", None)
            else:
                os.environ["HOUSING_DATA_DIR"] = before
        ran = Ran(code, out.getvalue(), err.getvalue())
    if check is not None:
        assert ran.returncode == check, (ran.returncode, ran.stdout[-2000:], ran.stderr[-2000:])
    return ran


# the longest files first, so that the two workers (``--dist loadscope``: one file or class each at a time)
# start on them and the short files fill the gaps, instead of one worker finishing a long file alone
LONGEST_FIRST = ("test_browser_matrix", "test_browser", "test_spark", "test_hostile", "test_browser_mapping",
                 "test_aggregates", "test_brief")  # fmt: skip


def pytest_collection_modifyitems(items):
    rank = {name: i for i, name in enumerate(LONGEST_FIRST)}
    items.sort(key=lambda item: rank.get(item.module.__name__.rsplit(".", 1)[-1], len(rank)))
