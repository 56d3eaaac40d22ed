"""Lazy validation: turn source rows into canonical rows and collect every problem before deciding."""

from __future__ import annotations

import datetime as dt
import re

import pandas as pd

from analysis.catalogue import columns
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
    states_unit,
    written,
)
from analysis.ingest.vocabulary import VALUE_SYNONYMS
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
STEP_MONTHS = ("signed_month", "relocated_month", "resettled_month")  # in the order the steps happen
EARLIEST_PERIOD = "2010-01"
DEFAULTS = {"mode": "undecided", "status": "unsigned", "is_hardship": False}  # a blank in a 困难户 column: not one
# cells that may not be blank (a required column may still say — for "none reported", e.g. no sales)
NON_NULL = {
    "inventory": ("period",),
    "households": ("household_id", "category", "plan_year"),
    "plans": ("year", "planned_households"),
}


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
    merged_names: list[str] = []  # the old name a row was matched through ("" for a current name)
    written_places: dict[tuple[str, int], str] = {}  # (sheet, row) → the place as the file writes it
    for src in tables:
        missing = [c for c in table.required if c not in src.columns and not _derivable(c, src, kind, period)]
        for col in missing:
            reason = "缺少必需的列，请对照模板补上"
            if col == "period":
                reason = "无法确定统计月份：请加“统计月份”列，或在标题、工作表名中写明（如 2016年1月），或导入时指定月份（--period）"
            problems.append(Problem(src.sheet, None, _label(col), "", reason))
        if missing:
            continue
        context = region or src.city_hint
        first = len(out_rows)
        for excel_row, cells in src.rows:
            record, row_problems = _convert_row(kind, src, excel_row, cells, registry, context, period)
            problems.extend(row_problems)
            merged_names.append(record.pop("_via", ""))
            out_rows.append(record)
            positions.append((src.sheet, excel_row))
            place = cells.get("region_name", cells.get("region_code"))
            written_places[(src.sheet, excel_row)] = written(place) if place is not None else ""
        problems.extend(_check_totals(kind, src, out_rows[first:]))
        problems.extend(_check_units(kind, src, out_rows[first:], positions[first:]))
    frame = pd.DataFrame(out_rows, columns=table.column_names)
    if kind == "households":
        problems.extend(_sequence_ids(frame, tables))
    frame, positions, merge_notes = _merge_old_units(kind, frame, positions, merged_names, registry)
    problems.extend(merge_notes)
    problems.extend(_duplicate_keys(kind, frame, positions, tables))
    sheets = list(dict.fromkeys(t.sheet for t in tables))
    source = pd.DataFrame(
        [(sheet, row, written_places.get((sheet, row), "")) for sheet, row in positions],
        columns=["sheet", "row", "region_written"],
    )
    return IngestResult(kind, file_name, frame, problems, sheets=sheets, source=source)


def _label(col: str) -> str:
    return columns()[col].label if col in columns() else col


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
    if col == "category":
        return False
    return False


def _convert_row(kind, src, excel_row, cells, registry, context, period_override):
    problems: list[Problem] = []
    record: dict[str, object] = {}

    def problem(col: str, value: object, reason: str, severity: str = "error") -> None:
        if col in src.columns:
            header = src.columns[col]
        elif col == "region_code":
            header = src.columns.get("region_name") or _label(col)
        elif col in ("period", "year", "plan_year"):
            header = f"{_label(col)}（取自工作表名、标题或文件名）"
        else:
            header = _label(col)
        problems.append(Problem(src.sheet, excel_row, header, written(value), reason, severity))

    # region
    raw_region = cells.get("region_code") if "region_code" in src.columns else cells.get("region_name")
    region_col = "region_code" if "region_code" in src.columns else "region_name"
    if region_col not in src.columns and "region_code" in src.defaults:
        record["region_code"] = src.defaults["region_code"]
    elif is_blank(raw_region):
        problem(region_col, raw_region, "地区为空")
        record["region_code"] = None
    else:
        match = _match(registry, clean_text(raw_region), context)
        if match.code is None:
            problem(
                region_col,
                raw_region,
                _region_problem(match, registry, registry.match_any(context) if context else None),
            )
        record["region_code"] = match.code
        record["_via"] = match.via_crosswalk and clean_text(raw_region)

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
    for col, value in src.defaults.items():
        if col not in src.columns and col != "region_code":
            record[col] = value
    if kind == "inventory" and record.get("period") is None and "period" not in src.columns:
        record["period"] = src.period or period_override
    for col, default in DEFAULTS.items():
        if col in record and record[col] is None and col in TABLES[kind].column_names:
            if is_blank(cells.get(col)) and (col != "is_hardship" or col in src.columns):
                record[col] = default
    if kind == "households" and record.get("household_id") is None and "household_id_hash" in cells:
        record["household_id"] = cells["household_id_hash"]
    if kind == "households":
        record["household_id"] = _county_scoped(record.get("household_id"), record.get("region_code"))
    problems.extend(_row_rules(kind, record, problem, cells, src))
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


