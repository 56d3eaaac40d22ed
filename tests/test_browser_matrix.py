"""The paths users take, in a real browser: every page × {default view, another province, another month,
the 6-month window, a shared link} × {change each sidebar control and back, click a map region, click a table
row, Back}, at 1440 and 1024 px. Each step asserts: no exception, no English, the state shown equals the
state chosen (widgets and URL), no headline text clipped, no table scrolling inside, no control's label
wrapping, no request leaving the machine.

A page is walked as a leader would: opened by its address (the default view), then moved to another
province, another month and the other window with the sidebar and back, each view tried with every click
and Back; then opened anew from a shared link that sets everything, where each control is changed and
changed back. The views alternate between 1440 and 1024 px; both widths are checked at the end.

Two classes, so that ``make test`` walks them on both cores (``--dist loadscope``); each worker has one
server, one browser and one tab.
"""

from __future__ import annotations

from urllib.parse import parse_qs, urlencode, urlparse

import pytest

from analysis.scenario import state as scenario_state
from analysis.scenario.params import make_scenario
from tests.browser import (
    act,
    clipped,
    hidden_table_parts,
    login,
    needs_chromium,
    new_context,
    outside,
    problems,
    settle,
    start_server,
    stop_server,
    view,
    wrapped_labels,
)

pytestmark = needs_chromium

SHANXI = {"province": "山西省", "period": "2017-12", "window": "近12个月"}
LINK = {"province": "辽宁省", "period": "2016-06", "window": "近6个月"}
LINK_EXTRA = {
    "overview": {"city": "210200"},
    "inventory": {"city": "210200", "measure": "saleable_area_m2"},
    "region": {"region": "210202"},
    "resettlement": {"year": "2016"},
    "scenario": {"s": scenario_state.encode(make_scenario({"overrides": {"210200": 0.8}, "province_code": "210000"}))},
}
FAILED: list[str] = []  # static files that did not arrive
MAPS = {"overview", "inventory"}  # pages with the drill-down map
CLICK_TABLES = {"overview"}  # pages whose table rows open the detail page


@pytest.fixture(scope="module")
def server(demo_dir):
    base, proc, log = start_server(demo_dir, "streamlit-matrix-server.log")
    yield base
    stop_server(proc, log)


@pytest.fixture(scope="class")
def tab(browser, server):
    """One tab per worker, logged in once; every page is opened in it by its address (a new session, as a link
    opened anew, which the session cookie keeps logged in)."""
    context = new_context(browser, 1440, 1000)
    page = context.new_page()
    requests: list[str] = []
    page.on("request", lambda r: requests.append(r.url))
    # a static file that did not arrive (a font, a script, the map's topology): never expected
    page.on("response", lambda r: r.status >= 400 and "/static/" in r.url and FAILED.append(r.url))
    login(page, server)
    yield page, requests
    context.close()


def url_params(page) -> dict[str, str]:
    return {k: v[0] for k, v in parse_qs(urlparse(page.url).query).items()}


def assert_view(page, want: dict[str, str], page_name: str) -> None:
    """No error on screen; the view the app published, the URL and the sidebar's widgets all say ``want``."""
    found = problems(page)
    assert not found, found
    assert "不适用于本页" not in page.inner_text("body")  # no parameter of ours named as another page's
    shown = view(page)
    assert shown["page"] == page_name, shown
    for key, value in want.items():
        if key == "s":
            continue  # the scenario text is re-encoded by the page; its effect is checked on screen
        assert shown.get(key) == value, (key, shown)
        # an address that leaves a sidebar parameter out stands for its default (it is not rewritten only to add
        # it: every rewrite is an entry in the browser's history)
        assert url_params(page).get(key, SHANXI.get(key)) == value, (key, page.url)
    sidebar = page.locator('[data-testid="stSidebar"]')
    assert sidebar.get_by_role("combobox", name="省份").input_value() == want["province"]
    assert sidebar.get_by_role("combobox", name="统计月份").input_value() == want["period"]
    checked = sidebar.locator('[data-testid="stRadio"] label:has(input:checked)').inner_text()
    assert want["window"] in checked, checked


def choose(page, label: str, option: str) -> None:
    """Pick ``option`` in the sidebar selectbox labelled ``label``."""
    box = page.locator('[data-testid="stSidebar"]').get_by_role("combobox", name=label)

    def pick() -> None:
        box.click()
        box.fill(option)  # a long list is virtual: type to bring the option into it (this opens the list too)
        page.get_by_role("option", name=option, exact=True).first.click()

    act(page, pick)


def pick_window(page, label: str) -> None:
    radio = page.locator('[data-testid="stSidebar"] [data-testid="stRadio"] label').filter(has_text=label)
    act(page, lambda: radio.click())


