"""Rebuild tests/files/office/: county returns written by LibreOffice, not by a Python library.

County clerks send what Excel and WPS write: legacy .xls, GBK CSV, merged grouped headers, 合计 rows whose
formulas carry cached values. openpyxl/xlwt fixtures miss all of that. So each return is described here
in code, written as LibreOffice's flat ODS XML (.fods, plain text: merged cells, formulas without cached
values, number formats and sheet names exactly as given), and LibreOffice itself loads it, recalculates
the formulas and saves the committed .xls / .xlsx / .csv.

LibreOffice is needed only to rebuild these files, never to run or test the product (the tests read the
committed files, and make run / make test never call it). On Debian, as root:

    apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq libreoffice-calc-nogui

then, from the repository root (python-calamine and PyYAML come with the project's venv):

    .venv/bin/python tools/build_office_files.py            # rewrites tests/files/office/
    .venv/bin/python tools/build_office_files.py --keep DIR # also leaves the .fods sources in DIR

How LibreOffice is run: ``soffice --headless --convert-to EXT:FILTER --outdir OUT *.fods`` with a
throw-away profile (``-env:UserInstallation=file:///tmp/...``) whose locale is zh-CN, as on a Chinese
clerk's machine. Filters:

- .xls  ``MS Excel 97`` (BIFF8, "Excel 97–2003");
- .xlsx ``Calc MS Excel 2007 XML`` (named: a bare ``xlsx`` picks the "Office Open XML" filter instead);
- .csv  ``Text - txt - csv (StarCalc):44,34,61,1,,0,false,true,true,false,false``: comma, double quote,
  character set 61 = RTL_TEXTENCODING_MS_936 (Windows code page 936, GBK: what Chinese Excel writes),
  text not all quoted, save cell contents as shown (``"12,345"``, ``60%``, ``2016/3/15`` as on screen),
  results rather than formulas, spaces kept. The character set must be LibreOffice's own number:
  ``936`` is read as another LibreOffice encoding (garbage bytes), and a name such as ``GBK`` silently
  falls back to the system encoding (UTF-8).

Determinism: the sources hold no clock (seeded variation; each document's creation and save dates are the
return's date), so .xls and .csv come out byte-identical run after run. An .xlsx differs only in its zip
entries' timestamps: a rebuilt .xlsx whose members are unchanged is not rewritten. Every file is read back
(python-calamine for workbooks, GB18030 for the CSVs) and compared cell by cell with its source, formula
results included, and ``expected.yaml`` is rewritten from the same sources.
"""

from __future__ import annotations

import argparse
import csv
import io
import json
import os
import re
import shutil
import subprocess
import sys
import tempfile
import zipfile
from dataclasses import dataclass, field
from datetime import date, timedelta
from decimal import ROUND_HALF_UP, Decimal
from pathlib import Path
from random import Random
from xml.sax.saxutils import escape, quoteattr

ROOT = Path(__file__).resolve().parents[1]
OUT = ROOT / "tests" / "files" / "office"
FILTERS = {
    "xls": "xls:MS Excel 97",
    "xlsx": "xlsx:Calc MS Excel 2007 XML",
    "csv": "csv:Text - txt - csv (StarCalc):44,34,61,1,,0,false,true,true,false,false",
}
ZH_CN_PROFILE = """<?xml version="1.0" encoding="UTF-8"?>
<oor:items xmlns:oor="http://openoffice.org/2001/registry" xmlns:xs="http://www.w3.org/2001/XMLSchema" \
xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance">
<item oor:path="/org.openoffice.Setup/L10N"><prop oor:name="ooSetupSystemLocale" oor:op="fuse">\
<value>zh-CN</value></prop></item>
<item oor:path="/org.openoffice.Office.Linguistic/General"><prop oor:name="DefaultLocale_CJK" oor:op="fuse">\
<value>zh-CN</value></prop></item>
</oor:items>
"""


# -- a return in code -------------------------------------------------------------------------------
@dataclass(frozen=True)
class C:
    """One cell: a value and its number format, or a formula and the result it must give.

    Formats: text, int, thou (#,##0), dec1, dec2, pct (0%), date (yyyy/m/d), ym (yyyy年m月).
    """

    value: object = None
    fmt: str = "text"
    formula: str = ""  # Excel A1 syntax; written without a cached value, so LibreOffice computes it
    result: object = None  # computed here from the same numbers, to check what LibreOffice wrote

    @property
    def expected(self) -> object:
        return self.result if self.formula else self.value


def cell(v: object) -> C:
    if isinstance(v, C):
        return v
    if isinstance(v, bool) or v is None:
        return C(None)
    if isinstance(v, str):
        return C(v)
    if isinstance(v, int):
        return C(v, "int")
    if isinstance(v, float):
        return C(v, "dec2")
    if isinstance(v, date):
        return C(v, "date")
    raise TypeError(v)


