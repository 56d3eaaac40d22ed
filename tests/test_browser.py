"""The real app in a real browser: every page renders, shows no exception, and makes no external request.

Debian Chromium (/usr/bin/chromium) driven by Playwright; never a downloaded browser. Screenshots go to
artifacts/screenshots/ (the README's pictures come from there).
"""

from __future__ import annotations

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
PAGES = {  # url path → text that must appear once the page has rendered
    "overview": "各市排名",
    "inventory": "口径切换",
    "resettlement": "货币化安置三种渠道",
    "region": "全部指标",
    "data": "报送进度",
    "upload": "选择报表文件",
    "scenario": "保存、分享与比较",
}
LOCAL_HOSTS = {"127.0.0.1", "localhost", "::1", "[::1]"}

pytestmark = pytest.mark.skipif(
    not os.path.exists(CHROMIUM), reason="Debian chromium not installed (make test installs it)"
)


def outside(urls: list[str]) -> list[str]:
    """The requests that left the machine."""
    return [u for u in urls if urlparse(u).hostname not in LOCAL_HOSTS and not u.startswith(("data:", "blob:"))]


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def start_server(data_dir: Path, log_name: str):
    port = free_port()
    env = dict(os.environ, HOUSING_DATA_DIR=str(data_dir))
    SHOTS.mkdir(parents=True, exist_ok=True)
    log = (SHOTS.parent / log_name).open("w")
    proc = subprocess.Popen(
        [
            sys.executable,
            "-m",
            "streamlit",
            "run",
            str(REPO / "app.py"),
            "--server.port",
            str(port),
            "--server.address",
            "127.0.0.1",
            "--server.headless",
            "true",
        ],
        cwd=REPO,
        env=env,
        stdout=log,
        stderr=subprocess.STDOUT,
    )
    base = f"http://127.0.0.1:{port}"
    for _ in range(120):
        try:
            urllib.request.urlopen(f"{base}/_stcore/health", timeout=1)
            break
        except OSError:
            time.sleep(0.25)
    else:
        proc.kill()
        pytest.fail(f"streamlit did not start: see artifacts/{log_name}")
    return base, proc, log


@pytest.fixture(scope="module")
def server(demo_dir):
    base, proc, log = start_server(demo_dir, "streamlit-test-server.log")
    yield base
    proc.terminate()
    proc.wait(timeout=10)
    log.close()


@pytest.fixture(scope="module")
def upload_server(demo_dir, tmp_path_factory):
    """A server on a copy of the demo store: the upload test commits into it."""
    import shutil

    copy = tmp_path_factory.mktemp("upload") / "store"
    shutil.copytree(demo_dir, copy)
    base, proc, log = start_server(copy, "streamlit-upload-server.log")
    yield base, copy
    proc.terminate()
    proc.wait(timeout=10)
    log.close()


@pytest.fixture(scope="module")
def browser():
    from playwright.sync_api import sync_playwright

    with sync_playwright() as p:
        b = p.chromium.launch(
            executable_path=CHROMIUM,
            args=[
                "--no-sandbox",
                "--disable-gpu",
                "--disable-quic",
                "--no-first-run",
                "--disable-background-networking",
                "--disable-component-update",
                "--disable-sync",
            ],
        )
        yield b
        b.close()


IDLE = """() => !document.querySelector('[data-testid="stStatusWidget"]')
    && !document.querySelector('[data-stale="true"]')
    && !document.querySelector('[data-testid="stSkeleton"]')
    && !document.querySelector('[data-testid="stSpinner"]')"""


def settle(page, quiet_ms: int = 1500) -> None:
    """Wait until the app has finished running (no status widget, no stale or skeleton elements)
    and stayed so for ``quiet_ms``: a link may trigger a second run after the first one drew."""
    for _ in range(3):
        page.wait_for_function(IDLE, timeout=60_000)
        page.wait_for_timeout(quiet_ms)
        if page.evaluate(IDLE):
            return


def open_page(browser, url: str, expect: str, shot: str) -> tuple[list[str], str]:
    """Load ``url``, wait for ``expect``, save a screenshot; return every URL requested and the text."""
    context = browser.new_context(viewport={"width": 1440, "height": 2400}, locale="zh-CN")
    page = context.new_page()
    hosts: list[str] = []
    page.on("request", lambda r: hosts.append(r.url))
    page.goto(url, wait_until="domcontentloaded")
    SHOTS.mkdir(parents=True, exist_ok=True)
    try:
        page.wait_for_function("t => document.body.innerText.includes(t)", arg=expect, timeout=60_000)
    except Exception as exc:
        page.screenshot(path=str(SHOTS / f"{shot}-failed.png"), full_page=True)
        raise AssertionError(f"{url}: '{expect}' never appeared; page text: {page.inner_text('body')[:500]}") from exc
    settle(page)
    page.screenshot(path=str(SHOTS / f"{shot}.png"), full_page=True)
    body = page.inner_text("body")
    exceptions = page.locator('[data-testid="stException"]').count()
    context.close()
    assert exceptions == 0 and "Traceback" not in body, f"{url} shows an exception"
    return hosts, body


