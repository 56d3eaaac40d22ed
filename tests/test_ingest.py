"""Messy county spreadsheets in, canonical rows (or every problem, named by cell) out.

Each case is built in code in the shape domain.md describes; expected values are worked by hand.
"""

from __future__ import annotations

import pandas as pd
import pytest

from analysis.ingest import RefusedFile, ingest
from analysis.regions import load_registry
from tests.conftest import all_tables
from tests.spreadsheets import CHANGZHI_MERGES, CHANGZHI_ROWS, csv_bytes, xls, xlsx

KEY = b"k" * 32
REG = load_registry()


def read(data: bytes, name: str, **kw):
    return ingest(data, name, REG, id_key=KEY, **kw)


def rows(result, *cols):
    return [tuple(None if pd.isna(v) else v for v in r) for r in result.frame[list(cols)].itertuples(index=False)]


def where(problems):
    return [(p.sheet, p.row, p.column, p.value, p.severity) for p in problems]


# -- layouts --------------------------------------------------------------------------------------
def test_grouped_merged_header_title_units_line_column_numbers_totals_and_footer():
    result = read(xlsx({"库存": CHANGZHI_ROWS}, {"库存": CHANGZHI_MERGES}), "长治.xlsx")
    assert result.kind == "inventory" and result.ok
    assert rows(result, "region_code", "period", "saleable_units", "saleable_area_m2", "sold_area_m2") == [
        ("140403", "2017-06", 3290, 345_500.0, 11_700.0),  # 34.55 万㎡, text with spaces
        ("140405", "2017-06", 1710, 169_500.0, 31_300.0),  # 长治市屯留区: prefixed with the city
    ]
    assert result.frame.avg_price_yuan_per_m2.tolist() == [6566.0, 5397.0]  # 元/平方米 is not scaled
    # the 合计 row (Excel row 6) agrees except 未分配保障房: 30 stated, 0 + none above
    assert where(result.warnings) == [("库存", 6, "未分配保障房（套）", "30", "warning")]
    text = " ".join(p.text() for p in result.problems)
    assert "13912345678" not in text and "张某" not in text


def test_legacy_xls_without_merge_data_reads_the_same():
    plain = [[c for c in r] for r in CHANGZHI_ROWS]
    merges = {"库存": [(0, 0, 0, 7), (2, 3, 0, 0), (2, 2, 1, 2), (2, 2, 3, 5), (2, 3, 6, 6), (2, 3, 7, 7)]}
    result = read(xls({"库存": plain}, merges), "长治.xls")
    assert rows(result, "region_code", "saleable_area_m2", "sold_units") == [
        ("140403", 345_500.0, 117),
        ("140405", 169_500.0, 313),
    ]


@pytest.mark.parametrize("encoding", ["utf-8", "utf-8-sig", "gbk"])
def test_csv_in_every_encoding_with_units_in_headers_and_padded_names(encoding):
    data = csv_bytes(
        [
            [
                "县区",
                "统计月份",
                "可售套数",
                "可售面积（万平方米）",
                "销售套数",
                "销售面积(万㎡)",
                "成交均价（元/平方米）",
            ],
            ["晋 源 区", "2016年1月", "1,234", " 25.6 ", 40, "0.36", 7100],
            ["祁　县", "2016/1", 800, 8, "—", "/", ""],
        ],
        encoding,
    )
    result = read(data, "库存.csv")
    assert result.ok, [p.text() for p in result.problems]  # — and / mean none reported
    assert rows(
        result, "region_code", "period", "saleable_units", "saleable_area_m2", "sold_units", "sold_area_m2"
    ) == [
        ("140110", "2016-01", 1234, 256_000.0, 40, 3_600.0),
        ("140727", "2016-01", 800, 80_000.0, None, None),
    ]


def test_one_sheet_per_month_with_the_month_only_in_the_sheet_name_and_an_instructions_sheet():
    header = ["区县", "可售面积（平方米）", "可售套数", "当月网签面积（平方米）", "当月网签套数", "网签均价"]
    data = xlsx(
        {
            "2016年1月": [header, ["小店区", 320000, 3000, 15000, 150, 7000]],
            "2016年2月": [header, ["小店区", 310000, 2900, 9000, 90, 7100]],
            "说明": [["本表按月填报，每月一个工作表。"], ["面积单位：平方米"]],
        }
    )
    result = read(data, "太原.xlsx")
    assert rows(result, "period", "saleable_area_m2", "sold_units") == [
        ("2016-01", 320_000.0, 150),
        ("2016-02", 310_000.0, 90),
    ]
    assert result.sheets == ["2016年1月", "2016年2月"]


