"""What every command shares: the refusal, parsing of years, regions and months, and output formats."""

from __future__ import annotations

import io
import re

import pandas as pd

from analysis import catalogue, metrics
from analysis import format as fmt
from analysis.regions import load_registry


class Refusal(Exception):
    """Input refused: the message (Chinese) goes to stderr, ``stdout`` (if any) to stdout; exit 2."""

    def __init__(self, message: str, stdout: str = "") -> None:
        super().__init__(message)
        self.stdout = stdout


def parse_years(text: str | None) -> tuple[int, ...]:
    """``2016`` / ``2016,2017`` / ``2015-2017`` → years (the same for every command)."""
    if not text:
        return ()
    text = text.strip()
    m = re.fullmatch(r"(\d{4})\s*[-–~至]\s*(\d{4})", text)
    if m:
        first, last = int(m.group(1)), int(m.group(2))
        if first > last or last - first > 50:
            raise Refusal(f"年度范围「{text}」无效，应如 2015-2017")
        return tuple(range(first, last + 1))
    try:
        return tuple(int(y) for y in re.split(r"[,，\s]+", text) if y)
    except ValueError as exc:
        raise Refusal(f"年度「{text}」无法识别，应为 2016、2016,2017 或 2015-2017") from exc


def resolve_region(text: str | None) -> str | None:
    if not text:
        return None
    code = load_registry().match_any(text)
    if code is None:
        raise Refusal(f"无法识别地区「{text}」：请使用 6 位行政区划代码或完整名称")
    return code


def check_period(text: str | None) -> str | None:
    if text and not re.fullmatch(r"\d{4}-(0[1-9]|1[0-2])", text):
        raise Refusal(f"统计月份「{text}」格式不对，应为 YYYY-MM，如 2016-06")
    return text


def check_period_in_data(con, period: str | None) -> None:
    """A month the data does not reach is refused, rather than answered with empty rows."""
    months = metrics.periods(con) if period else []
    if months and period not in months:
        raise Refusal(f"数据中没有 {period} 的库存数据：已有 {months[0]} 至 {months[-1]}（共 {len(months)} 个月）")


def render(frame: pd.DataFrame, form: str) -> str:
    """``csv`` / ``json`` (canonical columns, base units) or a table for people (labels, display units)."""
    if form == "csv":
        buf = io.StringIO()
        frame.to_csv(buf, index=False, lineterminator="\n")
        return buf.getvalue()
    if form == "json":
        return frame.to_json(orient="records", force_ascii=False, indent=1)
    labels = catalogue.columns()
    if "destock_status" in frame and "destock_months" in frame:  # 未报送 / 无成交, never a blank or "nan"
        frame = frame.assign(
            destock_months=[
                {"not_reported": "未报送", "no_sales": "无成交"}.get(s, m)
                for s, m in zip(frame.destock_status, frame.destock_months)
            ]
        ).drop(columns="destock_status")
    shown = pd.DataFrame(
        {(labels[c].label if c in labels else c): [fmt.value(c, v) if c in labels else v for v in frame[c]]
         for c in frame.columns}
    )  # fmt: skip
    return shown.to_string(index=False)
