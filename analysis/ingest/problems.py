"""What ingestion reports: every problem with its sheet, Excel row, header as written, value and reason."""

from __future__ import annotations

import re
from dataclasses import dataclass, field

import pandas as pd


@dataclass(frozen=True)
class Problem:
    sheet: str
    row: int | None  # as Excel numbers it (1-based, header rows included); None: the whole column/file
    column: str  # the header as written in the file
    value: str
    reason: str  # Chinese
    severity: str = "error"  # error | warning

    def __post_init__(self) -> None:
        # a phone or ID-card number in a cell shown back (a footer, a note) is never echoed
        object.__setattr__(self, "value", redact(self.value))

    def text(self) -> str:
        where = [f"工作表「{self.sheet}」" if self.sheet else "文件"]
        if self.row is not None:
            where.append(f"第 {self.row} 行")
        if self.column:
            where.append(f"「{self.column}」列")
        value = f"，值「{self.value}」" if self.value != "" else ""
        tag = "错误" if self.severity == "error" else "提示"
        return f"[{tag}] {''.join(where)}{value}：{self.reason}"

    def as_dict(self) -> dict:
        return {
            "sheet": self.sheet,
            "row": self.row,
            "column": self.column,
            "value": self.value,
            "reason": self.reason,
            "severity": self.severity,
        }


_PERSONAL_NUMBER = re.compile(r"(?<!\d)(1[3-9]\d{9}|\d{17}[\dXx]|\d{15})(?!\d)")


def redact(value: str) -> str:
    """``'联系电话：13912345678'`` → ``'联系电话：（已隐去）'``."""
    return _PERSONAL_NUMBER.sub("（已隐去）", value) if value else value


class RefusedFile(Exception):
    """The file cannot be read at all (wrong type, too large, unreadable): one Chinese message."""

    def __init__(self, message: str, problems: list[Problem] | None = None) -> None:
        super().__init__(message)
        self.problems = problems or [Problem("", None, "", "", message)]


@dataclass
class SourceTable:
    """Rows read from one sheet, columns already mapped to canonical names.

    ``rows`` holds ``(excel_row_number, {canonical_column: raw cell value})``; ``scales`` converts a
    column to base units (e.g. 万平方米 → 10000); ``period`` and ``city_hint`` come from the sheet name
    or title when the rows do not carry them; ``totals`` are the 合计 / 小计 rows found (with ``_label``
    and ``_before``, the number of data rows above them), for the arithmetic check; ``defaults`` fill
    columns the sheet does not have (the year of a wide plan table's column, the county of a roll).
    """

    sheet: str
    columns: dict[str, str]
    rows: list[tuple[int, dict[str, object]]]
    scales: dict[str, float] = field(default_factory=dict)
    period: str | None = None
    city_hint: str | None = None
    totals: list[tuple[int, dict[str, object]]] = field(default_factory=list)
    percent_columns: set[str] = field(default_factory=set)
    defaults: dict[str, object] = field(default_factory=dict)  # values for columns the sheet lacks


@dataclass
class IngestResult:
    kind: str
    file_name: str
    frame: pd.DataFrame
    problems: list[Problem]
    sheets: list[str] = field(default_factory=list)
    dropped_personal: list[str] = field(default_factory=list)
    source: pd.DataFrame | None = None  # per row of ``frame``: sheet, Excel row, the place as written
    id_key_fingerprint: str = ""  # the key the hashed household ids were made with (privacy.fingerprint)

    @property
    def errors(self) -> list[Problem]:
        return [p for p in self.problems if p.severity == "error"]

    @property
    def warnings(self) -> list[Problem]:
        return [p for p in self.problems if p.severity == "warning"]

    @property
    def ok(self) -> bool:
        return not self.errors
