"""The real app in Debian Chromium (Playwright, never a downloaded browser): servers, pages, waiting, checks.

Every finished run of the app ends with an invisible mark (``span.view-mark``: run number, page, view): a
test waits for the next mark instead of guessing how long a rerun takes, and reads the view from it.
"""

from __future__ import annotations

import json
import os
import socket
import subprocess
import sys
import time
import urllib.request
from pathlib import Path
from urllib.parse import urlparse

import pytest

REPO = Path(__file__).resolve().parents[1]
CHROMIUM = "/usr/bin/chromium"
SHOTS = REPO / "artifacts" / "screenshots"
LOCAL_HOSTS = {"127.0.0.1", "localhost", "::1", "[::1]"}
ARGS = ["--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run", "--disable-background-networking",
        "--disable-component-update", "--disable-sync"]  # fmt: skip
needs_chromium = pytest.mark.skipif(
    not os.path.exists(CHROMIUM), reason="Debian chromium not installed (make test installs it)"
)

ENGLISH = ("Page not found", "This app has encountered an error", "Ask Google", "Ask ChatGPT", "Traceback")


def outside(urls: list[str]) -> list[str]:
    """The requests that left the machine."""
    return [u for u in urls if urlparse(u).hostname not in LOCAL_HOSTS and not u.startswith(("data:", "blob:"))]


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def start_server(data_dir: Path, log_name: str):
    """A Streamlit server on ``data_dir``, which gets the admin account the tests log in with."""
    from tests.apptest import ensure_account

    ensure_account(data_dir)
    port = free_port()
    env = dict(os.environ, HOUSING_DATA_DIR=str(data_dir))
    SHOTS.mkdir(parents=True, exist_ok=True)
    log = (SHOTS.parent / log_name).open("w")
    proc = subprocess.Popen(
        [sys.executable, "-m", "ui.server", "--server.port", str(port),
         "--server.address", "127.0.0.1", "--server.headless", "true", "--server.runOnSave", "false"],
        cwd=REPO, env=env, stdout=log, stderr=subprocess.STDOUT,
    )  # fmt: skip
    base = f"http://127.0.0.1:{port}"
    for _ in range(160):
        try:
            urllib.request.urlopen(f"{base}/_stcore/health", timeout=1)
            break
        except OSError:
            time.sleep(0.25)
    else:
        proc.kill()
        pytest.fail(f"streamlit did not start: see artifacts/{log_name}")
    return base, proc, log


def login(page, base: str, name: str | None = None, password: str | None = None, path: str = "") -> None:
    """Log in through the real form at the address ``path`` (the page shown after the login; once per browser
    context: the session cookie keeps the login for every page opened afterwards in that context)."""
    from tests.apptest import ADMIN, PASSWORD

    page.goto(f"{base}/{path}", wait_until="domcontentloaded")
    page.get_by_label("用户名").fill(name or ADMIN)
    page.get_by_label("密码", exact=True).fill(password or PASSWORD)
    page.get_by_role("button", name="登录", exact=True).click()
    settle(page, timeout=180_000)  # the first page after the login (its first run on a busy machine may be slow)


def stop_server(proc, log) -> None:
    """Stop the server; fail if its warm-up (ui/warmup.py, run as it started) failed."""
    proc.terminate()
    try:
        proc.wait(timeout=10)
    except subprocess.TimeoutExpired:
        proc.kill()
    log.close()
    said = Path(log.name).read_text(encoding="utf-8", errors="replace")
    assert "warm-up failed" not in said, f"the server's warm-up failed: see {log.name}"


def launch(playwright):
    return playwright.chromium.launch(executable_path=CHROMIUM, args=ARGS)


# no transitions or animations in the tests' tabs: Streamlit fades stale elements and spins its status icon
# during every rerun, which repaints the page frame after frame (a third of the browser's work per rerun on
# these two cores); layout, text and events are unchanged
CALM = """document.addEventListener('DOMContentLoaded', () => {
  const style = document.createElement('style');
  style.textContent = '*, *::before, *::after { transition: none !important; animation: none !important; }';
  document.head.appendChild(style);
});"""


def new_context(browser, width: int, height: int):
    """A browser context at ``width`` × ``height`` px, in Chinese, without animations (:data:`CALM`)."""
    context = browser.new_context(viewport={"width": width, "height": height}, locale="zh-CN")
    context.add_init_script(CALM)
    return context


def last_run(page) -> int:
    return page.evaluate(
        "() => { const m = document.querySelectorAll('span.view-mark'); return m.length ? +m[m.length - 1].dataset.run : 0 }"
    )


def view(page) -> dict:
    """The page and view of the last finished run, as the app published them."""
    data = page.evaluate(
        "() => { const m = document.querySelectorAll('span.view-mark'); const e = m[m.length - 1];"
        " return e ? {page: e.dataset.page, view: e.dataset.view} : null }"
    )
    assert data, "no finished run on the page"
    return {"page": data["page"], **json.loads(data["view"])}


IDLE = """() => !document.querySelector('[data-testid="stStatusWidget"]')
    && !document.querySelector('[data-stale="true"]')"""