def test_period_from_the_file_name_when_nowhere_else():
    data = csv_bytes(
        [["县区", "可售面积", "可售套数", "销售面积", "销售套数", "均价"], ["小店区", 320000, 3000, 15000, 150, 7000]]
    )
    assert read(data, "taiyuan_inventory_201703.csv").frame.period.tolist() == ["2017-03"]


def test_wide_plan_table_with_grouped_years_and_percent_shares_unpivots():
    data = xlsx(
        {
            "计划": [
                ["太原市棚户区改造年度计划"],
                ["县（市、区）", "2015年", None, "2016年", None],
                [None, "计划改造户数", "货币化安置比例", "计划改造户数", "货币化安置比例"],
                ["小店区", 1200, "40%", "1,500", "60%"],
                ["清徐县", 300, "30%", 0, "—"],
                ["全市合计", 1500, None, 1500, None],
            ]
        },
        {"计划": ["B2:C2", "D2:E2", "A2:A3"]},
    )
    result = read(data, "计划.xlsx")
    assert result.kind == "plans" and result.ok, [p.text() for p in result.problems]
    got = sorted(rows(result, "region_code", "year", "planned_households", "target_monetised_share"), key=str)
    assert [g[:3] for g in got] == [
        ("140105", 2015, 1200),
        ("140105", 2016, 1500),
        ("140121", 2015, 300),
        ("140121", 2016, 0),
    ]
    assert [g[3] for g in got][:3] == [pytest.approx(0.4), pytest.approx(0.6), pytest.approx(0.3)]
    # 2016's 合计 says 1500 = 1500 + 0: fine; 2015's says 1500 = 1200 + 300: fine
    assert result.warnings == []


def test_wide_plan_table_one_header_row_and_shares_as_plain_numbers_are_per_cent():
    data = xlsx(
        {
            "Sheet1": [
                ["县区", "2015年", "2016年", "2017年", "三年合计"],
                ["小店区", 100, 200, 300, 600],
                ["迎泽区", 50, 60, 70, 180],
            ],
            "比例": [["县区", "年度", "计划改造户数", "货币化比例"], ["小店区", "2018年", 10, 60]],
        }
    )
    result = read(data, "plans.xlsx", kind="plans")
    assert sorted(rows(result, "region_code", "year", "planned_households"))[:3] == [
        ("140105", 2015, 100),
        ("140105", 2016, 200),
        ("140105", 2017, 300),
    ]
    assert len(result.frame) == 7
    share = result.frame.loc[result.frame.year == 2018, "target_monetised_share"].item()
    assert share == pytest.approx(0.6)
    assert [p.reason for p in result.warnings] == ["比例按百分数理解（如 60 即 60%）"]


def test_yangquan_names_settled_by_the_user_or_by_the_unambiguous_rows():
    header = ["县区", "年度", "计划改造户数", "货币化安置目标比例"]
    data = xlsx({"Sheet": [header, ["城区", 2015, 1300, 0.4], ["矿区", 2015, 1300, 0.5]]})
    refused = read(data, "p.xlsx")
    assert [(p.row, p.column, p.value) for p in refused.errors] == [(2, "县区", "城区"), (3, "县区", "矿区")]
    assert "阳泉市/城区（140302）" in refused.errors[0].reason
    told = read(data, "p.xlsx", region="阳泉市")
    assert told.frame.region_code.tolist() == ["140302", "140303"]
    with_county = xlsx({"Sheet": [header, ["城区", 2015, 1300, 0.4], ["平定县", 2015, 900, 0.5]]})
    assert read(with_county, "p.xlsx").frame.region_code.tolist() == ["140302", "140321"]


