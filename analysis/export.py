"""Tables for people and the CSV / Excel files of them: what the screen shows, ready to forward.

:func:`for_people` turns canonical columns into Chinese headers with display units (catalogue), values in
those units rounded to the column's decimals (half away from zero, as the screen shows them), enum codes
into their Chinese labels. The files keep those values as numbers with fixed decimals; Excel gets number
formats, widths that fit the Chinese headers, a frozen header row and a 说明 sheet (口径, as-of month).
Text cells that a spreadsheet would run as a formula (``=``, ``+``, ``-``, ``@``, tab, CR first) are
written as text in both formats.
"""

from __future__ import annotations

import io
import unicodedata
from collections.abc import Mapping

import pandas as pd

from analysis import catalogue
from analysis.format import is_missing, round_half_away

FORMULA_START = ("=", "+", "-", "@", "\t", "\r")
DECIMALS_ATTR = "decimals"  # DataFrame.attrs key: header → decimals of a numeric column
COLUMNS_ATTR = "columns"  # DataFrame.attrs key: header → the catalogue column it shows
ROW_DECIMALS_ATTR = "row_decimals"  # header → decimals of each row (None: text) for a column of mixed figures


def header(column: str) -> str:
    """``'saleable_area_m2'`` → ``'可售面积（万㎡）'`` (a column the catalogue does not know keeps its name)."""
    spec = catalogue.columns().get(column)
    return spec.header if spec else column


def for_people(
    frame: pd.DataFrame,
    columns: list[str] | None = None,
    *,
    labels: Mapping[str, Mapping[str, str]] | None = None,
) -> pd.DataFrame:
    """Chinese headers, display units and rounded values; ``attrs['decimals']`` gives each number column's decimals.

    ``labels`` adds value labels for columns the catalogue has none for.
    """
    columns = columns or list(frame.columns)
    out = pd.DataFrame(index=frame.index)
    decimals: dict[str, int] = {}
    sources: dict[str, str] = {}
    for col in columns:
        spec = catalogue.columns().get(col)
        values = frame[col]
        name = header(col)
        if pd.api.types.is_bool_dtype(values):  # 是 / 否, never True / False
            values = values.map(lambda v: None if is_missing(v) else ("是" if v else "否")).astype(object)
        elif spec is not None and spec.is_numeric and not spec.values:
            numbers = pd.to_numeric(values, errors="coerce").astype(float) / spec.divisor
            values = numbers.map(lambda v, d=spec.decimals: None if is_missing(v) else round_half_away(v, d))
            values = values.astype("float64") if spec.decimals else values.astype("Int64")
            decimals[name] = spec.decimals
        elif spec is not None and spec.values:
            values = values.map(lambda v, s=spec: s.value_label(v) if isinstance(v, str) else v)
        elif labels and col in labels:
            values = values.map(lambda v, m=labels[col]: m.get(v, v) if isinstance(v, str) else v)
        out[name] = values
        sources[name] = col
    out = out.reset_index(drop=True)
    out.attrs[DECIMALS_ATTR] = decimals
    out.attrs[COLUMNS_ATTR] = sources
    return out


def escape_formula(value: object) -> object:
    """A text cell that would start a formula in Excel or LibreOffice is kept as text (``'=1+1``)."""
    if isinstance(value, str) and value.startswith(FORMULA_START):
        return "'" + value
    return value


def _decimals(frame: pd.DataFrame) -> dict[str, int]:
    known = dict(frame.attrs.get(DECIMALS_ATTR) or {})
    for col in frame.columns:
        if (
            col not in known
            and pd.api.types.is_numeric_dtype(frame[col])
            and not pd.api.types.is_bool_dtype(frame[col])
        ):
            known[col] = 0 if pd.api.types.is_integer_dtype(frame[col]) else 2
    return known


def to_csv_bytes(frame: pd.DataFrame) -> bytes:
    """UTF-8 with BOM (Chinese Excel opens it); numbers with the column's fixed decimals; no live formulas."""
    decimals = _decimals(frame)
    per_row = frame.attrs.get(ROW_DECIMALS_ATTR) or {}
    out = pd.DataFrame(index=frame.index)
    for col in frame.columns:
        if col in per_row:
            out[col] = [_cell_text(v, d) for v, d in zip(frame[col], per_row[col], strict=True)]
        elif col in decimals:
            d = decimals[col]
            out[col] = frame[col].map(lambda v, d=d: "" if is_missing(v) else f"{float(v):.{d}f}")
        else:
            out[col] = frame[col].map(lambda v: "" if is_missing(v) else escape_formula(str(v)))
    return out.to_csv(index=False, lineterminator="\r\n").encode("utf-8-sig")


