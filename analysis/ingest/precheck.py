"""Checks made before a workbook is loaded, so that no file can make the reader allocate what it cannot.

python-calamine loads a sheet as one block of 32-byte cells from its first to its farthest cell (a 2 KB
.xlsx with cells at A1 and XFD1048576 asks for 549 GB and aborts the process), and reads every shared
string when the workbook opens. So before calamine sees a file:

- an .xlsx's zip directory is read: the number of parts, the uncompressed size of each and of all, and
  each part's ratio to its compressed size (a zip bomb);
- the XML of every sheet is read as a stream, a megabyte at a time: the farthest cell that holds
  something (the declared ``<dimension>`` is not trusted, it can lie either way), how many cells hold a
  value, how many merged ranges there are, and any text longer than Excel allows in a cell (32,767
  characters), named by its cell; the shared strings are read for over-long texts too;
- an .xls (BIFF8) is walked record by record: every cell record gives its row and column.

Every refusal is a :class:`RefusedFile` with a Chinese message naming the sheet (and the cell where there
is one). The limits are in :mod:`analysis.ingest.limits`.
"""

from __future__ import annotations

import io
import operator
import posixpath
import re
import struct
import zipfile
import zlib
from dataclasses import dataclass
from xml.etree import ElementTree

from analysis.ingest.limits import MAX_CELL_CHARS, MAX_ROWS, Limits
from analysis.ingest.problems import RefusedFile

MAX_UNCOMPRESSED_BYTES = 400 * 1024 * 1024
MAX_PARTS = 10_000
MAX_MERGES = 100_000
BOMB_RATIO = 100  # real sheets compress 5–20 times; far beyond that on a large part is a zip bomb
BOMB_MIN_BYTES = 20 * 1024 * 1024
CHUNK = 1 << 20
# a text run this long without any markup is longer than any cell, however its characters are written
RUN_LIMIT = 16 * (MAX_CELL_CHARS + 1)
SMALL_PART = 4 * 1024 * 1024  # workbook.xml and its relationships, parsed whole

# an Excel-written cell: <c r="B12" ...> with r first; self-closing cells hold nothing
_COLS = re.compile(rb' r="([A-Za-z]{1,7})[0-9]{1,12}"[^>]*(?<!/)>')
_ROWS = re.compile(rb' r="[A-Za-z]{1,7}([0-9]{1,12})"[^>]*(?<!/)>')
_REF = re.compile(rb' r="([A-Za-z]{1,7})([0-9]{1,12})"')
_ODD_CELL = re.compile(rb'<c(?! r=")[\s/>]')  # a cell written otherwise (no r, r not first, other spaces)
_PREFIXED = re.compile(rb":(?:c|row)[\s/>]")  # <x:c …>, <x:row …>
_LONG_RUN = re.compile(rb"<[^<]{%d,}" % (MAX_CELL_CHARS + 1))  # starts only at a tag: linear
_ROW_SPLIT = re.compile(rb"<(?:[\w.-]+:)?row(?=[\s/>])")
_CELL_OPEN = re.compile(rb"<(?:[\w.-]+:)?c(?=[\s/>])")
_COUNT_CELLS = operator.methodcaller("count", b"<c")
_VALUE_CLOSE = re.compile(rb"</(?:[\w.-]+:)?(?:v|is)\s*>")
_R_ATTR = re.compile(rb"""(?:^|\s)r\s*=\s*["']([A-Za-z]*)([0-9]*)["']""")


@dataclass
class Extent:
    """What a sheet holds: its farthest row and column (1-based, 0 when empty) and its counts."""

    rows: int = 0
    columns: int = 0
    values: int = 0
    merges: int = 0

    @property
    def cells(self) -> int:
        return self.rows * self.columns


def column_letters(number: int) -> str:
    """``1`` → ``'A'``, ``16384`` → ``'XFD'``."""
    out = ""
    while number > 0:
        number, rest = divmod(number - 1, 26)
        out = chr(65 + rest) + out
    return out


def _column_number(letters: bytes) -> int:
    n = 0
    for ch in letters.upper():
        n = n * 26 + ch - 64
    return n


