"""Every page runs under AppTest without an exception, on the demo data and on an empty store."""

from __future__ import annotations

from pathlib import Path

import pytest
import streamlit as st
from streamlit.testing.v1 import AppTest

APP = str(Path(__file__).resolve().parents[1] / "app.py")
PAGES = [
    "pages/overview.py",
    "pages/inventory.py",
    "pages/resettlement.py",
    "pages/region.py",
    "pages/data.py",
    "pages/upload.py",
    "pages/scenario.py",
]


def run_app(page: str | None = None) -> AppTest:
    st.cache_data.clear()
    st.cache_resource.clear()
    at = AppTest.from_file(APP, default_timeout=60).run()
    if page:
        at.switch_page(page).run()
    return at


@pytest.mark.parametrize("page", PAGES)
def test_page_runs_on_demo_data(demo_env, page):
    at = run_app(page)
    assert not at.exception, at.exception
    assert any("演示数据" in w.value for w in at.warning), "the synthetic-data banner must show"


@pytest.mark.parametrize("page", PAGES)
def test_page_runs_on_empty_store(data_dir, page):
    at = run_app(page)
    assert not at.exception, at.exception
    assert any("demo" in i.value or "上传" in i.value for i in at.info)


def test_overview_headline_figures(demo_env):
    at = run_app()
    labels = {m.label: m.value for m in at.metric}
    assert float(labels["去化周期（个月）"]) > 0
    assert float(labels["可售面积（万㎡）"].replace(",", "")) > 0
    assert "消化存量商品住房" in " ".join(m.value for m in at.info)


def run_link(**params) -> AppTest:
    """Open the app as a shared link would (AppTest cannot rerun widgets of the entry script under st.navigation)."""
    st.cache_data.clear()
    at = AppTest.from_file(APP, default_timeout=60)
    at.query_params.update({k: str(v) for k, v in params.items()})
    return at.run()


def test_sidebar_state_lives_in_the_url(demo_env):
    shanxi = {m.label: m.value for m in run_link().metric}
    liaoning = {m.label: m.value for m in run_link(province="辽宁省").metric}
    assert shanxi["可售面积（万㎡）"] != liaoning["可售面积（万㎡）"]
    early = run_link(province="辽宁省", period="2016-01")
    assert early.selectbox(key="period").value == "2016-01"
    e = {m.label: m.value for m in early.metric}
    assert float(e["去化周期（个月）"]) > float(liaoning["去化周期（个月）"])
    six = run_link(province="辽宁省", window="近6个月")
    assert not six.exception and six.radio(key="window").value == 6


def test_data_page_names_counties_that_have_not_reported(demo_env):
    at = run_link()
    at.switch_page("pages/data.py").run()
    assert not at.exception
    missing = " ".join(e.value for e in at.error)
    for name in ("武乡县", "和顺县", "乡宁县"):  # Shanxi's late reporters in the demo
        assert name in missing
    assert {m.label: m.value for m in at.metric}["未报送"] == "3"


def test_inventory_basis_switch_lists_band_changes(demo_env):
    at = run_link()
    at.switch_page("pages/inventory.py").run()
    at.selectbox(key="basis_a").set_value("12-area").run()
    at.selectbox(key="basis_b").set_value("12-area").run()
    assert any("0 个地区换档" in m.value for m in at.markdown)
    at.selectbox(key="basis_b").set_value("6-area").run()
    assert not at.exception
    assert not any("0 个地区换档" in m.value for m in at.markdown)


def test_region_page_opens_from_a_link(demo_env):
    at = run_link(region="140105")
    at.switch_page("pages/region.py").run()
    assert not at.exception
    assert any("小店区" in m.value for m in at.markdown)
    assert any("排第" in m.value for m in at.markdown)


def test_resettlement_year_switch(demo_env):
    at = run_link()
    at.switch_page("pages/resettlement.py").run()
    share_2017 = {m.label: m.value for m in at.metric}["货币化安置比例"]
    at.button_group(key="rs_year").set_value(2015).run() if hasattr(at, "button_group") else None
    assert not at.exception
    assert share_2017.endswith("%")
