"""This project against pandas and polars at national scale, side by side in one run.

    .venv/bin/python bench/bench_national.py [--households 5000000] [--sizes 1,5,20] [--repeat 7]
                                             [--root /tmp/national-bench] [--province 140000] [--no-xlsx]

For each size a national store is built once (bench/national_roll.py: every county of China in every plan
year, every column filled) under ``--root`` and reused. Each measurement runs in a process of its own, so
its peak memory (ru_maxrss) is its own and its first call is a fresh process's (after the imports, which
are printed apart: ``process`` is the whole process's wall time, interpreter and imports included):

- the county metric for all of China and for one province: this project (``metrics.compute`` over the
  aggregates), plain pandas and polars over the raw Parquet files (bench/national_rivals.py), the results
  checked equal for every county; also ``python -m analysis metrics`` as a user runs it;
- the scenario of one province: its inputs loaded (``engine.load_inputs``) and a recompute (``engine.run``;
  and as the page does it, against the baseline it has cached);
- a 50,000-household .xlsx built from the project's own template, checked by ``import --dry-run``, with
  where its time goes.

Prints figures and ratios; never asserted in tests.
"""

from __future__ import annotations

import argparse
import json
import os
import resource
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO))
sys.path.insert(0, str(REPO / "bench"))
PERIOD, YEARS = "2017-12", [2017]


# -- the child processes -------------------------------------------------------------------------------
def _child(impl: str, store_dir: Path, scope: str | None, repeat: int, out: Path) -> dict:
    t0 = time.perf_counter()
    if impl == "project":
        from analysis.metrics import MetricsQuery, compute
        from analysis.store import Store

        imported = time.perf_counter()
        con = Store(store_dir).connect()
        q = MetricsQuery(level="county", scope=scope, period=PERIOD, years=tuple(YEARS))

        def run():
            return compute(con, q)
    elif impl == "scenario":
        from analysis.scenario import engine
        from analysis.scenario.params import make_scenario
        from analysis.store import Store

        imported = time.perf_counter()
        con = Store(store_dir).connect()
        inputs = engine.load_inputs(con, scope, PERIOD, 12, tuple(YEARS))
        first = time.perf_counter() - imported
        loads = _times(lambda: engine.load_inputs(con, scope, PERIOD, 12, tuple(YEARS)), repeat)
        s = make_scenario({"share": 0.9})

        def framed(result):  # what a page reads: the results as frames at every level
            return result.county, result.city, result.province

        recompute = _times(lambda: framed(engine.run(inputs, s)), repeat * 3)
        baseline = engine.compute(inputs, s.baseline())  # the page caches the baseline's results
        on_page = _times(lambda: framed(engine.compare(engine.compute(inputs, s), baseline)), repeat * 3)
        return {"first": first, "warm": loads, "recompute": recompute, "on_page": on_page, "imports": imported - t0,
                "peak_mb": _peak_mb(), "counties": len(inputs.counties)}  # fmt: skip
    else:
        import national_rivals

        fn = national_rivals.with_pandas if impl == "pandas" else national_rivals.with_polars
        if impl == "pandas":
            import pandas  # noqa: F401
        else:
            import polars  # noqa: F401
        imported = time.perf_counter()

        def run():
            return fn(store_dir, REPO, scope, PERIOD, YEARS)

    frame = run()
    first = time.perf_counter() - imported
    warm = _times(run, repeat)
    _save(impl, frame, out)
    return {"first": first, "warm": warm, "imports": imported - t0, "peak_mb": _peak_mb()}


def _times(fn, repeat: int) -> list[float]:
    out = []
    for _ in range(repeat):
        t = time.perf_counter()
        fn()
        out.append(time.perf_counter() - t)
    return out


def _peak_mb() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def _save(impl: str, frame, out: Path) -> None:
    import national_rivals

    if impl == "polars":
        frame = frame.to_pandas()
    frame[national_rivals.COLUMNS].to_parquet(out)


def spawn(impl: str, store_dir: Path, scope: str | None, repeat: int, out: Path) -> dict:
    cmd = [sys.executable, __file__, "--child", impl, "--store", str(store_dir), "--repeat", str(repeat),
           "--out", str(out)] + (["--scope", scope] if scope else [])  # fmt: skip
    t = time.perf_counter()
    done = subprocess.run(cmd, capture_output=True, text=True, check=True, cwd=REPO)
    result = json.loads(done.stdout.strip().splitlines()[-1])
    result["process"] = time.perf_counter() - t
    return result