def _refuse_extent(sheet: str, extent: Extent, limits: Limits, total: int) -> None:
    where = f"工作表「{sheet}」"
    far = f"{column_letters(extent.columns)}{extent.rows}" if extent.rows and extent.columns else ""
    if extent.rows > MAX_ROWS:
        raise RefusedFile(
            f"{where}行数过多：有内容的单元格远至第 {extent.rows:,} 行（{far}），上限 {MAX_ROWS:,} 行，已拒绝"
        )
    if extent.cells > limits.max_cells or total > limits.max_cells:
        raise RefusedFile(
            f"{where}的内容从 A1 一直延伸到 {far}（{extent.rows:,} 行 × {extent.columns:,} 列），"
            f"读取需展开约 {max(extent.cells, total):,} 个单元格，超过上限 {limits.max_cells:,} 个，已拒绝。"
            "请删除远处的零散内容（或把数据复制到新工作表）后再上传"
        )
    if extent.values > limits.max_cells:
        raise RefusedFile(f"{where}有超过 {limits.max_cells:,} 个单元格有内容，超过读取上限，已拒绝；请拆分后上传")
    if extent.merges > MAX_MERGES:
        raise RefusedFile(f"{where}有 {extent.merges:,} 处合并单元格，超过上限 {MAX_MERGES:,} 处，已拒绝")


def _long_text(sheet: str, chars: int, ref: bytes | None) -> RefusedFile:
    cell = f"单元格 {ref.decode('ascii', 'replace').upper()} " if ref else "一个单元格"
    where = f"工作表「{sheet}」{cell}" if sheet else f"工作簿中{cell}"
    return RefusedFile(
        f"{where}的文字长达 {chars:,} 个字符，超过 Excel 单元格的上限（{MAX_CELL_CHARS:,} 个字符），"
        "不是正常的报表内容，已拒绝"
    )


# -- .xlsx ------------------------------------------------------------------------------------------
def check_xlsx(data: bytes, limits: Limits) -> None:
    """Refuse an .xlsx whose parts or sheets would take more than the limits, before calamine opens it."""
    try:
        zf = zipfile.ZipFile(io.BytesIO(data))
    except (zipfile.BadZipFile, ValueError, OSError) as exc:
        raise RefusedFile("无法读取该 .xlsx 文件（文件已损坏或并非 Excel 工作簿）") from exc
    with zf:
        infos = zf.infolist()
        if "xl/workbook.xml" not in {i.filename for i in infos}:  # an .ods, .xlsb, .docx …: nothing checked for
            raise RefusedFile(
                "该文件不是 .xlsx 格式的 Excel 工作簿（可能是 WPS/OpenOffice 表格或其他压缩文件）：请另存为 .xlsx 后上传"
            )
        if len(infos) > MAX_PARTS:
            raise RefusedFile(f"工作簿由 {len(infos):,} 个部件组成，疑似异常文件，已拒绝")
        total = sum(i.file_size for i in infos)
        if total > MAX_UNCOMPRESSED_BYTES:
            raise RefusedFile(f"工作簿解压后过大（{total / 1e6:.0f} MB），疑似异常文件，已拒绝")
        for info in infos:
            if info.file_size > BOMB_MIN_BYTES and info.file_size > BOMB_RATIO * max(info.compress_size, 1):
                raise RefusedFile(
                    f"工作簿中的「{info.filename}」压缩了 {info.file_size / max(info.compress_size, 1):,.0f} 倍"
                    f"（{info.compress_size / 1e6:.1f} MB 解压为 {info.file_size / 1e6:.0f} MB），"
                    "正常报表不会如此，疑似“压缩炸弹”，已拒绝"
                )
        sheets = _sheet_parts(zf) or {  # the names cannot be read: every sheet part, by its file name
            i.filename: (posixpath.basename(i.filename), False)
            for i in infos
            if i.filename.lower().startswith("xl/worksheets/") and i.filename.lower().endswith(".xml")
        }
        cells = 0
        for info in infos:
            if info.filename in sheets:
                sheet, hidden = sheets[info.filename]
                if hidden:
                    continue  # never loaded (the reader skips hidden sheets)
                extent = _scan_sheet(zf, info, sheet, limits, cells)
                cells += extent.cells
                _refuse_extent(sheet, extent, limits, cells)
            elif "sharedstrings" in info.filename.lower():
                _scan_texts(zf, info)


def _sheet_parts(zf: zipfile.ZipFile) -> dict[str, tuple[str, bool]]:
    """Part name → (sheet name, hidden), from xl/workbook.xml and its relationships (empty if unreadable)."""
    try:
        book = _small_xml(zf, "xl/workbook.xml")
        rels = _small_xml(zf, "xl/_rels/workbook.xml.rels")
    except (KeyError, ElementTree.ParseError, RefusedFile, zipfile.BadZipFile, zlib.error, OSError):
        return {}
    targets = {}
    for rel in rels.iter():
        if rel.tag.endswith("Relationship") and rel.get("Id") and rel.get("Target"):
            target = rel.get("Target")
            path = target.lstrip("/") if target.startswith("/") else posixpath.normpath(posixpath.join("xl", target))
            targets[rel.get("Id")] = path
    out = {}
    for sheet in book.iter():
        if sheet.tag.endswith("}sheet") or sheet.tag == "sheet":
            rid = next((v for k, v in sheet.attrib.items() if k.endswith("}id") or k == "id"), None)
            if rid in targets:
                out[targets[rid]] = (sheet.get("name", ""), sheet.get("state", "visible") != "visible")
    return out