def _cell_text(v: object, d: int | None) -> str:
    if is_missing(v):
        return ""
    return f"{float(v):.{d}f}" if d is not None else str(escape_formula(str(v)))


def _width(text: object) -> int:
    """Display width: CJK and full-width characters count two."""
    return sum(2 if unicodedata.east_asian_width(ch) in ("W", "F") else 1 for ch in str(text))


def to_excel_bytes(sheets: Mapping[str, pd.DataFrame], notes: list[str] | None = None) -> bytes:
    """An .xlsx with one sheet per table (number formats, fitted widths, frozen header) and a 说明 sheet."""
    from openpyxl import Workbook
    from openpyxl.styles import Alignment, Font, PatternFill

    wb = Workbook()
    wb.remove(wb.active)
    for name, frame in sheets.items():
        ws = wb.create_sheet(_sheet_name(name))
        decimals = _decimals(frame)
        per_row = frame.attrs.get(ROW_DECIMALS_ATTR) or {}
        ws.append([str(c) for c in frame.columns])
        for cell in ws[1]:
            cell.font = Font(bold=True)
            cell.fill = PatternFill("solid", fgColor="F2F2F2")
            cell.alignment = Alignment(vertical="center", wrap_text=False)
        widths = [_width(c) for c in frame.columns]
        years = _year_columns(frame)
        for i, row in enumerate(frame.itertuples(index=False)):
            cells, formats = [], []
            for j, v in enumerate(row):
                col = frame.columns[j]
                d = per_row[col][i] if col in per_row else decimals.get(col)
                formats.append(d)
                if is_missing(v):
                    cells.append(None)
                elif col in per_row and d is None:
                    cells.append(str(v))
                elif d is not None:
                    cells.append(float(v) if d else int(round(float(v))))
                else:
                    cells.append(str(v))
            ws.append(cells)
            r = ws.max_row
            for j, v in enumerate(cells):
                cell = ws.cell(r, j + 1)
                d = formats[j]
                if d is not None and v is not None and not isinstance(v, str):
                    year = frame.columns[j] in years
                    cell.number_format = "0" if year else "#,##0" + ("." + "0" * d if d else "")
                    widths[j] = max(widths[j], len(f"{v:,.{d}f}"))
                elif isinstance(v, str):
                    cell.data_type = "s"  # never a formula, whatever the text
                    if v.startswith(FORMULA_START):
                        cell.quotePrefix = True
                    widths[j] = max(widths[j], _width(v))
        for j, w in enumerate(widths, start=1):
            ws.column_dimensions[ws.cell(1, j).column_letter].width = min(60, w + 3)
        ws.freeze_panes = "A2"
    if notes:
        ws = wb.create_sheet("说明")
        ws.append(["说明"])
        ws["A1"].font = Font(bold=True)
        for line in notes:
            ws.append([str(line)])
            cell = ws.cell(ws.max_row, 1)
            cell.data_type = "s"
            cell.alignment = Alignment(wrap_text=True, vertical="top")
        ws.column_dimensions["A"].width = 110
    buf = io.BytesIO()
    wb.save(buf)
    return buf.getvalue()


def _sheet_name(name: str) -> str:
    """Excel's rules: at most 31 characters, none of ``[]:*?/\\``."""
    clean = "".join("_" if ch in "[]:*?/\\" else ch for ch in str(name)).strip("'") or "数据"
    return clean[:31]


def notes_for(columns: list[str], *, as_of: str | None = None, context: str = "", synthetic: bool = False) -> list[str]:
    """The 说明 sheet: what the table is, the as-of month, whether the data is synthetic, the 口径 of its columns."""
    lines = []
    if context:
        lines.append(context)
    if as_of:
        lines.append(f"数据截至：{as_of}")
    if synthetic:
        lines.append("演示数据：内置的合成数据，不是真实统计，不能作为决策依据。")
    for col in columns:
        spec = catalogue.columns().get(col)
        if spec is not None and spec.formula:
            lines.append(f"{spec.header}：{spec.formula}")
    return lines


def _year_columns(frame: pd.DataFrame) -> set[str]:
    """Columns of years (计划年度（年）): 2016, never 2,016."""
    sources = frame.attrs.get("columns", {})
    specs = catalogue.columns()
    return {
        c for c in frame.columns
        if str(c).endswith("（年）") or (sources.get(c) in specs and specs[sources[c]].unit == "年")
    }  # fmt: skip
