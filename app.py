"""Entry point: page config and navigation with Chinese titles; each page draws the shared sidebar."""

from __future__ import annotations

import streamlit as st

st.set_page_config(page_title="棚改货币化安置与去库存", page_icon="static/favicon.png", layout="wide")

PAGES = {
    "领导驾驶舱": [
        st.Page("pages/overview.py", title="总览", icon=":material/dashboard:", url_path="overview", default=True),
        st.Page("pages/inventory.py", title="库存与去化", icon=":material/apartment:", url_path="inventory"),
        st.Page("pages/resettlement.py", title="货币化安置", icon=":material/home_work:", url_path="resettlement"),
        st.Page("pages/region.py", title="地区详情", icon=":material/travel_explore:", url_path="region"),
    ],
    "数据管理": [
        st.Page("pages/data_status.py", title="数据", icon=":material/database:", url_path="data"),
    ],
}

st.navigation(PAGES).run()
