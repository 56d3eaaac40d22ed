"""The 情景模拟 page under AppTest: sliders and the share table drive it; a link reproduces it."""

from __future__ import annotations

import pytest
from streamlit.testing.v1 import AppTest

from analysis.scenario import state
from analysis.scenario.params import make_scenario
from tests.apptest import cards, number, run_app
from ui.text import readable


def open_page(**params) -> AppTest:
    return run_app("pages/scenario.py", **params)


def figures(at: AppTest) -> dict[str, str]:
    return cards(at)


def link_state(at: AppTest) -> str:
    """The ``s`` parameter the page wrote into the address bar."""
    value = at.query_params["s"]
    return value[0] if isinstance(value, list) else value


def wan_m2(text: str) -> float:
    return float(text.removesuffix("万㎡").replace(",", ""))


def city_shares(at: AppTest) -> dict[str, float]:
    table = at.data_editor[0].value
    return dict(zip(table["地区"], table["情景比例（%）"]))


def test_page_runs_on_an_empty_store(data_dir):
    at = open_page()
    assert not at.exception, at.exception
    assert any("demo" in i.value or "上传" in i.value for i in at.info)


def test_sliders_and_table_drive_the_page(demo_env):
    at = open_page()
    assert not at.exception, at.exception
    assert any("演示数据" in w.value for w in at.warning)
    assert any("与基准持平" in i.value for i in at.info)  # the baseline against itself
    before = figures(at)

    at.slider(key="sc_purchase_share").set_value(35).run()  # half as many buyers: half the absorption
    after = figures(at)
    assert not at.exception
    assert wan_m2(after["消化存量面积"]) * 2 == pytest.approx(wan_m2(before["消化存量面积"]), rel=0.01)
    assert number(after["消化后去化周期"]) > number(before["消化后去化周期"])
    assert state.decode(link_state(at)).purchase_share == 0.35

    # a cell edit in the share table becomes Taiyuan's setting (AppTest edits a data_editor through its state)
    key = at.data_editor[0].key
    row = list(at.data_editor[0].value["地区"]).index("太原市")
    at.session_state[key] = {"edited_rows": {row: {"情景比例（%）": 70.0}}, "added_rows": [], "deleted_rows": []}
    at.run()
    assert not at.exception
    assert at.session_state["sc_overrides"] == {"140100": 0.7}
    assert city_shares(at)["太原市"] == 70.0

    # the keyboard path does the same for another city
    at.selectbox(key="sc_pick").set_value("140200")
    at.number_input(key="sc_pick_value").set_value(40.0)
    at.button(key="sc_pick_apply").click().run()
    assert at.session_state["sc_overrides"] == {"140100": 0.7, "140200": 0.4}
    assert city_shares(at)["大同市"] == 40.0
    at.button(key="sc_clear").click().run()
    assert at.session_state["sc_overrides"] == {}


def test_a_link_reproduces_taiyuan_70_and_the_policy_table(demo_env):
    scenario = make_scenario({"preset": "policy_table", "overrides": {"140100": 0.7}, "province_code": "140000"})
    at = open_page(s=state.encode(scenario))
    assert not at.exception, at.exception
    assert at.selectbox(key="sc_preset").value == "policy_table"
    shares = city_shares(at)
    assert shares["太原市"] == 70.0
    summary = readable(" ".join(i.value for i in at.info))  # as read: its figures' word joiners left out
    assert "政策表建议；太原市 70.0%" in summary
    shown = figures(at)

    # the colleague opens the page's own link (what the address bar holds after the run): the same page
    again = open_page(s=link_state(at))
    assert figures(again) == shown and city_shares(again) == shares

    # saved, then compared with the baseline
    at.text_input(key="sc_name").input("太原70%")
    at.button(key="sc_save").click().run()
    assert "太原70%" in at.session_state["sc_saved"]
    at.selectbox(key="sc_cmp_b").set_value("太原70%").run()
    assert not at.exception
    assert any("太原70% − 基准" in m.value.replace("\\", "") for m in at.markdown)
