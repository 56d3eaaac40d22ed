"""Reading bytes into sheets of raw cells: .xlsx / .xls through python-calamine, .csv in UTF-8 or GBK.

Formulas come back as their cached values and macros are never run (calamine only reads cells). What a
workbook would take is checked before calamine loads it (:mod:`analysis.ingest.precheck`), and no cell
may hold more text than Excel allows (32,767 characters).
"""

from __future__ import annotations

import csv
import io
from dataclasses import dataclass

import analysis.ingest.precheck as precheck
from analysis.ingest.limits import MAX_CELL_CHARS, MAX_ROWS, Limits
from analysis.ingest.precheck import MAX_UNCOMPRESSED_BYTES, column_letters
from analysis.ingest.problems import RefusedFile

__all__ = ["MAX_FILE_BYTES", "MAX_ROWS", "MAX_UNCOMPRESSED_BYTES", "Sheet", "read_sheets"]

MAX_FILE_BYTES = 50 * 1024 * 1024
ENCODINGS = ("utf-8-sig", "gb18030")
csv.field_size_limit(MAX_FILE_BYTES)  # a long field is read, then refused by its length, naming its cell


@dataclass(frozen=True)
class Sheet:
    name: str
    rows: list[list[object]]  # row i is Excel row i + 1
    merged: tuple[tuple[int, int, int, int], ...] = ()  # (first_row, first_col, last_row, last_col), 0-based
    hidden: bool = False  # hidden in Excel: not read (a clerk's scratch copy or a list of choices)


def read_sheets(data: bytes, file_name: str, limits: Limits | None = None) -> list[Sheet]:
    """Every sheet of the file as lists of cell values; refuses what cannot or should not be read."""
    limits = limits or Limits.from_env()
    if len(data) > MAX_FILE_BYTES:
        raise RefusedFile(
            f"文件过大（{len(data) / 1e6:.1f} MB），上限为 {MAX_FILE_BYTES // 1024 // 1024} MB；请按市或按月拆分后上传"
        )
    if not data:
        raise RefusedFile("文件是空的")
    suffix = file_name.lower().rsplit(".", 1)[-1] if "." in file_name else ""
    if suffix in ("xlsx", "xlsm", "xls"):
        _check_disguise(data)
    if suffix in ("xlsx", "xlsm") or (suffix == "xls" and data.startswith(b"PK")):  # a workbook renamed .xls
        precheck.check_xlsx(data, limits)
        return _read_workbook(data, limits)
    if suffix == "xls":
        if not data.startswith(OLE_SIGNATURE):  # calamine reads by content: nothing it was not checked for
            raise RefusedFile("无法读取该 .xls 文件（文件已损坏或并非 Excel 工作簿）")
        precheck.check_xls(data, limits)
        return _read_workbook(data, limits)
    if suffix in ("csv", "txt"):
        return [_read_csv(data, file_name, limits)]
    raise RefusedFile(f"不支持的文件类型「.{suffix}」：请上传 .xlsx、.xls 或 .csv 文件")


OLE_SIGNATURE = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"  # legacy .xls, and also password-protected .xlsx


def _check_disguise(data: bytes) -> None:
    """Files that are not what their name says, with a message that says what they are."""
    head = data[:2048].lstrip().lower()
    if head.startswith((b"<html", b"<!doctype", b"<table", b"<?xml")) or b"<html" in head[:512]:
        raise RefusedFile("该文件实际是网页（HTML）格式，并非 Excel 工作簿：请用 Excel 打开后「另存为」.xlsx 再上传")
    if data.startswith(OLE_SIGNATURE) and b"EncryptedPackage" in data.replace(b"\x00", b"")[:200_000]:
        raise RefusedFile("该工作簿设置了打开密码（已加密）：请在 Excel 中取消密码后另存，再上传")


