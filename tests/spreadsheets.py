"""Build messy county spreadsheets in code (no binaries in the repo): xlsx with merged cells, legacy
xls, CSV in UTF-8, UTF-8 with BOM or GBK."""

from __future__ import annotations

import csv
import io

import openpyxl


def xlsx(sheets: dict[str, list[list[object]]], merges: dict[str, list[str]] | None = None) -> bytes:
    """A workbook: sheet name → rows (None for an empty cell); ``merges`` sheet → ['A1:H1', …]."""
    wb = openpyxl.Workbook()
    wb.remove(wb.active)
    for name, rows in sheets.items():
        ws = wb.create_sheet(name)
        for row in rows:
            ws.append(row)
        for ref in (merges or {}).get(name, []):
            ws.merge_cells(ref)
    buf = io.BytesIO()
    wb.save(buf)
    return buf.getvalue()


def xls(
    sheets: dict[str, list[list[object]]], merges: dict[str, list[tuple[int, int, int, int]]] | None = None
) -> bytes:
    """A legacy .xls (BIFF8) through xlwt; ``merges`` as (r1, r2, c1, c2), 0-based inclusive."""
    import xlwt

    wb = xlwt.Workbook(encoding="utf-8")
    for name, rows in sheets.items():
        ws = wb.add_sheet(name)
        merged = (merges or {}).get(name, [])
        covered = {(r, c) for r1, r2, c1, c2 in merged for r in range(r1, r2 + 1) for c in range(c1, c2 + 1)}
        starts = {(r1, c1): (r1, r2, c1, c2) for r1, r2, c1, c2 in merged}
        for i, row in enumerate(rows):
            for j, value in enumerate(row):
                if (i, j) in starts:
                    ws.write_merge(*starts[(i, j)], value)
                elif (i, j) in covered or value is None:
                    continue
                else:
                    ws.write(i, j, value)
    buf = io.BytesIO()
    wb.save(buf)
    return buf.getvalue()


def csv_bytes(rows: list[list[object]], encoding: str = "utf-8") -> bytes:
    buf = io.StringIO()
    csv.writer(buf).writerows([["" if v is None else v for v in r] for r in rows])
    return buf.getvalue().encode(encoding)


# -- the family, in the shapes domain.md describes ------------------------------------------------
CHANGZHI_ROWS = [
    ["长治市商品住房库存情况统计表（2017年6月）", None, None, None, None, None, None, None],
    ["填报单位（盖章）：长治市住房和城乡建设局", None, None, None, None, None, "单位：套、万平方米、元/平方米", None],
    ["县（区）", "可售商品住房", None, "当月销售", None, None, "未分配保障房（套）", "备注"],
    [None, "套数", "面积", "套数", "面积", "均价", None, None],
    ["栏次", "1", "2", "3", "4", "5", "6", "7"],
    ["合计", "5,000", 51.5, 430, 4.3, None, 30, None],
    ["潞 州 区", "3,290", " 34.55 ", 117, 1.17, 6566, 0, None],
    ["长治市屯留区", 1710, 16.95, 313, 3.13, "5397", "—", None],
    ["", None, None, None, None, None, None, None],
    ["填表人：张某      审核人：李某      联系电话：13912345678", None, None, None, None, None, None, None],
    ["说明：1. 可售面积指已取得预售许可尚未售出的商品住房面积。", None, None, None, None, None, None, None],
]
CHANGZHI_MERGES = ["A1:H1", "A3:A4", "B3:C3", "D3:F3", "G3:G4", "H3:H4"]
