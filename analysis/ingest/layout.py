"""Finding the table in a sheet as clerks lay it out.

Title and unit lines above, grouped headers over up to three rows (merged or not), a 栏次 row, 合计 /
小计 rows anywhere, a signature footer and a 说明 block below, the month only in the sheet name or the
title, wide plan tables (``2015年 | 2016年 | 2017年``). The result is one :class:`SourceTable` per
table found (one per year for a wide plan table) with canonical column names, unit scales, the rows'
Excel numbers, and the totals kept aside for the arithmetic check. Personal columns are dropped here:
their values serve only to make a keyed hash where a roll has no household number.
"""

from __future__ import annotations

import re
import secrets
from dataclasses import dataclass, field
from functools import lru_cache

from analysis import catalogue
from analysis.catalogue import kind_label
from analysis.ingest import privacy
from analysis.ingest.canonical import is_personal, map_header
from analysis.ingest.limits import MAX_NAME_CHARS
from analysis.ingest.precheck import column_letters
from analysis.ingest.problems import Problem, RefusedFile, SourceTable
from analysis.ingest.reader import Sheet
from analysis.ingest.values import CellError, clean_text, is_blank, parse_number, period_in_text
from analysis.ingest.vocabulary import HEADER_EXCLUDE, HEADER_PATTERNS
from analysis.regions import Registry
from analysis.schema import TABLES

HEADER_SCAN_ROWS = 40
MAX_HEADER_DEPTH = 3
AREA_COLUMNS = (
    "saleable_area_m2",
    "sold_area_m2",
    "new_permit_area_m2",
    "unallocated_affordable_area_m2",
    "original_area_m2",
    "purchased_area_m2",
)
MONEY_COLUMNS = ("compensation_yuan",)
SHARE_COLUMNS = ("target_monetised_share",)
UNIT_SCALES = (  # longest first: 万平方米 before 平方米
    ("万平方米", 1e4),
    ("万平米", 1e4),
    ("万㎡", 1e4),
    ("万m2", 1e4),
    ("万m²", 1e4),
    ("平方米", 1.0),
    ("平米", 1.0),
    ("㎡", 1.0),
    ("亿元", 1e8),
    ("万元", 1e4),
    ("元", 1.0),
)
INSTRUCTION_SHEETS = re.compile(r"^(填表|填报)?(说明|须知|注意事项|指标解释|instructions?|readme)", re.I)
UNITS_LINE = re.compile(r"(计量)?单位\s*[:：]\s*(.+)")
TOTAL_ROW = re.compile(r"(合计|总计|共计|汇总|小计)$|^(合计|总计|共计|小计)")  # 全市合计, 太原市小计, 合计（万）
SUBTOTAL_ROW = re.compile(r"市辖区|市区")
SECTION_ROW = re.compile(r"^([一二三四五六七八九十]+[、.．]|[（(][一二三四五六七八九十]+[)）])")
FOOTER_ROW = re.compile(
    r"^(填表人|填报人|制表人|制表|审核人|审核|负责人|单位负责人|统计负责人|分管领导|填报日期|报送日期|联系电话"
    r"|联系人|说明|填表说明|注[:：]|注\d|备注[:：]|附注|数据来源|经办人|村委会|居委会|户主签字|签字|盖章)"
    r"|经办人[:：]|联系电话[:：]|（盖章）|\(盖章\)"
)
COLUMN_NUMBERS = re.compile(r"^(栏次|甲|乙|丙|丁|\d{1,2})$")
YEAR_IN_HEADER = re.compile(r"(20\d{2})\s*(年度|年)?")
NAME_HEADERS = ("姓名", "户主", "被征收人", "被拆迁人", "被搬迁人", "产权人")
ID_HEADERS = ("身份证", "证件", "公民身份", "身份号码")
# what may change between two sends of the same roll: never part of a household's identity
VOLATILE = ("mode", "channel", "status", "compensation_yuan", "purchased_area_m2", "is_hardship")


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

    @property
    def score(self) -> int:
        named = [c for c in self.columns if c not in ("region_code", "region_name")]
        return len(named) + len(self.year_columns) + (2 if self.has_region else 0)

    @property
    def has_region(self) -> bool:
        return "region_code" in self.columns or "region_name" in self.columns


