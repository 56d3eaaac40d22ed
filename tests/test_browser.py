"""The real app in a real browser, beyond the walks of test_browser_matrix.py: an upload through the page,
a shared scenario link, untrusted text that must stay text, unknown addresses, and the README's pictures.

Debian Chromium (/usr/bin/chromium) driven by Playwright; never a downloaded browser. Screenshots go to
artifacts/screenshots/ (``make screenshots`` copies them to docs/screenshots/).
"""

from __future__ import annotations

import os
import shutil
from pathlib import Path
from urllib.parse import parse_qs, quote, urlparse

import pytest

from tests.apptest import ensure_account
from tests.browser import (
    SHOTS,
    act,
    login,
    needs_chromium,
    new_context,
    outside,
    problems,
    settle,
    start_server,
    stop_server,
    view,
)

pytestmark = needs_chromium

HOSTILE = ["![x](http://127.0.0.2/x.png)", "[link](javascript:alert(1))", "<img src=x onerror=alert(2)>"]
PAGES = ["overview", "inventory", "resettlement", "region", "scenario", "upload", "data", "accounts"]
COUNTY_USER = "盂县报送员"
LIAONING_VIEWER = "辽宁查看员"


@pytest.fixture(scope="module")
def upload_server(demo_dir, tmp_path_factory):
    """A server on a copy of the demo store: these tests commit into it."""
    copy = tmp_path_factory.mktemp("upload") / "store"
    shutil.copytree(demo_dir, copy, ignore=shutil.ignore_patterns("accounts.sqlite3*"))  # its own accounts
    ensure_account(copy, COUNTY_USER, role="submitter", scope="140322")  # 山西省 阳泉市 盂县
    ensure_account(copy, LIAONING_VIEWER, role="viewer", scope="辽宁省")
    base, proc, log = start_server(copy, "streamlit-upload-server.log")
    yield base, copy
    stop_server(proc, log)


def watch(page) -> dict[str, list[str]]:
    """Record every request, every static file that failed and every dialog of ``page`` (an ``alert`` would be
    a script that ran)."""
    seen: dict[str, list[str]] = {"requests": [], "dialogs": [], "failed": []}
    page.on("request", lambda r: seen["requests"].append(r.url))
    # a static file that did not arrive (a font, a script, the map's topology): never expected
    page.on("response", lambda r: r.status >= 400 and "/static/" in r.url and seen["failed"].append(r.url))
    page.on("dialog", lambda d: (seen["dialogs"].append(d.message), d.dismiss()))
    return seen


def new_tab(browser, base: str, user: str | None = None):
    """A tab in a browser context of its own, logged in as ``user`` (the tests' admin by default)."""
    context = new_context(browser, 1440, 2000)
    page = context.new_page()
    seen = watch(page)
    login(page, base, user)
    return context, page, seen


@pytest.fixture(scope="module")
def admin(browser, upload_server):
    """One browser context per module logged in as the tests' admin (its cookie and cached scripts shared)."""
    context, page, _ = new_tab(browser, upload_server[0])
    page.close()
    yield context
    context.close()


@pytest.fixture()
def tab(admin):
    """A new tab of the admin's context for each test: its own history, requests and dialogs."""
    page = admin.new_page()
    seen = watch(page)
    yield page, seen
    page.close()


def read(page) -> str:
    """The page's text as a person reads it (without the invisible word joiners that break autolinks)."""
    return page.inner_text("body").replace("\u2060", "")


def live_links(page) -> list[str]:
    """Links on the page to anywhere but the app itself (an autolinked http://… in untrusted text)."""
    return page.evaluate(
        """() => [...document.querySelectorAll('a[href]')].map(a => a.href)
            .filter(h => !h.startsWith(location.origin + '/'))"""
    )


