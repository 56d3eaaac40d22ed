"""Streamlit glue of the 情景模拟 page: widget state ↔ a Scenario, the link's ``s``, saved scenarios, editors.

Every setting lives in ``st.session_state`` under the keys below; :func:`current` turns them into a
validated :class:`~analysis.scenario.params.Scenario`. The link's ``s`` parameter always holds the
current scenario (base64url JSON, :mod:`analysis.scenario.state`): opening a link restores it.
"""

from __future__ import annotations

from types import SimpleNamespace

import pandas as pd
import streamlit as st

from analysis import format as fmt
from analysis.catalogue import band_keys
from analysis.regions import load_registry
from analysis.scenario import engine, state
from analysis.scenario.params import Scenario, ScenarioError, make_scenario, parameters
from ui import data
from ui import state as view

SLIDERS = {  # key → (scenario field = parameter name, to widget, from widget)
    "sc_purchase_share": ("purchase_share", lambda v: round(v * 100), lambda w: w / 100),
    "sc_purchase_area": ("purchase_area_m2", float, float),
    "sc_in_kind_area": ("in_kind_area_m2", float, float),
    "sc_cost": ("construction_cost_yuan_per_m2", float, float),
}
OVERRIDES = "sc_overrides"  # dict code → share (not a widget)
SAVED = "sc_saved"  # dict name → encoded scenario
EDITOR_ROUND = "sc_editor_round"  # bumped after an editor's edits are taken in: a fresh editor


def policy_key(band: str) -> str:
    return "sc_policy_" + {"<6": "lt6", ">=36": "ge36"}.get(band, band.replace("-", "_"))


def to_widgets(scenario: Scenario) -> dict:
    """The session-state values that show ``scenario`` in the widgets."""
    values = {
        "sc_preset": scenario.preset,
        "sc_share": round((scenario.share if scenario.share is not None else 0.6) * 100),
        "sc_compensation": (scenario.compensation_yuan_per_household or 0) / 1e4,
        "sc_years": list(scenario.years),
        OVERRIDES: dict(scenario.overrides),
        **{policy_key(b): round(v * 100, 2) for b, v in scenario.policy_shares.items()},
    }
    for key, (name, show, _) in SLIDERS.items():
        values[key] = show(getattr(scenario, name))
    return values


def ensure_defaults(sel) -> None:
    """Missing settings take the defaults; overrides from another province are dropped."""
    for key, value in to_widgets(Scenario()).items():
        st.session_state.setdefault(key, value)
    st.session_state.setdefault(SAVED, {})
    st.session_state.setdefault(EDITOR_ROUND, 0)
    reg = load_registry()
    st.session_state[OVERRIDES] = {
        c: v
        for c, v in st.session_state[OVERRIDES].items()
        if c in reg.regions and reg.get(c).province_code == sel.province_code
    }


def restore_from_link() -> None:
    """Before the sidebar, when a view opens (a shared link, a reload, Back): the link's ``s`` sets every
    widget, once. After that the widgets are the truth; an ``s`` that cannot be used is named in a notice."""
    if not view.opening():
        return None
    text = view.url_value("s")
    if not text:
        return None
    try:
        scenario = state.decode(text)
    except ScenarioError as exc:
        shown = text if len(text) <= 24 else text[:24] + "…"
        view.notice(f"链接中的情景 s={shown} 无法打开（{'；'.join(exc.problems)}），已显示基准情景")
        return None
    apply(scenario)
    shared = {"province": scenario.province_code, "period": scenario.period, "window": scenario.window_months}
    for key, value in shared.items():  # the sidebar's own parameters in the link win
        if value is not None:
            view.assume(key, str(value) if key != "province" else value)
    return None


def apply(scenario: Scenario) -> None:
    for key, value in to_widgets(scenario).items():
        st.session_state[key] = value
    st.session_state[EDITOR_ROUND] = st.session_state.get(EDITOR_ROUND, 0) + 1


def current(sel, name: str = "") -> tuple[Scenario | None, list[str]]:
    """The scenario the widgets show, validated whole; (None, problems) when refused."""
    try:
        return make_scenario(_changes(st.session_state, sel, name)), []
    except ScenarioError as exc:
        return None, exc.problems


def _changes(ss, sel, name: str = "") -> dict:
    """The changes that the widget values ``ss`` (session state, or :func:`to_widgets` of a scenario) stand for."""
    changes = {
        "preset": ss["sc_preset"],
        "overrides": ss[OVERRIDES],
        "policy": {b: ss[policy_key(b)] / 100 for b in band_keys()},
        "years": [int(y) for y in ss["sc_years"]],
        "province_code": sel.province_code,
        "period": sel.period,
        "window_months": sel.window,
        "name": name,
    }
    if ss["sc_preset"] == "uniform":
        changes["share"] = ss["sc_share"] / 100
    if ss["sc_compensation"]:
        changes["compensation_yuan_per_household"] = float(ss["sc_compensation"]) * 1e4
    for key, (field, _, back) in SLIDERS.items():
        changes[field] = back(ss[key])
    default_policy = parameters()["policy_table"].value
    changes["policy"] = {b: v for b, v in changes["policy"].items() if abs(v - default_policy[b]) > 1e-9}
    return changes


def sync_link(scenario: Scenario) -> str | None:
    """The URL's ``s`` is the current scenario (the address bar is always a share link); a reason when it cannot be."""
    text = state.encode(scenario)
    too_long = len(text) > state.MAX_LINK_CHARS
    # the untouched page's scenario is the default: a plain /scenario is not rewritten just to spell it out
    where = SimpleNamespace(province_code=scenario.province_code, period=scenario.period, window=scenario.window_months)
    untouched = state.encode(make_scenario(_changes(to_widgets(Scenario()), where)))
    view.declare(view.Param("s", default=untouched, options=None))
    st.session_state["s"] = "" if too_long else text
    if too_long:
        return "本情景的单独设定过多，无法放进链接：请用「下载情景文件（JSON）」发给同事，对方用「载入情景文件」打开。"
    return None


