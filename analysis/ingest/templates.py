"""Blank templates analysts fill in: Chinese headers with units, and a 说明 sheet for every column."""

from __future__ import annotations

import io
from functools import lru_cache

from analysis.catalogue import columns, kind_label
from analysis.schema import TABLES

# the header of each column in a template (the unit written as the reader expects it)
TEMPLATE_HEADERS = {
    "region_code": "县（市、区）",
    "period": "统计月份",
    "saleable_units": "可售套数（套）",
    "saleable_area_m2": "可售面积（平方米）",
    "sold_units": "当月销售套数（套）",
    "sold_area_m2": "当月销售面积（平方米）",
    "avg_price_yuan_per_m2": "成交均价（元/平方米）",
    "new_permit_area_m2": "新增预售许可面积（平方米）",
    "unallocated_affordable_units": "未分配保障性住房套数（套）",
    "unallocated_affordable_area_m2": "未分配保障性住房面积（平方米）",
    "household_id": "户编号",
    "project": "项目名称",
    "category": "棚户区类型",
    "plan_year": "计划年度",
    "members": "家庭人口（人）",
    "original_area_m2": "原住房面积（平方米）",
    "is_hardship": "困难家庭（是/否）",
    "mode": "安置方式",
    "channel": "货币化安置方式",
    "compensation_yuan": "补偿金额（元）",
    "status": "签约状态",
    "purchased_area_m2": "购房面积（平方米）",
    "hazard_grade": "危险等级",
    "seismic_intensity": "抗震设防烈度",
    "signed_month": "签约日期",
    "relocated_month": "搬迁日期",
    "resettled_month": "安置（回迁、交房）日期",
    "year": "年度",
    "planned_households": "计划改造户数（户）",
    "target_monetised_share": "货币化安置目标比例（%）",
}
EXAMPLES = {
    "region_code": "小店区 或 140105",
    "period": "2016-01 或 2016年1月",
    "year": "2016",
    "plan_year": "2016",
    "signed_month": "2016-03-15 或 2016年3月（按月统计进度）",
    "relocated_month": "2016-05-20 或 2016年5月",
    "resettled_month": "2016-11-30 或 2016年11月",
    "target_monetised_share": "60 或 60%",
    "is_hardship": "是 / 否",
    "hazard_grade": "C / D",
    "seismic_intensity": "7",
}
COMMON_NOTES = [
    "地区（县、市、区）可写名称（小店区、太原市小店区）或 6 位行政区划代码。",
    "“合计”“小计”行、标题行、单位行、填表人等落款行可以保留，系统会自动识别并跳过（合计行用于核对）。",
    "数字可带千分位逗号；没有数据的格子可留空或填“—”。面积单位如为万平方米，请在表头写明，如“可售面积（万平方米）”。",
    "个人信息（姓名、身份证号、电话、银行账号）不要填写；即使填写，系统也会在读取时丢弃，不会保存。",
]
KIND_NOTES = {
    "inventory": [
        "每县每月一行；统计月份可写在“统计月份”列，也可写在工作表名或标题中（如“2016年1月”）。",
    ],
    "households": [
        "一户一行；户编号为本县内唯一的协议编号或档案编号。没有编号时留空，系统会生成不可逆的编码。",
        "货币化安置户须填写补偿金额。",
    ],
    "plans": ["每县每年一行；也可以按年份分列（2015年 | 2016年 | 2017年），系统会自动转换。"],
}


@lru_cache(maxsize=8)
def template_bytes(kind: str) -> bytes:
    """An .xlsx with a 填报 sheet (headers only) and a 说明 sheet describing every column."""
    from openpyxl import Workbook
    from openpyxl.styles import Alignment, Font, PatternFill
    from openpyxl.worksheet.datavalidation import DataValidation

    table = TABLES[kind]
    wb = Workbook()
    ws = wb.active
    ws.title = "填报"
    headers = [TEMPLATE_HEADERS[c] for c in table.column_names]
    ws.append(headers)
    for j, col in enumerate(table.column_names, start=1):
        cell = ws.cell(row=1, column=j)
        cell.font = Font(bold=True, color="B00020" if col in table.required else "000000")
        cell.fill = PatternFill("solid", fgColor="F2F2F2")
        cell.alignment = Alignment(wrap_text=True, vertical="center")
        ws.column_dimensions[cell.column_letter].width = max(12, len(headers[j - 1]) * 2 + 2)
        if columns()[col].values:
            choices = ",".join(columns()[col].values.values())
            if len(choices) < 250:
                dv = DataValidation(type="list", formula1=f'"{choices}"', allow_blank=True)
                dv.add(f"{cell.column_letter}2:{cell.column_letter}5000")
                ws.add_data_validation(dv)
    ws.freeze_panes = "A2"

    notes = wb.create_sheet("说明")
    notes.append([f"{kind_label(kind)}填报模板说明"])
    notes["A1"].font = Font(bold=True, size=14)
    for line in COMMON_NOTES + KIND_NOTES[kind]:
        notes.append([line])
    notes.append([])
    notes.append(["列名", "含义", "单位", "必填", "可填写的值或示例"])
    for c in range(1, 6):
        notes.cell(row=notes.max_row, column=c).font = Font(bold=True)
    for col in table.column_names:
        term = columns().get(col)
        allowed = "、".join(term.values.values()) if term and term.values else EXAMPLES.get(col, "")
        notes.append(
            [
                TEMPLATE_HEADERS[col],
                (term.formula or term.label) if term else col,
                {"share": "%"}.get(term.unit, term.unit) if term else "",
                "是（红色表头）" if col in table.required else "否",
                allowed,
            ]
        )
    for letter, width in zip("ABCDE", (30, 50, 10, 14, 60)):
        notes.column_dimensions[letter].width = width
    buf = io.BytesIO()
    wb.save(buf)
    return buf.getvalue()


def template_name(kind: str) -> str:
    return f"{kind_label(kind)}填报模板.xlsx"
