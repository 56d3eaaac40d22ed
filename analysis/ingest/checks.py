"""Checks across rows: 合计 and 小计 arithmetic, units that look wrong, duplicate keys, merged old counties."""

from __future__ import annotations

import pandas as pd

from analysis.catalogue import columns
from analysis.ingest.convert import convert_cell
from analysis.ingest.problems import Problem, SourceTable
from analysis.ingest.values import CellError, clean_text
from analysis.schema import TABLES


def label_of(col: str) -> str:
    return columns()[col].label if col in columns() else col


def sequence_ids(frame: pd.DataFrame, tables: list[SourceTable]) -> list[Problem]:
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


def _written_header(col: str, tables: list[SourceTable]) -> str:
    for t in tables:
        if col in t.columns:
            return t.columns[col]
        if col == "region_code" and "region_name" in t.columns:
            return t.columns["region_name"]
    return label_of(col)


DUPLICATE_RULE = {
    "inventory": "同一县（市、区）、同一月份只能有一行",
    "plans": "同一县（市、区）、同一年度只能有一行",
    "households": "同一户编号只能有一行",
}


def duplicate_keys(kind: str, frame: pd.DataFrame, positions, tables) -> list[Problem]:
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


def check_totals(kind, src: SourceTable, rows: list[dict]) -> list[Problem]:
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
                stated = convert_cell(col, cells.get(col), src)
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


def check_units(kind, src: SourceTable, rows: list[dict], positions) -> list[Problem]:
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


def merge_old_units(kind, frame: pd.DataFrame, positions, merged_names, registry):
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