def _small_xml(zf: zipfile.ZipFile, name: str) -> ElementTree.Element:
    info = zf.getinfo(name)
    if info.file_size > SMALL_PART:
        raise RefusedFile(f"工作簿中的「{name}」过大（{info.file_size / 1e6:.0f} MB），疑似异常文件，已拒绝")
    return ElementTree.fromstring(zf.read(info))


def _chunks(zf: zipfile.ZipFile, info: zipfile.ZipInfo, sheet: str):
    """The part's bytes in pieces that each end just before a ``<`` (so that no tag is cut in two)."""
    carry = b""
    last_ref = None
    try:
        with zf.open(info) as fh:
            while True:
                block = fh.read(CHUNK)
                if not block:
                    break
                buf = carry + block
                cut = buf.rfind(b"<")
                if cut <= 0:
                    carry = buf
                else:
                    head, carry = buf[:cut], buf[cut:]
                    refs = _REF.findall(head[-4096:])
                    last_ref = b"".join(refs[-1]) if refs else last_ref
                    yield head, last_ref
                if len(carry) > RUN_LIMIT:  # a text of megabytes without markup: no cell holds that
                    raise _long_text(sheet, len(carry.decode("utf-8", "replace")), last_ref)
    except (zipfile.BadZipFile, zlib.error, EOFError, OSError) as exc:
        raise RefusedFile(f"无法读取该 .xlsx 文件：「{info.filename}」已损坏（解压出错），已拒绝") from exc
    if carry:
        yield carry, last_ref


def _check_runs(head: bytes, sheet: str) -> None:
    """The longest stretch after a tag, if longer than any cell's text (each stretch is read once)."""
    m = _LONG_RUN.search(head)
    if m is None:
        return
    text = m.group().split(b">", 1)[-1]
    chars = len(text.decode("utf-8", "replace"))
    if chars > MAX_CELL_CHARS:
        before = head[: m.start()]
        refs = _REF.findall(before[before.rfind(b"<c ") :]) if sheet else []
        raise _long_text(sheet, chars, b"".join(refs[0]) if refs else None)


def _scan_texts(zf: zipfile.ZipFile, info: zipfile.ZipInfo) -> None:
    for head, _ in _chunks(zf, info, ""):
        _check_runs(head, "")


def _scan_sheet(zf: zipfile.ZipFile, info: zipfile.ZipInfo, sheet: str, limits: Limits, before: int) -> Extent:
    """The extent of one sheet's XML: fast for cells written as Excel writes them, else tag by tag."""
    extent = Extent()
    for head, _ in _chunks(zf, info, sheet):
        _check_runs(head, sheet)
        if _ODD_CELL.search(head) or _PREFIXED.search(head):
            return _scan_sheet_rows(zf, info, sheet, limits, before)
        letters = set(_COLS.findall(head))
        if letters:
            extent.columns = max(extent.columns, max(map(_column_number, letters)))
        digits = set(_ROWS.findall(head))
        if digits:
            extent.rows = max(extent.rows, max(map(int, digits)))
        extent.values += head.count(b"</v") + head.count(b"</is")
        extent.merges += head.count(b"<mergeCell ")
        _refuse_extent(sheet, extent, limits, before + extent.cells)
    return extent


