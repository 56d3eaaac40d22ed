"""What an import shows the analyst: the problems as a table and the column sums to hold against the
file's own 合计 row."""

from __future__ import annotations

import pandas as pd

from analysis.catalogue import columns, label
from analysis.ingest.checks import TOTAL_COLUMNS
from analysis.ingest.mapping import Mapping
from analysis.ingest.problems import SEVERITY_LABELS, IngestResult, Problem

SUM_COLUMNS = {
    "inventory": TOTAL_COLUMNS["inventory"],  # what a 合计 row adds up
    "households": ("household_id", "compensation_yuan"),
    "plans": ("planned_households",),
}
PROBLEM_HEADERS = {
    "severity": "级别",
    "sheet": "工作表",
    "row": "行",
    "column": "列",
    "value": "值",
    "reason": "问题",
}


def totals(result: IngestResult) -> dict[str, str]:
    """``{'可售面积': '510.47 万㎡', …}``: the sums of the main columns of the normalised rows."""
    frame = result.frame
    out: dict[str, str] = {"行数": f"{len(frame):,}"}
    if "region_code" in frame:
        out["地区数"] = f"{frame.region_code.nunique():,}"
    for col in SUM_COLUMNS.get(result.kind, ()):
        if col not in frame:
            continue
        if col == "household_id":
            out["户数"] = f"{frame[col].nunique():,}"
            continue
        values = pd.to_numeric(frame[col], errors="coerce")
        if values.notna().any():  # an optional column the file does not have is not summed to 0
            out[label(col)] = exact(col, values.sum())
    for col in ("period", "year", "plan_year"):
        if col in frame and frame[col].notna().any():
            values = sorted(str(v) for v in frame[col].dropna().unique())
            out[label(col)] = values[0] if len(values) == 1 else f"{values[0]} 至 {values[-1]}（{len(values)} 期）"
    return out


def exact(column: str, value: float) -> str:
    """Sums written as a clerk's 合计 row is: 48,609套, 510.47万㎡, 583.12万元 (no rounding away)."""
    unit = columns()[column].unit if column in columns() else ""
    if unit == "㎡":
        return f"{value / 1e4:,.2f}万㎡"
    if unit == "元":
        return f"{value / 1e4:,.2f}万元"
    return f"{value:,.0f}{unit}"


def problems_frame(problems: list[Problem]) -> pd.DataFrame:
    rows = [p.as_dict() for p in problems]
    frame = pd.DataFrame(rows, columns=list(PROBLEM_HEADERS)) if rows else pd.DataFrame(columns=list(PROBLEM_HEADERS))
    frame["severity"] = frame["severity"].map(SEVERITY_LABELS)
    frame["row"] = [p.rows_cell for p in problems]  # 10、17、25
    return frame.rename(columns=PROBLEM_HEADERS)


def suggested_mapping(result: IngestResult) -> Mapping:
    """The mapping the reader would propose: its guess for every question (the analyst checks it)."""
    columns: dict[str, str] = {}
    values: dict[str, dict[str, str]] = {}
    places: dict[str, str] = {}
    for q in result.questions:
        guess = q.guess or "请填写"
        if q.about == "column":
            columns[q.written] = guess
        elif q.about == "value":
            values.setdefault(q.column, {})[q.written] = guess
        elif q.about == "place":
            places[q.written] = (
                guess
                if q.guess
                else "请填写6位行政区划代码" + (f"（如 {'、'.join(c for c, _ in q.options[:6])}）" if q.options else "")
            )
    return Mapping(columns, values, places)