def upload(page, name: str, data: bytes, wait_for: str) -> None:
    page.locator("input[type=file]").set_input_files(
        files=[{"name": name, "mimeType": "application/octet-stream", "buffer": data}]
    )
    # as read: the word joiners that keep a figure on one line (ui/text.figures) left out
    page.wait_for_function(
        "t => document.body.innerText.replaceAll('\\u2060', '').includes(t)", arg=wait_for, timeout=60_000
    )
    settle(page)


def test_upload_a_county_spreadsheet_through_the_page(upload_server, tab, tmp_path):
    """An analyst's file: problems named by cell and nothing committable; then a good file, its totals,
    the commit, and the history."""
    from tests.spreadsheets import CHANGZHI_MERGES, CHANGZHI_ROWS, xlsx

    base, store_dir = upload_server
    page, seen = tab
    sample = Path("/work/shared/samples/changzhi_inventory_201706.xlsx")
    good = sample.read_bytes() if sample.is_file() else xlsx({"库存": CHANGZHI_ROWS}, {"库存": CHANGZHI_MERGES})
    rows = [["县区", "统计月份", "可售套数", "可售面积（万平方米）", "销售套数", "销售面积", "均价"]]
    rows += [["火星区", "2017-06", 10, 1.0, 1, 100, 5000], ["小店区", "2017-06", -3, 1.0, 1, 100, 5000]]
    page.goto(f"{base}/upload", wait_until="domcontentloaded")
    settle(page)
    upload(page, "错误示例.xlsx", xlsx({"6月": rows}), "处错误")
    page.screenshot(path=str(SHOTS / "upload-problems.png"), full_page=True)
    assert page.get_by_role("button", name="确认提交").is_disabled()
    assert "火星区" in read(page)

    upload(page, "changzhi_inventory_201706.xlsx", good, "510.47万㎡")
    text = read(page)
    assert "48,609套" in text and "3,054套" in text and "统计月份 2017-06" in text
    page.screenshot(path=str(SHOTS / "upload-preview.png"), full_page=True)
    act(page, lambda: page.get_by_role("button", name="确认提交").click())
    page.wait_for_function("document.body.innerText.includes('已提交为版本')", timeout=60_000)
    page.screenshot(path=str(SHOTS / "upload-committed.png"), full_page=True)
    assert "新增 0 行，替换 12 行" in read(page)  # the demo already had 长治 2017-06
    assert not problems(page) and not outside(seen["requests"])
    from analysis.store import Store

    assert Store(store_dir).history()[-1].file_name == "changzhi_inventory_201706.xlsx"


def test_a_shared_scenario_link_opens_the_same_scenario(upload_server, tab):
    """Taiyuan at 70%, the rest of Shanxi on the policy table, sent as a link."""
    from analysis.scenario import state
    from analysis.scenario.params import make_scenario

    base, _ = upload_server
    page, seen = tab
    s = state.encode(make_scenario({"preset": "policy_table", "overrides": {"140100": 0.7}, "province_code": "140000"}))
    page.goto(f"{base}/scenario?s={s}", wait_until="domcontentloaded")
    settle(page)
    page.wait_for_timeout(500)
    page.screenshot(path=str(SHOTS / "scenario-taiyuan.png"), full_page=True)
    assert "本情景（政策表建议；太原市 70.0%）" in read(page)
    assert not problems(page) and not outside(seen["requests"])


