"""The hostile files of issue 13, built in code (never committed): each is small, and each once held the
server for minutes or brought it down.

- :func:`sparse_xlsx`: a 1.5 KB workbook with one cell at A1 and one at XFD1048576 (calamine asked for
  549,755,813,888 bytes and aborted the process);
- :func:`sparse_workbook`: a 2 KB workbook whose cells reach XFD17000 (calamine's block: 8.9 GB);
- :func:`long_row_csv`: a CSV whose one data row is 10, 40 or 80 KB long (header detection was quadratic);
- :func:`long_place_csv`: an unknown place name of 3 million characters (name matching was quadratic);
- :func:`zip_bomb`: an .xlsx of about 1 MB whose sheet unpacks to 380 MB of cells, under the 400 MB limit.
"""

from __future__ import annotations

import io
import zipfile

NS = "http://schemas.openxmlformats.org/spreadsheetml/2006/main"
REL = "http://schemas.openxmlformats.org/officeDocument/2006/relationships"
PKG = "http://schemas.openxmlformats.org/package/2006/relationships"


def _xml(body: str) -> str:
    return '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n' + body


def workbook_parts(sheets: list[str], hidden: tuple[int, ...] = ()) -> dict[str, str]:
    """Every part of a minimal .xlsx but the sheets' own XML (xl/worksheets/sheet1.xml …)."""
    types = "".join(
        f'<Override PartName="/xl/worksheets/sheet{i}.xml" '
        'ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.worksheet+xml"/>'
        for i in range(1, len(sheets) + 1)
    )
    state = ' state="hidden"'
    entries = "".join(
        f'<sheet name="{name}" sheetId="{i}" r:id="rId{i}"{state if i - 1 in hidden else ""}/>'
        for i, name in enumerate(sheets, 1)
    )
    rels = "".join(
        f'<Relationship Id="rId{i}" Type="{REL}/worksheet" Target="worksheets/sheet{i}.xml"/>'
        for i in range(1, len(sheets) + 1)
    )
    return {
        "[Content_Types].xml": _xml(
            '<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">'
            '<Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/>'
            '<Default Extension="xml" ContentType="application/xml"/>'
            '<Override PartName="/xl/workbook.xml" '
            'ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml"/>'
            f"{types}</Types>"
        ),
        "_rels/.rels": _xml(
            f'<Relationships xmlns="{PKG}"><Relationship Id="rId1" Type="{REL}/officeDocument" '
            'Target="xl/workbook.xml"/></Relationships>'
        ),
        "xl/workbook.xml": _xml(f'<workbook xmlns="{NS}" xmlns:r="{REL}"><sheets>{entries}</sheets></workbook>'),
        "xl/_rels/workbook.xml.rels": _xml(f'<Relationships xmlns="{PKG}">{rels}</Relationships>'),
    }


def sheet_xml(cells: list[tuple[str, object]], dimension: str | None = None, extra: str = "") -> str:
    """A sheet's XML from (reference, value) pairs: numbers as <v>, texts inline."""
    rows: dict[int, list[str]] = {}
    for ref, value in cells:
        row = int("".join(ch for ch in ref if ch.isdigit()))
        if isinstance(value, str):
            cell = f'<c r="{ref}" t="inlineStr"><is><t>{value}</t></is></c>'
        else:
            cell = f'<c r="{ref}"><v>{value}</v></c>'
        rows.setdefault(row, []).append(cell)
    body = "".join(f'<row r="{r}">{"".join(cs)}</row>' for r, cs in sorted(rows.items()))
    dim = f'<dimension ref="{dimension}"/>' if dimension else ""
    return _xml(f'<worksheet xmlns="{NS}">{dim}<sheetData>{body}</sheetData>{extra}</worksheet>')


def xlsx(sheets: dict[str, str], hidden: tuple[int, ...] = ()) -> bytes:
    """A workbook from sheet name → sheet XML."""
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w", zipfile.ZIP_DEFLATED) as zf:
        for name, text in workbook_parts(list(sheets), hidden).items():
            zf.writestr(name, text)
        for i, text in enumerate(sheets.values(), 1):
            zf.writestr(f"xl/worksheets/sheet{i}.xml", text)
    return buf.getvalue()


def sparse_xlsx(far: str = "XFD1048576") -> bytes:
    return xlsx({"Sheet1": sheet_xml([("A1", "县区"), (far, 1)], dimension=f"A1:{far}")})


def sparse_workbook() -> bytes:
    """A county inventory header, one row, and a stray number at XFD17000."""
    cells = [("A1", "县区"), ("B1", "统计月份"), ("C1", "可售面积"), ("A2", "小店区"), ("B2", "2016-06")]
    return xlsx({"库存": sheet_xml([*cells, ("C2", 1200), ("XFD17000", 1)])})


def long_row_csv(kilobytes: int) -> bytes:
    """A header and one data row of ``kilobytes`` KB (numbers, one per column)."""
    row = ",".join(["1"] * (kilobytes * 1024 // 2))
    return ("县区,统计月份,可售面积\n" + row + "\n").encode()


def long_place_csv(chars: int = 3_000_000) -> bytes:
    return ("县区,统计月份,可售面积,销售面积\n" + "某" * chars + ",2016-06,1,2\n").encode()


def zip_bomb(megabytes: int = 380) -> bytes:
    """One sheet of identical rows of ten numeric cells, streamed into the zip (never held whole)."""
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w", zipfile.ZIP_DEFLATED, compresslevel=1) as zf:
        for name, text in workbook_parts(["Sheet1"]).items():
            zf.writestr(name, text)
        with zf.open("xl/worksheets/sheet1.xml", "w", force_zip64=True) as fh:
            fh.write(f'<?xml version="1.0" encoding="UTF-8"?><worksheet xmlns="{NS}"><sheetData>'.encode())
            row = b"<row>" + b"<c><v>1</v></c>" * 10 + b"</row>"
            block = row * (1024 * 1024 // len(row))
            for _ in range(megabytes):
                fh.write(block)
            fh.write(b"</sheetData></worksheet>")
    return buf.getvalue()
