"""Lazy validation: turn source rows into canonical rows and collect every problem before deciding."""

from __future__ import annotations

import datetime as dt

import pandas as pd

from analysis.glossary import VALUE_SYNONYMS
from analysis.ingest.problems import IngestResult, Problem, SourceTable
from analysis.ingest.values import (
    CellError,
    clean_text,
    is_blank,
    parse_bool,
    parse_enum,
    parse_int,
    parse_number,
    parse_period,
    parse_year,
)
from analysis.regions import Registry
from analysis.schema import ENUMS, TABLES

INT_COLUMNS = {
    "saleable_units",
    "sold_units",
    "unallocated_affordable_units",
    "members",
    "planned_households",
    "plan_year",
    "year",
    "seismic_intensity",
}
FLOAT_COLUMNS = {
    "saleable_area_m2",
    "sold_area_m2",
    "avg_price_yuan_per_m2",
    "new_permit_area_m2",
    "unallocated_affordable_area_m2",
    "original_area_m2",
    "compensation_yuan",
    "purchased_area_m2",
}
SHARE_COLUMNS = {"target_monetised_share"}
EARLIEST_PERIOD = "2010-01"
DEFAULTS = {"mode": "undecided", "status": "unsigned"}


def latest_allowed_period() -> str:
    today = dt.date.today()
    return f"{today.year:04d}-{today.month:02d}"


def validate(
    kind: str,
    tables: list[SourceTable],
    registry: Registry,
    *,
    file_name: str = "",
    region: str | None = None,
    period: str | None = None,
    problems: list[Problem] | None = None,
) -> IngestResult:
    """Canonical rows of ``kind`` from the source tables, with every problem found.

    ``region`` (code or name of a city or province) settles names found in several cities;
    ``period`` fills the month where the file gives none.
    """
    table = TABLES[kind]
    problems = list(problems or [])
    out_rows: list[dict] = []
    positions: list[tuple[str, int]] = []
    for src in tables:
        missing = [c for c in table.required if c not in src.columns and not _derivable(c, src, kind, period)]
        for col in missing:
            problems.append(Problem(src.sheet, None, _label(col), "", "缺少必需的列，请对照模板补上"))
        if missing:
            continue
        context = region or src.city_hint
        for excel_row, cells in src.rows:
            record, row_problems = _convert_row(kind, src, excel_row, cells, registry, context, period)
            problems.extend(row_problems)
            out_rows.append(record)
            positions.append((src.sheet, excel_row))
        problems.extend(_check_totals(kind, src, out_rows, positions))
    frame = pd.DataFrame(out_rows, columns=table.column_names)
    problems.extend(_duplicate_keys(kind, frame, positions, tables))
    return IngestResult(kind, file_name, frame, problems, sheets=[t.sheet for t in tables])


def _label(col: str) -> str:
    from analysis.glossary import TERMS

    return TERMS[col].label if col in TERMS else col


def _derivable(col: str, src: SourceTable, kind: str, period: str | None) -> bool:
    if col == "period":
        return bool(src.period or period)
    if col == "region_code":
        return "region_name" in src.columns
    if col in DEFAULTS:
        return True
    if col == "household_id":
        return "household_id_hash" in src.columns
    if col == "category":
        return False
    return False


def _convert_row(kind, src, excel_row, cells, registry, context, period_override):
    problems: list[Problem] = []
    record: dict[str, object] = {}

    def problem(col: str, value: object, reason: str, severity: str = "error") -> None:
        header = src.columns.get(col) or src.columns.get("region_name") or _label(col)
        problems.append(Problem(src.sheet, excel_row, header, clean_text(value), reason, severity))

    # region
    raw_region = cells.get("region_code") if "region_code" in src.columns else cells.get("region_name")
    region_col = "region_code" if "region_code" in src.columns else "region_name"
    if is_blank(raw_region):
        problem(region_col, raw_region, "地区为空")
        record["region_code"] = None
    else:
        match = registry.match(raw_region, context=context)
        if match.code is None:
            problem(region_col, raw_region, match.problem)
        record["region_code"] = match.code

    for col in TABLES[kind].column_names:
        if col == "region_code":
            continue
        raw = cells.get(col)
        try:
            record[col] = _convert_cell(col, raw, src)
        except CellError as exc:
            problem(col, raw, str(exc))
            record[col] = None
    # values the file does not carry in its rows
    if kind == "inventory" and record.get("period") is None and "period" not in src.columns:
        record["period"] = src.period or period_override
    for col, default in DEFAULTS.items():
        if col in record and record[col] is None and col in TABLES[kind].column_names:
            if is_blank(cells.get(col)):
                record[col] = default
    if kind == "households" and record.get("household_id") is None and "household_id_hash" in cells:
        record["household_id"] = cells["household_id_hash"]
    problems.extend(_row_rules(kind, record, problem, cells, src))
    return record, problems