def test_old_county_names_through_the_crosswalk_and_merged_units_are_added_up():
    data = xlsx(
        {
            "2015年12月": [
                ["长治市商品住房库存情况（2015年12月）"],
                ["县区", "可售套数", "可售面积（万平方米）", "销售套数", "销售面积（万平方米）", "均价"],
                ["城区", 100, 1.0, 10, 0.1, 6000],
                ["郊区", 300, 3.0, 30, 0.3, 5000],
                ["长治县", 50, 0.5, 5, 0.05, 4000],
            ]
        }
    )
    result = read(data, "长治2015.xlsx")
    assert result.ok
    got = result.frame.set_index("region_code")
    assert got.loc["140403", ["saleable_units", "saleable_area_m2", "sold_area_m2"]].tolist() == [
        400,
        40_000.0,
        4_000.0,
    ]
    # price weighted by the area sold: (6000 × 1000 + 5000 × 3000) / 4000 = 5250
    assert got.loc["140403", "avg_price_yuan_per_m2"] == pytest.approx(5250.0)
    assert got.loc["140404", "saleable_units"] == 50  # 长治县 → 上党区
    assert [(p.row, p.value) for p in result.warnings] == [(3, "城区、郊区")]


def test_households_roll_drops_personal_columns_and_hashes_ids_stably():
    header = [
        "序号",
        "户主姓名",
        "身份证号",
        "联系电话",
        "所在区县",
        "类型",
        "安置方式",
        "补偿款（万元）",
        "签约状态",
        "计划年度",
    ]
    body = [
        [
            1,
            "王建国",
            "140105198001011234",
            "13812345678",
            "小店区",
            "城中村",
            "货币化安置",
            "25.5",
            "已签约",
            "2016年",
        ],
        [2, "李秀英", "14010519750505432X", "13987654321", "小店区", "城中村", "产权调换", "", "未签约", "2016年"],
    ]
    data = csv_bytes([header, *body], "gbk")
    first = read(data, "roll.csv")
    assert first.ok and first.kind == "households"
    assert first.dropped_personal == ["户主姓名", "联系电话", "身份证号"]
    assert first.frame.compensation_yuan.tolist()[0] == 255_000.0
    assert first.frame.plan_year.tolist() == [2016, 2016]
    ids = first.frame.household_id.tolist()
    assert all(i.startswith("HH-") for i in ids) and len(set(ids)) == 2
    assert read(data, "roll.csv").frame.household_id.tolist() == ids  # same key, same ids: no duplicates
    assert ingest(data, "roll.csv", REG, id_key=b"x" * 32).frame.household_id.tolist() != ids
    dumped = first.frame.to_csv() + " ".join(p.text() for p in first.problems)
    for secret in ("王建国", "李秀英", "140105198001011234", "14010519750505432X", "13812345678"):
        assert secret not in dumped


def test_an_id_card_number_typed_as_the_household_number_is_replaced():
    data = csv_bytes(
        [
            ["户编号", "区县", "棚户区类型", "安置方式", "签约状态", "计划年度"],
            ["140105198001011234", "小店区", "城市棚户区", "未定", "未签约", 2016],
        ]
    )
    result = read(data, "roll.csv", kind="households")
    assert result.frame.household_id.item().startswith("HH-")
    assert [p.reason.split("，")[0] for p in result.warnings] == ["1 行的户编号是身份证号、手机号、银行卡号或姓名"]
    assert "140105198001011234" not in " ".join(p.text() for p in result.problems)


def test_a_roll_with_no_county_column_takes_the_county_from_the_title():
    data = xlsx(
        {
            "花名册": [
                ["小店区2016年棚户区改造安置花名册"],
                ["协议编号", "户主姓名", "棚户区类型", "安置方式", "货币化安置方式", "补偿金额（元）", "签约状态"],
                ["XD-001", "赵某", "城中村", "货币化安置", "平台选购", "300,000", "已签约"],
            ]
        }
    )
    result = read(data, "x.xlsx")
    assert rows(result, "household_id", "region_code", "plan_year", "channel") == [
        ("140105-XD-001", "140105", 2016, "platform_purchase")  # a county's own number, kept per county
    ]


