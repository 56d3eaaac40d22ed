"""A national synthetic store for the benchmarks: every county of China, 2015-01 … 2017-12, a full roll.

Household ``g`` lives in county ``g % C`` (C = 2,874 counties) and belongs to plan year
``2015 + (g // C) % 3``: every county has households in every plan year (the old bench gave each county a
single year, since 2874 = 3 × 958). Every column of the roll is filled as a real roll fills it: project,
members, original area, hardship, mode, channel (monetised households), compensation, status, purchased
area, the signed / relocated / resettled months that go with the status, and for rural dilapidated houses
the hazard grade and seismic intensity. Inventory: every county, every month; plans: every county, every
year. Committed province by province (one version each), as a province's data would arrive.

Built once under ``--root`` (default /tmp/national-bench/<N>M) and reused while its stamp matches.
"""

from __future__ import annotations

import json
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from analysis import db, reference  # noqa: E402
from analysis.store import Store, current_aggregates  # noqa: E402

RECIPE = 2  # bump when the synthetic roll changes (a stored store of another recipe is rebuilt)

COUNTIES = "SELECT region_code, province_code, (row_number() OVER (ORDER BY region_code)) - 1 AS i FROM regions_df"

INVENTORY = """
SELECT c.region_code, strftime(DATE '2015-01-01' + to_months(m), '%Y-%m') AS period,
       CAST(800 + c.i % 700 + m * 3 AS BIGINT) AS saleable_units,
       90000.0 + (c.i % 97) * 1500.0 + m * 250.0 AS saleable_area_m2,
       CAST(40 + (c.i + m) % 60 AS BIGINT) AS sold_units,
       4000.0 + (hash(c.i, m) % 4000) AS sold_area_m2,
       5200.0 + (c.i % 41) * 50.0 AS avg_price_yuan_per_m2,
       3000.0 + (hash(m, c.i) % 3000) AS new_permit_area_m2,
       CAST(c.i % 30 AS BIGINT) AS unallocated_affordable_units,
       (c.i % 30) * 80.0 AS unallocated_affordable_area_m2
FROM counties AS c, range(36) AS t(m)
WHERE c.province_code = $province
"""

PLANS = """
SELECT c.region_code, y AS year, CAST($per_county_year + c.i % 50 AS BIGINT) AS planned_households,
       0.4 + (c.i % 5) * 0.1 AS target_monetised_share
FROM counties AS c, range(2015, 2018) AS t(y)
WHERE c.province_code = $province
"""