def header_columns(sheets: list[Sheet], kind: str, region: str | None = None) -> list[set[str]]:
    """The canonical columns each sheet's header names, read as ``kind`` (cheap: the first rows only)."""
    columns = TABLES[kind].column_names
    out = []
    for sheet in sheets:
        if INSTRUCTION_SHEETS.match(sheet.name.strip()):
            continue
        header = _find_header(_header_grid(sheet), columns, kind, region, fill=not sheet.merged)
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
) -> tuple[list[SourceTable], list[str], list[Problem]]:
    """The tables of ``kind`` in every sheet, the personal headers dropped, and notes (warnings)."""
    key = id_key or secrets.token_bytes(32)
    tables: list[SourceTable] = []
    dropped: list[str] = []
    notes: list[Problem] = []
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
        grid = _header_grid(sheet)
        header = _find_header(grid, columns, kind, region, fill=not sheet.merged)
        if header is None:
            other = next(
                (
                    k
                    for k in TABLES
                    if k != kind and _find_header(grid, TABLES[k].column_names, k, region, fill=not sheet.merged)
                ),
                None,
            )
            if other:
                reason = f"本工作表看起来是{kind_label(other)}表，本次按{kind_label(kind)}读取，已跳过；请单独上传"
                notes.append(Problem(sheet.name, None, "", "", reason, "warning"))
            elif sum(1 for r in sheet.rows if any(not is_blank(c) for c in r)) >= 3:
                notes.append(Problem(sheet.name, None, "", "", "没有找到可识别的表头，本工作表已跳过", "warning"))
            continue
        _check_header_lengths(sheet, grid, header)
        dropped += list(header.personal.values())
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
        tables += _tables(sheet, header, above, kind, registry, file_name, region, key, notes)
    return tables, dropped, notes


def _too_long(sheet: Sheet, row: int, column: str, chars: int, what: str) -> RefusedFile:
    return RefusedFile(
        f"工作表「{sheet.name}」第 {row} 行「{column}」列：{what}长达 {chars:,} 个字符，"
        f"不可能是{what}（上限 {MAX_NAME_CHARS:,} 个字符），已拒绝"
    )


def _check_header_lengths(sheet: Sheet, grid: list[list[str]], header: Header) -> None:
    """A header cell longer than any name of a column is refused as such (it is no header)."""
    for j, parts in header.texts.items():
        if max(map(len, parts)) > MAX_NAME_CHARS:
            row = next(r for r in range(header.start, header.end + 1) if len(grid[r][j]) > MAX_NAME_CHARS)
            raise _too_long(sheet, row + 1, column_letters(j + 1), len(grid[row][j]), "表头")


# -- header ---------------------------------------------------------------------------------------
def _header_grid(sheet: Sheet) -> list[list[str]]:
    """Texts of the first rows with merged cells filled (or, with no merge data, grouped headers
    carried right over the columns they span)."""
    limit = min(len(sheet.rows), HEADER_SCAN_ROWS + MAX_HEADER_DEPTH)
    width = max((len(r) for r in sheet.rows[:limit]), default=0)
    grid = [[_written(c) for c in r] + [""] * (width - len(r)) for r in sheet.rows[:limit]]
    for r0, c0, r1, c1 in sheet.merged:
        if r0 >= limit or c0 >= width:
            continue
        value = grid[r0][c0]
        for r in range(r0, min(r1, limit - 1) + 1):
            for c in range(c0, min(c1, width - 1) + 1):
                grid[r][c] = value
    return grid


def _written(value: object) -> str:
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


def _find_header(grid, columns: list[str], kind: str, region: str | None, *, fill: bool) -> Header | None:
    """The best-scoring header block; on a tie the shallower, earlier one (data rows never help)."""
    best: Header | None = None
    for start in range(min(len(grid), HEADER_SCAN_ROWS)):
        if not any(grid[start]) or _is_title(grid[start]):
            continue  # a title starts no header block
        for depth in range(1, MAX_HEADER_DEPTH + 1):
            end = start + depth - 1
            if end >= len(grid) or (depth > 1 and not any(grid[end])):
                break
            header = _read_header(grid, start, end, columns, kind, fill)
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