def _sequence_ids(frame: pd.DataFrame, tables: list[SourceTable]) -> list[Problem]:
    """户编号 that look like row numbers (001, 002 …) are likely reused by next year's roll."""
    written = frame.household_id.dropna().str.split("-", n=1).str[-1]
    if written.empty or not written.str.fullmatch(r"\d{1,4}").all():
        return []
    header = next((t.columns["household_id"] for t in tables if "household_id" in t.columns), "户编号")
    return [
        Problem(
            tables[0].sheet,
            None,
            header,
            "",
            "户编号像是序号（001、002……）：同一县另一年度的花名册若再用同样的编号，后导入的会替换先导入的；"
            "请尽量使用协议编号或档案编号",
            "warning",
        )
    ]


def _county_scoped(household_id: str | None, region_code: str | None) -> str | None:
    """A county's own numbers (001, 002 …) are unique only in that county: the store keeps them as
    ``140105-001`` so two counties' rolls never replace each other. Keyed hashes are unique already."""
    if not household_id or not region_code or household_id.startswith(("HH-", region_code + "-")):
        return household_id
    return f"{region_code}-{household_id}"


def _convert_cell(col: str, raw: object, src: SourceTable) -> object:
    scale = 1.0 if states_unit(raw) else src.scales.get(col, 1.0)
    if col in ENUMS:
        return parse_enum(raw, ENUMS[col], VALUE_SYNONYMS.get(col, {}))
    if col in ("period", *STEP_MONTHS):
        return parse_period(raw)  # a date of a step reads as its month, like a statistical month
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
        return None if number is None else round(number * scale, 6)
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
    for col in NON_NULL[kind]:
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
        steps = [(c, record.get(c)) for c in STEP_MONTHS if record.get(c) is not None]
        for col, month in steps:
            if not (EARLIEST_PERIOD <= month <= latest_allowed_period()):
                problem(col, cells.get(col, month), f"日期超出可接受范围（{EARLIEST_PERIOD} 至本月）")
        for (a, ma), (b, mb) in zip(steps, steps[1:]):
            if mb < ma:
                problem(b, cells.get(b, mb), f"早于{_label(a)}（{ma}），请检查日期", "warning")
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


def _written_header(col: str, tables: list[SourceTable]) -> str:
    for t in tables:
        if col in t.columns:
            return t.columns[col]
        if col == "region_code" and "region_name" in t.columns:
            return t.columns["region_name"]
    return _label(col)


DUPLICATE_RULE = {
    "inventory": "同一县（市、区）、同一月份只能有一行",
    "plans": "同一县（市、区）、同一年度只能有一行",
    "households": "同一户编号只能有一行",
}


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
                    "、".join(_written_header(c, tables) for c in key),
                    " / ".join(map(str, k)),
                    f"与工作表「{first_sheet}」第 {first_row} 行重复（{DUPLICATE_RULE[kind]}）",
                )
            )
        else:
            seen[k] = (sheet, row)
    return problems


TOTAL_COLUMNS = {
    "inventory": (
        "saleable_units",
        "saleable_area_m2",
        "sold_units",
        "sold_area_m2",
        "new_permit_area_m2",
        "unallocated_affordable_units",
        "unallocated_affordable_area_m2",
    ),
    "plans": ("planned_households",),
    "households": ("compensation_yuan", "original_area_m2"),
}


def _check_totals(kind, src: SourceTable, rows: list[dict]) -> list[Problem]:
    """A 合计 row that disagrees with the rows above it (小计: the rows since the last 小计): a warning,
    since the clerk's arithmetic is a useful check."""
    problems = []
    since = 0
    for excel_row, cells in src.totals:
        before = cells.get("_before", len(rows))
        if cells.get("_label") == "市级汇总行":
            continue  # which rows a city's own row covers is not said: no check
        subtotal = "小计" in str(cells.get("_label", ""))
        covered = rows[since:before] if subtotal else rows
        if subtotal:
            since = before
        for col in TOTAL_COLUMNS.get(kind, ()):
            if col not in src.columns:
                continue
            try:
                stated = _convert_cell(col, cells.get(col), src)
            except CellError:
                continue
            actual = sum(r.get(col) or 0 for r in covered)
            if stated is not None and abs(stated - actual) > max(1.0, abs(actual) * 0.001):
                problems.append(
                    Problem(
                        src.sheet,
                        excel_row,
                        src.columns[col],
                        clean_text(cells.get(col)),
                        f"{'小计' if subtotal else '合计'}行与所含各行之和（{_plain(actual, src.scales.get(col, 1.0))}）不一致",
                        "warning",
                    )
                )
    return problems


def _plain(value: float, scale: float) -> str:
    """A sum written back in the file's own unit: 510.47 (万平方米), 48,609 (套)."""
    v = value / scale
    return f"{v:,.0f}" if abs(v - round(v)) < 1e-9 else f"{v:,.2f}"


