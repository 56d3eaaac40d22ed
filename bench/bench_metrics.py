"""How the store and the metrics query scale: a national-size synthetic roll over every county of China.

    .venv/bin/python bench/bench_metrics.py [--households 20000000]

Prints the time to write the store and to compute metrics at each level (never asserted in tests).
"""

from __future__ import annotations

import argparse
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from analysis import db  # noqa: E402
from analysis.metrics import MetricsQuery, compute  # noqa: E402
from analysis.store import Store  # noqa: E402


def build(store: Store, households: int) -> None:
    con = db.memory_connection()
    con.register("regions_df", db._reference_frames()[0])
    con.execute(
        "CREATE TABLE counties AS SELECT region_code, (row_number() OVER ()) - 1 AS i "
        "FROM regions_df WHERE level = 'county'"
    )
    n_counties = con.execute("SELECT count(*) FROM counties").fetchall()[0][0]
    inv = con.sql(
        "SELECT region_code, strftime(DATE '2015-01-01' + to_months(m), '%Y-%m') AS period, "
        "100 + i % 50 AS saleable_units, 100000.0 + i * 10 AS saleable_area_m2, 10 AS sold_units, "
        "5000.0 + m * 10 AS sold_area_m2, 6000.0 AS avg_price_yuan_per_m2 "
        "FROM counties, range(36) t(m)"
    ).to_arrow_table()
    plans = con.sql(
        "SELECT region_code, 2017 AS year, 3000 AS planned_households, 0.6 AS target_monetised_share FROM counties"
    ).to_arrow_table()
    hh = con.sql(
        f"SELECT c.region_code || '-' || CAST(g AS VARCHAR) AS household_id, c.region_code, "
        f"'urban_shantytown' AS category, 2015 + g % 3 AS plan_year, "
        f"CASE WHEN hash(g) % 10 < 6 THEN 'monetised' WHEN hash(g) % 10 < 9 THEN 'in_kind' ELSE 'undecided' END AS mode, "
        f"CASE WHEN hash(g) % 10 < 6 THEN 300000.0 END AS compensation_yuan, "
        f"CASE WHEN hash(g + 1) % 4 = 0 THEN 'resettled' ELSE 'signed' END AS status "
        f"FROM range({households}) t(g) JOIN counties c ON c.i = g % {n_counties}"
    ).to_arrow_table()
    store.commit({"inventory": inv, "plans": plans, "households": hh}, action="demo", synthetic=True)


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--households", type=int, default=2_000_000)
    args = ap.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        store = Store(Path(tmp))
        t = time.perf_counter()
        build(store, args.households)
        print(
            f"store written: {args.households:,} households over every county of China: {time.perf_counter() - t:.1f} s"
        )
        con = store.connect()
        for level in ("province", "city", "county"):
            times = []
            for _ in range(3):
                t = time.perf_counter()
                frame = compute(con, MetricsQuery(level=level, period="2017-12"))
                times.append(time.perf_counter() - t)
            print(f"metrics --level {level:8s}: {len(frame):5d} rows, best {min(times):.3f} s, first {times[0]:.3f} s")
        t = time.perf_counter()
        compute(con, MetricsQuery(level="county", scope="140000", period="2017-12"))
        print(f"metrics --level county --region 山西省: {time.perf_counter() - t:.3f} s")


if __name__ == "__main__":
    main()