def _read_header(grid, start: int, end: int, columns: list[str], kind: str, fill: bool) -> Header:
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
        if kind == "plans":
            year, rest = _year_of([clean_text(p) for p in parts])
            if year is not None:
                col = classify(rest, columns) if rest else "planned_households"
                if col in ("planned_households", "target_monetised_share"):
                    header.year_columns.setdefault((year, col), (j, written))
                    header.years[j] = year
                continue
        if kind == "inventory":
            month, rest = _month_of([clean_text(p) for p in parts])
            col = classify(rest, columns) if month and rest else None
            if col in MONTHLY_COLUMNS:
                header.year_columns.setdefault((month, col), (j, written))
                header.years[j] = month
                continue
        col, strong = _classify(tuple(parts), tuple(columns))
        if col and col not in header.columns:
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


# -- units, period, place --------------------------------------------------------------------------
def _unit_scale(text: str) -> float | None:
    """``'面积（万平方米）'`` → 10000, ``'补偿款(元)'`` → 1, ``'均价（元/平方米）'`` → None (not a scale)."""
    for inside in re.findall(r"[（(]([^）)]*)[）)]", text):
        for unit, scale in UNIT_SCALES:
            if inside.strip().startswith(unit) and not inside.strip()[len(unit) :].startswith("/"):
                return scale
    for unit, scale in UNIT_SCALES:  # written without brackets: 面积万平方米, 补偿款万元
        if text.endswith(unit) and not text.endswith("/" + unit):
            return scale
    return None


def _scales(header: Header, above: list[str]) -> tuple[dict[str, float], set[str]]:
    line_units: set[str] = set()
    for text in above + [t for parts in header.texts.values() for t in parts]:
        m = UNITS_LINE.search(text)
        if m:
            line_units |= {u.strip() for u in re.split(r"[、，,；;\s]+", m.group(2)) if u.strip()}
    scales: dict[str, float] = {}
    percent: set[str] = set()
    for col, (_, written) in list(header.columns.items()) + [(c, v) for (_, c), v in header.year_columns.items()]:
        if col in SHARE_COLUMNS and ("%" in written or "％" in written or "百分比" in written):
            percent.add(col)
        if col not in AREA_COLUMNS and col not in MONEY_COLUMNS:
            continue
        scale = _unit_scale(written)
        if scale is None:
            if (
                col in AREA_COLUMNS
                and line_units & {"万平方米", "万㎡", "万m2", "万平米"}
                and not line_units
                & {
                    "平方米",
                    "平米",
                }
            ):
                scale = 1e4
            elif col in MONEY_COLUMNS and "万元" in line_units and "元" not in line_units:
                scale = 1e4
        if scale and scale != 1.0:
            scales[col] = scale
    return scales, percent


def _city_in(texts: list[str], registry: Registry) -> str | None:
    """The one city (or else county) a title, sheet name or file name names."""
    text = "".join(texts)
    if not text:
        return None
    for level in ("county", "city"):  # the most specific place named: 忻州市代县… is 代县
        found = {
            r.code
            for r in registry.regions.values()
            if r.level == level and (len(r.name) >= 3 or r.name.endswith(("县", "旗"))) and r.name in text
        }
        # a county's name inside its city's name (e.g. 郊区 in a title) must not count
        if len(found) == 1:
            return found.pop()
        if len(found) > 1:
            return None
    return None


def _infer_city(rows: list[str], registry: Registry) -> str | None:
    """The city of the names that match one county only, when they all lie in one city."""
    cities: set[str] = set()
    ambiguous = False
    for text in rows:
        match = registry.match(text)
        if match.code:
            cities.add(registry.get(match.code).parent_code)
        elif len(match.codes) > 1:
            ambiguous = True
    return cities.pop() if ambiguous and len(cities) == 1 else None


