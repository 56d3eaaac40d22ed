"""How the metrics query scales with the level: a national synthetic store over every county of China.

    .venv/bin/python bench/bench_metrics.py [--households 2000000] [--root /tmp/national-bench]

The store is bench/national_roll.py's (every county has households in every plan year and every column the
metrics read is filled; built once under ``--root`` and reused). Prints the time to compute the metrics at
each level, nationally and for 山西 (never asserted in tests). bench/bench_national.py compares these
figures with pandas and polars.
"""

from __future__ import annotations

import argparse
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))
sys.path.insert(0, str(Path(__file__).resolve().parent))

import national_roll  # noqa: E402

from analysis.metrics import MetricsQuery, compute  # noqa: E402


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--households", type=int, default=2_000_000)
    ap.add_argument("--root", default="/tmp/national-bench")
    args = ap.parse_args()
    n = args.households
    root = Path(args.root) / (f"{n // 1_000_000}M" if n >= 1_000_000 and n % 1_000_000 == 0 else str(n))
    t = time.perf_counter()
    store = national_roll.build(root, n)
    print(f"store: {n:,} households over every county of China ({root}; ready in {time.perf_counter() - t:.1f} s)")
    con = store.connect()
    for scope, label in ((None, "全国"), ("140000", "山西省")):
        for level in ("province", "city", "county"):
            times = []
            for _ in range(4):
                t = time.perf_counter()
                frame = compute(con, MetricsQuery(level=level, scope=scope, period="2017-12"))
                times.append(time.perf_counter() - t)
            print(f"{label} metrics --level {level:8s}: {len(frame):5d} rows, first {times[0]:.3f} s, "
                  f"best of the rest {min(times[1:]):.3f} s")  # fmt: skip


if __name__ == "__main__":
    main()
