"""No English error ever reaches a person: a Chinese message with a reference code, the traceback in the log.

- :func:`shown` turns an unexpected exception on a page into a Chinese message with a short reference
  code and a way back to 总览; the traceback goes to the server log under the same code.
- :func:`guard` wraps a widget callback the same way (Streamlit would draw its own error box).
- :func:`install` replaces Streamlit's English "Page not found" dialog: an unknown address opens 总览
  with a Chinese notice (``/overview``, the overview's own name, opens it silently).
"""

from __future__ import annotations

import functools
import logging
import secrets
import traceback
from collections.abc import Callable
from typing import Any

import streamlit as st

from ui import state, text

log = logging.getLogger("housing.app")
PENDING = "_error_pending"  # a callback's failure, shown on the next run
NOT_FOUND = "_page_not_found"
ALIASES = {"overview", "index", "home", "总览"}


def reference() -> str:
    """A short code a person can read out on the phone: ``E-7F3A2C``."""
    return "E-" + secrets.token_hex(3).upper()


def record(exc: BaseException) -> str:
    code = reference()
    log.error("unexpected error %s\n%s", code, "".join(traceback.format_exception(exc)))
    return code


def message(code: str) -> str:
    return f"页面出现意外错误，本次操作未完成，数据未改变。参考编号 {code}（已记录在服务器日志中，可告知系统管理员）。"


def shown(exc: BaseException) -> None:
    """Show the Chinese message for ``exc`` and a way back (the page's remaining content is not drawn)."""
    code = record(exc)
    st.error(message(code), icon=":material/error:")
    try:
        from ui import nav

        st.page_link(
            nav.OVERVIEW, label="返回总览", icon=":material/home:", query_params=state.values(shared_only=True)
        )
    except Exception:  # the way back must not fail in its turn
        pass


def guard(callback: Callable[..., Any]) -> Callable[..., Any]:
    """A widget callback that never shows Streamlit's error box: a failure is recorded and shown next run."""

    @functools.wraps(callback)
    def wrapper(*args: Any, **kwargs: Any) -> Any:
        try:
            return callback(*args, **kwargs)
        except Exception as exc:
            st.session_state[PENDING] = record(exc)
            return None

    return wrapper


def show_pending() -> None:
    code = st.session_state.pop(PENDING, None)
    if code:
        st.error(message(code), icon=":material/error:")


def _page_not_found(ctx) -> None:
    """Replaces ``streamlit.commands.navigation.send_page_not_found``: remember, do not send the English dialog."""
    try:
        name = ctx.pages_manager.intended_page_name or ""
    except Exception:
        name = ""
    ctx.session_state[NOT_FOUND] = name


ASKED = "_page_asked"  # the page an address asked for before the login (kept for after it)


def remember_for_login(url_path: str) -> None:
    """Before the login: the page the address asked for (or the unknown name it gave), for after the login."""
    name = st.session_state.pop(NOT_FOUND, None)
    if name is not None:  # the address named no page at all
        st.session_state[ASKED] = name
    else:  # the first run of the form has the address's page (later runs of the form would have the default)
        st.session_state.setdefault(ASKED, url_path)


def after_login(url_paths: set[str]) -> None:
    """After the login: a page asked for that this account has not (or an unknown one) is reported as
    Streamlit would report an unknown address, so :func:`not_found_notice` names it."""
    asked = st.session_state.pop(ASKED, None)
    if asked is not None and asked.strip("/") not in url_paths and NOT_FOUND not in st.session_state:
        st.session_state[NOT_FOUND] = asked


def install() -> None:
    """Route Streamlit's page-not-found through :func:`_page_not_found` (idempotent)."""
    try:
        from streamlit.commands import navigation
    except ImportError:  # a Streamlit without it: its own dialog stays
        return
    navigation.send_page_not_found = _page_not_found


def not_found_notice() -> bool:
    """After ``st.navigation``: an unknown address is named in a notice; True when the URL must be corrected."""
    name = st.session_state.pop(NOT_FOUND, None)
    if name is None:
        return False
    from ui import nav

    if name.strip("/") in ALIASES:  # /overview, the overview's own name: it opens silently
        pass
    elif name.strip("/") in nav.TITLES:  # a page this account may not use
        state.notice(f"您的账户不能使用「{nav.TITLES[name.strip('/')]}」页，已打开总览")
    else:
        state.notice(f"页面地址「/{name}」不存在，已打开总览")
    return True


def plain_message(exc: BaseException) -> str:
    """A Chinese line for an exception whose message is meant for people (our own refusals)."""
    return text.plain(str(exc))
