"""How long each page for a province takes to settle in the browser, on a national store.

    .venv/bin/python bench/bench_pages.py [--households 5000000] [--province 山西省] [--repeat 3]
                                          [--root /tmp/national-bench]

The national store of bench/national_roll.py (every county of China, ``--households`` households; built once
and reused) is served by ``python -m ui.server`` (``streamlit run app.py``); Debian Chromium (Playwright) opens each page of the
province by its link, as a user's browser would, and waits until the run has finished and the page stopped
changing (the run mark every run ends with, and no stale element: tests/browser.py). Printed per page:
the **first visit** (the first time any browser opens that page on this server: its queries are not cached
yet; 总览 is also the server's first page of all) and **warm** (the same link opened again: min / median of
``--repeat``). Targets of issue 16 at 20 M households: warm ≤ 1 s, first visit ≤ 3 s. Never asserted in tests.
"""

from __future__ import annotations

import argparse
import os
import statistics
import sys
import time
from pathlib import Path
from urllib.parse import quote

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO))
sys.path.insert(0, str(REPO / "bench"))

PAGES = [("总览", ""), ("库存与去化", "inventory"), ("货币化安置", "resettlement"), ("地区详情", "region"),
         ("情景模拟", "scenario"), ("全国", "national"), ("数据", "data"), ("数据上传", "upload")]  # fmt: skip


def open_page(page, base: str, path: str, province: str) -> float:
    """Seconds from asking for the link to the page settled (its run finished, nothing stale)."""
    from tests import browser

    t = time.perf_counter()
    page.goto(f"{base}/{path}?province={quote(province)}", wait_until="commit")
    browser.settle(page, timeout=180_000)
    elapsed = time.perf_counter() - t
    bad = browser.problems(page)
    if bad:
        print(f"  ! {path or 'overview'}: {bad}", flush=True)
    return elapsed


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--households", type=int, default=5_000_000)
    ap.add_argument("--province", default="山西省")
    ap.add_argument("--repeat", type=int, default=3)
    ap.add_argument("--root", default="/tmp/national-bench")
    args = ap.parse_args()
    if not os.path.exists("/usr/bin/chromium"):
        print("skipped: /usr/bin/chromium is missing (make browser-deps installs it)")
        return
    import national_roll
    from playwright.sync_api import sync_playwright

    from tests import browser

    size = args.households
    store_dir = Path(args.root) / (f"{size // 1_000_000}M" if size >= 1_000_000 else str(size))
    print(f"store: {size:,} households, every county of China ({store_dir})", flush=True)
    national_roll.build(store_dir, size)
    base, proc, log = browser.start_server(store_dir, "bench_pages_server.log")
    print(f"machine: {os.cpu_count()} cores, load {os.getloadavg()[0]:.1f}; province {args.province}")
    rows = []
    try:
        with sync_playwright() as p:
            chromium = browser.launch(p)
            ctx = chromium.new_context(viewport={"width": 1280, "height": 900}, locale="zh-CN")
            page = ctx.new_page()
            # the tests' admin account (made by start_server), logged in on 数据上传, which runs no query: every
            # page's first visit below is still the server's first run of it
            browser.login(page, base, path="upload")
            first = {path: open_page(page, base, path, args.province) for _, path in PAGES}
            for title, path in PAGES:
                warm = [open_page(page, base, path, args.province) for _ in range(args.repeat)]
                rows.append((title, first[path], min(warm), statistics.median(warm)))
            chromium.close()
    finally:
        browser.stop_server(proc, log)
    print("\n| page | first visit | warm min / median | targets: first ≤ 3 s, warm ≤ 1 s (at 20 M) |")
    print("| --- | --- | --- | --- |")
    for title, f, lo, med in rows:
        verdict = "ok" if f <= 3 and med <= 1 else "over"
        print(f"| {title} | {f:.2f} s | {lo:.2f} / {med:.2f} s | {verdict} |")
    print(f"load after: {os.getloadavg()[0]:.1f}")


if __name__ == "__main__":
    main()
