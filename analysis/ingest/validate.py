"""Lazy validation: turn source rows into canonical rows and collect every problem before deciding."""

from __future__ import annotations

import datetime as dt

import pandas as pd

from analysis.ingest.checks import check_totals, check_units, duplicate_keys, label_of, merge_old_units, sequence_ids
from analysis.ingest.convert import (
    DEFAULTS,
    EARLIEST_PERIOD,
    FLOAT_COLUMNS,
    INT_COLUMNS,
    SHARE_COLUMNS,
    STEP_MONTHS,
    convert_cell,
    county_scoped,
    latest_allowed_period,
)
from analysis.ingest.findings import (
    MAX_COMPENSATION_YUAN,
    REQUIRED_BECAUSE,
    Tally,
    absent_columns,
    empty_columns,
    grouped,
)
from analysis.ingest.mapping import UNKNOWN, Mapping
from analysis.ingest.problems import IngestResult, Problem, Question, SourceTable
from analysis.ingest.values import CellError, clean_text, is_blank, written
from analysis.regions import Registry
from analysis.schema import ENUMS, TABLES

# cells that may not be blank (a required column may still say — for "none reported", e.g. no sales)
NON_NULL = {
    "inventory": ("period",),
    "households": ("household_id",),
    "plans": ("year", "planned_households"),
}


def validate(
    kind: str,
    tables: list[SourceTable],
    registry: Registry,
    *,
    file_name: str = "",
    region: str | None = None,
    period: str | None = None,
    problems: list[Problem] | None = None,
    mapping: Mapping | None = None,
    questions: list[Question] | None = None,
) -> IngestResult:
    """Canonical rows of ``kind`` from the source tables, with every problem found in one pass.

    ``region`` (code or name of a city or province) settles names found in several cities;
    ``period`` fills the month where the file gives none; ``mapping`` holds the analyst's answers
    (values and places; headers were applied while the tables were read).
    """
    table = TABLES[kind]
    problems = list(problems or [])
    questions = list(questions or [])
    mapping = mapping or Mapping()
    tally = Tally()
    out_rows: list[dict] = []
    positions: list[tuple[str, int]] = []
    merged_names: list[str] = []  # the old name a row was matched through ("" for a current name)
    written_places: dict[tuple[str, int], str] = {}  # (sheet, row) → the place as the file writes it
    for src in tables:
        missing = [c for c in table.required if c not in src.columns and not _derivable(c, src, kind, period)]
        for col in missing:
            reason = f"缺少必需的列（{REQUIRED_BECAUSE.get(col, '指标无法计算')}）：请对照模板补上，或在映射中指定"
            if col == "period":
                reason = "无法确定统计月份：请加“统计月份”列，或在标题、工作表名中写明（如 2016年1月），或导入时指定月份（--period）"
            problems.append(Problem(src.sheet, None, label_of(col), "", reason))
        context = region or src.city_hint
        first = len(out_rows)
        for excel_row, cells in src.rows:
            record, row_problems = _convert_row(
                kind, src, excel_row, cells, registry, context, period, mapping, tally, skip=set(missing)
            )
            problems.extend(row_problems)
            merged_names.append(record.pop("_via", ""))
            out_rows.append(record)
            positions.append((src.sheet, excel_row))
            place = cells.get("region_name", cells.get("region_code"))
            written_places[(src.sheet, excel_row)] = written(place) if place is not None else ""
        problems.extend(check_totals(kind, src, out_rows[first:]))
        problems.extend(check_units(kind, src, out_rows[first:], positions[first:]))
        problems.extend(empty_columns(kind, src, tally))
    problems.extend(absent_columns(kind, tables, period))
    if tables and not out_rows:
        problems.append(Problem(tables[0].sheet, None, "", "", "没有读到任何数据行：表头下方应有各县（市、区）的数据"))
    value_problems, value_questions = tally.findings(kind, registry, region)
    problems[:0] = value_problems  # first within their row: the place is the row's first column
    questions.extend(value_questions)
    frame = pd.DataFrame(out_rows, columns=table.column_names)
    if kind == "households":
        problems.extend(sequence_ids(frame, tables))
    frame, positions, merge_notes = merge_old_units(kind, frame, positions, merged_names, registry)
    problems.extend(merge_notes)
    problems.extend(duplicate_keys(kind, frame, positions, tables))
    sheets = list(dict.fromkeys(t.sheet for t in tables))
    source = pd.DataFrame(
        [(sheet, row, written_places.get((sheet, row), "")) for sheet, row in positions],
        columns=["sheet", "row", "region_written"],
    )
    order = {name: i for i, name in enumerate(sheets)}
    problems = sorted(grouped(problems), key=lambda p: (order.get(p.sheet, -1), p.row or 0))  # in file order
    return IngestResult(
        kind, file_name, frame, problems, sheets=sheets, source=source, questions=questions, mapping=mapping
    )