# household g = county i + C × round k (so g % C = i and the plan year is 2015 + (g // C) % 3);
# u, v: two uniform draws per household in [0, 1000); the columns follow from it and from the plan year
HOUSEHOLDS = """
WITH base AS (
    SELECT c.i + $n_counties * k AS g, c.region_code, c.i, 2015 + CAST(k % 3 AS INTEGER) AS plan_year,
           hash(c.i + $n_counties * k) % 1000 AS u, hash(c.i + $n_counties * k, 7) % 1000 AS v
    FROM counties AS c, range(0, $rounds) AS t(k)
    WHERE c.province_code = $province AND c.i + $n_counties * k < $households
),
shaped AS (
    SELECT *,
        CASE WHEN u < 650 THEN 'urban_shantytown' WHEN u < 850 THEN 'urban_village' ELSE 'rural_dilapidated' END
            AS category,
        CASE WHEN v < 600 THEN 'monetised' WHEN v < 900 THEN 'in_kind' ELSE 'undecided' END AS mode,
        CASE WHEN (u + v) % 10 = 0 THEN 'unsigned' WHEN (u + v) % 10 < 4 THEN 'signed'
             WHEN (u + v) % 10 < 6 THEN 'relocated' ELSE 'resettled' END AS status,
        CAST(1 + v % 12 AS INTEGER) AS signed_offset
    FROM base
)
SELECT
    region_code || '-' || CAST(g AS VARCHAR) AS household_id,
    region_code,
    region_code || '-' || CAST(plan_year AS VARCHAR) || '-' || CAST(u % 8 AS VARCHAR) || '号项目' AS project,
    category,
    plan_year,
    CAST(1 + u % 6 AS INTEGER) AS members,
    40.0 + (v % 60) AS original_area_m2,
    u % 17 = 0 AS is_hardship,
    mode,
    CASE WHEN mode = 'monetised' THEN CASE u % 3 WHEN 0 THEN 'govt_purchase' WHEN 1 THEN 'platform_purchase'
         ELSE 'cash' END END AS channel,
    CASE WHEN category = 'rural_dilapidated' THEN 10000.0 + v * 10
         WHEN mode = 'monetised' THEN 200000.0 + u * 300 END AS compensation_yuan,
    status,
    CASE WHEN mode = 'monetised' AND u % 3 < 2 THEN 70.0 + u % 40 END AS purchased_area_m2,
    CASE WHEN category = 'rural_dilapidated' THEN CASE WHEN v % 3 = 0 THEN 'C' ELSE 'D' END END AS hazard_grade,
    CASE WHEN category = 'rural_dilapidated' THEN CAST(6 + u % 4 AS INTEGER) END AS seismic_intensity,
    CASE WHEN status <> 'unsigned' THEN
        strftime(make_date(plan_year, 1, 1) + to_months(signed_offset - 1), '%Y-%m') END AS signed_month,
    CASE WHEN status IN ('relocated', 'resettled') THEN
        strftime(make_date(plan_year, 1, 1) + to_months(signed_offset + CAST(u % 3 AS INTEGER)), '%Y-%m')
        END AS relocated_month,
    CASE WHEN status = 'resettled' THEN
        strftime(make_date(plan_year, 1, 1) + to_months(signed_offset + 3 + CAST(u % 9 AS INTEGER)), '%Y-%m')
        END AS resettled_month
FROM shaped
"""


def _stamp(households: int) -> dict:
    return {"recipe": RECIPE, "households": households}


def build(root: Path, households: int) -> Store:
    """The store at ``root`` for ``households`` households (reused when it was built by this recipe)."""
    store = Store(root)
    stamp_file = root.parent / f"{root.name}.json"
    if stamp_file.exists() and json.loads(stamp_file.read_text()) == _stamp(households) and store.current_version():
        fresh = current_aggregates(store.manifest().aggregates)
        if any(len(fresh[n]) < len(store.manifest().tables["households"]) for n in fresh):
            # aggregates of an older recipe: a commit writes today's (the plan of one county, sent again)
            plans = store.connect().execute("SELECT * EXCLUDE (import_version) FROM plans LIMIT 1").to_arrow_table()
            store.commit({"plans": plans}, file_name="national-refresh", action="demo", synthetic=True, actor="bench")
        return store
    if root.exists():
        import shutil

        shutil.rmtree(root)
        stamp_file.unlink(missing_ok=True)
    t0 = time.perf_counter()
    con = db.memory_connection()
    regions = reference.frames()["regions"]
    con.register("regions_df", regions[regions.level == "county"])
    con.execute(f"CREATE TABLE counties AS {COUNTIES}")
    n_counties = con.execute("SELECT count(*) FROM counties").fetchone()[0]
    provinces = [r[0] for r in con.execute("SELECT DISTINCT province_code FROM counties ORDER BY 1").fetchall()]
    per_county_year = max(households // (n_counties * 3), 1)
    for prov in provinces:
        params = {"province": prov}
        frames = {
            "inventory": con.sql(INVENTORY, params=params).to_arrow_table(),
            "plans": con.sql(PLANS, params=params | {"per_county_year": per_county_year}).to_arrow_table(),
            "households": con.sql(
                HOUSEHOLDS,
                params=params
                | {"n_counties": n_counties, "rounds": -(-households // n_counties), "households": households},
            ).to_arrow_table(),
        }
        store.commit(frames, file_name=f"national-{prov}", action="demo", synthetic=True, actor="bench")
        print(f"  {prov}: {frames['households'].num_rows:,} households ({time.perf_counter() - t0:.0f} s)", flush=True)
    stamp_file.write_text(json.dumps(_stamp(households)))
    return store