def settle(page, after: int = -1, timeout: int = 60_000) -> None:
    """Wait for a run that finished after run ``after`` (default: any), then for the page to stop changing."""
    page.wait_for_function(
        "n => { const m = document.querySelectorAll('span.view-mark'); return m.length && +m[m.length - 1].dataset.run > n }",
        arg=after,
        timeout=timeout,
    )
    page.wait_for_function(IDLE, timeout=timeout)
    page.wait_for_timeout(60)
    if not page.evaluate(IDLE):  # a second run (a switch of page, a corrected link) is on its way
        page.wait_for_function(IDLE, timeout=timeout)
        page.wait_for_timeout(60)


def act(page, action) -> None:
    """Do something that reruns the app, and wait until that run has finished."""
    before = last_run(page)
    action()
    settle(page, before)


def problems(page) -> list[str]:
    """What must never be on screen: Streamlit's exception box or dialogs, English errors, our error box."""
    found = []
    if page.locator('[data-testid="stException"]').count():
        found.append("exception box")
    body = page.inner_text("body")
    found += [w for w in ENGLISH if w in body]
    if "参考编号" in body:
        found.append("unexpected error message")
    if page.locator('[role="dialog"]').count():
        found.append("dialog: " + page.locator('[role="dialog"]').first.inner_text()[:80])
    english = page.evaluate(
        """() => [...new Set([...document.querySelectorAll('.modebar-btn, [data-testid="stTooltipIcon"] [title]')]
            .filter(b => getComputedStyle(b).display !== 'none')
            .map(b => b.getAttribute('data-title') || b.getAttribute('title') || '')
            .filter(t => /[a-z]{3,}/.test(t)))]"""
    )
    found += [f"English tooltip: {t}" for t in english]
    found += [f"English name: {t}" for t in page.evaluate(ENGLISH_NAMES)]
    return found


# Streamlit's names for screen readers, tooltips and empty pickers, which must be Chinese (ui/widgets.py
# CHINESE_NAMES): a text with Latin words and no Chinese, or one of Streamlit's English patterns (a file's
# name, as the user chose it, is not one)
ENGLISH_NAMES = """() => [...new Set([...document.querySelectorAll('[aria-label], [title], [placeholder], [data-title]')]
  .flatMap(e => ['aria-label', 'title', 'placeholder', 'data-title'].map(a => e.getAttribute(a) || ''))
  .concat([...document.querySelectorAll('button span')]  // an icon button's hidden name ("add icon")
    .filter(e => !e.children.length && !e.closest('[aria-hidden="true"]')).map(e => e.textContent))
  .concat([...document.querySelectorAll('a')].map(e => e.textContent))  // a link's name ("Skip to main content")
  .filter(t => !/\\.[A-Za-z0-9]{2,5}(, [\\d.]+ ?[KMG]?B)?$/.test(t))  // a chosen file's name (and size): the user's
  .filter(t => (/[A-Za-z]{3,}/.test(t) && !/[\u4e00-\u9fff]/.test(t)) || /^(Help for|Remove) /.test(t)))]"""


CLIPPED = """() => {
  const out = [];
  for (const el of document.querySelectorAll('.kpi, .kpi *, [data-testid="stMetric"] *, button, button *')) {
    if (!el.getClientRects().length) continue;
    const s = getComputedStyle(el);
    if ((s.textOverflow === 'ellipsis' && el.scrollWidth > el.clientWidth + 1)
        || (el.classList.contains('kpi-value') && el.scrollWidth > el.clientWidth + 1)) out.push(el.innerText);
  }
  return out;
}"""

TABLE_OVERFLOW = """() => [...document.querySelectorAll('[data-testid="stDataFrame"] .dvn-scroller')]
  .filter(s => s.offsetParent !== null)
  .filter(s => s.scrollWidth > s.clientWidth + 2 || s.scrollHeight > s.clientHeight + 2)
  .map(s => [s.scrollWidth, s.clientWidth, s.scrollHeight, s.clientHeight])"""


def clipped(page) -> list[str]:
    """KPI texts and button labels cut by an ellipsis, or KPI values wider than their card."""
    return page.evaluate(CLIPPED)


WRAPPED_LABELS = """() => [...document.querySelectorAll('[data-testid="stWidgetLabel"] p')]
  .filter(p => p.innerText.trim() && p.getClientRects().length)
  .filter(p => p.getBoundingClientRect().height > 1.5 * (parseFloat(getComputedStyle(p).lineHeight) || 22))
  .map(p => p.innerText)"""


def wrapped_labels(page) -> list[str]:
    """Controls' labels that wrap onto a second line (a row of controls too narrow for them)."""
    return page.evaluate(WRAPPED_LABELS)


def hidden_table_parts(page) -> list:
    """Tables that scroll inside (rows or columns out of sight)."""
    page.evaluate("""() => document.querySelectorAll('[data-testid="stDataFrame"]')
        .forEach(g => { if (g.offsetParent !== null) g.scrollIntoView({block: 'nearest'}) })""")
    page.wait_for_timeout(60)
    return page.evaluate(TABLE_OVERFLOW)