# -- rows -----------------------------------------------------------------------------------------
def _tables(sheet, header, above, kind, registry, file_name, region, key, notes) -> list[SourceTable]:
    region_col = "region_code" if "region_code" in header.columns else "region_name"
    region_idx = header.columns[region_col][0] if header.has_region else None
    title_place = _city_in([*above, sheet.name], registry)
    context = registry.match_any(region) if region else None
    defaults: dict[str, object] = {}
    city_hint = None
    if context and registry.get(context).level == "county" and region_idx is None:
        defaults["region_code"] = context
    elif title_place and registry.get(title_place).level == "county" and region_idx is None:
        defaults["region_code"] = title_place
    if title_place and not defaults:
        place = registry.get(title_place)
        city_hint = title_place if place.level == "city" else place.parent_code  # 太原市小店区… → 太原市

    body, totals = _body(sheet, header, region_idx, registry, city_hint or context)
    if region_idx is not None and not context and not city_hint:
        city_hint = _infer_city(sorted({clean_text(raw[region_idx]) for _, raw in body}), registry)  # each name once
        if city_hint:
            notes.append(
                Problem(
                    sheet.name,
                    None,
                    header.columns[region_col][1],
                    "",
                    f"文件未写明所属市，已按能唯一确定的区县推断为{registry.name(city_hint)}；"
                    "若不对，请在导入时指定地区",
                    "warning",
                )
            )
    if region_idx is None and "region_code" not in defaults:
        return _skip(
            notes,
            sheet,
            header,
            "表中没有地区（县区）列，标题中也没有写明县区：请加“县区”列，或在导入时指定县（市、区）",
        )
    period = None
    if kind == "inventory" and "period" not in header.columns:
        period = (
            period_in_text(sheet.name)
            or _period_in_name(sheet.name)
            or _month_with_year(sheet.name, above, file_name)
            or period_in_text(" ".join(above))
            or _period_in_name(file_name)
        )
    year = _single_year([sheet.name, *above])
    if kind == "plans" and "year" not in header.columns and not header.year_columns and year:
        defaults["year"] = year
    if kind == "households" and "plan_year" not in header.columns and year:
        defaults["plan_year"] = year
    if kind == "households" and "category" not in header.columns and "农村危房" in "".join([sheet.name, *above]):
        defaults["category"] = "rural_dilapidated"  # a rural roll says so in its title, not in a column
    scales, percent = _scales(header, above)

    extra: dict[int, dict[str, object]] = {}
    if kind == "households":
        extra = _household_ids(sheet, header, body, key, notes)
    out = []
    month_year = _single_year([sheet.name, *above]) or _year_in_name(file_name)
    for year_value, cols in _column_specs(header):
        if isinstance(year_value, str) and year_value.startswith("m"):  # 1月 | 2月 …: the year from the title
            if month_year is None:
                return _skip(
                    notes, sheet, header, "表头按月分列（1月、2月……）但没有写明年份：请在标题中写明年份（如“2016年”）"
                )
            year_value = f"{month_year:04d}-{year_value[1:]}"
        rows = [(r, {**_cells(cells, cols), **extra.get(r, {})}) for r, cells in body]
        total_rows = [(r, {**_cells(cells, cols), "_label": lab, "_before": n}) for r, cells, lab, n in totals]
        table_defaults = dict(defaults)
        if isinstance(year_value, int):
            table_defaults["year"] = year_value
        elif isinstance(year_value, str):
            table_defaults["period"] = year_value  # a wide inventory table: one month per column group
        src = SourceTable(
            sheet.name,
            {c: w for c, (_, w) in cols.items()},
            rows,
            scales=scales,
            period=period,
            city_hint=city_hint,
            totals=total_rows,
            percent_columns=set(percent),
            defaults=table_defaults,
        )
        _guess_percent(src, notes)
        out.append(src)
    return out


def _skip(notes: list[Problem], sheet: Sheet, header: Header, reason: str) -> list[SourceTable]:
    """A sheet that cannot be read as a table, with the reason as an error at its header row."""
    notes.append(Problem(sheet.name, header.start + 1, "", "", reason))
    return []