# -- every problem, named by its cell -------------------------------------------------------------
def test_every_problem_at_once_with_sheet_excel_row_header_as_written_and_value():
    data = xlsx(
        {
            "1月": [
                ["XX市商品住房库存（2016年1月）"],
                ["县区", "可售套数", "可售面积（平方米）", "当月销售套数", "当月销售面积（平方米）", "均价"],
                ["小店区", 100, 10000, 5, 500, 7000],
                ["火星区", 100, 10000, 5, 500, 7000],
                ["迎泽区", -3, 10000, 5, 500, 7000],
                ["小店区", 100, 10000, 5, 500, 7000],
                ["晋源区", "很多", 10000, 5, 500, 7000],
            ]
        }
    )
    result = read(data, "bad.xlsx")
    assert not result.ok
    assert [(p.sheet, p.row, p.column, p.value) for p in result.errors] == [
        ("1月", 4, "县区", "火星区"),
        ("1月", 5, "可售套数", "-3"),
        ("1月", 6, "县区、统计月份", "140105 / 2016-01"),
        ("1月", 7, "可售套数", "很多"),
    ]  # in the file's order
    reasons = [p.reason for p in result.errors]
    assert reasons[0].startswith("未知地区") and reasons[1] == "不能为负数" and reasons[3] == "不是数字"
    assert "第 3 行重复" in reasons[2]


def test_rolls_and_plans_rules():
    roll = csv_bytes(
        [
            ["户编号", "区县", "类别", "安置方式", "补偿金额", "签约状态", "计划年度"],
            ["A1", "小店区", "城中村", "货币化安置", "", "已签约", 2016],
            ["A2", "小店区", "城中村", "搬去月球", "1", "已签约", 2016],
        ]
    )
    r = read(roll, "roll.csv")
    assert [(p.row, p.column, p.value, p.reason[:8]) for p in r.errors] == [
        (2, "补偿金额", "", "货币化安置户缺少"),
        (3, "安置方式", "搬去月球", "不是可识别的安置"),
    ]
    plans = csv_bytes([["县区", "年度", "计划户数", "货币化比例"], ["小店区", "2016年", 100, "120%"]])
    p = read(plans, "plan.csv")
    assert [(e.row, e.column, e.value, e.reason) for e in p.errors] == [(2, "货币化比例", "120%", "比例超过 100%")]


def test_a_month_outside_the_range_is_an_error():
    data = csv_bytes(
        [
            ["县区", "统计月份", "可售面积", "可售套数", "销售面积", "销售套数", "均价"],
            ["小店区", "2099-01", 1, 1, 1, 1, 1000],
        ]
    )
    result = read(data, "x.csv")
    assert [(p.row, p.column, p.value) for p in result.errors] == [(2, "统计月份", "2099-01")]


def test_missing_month_and_missing_columns_are_named():
    no_month = csv_bytes(
        [["县区", "可售面积", "可售套数", "销售面积", "销售套数", "均价"], ["小店区", 1, 1, 1, 1, 1000]]
    )
    r = read(no_month, "x.csv")
    assert [(p.row, p.column) for p in r.errors] == [(None, "统计月份")]
    assert "--period" in r.errors[0].reason
    assert read(no_month, "x.csv", period="2016-05").frame.period.tolist() == ["2016-05"]
    no_sales = csv_bytes([["县区", "统计月份", "可售面积", "可售套数", "均价"], ["小店区", "2016-01", 1, 1, 1000]])
    r = read(no_sales, "x.csv", kind="inventory")
    assert [p.column for p in r.errors] == ["当月销售面积"]  # sold units are optional: a note
    assert all(p.row is None for p in r.errors)
    assert any(p.column == "当月销售套数" and p.severity == "note" for p in r.problems)


def test_areas_that_look_like_wan_m2_without_saying_so_get_a_warning():
    data = csv_bytes(
        [
            ["县区", "统计月份", "可售面积", "可售套数", "销售面积", "销售套数", "均价"],
            ["小店区", "2016-01", 34.5, 3290, 1.2, 117, 7000],
        ]
    )
    result = read(data, "x.csv")
    assert result.ok and [(p.row, p.column) for p in result.warnings] == [(2, "可售面积")]
    assert "万平方米" in result.warnings[0].reason


@pytest.mark.parametrize(
    ("data", "name", "message"),
    [
        (b"%PDF-1.4", "a.pdf", "不支持的文件类型"),
        (b"PK\x03\x04 broken", "a.xlsx", "无法读取该 .xlsx 文件"),
        (b"", "a.csv", "文件是空的"),
        ("随便写点什么\n没有表头".encode(), "a.csv", "无法判断文件类型"),
        (b"\xff\xfe\x00\x00\x81", "a.csv", "编码"),
    ],
)
def test_unreadable_files_are_refused_with_one_chinese_message(data, name, message):
    with pytest.raises(RefusedFile) as exc:
        read(data, name)
    assert message in str(exc.value)


