"""What every page does first: the shared sidebar, the title and the synthetic-data banner.

Pages call :func:`setup` themselves (rather than relying on app.py) so that a page opened directly by
its URL, or run under AppTest, still has its sidebar and state.
"""

from __future__ import annotations

import streamlit as st

from ui import sidebar, widgets


def setup(title: str, caption: str | None = None) -> sidebar.Selection:
    sel = sidebar.render()
    st.session_state["selection"] = sel
    st.title(title)
    if caption:
        st.caption(caption)
    widgets.demo_banner(sel.state)
    return sel
