"""What the hostile files of issue 13 cost now, and what the bounded worker costs on an ordinary file.

    .venv/bin/python bench/bench_hostile.py

For each file: the outcome, the wall time through the worker the page and the command line use
(analysis.ingest.worker.ingest_bounded), and the peak memory of a reading child (a fork of this process
running the same child code, measured by wait4). Then the worker's overhead on a one-row CSV: the
first call (which starts the forkserver) and the next ones, against reading in this process.
Prints figures only (never asserted in tests).
"""

from __future__ import annotations

import multiprocessing
import os
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from analysis.ingest import RefusedFile, ingest  # noqa: E402
from analysis.ingest.limits import Limits  # noqa: E402
from analysis.ingest.worker import _child, ingest_bounded  # noqa: E402
from analysis.regions import load_registry  # noqa: E402
from tests import hostile  # noqa: E402

FILES = {
    "sparse.xlsx (A1 + XFD1048576)": (hostile.sparse_xlsx, "sparse.xlsx"),
    "sparse workbook (cells to XFD17000)": (hostile.sparse_workbook, "sparse.xlsx"),
    "CSV, one 10 KB row": (lambda: hostile.long_row_csv(10), "row.csv"),
    "CSV, one 40 KB row": (lambda: hostile.long_row_csv(40), "row.csv"),
    "CSV, one 80 KB row": (lambda: hostile.long_row_csv(80), "row.csv"),
    "place name of 3,000,000 characters": (hostile.long_place_csv, "place.csv"),
    "zip bomb (380 MB of cells)": (hostile.zip_bomb, "bomb.xlsx"),
}


def peak_mb(data: bytes, name: str, limits: Limits) -> float:
    """Peak resident memory of a child reading ``data`` as the worker's child does."""
    ctx = multiprocessing.get_context("fork")
    receiver, sender = ctx.Pipe(duplex=False)
    child = ctx.Process(target=_child, args=(sender, (data, name, None, None, None, b"k" * 32, limits)))
    child.start()
    sender.close()
    try:
        receiver.recv()
    except EOFError:
        pass
    _, _, usage = os.wait4(child.pid, 0)
    return usage.ru_maxrss / 1024


def outcome(data: bytes, name: str) -> str:
    try:
        result = ingest_bounded(data, name, id_key=b"k" * 32)
    except RefusedFile as exc:
        return "refused: " + str(exc)[:70]
    return f"read: {len(result.frame)} rows, {len(result.errors)} errors"


def main() -> None:
    limits = Limits.from_env()
    print(f"limits: {limits.memory_mb} MB, {limits.seconds:g} s, {limits.max_cells:,} cells")
    tiny = b"region_code,year,planned_households\n140105,2016,1200\n"
    t0 = time.perf_counter()
    ingest_bounded(tiny, "p.csv")
    first = time.perf_counter() - t0
    times = []
    for _ in range(10):
        t0 = time.perf_counter()
        ingest_bounded(tiny, "p.csv")
        times.append(time.perf_counter() - t0)
    registry = load_registry()
    ingest(tiny, "p.csv", registry)
    t0 = time.perf_counter()
    ingest(tiny, "p.csv", registry)
    inline = time.perf_counter() - t0
    print(
        f"worker overhead, one-row CSV: first call {first:.2f} s (starts the forkserver), "
        f"then median {sorted(times)[5] * 1000:.0f} ms; in this process {inline * 1000:.0f} ms"
    )
    for label, (build, name) in FILES.items():
        data = build()
        t0 = time.perf_counter()
        said = outcome(data, name)
        dt = time.perf_counter() - t0
        print(f"{label}: {len(data):,} bytes, {dt:.2f} s, peak {peak_mb(data, name, limits):.0f} MB — {said}")
    # the same bomb if its ratio passed for a real sheet's: the streamed scan of its cells refuses it
    from analysis.ingest import precheck

    precheck.BOMB_RATIO = 10**9
    data = hostile.zip_bomb()
    t0 = time.perf_counter()
    peak = peak_mb(data, "bomb.xlsx", limits)
    print(f"zip bomb without the ratio check (in a fork): {time.perf_counter() - t0:.2f} s, peak {peak:.0f} MB")


if __name__ == "__main__":
    main()
