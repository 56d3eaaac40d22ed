"""Finding a sheet's header as clerks lay it out: title and units lines above, grouped headers over up to
three rows (merged or not), a 栏次 row; each header text classified as a canonical column."""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from functools import lru_cache

from analysis.ingest.canonical import is_personal, map_header
from analysis.ingest.mapping import IGNORE, Mapping
from analysis.ingest.reader import Sheet
from analysis.ingest.values import clean_text, is_blank
from analysis.ingest.vocabulary import HEADER_EXCLUDE, HEADER_PATTERNS

HEADER_SCAN_ROWS = 40


MAX_HEADER_DEPTH = 3


INSTRUCTION_SHEETS = re.compile(r"^(填表|填报)?(说明|须知|注意事项|指标解释|instructions?|readme)", re.I)


COLUMN_NUMBERS = re.compile(r"^(栏次|甲|乙|丙|丁|\d{1,2})$")


YEAR_IN_HEADER = re.compile(r"(20\d{2})\s*(年度|年)?")


@dataclass
class Header:
    start: int  # first header row (0-based)
    end: int  # last header row (0-based, inclusive)
    columns: dict[str, tuple[int, str]]  # canonical column → (column index, header as written)
    personal: dict[int, str]  # column index → header as written
    # wide tables: one column group per year (plans) or month (inventory); the key is the year (int), the
    # month ('2016-01'), or the month without its year ('m01', the year then comes from the title)
    years: dict[int, object] = field(default_factory=dict)  # column index → group key
    year_columns: dict[tuple[object, str], tuple[int, str]] = field(default_factory=dict)
    texts: dict[int, list[str]] = field(default_factory=dict)
    duplicates: list[tuple[str, str, str]] = field(default_factory=list)  # (header, header kept, column)
    strong: set[str] = field(default_factory=set)  # columns named by a synonym, not only a pattern
    unknown: dict[int, list[str]] = field(default_factory=dict)  # column index → header parts nothing named
    ignored: dict[int, str] = field(default_factory=dict)  # column index → header the mapping says to ignore
    mapped: set[str] = field(default_factory=set)  # columns named by the analyst's mapping

    @property
    def score(self) -> int:
        named = [c for c in self.columns if c not in ("region_code", "region_name")]
        return len(named) + len(self.year_columns) + (2 if self.has_region else 0)

    @property
    def has_region(self) -> bool:
        return "region_code" in self.columns or "region_name" in self.columns


def header_grid(sheet: Sheet) -> list[list[str]]:
    """Texts of the first rows with merged cells filled (or, with no merge data, grouped headers
    carried right over the columns they span)."""
    limit = min(len(sheet.rows), HEADER_SCAN_ROWS + MAX_HEADER_DEPTH)
    width = max((len(r) for r in sheet.rows[:limit]), default=0)
    grid = [[written_text(c) for c in r] + [""] * (width - len(r)) for r in sheet.rows[:limit]]
    for r0, c0, r1, c1 in sheet.merged:
        if r0 >= limit or c0 >= width:
            continue
        value = grid[r0][c0]
        for r in range(r0, min(r1, limit - 1) + 1):
            for c in range(c0, min(c1, width - 1) + 1):
                grid[r][c] = value
    return grid


def written_text(value: object) -> str:
    """A cell's text as the clerk wrote it (full-width brackets kept), for messages; blank as ''."""
    if is_blank(value):
        return ""
    return str(value).strip() if isinstance(value, str) else clean_text(value)  # 2015.0 → 2015


def _parts(grid: list[list[str]], start: int, end: int, j: int, fill: bool, groups: dict | None = None) -> list[str]:
    parts: list[str] = []
    for r in range(start, end + 1):
        text = grid[r][j]
        if not text and fill and r < end and grid[end][j]:
            # no merge data: a group header covers the blank cells to its right
            text = (groups[r] if groups and r in groups else _group_texts(grid[r], grid[end]))[j]
        if not text:
            continue
        text = re.sub(r"\s+", "", text)
        if _is_number(text):
            continue  # a data row below a shallower header
        if text and (not parts or parts[-1] != text):
            parts.append(text)
    return parts


