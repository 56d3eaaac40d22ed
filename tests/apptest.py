"""Helpers for AppTest: open the app as a link would, read the headline cards, fail on any error shown."""

from __future__ import annotations

import html
import os
import re
from pathlib import Path

import streamlit as st
from streamlit.testing.v1 import AppTest

from ui.text import readable

APP = str(Path(__file__).resolve().parents[1] / "app.py")
CARD = re.compile(
    r'<div class="kpi"[^>]*><div class="kpi-label">(.*?)</div><div class="kpi-value">(.*?)</div>'
    r'(?:<div class="kpi-change[^"]*">(.*?)</div>)?(?:<div class="kpi-note">(.*?)</div>)?</div>'
)


_LAST_STORE: list[str | None] = [None]

# the accounts the tests log in with: real accounts in the test's own data dir, logged in through the
# function the login form calls (AccountBook.login), never a way around the password
ADMIN = "测试管理员"
PASSWORD = "测试口令-correct-horse-2016"
_TOKENS: dict[tuple[str, str], str] = {}


def ensure_account(data_dir: str | Path, name: str = ADMIN, role: str = "admin", scope: str = "national",
                   password: str = PASSWORD) -> None:  # fmt: skip
    """The account ``name`` in ``data_dir``'s accounts database (created if missing)."""
    import sqlite3

    from analysis.accounts import AccountBook, AccountError, parse_scope
    from analysis.regions import load_registry

    book = AccountBook(data_dir)
    if book.get(name) is None:
        try:
            book.add(name, role, parse_scope(scope, load_registry()), password, by="tests")
        except (AccountError, sqlite3.IntegrityError):  # another test process made it a moment ago
            pass


def login(at: AppTest, name: str = ADMIN, password: str = PASSWORD, **account) -> AppTest:
    """``at`` logged in as ``name`` (an admin of 全国 unless ``account`` says otherwise), in the data dir the
    app serves: the session token the login form would have put in the session."""
    from analysis.accounts import AccountBook
    from analysis.db import default_data_dir
    from ui import auth

    data_dir = str(default_data_dir())
    ensure_account(data_dir, name, password=password, **account)
    book = AccountBook(data_dir)
    token = _TOKENS.get((data_dir, name))
    if token is None or book.session(token).account is None:
        token = book.login(name, password, "AppTest")[1]
        _TOKENS[(data_dir, name)] = token
    at.session_state[auth.TOKEN] = token
    return at


_COMPONENTS: list = []


def new_app(script: str = APP) -> AppTest:
    """``AppTest.from_file`` sharing one registry of custom components per process, as the real server does
    (each AppTest would scan every installed package's metadata for components again: half a second a test)."""
    at = AppTest.from_file(script, default_timeout=60)
    if not _COMPONENTS:
        from streamlit.components.v2.component_manager import BidiComponentManager

        manager = BidiComponentManager()
        manager.discover_and_register_components(start_file_watching=False)
        _COMPONENTS.append(manager)
    at._bidi_component_manager = _COMPONENTS[0]
    return at


def fresh_caches() -> None:
    """Streamlit's caches are emptied whenever the tests move to another store (within one store they are
    keyed by its data version, so they cannot go stale: keeping them saves recomputing the demo's metrics)."""
    store = os.environ.get("HOUSING_DATA_DIR")
    if store != _LAST_STORE[0]:
        st.cache_data.clear()
        st.cache_resource.clear()
        _LAST_STORE[0] = store


def run_app(page: str | None = None, *, user: str = ADMIN, **params) -> AppTest:
    """The app opened at ``params`` (a shared link) by ``user``, logged in, then ``page`` (as the menu would
    open it)."""
    fresh_caches()
    at = login(new_app(), user)
    link = {k: str(v) for k, v in params.items()}
    at.query_params.update(link)
    at.run()
    if page:  # the link opens that page: its own address and parameters (AppTest starts at the default page)
        at.query_params.clear()
        at.query_params.update(link)
        at.switch_page(page).run()
    return at


def cards(at: AppTest) -> dict[str, str]:
    """Headline cards: label → value (as shown)."""
    return {label: value for label, value, _, _ in card_rows(at)}


def card_rows(at: AppTest) -> list[tuple[str, str, str, str]]:
    out = []
    for h in at.get("html"):
        for m in CARD.finditer(h.value):
            # a value is its number and its unit in two spans: read as shown, without the tags
            out.append(tuple(html.unescape(re.sub(r"<[^>]+>", "", g or "")) for g in m.groups()))
    return out


def number(text: str) -> float:
    """``'2,294.12万㎡'`` → 2294.12."""
    return float(re.sub(r"[^\d.\-−]", "", text).replace("−", "-"))


def problems(at: AppTest) -> list[str]:
    """Exceptions and our Chinese error messages for unexpected failures: a passing page has none."""
    out = [str(e.value) for e in at.exception]
    out += [e.value for e in at.error if "参考编号" in e.value]
    return out


def notices(at: AppTest) -> list[str]:
    return [readable(w.value).replace("\\", "") for w in at.warning if "链接" in w.value or "页面地址" in w.value]