def test_untrusted_text_stays_text(upload_server, tab):
    """A file name, a sheet name, cell values, a scenario name and link parameters carrying markdown and HTML:
    shown as written, no request leaves the machine, no script runs."""
    from tests.spreadsheets import xlsx

    base, _ = upload_server
    page, seen = tab
    # link parameters: a value of a known key, an unknown key, an unknown key inside a scenario link
    page.goto(f"{base}/?province={quote(HOSTILE[0])}&{quote(HOSTILE[2])}=1", wait_until="domcontentloaded")
    settle(page)
    assert HOSTILE[0] in read(page)  # named in the notice, as written
    assert not live_links(page)  # markdown's autolinks (http://…, www.…) are no links either
    page.goto(f"{base}/?measure={quote(HOSTILE[0])}&{quote(HOSTILE[0])}=1", wait_until="domcontentloaded")
    settle(page)
    assert HOSTILE[0] in read(page) and not live_links(page)
    page.goto(f"{base}/region?region={quote(HOSTILE[1])}", wait_until="domcontentloaded")
    settle(page)
    import base64
    import json

    tampered = base64.urlsafe_b64encode(json.dumps({"v": 1, HOSTILE[0]: 1}).encode()).decode().rstrip("=")
    page.goto(f"{base}/scenario?s={tampered}", wait_until="domcontentloaded")
    settle(page)
    assert "无法识别" in read(page)
    # a file and a sheet named with them, cells holding them
    rows = [["县区", "统计月份", "可售套数", "可售面积", "销售套数", "销售面积", "均价"]]
    rows += [[HOSTILE[0], "2017-06", 1, 100, 1, 10, 5000], [HOSTILE[2], "2017-06", 1, 100, 1, 10, 5000]]
    page.goto(f"{base}/upload", wait_until="domcontentloaded")
    settle(page)
    upload(page, f"{HOSTILE[2]}.xlsx", xlsx({"<img src=x onerror=alert(3)>": rows}), "处错误")
    body = read(page)
    assert HOSTILE[0] in body or "127.0.0.2" in body  # the unknown place is listed as written
    # a scenario saved under a hostile name: in the selectors, the comparison line and the charts
    page.goto(f"{base}/scenario", wait_until="domcontentloaded")
    settle(page)
    name = page.get_by_label("情景名称")
    name.fill(HOSTILE[0] + HOSTILE[2])
    act(page, lambda: name.press("Enter"))
    act(page, lambda: page.get_by_role("button", name="保存情景").click())
    compare = page.get_by_role("combobox", name="对比对象")
    act(page, lambda: (compare.click(), compare.press("ArrowDown"), page.get_by_role("option").nth(1).click()))
    assert HOSTILE[0] in read(page)
    assert not live_links(page), live_links(page)  # the summary, the cards and the captions name it as text
    page.wait_for_timeout(500)
    assert not [u for u in seen["requests"] if urlparse(u).hostname == "127.0.0.2" or u.startswith("javascript")]
    assert not seen["dialogs"], seen["dialogs"]
    assert page.locator('img[src="x"], img[src*="127.0.0.2"]').count() == 0
    assert page.locator('a[href^="javascript"]').count() == 0
    assert not problems(page)
    assert not outside(seen["requests"])


def entries(page) -> int:
    return page.evaluate("history.length")


def test_one_action_is_one_entry_in_the_history(upload_server, tab):
    """A fresh load, a drill into a city, a click on a county and a menu link each add one entry; Back walks
    the views back one by one, with no stray parameter (Streamlit pushes on every URL write)."""
    base, _ = upload_server
    page, seen = tab
    page.goto(f"{base}/", wait_until="domcontentloaded")
    settle(page)
    page.wait_for_timeout(400)
    start = entries(page)
    province = view(page)
    act(page, lambda: page.locator("path.choroplethlocation").nth(0).click(force=True))
    drilled = view(page)
    assert drilled["city"] and entries(page) == start + 1
    act(page, lambda: page.locator("path.choroplethlocation").nth(1).click(force=True))
    detail = view(page)
    assert detail["page"] == "region" and detail["region"][:4] == drilled["city"][:4], detail
    assert entries(page) == start + 2
    assert "city" not in parse_qs(urlparse(page.url).query)  # the detail page's own view, nothing stray
    act(page, page.go_back)
    assert view(page) == drilled and "region" not in parse_qs(urlparse(page.url).query)
    act(page, page.go_back)
    assert view(page) == province
    menu = page.locator('[data-testid="stSidebar"]').get_by_role("link", name="库存与去化")
    act(page, lambda: menu.click())
    assert view(page)["page"] == "inventory" and entries(page) == start + 1  # the forward entries replaced
    act(page, page.go_back)
    assert view(page) == province and not problems(page) and not outside(seen["requests"])