def test_absurd_sizes_are_refused_before_reading(monkeypatch):
    from analysis.ingest import precheck, reader

    monkeypatch.setattr(reader, "MAX_FILE_BYTES", 100)
    with pytest.raises(RefusedFile, match="文件过大"):
        read(b"x" * 101, "a.csv")
    monkeypatch.setattr(reader, "MAX_FILE_BYTES", 50 * 1024 * 1024)
    monkeypatch.setattr(precheck, "MAX_UNCOMPRESSED_BYTES", 1000)
    with pytest.raises(RefusedFile, match="解压后过大"):
        read(xlsx({"s": [["x" * 100] * 50] * 10}), "a.xlsx")
    monkeypatch.setattr(precheck, "MAX_UNCOMPRESSED_BYTES", 400 * 1024 * 1024)
    monkeypatch.setattr(precheck, "MAX_ROWS", 5)
    with pytest.raises(RefusedFile, match="行数过多"):
        read(xlsx({"s": [["县区", "可售面积"]] + [["小店区", 1]] * 10}), "a.xlsx")


def test_formulas_are_read_as_their_cached_values_and_a_missing_value_is_a_blank():
    import io

    import openpyxl

    wb = openpyxl.Workbook()
    ws = wb.active
    ws.append(["县区", "年度", "计划改造户数"])
    ws.append(["小店区", 2016, "=100+20"])  # openpyxl stores no cached value: read as blank
    buf = io.BytesIO()
    wb.save(buf)
    result = read(buf.getvalue(), "f.xlsx", kind="plans")
    assert [(p.row, p.column, p.reason) for p in result.errors] == [(2, "计划改造户数", "必填项为空")]


def test_an_unknown_name_comes_with_the_names_it_probably_meant():
    data = csv_bytes([["县区", "年度", "计划户数"], ["晋源县", 2016, 10], ["太原市小殿区", 2016, 10]])
    reasons = [p.reason for p in read(data, "p.csv", kind="plans").errors]
    assert reasons[0].endswith("是否为：晋源区？")
    assert "小店区" in reasons[1]


# -- quirks found by trying spreadsheets nobody on the team had seen ------------------------------
INV_HEADER = ["县区", "可售套数", "可售面积（万平方米）", "销售套数", "销售面积（万平方米）", "均价"]


def test_the_same_county_under_its_old_and_new_name_is_a_duplicate_not_a_merger():
    data = xlsx(
        {
            "Sheet": [
                ["长治市库存（2016年8月）"],
                INV_HEADER,
                ["长治县", 10, 1, 1, 0.1, 5000],
                ["上党区", 10, 1, 1, 0.1, 5000],
            ]
        }
    )
    result = read(data, "x.xlsx")
    assert [(p.row, p.value) for p in result.errors] == [(4, "140404 / 2016-08")]


def test_month_in_the_sheet_name_and_year_in_the_title():
    sheets = {f"{m}月": [["大同市商品住房库存（2015年）"], INV_HEADER, ["平城区", 10, 1, 1, 0.1, 5000]] for m in (1, 2)}
    assert read(xlsx(sheets), "x.xlsx").frame.period.tolist() == ["2015-01", "2015-02"]


def test_a_province_file_with_city_subtotals_and_breakdown_rows():
    rows = [
        ["山西省商品住房库存（2016年12月）"],
        ["序号", *INV_HEADER],
        [1, "小店区", 10, 1, 1, 0.1, 5000],
        [2, "迎泽区", 20, 2, 2, 0.2, 5000],
        [None, "其中：市区", 5, 0.5, 1, 0.1, 5000],
        [None, "太原市小计", 30, 3, 3, 0.3, None],
        [3, "平定县", 7, 0.7, 1, 0.1, 4000],
        [None, "阳泉市小计", 7, 0.7, 1, 0.1, None],
        [None, "全省合计", 37, 3.7, 4, 0.4, None],
    ]
    result = read(xlsx({"Sheet": rows}), "x.xlsx")
    assert result.ok and result.warnings == []
    assert result.frame.region_code.tolist() == ["140105", "140106", "140321"]