def _derivable(col: str, src: SourceTable, kind: str, period: str | None) -> bool:
    if col in src.defaults:
        return True
    if col == "period":
        return bool(src.period or period)
    if col == "region_code":
        return "region_name" in src.columns
    if col in DEFAULTS:
        return True
    if col == "household_id":
        return "household_id_hash" in src.columns
    if col == "mode":  # a rural roll (农村危房改造) resettles no one: no 安置方式 to give
        return src.defaults.get("category") == "rural_dilapidated" or _all_rural(src)
    return False


def _all_rural(src: SourceTable) -> bool:
    if "category" not in src.columns or not src.rows:
        return False
    return all("农村" in clean_text(cells.get("category")) for _, cells in src.rows)


def _convert_row(kind, src, excel_row, cells, registry, context, period_override, mapping, tally, skip=()):
    problems: list[Problem] = []
    record: dict[str, object] = {}

    def problem(col: str, value: object, reason: str, severity: str = "error") -> None:
        if col in src.columns:
            header = src.columns[col]
        elif col == "region_code":
            header = src.columns.get("region_name") or label_of(col)
        elif col in ("period", "year", "plan_year"):
            header = f"{label_of(col)}（取自工作表名、标题或文件名）"
        else:
            header = label_of(col)
        problems.append(Problem(src.sheet, excel_row, header, written(value), reason, severity))

    # region
    raw_region = cells.get("region_code") if "region_code" in src.columns else cells.get("region_name")
    region_col = "region_code" if "region_code" in src.columns else "region_name"
    if region_col not in src.columns and "region_code" in src.defaults:
        record["region_code"] = src.defaults["region_code"]
    elif is_blank(raw_region):
        problem(region_col, raw_region, "地区为空")
        record["region_code"] = None
    elif mapping.place(clean_text(raw_region)) in registry.regions:
        record["region_code"] = mapping.place(clean_text(raw_region))  # the analyst said which county
    else:
        match = _match(registry, clean_text(raw_region), context)
        if match.code is None:
            tally.place(src, excel_row, written(raw_region), match, context)
        record["region_code"] = match.code
        record["_via"] = match.via_crosswalk and clean_text(raw_region)

    for col in TABLES[kind].column_names:
        if col == "region_code":
            continue
        raw = cells.get(col)
        if (col in ENUMS or col == "is_hardship") and not is_blank(raw) and mapping.value(col, clean_text(raw)):
            answer = mapping.value(col, clean_text(raw))
            record[col] = None if answer == UNKNOWN else (answer == "true" if col == "is_hardship" else answer)
            tally.filled[(src.sheet, col)] += 1
            continue
        try:
            record[col] = convert_cell(col, raw, src)
        except CellError as exc:
            record[col] = None
            if col in ENUMS or col == "is_hardship":
                tally.value(src, excel_row, col, written(raw), str(exc))  # one finding per value, all its rows
            else:
                problem(col, raw, str(exc))
        if record[col] is not None and not is_blank(raw):
            tally.filled[(src.sheet, col)] += 1
    # values the file does not carry in its rows
    for col, value in src.defaults.items():
        if col not in src.columns and col != "region_code":
            record[col] = value
    if kind == "inventory" and record.get("period") is None and "period" not in src.columns:
        record["period"] = src.period or period_override
    for col, default in DEFAULTS.items():
        if col in record and record[col] is None and col in src.columns and is_blank(cells.get(col)):
            record[col] = default  # a blank cell in the column: the default, counted and said
            tally.defaulted[(src.sheet, col)].append(excel_row)
    if kind == "households" and record.get("household_id") is None and "household_id_hash" in cells:
        record["household_id"] = cells["household_id_hash"]
    if kind == "households":
        record["household_id"] = county_scoped(record.get("household_id"), record.get("region_code"))
    problems.extend(_row_rules(kind, record, problem, cells, src, skip))
    return record, problems


