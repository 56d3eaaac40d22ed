"""The aggregates written at commit, recomputed from the raw rows by another route (pandas), and what
reads them: the metrics never read the raw roll, a province's query opens only its province's files, and a
store written before aggregates existed gives the same figures (on the fly) until its next commit writes them.
"""

from __future__ import annotations

import json
from pathlib import Path

import duckdb
import numpy as np
import pandas as pd
import pytest

from analysis import db
from analysis import store as store_module
from analysis.metrics import MetricsQuery, compute
from analysis.store import Store
from tests.conftest import tiny_tables

REPO = Path(__file__).resolve().parents[1]
COUNT_KEYS = ["region_code", "plan_year"]
VALUE_KEYS = ["region_code", "plan_year", "rural", "dimension", "value"]
STEP_KEYS = ["region_code", "plan_year", "rural", "step", "month"]
DIMENSIONS = ["mode", "channel", "status", "category", "hazard_grade", "seismic_intensity", "is_hardship"]
STEPPED = ["signed", "relocated", "resettled"]


def raw(store: Store, table: str, prefix: str) -> pd.DataFrame:
    info = store.manifest().tables[table][prefix]
    return pd.read_parquet(store.data_dir / info["file"])


def written(store: Store, name: str, prefix: str) -> pd.DataFrame:
    info = store.manifest().aggregates[name][prefix]
    return pd.read_parquet(store.data_dir / info["file"])


def counts_by_pandas(h: pd.DataFrame) -> pd.DataFrame:
    """household_counts, by hand: each column a mask over the roll, counted per county and plan year."""
    urban, rural = h.category != "rural_dilapidated", h.category == "rural_dilapidated"
    mon = urban & (h["mode"] == "monetised")
    dated = h[["signed_month", "relocated_month", "resettled_month"]].notna().any(axis=1)
    stepped = h.status.isin(STEPPED)
    resettled_undated = h.resettled_month.isna() & (h.status == "resettled")
    masks = {
        "households": urban, "monetised_households": mon, "in_kind_households": urban & (h["mode"] == "in_kind"),
        "undecided_households": urban & (h["mode"] == "undecided"),
        "compensated_households": mon & h.compensation_yuan.notna(),
        "households_with_area": urban & h.original_area_m2.notna(),
        "resettled_undated": urban & resettled_undated, "started_undated": urban & ~dated & stepped,
        "dated_households": urban & dated & stepped, "stepped_households": urban & stepped,
        "hardship_households": urban & (h.is_hardship == True),  # noqa: E712 (missing is not hardship)
        "rural_households": rural, "rural_d_grade_households": rural & (h.hazard_grade == "D"),
        "rural_c_grade_households": rural & (h.hazard_grade == "C"),
        "rural_priority_households": rural & (h.seismic_intensity >= 8), "rural_done_undated": rural & resettled_undated,
    }  # fmt: skip
    frame = h[COUNT_KEYS].assign(**{k: m.fillna(False).astype(int) for k, m in masks.items()})
    frame["compensation_yuan"] = h.compensation_yuan.where(mon)
    frame["original_area_m2"] = h.original_area_m2.where(urban)
    g = frame.groupby(COUNT_KEYS)
    out = g[list(masks)].sum()
    out["compensation_yuan"] = g.compensation_yuan.sum(min_count=1)
    out["original_area_m2"] = g.original_area_m2.sum(min_count=1)
    return out.reset_index()


def values_by_pandas(h: pd.DataFrame) -> pd.DataFrame:
    """household_values, by hand: one dimension at a time, a missing value a group of its own."""
    frames = []
    for dim in DIMENSIONS:
        col = h[dim]
        if dim == "seismic_intensity":
            col = col.astype("Int64").astype(str).where(col.notna(), None)
        elif dim == "is_hardship":
            col = col.map({True: "true", False: "false"})
        d = h.assign(rural=h.category == "rural_dilapidated", dimension=dim, value=col)
        d["hardship"] = (d.is_hardship == True).astype(int)  # noqa: E712
        g = d.groupby(VALUE_KEYS, dropna=False)
        frames.append(pd.DataFrame({"households": g.size(), "compensation_yuan": g.compensation_yuan.sum(min_count=1),
                                    "hardship_households": g.hardship.sum()}).reset_index())  # fmt: skip
    return pd.concat(frames, ignore_index=True)


