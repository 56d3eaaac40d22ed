"""One cell to its canonical value: numbers in their unit, months, years, enums, booleans."""

from __future__ import annotations

import datetime as dt

from analysis.ingest.problems import SourceTable
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
)
from analysis.ingest.vocabulary import HARDSHIP_TERMS, VALUE_SYNONYMS
from analysis.schema import ENUMS

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


def latest_allowed_period() -> str:
    today = dt.date.today()
    return f"{today.year:04d}-{today.month:02d}"


def county_scoped(household_id: str | None, region_code: str | None) -> str | None:
    """A county's own numbers (001, 002 …) are unique only in that county: the store keeps them as
    ``140105-001`` so two counties' rolls never replace each other. Keyed hashes are unique already."""
    if not household_id or not region_code or household_id.startswith(("HH-", region_code + "-")):
        return household_id
    return f"{region_code}-{household_id}"


def hardship(raw: object) -> bool | None:
    """是 / 否, or the roll's own word for the kind of hardship (分散供养特困人员, 低保边缘户 …: each one is).

    >>> hardship("分散供养特困人员"), hardship("建档立卡贫困户"), hardship("非低保户"), hardship("")
    (True, True, False, None)
    """
    try:
        return parse_bool(raw)
    except CellError:
        text = clean_text(raw)
        if text.startswith(("非", "不是", "无")):
            return False
        if any(t in text for t in HARDSHIP_TERMS):
            return True
        raise


def convert_cell(col: str, raw: object, src: SourceTable) -> object:
    scale = 1.0 if states_unit(raw) else src.scales.get(col, 1.0)
    if col in ENUMS:
        return parse_enum(raw, ENUMS[col], VALUE_SYNONYMS.get(col, {}))
    if col in ("period", *STEP_MONTHS):
        return parse_period(raw)  # a date of a step reads as its month, like a statistical month
    if col in ("plan_year", "year"):
        return parse_year(raw)
    if col == "is_hardship":
        return hardship(raw)
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