@lru_cache(maxsize=4096)  # a wide data row repeats the same few texts in every column
def _is_number(text: str) -> bool:
    t = clean_text(text)
    if re.fullmatch(r"20\d{2}(\.0)?", t):
        return False  # a year heading a column (2015 | 2016 | 2017) is header text
    return bool(re.fullmatch(r"[+-]?[\d,，]+(\.\d+)?%?", t))


def classify(parts: list[str], columns: list[str]) -> str | None:
    """The canonical column a (possibly grouped) header names, or None.

    >>> classify(["可售商品住房", "面积"], ["saleable_units", "saleable_area_m2"])
    'saleable_area_m2'
    """
    return _classify(tuple(parts), tuple(columns))[0]


@lru_cache(maxsize=20_000)
def _classify(parts: tuple[str, ...], columns: tuple[str, ...]) -> tuple[str | None, bool]:
    """The column and whether a synonym named it (strong) rather than a pattern."""
    if not parts:
        return None, False
    parts = [clean_text(p) for p in parts]
    joined = "".join(parts)
    excluded = re.search(HEADER_EXCLUDE, joined) is not None  # 期初可售, 累计销售, 已完成户数, 非住宅 …
    for candidate in (joined, parts[-1], "".join(parts[-2:])):
        col = map_header(candidate, columns)
        if col and not (excluded and col in EXCLUDABLE):
            return col, True
    allowed = {*columns, "region_name"}
    for col, pattern in HEADER_PATTERNS:
        if col in allowed and re.search(pattern, joined) and not (excluded and col in EXCLUDABLE):
            return col, False
    return None, False


def find_header(
    grid, columns: list[str], kind: str, region: str | None, *, fill: bool, mapping: Mapping | None = None
) -> Header | None:
    """The best-scoring header block; on a tie the shallower, earlier one (data rows never help)."""
    best: Header | None = None
    for start in range(min(len(grid), HEADER_SCAN_ROWS)):
        if not any(grid[start]) or _is_title(grid[start]):
            continue  # a title starts no header block
        for depth in range(1, MAX_HEADER_DEPTH + 1):
            end = start + depth - 1
            if end >= len(grid) or (depth > 1 and not any(grid[end])):
                break
            header = _read_header(grid, start, end, columns, kind, fill, mapping)
            if not _acceptable(header, region):
                continue
            if best is None or _rank(header) > _rank(best):
                best = header
    return best


def _is_title(row: list[str]) -> bool:
    """A row whose only text is a long one (merged across the table or not): a title, not a header."""
    texts = {t for t in row if t}
    return len(texts) == 1 and len(next(iter(texts))) >= 12


def _rank(header: Header) -> tuple[int, int, int, int, int]:
    """More columns; then more named by a synonym; then fewer look-alikes; then the shallower block."""
    # identical look-alikes are one merged group header copied over its sub-columns: the header goes on below
    identical = sum(1 for written, kept, _ in header.duplicates if written == kept)
    return (header.score, len(header.strong), -identical, -len(header.duplicates), -(header.end - header.start))


def _acceptable(header: Header, region: str | None) -> bool:
    named = header.score - (2 if header.has_region else 0)
    if header.has_region:
        return named >= 1
    return named >= (2 if region else 3)  # the county then comes from the user or the title


def _group_texts(row: list[str], last: list[str]) -> list[str]:
    """For every column, the group header its blank cell inherits from the left (one pass over the row):
    the nearest text to the left over blank cells that have a header text in the ``last`` row below."""
    out = [""] * len(row)
    stop = -1  # the nearest column to the left that has text, or none in the last header row
    for j in range(len(row)):
        out[j] = row[stop] if stop >= 0 and last[stop] else ""
        if row[j] or not last[j]:
            stop = j
    return out


def mapped_column(mapping: Mapping | None, parts: list[str]) -> str | None:
    """The analyst's answer for a header, by the header as written (grouped: ``安置情况·面积``) or its last line."""
    if mapping is None or mapping.is_empty:
        return None
    return mapping.column("·".join(parts)) or mapping.column(parts[-1])


