"""Page state in the URL: the one module that reads and writes ``st.query_params``.

A view is a set of parameters (the sidebar's province, month and window; a page's drilled city, map
colouring, detail region, …). Each is declared with its allowed values and default before its widget is
drawn, under the widget's own key. Two rules keep the widgets and the URL from ever disagreeing:

- On a run that **opens** a view — the first run of a session (a shared link, a reload, a typed address),
  a change of page (the menu, a click-through) or the browser's Back/Forward — the URL is the truth: its
  values go into the widgets; a value that is not allowed is named in a notice and the default is shown.
- On every other run (a widget moved) the widgets are the truth: the URL may lag behind quick input and
  is never read. At the end of every run the URL is rewritten once with every declared parameter, the
  defaults included, so reload, Back/Forward and a copied link reproduce exactly what was on screen.

Every rewrite of the URL is a new entry in the browser's history (Streamlit pushes, it never replaces), so
one action must write it at most once: an address that leaves a parameter out means its default and is
not rewritten only to spell the default out (a fresh ``/`` or a menu link stays one entry; the first change
writes everything), and a click-through opens the next page by a page link (one entry), not by
``st.switch_page`` (which writes its parameters on the page it leaves: a second entry).

Pages never touch ``st.query_params``; they call :func:`declare` and read the widget's value.
"""

from __future__ import annotations

import json
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import Any
from urllib.parse import urlencode

import streamlit as st

from ui import text

_RUN = "_view_run"  # this run: page, whether it opens a view, declared parameters, notices
# every parameter some page declares: on another page they are left alone (a click-through carries the view
# it came from, so Back finds it), never named as unknown
APP_KEYS = {"province", "period", "window", "city", "measure", "by_county", "region", "level", "year", "s"}
_LAST_PAGE = "_view_last_page"
NOTICES = "_view_notices"  # notices waiting to be shown (they survive a switch of page)


class Invalid(ValueError):
    """A URL value that cannot be used; the message says why, in Chinese."""


@dataclass(frozen=True)
class Param:
    """One parameter of a view: its URL key (the widget's key), allowed values and default.

    ``parse`` turns the URL text into a widget value (raise :class:`Invalid`, with a reason for the notice if
    ``refused`` would not be true, or return a value not in ``options``, to refuse it); ``to_url`` does the
    reverse. ``options=None`` accepts any parsed value.
    ``refused`` says why a value is refused and what is shown instead (the notice ends with it).
    """

    key: str
    default: Any
    options: Sequence[Any] | None = None
    parse: Callable[[str], Any] = str
    to_url: Callable[[Any], str] = str
    refused: str = "无法识别，已显示默认值"
    shared: bool = False  # carried by the navigation menu to every page (the sidebar's parameters)

    def allowed(self, value: Any) -> bool:
        return self.options is None or value in self.options


def _ctx_history() -> bool:
    try:
        from streamlit.runtime.scriptrunner_utils.script_run_context import get_script_run_ctx

        ctx = get_script_run_ctx()
        return bool(ctx is not None and ctx.is_history_navigation)
    except Exception:  # a Streamlit without it: treat as a normal run
        return False


def begin(page: str) -> None:
    """Start a run of ``page`` (its url path): decide whether this run opens a view."""
    ss = st.session_state
    opening = ss.get(_LAST_PAGE) != page or _ctx_history()
    ss[_LAST_PAGE] = page
    ss[_RUN] = {"page": page, "opening": opening, "params": {}, "url": dict(st.query_params.to_dict())}


def reopen() -> None:
    """The next run opens a view whatever its page (after correcting an unknown address)."""
    st.session_state.pop(_LAST_PAGE, None)


def url_params() -> dict[str, str]:
    """The URL's parameters as this run received them."""
    return dict(_run()["url"])


def _run() -> dict:
    if _RUN not in st.session_state:  # a page run on its own (AppTest of a page script)
        begin("")
    return st.session_state[_RUN]


def page() -> str:
    """The url path of the page this run draws (``overview`` for 总览)."""
    return _run()["page"]


def at_end(callback: Callable[[], None]) -> None:
    """Run ``callback`` when the run ends, before the URL is written (menus and links that need every value)."""
    _run().setdefault("end", []).append(callback)


def opening() -> bool:
    """Whether this run opens a view (the URL is the truth)."""
    return _run()["opening"]


def url_value(key: str) -> str | None:
    """The URL's text for ``key`` as this run received it (for parameters with their own handling)."""
    return _run()["url"].get(key)


def assume(key: str, value: str) -> None:
    """A value the opening view takes for ``key`` when its URL does not give one (a scenario link's province)."""
    run = _run()
    if run["opening"] and key not in run["url"]:
        run["url"][key] = value


def notice(message: str) -> None:
    """A notice for the person looking (shown once, escaped)."""
    st.session_state.setdefault(NOTICES, []).append(message)


