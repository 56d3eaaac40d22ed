"""Links between pages that carry the shared sidebar state (province, month, window) along."""

from __future__ import annotations

import streamlit as st

SHARED = ("province", "period", "window")
REGION_PAGE = "pages/region.py"

# section → (script, title, icon, url path); app.py builds the navigation from this list
PAGES: dict[str, list[tuple[str, str, str, str]]] = {
    "领导驾驶舱": [
        ("pages/overview.py", "总览", ":material/dashboard:", "overview"),
        ("pages/inventory.py", "库存与去化", ":material/apartment:", "inventory"),
        ("pages/resettlement.py", "货币化安置", ":material/home_work:", "resettlement"),
        ("pages/region.py", "地区详情", ":material/travel_explore:", "region"),
    ],
    "规划分析": [
        ("pages/scenario.py", "情景模拟", ":material/tune:", "scenario"),
    ],
    "数据管理": [
        ("pages/upload.py", "数据上传", ":material/upload_file:", "upload"),
        ("pages/data.py", "数据", ":material/database:", "data"),
    ],
}


def menu(container, params: dict[str, str]) -> None:
    """The navigation menu; every link carries the current province, month and window."""
    with container:
        for section, pages in PAGES.items():
            st.caption(section)
            for script, title, icon, _ in pages:
                st.page_link(script, label=title, icon=icon, query_params=params)


def shared_params(**extra: str) -> dict[str, str]:
    params = {k: v for k, v in st.query_params.to_dict().items() if k in SHARED}
    params.update({k: v for k, v in extra.items() if v})
    return params


def go_to_region(code: str) -> None:
    st.switch_page(REGION_PAGE, query_params=shared_params(region=code))


def region_link(code: str, label: str) -> None:
    st.page_link(REGION_PAGE, label=label, icon=":material/arrow_upward:", query_params=shared_params(region=code))


def share_link(params: dict[str, str]) -> None:
    """The full link of this view (page, province, month, window and page-specific choices)."""
    from urllib.parse import urlencode, urlsplit

    try:
        url = urlsplit(st.context.url or "")
    except Exception:  # not served (AppTest)
        return
    extra = {k: v for k, v in st.query_params.to_dict().items() if k not in SHARED}
    link = f"{url.scheme}://{url.netloc}{url.path}?{urlencode({**params, **extra})}" if url.netloc else ""
    if link:
        with st.sidebar.expander("分享本页", icon=":material/link:"):
            st.code(link, language=None, wrap_lines=True)
            st.caption("复制这个链接发给同事，对方打开后看到的省份、月份、窗口和页面与您相同。")