def test_cells_that_carry_their_own_unit_and_degrees():
    data = xlsx({"s": [["库存（2016年9月）"], INV_HEADER, ["朔城区", 10, "52.2万", 1, 0.1, 5000]]})
    assert read(data, "x.xlsx").frame.saleable_area_m2.tolist() == [522_000.0]  # not ×10,000 twice
    roll = csv_bytes(
        [
            ["户编号", "区县", "类别", "计划年度", "抗震设防烈度", "危险等级", "贫困户类型"],
            ["N1", "五台县", "农村危房", "2017年度", "8度", "D级", ""],
        ]
    )
    r = read(roll, "r.csv")
    # a rural roll resettles no one: no 安置方式 is asked for, none is made up
    assert rows(r, "seismic_intensity", "hazard_grade", "is_hardship", "mode") == [(8, "D", False, None)]


def test_hidden_sheets_are_not_read():
    import io

    import openpyxl

    wb = openpyxl.Workbook()
    ws = wb.active
    ws.title = "吕梁市"
    for r in (["吕梁市库存（2016年10月）"], INV_HEADER, ["离石区", 10, 1, 1, 0.1, 5000]):
        ws.append(r)
    copy = wb.copy_worksheet(ws)
    copy.sheet_state = "hidden"
    buf = io.BytesIO()
    wb.save(buf)
    result = read(buf.getvalue(), "x.xlsx")
    assert result.ok and len(result.frame) == 1
    assert [(p.sheet, p.reason[:7]) for p in result.warnings] == [(copy.title, "隐藏的工作表未")]


def test_price_headers_with_area_units_and_date_text_months():
    data = csv_bytes(
        [
            ["区县", "统计月份", "可售套数", "可售面积(㎡)", "网签套数", "网签面积(㎡)", "网签均价(元/㎡)"],
            ["辽中区", "2016/4/1", 10, 1000, 1, 100, 6000],
        ],
        "utf-8-sig",
    )
    assert rows(read(data, "x.csv"), "period", "sold_area_m2", "avg_price_yuan_per_m2") == [("2016-04", 100.0, 6000.0)]


def test_totals_in_the_number_column_remarks_in_brackets_and_short_autonomous_names():
    roll = xlsx(
        {
            "s": [
                ["序号", "户编号", "区县", "类别", "计划年度"],
                [1, "A1", "小店区（含开发区）", "城中村", 2016],
                ["合计", "", "1户", "", ""],
            ]
        }
    )
    assert read(roll, "r.xlsx").frame.region_code.tolist() == ["140105"]
    plans = csv_bytes([["县区", "年度", "计划户数"], ["本溪县", 2016, 10], ["桓仁县", 2016, 10]])
    assert read(plans, "p.csv").frame.region_code.tolist() == ["210521", "210522"]


def test_an_id_card_number_stored_as_a_number_is_still_recognised():
    data = xlsx(
        {
            "s": [
                ["户编号", "区县", "类别", "计划年度"],
                [140105198001011234, "小店区", "城中村", 2016],  # Excel keeps 15 significant digits
            ]
        }
    )
    result = read(data, "r.xlsx")
    assert result.frame.household_id.item().startswith("HH-")
    assert "14010519800101" not in result.frame.to_csv()


# -- a second round of unseen spreadsheets ---------------------------------------------------------
def test_a_tab_separated_text_with_a_title_line_and_utf16():
    lines = [
        "太原市商品住房库存（2016年5月）",
        "县区\t可售套数\t可售面积\t销售套数\t销售面积\t均价",
        "小店区\t10\t1000\t1\t100\t7000",
    ]
    text = "\r\n".join(lines)
    assert read(text.encode("utf-8"), "x.txt").frame.region_code.tolist() == ["140105"]
    assert read(text.encode("utf-16"), "x.txt").frame.saleable_area_m2.tolist() == [1000.0]