def set_control(page, key: str, value: str) -> None:
    if key == "province":
        choose(page, "省份", value)
    elif key == "period":
        choose(page, "统计月份", value)
    else:
        pick_window(page, value)


def other(key: str, value: str) -> str:
    return {"province": ("山西省", "辽宁省"), "period": ("2017-12", "2016-06"), "window": ("近12个月", "近6个月")}[key][
        value in ("山西省", "2017-12", "近12个月")
    ]


def width(page, pixels: int) -> None:
    if page.viewport_size["width"] != pixels:
        page.set_viewport_size({"width": pixels, "height": 1000})
        page.wait_for_timeout(250)


def layout_ok(page) -> None:
    assert not clipped(page), clipped(page)
    assert not hidden_table_parts(page), hidden_table_parts(page)
    assert not wrapped_labels(page), wrapped_labels(page)


def clicks(page, path: str) -> None:
    """Every click of the page, and Back after each click-through: the view comes back exactly."""
    here = view(page)
    if path in MAPS:
        if not here.get("city"):  # the province map: a click on a city drills into it
            act(page, lambda: page.locator("path.choroplethlocation").nth(2).click(force=True))
            assert view(page)["city"], view(page)
        drilled = view(page)
        # the city's map: a click on a county opens its detail page, in the same province, month and window
        act(page, lambda: page.locator("path.choroplethlocation").nth(1).click(force=True))
        detail = view(page)
        assert detail["page"] == "region" and detail["region"][:4] == drilled["city"][:4], detail
        assert all(detail[k] == drilled[k] for k in ("province", "period", "window")), (detail, drilled)
        assert not problems(page)
        act(page, page.go_back)  # Back: the drilled city again
        again = view(page)
        assert again["page"] == path and again["city"] == drilled["city"], again
        assert not problems(page)
    if path in CLICK_TABLES:
        before = view(page)
        grid = page.locator('[data-testid="stDataFrame"]').first
        grid.scroll_into_view_if_needed()
        box = grid.bounding_box()
        # the second row's name, where a user clicks (test_browser clicks a row's marker)
        act(page, lambda: page.mouse.click(box["x"] + 60, box["y"] + 35 + 35 + 17))
        detail = view(page)
        assert detail["page"] == "region" and detail["region"], detail
        assert not problems(page)
        act(page, page.go_back)
        assert view(page) == before and not problems(page)


def walk(tab, server, path: str) -> None:
    page, requests = tab
    requests.clear()
    width(page, 1440)
    address = f"{server}/{'' if path == 'overview' else path}"

    # 1. the default view, opened by its address, then another province, month and window and back
    page.goto(address, wait_until="domcontentloaded")
    settle(page)
    page.wait_for_timeout(400)  # the charts finish drawing before anything is clicked
    assert_view(page, SHANXI, path)
    layout_ok(page)
    clicks(page, path)
    for n, key in enumerate(("province", "period", "window")):
        width(page, 1024 if n % 2 == 0 else 1440)
        set_control(page, key, other(key, SHANXI[key]))
        assert_view(page, {**SHANXI, key: other(key, SHANXI[key])}, path)
        layout_ok(page)
        clicks(page, path)
        set_control(page, key, SHANXI[key])
        assert_view(page, SHANXI, path)

    # 2. a shared link that sets everything (and the page's own choices), each control changed and back
    want = {**LINK, **LINK_EXTRA.get(path, {})}
    width(page, 1440)
    page.goto(f"{address}?{urlencode(want)}", wait_until="domcontentloaded")
    settle(page)
    page.wait_for_timeout(400)
    assert_view(page, want, path)
    if path == "scenario":
        assert "大连市 80.0%" in page.inner_text("body").replace("\u2060", "")  # the link's setting reached the widgets
    layout_ok(page)
    clicks(page, path)
    for key in ("province", "period", "window"):
        set_control(page, key, other(key, LINK[key]))
        assert view(page)[key] == other(key, LINK[key]) and not problems(page)
        set_control(page, key, LINK[key])
    assert_view(page, LINK, path)
    width(page, 1024)
    layout_ok(page)
    if path == "scenario":  # the policy table's six inputs, opened (no rerun): three to a row, labels whole
        page.get_by_text("政策表与补偿款").click()
        page.wait_for_timeout(300)
        assert not wrapped_labels(page), wrapped_labels(page)
    assert not outside(requests), outside(requests)
    assert not FAILED, FAILED


class TestMapsAndData:
    @pytest.mark.parametrize("path", ["overview", "data", "upload"])
    def test_walk(self, server, tab, path):
        walk(tab, server, path)


class TestDetailAndPlanning:
    @pytest.mark.parametrize("path", ["inventory", "region", "resettlement", "scenario"])
    def test_walk(self, server, tab, path):
        walk(tab, server, path)