def declare(param: Param) -> Any:
    """Register ``param`` for this run and make the widget's session value agree with the rules above."""
    run = _run()
    run["params"][param.key] = param
    ss = st.session_state
    if run["opening"]:
        raw = run["url"].get(param.key)
        value = param.default
        if raw is not None:
            try:
                parsed = param.parse(raw)
                if not param.allowed(parsed):
                    raise Invalid(param.refused)
                value = parsed
            except (Invalid, ValueError, TypeError) as exc:
                shown = raw if len(raw) <= 40 else raw[:40] + "…"
                reason = str(exc) if isinstance(exc, Invalid) and str(exc) else param.refused  # parse's own reason
                notice(f"链接中的 {param.key}={shown} {reason}")
        ss[param.key] = value
    elif param.key not in ss or not param.allowed(ss[param.key]):
        ss[param.key] = param.default  # a dependent choice that no longer applies (a city of another province)
    return ss[param.key]


def set_value(key: str, value: Any) -> None:
    """Set a declared parameter from code (a click on a map) before its widget is drawn this run."""
    st.session_state[key] = value


def values(shared_only: bool = False) -> dict[str, str]:
    """The URL form of every declared parameter (``shared_only``: the ones every page carries)."""
    ss = st.session_state
    params = _run()["params"]
    return {k: p.to_url(ss[k]) for k, p in params.items() if k in ss and (p.shared or not shared_only)}


def unknown_keys() -> list[str]:
    """URL keys no page of the app knows (named in a notice when a view opens, and dropped)."""
    run = _run()
    return [k for k in run["url"] if k not in run["params"] and k not in APP_KEYS]


def foreign_keys() -> list[str]:
    """URL keys of other pages (``region=`` on 总览) that this page, run to its end, never declared: named in a
    notice when a view opens, and dropped. A page that stopped early (no data to show) names none."""
    run = _run()
    if run.get("stopped"):
        return []
    return [k for k in run["url"] if k in APP_KEYS and k not in run["params"]]


def stopped() -> None:
    """This run ends early (page.stop): keys it did not reach are not named as foreign."""
    _run()["stopped"] = True


def publish() -> None:
    """At the end of a run: the URL gets every declared parameter, once, only if it changed."""
    run = _run()
    if run.get("published"):
        return
    run["published"] = True
    for callback in run.pop("end", []):
        callback()
    if run["opening"]:
        for key in unknown_keys():
            notice(f"链接中的参数 {key} 无法识别，已忽略")
        if not run.get("leaving"):
            for key in foreign_keys():
                notice(f"链接中的参数 {key} 不适用于本页，已忽略")
    wanted = values()
    if run.get("leaving"):  # a click-through is opening the next page: that page writes its own URL
        return
    if needs_writing(st.query_params.to_dict(), wanted) or unknown_keys() or foreign_keys():
        st.query_params.from_dict(wanted)
    box = run.get("notice_box")
    if box is not None:
        show_notices(box)
    _mark(run["page"], wanted)


def needs_writing(current: dict[str, str], wanted: dict[str, str]) -> bool:
    """Whether the URL must be rewritten: a parameter differs from the view (one it leaves out stands for its
    default). Every write is a new entry in the browser's history, so the URL a link brought is kept."""
    params = _run()["params"]
    for key, value in wanted.items():
        if key in current:
            if current[key] != value:
                return True
        elif key not in params or value != params[key].to_url(params[key].default):
            return True
    return False


def leave() -> None:
    """This run hands over to another page (a click-through): no URL written, no finished-run mark."""
    _run()["leaving"] = True


def _mark(page: str, wanted: dict[str, str]) -> None:
    """An invisible mark at the end of every finished run: which run, which page, which view (browser tests
    wait for it instead of guessing when a rerun is over)."""
    ss = st.session_state
    ss["_view_runs"] = ss.get("_view_runs", 0) + 1
    view = text.html(json.dumps(wanted, ensure_ascii=False, sort_keys=True))
    st.html(f'<span class="view-mark" hidden data-run="{ss["_view_runs"]}" data-page="{text.html(page)}" '
            f'data-view="{view}"></span>')  # fmt: skip


def notice_box(container) -> None:
    """Where this run's notices are written at the end of the run (the top of the page)."""
    _run()["notice_box"] = container


def pop_notices() -> list[str]:
    return st.session_state.pop(NOTICES, [])


def show_notices(container) -> None:
    """Notices of this and earlier runs, escaped (link values come from outside)."""
    for message in dict.fromkeys(pop_notices()):  # once each (a run that starts again says it again)
        container.warning(text.plain(message), icon=":material/link_off:")


def link(path: str, params: dict[str, str]) -> str:
    """A link to ``path`` with ``params`` (relative to the app's address)."""
    return f"{path}?{urlencode(params)}" if params else path