def steps_by_pandas(h: pd.DataFrame) -> pd.DataFrame:
    """household_steps, by hand: the first dated step's month, and the resettled month."""
    h = h.assign(rural=h.category == "rural_dilapidated")
    first = h[["signed_month", "relocated_month", "resettled_month"]].min(axis=1)  # min skips missing
    started = h.assign(step="started", month=first)[first.notna()]
    resettled = h.assign(step="resettled", month=h.resettled_month)[h.resettled_month.notna()]
    both = pd.concat([started, resettled])
    return both.groupby(STEP_KEYS).size().rename("households").reset_index()


def same(a: pd.DataFrame, b: pd.DataFrame, keys: list[str]) -> None:
    def norm(f: pd.DataFrame) -> pd.DataFrame:
        f = f[sorted(f.columns)].astype(object).where(f.notna(), None)
        return f.sort_values(keys, key=lambda s: s.map(repr)).reset_index(drop=True)

    a, b = norm(a), norm(b)
    assert list(a.columns) == list(b.columns)
    assert len(a) == len(b)
    for col in a.columns:
        left, right = a[col].tolist(), b[col].tolist()
        if col in ("compensation_yuan", "original_area_m2"):
            assert all((x is None and y is None) or np.isclose(x, y) for x, y in zip(left, right)), col
        else:
            assert [None if x is None else str(x) for x in left] == [None if y is None else str(y) for y in right], col


@pytest.mark.parametrize("which", ["tiny", "demo", "unknown_category"])
def test_every_aggregate_recomputed_from_the_raw_rows(which, tiny_dir, demo_dir, data_dir):
    if which == "unknown_category":  # a roll without 棚户区类型: its households are urban (pandas: NaN != rural)
        t = tiny_tables()
        t["households"].loc[t["households"].household_id.isin(["h2", "h5", "h6"]), "category"] = None
        Store(data_dir).commit(t, file_name="no category")
    store = Store({"tiny": tiny_dir, "demo": demo_dir}.get(which, data_dir))
    provinces = store.manifest().tables["households"]
    assert set(store.manifest().aggregates) == set(db.AGGREGATES)
    for prefix in provinces:
        h = raw(store, "households", prefix)
        same(written(store, "household_counts", prefix), counts_by_pandas(h), COUNT_KEYS)
        same(written(store, "household_values", prefix), values_by_pandas(h), VALUE_KEYS)
        same(written(store, "household_steps", prefix), steps_by_pandas(h), STEP_KEYS)
        counted = written(store, "household_counts", prefix)
        assert counted.households.sum() + counted.rural_households.sum() == len(h)
        if which == "unknown_category":
            assert (counted.households.sum(), counted.rural_households.sum()) == (8, 0)


# queries about the raw rows themselves, never behind a figure (the id key's households: `import --rekey`)
RAW_ROW_QUERIES = {"keyed_households.sql"}


def test_metric_sql_never_reads_the_raw_roll():
    for path in [*(REPO / "analysis/sql/metrics").glob("*.sql"), *(REPO / "analysis/sql/scenario").glob("*.sql"),
                 *(p for p in (REPO / "analysis/sql/meta").glob("*.sql") if p.name not in RAW_ROW_QUERIES)]:  # fmt: skip
        text = path.read_text(encoding="utf-8").lower()
        assert "from households" not in text and "join households" not in text, path


def two_provinces() -> dict[str, pd.DataFrame]:
    """The tiny fixture plus one Liaoning county (沈阳 和平区) with a stock, a plan and two households."""
    t = tiny_tables()
    liaoning_inv = t["inventory"][t["inventory"].region_code == "140212"].assign(region_code="210102")
    plans = pd.concat(
        [t["plans"], pd.DataFrame({"region_code": ["210102"], "year": [2016], "planned_households": [9]})]
    )
    hh = t["households"].iloc[:2].assign(household_id=["l1", "l2"], region_code="210102")
    return {
        "inventory": pd.concat([t["inventory"], liaoning_inv], ignore_index=True),
        "plans": plans.reset_index(drop=True),
        "households": pd.concat([t["households"], hh], ignore_index=True),
    }


