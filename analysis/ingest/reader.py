"""Reading bytes into sheets of raw cells: .xlsx / .xls through python-calamine, .csv in UTF-8 or GBK.

Formulas come back as their cached values and macros are never run (calamine only reads cells).
"""

from __future__ import annotations

import csv
import io
import zipfile
from dataclasses import dataclass

from analysis.ingest.problems import RefusedFile

MAX_FILE_BYTES = 50 * 1024 * 1024
MAX_UNCOMPRESSED_BYTES = 400 * 1024 * 1024
MAX_ROWS = 2_000_000
ENCODINGS = ("utf-8-sig", "gb18030")


@dataclass(frozen=True)
class Sheet:
    name: str
    rows: list[list[object]]  # row i is Excel row i + 1
    merged: tuple[tuple[int, int, int, int], ...] = ()  # (first_row, first_col, last_row, last_col), 0-based
    hidden: bool = False  # hidden in Excel: not read (a clerk's scratch copy or a list of choices)


def read_sheets(data: bytes, file_name: str) -> list[Sheet]:
    """Every sheet of the file as lists of cell values; refuses what cannot or should not be read."""
    if len(data) > MAX_FILE_BYTES:
        raise RefusedFile(
            f"文件过大（{len(data) / 1e6:.1f} MB），上限为 {MAX_FILE_BYTES // 1024 // 1024} MB；请按市或按月拆分后上传"
        )
    if not data:
        raise RefusedFile("文件是空的")
    suffix = file_name.lower().rsplit(".", 1)[-1] if "." in file_name else ""
    if suffix in ("xlsx", "xlsm", "xls"):
        _check_disguise(data)
    if suffix in ("xlsx", "xlsm"):
        _check_zip(data)
        return _read_workbook(data)
    if suffix == "xls":
        return _read_workbook(data)
    if suffix in ("csv", "txt"):
        return [_read_csv(data, file_name)]
    raise RefusedFile(f"不支持的文件类型「.{suffix}」：请上传 .xlsx、.xls 或 .csv 文件")


OLE_SIGNATURE = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"  # legacy .xls, and also password-protected .xlsx


def _check_disguise(data: bytes) -> None:
    """Files that are not what their name says, with a message that says what they are."""
    head = data[:2048].lstrip().lower()
    if head.startswith((b"<html", b"<!doctype", b"<table", b"<?xml")) or b"<html" in head[:512]:
        raise RefusedFile("该文件实际是网页（HTML）格式，并非 Excel 工作簿：请用 Excel 打开后「另存为」.xlsx 再上传")
    if data.startswith(OLE_SIGNATURE) and b"EncryptedPackage" in data.replace(b"\x00", b"")[:200_000]:
        raise RefusedFile("该工作簿设置了打开密码（已加密）：请在 Excel 中取消密码后另存，再上传")


def _check_zip(data: bytes) -> None:
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as zf:
            total = sum(i.file_size for i in zf.infolist())
    except zipfile.BadZipFile as exc:
        raise RefusedFile("无法读取该 .xlsx 文件（文件已损坏或并非 Excel 工作簿）") from exc
    if total > MAX_UNCOMPRESSED_BYTES:
        raise RefusedFile(f"工作簿解压后过大（{total / 1e6:.0f} MB），疑似异常文件，已拒绝")


def _read_workbook(data: bytes) -> list[Sheet]:
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
            if ws.height > MAX_ROWS:
                raise RefusedFile(f"工作表「{name}」行数过多（{ws.height} 行），上限 {MAX_ROWS} 行")
            rows = ws.to_python(skip_empty_area=False)
            merged = _merged_ranges(ws)
        except RefusedFile:
            raise
        except Exception as exc:
            raise RefusedFile(f"无法读取工作表「{name}」") from exc
        total_rows += len(rows)
        if total_rows > MAX_ROWS:
            raise RefusedFile(f"工作簿行数过多（超过 {MAX_ROWS} 行），请拆分后上传")
        sheets.append(Sheet(name, [list(r) for r in rows], merged))
    return sheets


def _merged_ranges(ws) -> tuple[tuple[int, int, int, int], ...]:
    try:
        ranges = ws.merged_cell_ranges or []
    except Exception:  # not every format reports them (the layout reader copes without)
        return ()
    return tuple((r0, c0, r1, c1) for (r0, c0), (r1, c1) in ranges)


def _read_csv(data: bytes, file_name: str) -> Sheet:
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
    try:
        rows = list(csv.reader(io.StringIO(text, newline=""), delimiter=delimiter))
    except csv.Error as exc:  # a stray carriage return or quote the csv module cannot place
        raise RefusedFile(f"CSV 文件格式有误（{exc}）：请在 Excel 中打开后另存为 CSV 再上传") from exc
    if len(rows) > MAX_ROWS:
        raise RefusedFile(f"文件行数过多（{len(rows)} 行），上限 {MAX_ROWS} 行")
    name = file_name.rsplit("/", 1)[-1].rsplit(".", 1)[0]
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