def _convert_cell(col: str, raw: object, src: SourceTable) -> object:
    scale = src.scales.get(col, 1.0)
    if col in ENUMS:
        return parse_enum(raw, ENUMS[col], VALUE_SYNONYMS.get(col, {}))
    if col == "period":
        return parse_period(raw)
    if col in ("plan_year", "year"):
        return parse_year(raw)
    if col == "is_hardship":
        return parse_bool(raw)
    if col in SHARE_COLUMNS:
        number, percent = parse_number(raw)
        if number is None:
            return None
        if col in src.percent_columns and not percent:
            number /= 100
        return number
    if col in INT_COLUMNS:
        if scale != 1.0:
            number, _ = parse_number(raw)
            return None if number is None else int(round(number * scale))
        return parse_int(raw)
    if col in FLOAT_COLUMNS:
        number, _ = parse_number(raw)
        return None if number is None else number * scale
    text = clean_text(raw)
    return None if is_blank(raw) else text


def _row_rules(kind, record, problem, cells, src) -> list[Problem]:
    """Rules on converted values; ``problem`` records into the caller's list, so return nothing extra."""
    for col in INT_COLUMNS | FLOAT_COLUMNS | SHARE_COLUMNS:
        value = record.get(col)
        if value is not None and value < 0:
            problem(col, cells.get(col), "不能为负数")
    for col in SHARE_COLUMNS:
        value = record.get(col)
        if value is not None and value > 1:
            problem(col, cells.get(col), "比例超过 100%")
    required = [c for c in TABLES[kind].required if c != "region_code"]
    for col in required:
        if record.get(col) is None and is_blank(cells.get(col)) and col in src.columns:
            problem(col, cells.get(col), "必填项为空")
    if kind == "inventory":
        p = record.get("period")
        if p is not None and not (EARLIEST_PERIOD <= p <= latest_allowed_period()):
            problem("period", cells.get("period", p), f"统计月份超出可接受范围（{EARLIEST_PERIOD} 至本月）")
        elif p is None and "period" not in src.columns:
            problem("period", "", "无法确定统计月份：请在标题或工作表名中写明（如 2016年1月），或导入时指定 --period")
        price = record.get("avg_price_yuan_per_m2")
        if price is not None and price > 0 and not (300 <= price <= 200_000):
            problem(
                "avg_price_yuan_per_m2",
                cells.get("avg_price_yuan_per_m2"),
                "均价不在 300–200000 元/㎡ 之间，请检查单位",
                "warning",
            )
    if kind == "households":
        if record.get("mode") == "monetised" and record.get("compensation_yuan") in (None, 0):
            problem("compensation_yuan", cells.get("compensation_yuan"), "货币化安置户缺少补偿款")
        si = record.get("seismic_intensity")
        if si is not None and not (5 <= si <= 10):
            problem("seismic_intensity", cells.get("seismic_intensity"), "抗震设防烈度应在 6–9 度之间")
        year = record.get("plan_year")
        if year is not None and not (2000 <= year <= dt.date.today().year + 5):
            problem("plan_year", cells.get("plan_year"), "计划年度不合理")
        members = record.get("members")
        if members is not None and members > 30:
            problem("members", cells.get("members"), "家庭人口超过 30 人，请检查")
    if kind == "plans":
        year = record.get("year")
        if year is not None and not (2000 <= year <= dt.date.today().year + 5):
            problem("year", cells.get("year"), "年度不合理")
    return []


def _duplicate_keys(kind: str, frame: pd.DataFrame, positions, tables) -> list[Problem]:
    key = list(TABLES[kind].key)
    if frame.empty or frame[key].isna().all(axis=None):
        return []
    dup = frame[key].notna().all(axis=1) & frame.duplicated(key, keep=False)
    problems = []
    seen: dict[tuple, tuple[str, int]] = {}
    for i in frame.index[dup]:
        k = tuple(frame.loc[i, key])
        sheet, row = positions[i]
        if k in seen:
            first_sheet, first_row = seen[k]
            problems.append(
                Problem(
                    sheet,
                    row,
                    "、".join(_label(c) for c in key),
                    " / ".join(map(str, k)),
                    f"与工作表「{first_sheet}」第 {first_row} 行重复（同一地区、同一期只能有一行）",
                )
            )
        else:
            seen[k] = (sheet, row)
    return problems


def _check_totals(kind, src: SourceTable, out_rows, positions) -> list[Problem]:
    """A 合计 row that disagrees with the rows above it: a warning (the clerk's arithmetic is a check)."""
    if not src.totals or kind != "inventory":
        return []
    rows = [r for r, (sheet, _) in zip(out_rows, positions) if sheet == src.sheet]
    problems = []
    for excel_row, cells in src.totals:
        for col in ("saleable_units", "saleable_area_m2", "sold_units", "sold_area_m2"):
            if col not in src.columns:
                continue
            try:
                stated = _convert_cell(col, cells.get(col), src)
            except CellError:
                continue
            actual = sum(r.get(col) or 0 for r in rows)
            if stated is not None and abs(stated - actual) > max(1.0, abs(actual) * 0.001):
                problems.append(
                    Problem(
                        src.sheet,
                        excel_row,
                        src.columns[col],
                        clean_text(cells.get(col)),
                        f"合计行与上方各行之和（{actual:,.2f}）不一致",
                        "warning",
                    )
                )
    return problems