def _cells(raw: list[object], cols: dict[str, tuple[int, str]]) -> dict[str, object]:
    return {c: (raw[j] if 0 <= j < len(raw) else None) for c, (j, _) in cols.items()}


def _column_specs(header: Header) -> list[tuple[object, dict[str, tuple[int, str]]]]:
    if not header.year_columns:
        return [(None, dict(header.columns))]
    specs = []
    for year in sorted({y for y, _ in header.year_columns}, key=str):
        cols = {c: v for c, v in header.columns.items() if c not in ("year", "period")}
        cols.update({c: v for (y, c), v in header.year_columns.items() if y == year})
        specs.append((year, cols))
    return specs


def _body(sheet, header, region_idx, registry, city) -> tuple[list, list]:
    """Data rows as ``(excel_row, cells)`` and total rows as ``(excel_row, cells, label, rows_before)``."""
    body: list[tuple[int, list[object]]] = []
    totals: list[tuple[int, list[object], str, int]] = []
    width = max([0, *(j for j, _ in header.columns.values()), *header.years, *header.personal]) + 1
    numbered = False
    city_names = _city_names(registry, city)
    fill = _merged_below(sheet, header.end)
    for i in range(header.end + 1, len(sheet.rows)):
        raw = list(sheet.rows[i]) + [None] * max(0, width - len(sheet.rows[i]))
        for j in range(len(raw)):
            if (i, j) in fill and is_blank(raw[j]):
                raw[j] = fill[(i, j)]  # a county or project merged down over its households
        texts = [re.sub(r"\s+", "", clean_text(c)) for c in raw]
        filled = [t for t in texts if t and not is_blank(t)]
        if not filled:
            continue
        if not numbered and not body and all(COLUMN_NUMBERS.match(t) for t in filled) and len(filled) >= 2:
            numbered = True  # the 栏次 row numbering the columns
            continue
        label = texts[region_idx] if region_idx is not None else ""
        if len(label) > MAX_NAME_CHARS:  # no place is named so (and matching it would take long)
            written = next(w for j, w in header.columns.values() if j == region_idx)
            raise _too_long(sheet, i + 1, written, len(label), "地区名称")
        lead = [t for t in texts[: (region_idx or 0) + 1] if t]  # 序号 and the county cell
        first = filled[0]
        if FOOTER_ROW.match(first) and not registry.match(first).codes:
            break
        total = next((t for t in lead if TOTAL_ROW.search(t)), None)
        if total or (label and label in city_names):
            totals.append((i + 1, raw, total or "合计", len(body)))
            continue
        if label.startswith("其中"):
            rest = re.sub(r"^其中[:：,，、]?", "", label)
            if not registry.match(rest, context=city).codes:
                continue  # 其中：市区 breaks the row above down: not a county, nothing to add
            label = raw[region_idx] = rest
        if SUBTOTAL_ROW.fullmatch(label):
            totals.append((i + 1, raw, "小计", len(body)))
            continue
        if label and not registry.match(label, context=city).codes and registry.match(label, level="city").code:
            totals.append((i + 1, raw, "市级汇总行", len(body)))  # a city's own row in a province file
            continue
        if SECTION_ROW.match(label) and len(filled) <= 2:
            continue
        if region_idx is not None and not label and len(filled) == 1 and len(first) > 12:
            continue  # a note written across the row
        body.append((i + 1, raw))
    return body, totals


def _merged_below(sheet: Sheet, header_end: int) -> dict[tuple[int, int], object]:
    """The value of each merged range below the header, for every cell it covers."""
    fill: dict[tuple[int, int], object] = {}
    for r0, c0, r1, c1 in sheet.merged:
        if r0 <= header_end or r0 >= len(sheet.rows) or (r1 - r0 + 1) * (c1 - c0 + 1) > 100_000:
            continue
        row = sheet.rows[r0]
        value = row[c0] if c0 < len(row) else None
        for r in range(r0, r1 + 1):
            for c in range(c0, c1 + 1):
                fill[(r, c)] = value
    return fill


def _city_names(registry: Registry, city: str | None) -> set[str]:
    if not city or registry.get(city).level != "city":
        return set()
    name = registry.name(city)
    short = name.removesuffix("市")
    return {name, short, short + "全市", name + "合计", "全市"}


