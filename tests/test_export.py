"""Downloads: Chinese headers, display units, Excel with a 说明 sheet, CSV that Chinese Excel opens."""

from __future__ import annotations

import io

import openpyxl
import pandas as pd
import pytest

from analysis.export import for_people, to_csv_bytes, to_excel_bytes


@pytest.fixture()
def frame():
    return pd.DataFrame(
        {
            "region_name": ["太原市"],
            "saleable_area_m2": [6_588_567.8],
            "monetised_share": [0.521],
            "compensation_yuan": [8.49e9],
            "destock_band": ["12-18"],
            "planned_households": [30600],
        }
    )


def test_for_people_headers_and_units(frame):
    shown = for_people(frame)
    assert list(shown.columns) == [
        "地区",
        "可售面积（万㎡）",
        "货币化安置比例（%）",
        "补偿款（亿元）",
        "去化周期分档",
        "计划改造户数（户）",
    ]
    row = shown.iloc[0]
    assert row["可售面积（万㎡）"] == pytest.approx(658.85678)
    assert row["货币化安置比例（%）"] == pytest.approx(52.1)
    assert row["补偿款（亿元）"] == pytest.approx(84.9)
    assert row["去化周期分档"] == "12–18个月"


def test_excel_and_csv(frame):
    shown = for_people(frame)
    wb = openpyxl.load_workbook(io.BytesIO(to_excel_bytes({"各市": shown}, ["数据：演示"])))
    assert wb.sheetnames == ["各市", "说明"]
    assert wb["各市"]["B1"].value == "可售面积（万㎡）" and wb["说明"]["A2"].value == "数据：演示"
    data = to_csv_bytes(shown)
    assert data.startswith(b"\xef\xbb\xbf") and "太原市" in data.decode("utf-8-sig")