def test_a_province_query_opens_only_its_province(data_dir):
    store = Store(data_dir)
    store.commit(two_provinces(), file_name="two")
    q = MetricsQuery(level="county", scope="140000", period="2016-12")
    before = compute(store.connect(), q)
    con = store.connect()  # (connecting reads each file's schema once, for the all-China views)
    for parts in [*store.manifest().tables.values(), *store.manifest().aggregates.values()]:
        (store.data_dir / parts["21"]["file"]).write_bytes(b"not parquet")  # Liaoning's files unreadable
    pd.testing.assert_frame_equal(compute(con, q), before)  # 山西's query never opens a Liaoning file
    for level in ("province", "city", "county"):
        compute(con, MetricsQuery(level=level, scope="140100", period="2016-12"))
    with pytest.raises(duckdb.Error):
        compute(con, MetricsQuery(level="province", period="2016-12"))  # all of China must open them


def strip_aggregates(store: Store, version: int | None = None, how: str = "missing") -> None:
    """Make a version (the current one by default) look like one written before aggregates existed
    (``missing``), or by other aggregate SQL than today's (``other_sql``: its files must not be read)."""
    path = db.manifest_path(store.data_dir, store.current_version() if version is None else version)
    data = json.loads(path.read_text(encoding="utf-8"))
    for parts in data["aggregates"].values():
        for info in parts.values():
            if how == "missing":
                (store.data_dir / info["file"]).unlink()
            else:
                info["sql"] = "an older recipe"
                (store.data_dir / info["file"]).write_bytes(b"not this aggregate")
    if how == "missing":
        del data["aggregates"]
    path.write_text(json.dumps(data, ensure_ascii=False), encoding="utf-8")


@pytest.mark.parametrize("how", ["missing", "other_sql"])
def test_a_store_without_aggregates_reads_the_same_and_the_next_commit_writes_them(data_dir, how):
    store = Store(data_dir)
    store.commit(two_provinces(), file_name="two")
    queries = [MetricsQuery(level=lv, scope=s, period="2016-12") for lv in ("province", "city", "county")
               for s in (None, "140000", "140100")]  # fmt: skip
    expected = [compute(store.connect(), q) for q in queries]
    strip_aggregates(store, how=how)
    assert not any(store_module.current_aggregates(store.manifest().aggregates).values())
    con = store.connect()
    for q, e in zip(queries, expected):
        pd.testing.assert_frame_equal(compute(con, q), e)
    t = tiny_tables()
    store.commit({"plans": t["plans"].iloc[:1]}, file_name="a plan")  # touches no roll: aggregates come anyway
    assert set(store.manifest().aggregates["household_counts"]) == {"14", "21"}
    con = store.connect()
    for q, e in zip(queries, expected):
        pd.testing.assert_frame_equal(compute(con, q), e)


@pytest.mark.parametrize("old", [False, True])
def test_rollback_brings_back_the_aggregates_of_its_version(data_dir, old):
    store = Store(data_dir)
    store.commit(tiny_tables(), file_name="tiny")
    q = MetricsQuery(level="county", scope="140000", period="2016-12")
    first = compute(store.connect(), q)
    extra = tiny_tables()["households"].iloc[:1].assign(household_id="h9")
    store.commit({"households": extra}, file_name="one more")
    assert compute(store.connect(), q).households.sum() == first.households.sum() + 1
    if old:
        strip_aggregates(store, 1)  # version 1 written before aggregates: the rollback writes them
    store.rollback(1, expected_current=2)
    pd.testing.assert_frame_equal(compute(store.connect(), q), first)
    if old:
        assert store.manifest().aggregates["household_counts"]["14"]["file"].endswith("v000003.parquet")
    else:
        assert store.manifest().aggregates == store.manifest(1).aggregates