def _year_in_name(file_name: str) -> int | None:
    years = set(re.findall(r"(?<!\d)(20\d{2})(?!\d)", file_name))
    return int(years.pop()) if len(years) == 1 else None


def _month_with_year(sheet_name: str, above: list[str], file_name: str) -> str | None:
    """A sheet named ``1月`` in a workbook whose title (or file name) gives the year."""
    m = re.fullmatch(r"\s*(\d{1,2})\s*月份?\s*", sheet_name)
    if not m or not 1 <= int(m.group(1)) <= 12:
        return None
    year = _single_year(above) or _year_in_name(file_name)
    return f"{year:04d}-{int(m.group(1)):02d}" if year else None


def _single_year(texts: list[str]) -> int | None:
    years = {int(y) for t in texts for y in re.findall(r"(20\d{2})\s*年(?!\s*\d{1,2}\s*月)", t)}
    return years.pop() if len(years) == 1 else None


def _period_in_name(file_name: str) -> str | None:
    stem = file_name.rsplit("/", 1)[-1].rsplit(".", 1)[0]
    found = period_in_text(stem)
    if found:
        return found
    m = re.search(r"(?<!\d)(20\d{2})(0[1-9]|1[0-2])(?!\d)", stem)
    return f"{m.group(1)}-{m.group(2)}" if m else None


def _guess_percent(src: SourceTable, notes: list[Problem]) -> None:
    """A share column written as 40, 60, 55 (no % sign anywhere) means per cent."""
    for col in SHARE_COLUMNS:
        if col not in src.columns or col in src.percent_columns:
            continue
        values = []
        for _, cells in src.rows:
            try:
                number, percent = parse_number(cells.get(col))
            except CellError:
                continue
            if number is not None and not percent:
                values.append(number)
        if values and all(1 < v <= 100 for v in values):
            src.percent_columns.add(col)
            notes.append(Problem(src.sheet, None, src.columns[col], "", "比例按百分数理解（如 60 即 60%）", "warning"))


def _household_ids(sheet, header, body, key: bytes, notes: list[Problem]) -> dict[int, dict[str, object]]:
    """A household id for every roll row that has none (or has a personal number in its place),
    made from the personal cells with the local key; the personal cells themselves go no further."""
    id_idx = header.columns.get("household_id", (None, ""))[0]
    id_card = next((j for j, h in header.personal.items() if any(k in h for k in ID_HEADERS)), None)
    name = next((j for j, h in header.personal.items() if any(k in h for k in NAME_HEADERS)), None)
    region_idx = next((header.columns[c][0] for c in ("region_code", "region_name") if c in header.columns), None)
    others = [header.columns.get(c, (None, ""))[0] for c in ("project", "original_area_m2")]
    if id_idx is None:
        header.columns["household_id"] = (-1, "户编号（系统生成）")

    def text(raw, j) -> str:
        return clean_text(raw[j]) if j is not None and 0 <= j < len(raw) else ""

    ids: dict[int, dict[str, object]] = {}
    replaced = 0
    for excel_row, raw in body:
        current = text(raw, id_idx)
        if current and not privacy.looks_personal(current):
            continue
        if current:
            replaced += 1
            ident: tuple[str, ...] = ("id", current)
        elif text(raw, id_card):
            ident = ("id", text(raw, id_card))
        elif text(raw, name):
            ident = ("name", text(raw, region_idx), text(raw, name), *(text(raw, j) for j in others))
        else:
            stable = [j for c, (j, _) in header.columns.items() if c not in VOLATILE and c != "household_id"]
            ident = ("row", sheet.name, *(text(raw, j) for j in stable))
        ids[excel_row] = {"household_id": privacy.household_hash(key, *ident)}
    if replaced:
        notes.append(
            Problem(
                sheet.name,
                None,
                header.columns["household_id"][1],
                "",
                f"{replaced} 行的户编号是身份证号或手机号，已换成不可逆的编码（原值不保存、不显示）",
                "warning",
            )
        )
    return ids