_MATCHES: dict[tuple[int, str, str | None], object] = {}


def _match(registry: Registry, text: str, context: str | None):
    """Registry matching, remembered: a roll names the same few counties a hundred thousand times."""
    key = (id(registry), text, context)
    if key not in _MATCHES:
        if len(_MATCHES) > 50_000:
            _MATCHES.clear()
        _MATCHES[key] = registry.match(text, context=context)
    return _MATCHES[key]


def _row_rules(kind, record, problem, cells, src, skip=()) -> list[Problem]:
    """Rules on converted values; ``problem`` records into the caller's list, so return nothing extra."""
    for col in INT_COLUMNS | FLOAT_COLUMNS | SHARE_COLUMNS:
        value = record.get(col)
        if value is not None and value < 0:
            problem(col, cells.get(col), "不能为负数")
    for col in SHARE_COLUMNS:
        value = record.get(col)
        if value is not None and value > 1:
            problem(col, cells.get(col), "比例超过 100%")
    for col in NON_NULL[kind]:
        if record.get(col) is None and is_blank(cells.get(col)) and col in src.columns:
            problem(col, cells.get(col), "必填项为空")
    if kind == "inventory":
        p = record.get("period")
        if p is not None and not (EARLIEST_PERIOD <= p <= latest_allowed_period()):
            problem("period", cells.get("period", p), f"统计月份超出可接受范围（{EARLIEST_PERIOD} 至本月）")
        elif p is None and "period" not in src.columns and "period" not in skip:
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
        steps = [(c, record.get(c)) for c in STEP_MONTHS if record.get(c) is not None]
        for col, month in steps:
            if not (EARLIEST_PERIOD <= month <= latest_allowed_period()):
                problem(col, cells.get(col, month), f"日期超出可接受范围（{EARLIEST_PERIOD} 至本月）")
        for (a, ma), (b, mb) in zip(steps, steps[1:]):
            if mb < ma:
                problem(b, cells.get(b, mb), f"早于{label_of(a)}（{ma}），请检查日期", "warning")
        if (
            record.get("mode") == "monetised"
            and record.get("compensation_yuan") in (None, 0)
            and "compensation_yuan" in src.columns
        ):
            problem("compensation_yuan", cells.get("compensation_yuan"), "货币化安置户缺少补偿款")
        money = record.get("compensation_yuan")
        if money is not None and money > MAX_COMPENSATION_YUAN:
            problem(
                "compensation_yuan",
                cells.get("compensation_yuan"),
                "单户补偿款超过 1 亿元，不可能是一户的补偿（是否把银行卡号或合计填进了本列？请检查单位）",
            )
        si = record.get("seismic_intensity")
        if si is not None and not (5 <= si <= 10):
            problem("seismic_intensity", cells.get("seismic_intensity"), "抗震设防烈度应在 6–9 度之间")
        year = record.get("plan_year")
        if year is None and "plan_year" in src.columns:
            problem("plan_year", cells.get("plan_year"), "计划年度为空：本户不计入任何年度的指标", "warning")
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