def col_letter(c: int) -> str:
    return chr(65 + c) if c < 26 else chr(64 + c // 26) + chr(65 + c % 26)


def _index(ref: str) -> tuple[int, int]:
    m = re.fullmatch(r"([A-Z]+)(\d+)", ref)
    col = 0
    for ch in m[1]:
        col = col * 26 + ord(ch) - 64
    return int(m[2]) - 1, col - 1


@dataclass
class Sheet:
    name: str
    rows: list[list]
    merges: tuple[str, ...] = ()  # "A4:A5", Excel's way
    head: tuple[int, int] = (0, -1)  # Excel rows of the header: bold, centred, bordered
    body: tuple[int, int] = (0, -1)  # Excel rows of the table under the header: bordered
    widths: tuple[float, ...] = ()  # cm

    @property
    def width(self) -> int:
        return max(len(r) for r in self.rows)

    def grid(self) -> list[list[C]]:
        return [[cell(v) for v in row] + [C()] * (self.width - len(row)) for row in self.rows]

    def merge_ranges(self) -> list[tuple[int, int, int, int]]:
        out = []
        for m in self.merges:
            a, b = m.split(":")
            out.append((*_index(a), *_index(b)))
        return out

    def style_at(self, r: int, c: C) -> str:
        excel = r + 1
        if excel == 1 and self.head[0] > 1:
            return "title"
        if self.head[0] <= excel <= self.head[1]:
            return "head"
        return ("b_" if self.body[0] <= excel <= self.body[1] else "p_") + c.fmt


@dataclass
class Book:
    stem: str
    ext: str  # xls, xlsx, csv
    kind: str
    title: str
    author: str
    saved: date  # the documents' creation and save date: the day the return was signed
    sheets: list[Sheet]
    expect: dict = field(default_factory=dict)

    @property
    def file_name(self) -> str:
        return f"{self.stem}.{self.ext}"


def half_up(x: float, places: int = 0) -> float:
    """ROUND as spreadsheets do it (half away from zero), not Python's banker's rounding."""
    q = Decimal(1).scaleb(-places)
    return float(Decimal(repr(x)).quantize(q, rounding=ROUND_HALF_UP))


def f_sum(col: str, first: int, last: int, values: list, fmt: str = "int") -> C:
    total = sum(v for v in values if v is not None)
    if fmt.startswith("dec"):
        total = round(total, int(fmt[-1]) + 6)
    return C(None, fmt, f"=SUM({col}{first}:{col}{last})", total)


def f_weighted(price: str, weight: str, first: int, last: int, total_row: int, prices, weights, places=0, fmt="int"):
    """ROUND(SUMPRODUCT(weights, prices) / total weight): a 合计 row's average price or share."""
    pairs = [(p, w) for p, w in zip(prices, weights, strict=True) if p is not None and w is not None]
    value = half_up(sum(p * w for p, w in pairs) / sum(w for _, w in pairs), places)
    formula = (
        f"=ROUND(SUMPRODUCT({weight}{first}:{weight}{last},{price}{first}:{price}{last})/{weight}{total_row},{places})"
    )
    return C(None, fmt, formula, value)


def wan(centi: int) -> float:
    """Hundredths of 万㎡ (100 ㎡ each) → 万㎡ with two decimals, as the returns write areas."""
    return centi / 100


def m2(centi: int | None) -> float | None:
    return None if centi is None else float(centi * 100)


# -- flat ODS ---------------------------------------------------------------------------------------
NS = (
    'xmlns:office="urn:oasis:names:tc:opendocument:xmlns:office:1.0" '
    'xmlns:style="urn:oasis:names:tc:opendocument:xmlns:style:1.0" '
    'xmlns:text="urn:oasis:names:tc:opendocument:xmlns:text:1.0" '
    'xmlns:table="urn:oasis:names:tc:opendocument:xmlns:table:1.0" '
    'xmlns:number="urn:oasis:names:tc:opendocument:xmlns:datastyle:1.0" '
    'xmlns:fo="urn:oasis:names:tc:opendocument:xmlns:xsl-fo-compatible:1.0" '
    'xmlns:of="urn:oasis:names:tc:opendocument:xmlns:of:1.2" '
    'xmlns:meta="urn:oasis:names:tc:opendocument:xmlns:meta:1.0" '
    'xmlns:dc="http://purl.org/dc/elements/1.1/"'
)
ZH = 'number:language="zh" number:country="CN"'
DATA_STYLES = f"""
<number:number-style style:name="N_int" {ZH}><number:number number:decimal-places="0" \
number:min-decimal-places="0" number:min-integer-digits="1"/></number:number-style>
<number:number-style style:name="N_thou" {ZH}><number:number number:decimal-places="0" \
number:min-decimal-places="0" number:min-integer-digits="1" number:grouping="true"/></number:number-style>
<number:number-style style:name="N_dec1" {ZH}><number:number number:decimal-places="1" \
number:min-decimal-places="1" number:min-integer-digits="1"/></number:number-style>
<number:number-style style:name="N_dec2" {ZH}><number:number number:decimal-places="2" \
number:min-decimal-places="2" number:min-integer-digits="1"/></number:number-style>
<number:percentage-style style:name="N_pct" {ZH}><number:number number:decimal-places="0" \
number:min-decimal-places="0" number:min-integer-digits="1"/><number:text>%</number:text></number:percentage-style>
<number:date-style style:name="N_date" {ZH}><number:year number:style="long"/><number:text>/</number:text>\
<number:month/><number:text>/</number:text><number:day/></number:date-style>
<number:date-style style:name="N_ym" {ZH}><number:year number:style="long"/><number:text>年</number:text>\
<number:month/><number:text>月</number:text></number:date-style>
"""
FORMATS = ("text", "int", "thou", "dec1", "dec2", "pct", "date", "ym")
BORDER = 'fo:border="0.06pt solid #000000"'


def _cell_styles() -> str:
    out = [
        '<style:default-style style:family="table-cell"><style:text-properties fo:language="zh" fo:country="CN" '
        'style:language-asian="zh" style:country-asian="CN" fo:font-size="10.5pt" style:font-size-asian="10.5pt"/>'
        "</style:default-style>",
        '<style:style style:name="title" style:family="table-cell"><style:table-cell-properties '
        'style:text-align-source="fix" style:vertical-align="middle"/><style:paragraph-properties fo:text-align="center"/>'
        '<style:text-properties fo:font-size="16pt" style:font-size-asian="16pt" fo:font-weight="bold" '
        'style:font-weight-asian="bold"/></style:style>',
        '<style:style style:name="head" style:family="table-cell"><style:table-cell-properties '
        f'{BORDER} fo:wrap-option="wrap" style:text-align-source="fix" style:vertical-align="middle"/>'
        '<style:paragraph-properties fo:text-align="center"/><style:text-properties fo:font-weight="bold" '
        'style:font-weight-asian="bold"/></style:style>',
    ]
    for fmt in FORMATS:
        data = "" if fmt == "text" else f' style:data-style-name="N_{fmt}"'
        out.append(
            f'<style:style style:name="b_{fmt}" style:family="table-cell"{data}>'
            f'<style:table-cell-properties {BORDER} style:vertical-align="middle"/></style:style>'
        )
        out.append(f'<style:style style:name="p_{fmt}" style:family="table-cell"{data}/>')
    return "\n".join(out)


_REF = re.compile(r"\$?([A-Z]{1,2})\$?(\d+)(?::\$?([A-Z]{1,2})\$?(\d+))?")


def openformula(excel: str) -> str:
    """``=ROUND(SUMPRODUCT(E8:E18,F8:F18)/E7,0)`` → ``of:=ROUND(SUMPRODUCT([.E8:.E18];[.F8:.F18])/[.E7];0)``."""
    body = _REF.sub(lambda m: f"[.{m[1]}{m[2]}:.{m[3]}{m[4]}]" if m[3] else f"[.{m[1]}{m[2]}]", excel.lstrip("="))
    return "of:=" + body.replace(",", ";")


def _text_p(text: str) -> str:
    """A paragraph that keeps runs of ASCII spaces (ODF collapses them otherwise)."""
    parts = re.split(r"( {2,})", escape(text))
    return (
        "<text:p>" + "".join(f'<text:s text:c="{len(p)}"/>' if p.startswith("  ") else p for p in parts) + "</text:p>"
    )


def _cell_xml(cell: C, style: str, spans: tuple[int, int] | None) -> str:
    attrs = [f'table:style-name="{style}"']
    if spans:
        attrs.append(f'table:number-rows-spanned="{spans[0]}" table:number-columns-spanned="{spans[1]}"')
    v, body = cell.value, ""
    if cell.formula:
        attrs.append(f"table:formula={quoteattr(openformula(cell.formula))}")  # no cached value: LibreOffice computes
    elif v is None or v == "":
        pass
    elif isinstance(v, str):
        attrs.append('office:value-type="string"')
        body = _text_p(v)
    elif isinstance(v, date):
        attrs.append(f'office:value-type="date" office:date-value="{v.isoformat()}"')
    elif cell.fmt == "pct":
        attrs.append(f'office:value-type="percentage" office:value="{v!r}"')
    else:
        attrs.append(f'office:value-type="float" office:value="{v!r}"')
    inner = f">{body}</table:table-cell>" if body else "/>"
    return f"<table:table-cell {' '.join(attrs)}{inner}"


def sheet_xml(sheet: Sheet) -> str:
    width = sheet.width
    spans, covered = {}, set()
    for r0, c0, r1, c1 in sheet.merge_ranges():
        spans[(r0, c0)] = (r1 - r0 + 1, c1 - c0 + 1)
        covered |= {(r, c) for r in range(r0, r1 + 1) for c in range(c0, c1 + 1)} - {(r0, c0)}
    cols = "".join(f'<table:table-column table:style-name="co{i}"/>' for i in range(width))
    rows = []
    for r, row in enumerate(sheet.grid()):
        cells = []
        for c, cell in enumerate(row):
            style = sheet.style_at(r, cell)
            if (r, c) in covered:
                cells.append(f'<table:covered-table-cell table:style-name="{style}"/>')
            else:
                cells.append(_cell_xml(cell, style, spans.get((r, c))))
        rows.append("<table:table-row>" + "".join(cells) + "</table:table-row>")
    return f"<table:table table:name={quoteattr(sheet.name)}>{cols}{''.join(rows)}</table:table>"


def fods(book: Book) -> str:
    widths = {}
    for sheet in book.sheets:
        for i in range(sheet.width):
            widths.setdefault(i, sheet.widths[i] if i < len(sheet.widths) else 2.4)
    col_styles = "".join(
        f'<style:style style:name="co{i}" style:family="table-column"><style:table-column-properties '
        f'style:column-width="{w}cm"/></style:style>'
        for i, w in sorted(widths.items())
    )
    when = book.saved.isoformat() + "T09:00:00"
    meta = (
        f"<office:meta><meta:initial-creator>{escape(book.author)}</meta:initial-creator>"
        f"<dc:creator>{escape(book.author)}</dc:creator><meta:creation-date>{when}</meta:creation-date>"
        f"<dc:date>{when}</dc:date><dc:title>{escape(book.title)}</dc:title><dc:language>zh-CN</dc:language>"
        "</office:meta>"
    )
    return (
        f'<?xml version="1.0" encoding="UTF-8"?>\n<office:document {NS} office:version="1.3" '
        f'office:mimetype="application/vnd.oasis.opendocument.spreadsheet">\n{meta}\n'
        f"<office:styles>{DATA_STYLES}{_cell_styles()}</office:styles>\n"
        f"<office:automatic-styles>{col_styles}</office:automatic-styles>\n"
        "<office:body><office:spreadsheet>\n"
        + "\n".join(sheet_xml(s) for s in book.sheets)
        + "\n</office:spreadsheet></office:body></office:document>\n"
    )


# -- LibreOffice ------------------------------------------------------------------------------------
def soffice() -> str:
    exe = shutil.which("soffice") or shutil.which("libreoffice")
    if not exe:
        sys.exit(
            "LibreOffice not found. Install it (Debian, as root):\n"
            "  apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq libreoffice-calc-nogui"
        )
    return exe


def convert(sources: list[Path], ext: str, out: Path, profile: Path) -> None:
    cmd = [soffice(), "--headless", "--norestore", f"-env:UserInstallation={profile.as_uri()}"]
    cmd += ["--convert-to", FILTERS[ext], "--outdir", str(out), *map(str, sources)]
    done = subprocess.run(
        cmd,
        capture_output=True,
        text=True,
        timeout=600,
        env={"PATH": os.environ.get("PATH", "/usr/bin:/bin"), "HOME": str(profile), "LC_ALL": "C.UTF-8"},
    )
    missing = [s.stem for s in sources if not (out / f"{s.stem}.{ext}").is_file()]
    if done.returncode or missing:
        sys.exit(f"soffice failed ({done.returncode}) for {missing}:\n{done.stdout}\n{done.stderr}")


# -- reading back -----------------------------------------------------------------------------------
def shown(cell: C) -> str:
    """A cell as LibreOffice shows it (what "save cell contents as shown" writes into the CSV)."""
    v = cell.expected
    if v is None or v == "":
        return ""
    if isinstance(v, str):
        return v
    if isinstance(v, date):
        return f"{v.year}年{v.month}月" if cell.fmt == "ym" else f"{v.year}/{v.month}/{v.day}"
    return {
        "thou": lambda: f"{v:,.0f}",
        "dec1": lambda: f"{v:.1f}",
        "dec2": lambda: f"{v:.2f}",
        "pct": lambda: f"{round(v * 100)}%",
    }.get(cell.fmt, lambda: f"{v:.0f}" if float(v).is_integer() else repr(v))()


def _same(got: object, cell: C) -> bool:
    want = cell.expected
    if want is None or want == "":
        return got in ("", None)
    if isinstance(want, str):
        return got == want
    if isinstance(want, date):
        return got == want or (hasattr(got, "date") and got.date() == want)
    return isinstance(got, (int, float)) and abs(got - want) <= 1e-9 * max(1.0, abs(want))


def check_workbook(path: Path, book: Book) -> str:
    from python_calamine import CalamineWorkbook

    magic = {"xls": b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1", "xlsx": b"PK\x03\x04"}[book.ext]  # OLE2 / zip
    assert path.read_bytes().startswith(magic), f"{path.name}: not an {book.ext} container"
    if book.ext == "xlsx":
        with zipfile.ZipFile(path) as z:
            assert "xl/workbook.xml" in z.namelist(), f"{path.name}: not a workbook"
    wb = CalamineWorkbook.from_path(str(path))
    assert wb.sheet_names == [s.name for s in book.sheets], (path.name, wb.sheet_names)
    formulas = merged = 0
    for sheet in book.sheets:
        ws = wb.get_sheet_by_name(sheet.name)
        got_rows = ws.to_python(skip_empty_area=False)
        for r, row in enumerate(sheet.grid()):
            for c, cell in enumerate(row):
                got = got_rows[r][c] if r < len(got_rows) and c < len(got_rows[r]) else ""
                assert _same(got, cell), (
                    f"{path.name} {sheet.name}!{col_letter(c)}{r + 1}: {got!r} != {cell.expected!r}"
                )
                formulas += bool(cell.formula)
        want = {((r0, c0), (r1, c1)) for r0, c0, r1, c1 in sheet.merge_ranges()}
        got = set(ws.merged_cell_ranges or [])
        assert got == want, f"{path.name} {sheet.name}: merged {sorted(got)} != {sorted(want)}"
        merged += len(got)
    return f"{len(book.sheets)} sheet(s), {merged} merged ranges, {formulas} formula results read back"


def check_csv(path: Path, book: Book) -> str:
    data = path.read_bytes()
    try:
        data.decode("utf-8")
    except UnicodeDecodeError:
        pass
    else:
        raise AssertionError(f"{path.name}: decodes as UTF-8, so it is not a GBK file")
    text = data.decode("gb18030")
    assert text.encode("gbk") == data, f"{path.name}: not plain GBK"
    rows = list(csv.reader(io.StringIO(text, newline="")))
    (sheet,) = book.sheets[:1]
    want = [[shown(c) for c in row] for row in sheet.grid()]
    trim = lambda row: row[: max((i + 1 for i, v in enumerate(row) if v != ""), default=0)]  # noqa: E731
    assert [trim(r) for r in rows] == [trim(r) for r in want], f"{path.name}: content differs from its source"
    formulas = sum(bool(c.formula) for row in sheet.grid() for c in row)
    return f"GBK (cp936), {len(rows)} lines, {formulas} formula results as shown"


def same_xlsx(a: Path, b: Path) -> bool:
    """Two .xlsx with the same members (names and bytes): only the zip timestamps differ."""
    if not a.is_file():
        return False
    with zipfile.ZipFile(a) as za, zipfile.ZipFile(b) as zb:
        return za.namelist() == zb.namelist() and all(za.read(n) == zb.read(n) for n in za.namelist())


# fmt: off
# (the returns below keep their hand layout: one household, county or row of a table per line)
# -- the returns: inventory -------------------------------------------------------------------------
def _monthly(rng: Random, units: int, area_c: int, sales: int, size: int, price: int, factors) -> list[tuple]:
    """Month-end stock and the month's sales: (stock units, stock area_c, sold units, sold area_c, price)."""
    out = []
    for f in factors:
        sold = max(1, round(sales * f * rng.uniform(0.85, 1.15)))
        sold_c = max(1, round(sold * size * rng.uniform(0.96, 1.04) / 100))
        new = round(sales * rng.uniform(0.2, 1.3))
        units, area_c = units - sold + new, area_c - sold_c + round(new * size * rng.uniform(0.97, 1.03) / 100)
        out.append((units, area_c, sold, sold_c, round(price * rng.uniform(0.97, 1.03))))
    return out


INVENTORY_COLUMNS = ["region_code", "period", "saleable_units", "saleable_area_m2", "sold_units", "sold_area_m2",
                     "avg_price_yuan_per_m2", "new_permit_area_m2"]


def _inventory_expect(rows: list[list], **extra) -> dict:
    periods = sorted({r[1] for r in rows})
    def total(col, period=None):
        i = INVENTORY_COLUMNS.index(col)
        vals = [r[i] for r in rows if period in (None, r[1]) and r[i] is not None]
        return round(sum(vals), 2) if vals else None
    sums = ("saleable_units", "saleable_area_m2", "sold_units", "sold_area_m2", "new_permit_area_m2")
    return {
        "kind": "inventory",
        **extra,
        "rows": len(rows),
        "regions": sorted({r[0] for r in rows}),
        "periods": periods,
        "totals_by_period": {p: {c: total(c, p) for c in sums if total(c, p) is not None} for p in periods},
        "canonical": {"columns": INVENTORY_COLUMNS, "rows": rows},
    }


JINZHONG = (  # as written, code today, stock units, stock area (0.01 万㎡), monthly sales, ㎡ per unit, price
    ("榆次区", "140702", 21560, 22840, 640, 106, 5320),
    ("太谷县", "140703", 3980, 4215, 108, 104, 3650),  # 太谷县 140726 until 2019, now 太谷区 140703
    ("榆社县", "140721", 820, 836, 18, 98, 2750),
    ("左权县", "140722", 1130, 1182, 25, 101, 2900),
    ("和 顺 县", "140723", 960, 987, 20, 99, 2850),
    ("昔阳县", "140724", 1420, 1490, 32, 102, 3100),
    ("寿阳县", "140725", 2310, 2435, 55, 103, 3200),
    ("祁　县", "140727", 2050, 2148, 48, 102, 3300),
    ("平遥县", "140728", 3260, 3412, 85, 101, 3600),
    ("灵石县", "140729", 1890, 1976, 46, 100, 3350),
    ("介休市", "140781", 4520, 4790, 120, 104, 3900),
)


def jinzhong() -> Book:
    rng = Random(140700)
    months = ((2016, 1, date(2016, 2, 5)), (2016, 2, date(2016, 3, 4)), (2016, 3, date(2016, 4, 6)))
    series = {c[1]: _monthly(rng, *c[2:], factors=(0.92, 0.58, 1.12)) for c in JINZHONG}
    sheets, canon = [], []
    first, last = 8, 7 + len(JINZHONG)
    for m, (year, month, signed) in enumerate(months):
        data = [(c[0], c[1], *series[c[1]][m]) for c in JINZHONG]
        col = lambda i: [d[i] for d in data]  # noqa: E731
        rows = [
            ["晋中市商品住房库存及销售情况统计表"],
            ["填报单位（盖章）：晋中市住房保障和城乡建设局", None, None, None, f"报送日期：{signed.year}年{signed.month}月{signed.day}日"],
            ["单位：套、万平方米、元/平方米"],
            ["县（市、区）", "可售商品住房", None, "当月销售商品住房", None, "成交均价（元/平方米）", "备注"],
            [None, "套数", "面积（万平方米）", "套数", "面积（万平方米）"],
            ["栏次", 1, 2, 3, 4, 5, 6],
            [
                "全市合计",
                f_sum("B", first, last, col(2)),
                f_sum("C", first, last, [wan(v) for v in col(3)], "dec2"),
                f_sum("D", first, last, col(4)),
                f_sum("E", first, last, [wan(v) for v in col(5)], "dec2"),
                f_weighted("F", "E", first, last, 7, col(6), [wan(v) for v in col(5)]),
            ],
            *[[d[0], d[2], wan(d[3]), d[4], wan(d[5]), d[6]] for d in data],
            [],
            ["填表人：张丽", None, "审核人：赵刚", None, "联系电话：0354-2635117"],
        ]
        sheets.append(
            Sheet(f"{year}年{month}月", rows, ("A1:G1", "A2:D2", "E2:G2", "A4:A5", "B4:C4", "D4:E4", "F4:F5", "G4:G5"),
                  head=(4, 6), body=(7, last), widths=(3.2, 2.2, 2.8, 2.2, 2.8, 3.2, 2.0))
        )
        canon += [[d[1], f"{year}-{month:02d}", d[2], m2(d[3]), d[4], m2(d[5]), float(d[6]), None] for d in data]
    return Book(
        "jinzhong_inventory_2016q1", "xls", "inventory", "晋中市商品住房库存及销售情况统计表", "晋中市住建局",
        date(2016, 4, 6), sheets,
        _inventory_expect(
            canon,
            exercises=[
                "item 9: an .xls written by LibreOffice (MS Excel 97 filter), one sheet per month",
                "grouped headers merged over two rows (可售商品住房 over 套数 | 面积（万平方米）), a 栏次 row",
                "a 全市合计 row of SUM formulas (cached values recalculated by LibreOffice) under the header: not a county",
                "the month only in the sheet name; the 报送日期 above the header is a later month and is not the period",
                "names padded with spaces (和 顺 县, 祁　县 with U+3000); the old name 太谷县 in cells (crosswalk 140726 → 140703)",
                "item 3: a signature footer (填表人 / 审核人 / 联系电话) is not data",
            ],
            outcome="ok",
            notes=["太谷县 is matched through the 2015 crosswalk: 140726 → 140703 (a note, not a problem)"],
            problems=[],
        ),
    )


SHENYANG = (  # 2015 names: 辽中县 became 辽中区 in 2016
    ("和平区", "210102", 7420, 8610, 210, 112, 9350),
    ("沈河区", "210103", 8150, 9240, 230, 113, 9120),
    ("大东区", "210104", 11380, 13050, 330, 115, 7480),
    ("皇姑区", "210105", 10250, 11890, 305, 116, 7960),
    ("铁西区", "210106", 24310, 27960, 690, 115, 7250),
    ("苏家屯区", "210111", 12760, 15180, 310, 119, 5830),
    ("浑南区", "210112", 29840, 35310, 820, 118, 8150),
    ("沈北新区", "210113", 20470, 23950, 520, 117, 5560),
    ("于洪区", "210114", 22150, 25630, 600, 116, 6240),
    ("辽中县", "210115", 3180, 3490, 60, 110, 3620),  # 210122 in 2015
    ("康平县", "210123", 1050, 1160, 18, 110, 3050),
    ("法库县", "210124", 1620, 1790, 28, 110, 3180),
    ("新民市", "210181", 2780, 3040, 52, 109, 3410),
)


def shenyang() -> Book:
    rng = Random(210100)
    data = [(c[0], c[1], *_monthly(rng, *c[2:], factors=(1.35,))[0]) for c in SHENYANG]
    first, last = 6, 5 + len(data)
    col = lambda i: [d[i] for d in data]  # noqa: E731
    rows = [
        ["沈阳市商品住房库存情况月报表（2015年12月）"],
        ["填报单位：沈阳市房产局"],
        ["单位：套、万平方米、元/平方米"],
        ["区、县（市）", "可售商品住房", None, "当月网签商品住房", None, "网签均价（元/平方米）"],
        [None, "套数", "面积（万㎡）", "套数", "面积（万㎡）"],
        *[[d[0], C(d[2], "thou"), wan(d[3]), C(d[4], "thou"), wan(d[5]), C(d[6], "thou")] for d in data],
        [
            "合计",
            f_sum("B", first, last, col(2), "thou"),
            f_sum("C", first, last, [wan(v) for v in col(3)], "dec2"),
            f_sum("D", first, last, col(4), "thou"),
            f_sum("E", first, last, [wan(v) for v in col(5)], "dec2"),
            f_weighted("F", "E", first, last, last + 1, col(6), [wan(v) for v in col(5)], fmt="thou"),
        ],
        [],
        ["填表人：刘洋", None, "审核人：孙伟", None, "填报日期：2016年1月8日"],
    ]
    canon = [[d[1], "2015-12", d[2], m2(d[3]), d[4], m2(d[5]), float(d[6]), None] for d in data]
    return Book(
        "shenyang_inventory_201512_gbk", "csv", "inventory", "沈阳市商品住房库存情况月报表", "沈阳市房产局",
        date(2016, 1, 8),
        [Sheet("2015年12月", rows, ("A1:F1", "A4:A5", "B4:C4", "D4:E4", "F4:F5"), head=(4, 5), body=(6, last + 1))],
        _inventory_expect(
            canon,
            exercises=[
                "item 9: a GBK (code page 936) CSV written by LibreOffice, cells as shown: '29,840' with a thousands separator",
                "a title line with the period (2015年12月), a 填报单位 line and a units line above the header",
                "the grouped header of the workbook flattened by CSV: 可售商品住房 over 套数 | 面积（万㎡）, the second cell empty",
                "a 合计 row at the bottom (SUM results) and a signature footer: neither is data",
                "the old name 辽中县 in cells (crosswalk 210122 → 210115)",
            ],
            outcome="ok",
            encoding="GBK (decodes as GB18030, not as UTF-8)",
            notes=["辽中县 is matched through the 2015 crosswalk: 210122 → 210115"],
            problems=[],
        ),
    )


def huairen() -> Book:
    rng = Random(140624)
    factors = (0.9, 0.55, 1.05, 1.0, 1.08, 1.12, 0.95, 0.92, 1.1, 1.15, 1.05, 1.4)
    data = _monthly(rng, 1860, 1948, 38, 104, 3120, factors)
    first, last = 6, 17
    rows = [
        ["怀仁县2015年商品住房库存及销售情况月报表"],
        ["填报单位（盖章）：怀仁县住房保障和城乡建设管理局"],
        ["单位：套、万平方米、元/平方米"],
        ["月份", "月末可售商品住房", None, "当月销售商品住房", None, "成交均价（元/平方米）"],
        [None, "套数", "面积（万平方米）", "套数", "面积（万平方米）"],
        *[[C(date(2015, m + 1, 1), "ym"), d[0], wan(d[1]), d[2], wan(d[3]), d[4]] for m, d in enumerate(data)],
        [
            "全年合计",
            None,
            None,
            f_sum("D", first, last, [d[2] for d in data]),
            f_sum("E", first, last, [wan(d[3]) for d in data], "dec2"),
            f_weighted("F", "E", first, last, 18, [d[4] for d in data], [wan(d[3]) for d in data]),
        ],
        [],
        ["填表人：郭晓燕", None, "审核人：李国栋", None, "报送日期：2016年1月12日"],
    ]
    canon = [["140681", f"2015-{m + 1:02d}", d[0], m2(d[1]), d[2], m2(d[3]), float(d[4]), None] for m, d in enumerate(data)]
    return Book(
        "huairen_inventory_2015", "xlsx", "inventory", "怀仁县2015年商品住房库存及销售情况月报表", "怀仁县住建局",
        date(2016, 1, 12),
        [Sheet("2015年月报", rows, ("A1:F1", "A2:F2", "A4:A5", "B4:C4", "D4:E4", "F4:F5"), head=(4, 5), body=(6, 18),
               widths=(2.6, 2.2, 2.8, 2.2, 2.8, 3.2))],
        _inventory_expect(
            canon,
            exercises=[
                "item 9: an .xlsx written by LibreOffice (Calc MS Excel 2007 XML filter)",
                "item 4 / 'old names outside cells': the only place is the title, with the 2015 name 怀仁县 "
                "(140624, now 怀仁市 140681); there is no county column and none must be asked for",
                "months as date cells formatted yyyy年m月 in the first column (one county's monthly rows)",
                "a 全年合计 row of SUM formulas (sales only) that is neither a month nor a place",
            ],
            outcome="ok",
            notes=["the region comes from the title: 怀仁县 → 怀仁市 140681 through the 2015 crosswalk"],
            problems=[],
        ),
    )


YINGKOU = (  # county, code, stock area_c, monthly sales area_c, new permits area_c
    ("站前区", "210802", 4125, 96, 40),
    ("西市区", "210803", 3860, 82, 0),
    ("鲅鱼圈区", "210804", 18740, 265, 310),
    ("老边区", "210811", 6420, 71, 55),
    ("盖州市", "210881", 5230, 48, 0),
    ("大石桥市", "210882", 7890, 104, 120),
)


def yingkou_inventory() -> Book:
    rng = Random(210800)
    data = []
    for name, code, stock, sales, new in YINGKOU:
        sold = max(1, round(sales * rng.uniform(0.45, 0.65)))  # February: the Spring Festival trough
        data.append((name, code, stock - sold + new, sold, new))
    first, last = 7, 6 + len(data)
    rows = [
        ["营口市商品住房库存面积统计表（2015年2月）"],
        ["填报单位：营口市住房和城乡建设委员会"],
        ["单位：万平方米"],
        ["县（市）区", "商品住房（万平方米）", None, None, "备注"],
        [None, "可售面积", "当月销售面积", "新增预售许可面积"],
        ["栏次", 1, 2, 3, None],
        *[[d[0], wan(d[2]), wan(d[3]), wan(d[4]) if d[4] else C(0.0, "dec2"), "鲅鱼圈区含经济技术开发区" if d[1] == "210804" else None]
          for d in data],
        [
            "合计",
            f_sum("B", first, last, [wan(d[2]) for d in data], "dec2"),
            f_sum("C", first, last, [wan(d[3]) for d in data], "dec2"),
            f_sum("D", first, last, [wan(d[4]) for d in data], "dec2"),
        ],
        ["注：可售面积指已取得预售许可、尚未网签备案的商品住房面积。"],
        [],
        ["营口市住房和城乡建设委员会　2015年3月"],
    ]
    canon = [[d[1], "2015-02", None, m2(d[2]), None, m2(d[3]), None, m2(d[4])] for d in data]
    return Book(
        "yingkou_inventory_201502_area_only", "xls", "inventory", "营口市商品住房库存面积统计表", "营口市住建委",
        date(2015, 3, 6),
        [Sheet("Sheet1", rows, ("A1:E1", "A4:A5", "B4:D4", "E4:E5", f"A{last + 2}:E{last + 2}"), head=(4, 6),
               body=(7, last + 1), widths=(3.0, 2.6, 3.0, 3.4, 4.6))],
        _inventory_expect(
            canon,
            exercises=[
                "item 6: an area-only return (no 套数, no 成交均价 columns) must import: only place, month, "
                "saleable area and sold area are required",
                "units in the grouped header (商品住房（万平方米）) over 可售面积 | 当月销售面积 | 新增预售许可面积, and a units line",
                "the region header written 县（市）区; the period only in the title; a 栏次 row; a 合计 row by formulas",
                "item 3 / 'sign-off lines': a 注： line and, in the first column, the office name followed by a date "
                "(营口市住房和城乡建设委员会　2015年3月, U+3000 between): dropped with a note, never an unknown place",
            ],
            outcome="ok",
            notes=[
                "saleable_units, sold_units and avg_price_yuan_per_m2 are absent: a note each, not an error",
                "营口市住房和城乡建设委员会　2015年3月 (Excel row 16) and the 注： line (row 14) are dropped with a note",
            ],
            problems=[],
        ),
    )


def xinzhou_bad() -> Book:
    """A bad return: every problem must be reported in one pass, the missing 成交均价 none of them."""
    rng = Random(140900)
    counties = (("忻府区", 9650, 260, 105), ("定襄县", 1320, 28, 100), ("五台县", 1180, 22, 98), ("原平市", 3420, 80, 103),
                ("宁武县", 980, 18, 97), ("代县", 1240, 25, 99), ("繁峙县", 1060, 21, 98))
    table = []
    for name, area_c, sales, size in counties:
        for m, d in enumerate(_monthly(rng, round(area_c * 100 / size), area_c, sales, size, 3000, (1.0, 1.05))):
            table.append([f"2016-{8 + m:02d}", name, d[0], wan(d[1]), d[2], wan(d[3])])
    table.sort(key=lambda r: r[0])
    table[7][1] = "忻州区"  # 2016-09 忻府区 written as a county that does not exist (忻州 is the city)
    table[4][5] = -0.35  # 2016-08 宁武县: a negative sold area
    table[13][0] = "2016-13"  # 2016-09 繁峙县: month 13
    rows = [
        ["忻州市商品住房库存情况统计表（2016年8—9月）"],
        ["填报单位：忻州市住房保障和城乡建设管理局"],
        ["单位：套、万平方米"],
        ["序号", "统计月份", "县（市、区）", "可售套数", "可售面积（万平方米）", "当月销售套数", "当月销售面积（万平方米）"],
        *[[i + 1, *r] for i, r in enumerate(table)],
        [],
        ["填表人：王晋", None, None, "联系电话：0350-3336612"],
    ]
    return Book(
        "xinzhou_inventory_2016_bad", "xlsx", "inventory", "忻州市商品住房库存情况统计表", "忻州市住建局",
        date(2016, 10, 10),
        [Sheet("库存", rows, ("A1:G1",), head=(4, 4), body=(5, 18), widths=(1.4, 2.4, 3.0, 2.2, 3.2, 2.6, 3.6))],
        {
            "kind": "inventory",
            "exercises": [
                "item 6 / 'a missing column hides everything else': no 成交均价 column, and three bad rows; every problem "
                "is reported in one pass, and the missing price is not one of them (it is optional)",
                "long form: one row per county and month, the month in a 统计月份 column as text",
            ],
            "outcome": "refused",
            "rows": 0,
            "problems": [
                {"level": "error", "sheet": "库存", "row": 12, "column": "县（市、区）", "value": "忻州区",
                 "about": "unknown county in 忻州市; suggest 忻府区 (140902)"},
                {"level": "error", "sheet": "库存", "row": 9, "column": "当月销售面积（万平方米）", "value": "-0.35",
                 "about": "negative area"},
                {"level": "error", "sheet": "库存", "row": 18, "column": "统计月份", "value": "2016-13",
                 "about": "no month 13"},
            ],
            "notes": ["no 成交均价 column: a note (avg_price_yuan_per_m2 optional), never 缺少必需的列 or 行数 0"],
            "store": "byte-identical after the refusal",
        },
    )
# -- the returns: household rolls -------------------------------------------------------------------
SURNAMES = "王李张刘陈杨赵黄周吴徐孙马朱胡郭何高林罗郑梁谢宋唐许韩冯邓曹彭曾肖田董袁潘于蒋蔡杜叶程苏魏吕丁任沈姚卢姜崔钟谭陆范金石贾夏付方白邹孟秦邱江薛闫段雷侯史陶贺顾毛郝邵武"
GIVEN = ("秀兰", "建国", "桂英", "志强", "玉兰", "凤英", "德明", "淑珍", "永生", "海燕", "国华", "丽娟", "振东", "春梅",
         "宝山", "金花", "长林", "秀芳", "文斌", "玉珍", "福贵", "艳红", "树林", "翠兰", "德胜", "素芬", "立新", "淑兰")
HOUSEHOLD_COLUMNS = ["household_id", "region_code", "project", "category", "plan_year", "members", "original_area_m2",
                     "is_hardship", "mode", "channel", "compensation_yuan", "status", "purchased_area_m2", "hazard_grade",
                     "seismic_intensity", "signed_month", "relocated_month", "resettled_month"]
STATUS = {"未签约": "unsigned", "已签约": "signed", "已搬迁": "relocated", "已安置": "resettled"}


def _luhn(digits: str) -> str:
    total = 0
    for i, d in enumerate(reversed(digits)):
        n = int(d) * (2 if i % 2 == 0 else 1)
        total += n - 9 if n > 9 else n
    return digits + str(-total % 10)


def _person(rng: Random, area: str) -> dict:
    """A made-up head of household: name, an ID number with a valid check digit, a mobile, a bank card."""
    born = date(rng.randint(1938, 1988), rng.randint(1, 12), rng.randint(1, 28))
    body = f"{area}{born:%Y%m%d}{rng.randint(0, 999):03d}"
    weights = (7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2)
    check = "10X98765432"[sum(int(d) * w for d, w in zip(body, weights, strict=True)) % 11]
    return {
        "name": rng.choice(SURNAMES) + rng.choice(GIVEN),
        "id": body + check,
        "phone": rng.choice(("138", "139", "150", "151", "158", "186", "187", "135")) + f"{rng.randint(0, 99_999_999):08d}",
        "bank": _luhn("621700" + f"{rng.randint(0, 10**12 - 1):012d}"),
    }


def _progress(rng: Random, status: str, start: date, end: date) -> tuple[date | None, date | None, date | None]:
    """Signed, relocated and resettled dates that agree with the status and fall before ``end``."""
    if status == "未签约":
        return None, None, None
    signed = start + timedelta(days=rng.randint(0, (end - start).days - 75))
    relocated = signed + timedelta(days=rng.randint(10, 35)) if status in ("已搬迁", "已安置") else None
    resettled = relocated + timedelta(days=rng.randint(15, 35)) if status == "已安置" else None
    return signed, relocated, resettled


def _ym(d: date | None) -> str | None:
    return None if d is None else f"{d.year}-{d.month:02d}"


def _household_expect(rows: list[list], dropped: list[str], **extra) -> dict:
    col = {c: [r[i] for r in rows] for i, c in enumerate(HOUSEHOLD_COLUMNS)}
    count = lambda c: {v: col[c].count(v) for v in sorted({x for x in col[c] if x is not None}, key=str)}  # noqa: E731
    return {
        "kind": "households",
        **extra,
        "rows": len(rows),
        "regions": {code: col["region_code"].count(code) for code in sorted(set(col["region_code"]))},
        "mode": count("mode"),
        "channel": {**count("channel"), **({"null": col["channel"].count(None)} if None in col["channel"] else {})},
        "status": count("status"),
        "hardship_households": sum(v is True for v in col["is_hardship"]),
        "compensation_yuan_total": round(sum(v for v in col["compensation_yuan"] if v), 2),
        "original_area_m2_total": round(sum(v for v in col["original_area_m2"] if v), 2),
        "personal_columns_dropped": dropped,
        "canonical": {"columns": HOUSEHOLD_COLUMNS, "rows": rows},
    }


def yingkou_households() -> Book:
    rng = Random(210801)
    blocks = (("站前区", "210802", "ZQ", 8, "东风街棚户区改造项目"), ("老边区", "210811", "LB", 6, "柳树镇棚户区改造项目"),
              ("大石桥市", "210882", "DSQ", 10, "镁矿片区棚户区改造项目"))
    hardship = {2: "分散供养特困人员", 5: "低保边缘户", 9: "建档立卡贫困户", 14: "低保户", 19: "贫困残疾人家庭"}
    in_kind = {1: "实物安置", 7: "产权调换", 12: "实物安置", 18: "产权调换", 21: "实物安置"}
    channels = (("政府收购房源", "govt_purchase"), ("自由支配补偿款", "cash"), ("房交会选房", "platform_purchase"),
                ("购买商品房", None), ("自由支配补偿款", "cash"), ("政府收购房源", "govt_purchase"))
    body, canon, merges, i, j = [], [], ["A1:T1", "A2:J2", "K2:T2"], 0, 0
    for c in "ABCDEFGHIJRST":
        merges.append(f"{c}4:{c}5")
    merges += ["K4:N4", "O4:Q4"]
    for county, code, abbr, n, project in blocks:
        merges += [f"B{6 + i}:B{5 + i + n}", f"C{6 + i}:C{5 + i + n}"]
        for k in range(n):
            p = _person(rng, code)
            members = rng.randint(1, 6)
            area = round(rng.uniform(24, 78), 1)
            mode_text = in_kind.get(i, "货币补偿" if i in (4, 16) else "货币化安置")
            monetised = i not in in_kind
            status = rng.choices(("未签约", "已签约", "已搬迁", "已安置"), (15, 35, 30, 20))[0]
            status = {11: "未签约", 20: "已安置", 23: "未签约"}.get(i, status)  # every stage in the roll
            if not monetised and status == "已安置":
                status = "已搬迁"  # a resettlement flat takes years: nobody in kind is resettled yet
            signed, relocated, resettled = _progress(rng, status, date(2016, 3, 1), date(2016, 6, 30))
            channel_text, channel = channels[j % 6] if monetised else (None, None)
            comp_wan = round(area * rng.uniform(4600, 5400) * rng.uniform(1.1, 1.3) / 10000, 2) if monetised else None
            j += monetised
            hid = f"YK-{abbr}-2016{k + 1:03d}"
            written = (
                [C(signed, "date"), f"{signed.year}/{signed.month}/{signed.day}", f"{signed.year}年{signed.month}月"][i % 3]
                if signed else None,
                (C(relocated, "date") if i % 2 == 0 else f"{relocated.year}/{relocated.month}/{relocated.day}")
                if relocated else None,
                (f"{resettled.year}年{resettled.month}月" if i % 2 == 0 else C(resettled, "date")) if resettled else None,
            )
            body.append([
                i + 1, county if k == 0 else None, project if k == 0 else None, hid, p["name"], p["id"], p["phone"],
                members, C(area, "dec1"), hardship.get(i), mode_text, channel_text,
                C(comp_wan, "dec2") if comp_wan is not None else None, status, *written,
                p["bank"] if monetised else None, 2016, "已领取搬迁奖励" if relocated and monetised else None,
            ])
            canon.append([
                hid, code, project, None, 2016, members, area, i in hardship, "monetised" if monetised else "in_kind",
                channel, round(comp_wan * 10000, 2) if comp_wan is not None else None, STATUS[status], None, None, None,
                _ym(signed), _ym(relocated), _ym(resettled),
            ])
            i += 1
    last = 5 + i
    rows = [
        ["营口市2016年棚户区改造居民安置花名册"],
        ["填报单位（盖章）：营口市住房和城乡建设委员会", *[None] * 9, "填报日期：2016年7月5日"],
        ["单位：平方米、万元"],
        ["序号", "所属区县", "项目名称", "户编号", "户主姓名", "身份证号", "联系电话", "家庭人口", "面积", "困难类型",
         "安置情况", None, None, None, "时间节点", None, None, "开户银行账号", "年度", "备注"],
        [*[None] * 10, "方式", "货币化安置途径", "补偿（万元）", "进度", "签约日期", "搬迁日期", "安置（回迁、交房）日期"],
        *body,
        [],
        ["填表单位：营口市住房和城乡建设委员会棚户区改造办公室"],
        ["报送单位：各县（市）区住建局　统计口径：截至2016年6月30日纳入年度计划的棚改户"],
        ["营口市住房和城乡建设委员会　2016年7月"],
    ]
    unknown_rows = [6 + r for r, row in enumerate(body) if row[11] == "购买商品房"]
    return Book(
        "yingkou_households_2016", "xlsx", "households", "营口市2016年棚户区改造居民安置花名册", "营口市住建委",
        date(2016, 7, 5),
        [Sheet("花名册", rows, tuple(merges), head=(4, 5), body=(6, last),
               widths=(1.2, 2.2, 4.6, 3.2, 2.0, 4.2, 3.0, 1.8, 1.6, 3.6, 2.4, 3.2, 2.4, 1.8, 2.6, 2.6, 3.4, 4.8, 1.4, 3.4))],
        _household_expect(
            canon,
            ["户主姓名", "身份证号", "联系电话", "开户银行账号"],
            exercises=[
                "item 1 / 'silent loss': terse headers 面积 (original_area_m2), 方式 (mode), 补偿（万元） (compensation_yuan, "
                "× 10,000) under the grouped header 安置情况; none may end up empty while the file passes",
                "item 5: 所属区县 (region), 困难类型 (is_hardship), 年度 (plan_year), 进度 (status)",
                "item 7: 货币化安置途径 = 购买商品房 in the descriptive channel column: a warning listing its rows, stored as unknown",
                "item 7: 分散供养特困人员, 低保边缘户, 建档立卡贫困户, 低保户, 贫困残疾人家庭 are all hardship",
                "dates under 时间节点: date cells (yyyy/m/d) and text 2016/3/15 and 2016年5月, read as months",
                "the county and the project merged over each county's households (calamine gives the value in the first cell only)",
                "item 8: 户主姓名, 身份证号, 联系电话 and 开户银行账号 (19-digit cards) dropped and named, never shown",
                "item 3: sign-off lines 填表单位：…, 报送单位：…　统计口径：…, and 营口市住房和城乡建设委员会　2016年7月 are not data",
            ],
            outcome="ok with warnings",
            problems=[
                {"level": "warning", "sheet": "花名册", "rows": unknown_rows, "column": "货币化安置途径", "value": "购买商品房",
                 "about": "descriptive value not recognised: channel stored as unknown (null), mappable; never an error"},
            ],
            notes=["category: no 棚户区类型 column (optional, a note)", "the three lines under the table are dropped with a note"],
        ),
    )


def chengqu_households() -> Book:
    rng = Random(140302)
    channels = (("政府收购房源安置", "govt_purchase"), ("政府搭建平台选购商品住房", "platform_purchase"),
                ("居民自由支配补偿款", "cash"))
    body, canon = [], []
    for i in range(18):
        p = _person(rng, "140302")
        members, area = rng.randint(1, 6), round(rng.uniform(28, 82), 1)
        category = ("国有工矿（含煤矿）棚户区", "state_mining") if i % 4 == 3 else ("城市棚户区", "urban_shantytown")
        channel_text, channel = channels[i % 3]
        status = rng.choices(("已签约", "已搬迁", "已安置"), (30, 35, 35))[0]
        comp = round(area * rng.uniform(4200, 5000) * 1.2)
        bought = round(rng.uniform(70, 110), 1) if channel != "cash" and status == "已安置" else None
        hid = f"CQ2016-{i + 1:03d}"
        body.append([i + 1, hid, p["name"], p["id"], category[0], members, C(area, "dec1"), "货币化安置", channel_text,
                     C(comp, "int"), C(bought, "dec1") if bought else None, status, 2016])
        canon.append([hid, "140302", None, category[1], 2016, members, area, None, "monetised", channel, float(comp),
                      STATUS[status], bought, None, None, None, None, None])
    last = 3 + len(body)
    rows = [
        ["城区2016年棚户区改造货币化安置住户花名册"],
        ["填报单位（盖章）：城区住房保障和城乡建设管理局", *[None] * 8, "填报日期：2016年12月20日"],
        ["序号", "户编号", "被安置人", "身份证号码", "棚户区类型", "家庭人口", "原住房建筑面积（㎡）", "安置方式", "安置途径",
         "补偿款（元）", "购房面积（㎡）", "签约状态", "计划年度"],
        *body,
        [],
        ["填表人：杜文静", None, None, "审核人：冯建军", None, None, "联系电话：0353-2021234"],
    ]
    ambiguous = [
        {"code": "140302", "name": "山西省阳泉市城区"},
        {"code": "140502", "name": "山西省晋城市城区"},
        {"code": "140213", "name": "山西省大同市平城区", "as_written_2015": "大同市城区 140202"},
        {"code": "140403", "name": "山西省长治市潞州区", "as_written_2015": "长治市城区 140402"},
        {"code": "441502", "name": "广东省汕尾市城区"},
    ]
    return Book(
        "chengqu_households_2016", "xls", "households", "城区2016年棚户区改造货币化安置住户花名册", "城区住建局",
        date(2016, 12, 20),
        [Sheet("Sheet1", rows, ("A1:M1", "A2:I2", "J2:M2"), head=(3, 3), body=(4, last),
               widths=(1.2, 2.8, 2.0, 4.2, 5.2, 1.8, 3.4, 2.4, 5.0, 2.6, 2.6, 2.0, 2.0))],
        _household_expect(
            canon,
            ["被安置人", "身份证号码"],
            exercises=[
                "item 9: an .xls written by LibreOffice",
                "item 4 / 'ambiguity reported as absence': the only place is 城区 in the title and the 填报单位 line, with no "
                "city: ask which 城区, listing the candidates, never 'the title names no county'",
                "'silent loss': the 安置途径 column must fill channel for every row, also when imported with --region",
                "item 8: 被安置人 (a name) named in the dropped-columns notice",
            ],
            args=["--region", "阳泉市"],  # or --region 140302
            outcome="ok (with --region 阳泉市, or --region 140302)",
            without_args={
                "outcome": "ask",
                "about": "城区 names several counties: which one? (the mapping step, one click away; refused on the CLI)",
                "candidates": ambiguous,
                "note": "the four in 山西 are the ones that matter (大同 and 长治 through the 2015 crosswalk); "
                        "441502 汕尾市城区 exists too, since the registry holds all of China",
            },
            problems=[],
        ),
    )


def fumeng_households() -> Book:
    rng = Random(210921)
    towns = ("阜新镇", "十家子镇", "王府镇", "大巴镇", "于寺镇", "八家子镇")
    channels = (("政府收购房源", "govt_purchase"), ("平台选购商品住房", "platform_purchase"), ("自由支配补偿款", "cash"))
    in_kind = {2, 6, 9, 13, 15}
    body, canon, j = [], [], 0
    for i in range(16):
        p = _person(rng, "210921")
        members, area = rng.randint(1, 6), round(rng.uniform(22, 70), 1)
        category = ("国有工矿（含煤矿）棚户区", "state_mining") if i % 2 == 0 else ("城市棚户区", "urban_shantytown")
        monetised = i not in in_kind
        status = rng.choices(("未签约", "已签约", "已搬迁"), (25, 45, 30))[0]
        signed, _, _ = _progress(rng, status, date(2017, 3, 1), date(2017, 8, 31))
        channel_text, channel = channels[j % 3] if monetised else (None, None)
        j += monetised
        comp = round(area * rng.uniform(3300, 3900) * 1.15 / 10) * 10 if monetised else None
        body.append([i + 1, "阜蒙县", towns[i % 6], p["name"], p["id"], p["phone"], category[0], members, C(area, "dec1"),
                     "货币化安置" if monetised else "实物安置", channel_text, C(comp, "thou") if comp else None, status,
                     C(signed, "date") if signed else None, 2017])
        canon.append([None, "210921", None, category[1], 2017, members, area, None,
                      "monetised" if monetised else "in_kind", channel, float(comp) if comp else None, STATUS[status],
                      None, None, None, _ym(signed), None, None])
    first, last = 4, 3 + len(body)
    rows = [
        ["阜蒙县2017年棚户区改造安置对象花名册"],
        ["填报单位：阜蒙县住房和城乡建设局"],
        ["序号", "县区", "乡镇（街道）", "户主姓名", "身份证号", "联系电话", "棚户区类型", "家庭人口", "原住房面积（平方米）",
         "安置方式", "货币化安置方式", "补偿金额（元）", "签约状态", "签约日期", "计划年度"],
        *body,
        ["合计", None, None, None, None, None, None, f_sum("H", first, last, [r[7] for r in body]),
         f_sum("I", first, last, [r[8].value for r in body], "dec1"),
         None, None, f_sum("L", first, last, [r[11].value if r[11] else None for r in body], "thou")],
        [],
        ["说明：本表由各乡镇（街道）填报，县住建局汇总；补偿金额含搬迁补助和奖励。"],
        ["填表人：韩冬梅", None, None, "审核人：于振江", None, None, "联系电话：0418-8812345"],
    ]
    return Book(
        "fumeng_households_2017_gbk", "csv", "households", "阜蒙县2017年棚户区改造安置对象花名册", "阜蒙县住建局",
        date(2017, 9, 8),
        [Sheet("花名册", rows, ("A1:O1",), head=(3, 3), body=(4, last + 1))],
        _household_expect(
            canon,
            ["户主姓名", "身份证号", "联系电话"],
            exercises=[
                "item 9: a GBK CSV roll written by LibreOffice; amounts as shown ('123,450'), dates as shown (2017/4/12)",
                "item 4 / 'vocabulary gaps': 阜蒙县 in every row is the usual short name of 阜新蒙古族自治县 (210921)",
                "no household number: household_id is a keyed hash (null below: compare the other columns)",
                "a 合计 row with SUM results at the bottom, a 说明 line and a signature footer: not households",
                "乡镇（街道） is a known ignorable column",
            ],
            outcome="ok",
            problems=[],
            notes=["household_id: hashed (no 户编号 column); the relocated dates are not in this roll (no column)"],
        ),
    )


def taigu_households() -> Book:
    rng = Random(140726)
    projects = (("城东片区棚户区改造项目", "城市棚户区", "urban_shantytown"), ("胡村镇城中村改造项目", "城中村", "urban_village"),
                ("老城区危旧房改造项目", "城市危房", "urban_dilapidated"))
    modes = {0: ("货币化安置", "政府收购", "govt_purchase"), 1: ("货币化安置", "自行购房", "cash"),
             2: ("产权调换", None, None), 3: ("货币化安置", "房票", "platform_purchase"), 4: ("回迁安置", None, None)}
    body, canon = [], []
    for i in range(14):
        p = _person(rng, "140726")
        project = projects[0 if i < 7 else 1 if i < 12 else 2]
        members, area = rng.randint(1, 6), round(rng.uniform(30, 95), 1)
        mode_text, channel_text, channel = modes[i % 5]
        monetised = mode_text == "货币化安置"
        status = rng.choices(("未签约", "已签约", "已搬迁"), (20, 50, 30))[0]
        signed, _, _ = _progress(rng, status, date(2015, 5, 1), date(2015, 11, 15))
        comp = round(area * rng.uniform(3400, 4000) * 1.2) if monetised else None
        hid = f"TG2015-{i + 1:04d}"
        body.append([i + 1, hid, p["name"], p["id"], project[0], project[1], members, C(area, "dec1"), mode_text,
                     channel_text, C(comp, "int") if comp else None, status, C(signed, "date") if signed else None])
        canon.append([hid, "140703", project[0], project[2], 2015, members, area, None,
                      "monetised" if monetised else "in_kind", channel, float(comp) if comp else None, STATUS[status],
                      None, None, None, _ym(signed), None, None])
    last = 4 + len(body)
    rows = [
        ["2015年棚户区改造安置花名册"],
        ["填报单位（盖章）：", *[None] * 8, "填报日期：2015年11月20日"],
        ["序号", "档案编号", "户主", "身份证号", "项目名称", "棚户区类型", "人口", "原房屋面积（㎡）", "安置情况"],
        [*[None] * 8, "安置方式", "货币化安置方式", "补偿款合计（元）", "进度", "签约时间"],
        *body,
        [],
        ["制表：县住建局棚改办", None, None, "审核：", None, None, None, None, "日期：2015年11月20日"],
    ]
    merges = ("A1:M1", "A2:I2", "J2:M2", *[f"{c}3:{c}4" for c in "ABCDEFGH"], "I3:M3")
    return Book(
        "taigu_households_2015", "xlsx", "households", "2015年棚户区改造安置花名册", "太谷县住建局", date(2015, 11, 20),
        [Sheet("太谷县", rows, merges, head=(3, 4), body=(5, last),
               widths=(1.2, 3.0, 2.0, 4.2, 5.0, 2.6, 1.4, 3.2, 2.4, 3.0, 3.2, 1.8, 2.6))],
        _household_expect(
            canon,
            ["户主", "身份证号"],
            exercises=[
                "item 4 / 'old names outside cells': the county only in the sheet name, as the 2015 name 太谷县 "
                "(140726, now 太谷区 140703); no county column, an empty 填报单位",
                "item 6: no 计划年度 column: the year comes from the title (2015), and its absence never refuses the roll",
                "a grouped header 安置情况 over five columns; 档案编号 as household_id; 补偿款合计（元）",
                "item 3: a footer beginning with 制表：, not 填表人",
            ],
            outcome="ok",
            problems=[],
            notes=["plan_year 2015 from the title (or null with a note: never a refusal)",
                   "太谷县 matched through the 2015 crosswalk: 140726 → 140703"],
        ),
    )
# -- the returns: plans -----------------------------------------------------------------------------
JINCHENG = (  # county, code, (planned households, monetised share) for 2015, 2016, 2017; shares typed as text?
    ("城区", "140502", ((2860, 0.40), (3150, 0.55), (2480, 0.65)), False),
    ("沁水县", "140521", ((1120, 0.30), (1380, 0.50), (1050, 0.60)), False),
    ("阳城县", "140522", ((1960, 0.35), (2240, 0.50), (1870, 0.60)), False),
    ("陵川县", "140524", ((780, 0.30), (920, 0.45), (860, 0.55)), False),
    ("泽州县", "140525", ((2350, 0.35), (2610, 0.55), (2140, 0.65)), False),
    ("高平市", "140581", ((1840, 0.40), (2060, 0.55), (1720, 0.60)), True),  # a clerk typed the shares as text
)
PLAN_COLUMNS = ["region_code", "year", "planned_households", "target_monetised_share"]


def _plan_expect(rows: list[list], **extra) -> dict:
    years = sorted({r[1] for r in rows})
    return {
        "kind": "plans",
        **extra,
        "rows": len(rows),
        "regions": sorted({r[0] for r in rows}),
        "years": years,
        "planned_households_by_year": {y: sum(r[2] for r in rows if r[1] == y) for y in years},
        "canonical": {"columns": PLAN_COLUMNS, "rows": rows},
    }


def jincheng_plan() -> Book:
    first, last = 6, 5 + len(JINCHENG)
    body, canon = [], []
    for name, code, years, as_text in JINCHENG:
        row = [name]
        for y, (n, share) in enumerate(years):
            row += [n, f"{round(share * 100)}%" if as_text else C(share, "pct")]
            canon.append([code, 2015 + y, n, share])
        k = len(body) + first
        row.append(C(None, "int", f"=B{k}+D{k}+F{k}", sum(n for n, _ in years)))
        body.append(row)
    total = ["全市合计"]
    for y, (n_col, s_col) in enumerate((("B", "C"), ("D", "E"), ("F", "G"))):
        ns = [c[2][y][0] for c in JINCHENG]
        shares = [c[2][y][1] for c in JINCHENG]
        # the clerk's weighted share skips the text cells, as SUMPRODUCT does: the 合计 share covers the numbers only
        numeric = [s if not c[3] else None for s, c in zip(shares, JINCHENG, strict=True)]
        weights = [n if not c[3] else 0 for n, c in zip(ns, JINCHENG, strict=True)]
        value = half_up(sum(s * w for s, w in zip(numeric, weights, strict=True) if s is not None) / sum(ns), 2)
        total += [f_sum(n_col, first, last, ns),
                  C(None, "pct", f"=ROUND(SUMPRODUCT({n_col}{first}:{n_col}{last},{s_col}{first}:{s_col}{last})/"
                                 f"{n_col}{last + 1},2)", value)]
    total.append(f_sum("H", first, last, [sum(n for n, _ in c[2]) for c in JINCHENG]))
    rows = [
        ["晋城市2015—2017年棚户区改造计划表"],
        ["填报单位：晋城市住房保障和城乡建设管理局"],
        ["单位：户"],
        ["县（市、区）", "2015年", None, "2016年", None, "2017年", None, "三年合计（户）"],
        [None, "计划户数", "货币化比例", "计划户数", "货币化比例", "计划户数", "货币化比例"],
        *body,
        total,
        [],
        ["填表人：秦晓峰", None, None, "审核人：常海军", None, None, "填报日期：2015年6月18日"],
    ]
    return Book(
        "jincheng_plan_2015_2017", "xls", "plans", "晋城市2015—2017年棚户区改造计划表", "晋城市住建局", date(2015, 6, 18),
        [Sheet("计划表", rows, ("A1:H1", "A4:A5", "B4:C4", "D4:E4", "F4:G4", "H4:H5"), head=(4, 5), body=(6, last + 1),
               widths=(3.0, 2.2, 2.4, 2.2, 2.4, 2.2, 2.4, 3.0))],
        _plan_expect(
            canon,
            exercises=[
                "item 9: a wide .xls plan table written by LibreOffice: 2015年 | 2016年 | 2017年 merged over 计划户数 | 货币化比例",
                "shares as percentage cells (0.4 shown 40%) and, for 高平市, typed as text '40%': both 0.40",
                "a 三年合计（户） column of row formulas (=B+D+F) that is a total, not a year: ignorable, never an error",
                "a 全市合计 row of SUM / SUMPRODUCT formulas; 城区 settled by 晋城市 in the title (140502)",
            ],
            outcome="ok",
            problems=[],
            notes=[
                "unpivoted: one row per county and year",
                "the 全市合计 share is the clerk's SUMPRODUCT, which skips 高平市's text shares (30% for 2015): "
                "a total row, never data, and never a check on the counties' shares",
            ],
        ),
    )


PANJIN = (("双台子区", "211102", 3420, 0.65, None), ("兴隆台区", "211103", 4860, 0.70, "含辽河油田矿区棚户区"),
          ("大洼县", "211104", 2150, 0.60, "大洼县2016年撤县设区"), ("盘山县", "211122", 1380, 0.50, None))


def panjin_plan() -> Book:
    first, last = 5, 4 + len(PANJIN)
    rows = [
        ["盘锦市2016年棚户区改造计划任务分解表"],
        ["填报单位：盘锦市住房和城乡建设委员会"],
        ["单位：户"],
        ["序号", "县（区）", "计划改造户数", "货币化安置目标比例", "备注"],
        *[[i + 1, name, C(n, "thou"), C(share, "pct"), note] for i, (name, _, n, share, note) in enumerate(PANJIN)],
        ["合计", None, f_sum("C", first, last, [p[2] for p in PANJIN], "thou"),
         f_weighted("D", "C", first, last, last + 1, [p[3] for p in PANJIN], [p[2] for p in PANJIN], 2, "pct")],
        [],
        ["填表人：高岩", None, "填报日期：2016年3月2日"],
    ]
    canon = [[code, 2016, n, share] for _, code, n, share, _ in PANJIN]
    return Book(
        "panjin_plan_2016_gbk", "csv", "plans", "盘锦市2016年棚户区改造计划任务分解表", "盘锦市住建委", date(2016, 3, 2),
        [Sheet("计划", rows, ("A1:E1",), head=(4, 4), body=(5, last + 1))],
        _plan_expect(
            canon,
            exercises=[
                "item 9: a GBK CSV plan table written by LibreOffice: shares as shown (65%), households as '4,860'",
                "item 6: no 计划年度 column; the year is in the title (2016年)",
                "the 2015-era name 大洼县 (211121 → 211104 大洼区), a 合计 row, a 备注 column (ignorable) and a footer",
            ],
            outcome="ok",
            problems=[],
            notes=["year 2016 from the title", "大洼县 matched through the 2015 crosswalk: 211121 → 211104"],
        ),
    )


BOOKS: list[Book] = [
    jinzhong(), shenyang(), huairen(), yingkou_inventory(), xinzhou_bad(),
    yingkou_households(), chengqu_households(), fumeng_households(), taigu_households(),
    jincheng_plan(), panjin_plan(),
]
# fmt: on


# -- expected.yaml ----------------------------------------------------------------------------------
YAML_HEAD = """\
# What a correct import of each file in this folder must give. Generated by tools/build_office_files.py from
# the same sources as the files: edit the script, not this file.
#
# Units are the canonical ones (docs of the contract): areas in m2, money in yuan, shares 0-1, months YYYY-MM.
# Compare floats with a tolerance of 0.01. `rows` counts canonical rows; `canonical.rows` lists them in file
# order (household_id as written; the store may scope it by county, 140302-CQ2016-001; null: a keyed hash,
# compare the other columns). `args` are the import arguments an
# analyst would give; `without_args` is what must happen without them. Excel rows count from 1.
# `outcome`: ok, ok with warnings, ask (stops at the mapping step with a choice; the CLI refuses and names
# it), refused (every problem listed in one pass, the store byte-identical).
"""


YAML_WORDS = {"null", "true", "false", "yes", "no", "on", "off", "y", "n", "~"}


def _scalar(v: object) -> str:
    return json.dumps(v, ensure_ascii=False)


def _yaml(value: object, indent: int = 0) -> list[str]:
    pad = " " * indent
    out = []
    if isinstance(value, dict):
        for k, v in value.items():
            bare = re.fullmatch(r"[A-Za-z_][A-Za-z0-9_]*", str(k)) and str(k).lower() not in YAML_WORDS
            key = str(k) if bare else _scalar(str(k))
            if isinstance(v, (dict, list)) and v and not _flat(v):
                out.append(f"{pad}{key}:")
                out += _yaml(v, indent + 2)
            else:
                out.append(f"{pad}{key}: {_flow(v)}")
    else:
        for v in value:
            if isinstance(v, dict):
                lines = _yaml(v, indent + 2)
                out.append(f"{pad}- {lines[0].strip()}")
                out += lines[1:]
            else:
                out.append(f"{pad}- {_flow(v)}")
    return out


def _flat(v: object) -> bool:
    """Short lists and mappings of scalars go on one line."""
    items = v.values() if isinstance(v, dict) else v
    return all(not isinstance(x, (dict, list)) for x in items) and len(_flow(v)) <= 110


def _flow(v: object) -> str:
    if isinstance(v, list):
        return "[" + ", ".join(_flow(x) for x in v) + "]"
    if isinstance(v, dict):
        return "{" + ", ".join(f"{_scalar(str(k))}: {_flow(x)}" for k, x in v.items()) + "}"
    return _scalar(v)


def expected_yaml() -> str:
    files = {}
    for book in BOOKS:
        files[book.file_name] = {
            "written_by": f"LibreOffice, filter {FILTERS[book.ext].split(':', 1)[1]}",
            **book.expect,
        }
    text = YAML_HEAD + "\n".join(_yaml({"files": files})) + "\n"
    import yaml  # the emitter above is checked by the real parser: what it wrote is what the script meant

    assert yaml.safe_load(text) == json.loads(json.dumps({"files": files}, ensure_ascii=False)), "expected.yaml"
    return text


# -- main -------------------------------------------------------------------------------------------
def build(out: Path = OUT, keep: Path | None = None) -> None:
    out.mkdir(parents=True, exist_ok=True)
    with tempfile.TemporaryDirectory(prefix="office-files-") as tmp:
        tmp = Path(tmp)
        src, conv, profile = tmp / "src", tmp / "out", tmp / "profile"
        for d in (src, conv, profile / "user"):
            d.mkdir(parents=True)
        (profile / "user" / "registrymodifications.xcu").write_text(ZH_CN_PROFILE, encoding="utf-8")
        by_ext: dict[str, list[Path]] = {}
        for book in BOOKS:
            path = src / f"{book.stem}.fods"
            path.write_text(fods(book), encoding="utf-8")
            by_ext.setdefault(book.ext, []).append(path)
        if keep:
            keep.mkdir(parents=True, exist_ok=True)
            for p in src.iterdir():
                shutil.copy2(p, keep / p.name)
        for ext, sources in by_ext.items():
            convert(sources, ext, conv, profile)
        names = set()
        for book in BOOKS:
            new = conv / book.file_name
            summary = check_csv(new, book) if book.ext == "csv" else check_workbook(new, book)
            target = out / book.file_name
            names.add(book.file_name)
            if (book.ext == "xlsx" and same_xlsx(target, new)) or (
                target.is_file() and target.read_bytes() == new.read_bytes()
            ):
                state = "unchanged"
            else:
                shutil.copyfile(new, target)
                state = "written"
            print(f"{state:9} {book.file_name:44} {target.stat().st_size:6,} B  {book.kind:10} {summary}")
    for stale in sorted(out.glob("*")):
        if stale.suffix in (".xls", ".xlsx", ".csv") and stale.name not in names:
            stale.unlink()
            print(f"removed   {stale.name}")
    text, target = expected_yaml(), out / "expected.yaml"
    state = "unchanged" if target.is_file() and target.read_text(encoding="utf-8") == text else "written"
    target.write_text(text, encoding="utf-8")
    print(f"{state:9} expected.yaml ({len(BOOKS)} files)")


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n", 1)[0])
    parser.add_argument("--out", type=Path, default=OUT, help="output folder (default tests/files/office)")
    parser.add_argument("--keep", type=Path, help="also copy the .fods sources into this folder")
    args = parser.parse_args(argv)
    if not __debug__:
        sys.exit("run without -O: the read-back checks are assert statements")
    build(args.out, args.keep)


if __name__ == "__main__":
    main()