def test_links_and_rows_of_the_detail_page_open_their_region(upload_server, tab):
    """On 地区详情: ↑ 返回 太原市 opens 太原市, a row of its counties opens that county, Back goes back one step."""
    base, _ = upload_server
    page, seen = tab
    page.goto(f"{base}/region?region=140105", wait_until="domcontentloaded")
    settle(page)
    start = entries(page)
    act(page, lambda: page.get_by_role("button", name="返回 太原市").click())
    assert view(page)["region"] == "140100" and parse_qs(urlparse(page.url).query)["region"] == ["140100"]
    grid = page.locator('[class*="st-key-region_sub_"] [data-testid="stDataFrame"]')
    grid.scroll_into_view_if_needed()
    box = grid.bounding_box()
    act(page, lambda: page.mouse.click(box["x"] + 18, box["y"] + 35 + 17))  # the first row's marker
    county = view(page)["region"]
    assert county != "140100" and county[:4] == "1401" and entries(page) == start + 2
    assert parse_qs(urlparse(page.url).query)["region"] == [county]
    act(page, page.go_back)
    assert view(page)["region"] == "140100"
    act(page, page.go_back)
    assert view(page)["region"] == "140105" and not problems(page) and not outside(seen["requests"])


def test_a_province_clicked_on_the_national_page_opens_its_overview_and_back_returns(upload_server, tab):
    """全国 (the demo holds two provinces): a row of the ranking opens that province's 总览 in the same month, one
    entry in the history, so one Back returns to 全国."""
    base, _ = upload_server
    page, seen = tab
    page.goto(f"{base}/national?period=2016-06", wait_until="domcontentloaded")
    settle(page)
    assert view(page)["page"] == "national"
    start = entries(page)
    grid = page.locator('[data-testid="stDataFrame"]').first
    grid.scroll_into_view_if_needed()
    first = grid.locator('[role="gridcell"]').first.inner_text().strip()  # the first row's province
    box = grid.bounding_box()
    act(page, lambda: page.mouse.click(box["x"] + 18, box["y"] + 35 + 17))  # the first row's marker
    shown = view(page)
    assert shown["page"] == "overview" and shown["period"] == "2016-06", shown
    assert shown["province"] in ("山西省", "辽宁省") and (not first or shown["province"] in first), (shown, first)
    assert entries(page) == start + 1
    act(page, page.go_back)
    assert view(page)["page"] == "national" and not problems(page) and not outside(seen["requests"])


def test_a_link_the_account_may_not_use_opened_before_the_login_says_so_after_it(upload_server, browser):
    """Logged out, a 全国 link is opened; the 辽宁省 viewer logs in: 总览 of 辽宁省 in the link's month, with the
    notice that the account cannot use 全国 (the address was kept across the login)."""
    from tests.apptest import PASSWORD

    base, _ = upload_server
    context = new_context(browser, 1024, 1400)
    try:
        page = context.new_page()
        page.goto(f"{base}/national?period=2016-06", wait_until="domcontentloaded")
        page.get_by_label("用户名").fill(LIAONING_VIEWER)
        page.get_by_label("密码", exact=True).fill(PASSWORD)
        page.get_by_role("button", name="登录", exact=True).click()
        settle(page, timeout=180_000)
        shown = view(page)
        assert shown["page"] == "overview" and shown["province"] == "辽宁省" and shown["period"] == "2016-06", shown
        assert "您的账户不能使用「全国」页，已打开总览" in read(page)
        assert not problems(page)
    finally:
        context.close()


