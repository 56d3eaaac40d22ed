"""Where the table ends: data rows, 合计 / 小计 rows kept aside, 栏次 rows, footers and notes dropped."""

from __future__ import annotations

import re

from analysis.ingest.layout.header import COLUMN_NUMBERS
from analysis.ingest.layout.places import city_names
from analysis.ingest.limits import MAX_NAME_CHARS
from analysis.ingest.problems import RefusedFile
from analysis.ingest.reader import Sheet
from analysis.ingest.values import clean_text, is_blank

TOTAL_ROW = re.compile(r"(合计|总计|共计|汇总|小计)$|^(合计|总计|共计|小计)")  # 全市合计, 太原市小计, 合计（万）


SUBTOTAL_ROW = re.compile(r"市辖区|市区")


SECTION_ROW = re.compile(r"^([一二三四五六七八九十]+[、.．]|[（(][一二三四五六七八九十]+[)）])")


FOOTER_ROW = re.compile(
    r"^(填表人|填报人|制表人|制表|审核人|审核|负责人|单位负责人|统计负责人|分管领导|填报日期|报送日期|联系电话"
    r"|联系人|说明|填表说明|注[:：]|注\d|备注[:：]|附注|数据来源|经办人|村委会|居委会|户主签字|签字|盖章"
    r"|填表单位|填报单位|报送单位|统计单位|单位名称[:：]|统计口径|口径[:：]|资料来源|领导签字|主管领导|报出日期)"
    r"|经办人[:：]|联系电话[:：]|（盖章）|\(盖章\)"
)


# an office signing the return with its date: 营口市住房和城乡建设委员会　2015年3月, XX县住建局 2016.7
OFFICE_DATE = re.compile(
    r"(局|委员会|委|政府|办公室|办|中心|厅|处|科|所|站|公司)\s*[（(]?(盖章)?[)）]?\s*"
    r"(\d{4}\s*年(\s*\d{1,2}\s*月)?(\s*\d{1,2}\s*日)?|\d{4}[-/.．]\d{1,2}([-/.．]\d{1,2})?)\s*$"
)


def too_long(sheet: Sheet, row: int, column: str, chars: int, what: str) -> RefusedFile:
    return RefusedFile(
        f"工作表「{sheet.name}」第 {row} 行「{column}」列：{what}长达 {chars:,} 个字符，"
        f"不可能是{what}（上限 {MAX_NAME_CHARS:,} 个字符），已拒绝"
    )


def body_rows(sheet, header, region_idx, registry, city, numeric: set[int] | None = None) -> tuple[list, list, list]:
    """Data rows as ``(excel_row, cells)``, total rows as ``(excel_row, cells, label, rows_before)``, and the
    lines that are no data (sign-off, notes, a place with no number) as ``(excel_row, text)``.

    A data row has a place and at least one number in the ``numeric`` columns (when given)."""
    body: list[tuple[int, list[object]]] = []
    totals: list[tuple[int, list[object], str, int]] = []
    dropped: list[tuple[int, str]] = []
    width = max([0, *(j for j, _ in header.columns.values()), *header.years, *header.personal]) + 1
    numbered = False
    own_names = city_names(registry, city)
    fill = _merged_below(sheet, header.end)
    for i in range(header.end + 1, len(sheet.rows)):
        raw = list(sheet.rows[i]) + [None] * max(0, width - len(sheet.rows[i]))
        for j in range(len(raw)):
            if (i, j) in fill and is_blank(raw[j]):
                raw[j] = fill[(i, j)]  # a county or project merged down over its households
        texts = [re.sub(r"\s+", "", clean_text(c)) for c in raw]
        filled = [t for t in texts if t and not is_blank(t)]
        if not filled:
            continue
        if not numbered and not body and all(COLUMN_NUMBERS.match(t) for t in filled) and len(filled) >= 2:
            numbered = True  # the 栏次 row numbering the columns
            continue
        label = texts[region_idx] if region_idx is not None else ""
        if len(label) > MAX_NAME_CHARS:  # no place is named so (and matching it would take long)
            written = next(w for j, w in header.columns.values() if j == region_idx)
            raise too_long(sheet, i + 1, written, len(label), "地区名称")
        lead = [t for t in texts[: (region_idx or 0) + 1] if t]  # 序号 and the county cell
        first = filled[0]
        if (FOOTER_ROW.match(first) or OFFICE_DATE.search(" ".join(filled))) and not registry.match(first).codes:
            dropped += _rest(sheet, i, width)  # the sign-off and everything below it
            break
        total = next((t for t in lead if TOTAL_ROW.search(t)), None)
        if total or (label and label in own_names):
            totals.append((i + 1, raw, total or "合计", len(body)))
            continue
        if label.startswith("其中"):
            rest = re.sub(r"^其中[:：,，、]?", "", label)
            if not registry.match(rest, context=city).codes:
                continue  # 其中：市区 breaks the row above down: not a county, nothing to add
            label = raw[region_idx] = rest
        if SUBTOTAL_ROW.fullmatch(label):
            totals.append((i + 1, raw, "小计", len(body)))
            continue
        if label and not registry.match(label, context=city).codes and registry.match(label, level="city").code:
            totals.append((i + 1, raw, "市级汇总行", len(body)))  # a city's own row in a province file
            continue
        if SECTION_ROW.match(label) and len(filled) <= 2:
            continue
        if region_idx is not None and not label and len(filled) == 1 and len(first) > 12:
            dropped.append((i + 1, first))
            continue  # a note written across the row
        if numeric and not any(_is_number(raw[j]) for j in numeric if j < len(raw)):
            dropped.append((i + 1, "　".join(filled)))
            continue  # a place with no figure at all: no data row (a footer of unknown wording, a blank return)
        body.append((i + 1, raw))
    return body, totals, dropped


def _rest(sheet: Sheet, start: int, width: int) -> list[tuple[int, str]]:
    out = []
    for i in range(start, min(len(sheet.rows), start + 50)):
        texts = [clean_text(c) for c in list(sheet.rows[i])[:width] if not is_blank(c)]
        if texts:
            out.append((i + 1, "　".join(texts)))
    return out


def _is_number(value: object) -> bool:
    if isinstance(value, bool) or value is None:
        return False
    if isinstance(value, int | float):
        return value == value
    text = re.sub(r"[,，\s]", "", clean_text(value))
    return bool(re.fullmatch(r"[+-]?\d+(\.\d+)?(%|万|亿|度|万元|元|户|套)?", text))


def _merged_below(sheet: Sheet, header_end: int) -> dict[tuple[int, int], object]:
    """The value of each merged range below the header, for every cell it covers."""
    fill: dict[tuple[int, int], object] = {}
    for r0, c0, r1, c1 in sheet.merged:
        if r0 <= header_end or r0 >= len(sheet.rows) or (r1 - r0 + 1) * (c1 - c0 + 1) > 100_000:
            continue
        row = sheet.rows[r0]
        value = row[c0] if c0 < len(row) else None
        for r in range(r0, r1 + 1):
            for c in range(c0, c1 + 1):
                fill[(r, c)] = value
    return fill


def cells_of(raw: list[object], cols: dict[str, tuple[int, str]]) -> dict[str, object]:
    return {c: (raw[j] if 0 <= j < len(raw) else None) for c, (j, _) in cols.items()}
