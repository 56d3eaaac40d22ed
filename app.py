"""Entry point: page config, navigation with Chinese titles and the shared sidebar; nothing else."""

from __future__ import annotations

import streamlit as st

from ui import sidebar

st.set_page_config(page_title="棚改货币化安置与去库存", page_icon="🏘️", layout="wide")

PAGES = {
    "领导驾驶舱": [
        st.Page("pages/overview.py", title="总览", icon="📊", url_path="overview", default=True),
    ],
}

page = st.navigation(PAGES)
st.session_state["selection"] = sidebar.render()
page.run()
