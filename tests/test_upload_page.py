"""The 数据上传 page under AppTest: templates, history and rollback (the file picker itself is driven by
the real-browser test, since AppTest cannot upload files)."""

from __future__ import annotations

from pathlib import Path

import pandas as pd
import pytest
import streamlit as st
from streamlit.testing.v1 import AppTest

from analysis.store import Store
from tests.apptest import ADMIN, login

APP = str(Path(__file__).resolve().parents[1] / "app.py")


def open_upload(user: str = ADMIN, **account) -> AppTest:
    st.cache_data.clear()
    st.cache_resource.clear()
    at = login(AppTest.from_file(APP, default_timeout=60), user, **account).run()
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
    labels = [b.label for b in at.get("download_button")]
    assert [b for b in labels if b.endswith("模板")] == ["商品住房库存模板", "安置花名册模板", "年度计划模板"]
    assert at.button(key="up_rollback").disabled  # not before the tick
    at.selectbox(key="up_rollback_to").set_value(1)
    at.checkbox(key="up_rollback_sure").check().run()
    at.button(key="up_rollback").click().run()
    assert not at.exception
    assert tiny_store.current_version() == 3
    assert tiny_store.manifest().tables == tiny_store.manifest(1).tables
    assert any("已回退到版本 1" in s.value for s in at.success)


SAMPLES = Path("/work/shared/samples")
if not SAMPLES.is_dir():
    SAMPLES = Path(__file__).resolve().parents[2] / "shared" / "samples"


@pytest.mark.skipif(not SAMPLES.is_dir(), reason="../shared/samples not present")
def test_the_three_samples_import_through_the_page(tiny_store: Store):
    """Done-when of the upload issue, through the page: totals that match the files, then a commit."""
    at = open_upload()
    picker = f"up_file_{0}"

    def upload(name: str, region: str | None = None) -> str:
        if region:
            at.selectbox(key="up_region").set_value(region)
        at.file_uploader(key=picker).set_value((name, (SAMPLES / name).read_bytes(), "application/octet-stream")).run()
        assert not at.exception, at.exception
        return " ".join(m.value for m in at.markdown).replace("\\", "")  # as read: markdown escapes dropped

    text = upload("changzhi_inventory_201706.xlsx")
    assert "可售套数 48,609套，可售面积 510.47万㎡，当月销售套数 3,054套，当月销售面积 30.55万㎡" in text
    assert "未分配保障性住房套数 618套" in text  # the file's 合计 row says 618
    at.button(key="up_commit").click().run()
    assert any("已提交为版本 2" in s.value for s in at.success)

    picker = "up_file_1"
    text = upload("anshan_households_2016.csv")
    assert "户数 40" in text and "补偿款 582.57万元" in text
    assert any("被征收人姓名、身份证号" in i.value for i in at.info)
    assert at.button(key="up_commit").disabled  # a warning (the city was inferred) needs the tick first
    at.checkbox(key="up_ack").check().run()
    at.button(key="up_commit").click().run()
    assert any("已提交为版本 3" in s.value for s in at.success)

    picker = "up_file_2"
    text = upload("yangquan_plan_2015_2017.xlsx", region="140300")
    assert "计划改造户数 33,800户" in text
    at.button(key="up_commit").click().run()
    assert any("已提交为版本 4" in s.value for s in at.success)
    assert [v.file_name for v in tiny_store.history()][-3:] == [
        "changzhi_inventory_201706.xlsx",
        "anshan_households_2016.csv",
        "yangquan_plan_2015_2017.xlsx",
    ]
