"""One :class:`SourceTable` per table found in a sheet (one per year or month of a wide table)."""

from __future__ import annotations

import re

from analysis.ingest.convert import FLOAT_COLUMNS, INT_COLUMNS, SHARE_COLUMNS
from analysis.ingest.layout.accounting import account_columns
from analysis.ingest.layout.header import Header
from analysis.ingest.layout.ids import household_ids
from analysis.ingest.layout.places import (
    infer_city,
    month_with_year,
    period_in_name,
    single_year,
    year_in_name,
)
from analysis.ingest.layout.rows import body_rows, cells_of
from analysis.ingest.layout.units import guess_percent, scales_of
from analysis.ingest.problems import Problem, Question, SourceTable, redact
from analysis.ingest.reader import Sheet
from analysis.ingest.values import clean_text, period_in_text

# a data row carries a figure in one of these (a household roll: its id or its mode are enough)
NUMBER_COLUMNS = (INT_COLUMNS | FLOAT_COLUMNS | SHARE_COLUMNS) - {"plan_year", "members", "seismic_intensity"}


def tables_of(
    sheet, header, above, kind, registry, file_name, region, key, notes, questions, mapping=None
) -> list[SourceTable]:
    region_col = "region_code" if "region_code" in header.columns else "region_name"
    region_idx = header.columns[region_col][0] if header.has_region else None
    context = registry.match_any(region) if region else None
    named = registry.place_of([*above, sheet.name, re.sub(r"\.[A-Za-z]+$", "", file_name)], context=context)
    title_place = named.code
    if title_place is None and len(named.codes) > 1 and region_idx is None:
        answer = mapping.place(named.text) if mapping else None
        if answer in registry.regions:
            title_place = answer  # the analyst said which 城区 the title means
        else:  # asked together with the columns, so the analyst answers everything in one round
            numeric = set() if kind == "households" else {j for c, (j, _) in header.columns.items()
                                                          if j >= 0 and c in NUMBER_COLUMNS}  # fmt: skip
            body, _, _ = body_rows(sheet, header, None, registry, None, numeric)
            account_columns(sheet.name, header, body, kind, notes, questions)
            return _ambiguous_title(notes, questions, sheet, header, named, registry)
    defaults: dict[str, object] = {}
    city_hint = None
    if context and registry.get(context).level == "county" and region_idx is None:
        defaults["region_code"] = context
    elif title_place and registry.get(title_place).level == "county" and region_idx is None:
        defaults["region_code"] = title_place
    if title_place and not defaults:
        place = registry.get(title_place)
        city_hint = title_place if place.level == "city" else place.parent_code  # 太原市小店区… → 太原市

    numeric = {j for c, (j, _) in header.columns.items() if j >= 0 and c in NUMBER_COLUMNS} | set(header.years)
    if kind == "households":
        numeric = set()  # an in-kind household may have no figure at all: its id and mode make the row
    body, totals, dropped = body_rows(sheet, header, region_idx, registry, city_hint or context, numeric)
    if dropped:
        shown = "；".join(f"第 {r} 行「{redact(t[:30])}」" for r, t in dropped[:5])
        more = f"等 {len(dropped)} 行" if len(dropped) > 5 else ""
        notes.append(
            Problem(
                sheet.name,
                dropped[0][0],
                "",
                "",
                f"表中的落款、说明或没有数字的行不是数据，未读取：{shown}{more}",
                "note",
            )
        )
    if region_idx is not None and not context and not city_hint:
        city_hint = infer_city(sorted({clean_text(raw[region_idx]) for _, raw in body}), registry)  # each name once
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
            or period_in_name(sheet.name)
            or month_with_year(sheet.name, above, file_name)
            or period_in_text(" ".join(above))
            or period_in_name(file_name)
        )
    year = single_year([sheet.name, *above])
    if kind == "plans" and "year" not in header.columns and not header.year_columns and year:
        defaults["year"] = year
    if kind == "households" and "plan_year" not in header.columns and year:
        defaults["plan_year"] = year
    if kind == "households" and "category" not in header.columns and "农村危房" in "".join([sheet.name, *above]):
        defaults["category"] = "rural_dilapidated"  # a rural roll says so in its title, not in a column
    account_columns(sheet.name, header, body, kind, notes, questions)  # before the units: 补偿（万元）
    scales, percent = scales_of(header, above)

    extra: dict[int, dict[str, object]] = {}
    if kind == "households":
        extra = household_ids(sheet, header, body, key, notes)
    out = []
    month_year = single_year([sheet.name, *above]) or year_in_name(file_name)
    for year_value, cols in _column_specs(header):
        if isinstance(year_value, str) and year_value.startswith("m"):  # 1月 | 2月 …: the year from the title
            if month_year is None:
                return _skip(
                    notes, sheet, header, "表头按月分列（1月、2月……）但没有写明年份：请在标题中写明年份（如“2016年”）"
                )
            year_value = f"{month_year:04d}-{year_value[1:]}"
        rows = [(r, {**cells_of(cells, cols), **extra.get(r, {})}) for r, cells in body]
        total_rows = [(r, {**cells_of(cells, cols), "_label": lab, "_before": n}) for r, cells, lab, n in totals]
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
        guess_percent(src, notes)
        out.append(src)
    return out


def _ambiguous_title(notes, questions, sheet, header, named, registry) -> list[SourceTable]:
    """A title naming a place several cities have (城区, 矿区, 郊区) and no county column: ask which."""
    options = tuple((c, "/".join(registry.path_names(c)) + f"（{c}）") for c in named.codes)
    listed = "、".join(label for _, label in options[:8])
    reason = f"标题（或工作表名、文件名）中的「{named.text}」不唯一，可能是 {listed}：请选择，或在导入时指定所属市"
    notes.append(Problem(sheet.name, None, "", named.text, reason))
    questions.append(Question("place", sheet.name, named.text, "标题", (), (), options, None, reason))
    return []


def _skip(notes: list[Problem], sheet: Sheet, header: Header, reason: str) -> list[SourceTable]:
    """A sheet that cannot be read as a table, with the reason as an error at its header row."""
    notes.append(Problem(sheet.name, header.start + 1, "", "", reason))
    return []


def _column_specs(header: Header) -> list[tuple[object, dict[str, tuple[int, str]]]]:
    if not header.year_columns:
        return [(None, dict(header.columns))]
    specs = []
    for year in sorted({y for y, _ in header.year_columns}, key=str):
        cols = {c: v for c, v in header.columns.items() if c not in ("year", "period")}
        cols.update({c: v for (y, c), v in header.year_columns.items() if y == year})
        specs.append((year, cols))
    return specs