def test_unknown_addresses_open_the_overview_with_a_notice(upload_server, tab):
    base, _ = upload_server
    page, seen = tab
    page.goto(f"{base}/no-such-page?province=辽宁省", wait_until="domcontentloaded")
    settle(page)
    assert "页面地址「/no-such-page」不存在，已打开总览" in read(page)
    assert view(page)["page"] == "overview" and view(page)["province"] == "辽宁省"  # the link's choices kept
    for nested in ("region/xyz/abc", "总览/旧版"):  # nested addresses load too (ui/server.py), never a blank page
        page.goto(f"{base}/{nested}/?province=辽宁省", wait_until="domcontentloaded")
        settle(page)
        assert f"页面地址「/{nested}」不存在，已打开总览" in read(page)
        assert view(page)["page"] == "overview" and view(page)["province"] == "辽宁省"
    page.goto(f"{base}/overview", wait_until="domcontentloaded")  # the overview's own name: no notice
    settle(page)
    assert view(page)["page"] == "overview" and "已打开总览" not in read(page)  # no notice at all
    assert not problems(page) and not seen["failed"], seen["failed"]  # every font, script and map file arrived


@pytest.mark.skipif(not os.environ.get("SCREENSHOTS"), reason="make screenshots takes them (SCREENSHOTS=1)")
@pytest.mark.parametrize("path", PAGES)
def test_screenshots_of_every_page(upload_server, tab, path):
    """The README's pictures (``make screenshots``), from the real app at 1440 px."""
    base, _ = upload_server
    page, seen = tab
    page.goto(f"{base}/{'' if path == 'overview' else path}", wait_until="domcontentloaded")
    settle(page)
    page.wait_for_timeout(600)
    page.screenshot(path=str(SHOTS / f"{path}.png"), full_page=True)
    assert not problems(page) and not outside(seen["requests"])


def test_quick_keyboard_input_on_a_scenario_slider_is_never_lost(upload_server, tab):
    """Twenty arrow presses on 全省统一比例 from 60, as fast as the keyboard goes: the thumb, the summary, the cards
    and the link all end at 80% (a link's scenario is applied once, when it is opened; then the widgets rule)."""
    from urllib.parse import parse_qs, urlparse

    from analysis.scenario import state
    from analysis.scenario.params import make_scenario

    base, _ = upload_server
    page, seen = tab
    s = state.encode(make_scenario({"preset": "uniform", "share": 0.6, "province_code": "140000"}))
    page.goto(f"{base}/scenario?s={s}", wait_until="domcontentloaded")
    settle(page)
    thumb = page.locator('[data-testid="stSlider"]').filter(has_text="全省统一比例").locator("input[type=range]")
    assert thumb.input_value() == "60"
    thumb.focus()
    for _ in range(20):
        page.keyboard.press("ArrowRight")
    page.wait_for_timeout(1500)
    settle(page)
    page.wait_for_timeout(1000)
    settle(page)
    assert thumb.input_value() == "80"
    body = read(page)
    assert "全省统一比例 80.0%" in body, body[:2000]
    link = parse_qs(urlparse(page.url).query)["s"][0]
    assert state.decode(link).share == 0.8
    assert not problems(page)


def test_the_brief_and_the_notice_download_from_the_overview(upload_server, tab):
    """「生成简报」 → 简报 PDF and 通报 Word arrive as files, made by the server alone (no outside request)."""
    base, _ = upload_server
    page, seen = tab
    page.goto(f"{base}/overview?province={quote('山西省')}&period=2017-12", wait_until="domcontentloaded")
    settle(page)
    page.get_by_role("button", name="生成简报").click()
    got = {}
    for label in ("简报 PDF", "通报 Word"):
        button = page.get_by_role("button", name=label)
        button.wait_for(timeout=30_000)
        with page.expect_download(timeout=90_000) as download:
            button.click()
        got[download.value.suggested_filename] = Path(download.value.path()).read_bytes()
    assert got["山西省简报_2017-12.pdf"][:5] == b"%PDF-"
    assert got["山西省通报_2017-12.docx"][:2] == b"PK"
    page.screenshot(path=str(SHOTS / "overview-brief.png"))
    page.keyboard.press("Escape")  # the popover is a dialog of our own: close it before looking for others
    page.locator('[role="dialog"]').wait_for(state="detached", timeout=10_000)
    settle(page)
    assert not problems(page) and not outside(seen["requests"])