def test_opening_cumulative_and_non_residential_columns_are_not_the_months_figures():
    header = [
        "县区",
        "期初可售套数",
        "期末可售套数",
        "期末可售面积",
        "累计销售套数",
        "本月网签套数",
        "本月网签面积",
        "均价",
    ]
    data = xlsx({"s": [["库存（2016年8月）"], header, ["榆次区", 900, 1000, 100000, 5000, 12, 1200, 6000]]})
    assert rows(read(data, "x.xlsx"), "saleable_units", "sold_units") == [(1000, 12)]
    grouped = [
        ["库存（2016年11月）"],
        ["县区", "商品房合计", None, "其中：住宅", None, "非住宅", None, "住宅销售", None, "均价"],
        [None, "可售套数", "可售面积", "可售套数", "可售面积", "可售套数", "可售面积", "套数", "面积", None],
        ["榆次区", 999, 99999, 100, 10000, 899, 89999, 5, 500, 6000],
    ]
    merges = ["B2:C2", "D2:E2", "F2:G2", "H2:I2"]
    assert rows(read(xlsx({"s": grouped}, {"s": merges}), "x.xlsx"), "saleable_units", "saleable_area_m2") == [
        (100, 10000.0)
    ]


def test_pingmi_units_and_a_wide_table_with_one_column_group_per_month():
    data = xlsx(
        {
            "s": [
                ["库存（2017年4月）"],
                ["县区", "可售套数", "可售面积（万平米）", "销售套数", "销售面积（平米）", "均价（元/平米）"],
                ["盐湖区", 10, 0.1, 1, 100, 5000],
            ]
        }
    )
    assert rows(read(data, "x.xlsx"), "saleable_area_m2", "sold_area_m2") == [(1000.0, 100.0)]
    wide = [
        ["大连市商品住房库存（2016年）"],
        ["县区", "1月", None, None, None, None, "2月", None, None, None, None],
        [None, *["可售套数", "可售面积", "销售套数", "销售面积", "均价"] * 2],
        ["中山区", 10, 1000, 1, 100, 9000, 11, 1100, 2, 200, 9100],
    ]
    result = read(xlsx({"s": wide}, {"s": ["B2:F2", "G2:K2"]}), "x.xlsx")
    assert rows(result, "period", "saleable_units", "sold_area_m2") == [("2016-01", 10, 100.0), ("2016-02", 11, 200.0)]


def test_years_typed_as_numbers_over_a_wide_plan_table():
    data = xlsx({"s": [["县区", 2015, 2016, 2017], ["小店区", 100, 200, 300]]})
    assert rows(read(data, "p.xlsx", kind="plans"), "year", "planned_households") == [
        (2015, 100),
        (2016, 200),
        (2017, 300),
    ]


def test_a_county_merged_down_over_its_households():
    data = xlsx(
        {
            "s": [
                ["户编号", "县区", "类别", "计划年度"],
                ["A1", "平城区", "城中村", 2016],
                ["A2", None, "城中村", 2016],
                ["A3", "云冈区", "城中村", 2016],
            ]
        },
        {"s": ["B2:B3"]},
    )
    assert read(data, "r.xlsx").frame.region_code.tolist() == ["140213", "140213", "140214"]


def test_files_that_are_not_what_their_name_says_are_named_for_what_they_are():
    with pytest.raises(RefusedFile, match="网页（HTML）"):
        read(b"<html><body><table><tr><td>1</td></tr></table></body></html>", "x.xls")
    ole = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + "EncryptedPackage".encode("utf-16-le") + b"\x00" * 100
    with pytest.raises(RefusedFile, match="密码"):
        read(ole, "x.xlsx")


def test_codes_written_with_names_and_development_zones():
    data = csv_bytes(
        [["县区", "年度", "计划户数"], ["140105 小店区", 2016, 1], ["140108-尖草坪区", 2016, 1], ["高新区", 2016, 1]]
    )
    result = read(data, "p.csv", kind="plans")
    assert result.frame.region_code.tolist()[:2] == ["140105", "140108"]
    assert "开发区、园区等不是行政区划" in result.errors[0].reason


def test_a_county_of_another_city_says_where_it_is():
    data = csv_bytes([["县区", "年度", "计划户数"], ["矿区", 2016, 1]])
    reason = read(data, "p.csv", kind="plans", region="长治市").errors[0].reason
    assert reason.startswith("长治市没有这个县（市、区），它在 大同市/云冈区（140214）、阳泉市/矿区（140303）")


