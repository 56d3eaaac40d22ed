"""The three canonical tables of the contract as the store and the validator use them (from the catalogue).

``TABLES`` and ``ENUMS`` are read once from :mod:`analysis.catalogue` (``columns.yaml``): the storage type,
key, required and optional columns and the allowed values are declared there, nowhere else.
"""

from __future__ import annotations

from dataclasses import dataclass

from analysis import catalogue


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
    descriptive: tuple[str, ...] = ()

    @property
    def column_names(self) -> list[str]:
        return [c.name for c in self.columns]

    @property
    def required(self) -> list[str]:
        return [c.name for c in self.columns if c.required]


def _table(spec: catalogue.TableSpec) -> Table:
    cols = tuple(Column(n, catalogue.column(n).sql_type, n in spec.required) for n in spec.order)
    missing = [c.name for c in cols if not c.sql_type]
    if missing:
        raise ValueError(f"{spec.name}: no storage type in the catalogue for {missing}")
    return Table(spec.name, cols, spec.key, spec.descriptive)


TABLES: dict[str, Table] = {name: _table(spec) for name, spec in catalogue.tables().items()}
ENUMS: dict[str, tuple[str, ...]] = {
    c: catalogue.values(c) for t in TABLES.values() for c in t.column_names if catalogue.column(c).values
}
