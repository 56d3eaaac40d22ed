"""Downloads a leader can forward: what the screen shows, rounded and formatted, never a live formula."""

from __future__ import annotations

import io

import openpyxl
import pandas as pd
import pytest

from analysis.export import for_people, notes_for, to_csv_bytes, to_excel_bytes


@pytest.fixture()
def frame():
    return pd.DataFrame(
        {
            "region_name": ["太原市", '=HYPERLINK("http://127.0.0.2","x")'],
            "saleable_area_m2": [6_588_567.8, 200_000.0],
            "monetised_share": [0.521, None],
            "compensation_yuan": [8.49e9, 1.0e8],
            "destock_band": ["12-18", None],
            "planned_households": [30600, 12],
            "destock_months": [19.98947594965293, 20.0],
        }
    )


def test_for_people_headers_units_and_rounding(frame):
    shown = for_people(frame)
    assert list(shown.columns) == [
        "地区", "可售面积（万㎡）", "货币化安置比例（%）", "补偿款（亿元）", "去化周期分档", "计划改造户数（户）", "去化周期（个月）",
    ]  # fmt: skip
    row = shown.iloc[0]
    assert row["可售面积（万㎡）"] == 658.86  # what the screen shows: 2 decimals of 万㎡
    assert row["货币化安置比例（%）"] == 52.1
    assert row["补偿款（亿元）"] == 84.9
    assert row["去化周期分档"] == "12–18个月"
    assert row["去化周期（个月）"] == 20.0
    assert shown.attrs["decimals"]["去化周期（个月）"] == 1 and shown.attrs["decimals"]["计划改造户数（户）"] == 0


def test_csv_has_fixed_decimals_and_no_live_formula(frame):
    text = to_csv_bytes(for_people(frame)).decode("utf-8-sig")
    lines = text.splitlines()
    assert lines[1].split(",")[-1] == "20.0" and lines[2].split(",")[-1] == "20.0"  # not 19.98947594965293 / 20
    assert ",658.86," in lines[1] and ",30600," in lines[1]
    assert "'=HYPERLINK" in text  # a text cell that would run as a formula is kept as text
    assert to_csv_bytes(for_people(frame)).startswith(b"\xef\xbb\xbf")


def test_excel_formats_widths_frozen_header_and_notes(frame):
    shown = for_people(frame)
    notes = notes_for(["saleable_area_m2", "destock_months"], as_of="2017-12", context="山西省，各市")
    wb = openpyxl.load_workbook(io.BytesIO(to_excel_bytes({"各市": shown}, notes)))
    assert wb.sheetnames == ["各市", "说明"]
    ws = wb["各市"]
    assert ws["B1"].value == "可售面积（万㎡）" and ws.freeze_panes == "A2"
    assert ws["B2"].value == 658.86 and ws["B2"].number_format == "#,##0.00"
    assert ws["F2"].value == 30600 and ws["F2"].number_format == "#,##0"
    assert ws["G2"].number_format == "#,##0.0"
    assert ws.column_dimensions["B"].width >= len("可售面积（万㎡）") * 2  # the Chinese header fits
    bad = ws["A3"]
    assert bad.data_type == "s" and bad.value.startswith("=HYPERLINK") and bad.quotePrefix  # text, not a formula
    said = [c.value for c in wb["说明"]["A"]]
    assert "数据截至：2017-12" in said and any(s.startswith("可售面积（万㎡）：") for s in said if s)


def test_a_column_of_mixed_figures_keeps_numbers_as_numbers_row_by_row():
    """地区详情's 全部指标: one 数值 column holding 万㎡ with 2 decimals, 个月 with 1, a count, and texts."""
    from analysis.export import ROW_DECIMALS_ATTR

    shown = pd.DataFrame(
        {"指标": ["可售面积（万㎡）", "去化周期（个月）", "计划改造户数（户）", "窗口完整", "备注"],
         "数值": pd.Series([658.86, 12.8, 30600, "是", "@SUM(A1)"], dtype=object)}
    )  # fmt: skip
    shown.attrs[ROW_DECIMALS_ATTR] = {"数值": [2, 1, 0, None, None]}
    csv = to_csv_bytes(shown).decode("utf-8-sig").splitlines()
    assert csv[1:] == ["可售面积（万㎡）,658.86", "去化周期（个月）,12.8", "计划改造户数（户）,30600", "窗口完整,是",
                       "备注,'@SUM(A1)"]  # fmt: skip
    ws = openpyxl.load_workbook(io.BytesIO(to_excel_bytes({"指标": shown}, ["说明一行"])))["指标"]
    cells = [ws.cell(r, 2) for r in range(2, 7)]
    assert [c.value for c in cells] == [658.86, 12.8, 30600, "是", "@SUM(A1)"]
    assert [c.data_type for c in cells] == ["n", "n", "n", "s", "s"]
    assert [c.number_format for c in cells[:3]] == ["#,##0.00", "#,##0.0", "#,##0"]


def test_yes_and_no_in_chinese():
    shown = for_people(pd.DataFrame({"window_complete": pd.array([True, False, None], dtype="boolean")}))
    assert shown["窗口完整"].tolist()[:2] == ["是", "否"] and pd.isna(shown["窗口完整"].iloc[2])