def cli_wall(store_dir: Path, scope: str | None, repeat: int = 3) -> float:
    cmd = [sys.executable, "-m", "analysis", "metrics", "--level", "county", "--period", PERIOD, "--format", "csv",
           "--data-dir", str(store_dir)] + (["--region", scope] if scope else [])  # fmt: skip
    times = []
    for _ in range(repeat):
        t = time.perf_counter()
        subprocess.run(cmd, capture_output=True, check=True, cwd=REPO)
        times.append(time.perf_counter() - t)
    return min(times)


# -- checking the results equal ----------------------------------------------------------------------
def verify(paths: dict[str, Path]) -> str:
    import numpy as np
    import pandas as pd

    frames = {k: pd.read_parquet(p).sort_values("region_code").reset_index(drop=True) for k, p in paths.items()}
    mine = frames.pop("project")
    problems = []
    for name, other in frames.items():
        if list(other.region_code) != list(mine.region_code):
            problems.append(f"{name}: other counties")
            continue
        for col in mine.columns[1:]:
            a, b = mine[col].astype(float).to_numpy(), other[col].astype(float).to_numpy()
            bad = ~np.isclose(a, b, rtol=1e-9, equal_nan=True)
            if bad.any():
                problems.append(f"{name}.{col}: {bad.sum()} counties differ")
    return f"equal for all {len(mine):,} counties" if not problems else "DIFFERENT: " + "; ".join(problems)


# -- the .xlsx check ---------------------------------------------------------------------------------
def xlsx_roll(path: Path, households: int = 50_000) -> Path:
    """A roll of ``households`` filled into the project's own households template (built once)."""
    if path.exists():
        return path
    import io
    import random

    import openpyxl

    from analysis import catalogue
    from analysis.ingest.templates import template_bytes
    from analysis.regions import load_registry

    reg = load_registry()
    counties = reg.counties_under("210000")
    wb = openpyxl.load_workbook(io.BytesIO(template_bytes("households")))
    ws = wb.worksheets[0]
    header = [c.value for c in ws[1]]
    label = {k: catalogue.column(k).values for k in ("category", "mode", "status", "channel")}
    rng = random.Random(3)
    for i in range(households):
        mon = rng.random() < 0.6
        values = {
            "户编号": f"LN{i:08d}", "项目名称": "示范棚改项目", "县（市、区）": "".join(reg.path_names(counties[i % len(counties)])[1:]),
            "棚户区类型": label["category"]["urban_shantytown"], "计划年度": 2016, "家庭人口（人）": 3,
            "原住房面积（平方米）": 55.5, "困难家庭（是/否）": "否",
            "安置方式": label["mode"]["monetised" if mon else "in_kind"],
            "货币化安置方式": label["channel"]["cash"] if mon else None,
            "补偿金额（元）": rng.randint(100_000, 500_000) if mon else None,
            "签约状态": label["status"]["signed"], "签约日期": "2016-03",
        }  # fmt: skip
        ws.append([values.get(h) for h in header])
    wb.save(path)
    return path


def xlsx_check(path: Path) -> None:
    env = dict(os.environ, HOUSING_ID_KEY="k" * 32)
    with tempfile.TemporaryDirectory() as tmp:
        cmd = [sys.executable, "-m", "analysis", "import", str(path), "--kind", "households", "--region", "辽宁省",
               "--dry-run", "--data-dir", tmp]  # fmt: skip
        t = time.perf_counter()
        done = subprocess.run(cmd, capture_output=True, text=True, cwd=REPO, env=env)
        wall = time.perf_counter() - t
    print(f"\n50,000-household .xlsx ({path.stat().st_size / 1e6:.1f} MB) `import --dry-run`: {wall:.2f} s "
          f"(exit {done.returncode}; target ≤ 2 s)")  # fmt: skip
    import cProfile
    import pstats

    from analysis.ingest import ingest
    from analysis.regions import load_registry

    data, reg = path.read_bytes(), load_registry()
    prof = cProfile.Profile()
    t = time.perf_counter()
    prof.runcall(ingest, data, path.name, reg, id_key=b"k" * 32, kind="households", region="辽宁省")
    total = time.perf_counter() - t
    by_module: dict[str, float] = {}
    for (file, _, _), (_, _, tottime, _, _) in pstats.Stats(prof).stats.items():
        p = Path(file)
        key = str(p.relative_to(REPO)) if p.is_relative_to(REPO) else (p.parts[-2] if len(p.parts) > 1 else file)
        by_module[key] = by_module.get(key, 0.0) + tottime
    print(f"  in process (profiled, {total:.2f} s): where the time goes")
    for key, sec in sorted(by_module.items(), key=lambda kv: -kv[1])[:8]:
        print(f"    {sec:6.2f} s  {key}")