def share_url(scenario: Scenario) -> str:
    """The link of this scenario on this page, with the sidebar's choices."""
    from urllib.parse import urlsplit

    try:
        url = urlsplit(st.context.url or "")
        base = f"{url.scheme}://{url.netloc}/scenario" if url.netloc else "/scenario"
    except Exception:  # not served (AppTest)
        base = "/scenario"
    params = {**view.values(shared_only=True), "s": state.encode(scenario)}
    return view.link(base, params)


@st.cache_data(show_spinner=False, max_entries=32)
def inputs(data_dir: str, version: int, province: str, period: str, window: int, years: tuple[int, ...]):
    """The engine's county inputs for a selection (SQL once; every slider move reuses them)."""
    return engine.load_inputs(data.cursor(data.DataState(data_dir, version)), province, period, window, years)


@st.cache_data(show_spinner=False, max_entries=64)
def computed(
    data_dir: str, version: int, province: str, period: str, window: int, years: tuple[int, ...], scenario_text: str
) -> engine.Result:
    """A scenario's results (no deltas), cached by its link text: the baseline and saved ones cost nothing."""
    return engine.compute(inputs(data_dir, version, province, period, window, years), state.decode(scenario_text))


# -- editing shares: the table editor and the keyboard path ------------------------------------------------
def editor_key(level: str) -> str:
    return f"sc_edit_{level}_{st.session_state.get(EDITOR_ROUND, 0)}"


def take_editor_edits() -> None:
    """Fold the cell edits of the share editors into the overrides (before the editors are drawn again)."""
    changed = False
    for level in ("city", "county"):
        key = editor_key(level)
        edits = st.session_state.get(key)
        codes = st.session_state.get(f"_sc_codes_{level}", [])
        if not isinstance(edits, dict):
            continue
        for row, cells in (edits.get("edited_rows") or {}).items():
            value = cells.get("情景比例（%）")
            i = int(row)
            if value is not None and 0 <= i < len(codes):
                st.session_state[OVERRIDES] = {**st.session_state[OVERRIDES], codes[i]: float(value) / 100}
                changed = True
    if changed:
        st.session_state[EDITOR_ROUND] += 1


def share_editor(frame: pd.DataFrame, baseline: pd.DataFrame, level: str) -> None:
    """An editable table of shares (one row per region); an edit becomes that region's setting."""
    overrides = st.session_state[OVERRIDES]
    base = baseline.set_index("region_code").monetised_share
    shown = pd.DataFrame(
        {
            "地区": frame.region_name,
            "计划户数（户）": frame.planned_households,
            "去化周期（个月）": [fmt.scaled("destock_months", v) for v in frame.destock_months],
            "基准比例（%）": [fmt.scaled("monetised_share", v) for v in frame.region_code.map(base)],
            # a region's own setting where it has one (a county setting below it must not leak in)
            "情景比例（%）": [
                round(overrides[c] * 100, 1) if c in overrides else round(v * 100, 1)
                for c, v in zip(frame.region_code, frame.monetised_share)
            ],
            "单独设定": frame.region_code.map(lambda c: "✓" if c in overrides else ""),
        }
    )
    st.session_state[f"_sc_codes_{level}"] = list(frame.region_code)
    st.data_editor(
        shown,
        key=editor_key(level),
        hide_index=True,
        disabled=[c for c in shown.columns if c != "情景比例（%）"],
        column_config={
            "情景比例（%）": st.column_config.NumberColumn(min_value=0.0, max_value=100.0, step=0.1, format="%.1f"),
            "计划户数（户）": st.column_config.NumberColumn(format="%,d"),
            "去化周期（个月）": st.column_config.NumberColumn(format="%.1f"),
            "基准比例（%）": st.column_config.NumberColumn(format="%.1f"),
        },
        height="content",
    )


def set_one(code_key: str, value_key: str) -> None:
    """Callback of the keyboard path: the chosen region's share set from the number input."""
    code = st.session_state.get(code_key)
    if code:
        st.session_state[OVERRIDES] = {**st.session_state[OVERRIDES], code: st.session_state[value_key] / 100}
        st.session_state[EDITOR_ROUND] += 1


def clear_overrides(codes: list[str] | None = None) -> None:
    keep = {} if codes is None else {c: v for c, v in st.session_state[OVERRIDES].items() if c not in codes}
    st.session_state[OVERRIDES] = keep
    st.session_state[EDITOR_ROUND] += 1


def save(scenario_text: str, name_key: str) -> None:
    name = (st.session_state.get(name_key) or "").strip()
    if name and name != "基准":
        st.session_state[SAVED] = {**st.session_state[SAVED], name: scenario_text}


def load(name_key: str) -> None:
    text = st.session_state[SAVED].get(st.session_state.get(name_key))
    if text:
        apply(state.decode(text))


def load_file(uploader_key: str) -> None:
    import json

    f = st.session_state.get(uploader_key)
    if f is None:
        return
    try:
        scenario = state.from_dict(json.loads(f.getvalue().decode("utf-8")))
    except (ValueError, UnicodeDecodeError, RecursionError) as exc:
        st.session_state["_sc_load_error"] = "；".join(getattr(exc, "problems", None) or ["文件不是情景 JSON"])
        return
    apply(scenario)
    if scenario.name:
        st.session_state[SAVED] = {**st.session_state[SAVED], scenario.name: state.encode(scenario)}
