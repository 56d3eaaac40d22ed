"""Entry point: page config and navigation with Chinese titles; each page draws the shared sidebar."""

from __future__ import annotations

import streamlit as st

st.set_page_config(page_title="棚改货币化安置与去库存", page_icon="🏘️", layout="wide")

PAGES = {
    "领导驾驶舱": [
        st.Page("pages/overview.py", title="总览", icon="📊", url_path="overview", default=True),
    ],
}

st.navigation(PAGES).run()