def _scan_sheet_rows(zf: zipfile.ZipFile, info: zipfile.ZipInfo, sheet: str, limits: Limits, before: int) -> Extent:
    """A bound on the extent when cells carry no reference (calamine then puts each in the next column,
    each row in the next row): row by row, the farthest reference written plus the cells without one."""
    extent = Extent()
    row = unplaced = 0  # the current row (1-based) and its cells without a reference so far
    for head, _ in _chunks(zf, info, sheet):
        extent.merges += head.count(b"mergeCell ")
        extent.values += len(_VALUE_CLOSE.findall(head))
        if b"=" not in head and b":" not in head:  # nothing but <row> and <c>: count them, row by row at once
            segments = head.split(b"<row")
            counts = list(map(_COUNT_CELLS, segments))
            unplaced += counts[0]  # the row the previous piece ended in goes on
            widest = max([unplaced, *counts[1:]])
            if len(segments) > 1:
                row, unplaced = row + len(segments) - 1, counts[-1]
            extent.rows = max(extent.rows, row)
            extent.columns = max(extent.columns, widest)
            _refuse_extent(sheet, extent, limits, before + extent.cells)
            continue
        for k, segment in enumerate(_ROW_SPLIT.split(head)):
            if k > 0:  # a row starts here, its attributes first
                end = segment.find(b">")
                ref = _R_ATTR.search(segment[: max(end, 0)])
                row = int(ref.group(2)) if ref and ref.group(2) else row + 1
                segment, unplaced = segment[end + 1 :], 0
            if b":c" in segment:  # <x:c …>
                cells = len(_CELL_OPEN.findall(segment))
            else:
                cells = segment.count(b"<c>") + segment.count(b"<c ") + segment.count(b"<c/") + segment.count(b"<c\t")
            if not cells:
                continue
            refs = _R_ATTR.findall(segment) if b"=" in segment else []
            unplaced += max(cells - len(refs), 0)
            columns = rows = 0
            if refs:
                columns = max((_column_number(letters) for letters, _ in refs if letters), default=0)
                rows = max((int(digits) for _, digits in refs if digits), default=0)
            extent.rows = max(extent.rows, row, rows)
            extent.columns = max(extent.columns, columns + unplaced)
        _refuse_extent(sheet, extent, limits, before + extent.cells)
    return extent


# -- .xls -------------------------------------------------------------------------------------------
# BIFF records that place one cell (row, column first) and MULRK, a run of cells in one row (row, first
# column, …, last column); blank cells (BLANK, MULBLANK) only carry a format and are not loaded
_CELL_RECORDS = {0x0006, 0x0203, 0x027E, 0x00FD, 0x0204, 0x0205, 0x00D6}
_MULRK, _BOF, _MERGED, _SHEET = 0x00BD, 0x0809, 0x00E5, 0x0085


def check_xls(data: bytes, limits: Limits) -> None:
    """Refuse an .xls whose sheets would take more than the limits (calamine loads them all on opening)."""
    from xlrd import compdoc

    try:
        doc = compdoc.CompDoc(data, logfile=io.StringIO())
        stream = doc.get_named_stream("Workbook") or doc.get_named_stream("Book")
    except Exception as exc:  # xlrd raises its own errors for a broken compound file
        raise RefusedFile("无法读取该 .xls 文件（文件已损坏或并非 Excel 工作簿）") from exc
    if not stream:
        raise RefusedFile("无法读取该 .xls 文件（文件中没有工作簿数据）")
    names: dict[int, str] = {}  # offset of a sheet's BOF → its name (from the BOUNDSHEET records)
    sheet, ext, total, streams = "", None, 0, 0  # the first substream is the workbook's globals
    pos, end = 0, len(stream)
    unpack = struct.unpack_from
    while pos + 4 <= end:
        op, length = unpack("<HH", stream, pos)
        start, body = pos, pos + 4
        pos = body + length
        if op == _BOF:
            if ext is not None:
                _refuse_extent(sheet, ext, limits, total)
            streams += 1
            sheet, ext = names.get(start, f"第 {streams - 1} 个工作表"), (Extent() if streams > 1 else None)
            continue
        if op == _SHEET and length >= 8:
            names[unpack("<I", stream, body)[0]] = _biff_name(stream[body + 6 : pos])
            continue
        if ext is None or length < 4:
            continue
        if op in _CELL_RECORDS:
            r, c = unpack("<HH", stream, body)
        elif op == _MULRK and length >= 6:
            r, c = unpack("<H", stream, body)[0], unpack("<H", stream, pos - 2)[0]
        else:
            if op == _MERGED and length >= 2:
                ext.merges += unpack("<H", stream, body)[0]
            continue
        ext.values += 1
        if r >= ext.rows or c >= ext.columns:
            total -= ext.cells
            ext.rows, ext.columns = max(ext.rows, r + 1), max(ext.columns, c + 1)
            total += ext.cells
            if total > limits.max_cells:
                _refuse_extent(sheet, ext, limits, total)
    if ext is not None:
        _refuse_extent(sheet, ext, limits, total)


def _biff_name(raw: bytes) -> str:
    """A BOUNDSHEET record's name: a length, a flag (1: UTF-16), the characters."""
    if len(raw) < 2:
        return ""
    n, wide = raw[0], raw[1] & 1
    return raw[2 : 2 + 2 * n].decode("utf-16-le", "replace") if wide else raw[2 : 2 + n].decode("latin-1")
