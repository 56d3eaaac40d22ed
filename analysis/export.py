"""Tables for people: Chinese headers, display units (万㎡, %, 亿元), and the CSV / Excel bytes of them."""

from __future__ import annotations

import io

import pandas as pd

from analysis.glossary import ENUM_LABELS, TERMS, label

# column -> (display unit, divisor)
UNITS: dict[str, tuple[str, float]] = {
    "saleable_area_m2": ("万㎡", 1e4), "avg_monthly_sold_m2": ("万㎡", 1e4), "absorbed_area_m2": ("万㎡", 1e4),
    "sold_area_m2": ("万㎡", 1e4), "new_permit_area_m2": ("万㎡", 1e4),
    "unallocated_affordable_area_m2": ("万㎡", 1e4), "compensation_yuan": ("亿元", 1e8),
    "monetised_share": ("%", 0.01), "target_monetised_share": ("%", 0.01),
    "recommended_monetised_share": ("%", 0.01), "completion_share": ("%", 0.01), "absorbed_share": ("%", 0.01),
    "destock_months": ("个月", 1), "destock_months_after": ("个月", 1), "destock_months_units": ("个月", 1),
    "avg_price_yuan_per_m2": ("元/㎡", 1),
    "cash_needed_yuan": ("亿元", 1e8), "construction_area_m2": ("万㎡", 1e4), "construction_cost_yuan": ("亿元", 1e8),
    "compensation_per_household_yuan": ("万元", 1e4),
}  # fmt: skip


def header(column: str, units: dict[str, tuple[str, float]] | None = None) -> str:
    """``'saleable_area_m2'`` → ``'可售面积（万㎡）'``: the Chinese label with the display unit."""
    units = UNITS if units is None else units
    if column in units:
        return f"{label(column)}（{units[column][0]}）"
    term = TERMS.get(column)
    if term is None:
        return column
    return f"{term.label}（{term.unit}）" if term.unit in ("户", "套", "㎡", "元", "人") else term.label


def for_people(
    frame: pd.DataFrame,
    columns: list[str] | None = None,
    *,
    units: dict[str, tuple[str, float]] | None = None,
    value_labels: dict[str, dict[str, str]] | None = None,
    rounded: bool = False,
) -> pd.DataFrame:
    """Display units and Chinese headers; enum codes become their Chinese labels.

    ``units`` and ``value_labels`` extend the defaults (scenario columns, say); with ``rounded`` the
    values are rounded as they read (0.1 个月 / 0.1% / whole 元 / two decimals of 万 and 亿).
    """
    columns = columns or list(frame.columns)
    units = UNITS if units is None else units
    value_labels = ENUM_LABELS if value_labels is None else value_labels
    out = pd.DataFrame(index=frame.index)
    for col in columns:
        values = frame[col]
        if col in units:
            unit, divisor = units[col]
            values = pd.to_numeric(values, errors="coerce") / divisor
            if rounded:
                values = values.round(1 if unit in ("%", "百分点", "个月") else 0 if unit.startswith("元") else 2)
        elif col in value_labels:
            values = values.map(lambda v, c=col: value_labels[c].get(v, v) if isinstance(v, str) else v)
        out[header(col, units)] = values
    return out.reset_index(drop=True)


def to_csv_bytes(frame: pd.DataFrame) -> bytes:
    """UTF-8 with BOM, so Chinese Excel opens it correctly."""
    return frame.to_csv(index=False).encode("utf-8-sig")


def to_excel_bytes(sheets: dict[str, pd.DataFrame], notes: list[str] | None = None) -> bytes:
    """An .xlsx with one sheet per table and, when given, a 说明 sheet (data source, 口径)."""
    buf = io.BytesIO()
    with pd.ExcelWriter(buf, engine="openpyxl") as writer:
        for name, frame in sheets.items():
            frame.to_excel(writer, sheet_name=name[:31], index=False)
            ws = writer.sheets[name[:31]]
            for i, col in enumerate(frame.columns, start=1):
                ws.column_dimensions[ws.cell(1, i).column_letter].width = max(10, min(40, len(str(col)) * 2 + 2))
        if notes:
            pd.DataFrame({"说明": notes}).to_excel(writer, sheet_name="说明", index=False)
            writer.sheets["说明"].column_dimensions["A"].width = 100
    return buf.getvalue()
