"""The pages, the navigation menu and the links between pages, which carry the sidebar's state along."""

from __future__ import annotations

import streamlit as st

from ui import state

try:  # st.stop() raises it; app.py lets it through after writing the URL
    from streamlit.runtime.scriptrunner_utils.exceptions import StopException as STOP
except ImportError:  # pragma: no cover - a Streamlit that moved it

    class STOP(BaseException):  # type: ignore[no-redef]
        pass


OVERVIEW = "pages/overview.py"
NATIONAL = "pages/national.py"  # in the menu only when the store holds more than one province
REGION_PAGE = "pages/region.py"
UPLOAD_PAGE = "pages/upload.py"
ACCOUNTS_PAGE = "pages/accounts.py"

# section → (script, title, icon, url path); app.py builds the navigation from this list
PAGES: dict[str, list[tuple[str, str, str, str]]] = {
    "领导驾驶舱": [
        (NATIONAL, "全国", ":material/public:", "national"),
        (OVERVIEW, "总览", ":material/dashboard:", "overview"),
        ("pages/inventory.py", "库存与去化", ":material/apartment:", "inventory"),
        ("pages/resettlement.py", "货币化安置", ":material/home_work:", "resettlement"),
        (REGION_PAGE, "地区详情", ":material/travel_explore:", "region"),
    ],
    "规划分析": [
        ("pages/scenario.py", "情景模拟", ":material/tune:", "scenario"),
    ],
    "数据管理": [
        (UPLOAD_PAGE, "数据上传", ":material/upload_file:", "upload"),
        ("pages/data.py", "数据", ":material/database:", "data"),
        (ACCOUNTS_PAGE, "账户管理", ":material/manage_accounts:", "accounts"),
    ],
}
PATHS = {script: path for items in PAGES.values() for script, _, _, path in items}
TITLES = {path: title for items in PAGES.values() for _, title, _, path in items}


def allowed(script: str, who) -> bool:
    """Whether ``who`` (an account, or None before login) may open the page: uploads need a submitter or
    an admin, 账户管理 an admin; every account reads the others."""
    if who is None:
        return False
    if script == UPLOAD_PAGE:
        return who.can_upload
    if script == ACCOUNTS_PAGE:
        return who.is_admin
    if script == NATIONAL:
        return who.scope == "national"  # every province side by side: a national account's view
    return True


def pages_for(who) -> dict[str, list[tuple[str, str, str, str]]]:
    """The menu of ``who``: the pages it may use, by section (before login: every page, none of them run,
    so that the address a person opened is still there once logged in)."""
    if who is None:
        return PAGES
    out = {section: [p for p in items if allowed(p[0], who)] for section, items in PAGES.items()}
    return {section: items for section, items in out.items() if items}


def menu(container, national: bool = False) -> None:
    """The navigation menu of this account; every link carries the current province, month and window. 全国
    is listed only when ``national`` (the store holds more than one province the account may read)."""
    from ui import auth

    params = state.values(shared_only=True)
    with container:
        for section, pages in pages_for(auth.account()).items():
            st.caption(section)
            for script, title, icon, _ in pages:
                if script != NATIONAL or national:
                    st.page_link(script, label=title, icon=icon, query_params=params)


GOTO = "_goto_region"  # set by a click (a callback cannot switch pages); acted on by the next page run
# clicks the page link drawn under it (once): the browser opens the detail page as if a person had clicked it
FOLLOW = """<script>(sel => { let n = 0; const go = () => {
  const a = document.querySelector(sel + ' a[data-testid="stPageLink-NavLink"]');
  if (a) { if (!a.dataset.followed) { a.dataset.followed = '1'; a.click(); } } else if (n++ < 250) setTimeout(go, 20);
}; go(); })(%s)</script>"""


def request_region(code: str) -> None:
    """From a callback: open ``code``'s detail page on the next run."""
    st.session_state[GOTO] = code


def follow_request() -> None:
    """If a click asked for a region, open it (called early in every page with click-through; on the detail
    page itself, before its 地区 selector is drawn)."""
    code = st.session_state.pop(GOTO, None)
    if not code:
        return
    if state.page() == PATHS[REGION_PAGE]:
        state.set_value("region", code)
    else:
        go_to_region(code)


def go_to_region(code: str) -> None:
    """The detail page of ``code``, in the same province, month and window: one entry in the browser's history
    (see :func:`go_to`). On the detail page itself the run starts again with the new region chosen."""
    if state.page() == PATHS[REGION_PAGE]:
        st.session_state[GOTO] = code
        st.rerun()
    go_to(REGION_PAGE, {**state.values(shared_only=True), "region": code}, "打开地区详情…")


def go_to(script: str, query_params: dict[str, str], label: str) -> None:
    """Open ``script`` with ``query_params`` as one entry in the browser's history.

    ``st.switch_page`` would write the parameters on the page it leaves (one history entry) and then open the
    new page (another), so Back would have to be pressed twice. A page link is one entry: this run draws one
    (a person can click it too) and a small script of ours clicks it.
    """
    import json

    n = st.session_state["_goto_n"] = st.session_state.get("_goto_n", 0) + 1
    box = st.container(key=f"goto_{n}")
    box.page_link(script, label=label, icon=":material/travel_explore:", query_params=query_params)
    box.html(FOLLOW % json.dumps(f".st-key-goto_{n}"), unsafe_allow_javascript=True)
    state.leave()


def share_link(container) -> None:
    """The full link of this view (page, sidebar and page choices), to copy and send."""
    from urllib.parse import urlsplit

    try:
        url = urlsplit(st.context.url or "")
    except Exception:  # not served (AppTest)
        return
    if not url.netloc:
        return
    page = state.page()
    path = "/" if page in ("", "overview") else f"/{page}"
    base = "/" + (st.get_option("server.baseUrlPath") or "").strip("/") if st.get_option("server.baseUrlPath") else ""
    link = f"{url.scheme}://{url.netloc}{base}{state.link(path, state.values())}"
    with container.expander("分享本页", icon=":material/link:"):
        st.code(link, language=None, wrap_lines=True)
        st.caption("复制这个链接发给同事，对方打开后看到的省份、月份、窗口、页面和所选地区与您相同。")