def _read_workbook(data: bytes, limits: Limits) -> list[Sheet]:
    from python_calamine import CalamineWorkbook

    try:
        wb = CalamineWorkbook.from_filelike(io.BytesIO(data))
    except Exception as exc:  # calamine raises its own error types for corrupt files
        raise RefusedFile("无法读取该 Excel 文件（文件已损坏、加密或格式不符）") from exc
    sheets = []
    total_rows = 0
    hidden = {m.name for m in getattr(wb, "sheets_metadata", []) if not str(m.visible).endswith(".Visible")}
    for name in wb.sheet_names:
        if name in hidden:
            sheets.append(Sheet(name, [], (), hidden=True))
            continue
        try:
            ws = wb.get_sheet_by_name(name)
            end = ws.end or (-1, -1)  # the block from A1 that to_python builds
            height, width = end[0] + 1, end[1] + 1
            if height > MAX_ROWS:
                raise RefusedFile(f"工作表「{name}」行数过多（{height:,} 行），上限 {MAX_ROWS:,} 行")
            if height * width > limits.max_cells:
                raise RefusedFile(
                    f"工作表「{name}」从 A1 延伸到 {column_letters(width)}{height}，"
                    f"超过读取上限 {limits.max_cells:,} 个单元格，已拒绝"
                )
            rows = ws.to_python(skip_empty_area=False)
            merged = _merged_ranges(ws)
        except RefusedFile:
            raise
        except Exception as exc:
            raise RefusedFile(f"无法读取工作表「{name}」") from exc
        total_rows += len(rows)
        if total_rows > MAX_ROWS:
            raise RefusedFile(f"工作簿行数过多（超过 {MAX_ROWS:,} 行），请拆分后上传")
        if (
            sum((r1 - r0 + 1) * (min(c1, width - 1) - c0 + 1) for r0, c0, r1, c1 in merged if c0 < width)
            > limits.max_cells
        ):
            raise RefusedFile(f"工作表「{name}」的合并单元格覆盖的范围过大，超过读取上限，已拒绝")
        rows = [list(r) for r in rows]
        _check_texts(name, rows)
        sheets.append(Sheet(name, rows, merged))
    return sheets


def _check_texts(sheet: str, rows: list[list[object]]) -> None:
    """No cell holds more than Excel allows: such a text is no report's content (and slows everything)."""
    for i, row in enumerate(rows):
        if max((len(v) for v in row if v.__class__ is str), default=0) > MAX_CELL_CHARS:
            j = next(j for j, v in enumerate(row) if v.__class__ is str and len(v) > MAX_CELL_CHARS)
            raise RefusedFile(
                f"工作表「{sheet}」第 {i + 1} 行第 {j + 1} 列（单元格 {column_letters(j + 1)}{i + 1}）的文字长达 "
                f"{len(row[j]):,} 个字符，超过 Excel 单元格的上限（{MAX_CELL_CHARS:,} 个字符），不是正常的报表内容，已拒绝"
            )


def _merged_ranges(ws) -> tuple[tuple[int, int, int, int], ...]:
    try:
        ranges = ws.merged_cell_ranges or []
    except Exception:  # not every format reports them (the layout reader copes without)
        return ()
    return tuple((r0, c0, r1, c1) for (r0, c0), (r1, c1) in ranges)


def _read_csv(data: bytes, file_name: str, limits: Limits) -> Sheet:
    encodings = ENCODINGS
    if data.startswith((b"\xff\xfe", b"\xfe\xff")):  # Excel's "Unicode 文本" is UTF-16
        encodings = ("utf-16",)
    for encoding in encodings:
        try:
            text = data.decode(encoding)
            break
        except UnicodeDecodeError:
            continue
    else:
        raise RefusedFile("无法识别文件编码：请另存为 UTF-8 或 GBK 编码的 CSV")
    if "\x00" in text:
        raise RefusedFile("文件含有二进制内容，不是文本格式的 CSV")
    delimiter = _delimiter(text[:8192])
    lines = text.count("\n") + 1
    if lines > MAX_ROWS:
        raise RefusedFile(f"文件行数过多（{lines:,} 行），上限 {MAX_ROWS:,} 行")
    if text.count(delimiter) + lines > limits.max_cells:
        raise RefusedFile(
            f"文件的单元格过多（约 {text.count(delimiter) + lines:,} 个），超过读取上限 {limits.max_cells:,} 个，请拆分后上传"
        )
    try:
        rows = list(csv.reader(io.StringIO(text, newline=""), delimiter=delimiter))
    except csv.Error as exc:  # a stray carriage return or quote the csv module cannot place
        raise RefusedFile("CSV 文件格式有误（引号或换行不成对）：请在 Excel 中打开后另存为 CSV 再上传") from exc
    if len(rows) > MAX_ROWS:
        raise RefusedFile(f"文件行数过多（{len(rows):,} 行），上限 {MAX_ROWS:,} 行")
    name = file_name.rsplit("/", 1)[-1].rsplit(".", 1)[0]
    _check_texts(name, rows)
    return Sheet(name, rows)


def _delimiter(sample: str) -> str:
    """The separator most lines use (a title line above the table uses none, so a sniffer is misled)."""
    lines = [line for line in sample.splitlines()[:50] if line.strip()]
    best, best_score = ",", (0, 0)
    for candidate in (",", "\t", ";", "，", "|"):
        counts = [line.count(candidate) for line in lines]
        score = (sum(1 for c in counts if c > 0), sum(counts))
        if score > best_score:
            best, best_score = candidate, score
    return best
