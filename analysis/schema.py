"""The three canonical tables of the contract: columns, types, keys and allowed values."""

from __future__ import annotations

from dataclasses import dataclass

from analysis.glossary import ENUM_LABELS


@dataclass(frozen=True)
class Column:
    name: str
    sql_type: str  # DuckDB type used in storage
    required: bool = True


@dataclass(frozen=True)
class Table:
    name: str
    columns: tuple[Column, ...]
    key: tuple[str, ...]

    @property
    def column_names(self) -> list[str]:
        return [c.name for c in self.columns]

    @property
    def required(self) -> list[str]:
        return [c.name for c in self.columns if c.required]


INVENTORY = Table(
    "inventory",
    (
        Column("region_code", "VARCHAR"),
        Column("period", "VARCHAR"),
        Column("saleable_units", "BIGINT"),
        Column("saleable_area_m2", "DOUBLE"),
        Column("sold_units", "BIGINT"),
        Column("sold_area_m2", "DOUBLE"),
        Column("avg_price_yuan_per_m2", "DOUBLE"),
        Column("new_permit_area_m2", "DOUBLE", required=False),
        Column("unallocated_affordable_units", "BIGINT", required=False),
        Column("unallocated_affordable_area_m2", "DOUBLE", required=False),
    ),
    ("region_code", "period"),
)

HOUSEHOLDS = Table(
    "households",
    (
        Column("household_id", "VARCHAR"),
        Column("region_code", "VARCHAR"),
        Column("project", "VARCHAR", required=False),
        Column("category", "VARCHAR"),
        Column("plan_year", "INTEGER"),
        Column("members", "INTEGER", required=False),
        Column("original_area_m2", "DOUBLE", required=False),
        Column("is_hardship", "BOOLEAN", required=False),
        Column("mode", "VARCHAR"),
        Column("channel", "VARCHAR", required=False),
        Column("compensation_yuan", "DOUBLE", required=False),
        Column("status", "VARCHAR"),
        Column("purchased_area_m2", "DOUBLE", required=False),
        Column("hazard_grade", "VARCHAR", required=False),
        Column("seismic_intensity", "INTEGER", required=False),
    ),
    ("household_id",),
)

PLANS = Table(
    "plans",
    (
        Column("region_code", "VARCHAR"),
        Column("year", "INTEGER"),
        Column("planned_households", "BIGINT"),
        Column("target_monetised_share", "DOUBLE", required=False),
    ),
    ("region_code", "year"),
)

TABLES: dict[str, Table] = {t.name: t for t in (INVENTORY, HOUSEHOLDS, PLANS)}

ENUMS: dict[str, tuple[str, ...]] = {
    "category": tuple(ENUM_LABELS["category"]),
    "mode": tuple(ENUM_LABELS["mode"]),
    "channel": tuple(ENUM_LABELS["channel"]),
    "status": tuple(ENUM_LABELS["status"]),
    "hazard_grade": ("C", "D"),
}

YEARS = range(2000, 2101)
