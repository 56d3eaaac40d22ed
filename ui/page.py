"""What every page does first: the shared sidebar, the title and the synthetic-data banner.

Pages call :func:`setup` themselves (rather than relying on app.py) so that a page opened directly by
its URL, or run under AppTest, still has its sidebar and state.
"""

from __future__ import annotations

import streamlit as st

from ui import auth, errors, sidebar, state, widgets


def _leave_v1_mode() -> None:
    """Run through app.py even when the very first request after a start is a page's own URL.

    Streamlit treats an app with a ``pages/`` folder as a v1 multipage app until some run calls
    ``st.navigation``; until then ``/inventory`` runs ``pages/inventory.py`` alone, without app.py's
    navigation and page config. Flip the flag and rerun so the entry point takes over.
    """
    try:
        from streamlit.runtime.pages_manager import PagesManager
    except ImportError:  # a future Streamlit without it
        return
    if PagesManager.uses_pages_directory:
        PagesManager.uses_pages_directory = False
        st.rerun()


# Streamlit's file picker speaks English ("Upload", "200MB per file • CSV") and has no parameter to change
# that (streamlit/streamlit#13500): hide its own words and put Chinese ones in; each label says the limits.
CHINESE_UPLOADER = """<style>
[data-testid="stFileUploaderDropzoneInstructions"] { display: none; }
[data-testid="stFileUploaderDropzone"] button[data-testid="stBaseButton-secondary"] [data-testid="stMarkdownContainer"] {
  display: none;
}
[data-testid="stFileUploaderDropzone"] button[data-testid="stBaseButton-secondary"]::after {
  content: "选择文件"; font-size: 0.875rem;
}
[data-testid="stFileUploaderDropzone"]:not(:has([data-testid="stFileChips"]))::after {
  content: "或把文件拖到这里"; font-size: 0.8rem; color: #777; margin-left: 0.75rem; align-self: center;
}
</style>"""


def setup(title: str, caption: str | None = None) -> sidebar.Selection:
    """The sidebar, the title, notices about the link, a failed action, the synthetic-data banner."""
    _leave_v1_mode()
    if auth.account() is None:  # a page script run without app.py's login gate shows nothing
        st.stop()
    st.html(CHINESE_UPLOADER + widgets.CSS)
    sel = sidebar.render()
    with st.sidebar:  # Streamlit's English names for screen readers, in Chinese (an invisible element)
        st.html(widgets.chinese_names_script(), unsafe_allow_javascript=True)
    st.session_state["selection"] = sel
    st.title(title)
    if caption:
        st.caption(caption)
    state.notice_box(st.container())
    errors.show_pending()
    widgets.demo_banner(sel.state)
    return sel


def stop() -> None:
    """End the page here: the URL and the run's mark are written first (``st.stop`` ends the run at once)."""
    state.stopped()
    state.publish()
    st.stop()
