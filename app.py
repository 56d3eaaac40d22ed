"""Entry point: page config and navigation with Chinese titles; each page draws the shared sidebar."""

from __future__ import annotations

import streamlit as st

from ui import nav

st.set_page_config(page_title="棚改货币化安置与去库存", page_icon="static/favicon.png", layout="wide")

pages = {
    section: [
        st.Page(script, title=title, icon=icon, url_path=url_path, default=(script == "pages/overview.py"))
        for script, title, icon, url_path in items
    ]
    for section, items in nav.PAGES.items()
}
st.navigation(pages, position="hidden").run()