def test_two_counties_numbering_their_households_001_do_not_replace_each_other(data_dir):
    from analysis.store import Store

    store = Store(data_dir)
    for county in ("小店区", "迎泽区"):
        roll = csv_bytes(
            [["户编号", "区县", "类别", "计划年度"], ["001", county, "城中村", 2016], ["002", county, "城中村", 2016]]
        )
        result = read(roll, "r.csv")
        assert [p.reason[:9] for p in result.warnings] == ["户编号像是序号（0"]
        store.commit({"households": result.frame}, file_name=f"{county}.csv")
    con = all_tables(store)
    assert con.execute("SELECT count(*) FROM households").fetchone() == (4,)
    con.close()


def test_roll_value_variants_clerks_write():
    roll = csv_bytes(
        [
            [
                "户编号",
                "区县",
                "棚户区类型",
                "安置方式",
                "签约奖励（元）",
                "签约状态",
                "困难类型",
                "抗震设防烈度",
                "计划年度",
            ],
            ["A1", "小店区", "国有林区棚户区改造", "就地安置", "5000", "已签订协议", "五保户", "Ⅷ度", 2016],
            ["A2", "小店区", "国有工矿棚户区改造", "房票安置", "5000", "已交房", "无", "7度（0.15g）", 2016],
        ]
    )
    r = read(roll, "r.csv")
    assert rows(r, "category", "mode", "status", "is_hardship", "seismic_intensity") == [
        ("forestry", "in_kind", "signed", True, 8),
        ("state_mining", "monetised", "relocated", False, 7),
    ]


def test_footers_with_names_and_phones_never_reach_a_message():
    roll = xlsx(
        {
            "s": [
                ["代县2017年农村危房改造花名册"],
                ["户编号", "危房等级", "补助金额（元）", "计划年度"],  # no 类别: the title says 农村危房
                ["N1", "D级危房", 10000, 2017],
                ["村委会（盖章）    经办人：王某某    联系电话：15712345678"],
            ]
        },
        {"s": ["A4:D4"]},
    )
    r = read(roll, "r.xlsx")
    assert rows(r, "household_id", "region_code", "hazard_grade", "category") == [
        ("140923-N1", "140923", "D", "rural_dilapidated")
    ]
    assert "15712345678" not in " ".join(p.text() for p in r.problems)
    from analysis.ingest.problems import Problem

    assert "13912345678" not in Problem("s", 1, "c", "电话13912345678", "x").text()


def test_a_compensation_group_over_its_parts_takes_the_total():
    data = xlsx(
        {
            "s": [
                ["户编号", "县区", "类别", "计划年度", "安置方式", "补偿款（万元）", None, None],
                [None, None, None, None, None, "房屋补偿", "奖励", "合计"],
                ["B1", "朔城区", "城中村", 2016, "货币化安置", 22.47, 2.3, 24.77],
            ]
        },
        {"s": ["A1:A2", "B1:B2", "C1:C2", "D1:D2", "E1:E2", "F1:H1"]},
    )
    assert rows(read(data, "r.xlsx"), "compensation_yuan") == [(247_700.0,)]


def test_the_month_the_user_gives_is_read_like_a_cell_or_refused():
    data = csv_bytes([["县区", "可售面积", "可售套数", "销售面积", "销售套数", "均价"], ["小店区", 1, 1, 1, 1, 1000]])
    assert read(data, "x.csv", period="2016/6").frame.period.tolist() == ["2016-06"]
    with pytest.raises(RefusedFile, match="统计月份无法识别"):
        read(data, "x.csv", period="六月")


def test_a_name_or_bank_card_typed_as_the_household_number_is_hashed_never_kept():
    roll = csv_bytes(
        [
            ["县区", "户编号", "安置方式", "计划年度"],
            ["小店区", "张三", "货币化安置", 2016],
            ["小店区", "6222021234567890123", "货币化安置", 2016],
            ["小店区", "XD-2016-003", "实物安置", 2016],
        ]
    )
    r = read(roll, "roll.csv", kind="households")
    assert r.ok, [p.text() for p in r.problems]
    ids = r.frame.household_id.tolist()
    assert ids[0].startswith("HH-") and ids[1].startswith("HH-") and ids[2] == "140105-XD-2016-003"  # scoped by county
    everything = r.frame.to_csv() + " ".join(p.text() for p in r.problems)
    assert "张三" not in everything and "6222021234567890123" not in everything