def _read_header(
    grid, start: int, end: int, columns: list[str], kind: str, fill: bool, mapping: Mapping | None = None
) -> Header:
    header = Header(start, end, {}, {})
    groups = {r: _group_texts(grid[r], grid[end]) for r in range(start, end)} if fill else None
    for j in sorted(
        {j for r in range(start, end + 1) for j, t in enumerate(grid[r]) if t}
    ):  # blank columns name nothing
        parts = _parts(grid, start, end, j, fill, groups)
        if not parts:
            continue
        header.texts[j] = parts
        written = "·".join(parts)
        if any(is_personal(p) for p in parts):
            header.personal[j] = written
            continue
        answer = mapped_column(mapping, parts)
        if answer == IGNORE:
            header.ignored[j] = written
            continue
        if answer in (*columns, "region_name") and answer not in header.mapped:
            if answer in header.columns:  # the analyst's choice wins over what the words suggested
                header.unknown[header.columns[answer][0]] = header.texts[header.columns[answer][0]]
            header.columns[answer] = (j, written)
            header.strong.add(answer)
            header.mapped.add(answer)
            continue
        if kind == "plans":
            year, rest = _year_of([clean_text(p) for p in parts])
            if year is not None:
                col = classify(rest, columns) if rest else "planned_households"
                if col in ("planned_households", "target_monetised_share"):
                    header.year_columns.setdefault((year, col), (j, written))
                    header.years[j] = year
                else:
                    header.unknown[j] = parts  # 2016年 | 完成户数: a year's column the plan does not keep
                continue
        if kind == "inventory":
            month, rest = _month_of([clean_text(p) for p in parts])
            col = classify(rest, columns) if month and rest else None
            if col in MONTHLY_COLUMNS:
                header.year_columns.setdefault((month, col), (j, written))
                header.years[j] = month
                continue
        col, strong = _classify(tuple(parts), tuple(columns))
        if col in header.mapped:
            col = None  # the analyst gave this column to another header
        if col is None:
            header.unknown[j] = parts
        elif col not in header.columns:
            header.columns[col] = (j, written)
            if strong:
                header.strong.add(col)
        elif col and strong and col not in header.strong:
            # a synonym beats a pattern wherever it stands: 签约状态 over 签约奖励, 补偿款合计 over 房屋补偿款
            header.duplicates.append((header.columns[col][1], written, col))
            header.columns[col] = (j, written)
            header.strong.add(col)
        elif col and "住宅" in written and "住宅" not in header.columns[col][1]:
            # 商品房合计 | 其中：住宅: the housing figures are the ones this product is about
            header.duplicates.append((header.columns[col][1], written, col))
            header.columns[col] = (j, written)
        elif col:
            header.duplicates.append((written, header.columns[col][1], col))
    return header


MONTHLY_COLUMNS = (
    "saleable_units",
    "saleable_area_m2",
    "sold_units",
    "sold_area_m2",
    "avg_price_yuan_per_m2",
    "new_permit_area_m2",
    "unallocated_affordable_units",
    "unallocated_affordable_area_m2",
)


# columns a header must not be taken for when it speaks of another time, stock or kind of property
EXCLUDABLE = (*MONTHLY_COLUMNS, "planned_households")


def _month_of(parts: list[str]) -> tuple[str | None, list[str]]:
    """A month group over the columns of a wide inventory table: ``2016年1月`` or ``1月``."""
    for i, p in enumerate(parts):
        m = re.search(r"(20\d{2})\s*年\s*(\d{1,2})\s*月份?", p)
        key = f"{int(m.group(1)):04d}-{int(m.group(2)):02d}" if m and 1 <= int(m.group(2)) <= 12 else None
        if key is None:
            m = re.fullmatch(r"(\d{1,2})\s*月份?", p)
            key = f"m{int(m.group(1)):02d}" if m and 1 <= int(m.group(1)) <= 12 else None
        if key:
            rest = [*parts[:i], p[: m.start()] + p[m.end() :], *parts[i + 1 :]]
            return key, [x for x in rest if x.strip("（）()·")]
    return None, parts


def _year_of(parts: list[str]) -> tuple[int | None, list[str]]:
    for i, p in enumerate(parts):
        m = YEAR_IN_HEADER.fullmatch(p) or YEAR_IN_HEADER.match(p)
        if m:
            rest = [*parts[:i], p[m.end() :], *parts[i + 1 :]]
            return int(m.group(1)), [x for x in rest if x]
    return None, parts
