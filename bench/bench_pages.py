"""How long each page for a province takes to settle in the browser, on a national store.

    .venv/bin/python bench/bench_pages.py [--households 5000000] [--province 山西省] [--repeat 3]
                                          [--root /tmp/national-bench]

The national store of bench/national_roll.py (every county of China, ``--households`` households; built once
and reused) is served by ``python -m ui.server`` (``streamlit run app.py``); Debian Chromium (Playwright) opens each page of the
province by its link, as a user's browser would, and waits until the run has finished and the page stopped
changing (the run mark every run ends with, and no stale element: tests/browser.py). Printed per page:
the **first visit** (the first time any browser opens that page on this server, once the server's warm-up
is done: its queries are not cached yet, but for 总览's default view, which the warm-up computed) and **warm** (the same link opened again: min / median of
``--repeat``), and **from the menu** (the way a person moves between pages: a click on the page's link in the
sidebar menu, from the page before it, until the page settled; min / median of ``--repeat`` rounds). A link
opened afresh pays Streamlit's page load (its scripts, the websocket, the session: about 1.2 s for a page that
runs nothing); a click in the menu is one run of the page in the session already open. Targets of issue 16
at 20 M households: warm ≤ 1 s, first visit ≤ 3 s. Never asserted in tests.
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
    report(page, path)
    return elapsed


def wait_for_warm_up(log: Path, timeout_s: float = 180.0) -> float:
    """Seconds until the server's log says its warm-up is done (a warm server, as people meet it)."""
    from ui.warmup import DONE

    t = time.perf_counter()
    while time.perf_counter() - t < timeout_s:
        said = log.read_text(encoding="utf-8", errors="replace")
        if DONE in said or "warm-up failed" in said:
            break
        time.sleep(0.2)
    return time.perf_counter() - t


def from_menu(page, title: str, path: str) -> float:
    """Seconds from a click on the page's link in the sidebar menu to the page settled."""
    from tests import browser

    link = page.locator('[data-testid="stSidebar"] a[data-testid="stPageLink-NavLink"]', has_text=title).first
    before = browser.last_run(page)
    t = time.perf_counter()
    link.click()
    browser.settle(page, before, timeout=180_000)
    elapsed = time.perf_counter() - t
    report(page, path)
    return elapsed


def report(page, path: str) -> None:
    from tests import browser

    bad = browser.problems(page)
    if bad:
        print(f"  ! {path or 'overview'}: {bad}", flush=True)


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
    waited = wait_for_warm_up(Path(log.name))
    print(f"machine: {os.cpu_count()} cores, load {os.getloadavg()[0]:.1f}; province {args.province}; "
          f"the server's warm-up (ui/warmup.py) took {waited:.1f} s after it answered, before any visit")  # fmt: skip
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
            warm = {path: [open_page(page, base, path, args.province) for _ in range(args.repeat)] for _, path in PAGES}
            menu: dict[str, list[float]] = {path: [] for _, path in PAGES}
            for _ in range(args.repeat):
                for title, path in PAGES:
                    menu[path].append(from_menu(page, title, path))
            for title, path in PAGES:
                w, m = warm[path], menu[path]
                rows.append((title, first[path], min(w), statistics.median(w), min(m), statistics.median(m)))
            chromium.close()
    finally:
        browser.stop_server(proc, log)
    print("\n| page | first visit | warm, link opened afresh: min / median | warm, from the menu: min / median |"
          " first ≤ 3 s, warm ≤ 1 s (at 20 M) |")  # fmt: skip
    print("| --- | --- | --- | --- | --- |")
    for title, f, lo, med, mlo, mmed in rows:
        verdict = ("ok" if f <= 3 else "first over") + (", menu ok" if mmed <= 1 else ", menu over")
        verdict += ", link ok" if med <= 1 else ", link over"
        print(f"| {title} | {f:.2f} s | {lo:.2f} / {med:.2f} s | {mlo:.2f} / {mmed:.2f} s | {verdict} |")
    print(f"load after: {os.getloadavg()[0]:.1f}")


if __name__ == "__main__":
    main()
