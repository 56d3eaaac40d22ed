"""Shared fixtures: temporary data dirs, a tiny hand-checkable store, the demo store (built once)."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pandas as pd
import pytest

from analysis.store import Store

REPO = Path(__file__).resolve().parents[1]


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
    store = Store(data_dir)
    store.commit(tiny_tables(), file_name="tiny")
    return store


@pytest.fixture(scope="session")
def demo_dir(tmp_path_factory) -> Path:
    """The demo data set, written once per test session (≈6 s)."""
    from analysis import demo

    d = tmp_path_factory.mktemp("demo") / "store"
    demo.write(Store(d))
    return d


@pytest.fixture()
def demo_env(demo_dir, monkeypatch) -> Path:
    monkeypatch.setenv("HOUSING_DATA_DIR", str(demo_dir))
    return demo_dir


def run_cli(*args: str, data_dir: Path, check: int | None = 0) -> subprocess.CompletedProcess:

    env = dict(os.environ, HOUSING_DATA_DIR=str(data_dir), PYTHONPATH=str(REPO))
    proc = subprocess.run(
        [sys.executable, "-m", "analysis", *args], capture_output=True, text=True, env=env, cwd=REPO, timeout=120
    )
    if check is not None:
        assert proc.returncode == check, (proc.returncode, proc.stdout[-2000:], proc.stderr[-2000:])
    return proc