@pytest.mark.parametrize("path", list(PAGES))
def test_page_renders_offline(server, browser, path):
    hosts, _ = open_page(browser, f"{server}/{path}", PAGES[path], path)
    external = outside(hosts)
    assert not external, f"external requests: {external}"
    assert hosts, "no request recorded"


def test_map_click_drills_into_a_city(server, browser):
    context = browser.new_context(viewport={"width": 1440, "height": 1600}, locale="zh-CN")
    page = context.new_page()
    hosts: list[str] = []
    page.on("request", lambda r: hosts.append(r.url))
    page.goto(f"{server}/", wait_until="domcontentloaded")
    page.wait_for_function("document.querySelectorAll('path.choroplethlocation').length >= 11", timeout=60_000)
    page.wait_for_timeout(1000)
    page.locator("path.choroplethlocation").nth(3).click(force=True)
    page.wait_for_function("document.body.innerText.includes('各县（市、区）')", timeout=30_000)
    page.wait_for_timeout(1500)
    text = page.inner_text("body")
    assert "当前范围： 山西省 ›" in text
    SHOTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(SHOTS / "overview-drilldown.png"))
    context.close()
    external = outside(hosts)
    assert not external


def test_upload_a_county_spreadsheet_through_the_page(upload_server, browser, tmp_path):
    """An analyst's file: problems named by cell and nothing committable; then a good file, its totals,
    the commit, and the history."""
    from tests.spreadsheets import CHANGZHI_MERGES, CHANGZHI_ROWS, xlsx

    base, store_dir = upload_server
    sample = Path("/work/shared/samples/changzhi_inventory_201706.xlsx")
    if not sample.is_file():
        sample = tmp_path / "changzhi_inventory_201706.xlsx"
        sample.write_bytes(xlsx({"库存": CHANGZHI_ROWS}, {"库存": CHANGZHI_MERGES}))
    bad = tmp_path / "错误示例.xlsx"
    rows = [["县区", "统计月份", "可售套数", "可售面积（万平方米）", "销售套数", "销售面积", "均价"]]
    rows += [["火星区", "2017-06", 10, 1.0, 1, 100, 5000], ["小店区", "2017-06", -3, 1.0, 1, 100, 5000]]
    bad.write_bytes(xlsx({"6月": rows}))

    context = browser.new_context(viewport={"width": 1440, "height": 2000}, locale="zh-CN")
    page = context.new_page()
    hosts: list[str] = []
    page.on("request", lambda r: hosts.append(r.url))
    page.goto(f"{base}/upload", wait_until="domcontentloaded")
    page.wait_for_function("document.body.innerText.includes('选择报表文件')", timeout=60_000)

    page.locator("input[type=file]").set_input_files(str(bad))
    page.wait_for_function("document.body.innerText.includes('处错误')", timeout=60_000)
    page.wait_for_timeout(1500)
    page.screenshot(path=str(SHOTS / "upload-problems.png"), full_page=True)
    assert page.get_by_role("button", name="确认提交").is_disabled()
    grid = page.locator('[data-testid="stDataFrame"]').first.inner_text()
    assert "火星区" in grid or page.locator('[data-testid="stDataFrame"]').count() >= 1

    page.locator("input[type=file]").set_input_files(str(sample))
    page.wait_for_function("document.body.innerText.includes('510.47万㎡')", timeout=60_000)
    text = page.inner_text("body")
    assert "48,609套" in text and "3,054套" in text and "统计月份 2017-06" in text
    page.wait_for_timeout(1000)
    page.screenshot(path=str(SHOTS / "upload-preview.png"), full_page=True)
    page.get_by_role("button", name="确认提交").click()
    page.wait_for_function("document.body.innerText.includes('已提交为版本')", timeout=60_000)
    page.wait_for_timeout(2000)
    page.screenshot(path=str(SHOTS / "upload-committed.png"), full_page=True)
    assert "新增 0 行，替换 12 行" in page.inner_text("body")  # the demo already had 长治 2017-06
    assert page.locator('[data-testid="stException"]').count() == 0
    context.close()
    external = outside(hosts)
    assert not external
    from analysis.store import Store

    assert Store(store_dir).history()[-1].file_name == "changzhi_inventory_201706.xlsx"


def test_a_shared_scenario_link_opens_the_same_scenario(server, browser):
    """Issue's done-when: Taiyuan at 70%, the rest of Shanxi on the policy table, sent as a link."""
    from analysis.scenario import state
    from analysis.scenario.params import make_scenario

    s = state.encode(make_scenario({"preset": "policy_table", "overrides": {"140100": 0.7}, "province_code": "140000"}))
    hosts, body = open_page(browser, f"{server}/scenario?s={s}", "保存、分享与比较", "scenario-taiyuan")
    assert "本情景（政策表建议；太原市 70.0%）" in body
    external = outside(hosts)
    assert not external
