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
    severity: str = "error"  # error | warning | note (what was read differently, for the record)
    rows: tuple[int, ...] = ()  # every Excel row of a problem found in several (row: the first)

    def __post_init__(self) -> None:
        # a phone, ID-card or bank-card number or a name in a cell shown back (a footer, a note) is never echoed
        object.__setattr__(self, "value", redact(self.value))

    @property
    def rows_text(self) -> str:
        """``第 10 行`` or ``第 10、17、25 行`` (``等 40 行`` beyond ten)."""
        rows = self.rows or ((self.row,) if self.row is not None else ())
        if not rows:
            return ""
        shown = "、".join(str(r) for r in rows[:10])
        return f"第 {shown} 行" + (f"等 {len(rows):,} 行" if len(rows) > 10 else "")

    @property
    def rows_cell(self) -> str:
        """The rows as a table's 行 column shows them: ``10、17、25``, or ``1、…、10 等 11 行`` beyond ten.

        >>> Problem("表", 1, "安置方式", "", "为空", rows=tuple(range(1, 12))).rows_cell
        '1、2、3、4、5、6、7、8、9、10 等 11 行'
        >>> Problem("表", 10, "列", "", "", rows=(10, 17)).rows_cell, Problem("表", None, "列", "", "").rows_cell
        ('10、17', '')
        """
        rows = self.rows or ((self.row,) if self.row is not None else ())
        shown = "、".join(str(r) for r in rows[:10])
        return shown + (f" 等 {len(rows):,} 行" if len(rows) > 10 else "")

    def text(self) -> str:
        where = [f"工作表「{self.sheet}」" if self.sheet else "文件"]
        if self.row is not None:
            where.append(self.rows_text)
        if self.column:
            where.append(f"「{self.column}」列")
        value = f"，值「{self.value}」" if self.value != "" else ""
        tag = SEVERITY_LABELS[self.severity]
        return f"[{tag}] {''.join(where)}{value}：{self.reason}"

    def as_dict(self) -> dict:
        return {
            "sheet": self.sheet,
            "row": self.row,
            "rows": list(self.rows) or ([self.row] if self.row is not None else []),
            "column": self.column,
            "value": self.value,
            "reason": self.reason,
            "severity": self.severity,
        }


SEVERITY_LABELS = {"error": "错误", "warning": "提示", "note": "说明"}


# mobile numbers, ID cards (18 or 15 digits), bank cards (16–19 digits, spaces or dashes between groups)
_PERSONAL_NUMBER = re.compile(
    r"(?<![\dA-Za-z])(1[3-9]\d{9}|\d{17}[\dXx]|\d{15,19}|\d{4}(?:[ -]\d{4}){3}(?:[ -]?\d{1,3})?)(?![\dA-Za-z])"
)
# a person named after a role: 填表人：张三, 联系人 李四, 户主:王五 (the next role of a sign-off line, 填表人：
# 审核人：, is no name)
_ROLE = r"(?:填表|填报|制表|审核|经办|联系|负责|统计|分管|签字|签收|被安置|被征收|户主|领导|主管)人?(?:姓名|签字)?"
_NAMED = re.compile(rf"({_ROLE}[:：\s]+)(?!{_ROLE}(?:[:：\s]|$))([\u4e00-\u9fff·]{{2,4}})(?![\u4e00-\u9fff])")


def redact(value: str) -> str:
    """``'联系电话：13912345678'`` → ``'联系电话：（已隐去）'``; ``'填表人：张三'`` → ``'填表人：（已隐去）'``.

    >>> redact("卡号 6222 0212 3456 7890 123"), redact("6217002710000684874"), redact("审核人：李四　2016年7月")
    ('卡号 （已隐去）', '（已隐去）', '审核人：（已隐去）　2016年7月')
    >>> redact("统计口径：全口径商品住房"), redact("140105"), redact("填表人：　审核人：李四"), redact("填表人 审核人")
    ('统计口径：全口径商品住房', '140105', '填表人：　审核人：（已隐去）', '填表人 审核人')
    """
    if not value:
        return value
    return _NAMED.sub(lambda m: m.group(1) + "（已隐去）", _PERSONAL_NUMBER.sub("（已隐去）", value))


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


@dataclass(frozen=True)
class Question:
    """Something only the analyst can settle: a header, a value or a place the reader could not name for
    sure. ``options`` are ``(choice, label)``; ``guess`` the reader's best one and ``reason`` why (or why
    it asks). A ``blocking`` question stops the commit until answered (a mapping, :mod:`mapping`)."""

    about: str  # column | value | place
    sheet: str
    written: str  # the header, value or name as written
    column: str = ""  # value: the canonical column; place: the header the name stands under
    rows: tuple[int, ...] = ()
    samples: tuple[str, ...] = ()  # a column's first values (never personal ones)
    options: tuple[tuple[str, str], ...] = ()
    guess: str | None = None
    reason: str = ""
    blocking: bool = True

    @property
    def key(self) -> tuple[str, str, str]:
        return (self.about, self.column, self.written)


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
    questions: list[Question] = field(default_factory=list)
    mapping: object = None  # the mapping the file was read with (analysis.ingest.mapping.Mapping)

    @property
    def errors(self) -> list[Problem]:
        return [p for p in self.problems if p.severity == "error"]

    @property
    def warnings(self) -> list[Problem]:
        return [p for p in self.problems if p.severity == "warning"]

    @property
    def notes(self) -> list[Problem]:
        return [p for p in self.problems if p.severity == "note"]

    @property
    def open_questions(self) -> list[Question]:
        return [q for q in self.questions if q.blocking]

    @property
    def ok(self) -> bool:
        """Nothing wrong and nothing left to settle: every column that holds data accounted for."""
        return not self.errors and not self.open_questions
