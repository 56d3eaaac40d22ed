"""Units in headers, units lines and cells: 万平方米, 万元, percentages (→ base units: ㎡, 元, 0–1)."""

from __future__ import annotations

import re

from analysis.ingest.layout.header import Header
from analysis.ingest.problems import Problem, SourceTable
from analysis.ingest.values import CellError, parse_number

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


UNITS_LINE = re.compile(r"(计量)?单位\s*[:：]\s*(.+)")


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


def scales_of(header: Header, above: list[str]) -> tuple[dict[str, float], set[str]]:
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


def guess_percent(src: SourceTable, notes: list[Problem]) -> None:
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
