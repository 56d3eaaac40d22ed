"""Files already in canonical form: one header row with the canonical English (or glossary) names."""

from __future__ import annotations

import re

from analysis.glossary import HEADER_SYNONYMS, PERSONAL_HEADERS
from analysis.ingest.problems import SourceTable
from analysis.ingest.reader import Sheet
from analysis.ingest.values import clean_text, is_blank

_BRACKETS = re.compile(r"[（(][^）)]*[）)]")


def header_key(text: object) -> str:
    """Header text without spaces or a unit in brackets: ``'可售面积（万平方米）'`` → ``'可售面积'``."""
    return _BRACKETS.sub("", re.sub(r"\s+", "", clean_text(text)))


def map_header(text: object, kind_columns: list[str]) -> str | None:
    """The canonical column a header names, among ``kind_columns`` (plus region_name), or None."""
    raw = re.sub(r"\s+", "", clean_text(text))
    key = header_key(text)
    for col in [*kind_columns, "region_name"]:
        names = HEADER_SYNONYMS.get(col, (col,))
        if raw in names or key in names:
            return col
    return None


def is_personal(text: object) -> bool:
    key = header_key(text)
    return key in PERSONAL_HEADERS or any(p in key for p in ("身份证", "姓名", "电话", "手机", "银行", "账号"))


def canonical_table(sheet: Sheet, kind_columns: list[str]) -> tuple[SourceTable, list[str]] | None:
    """A SourceTable from a sheet whose first non-empty row is the header; personal columns dropped."""
    rows = sheet.rows
    header_index = next((i for i, r in enumerate(rows) if any(not is_blank(c) for c in r)), None)
    if header_index is None:
        return None
    header = rows[header_index]
    columns: dict[str, str] = {}
    positions: dict[str, int] = {}
    dropped: list[str] = []
    for j, text in enumerate(header):
        if is_personal(text):
            dropped.append(clean_text(text))
            continue
        col = map_header(text, kind_columns)
        if col and col not in columns:
            columns[col] = clean_text(text)
            positions[col] = j
    if not columns:
        return None
    body = []
    for i in range(header_index + 1, len(rows)):
        r = rows[i]
        if all(is_blank(c) for c in r):
            continue
        body.append((i + 1, {col: (r[j] if j < len(r) else None) for col, j in positions.items()}))
    return SourceTable(sheet.name, columns, body), dropped
