"""How long the leader's brief and the 通报 take to render: the Shanxi samples (11 cities, and a city
brief), and Shanxi by its 117 counties.

    .venv/bin/python bench/bench_brief.py

Prints seconds for the first render in this process (imports, fonts, boundaries) and the best of three
after it (never asserted in tests).
"""

from __future__ import annotations

import sys
import time
from dataclasses import replace
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

t0 = time.perf_counter()
from analysis import maps  # noqa: E402
from analysis.brief import render_docx, render_pdf, render_png  # noqa: E402
from analysis.brief.model import MapInput, MapRegion  # noqa: E402
from analysis.brief.sample import shanxi_brief, shanxi_notice, taiyuan_brief  # noqa: E402

print(f"import: {time.perf_counter() - t0:.2f} s")


def by_county():
    codes = maps.layer_codes(maps.load_layer("county", "140000"))
    bands = ("<6", "6-12", "12-18", "18-36", ">=36")
    regions = tuple(MapRegion(c, bands[i % 5] if i % 9 else None, i % 6 == 0) for i, c in enumerate(codes))
    return replace(shanxi_brief(), map=MapInput("county", "140000", regions))


cases = [
    ("山西省 PDF（11 市）", render_pdf, shanxi_brief()),
    ("山西省 PNG（11 市）", render_png, shanxi_brief()),
    ("太原市 PDF（10 县）", render_pdf, taiyuan_brief()),
    ("山西省 PDF（117 县地图）", render_pdf, by_county()),
    ("山西省 通报 docx", render_docx, shanxi_notice()),
]
for label, render, obj in cases:
    t = time.perf_counter()
    size = len(render(obj))
    first = time.perf_counter() - t
    times = []
    for _ in range(3):
        t = time.perf_counter()
        render(obj)
        times.append(time.perf_counter() - t)
    print(f"{label}: first {first:.2f} s, best {min(times):.2f} s, {size / 1024:.0f} KiB")
