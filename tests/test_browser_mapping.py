"""The upload's mapping step in a real browser, as an analyst clicks it: an ambiguous 城区 asked, answered,
applied, saved and committed; the next file from the same county imports without a question. At 1024 and
1440 px, with no request leaving the machine and nothing in English."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest
from playwright.sync_api import TimeoutError as PlaywrightTimeout

from tests.browser import (
    IDLE,
    SHOTS,
    act,
    last_run,
    launch,
    login,
    needs_chromium,
    new_context,
    outside,
    problems,
    settle,
    start_server,
    stop_server,
)

pytestmark = needs_chromium

CHENGQU = Path(__file__).parent / "files" / "office" / "chengqu_households_2016.xls"


@pytest.fixture(scope="module")
def server(demo_dir, tmp_path_factory):
    copy = tmp_path_factory.mktemp("mapping") / "store"
    shutil.copytree(demo_dir, copy)
    base, proc, log = start_server(copy, "streamlit-mapping-server.log")
    yield base, copy
    stop_server(proc, log)


def upload(page, name: str, wait_for: str) -> None:
    page.locator("input[type=file]").set_input_files(
        files=[{"name": name, "mimeType": "application/vnd.ms-excel", "buffer": CHENGQU.read_bytes()}]
    )
    page.wait_for_function("t => document.body.innerText.includes(t)", arg=wait_for, timeout=60_000)
    settle(page)


def click_and_settle(page, button) -> None:
    """Click ``button`` and wait for the run it starts. A click that starts no run at all (the page idle, no new
    run after 15 s) is tried once more: on a loaded machine about one suite in ten lost this click, just after
    the expander above it opened (cause not found: the button was enabled and focused by the click)."""
    before = last_run(page)
    button.click()
    try:
        settle(page, before, timeout=15_000)
    except PlaywrightTimeout:
        if last_run(page) > before or not page.evaluate(IDLE):  # a run did start: it is only slow
            settle(page, before)
            return
        print("保存映射: the click started no run; clicked once more")
        button.click()
        settle(page, before)


@pytest.mark.parametrize("width", [1024, 1440])
def test_an_ambiguous_place_is_answered_saved_and_not_asked_again(server, width, tmp_path):
    from playwright.sync_api import sync_playwright

    base, store = server
    shutil.rmtree(store / "mappings", ignore_errors=True)  # each width starts without a saved answer
    with sync_playwright() as p:
        browser = launch(p)
        context = new_context(browser, width, 1800)
        page = context.new_page()
        requests: list[str] = []
        page.on("request", lambda r: requests.append(r.url))
        login(page, base)  # the tests' admin (全国): may save a mapping for any region
        page.goto(f"{base}/upload")
        settle(page)
        upload(page, "chengqu.xls", "映射：请确认读取方式")
        assert page.get_by_role("button", name="确认提交").is_disabled()
        body = page.inner_text("body")
        assert "地名 · 需确认" in body and "山西省/阳泉市/城区（140302）" in body
        form = page.locator('[data-testid="stForm"]')
        box = form.locator('[data-testid="stSelectbox"]').filter(has_text="地名").get_by_role("combobox")
        box.click()
        box.fill("阳泉")
        page.get_by_role("option").filter(has_text="140302").first.click()
        act(page, lambda: form.get_by_role("button", name="应用并重新检查").click())
        body = page.inner_text("body")
        assert "地名 · 需确认" not in body and "行数 18" in body
        assert not page.get_by_role("button", name="确认提交").is_disabled()
        page.get_by_text("本文件使用的映射").click()
        click_and_settle(page, page.get_by_role("button", name="保存映射"))
        assert "已保存为山西省阳泉市城区（140302）的安置花名册映射（第 1 版）" in page.inner_text("body")
        page.screenshot(path=str(SHOTS / f"upload-mapping-{width}.png"), full_page=True)
        assert problems(page) == []

        # a new tab, the same county's file: the saved answer applies, nothing is asked
        page.goto(f"{base}/upload")
        settle(page)
        upload(page, "chengqu_next.xls", "行数 18")
        body = page.inner_text("body")
        assert "已应用保存的映射" in body and "需确认" not in body
        assert not page.get_by_role("button", name="确认提交").is_disabled()
        assert problems(page) == []
        assert outside(requests) == []
        context.close()
        browser.close()