# -- the table ----------------------------------------------------------------------------------------
def fmt_s(x: float) -> str:
    return f"{x * 1e3:.0f} ms" if x < 1 else f"{x:.2f} s"


def measure(size: int, root: Path, province: str, repeat: int) -> None:
    import national_roll

    store_dir = root / f"{size // 1_000_000}M" if size >= 1_000_000 else root / f"{size}"
    print(f"\n== {size:,} households, every county of China (store {store_dir})", flush=True)
    national_roll.build(store_dir, size)
    load = os.getloadavg()[0]
    print("| work | first call, fresh process | warm min / median | peak memory | process (imports) |")
    print("| --- | --- | --- | --- | --- |")
    ratios = []
    with tempfile.TemporaryDirectory() as tmp:
        for scope, label in ((None, "all of China"), (province, f"province {province}")):
            results, paths = {}, {}
            for impl in ("project", "pandas", "polars"):
                paths[impl] = Path(tmp) / f"{impl}-{scope}.parquet"
                r = results[impl] = spawn(impl, store_dir, scope, repeat, paths[impl])
                print(f"| {impl}, {label} | {fmt_s(r['first'])} | {fmt_s(min(r['warm']))} / "
                      f"{fmt_s(statistics.median(r['warm']))} | {r['peak_mb']:.0f} MB | {fmt_s(r['process'])} "
                      f"({fmt_s(r['imports'])}) |", flush=True)  # fmt: skip
            wall = cli_wall(store_dir, scope)
            print(f"| `python -m analysis metrics --level county{' --region ' + scope if scope else ''}` | "
                  f"{fmt_s(wall)} (whole command) | | | |")  # fmt: skip
            print(f"|   results: {verify(paths)} | | | | |")
            mine = min(results["project"]["warm"])
            for rival in ("pandas", "polars"):
                ratios.append((label, rival, min(results[rival]["warm"]) / mine,
                               results[rival]["first"] / results["project"]["first"]))  # fmt: skip
        s = spawn("scenario", store_dir, province, repeat, Path(tmp) / "unused")
        print(f"| scenario {province}: inputs loaded ({s['counties']} counties) | {fmt_s(s['first'])} | "
              f"{fmt_s(min(s['warm']))} / {fmt_s(statistics.median(s['warm']))} | {s['peak_mb']:.0f} MB | "
              f"{fmt_s(s['process'])} |")  # fmt: skip
        print(f"| scenario {province}: recompute (engine.run, with deltas) | | {fmt_s(min(s['recompute']))} / "
              f"{fmt_s(statistics.median(s['recompute']))} | | |")  # fmt: skip
        print(f"| scenario {province}: a slider moved on the page (compute + deltas to the cached baseline) | | "
              f"{fmt_s(min(s['on_page']))} / {fmt_s(statistics.median(s['on_page']))} | | |")  # fmt: skip
    print(f"\nratios at {size:,} households (how many times faster this project is; load {load:.1f} → "
          f"{os.getloadavg()[0]:.1f}):")  # fmt: skip
    for label, rival, warm, first in ratios:
        print(f"  {label:20s} vs {rival:6s}: warm ×{warm:.1f}, first call in a fresh process ×{first:.1f}")


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--households", type=int, default=5_000_000)
    ap.add_argument("--sizes", help="millions of households, e.g. 1,5,20 (instead of --households)")
    ap.add_argument("--repeat", type=int, default=7)
    ap.add_argument("--root", default="/tmp/national-bench")
    ap.add_argument("--province", default="140000")
    ap.add_argument("--no-xlsx", action="store_true")
    ap.add_argument("--child")
    ap.add_argument("--store")
    ap.add_argument("--scope")
    ap.add_argument("--out")
    args = ap.parse_args()
    if args.child:
        print(json.dumps(_child(args.child, Path(args.store), args.scope, args.repeat, Path(args.out))))
        return
    root = Path(args.root)
    root.mkdir(parents=True, exist_ok=True)
    sizes = [int(float(s) * 1_000_000) for s in args.sizes.split(",")] if args.sizes else [args.households]
    print(f"machine: {os.cpu_count()} cores, load {os.getloadavg()[0]:.1f}; period {PERIOD}, plan year {YEARS[0]}, "
          f"12-month window; {args.repeat} warm calls each")  # fmt: skip
    for size in sizes:
        measure(size, root, args.province, args.repeat)
    if not args.no_xlsx:
        xlsx_check(xlsx_roll(root / "roll_50k.xlsx"))


if __name__ == "__main__":
    main()
