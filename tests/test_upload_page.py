"""The 数据上传 page under AppTest: templates, history and rollback (the file picker itself is driven by
the real-browser test, since AppTest cannot upload files)."""

from __future__ import annotations

from pathlib import Path

import pandas as pd
import streamlit as st
from streamlit.testing.v1 import AppTest

from analysis.store import Store

APP = str(Path(__file__).resolve().parents[1] / "app.py")


def open_upload() -> AppTest:
    st.cache_data.clear()
    st.cache_resource.clear()
    at = AppTest.from_file(APP, default_timeout=60).run()
    at.switch_page("pages/upload.py").run()
    assert not at.exception, at.exception
    return at


def test_rollback_from_the_history_tab(tiny_store: Store):
    plans = pd.DataFrame(
        {"region_code": ["140105"], "year": [2018], "planned_households": [7], "target_monetised_share": [None]}
    )
    tiny_store.commit({"plans": plans}, file_name="second.csv")
    assert tiny_store.current_version() == 2
    at = open_upload()
    assert [b.label for b in at.get("download_button")] == ["商品住房库存模板", "安置花名册模板", "年度计划模板"]
    assert at.button(key="up_rollback").disabled  # not before the tick
    at.selectbox(key="up_rollback_to").set_value(1)
    at.checkbox(key="up_rollback_sure").check().run()
    at.button(key="up_rollback").click().run()
    assert not at.exception
    assert tiny_store.current_version() == 3
    assert tiny_store.manifest().tables == tiny_store.manifest(1).tables
    assert any("已回退到版本 1" in s.value for s in at.success)
