"""Entry point: page config, the login gate, navigation with Chinese titles, and the frame of every run.

Each run: the session is checked (ui/auth); without an account only the login form is drawn, and the
address and its parameters are kept for after the login. Then the view's state begins (ui/state: does
the URL or the widgets win), the page draws itself (its own sidebar and content), then the URL is written
once. The menu holds only the pages the account may use (ui/nav). An unexpected exception becomes a
Chinese message with a reference code (ui/errors); an unknown address opens 总览 with a notice.
"""

from __future__ import annotations

import streamlit as st

from ui import auth, errors, nav, state

st.set_page_config(page_title="棚改货币化安置与去库存", page_icon="static/favicon.png", layout="wide")
errors.install()

account = auth.gate()
pages = {
    section: [
        st.Page(script, title=title, icon=icon, url_path=url_path, default=(script == nav.OVERVIEW))
        for script, title, icon, url_path in items
    ]
    for section, items in nav.pages_for(account).items()
}
page = st.navigation(pages, position="hidden")
if account is None:  # nothing but the form: no data, no menu, the address kept for after the login
    errors.remember_for_login(page.url_path or "")
    auth.login_form()
    st.stop()
# an address kept across the login that this account may not use is named in a notice
errors.after_login({"", *(url_path for items in nav.pages_for(account).values() for *_, url_path in items)})
state.begin(page.url_path or "overview")
if errors.not_found_notice():  # /overview or a mistyped address: to 总览, keeping the link's parameters
    state.reopen()
    st.switch_page(nav.OVERVIEW, query_params=state.url_params())

try:
    page.run()
except nav.STOP:  # page.stop(): the page has written its URL and stopped
    raise
except Exception as exc:  # every other failure: a Chinese message, the traceback in the log
    errors.shown(exc)
    state.stopped()  # the keys the page did not reach are not named as foreign
    state.publish()
else:
    state.publish()