def test_the_scenario_map_drills_and_opens_a_county(upload_server, tab):
    """On 情景模拟 (辽宁省, another month): a city on the Δ map drills into it, a county opens its detail page
    in the same view, Back returns to the drilled scenario map: one history entry each."""
    base, _ = upload_server
    page, seen = tab
    page.goto(f"{base}/scenario?province={quote('辽宁省')}&period=2016-06", wait_until="domcontentloaded")
    settle(page)
    start = entries(page)
    shapes = page.locator('[class*="st-key-sc_map_"] path.choroplethlocation')
    shapes.first.scroll_into_view_if_needed()
    act(page, lambda: shapes.nth(2).click(force=True))
    drilled = view(page)
    assert drilled["page"] == "scenario" and drilled["city"][:2] == "21" and entries(page) == start + 1
    act(page, lambda: shapes.nth(1).click(force=True))
    county = view(page)
    assert county["page"] == "region" and county["region"][:4] == drilled["city"][:4], county
    assert county["province"] == "辽宁省" and county["period"] == "2016-06" and entries(page) == start + 2
    act(page, page.go_back)
    assert view(page) == drilled and not problems(page) and not outside(seen["requests"]) and not seen["failed"]


def test_a_county_submitter_commits_its_county_and_is_refused_on_another_countys_rows(upload_server, browser):
    """盂县's submitter: a menu without 账户管理, a picker offering 盂县 only; a file with a row of 太原 小店区 is
    refused naming that row, before any commit (nothing written); the same file without it commits, and the
    history names the submitter."""
    from analysis.store import Store
    from tests.spreadsheets import xlsx

    base, store_dir = upload_server
    context, page, seen = new_tab(browser, base, COUNTY_USER)
    try:
        sidebar = page.locator('[data-testid="stSidebar"]')
        assert "报送员 · 山西省 阳泉市 盂县" in sidebar.inner_text() and "账户管理" not in sidebar.inner_text()
        page.goto(f"{base}/accounts", wait_until="domcontentloaded")  # typed by hand: 总览 with a notice
        settle(page)
        assert "您的账户不能使用「账户管理」页，已打开总览" in read(page)
        page.goto(f"{base}/upload", wait_until="domcontentloaded")
        settle(page)
        picker = page.get_by_role("combobox", name="所属地区（可选）")
        picker.click()  # opens the list (no rerun)
        page.get_by_role("option").first.wait_for(timeout=10_000)
        offered = page.get_by_role("option").all_inner_texts()
        assert [o.strip() for o in offered] == ["不指定（按文件内容判断）", "阳泉市 盂县（140322）"], offered
        page.keyboard.press("Escape")
        before = Store(store_dir).current_version()
        head = ["县区", "统计月份", "可售套数", "可售面积（万平方米）", "销售套数", "销售面积（万平方米）", "均价"]
        rows = [head, ["盂县", "2017-06", 900, 9.5, 40, 0.4, 4200], ["小店区", "2017-06", 800, 8.1, 30, 0.3, 8800]]
        upload(page, "盂县与小店区.xlsx", xlsx({"6月": rows}), "不在您的报送范围")
        body = read(page)
        assert "小店区（140105）不在您的报送范围（山西省 阳泉市 盂县）内" in body
        assert "发现 1 处错误" in body  # the 小店区 row, named by its sheet and row
        assert page.get_by_role("button", name="确认提交").is_disabled()
        assert Store(store_dir).current_version() == before
        upload(page, "盂县.xlsx", xlsx({"6月": rows[:2]}), "逐行检查通过")
        act(page, lambda: page.get_by_role("button", name="确认提交").click())
        page.wait_for_function("document.body.innerText.includes('已提交为版本')", timeout=60_000)
        last = Store(store_dir).history()[-1]
        assert (last.version, last.actor, last.via, last.regions) == (before + 1, COUNTY_USER, "app", ["140322"])
        assert not problems(page) and not outside(seen["requests"])
    finally:
        context.close()