def _check_units(kind, src: SourceTable, rows: list[dict], positions) -> list[Problem]:
    """Area per unit far from a dwelling's size: the unit line is probably missing or wrong."""
    if kind != "inventory" or "saleable_area_m2" not in src.columns or "saleable_units" not in src.columns:
        return []
    sizes = [
        (r["saleable_area_m2"] / r["saleable_units"], pos)
        for r, pos in zip(rows, positions)
        if (r.get("saleable_units") or 0) >= 10 and (r.get("saleable_area_m2") or 0) > 0
    ]
    small = [p for size, p in sizes if size < 5]
    large = [p for size, p in sizes if size > 2000]
    problems = []
    header = src.columns["saleable_area_m2"]
    if small:
        problems.append(
            Problem(
                src.sheet,
                small[0][1],
                header,
                "",
                f"{len(small)} 行的套均可售面积不足 5 ㎡：面积可能以万平方米填报，请在表头或单位行注明“万平方米”",
                "warning",
            )
        )
    if large:
        problems.append(
            Problem(
                src.sheet,
                large[0][1],
                header,
                "",
                f"{len(large)} 行的套均可售面积超过 2000 ㎡：请检查面积单位（平方米 / 万平方米）",
                "warning",
            )
        )
    return problems


# columns that add up when two old counties became one (the same as a 合计 row adds up)
ADDITIVE = {k: TOTAL_COLUMNS[k] for k in ("inventory", "plans")}


def _merge_old_units(kind, frame: pd.DataFrame, positions, merged_names, registry):
    """Rows of 2015-era counties since merged into one (长治 城区 + 郊区 → 潞州区) are added up."""
    if kind not in ADDITIVE or frame.empty or not any(merged_names):
        return frame, positions, []
    key = list(TABLES[kind].key)
    frame = frame.assign(_via=merged_names, _pos=range(len(frame)))
    via_keys = frame.loc[frame._via != "", key].drop_duplicates()
    keep = frame.merge(via_keys, on=key, how="left", indicator=True)["_merge"].eq("left_only").to_numpy()
    groups = frame[~keep].groupby(key, sort=False, dropna=False)
    out, notes, new_positions = [frame[keep]], [], [positions[i] for i in frame._pos[keep]]
    for _, group in groups:
        names = list(group._via)
        if len(group) == 1 or "" in names or len(set(names)) < len(names):
            # the same county twice (pasted again, or under its old and new name): a duplicate, not a merger
            out.append(group)
            new_positions += [positions[i] for i in group._pos]
            continue
        row = group.iloc[0].copy()
        for col in ADDITIVE[kind]:
            values = group[col].dropna()
            row[col] = values.sum() if len(values) else None
        if kind == "inventory":
            row["avg_price_yuan_per_m2"] = _weighted(group, "avg_price_yuan_per_m2", "sold_area_m2")
        if kind == "plans":
            row["target_monetised_share"] = _weighted(group, "target_monetised_share", "planned_households")
        out.append(row.to_frame().T)
        sheet, first_row = positions[group._pos.iloc[0]]
        names = "、".join(dict.fromkeys(v or registry.name(row["region_code"]) for v in group._via))
        new_positions.append((sheet, first_row))
        notes.append(
            Problem(
                sheet,
                first_row,
                "地区",
                names,
                f"已合并为{registry.name(row['region_code'])}（{row['region_code']}），{len(group)} 行数字已相加",
                "warning",
            )
        )
    merged = pd.concat(out, ignore_index=True).drop(columns=["_via", "_pos"])
    return merged.astype(frame.drop(columns=["_via", "_pos"]).dtypes.to_dict(), errors="ignore"), new_positions, notes


def _weighted(group: pd.DataFrame, col: str, weight: str):
    values = group[[col, weight]].dropna()
    values = values[values[weight] > 0]
    if values.empty:
        v = group[col].dropna()
        return v.mean() if len(v) else None
    return float((values[col] * values[weight]).sum() / values[weight].sum())


def _region_problem(match, registry: Registry, context: str | None = None) -> str:
    if len(match.codes) > 1:
        options = "、".join(f"{'/'.join(registry.path_names(c)[1:])}（{c}）" for c in match.codes[:6])
        return f"地区名称不唯一，可能是 {options}：请在标题中写明所属市，或在导入时指定地区"
    elsewhere = registry.match(match.text).codes if context else ()
    if elsewhere:
        where = "、".join(f"{'/'.join(registry.path_names(c)[1:])}（{c}）" for c in elsewhere[:6])
        return (
            f"{registry.name(context)}没有这个县（市、区），它在 {where}：请检查文件所属的市（标题或所选地区）是否正确"
        )
    close = registry.similar(match.text, context)
    if close:
        return match.problem + "。是否为：" + "、".join(close) + "？"
    if re.search(r"开发区|高新区|示范区|新区|园区|工业区|管委会|经济区", str(match.text)):
        return match.problem + "。开发区、园区等不是行政区划：请把它的数字并入所在县（市、区）的行"
    return match.problem
