"""The 数据上传 page under AppTest: templates, history and rollback (the file picker itself is driven by
the real-browser test, since AppTest cannot upload files)."""

from __future__ import annotations

from pathlib import Path

import pandas as pd
import pytest
import streamlit as st
from streamlit.testing.v1 import AppTest

from analysis.store import Store
from tests.apptest import ADMIN, login, new_app
from ui.text import readable

APP = str(Path(__file__).resolve().parents[1] / "app.py")


def open_upload(user: str = ADMIN, **account) -> AppTest:
    st.cache_data.clear()
    st.cache_resource.clear()
    at = login(new_app(), user, **account).run()
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
        return readable(" ".join(m.value for m in at.markdown)).replace("\\", "")  # as read: escapes, joiners dropped

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


OFFICE = Path(__file__).parent / "files" / "office"


def acknowledge(at: AppTest) -> None:
    """Tick 我已查看以上提示 when the file has warnings (the commit waits for it)."""
    if any(c.key == "up_ack" for c in at.checkbox):
        at.checkbox(key="up_ack").check().run()


def test_the_mapping_step_asks_applies_saves_and_is_used_for_the_next_file(tiny_store: Store):
    """An ambiguous 城区: asked with its candidates, answered on the page, the file read again and committed;
    the answer saved for 阳泉市城区 and applied to the next file without asking."""
    at = open_upload()
    data = (OFFICE / "chengqu_households_2016.xls").read_bytes()
    at.file_uploader(key="up_file_0").set_value(("chengqu.xls", data, "application/vnd.ms-excel")).run()
    assert not at.exception, at.exception
    assert at.button(key="up_commit").disabled
    (asked,) = [s for s in at.selectbox if s.label.startswith("地名 · 需确认")]
    assert "城区" in asked.label and asked.value is None
    assert "山西省/阳泉市/城区（140302）" in asked.options and "山西省/晋城市/城区（140502）" in asked.options
    asked.set_value("140302")
    [b for b in at.button if b.label == "应用并重新检查"][0].click().run()
    assert not at.exception, at.exception
    assert not [s for s in at.selectbox if s.label.startswith("地名 · 需确认")]
    assert tiny_store.current_version() == 1
    text_area = [t for t in at.text_area if t.label == "映射（可直接修改）"][0]
    assert "140302" in text_area.value
    [b for b in at.button if b.label == "保存映射"][0].click().run()
    assert any("已保存为山西省阳泉市城区（140302）的安置花名册映射（第 1 版）" in s.value for s in at.success)
    from analysis.accounts import AccountBook
    from analysis.mapping_book import MappingBook

    assert MappingBook(tiny_store.data_dir).versions("140302", "households")[-1].by == ADMIN  # the account
    last = AccountBook(tiny_store.data_dir).audit_log(1)[0]
    assert (last.who, last.what, last.detail) == (
        ADMIN, "mapping_saved", {"region": "140302", "kind": "households", "version": 1},
    )  # fmt: skip
    acknowledge(at)
    at.button(key="up_commit").click().run()
    assert any("已提交为版本 2" in s.value for s in at.success)

    # the next file from 阳泉市城区: the saved answer applies, nothing is asked
    at.file_uploader(key="up_file_1").set_value(("chengqu_next.xls", data, "application/vnd.ms-excel")).run()
    assert not at.exception, at.exception
    assert any("已应用保存的映射" in i.value and "第 1 版" in i.value for i in at.info)
    assert not [s for s in at.selectbox if "需确认" in s.label]
    saved = [d for d in at.dataframe if "保存人" in d.value.columns]
    assert saved and saved[0].value.iloc[0]["地区"] == "山西省阳泉市城区（140302）"


def test_an_unknown_column_is_prefilled_not_to_import_and_passes_once_confirmed(tiny_store: Store):
    from tests.spreadsheets import xlsx

    data = xlsx(
        {
            "2016年6月": [
                ["县区", "可售面积（万平方米）", "已售面积（万平方米）", "甲乙指标"],
                ["小店区", 10.5, 1.2, 33],
                ["迎泽区", 8, 0.5, 12],
            ]
        }
    )
    at = open_upload()
    at.selectbox(key="up_region").set_value("140100")
    at.file_uploader(key="up_file_0").set_value(("taiyuan.xlsx", data, "application/octet-stream")).run()
    assert not at.exception, at.exception
    assert at.button(key="up_commit").disabled
    (asked,) = [s for s in at.selectbox if s.label.startswith("表头 · 需确认")]
    assert "甲乙指标" in asked.label and asked.value == "ignore"
    assert any("示例值：33、12" in c.value.replace("\\", "") for c in at.caption)
    [b for b in at.button if b.label == "应用并重新检查"][0].click().run()
    assert not at.exception, at.exception
    acknowledge(at)
    assert not at.button(key="up_commit").disabled
    notes = [e for e in at.expander if e.label.startswith("读取说明")]
    assert notes  # how the file was read, apart from the problems


def test_mappings_are_saved_by_the_account_and_only_inside_its_scope(tiny_store: Store):
    """The saved mappings a county submitter sees and saves are its county's only (the admin's, of 全国, all)."""
    from analysis.ingest.mapping import Mapping
    from analysis.mapping_book import MappingBook

    county = dict(role="submitter", scope="140322")  # 盂县: 阳泉市城区 lies outside it
    at = open_upload("盂县报送员", **county)
    data = (OFFICE / "chengqu_households_2016.xls").read_bytes()
    at.file_uploader(key="up_file_0").set_value(("chengqu.xls", data, "application/vnd.ms-excel")).run()
    (asked,) = [s for s in at.selectbox if s.label.startswith("地名 · 需确认")]
    asked.set_value("140302")
    [b for b in at.button if b.label == "应用并重新检查"][0].click().run()
    assert [b for b in at.button if b.label == "保存映射"][0].disabled
    assert any("不在您的报送范围内，不能为它保存映射" in c.value for c in at.caption)
    assert at.button(key="up_commit").disabled  # and its rows (outside the scope) cannot be committed

    MappingBook(tiny_store.data_dir).save("140302", "households", Mapping.from_dict({"places": {"城区": "140302"}}))
    at = open_upload("盂县报送员", **county)
    assert not [d for d in at.dataframe if "保存人" in d.value.columns]  # 城区's mapping is not listed
    assert any("还没有保存任何映射" in i.value for i in at.info)

    at = open_upload()  # the tests' admin (全国) sees it
    saved = [d for d in at.dataframe if "保存人" in d.value.columns]
    assert saved and saved[0].value.iloc[0]["地区"] == "山西省阳泉市城区（140302）"
