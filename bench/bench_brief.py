"""How long the leader's brief and the 通报 take at province scale, from the store to the file.

    .venv/bin/python bench/bench_brief.py            # the store of HOUSING_DATA_DIR, else data/store (make bench writes the demo)

For 山西省 (11 cities, 117 counties), 辽宁省 (14 cities) and 太原市 at the latest month: the figures (every
metrics query the headline changes need, on a fresh connection), then each file; the first render in this
process pays the imports, the font and the boundaries, the best of three after it is what a second click
costs. The command line end to end (a new Python) last. Printed, never asserted.
"""

from __future__ import annotations

import os
import subprocess
import sys
import tempfile
import time
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO))

from analysis import metrics  # noqa: E402
from analysis.brief import Source, build, connection_compute, gather, render_docx, render_pdf, render_png  # noqa: E402
from analysis.db import default_data_dir  # noqa: E402
from analysis.store import Store  # noqa: E402

store = Store(default_data_dir())
if store.is_empty():
    sys.exit("没有数据：先运行 make data（或 python -m analysis demo）")
print(f"store: {store.data_dir} (version {store.current_version()})")


def best(fn, n: int = 3) -> float:
    times = []
    for _ in range(n):
        t = time.perf_counter()
        fn()
        times.append(time.perf_counter() - t)
    return min(times)


for code, name in (("140000", "山西省"), ("210000", "辽宁省"), ("140100", "太原市")):
    con = store.connect()
    try:
        period = metrics.periods(con)[-1]
        source = Source(connection_compute(con, 12), tuple(metrics.periods(con)), 12)
        t = time.perf_counter()
        facts = gather(source, code, period)
        figures = time.perf_counter() - t
    finally:
        con.close()
    brief, notice = build.brief(facts), build.notice(facts)
    print(f"{name} {period}: figures {figures:.2f} s ({len(facts.subs)} {facts.sub_word})")
    for label, render, obj in (
        ("PDF", render_pdf, brief),
        ("PNG", render_png, brief),
        ("通报 docx", render_docx, notice),
    ):
        t = time.perf_counter()
        size = len(render(obj))
        first = time.perf_counter() - t
        print(f"  {label}: first {first:.2f} s, best {best(lambda r=render, o=obj: r(o)):.2f} s, {size / 1024:.0f} KiB")

with tempfile.TemporaryDirectory() as tmp:
    out = Path(tmp) / "b.pdf"
    env = dict(os.environ, HOUSING_DATA_DIR=str(store.data_dir), PYTHONPATH=str(REPO))
    t = time.perf_counter()
    subprocess.run(
        [sys.executable, "-m", "analysis", "brief", "--region", "山西省", "--out", str(out)],
        check=True, env=env, cwd=REPO, capture_output=True,
    )  # fmt: skip
    print(
        f"python -m analysis brief --region 山西省 --out b.pdf (new process, end to end): {time.perf_counter() - t:.2f} s"
    )
