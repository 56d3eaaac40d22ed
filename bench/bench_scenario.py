"""How fast a scenario recomputes at province scale (what a slider move costs on the 情景模拟 page).

    .venv/bin/python bench/bench_scenario.py [--data-dir DIR] [--province 140000] [--repeat 50]

Uses the demo data set (written to a temporary dir unless --data-dir holds a store). Prints the time to
load the county inputs (SQL, once per data selection) and to recompute a scenario with deltas against
the baseline (every slider move), plus the summary, the link and the Excel file. Never asserted in tests.
"""

from __future__ import annotations

import argparse
import statistics
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from analysis import demo  # noqa: E402
from analysis.scenario import engine, report, state  # noqa: E402
from analysis.scenario.params import make_scenario  # noqa: E402
from analysis.store import Store  # noqa: E402


def timed(fn, repeat: int) -> tuple[float, object]:
    times, out = [], None
    for _ in range(repeat):
        t = time.perf_counter()
        out = fn()
        times.append(time.perf_counter() - t)
    return statistics.median(times), out


def framed(result):
    """``result`` after its frames were made (what a page reads): a recompute is timed with them."""
    result.county, result.city, result.province  # noqa: B018
    return result


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--data-dir")
    ap.add_argument("--province", default="140000")
    ap.add_argument("--repeat", type=int, default=50)
    args = ap.parse_args()
    tmp = None
    if args.data_dir and not Store(args.data_dir).is_empty():
        store = Store(args.data_dir)
    else:
        tmp = tempfile.TemporaryDirectory()
        store = Store(Path(tmp.name) / "store")
        t = time.perf_counter()
        demo.write(store)
        print(f"demo data written                 {time.perf_counter() - t:8.2f} s")
    con = store.connect()
    t = time.perf_counter()
    inputs = engine.load_inputs(con, args.province)
    print(
        f"load county inputs (SQL, once)    {(time.perf_counter() - t) * 1e3:8.1f} ms  ({len(inputs.counties)} counties)"
    )
    cities = list(inputs.cities.region_code)
    scenarios = [
        make_scenario({"share": 0.9}),
        make_scenario({"preset": "policy_table", "overrides": {cities[0]: 0.7}}),
        make_scenario({"preset": "rule_2018", "purchase_share": 0.5, "overrides": {c: 0.6 for c in cities}}),
    ]
    for s in scenarios:
        ms, result = timed(lambda s=s: framed(engine.run(inputs, s)), args.repeat)
        print(f"recompute with deltas (per move)  {ms * 1e3:8.1f} ms  [{report.describe(s)[:40]}]")
    ms, _ = timed(lambda: framed(engine.compute(inputs, scenarios[0])), args.repeat)
    print(f"compute one scenario              {ms * 1e3:8.1f} ms")
    ms, _ = timed(lambda: report.summary(result), args.repeat)
    print(f"plain-language summary            {ms * 1e3:8.1f} ms")
    ms, _ = timed(lambda: state.decode(state.encode(scenarios[2])), args.repeat)
    print(f"link encode + decode              {ms * 1e3:8.1f} ms  ({len(state.encode(scenarios[2]))} characters)")
    ms, _ = timed(lambda: report.excel_bytes(result, "省"), max(1, args.repeat // 10))
    print(f"Excel file                        {ms * 1e3:8.1f} ms")
    con.close()
    if tmp:
        tmp.cleanup()


if __name__ == "__main__":
    main()
