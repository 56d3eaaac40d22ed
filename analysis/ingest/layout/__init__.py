"""Finding the table in a sheet as clerks lay it out.

Title and unit lines above, grouped headers over up to three rows (merged or not), a 栏次 row, 合计 /
小计 rows anywhere, a signature footer and a 说明 block below, the month only in the sheet name or the
title, wide plan tables (``2015年 | 2016年 | 2017年``). The result is one :class:`SourceTable` per
table found (one per year for a wide plan table) with canonical column names, unit scales, the rows'
Excel numbers, and the totals kept aside for the arithmetic check. Personal columns are dropped here:
their values serve only to make a keyed hash where a roll has no household number.

The modules: ``header`` (the header block and its columns), ``units``, ``places`` (place and time in
titles and names), ``rows`` (where the table ends), ``ids`` (household ids), ``tables`` (assembling).
"""

from __future__ import annotations

import secrets

from analysis import catalogue
from analysis.catalogue import kind_label
from analysis.ingest.layout.header import INSTRUCTION_SHEETS, Header, classify, find_header, header_grid
from analysis.ingest.layout.rows import too_long
from analysis.ingest.layout.tables import tables_of
from analysis.ingest.limits import MAX_NAME_CHARS
from analysis.ingest.mapping import Mapping
from analysis.ingest.precheck import column_letters
from analysis.ingest.problems import Problem, Question, SourceTable
from analysis.ingest.reader import Sheet
from analysis.ingest.values import is_blank
from analysis.regions import Registry
from analysis.schema import TABLES

__all__ = ["Header", "classify", "header_columns", "read_tables"]


def header_columns(
    sheets: list[Sheet], kind: str, region: str | None = None, mapping: Mapping | None = None
) -> list[set[str]]:
    """The canonical columns each sheet's header names, read as ``kind`` (cheap: the first rows only)."""
    columns = TABLES[kind].column_names
    out = []
    for sheet in sheets:
        if INSTRUCTION_SHEETS.match(sheet.name.strip()):
            continue
        header = find_header(header_grid(sheet), columns, kind, region, fill=not sheet.merged, mapping=mapping)
        if header is not None:
            out.append(set(header.columns) | {c for _, c in header.year_columns})
    return out


def read_tables(
    sheets: list[Sheet],
    kind: str,
    registry: Registry,
    *,
    file_name: str = "",
    region: str | None = None,
    id_key: bytes | None = None,
    mapping: Mapping | None = None,
    questions: list[Question] | None = None,
) -> tuple[list[SourceTable], list[str], list[Problem]]:
    """The tables of ``kind`` in every sheet, the personal headers dropped, and notes (warnings); what only
    the analyst can settle goes to ``questions``."""
    key = id_key or secrets.token_bytes(32)
    tables: list[SourceTable] = []
    dropped: list[str] = []
    notes: list[Problem] = []
    questions = questions if questions is not None else []
    columns = TABLES[kind].column_names
    for sheet in sheets:
        if INSTRUCTION_SHEETS.match(sheet.name.strip()):
            continue
        if sheet.hidden:
            notes.append(
                Problem(
                    sheet.name, None, "", "", "隐藏的工作表未读取；如需导入，请在 Excel 中取消隐藏后重新上传", "warning"
                )
            )
            continue
        grid = header_grid(sheet)
        header = find_header(grid, columns, kind, region, fill=not sheet.merged, mapping=mapping)
        if header is None:
            other = next(
                (
                    k
                    for k in TABLES
                    if k != kind and find_header(grid, TABLES[k].column_names, k, region, fill=not sheet.merged)
                ),
                None,
            )
            if other:
                reason = f"本工作表看起来是{kind_label(other)}表，本次按{kind_label(kind)}读取，已跳过；请单独上传"
                notes.append(Problem(sheet.name, None, "", "", reason, "warning"))
            elif sum(1 for r in sheet.rows if any(not is_blank(c) for c in r)) >= 3:
                notes.append(Problem(sheet.name, None, "", "", "没有找到可识别的表头，本工作表已跳过", "warning"))
            continue
        check_header_lengths(sheet, grid, header)
        for written, first, col in header.duplicates:
            notes.append(
                Problem(
                    sheet.name,
                    header.end + 1,
                    written,
                    "",
                    f"与「{first}」列都像是{catalogue.columns()[col].label if col in catalogue.columns() else col}，已采用「{first}」列、忽略本列；如不对请修改表头",
                    "warning",
                )
            )
        above = [t for row in grid[: header.start] for t in row if t]
        tables += tables_of(sheet, header, above, kind, registry, file_name, region, key, notes, questions, mapping)
        dropped += list(header.personal.values())  # after the columns are accounted for (names found in values)
    return tables, dropped, notes


def check_header_lengths(sheet: Sheet, grid: list[list[str]], header: Header) -> None:
    """A header cell longer than any name of a column is refused as such (it is no header)."""
    for j, parts in header.texts.items():
        if max(map(len, parts)) > MAX_NAME_CHARS:
            row = next(r for r in range(header.start, header.end + 1) if len(grid[r][j]) > MAX_NAME_CHARS)
            raise too_long(sheet, row + 1, column_letters(j + 1), len(grid[row][j]), "表头")
