"""The catalogue: every fact the layers share, declared once and loaded into frozen specs.

- ``columns.yaml``: each column's label, storage type and unit, display unit, decimals, allowed values and
  formula (口径); the canonical tables (key, required and optional columns);
- ``data/policy_table.csv``: the 去化周期 bands (lower edge, land-supply advice, recommended share, colour),
  the file a department edits (``HOUSING_POLICY_TABLE`` points at another copy);
- ``parameters.yaml``: the scenario parameters (value, unit, range, description, source).

SQL reads the bands from a registered table, maps and charts read their colours and labels, exports and
pages read labels, units and decimals, the validator reads types and allowed values, and the scenario
engine reads the parameters: nothing else writes these facts down.

>>> column("saleable_area_m2").header
'可售面积（万㎡）'
>>> [b.key for b in bands()]
['<6', '6-12', '12-18', '18-36', '>=36']
>>> band_of(17.96), band_of(7201.2 / 1200.2)
('18-36', '6-12')
"""

from __future__ import annotations

import csv
import math
import os
from collections.abc import Mapping
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path
from types import MappingProxyType
from typing import Any

import yaml

HERE = Path(__file__).resolve().parent
DATA_DIR = HERE.parents[1] / "data"
POLICY_CSV = DATA_DIR / "policy_table.csv"
POLICY_ENV = "HOUSING_POLICY_TABLE"


@dataclass(frozen=True)
class ColumnSpec:
    """One column: what it is called, how it is stored and how people read it."""

    name: str
    label: str
    sql_type: str | None = None
    unit: str = ""  # storage unit
    display_unit: str = ""  # the unit people read
    divisor: float = 1.0  # storage value / divisor = displayed value
    decimals: int = 0
    formula: str = ""
    scenario_formula: str = ""
    values: Mapping[str, str] = field(default_factory=lambda: MappingProxyType({}))
    short: str = ""  # for narrow table columns on screen

    @property
    def short_header(self) -> str:
        """``可售（万㎡）``: the short label (or the label) with the display unit."""
        name = self.short or self.label
        return f"{name}（{self.display_unit}）" if self.display_unit else name

    @property
    def header(self) -> str:
        """``可售面积（万㎡）``: the label with the display unit (no unit for text columns)."""
        return f"{self.label}（{self.display_unit}）" if self.display_unit else self.label

    @property
    def is_numeric(self) -> bool:
        return bool(self.display_unit)

    def value_label(self, value: object) -> str:
        return self.values.get(value, str(value)) if isinstance(value, str) else str(value)


@dataclass(frozen=True)
class Band:
    """One 去化周期 band, half-open [lower, upper) in months."""

    key: str  # '<6', '6-12', …, '>=36' (derived from the edges)
    lower_months: float
    upper_months: float | None
    land_supply_advice: str
    recommended_share: float
    colour: str
    source: str

    @property
    def label(self) -> str:
        """``'6–12个月'``, ``'<6个月'``, ``'≥36个月'``."""
        if self.upper_months is None:
            return f"≥{self.lower_months:g}个月"
        if self.lower_months <= 0:
            return f"<{self.upper_months:g}个月"
        return f"{self.lower_months:g}–{self.upper_months:g}个月"

    @property
    def legend(self) -> str:
        return f"{self.label} {self.land_supply_advice}"


@dataclass(frozen=True)
class TableSpec:
    name: str
    label: str
    key: tuple[str, ...]
    required: tuple[str, ...]  # what a file must give (a metric cannot do without it)
    optional: tuple[str, ...]
    order: tuple[str, ...]
    descriptive: tuple[str, ...] = ()  # no metric filters on them: an unknown value warns, stored as unknown

    @property
    def column_names(self) -> list[str]:
        return list(self.order)


@dataclass(frozen=True)
class Parameter:
    """A scenario parameter (PolicyEngine style)."""

    name: str
    label: str
    description: str
    unit: str
    lower: float
    upper: float
    value: Any
    reference: str


# -- loading ------------------------------------------------------------------------------------------
def _policy_path() -> Path:
    return Path(os.environ.get(POLICY_ENV) or POLICY_CSV)


@lru_cache(maxsize=4)
def _bands(path: Path) -> tuple[Band, ...]:
    with path.open(encoding="utf-8") as fh:
        rows = sorted(csv.DictReader(fh), key=lambda r: float(r["lower_months"]))
    if not rows or float(rows[0]["lower_months"]) != 0:
        raise ValueError(f"{path}: the first band must start at 0 months")
    edges = [float(r["lower_months"]) for r in rows]
    if len(set(edges)) != len(edges):
        raise ValueError(f"{path}: two bands start at the same month")
    out = []
    for i, row in enumerate(rows):
        lower = edges[i]
        upper = edges[i + 1] if i + 1 < len(rows) else None
        key = f">={lower:g}" if upper is None else f"<{upper:g}" if i == 0 else f"{lower:g}-{upper:g}"
        out.append(
            Band(
                key,
                lower,
                upper,
                row["land_supply_advice"],
                float(row["recommended_monetised_share"]),
                row["colour"],
                row["source"],
            )  # fmt: skip
        )
    return tuple(out)


def bands() -> tuple[Band, ...]:
    """The 去化周期 bands, lowest first (from ``data/policy_table.csv``)."""
    return _bands(_policy_path())


def band_keys() -> tuple[str, ...]:
    return tuple(b.key for b in bands())


def band(key: str) -> Band:
    return {b.key: b for b in bands()}[key]


def round_half_away(x: float, digits: int) -> float:
    """Rounding as DuckDB's ``round(DOUBLE, n)`` does it (half away from zero of x·10ⁿ): the displayed value."""
    scaled = x * 10**digits
    whole = math.floor(abs(scaled))
    return math.copysign(whole + (1 if abs(scaled) - whole >= 0.5 else 0), scaled) / 10**digits


def band_of(months: float | None) -> str | None:
    """The band of a 去化周期 as it is shown (one decimal): ``band_of(17.96) == '18-36'``."""
    if months is None or months != months:
        return None
    shown = round_half_away(float(months), column("destock_months").decimals)
    for b in reversed(bands()):
        if shown >= b.lower_months:
            return b.key
    return bands()[0].key


@lru_cache(maxsize=1)
def _raw() -> dict:
    return yaml.safe_load((HERE / "columns.yaml").read_text(encoding="utf-8"))


@lru_cache(maxsize=1)
def parameters() -> Mapping[str, Parameter]:
    """The scenario parameters of ``parameters.yaml`` (the policy table's shares come from the bands)."""
    raw = yaml.safe_load((HERE / "parameters.yaml").read_text(encoding="utf-8"))
    out = {}
    for name, p in raw.items():
        value = p["value"]
        if name == "policy_table":
            value = MappingProxyType({b.key: b.recommended_share for b in bands()})
        elif isinstance(value, (int, float)) and not isinstance(value, bool):
            value = float(value)
        lower, upper = map(float, p["range"])
        out[name] = Parameter(name, p["label"], p["description"], p["unit"], lower, upper, value, p["reference"])
    return MappingProxyType(out)


def default(name: str) -> Any:
    """A scenario parameter's default value."""
    return parameters()[name].value


def _filled(text: str) -> str:
    """Formulas name parameter defaults as ``{purchase_share}`` (or ``{fallback_share_percent}``): filled from
    parameters.yaml, so a default is written down once."""
    if "{" not in text:
        return text
    values = {k: f"{p.value:g}" for k, p in parameters().items() if isinstance(p.value, float)}
    values |= {f"{k}_percent": f"{p.value * 100:g}%" for k, p in parameters().items() if p.unit == "share"
               and isinstance(p.value, float)}  # fmt: skip
    return text.format(**values)


def text(name: str) -> str:
    """A sentence of the catalogue's ``texts`` (defaults filled in)."""
    return _filled(_raw()["texts"][name])


@lru_cache(maxsize=4)
def _columns(policy: Path) -> Mapping[str, ColumnSpec]:
    raw = _raw()
    displays = {unit: (store, float(div), int(dec)) for unit, (store, div, dec) in raw["displays"].items()}
    out: dict[str, ColumnSpec] = {}
    for name, c in raw["columns"].items():
        out[name] = _spec(name, c, displays)
    for name in raw["deltas"]:
        base = out[name]
        shown = "百分点" if base.display_unit == "%" else base.display_unit
        out[f"delta_{name}"] = ColumnSpec(
            f"delta_{name}", f"{base.label}变化", None, base.unit, shown, base.divisor, base.decimals,
            f"情景的{base.label} − 对比情景（默认为基准）的{base.label}",
        )  # fmt: skip
    return MappingProxyType(out)


def _spec(name: str, c: dict, displays: dict) -> ColumnSpec:
    unit = c.get("unit", "")
    shown = c.get("display", unit if unit in displays else "")
    divisor, decimals = 1.0, 0
    if shown:
        store, divisor, decimals = displays[shown]
        if unit and store != unit:
            raise ValueError(f"column {name}: display unit {shown} is not a unit of {unit}")
    values = c.get("values") or {}
    if values == "bands":
        values = {b.key: b.label for b in bands()}
    return ColumnSpec(
        name, c["label"], c.get("type"), unit, shown, divisor, int(c.get("decimals", decimals)),
        _filled(c.get("formula", "")), _filled(c.get("scenario", "")), MappingProxyType(dict(values)),
        c.get("short", ""),
    )  # fmt: skip


def columns() -> Mapping[str, ColumnSpec]:
    return _columns(_policy_path())


def column(name: str) -> ColumnSpec:
    """The spec of a column (``KeyError`` for a column the catalogue does not know)."""
    return columns()[name]


def label(name: str) -> str:
    return column(name).label


def header(name: str) -> str:
    return column(name).header


def formula(name: str, *, scenario: bool = False) -> str:
    spec = column(name)
    return (spec.scenario_formula or spec.formula) if scenario else spec.formula


def enum_label(name: str, value: object) -> str:
    """The Chinese label of an enum value (``''`` for none)."""
    if value is None or (isinstance(value, float) and value != value):
        return ""
    return column(name).value_label(value)


def values(name: str) -> tuple[str, ...]:
    """The allowed values of an enum column."""
    return tuple(column(name).values)


@lru_cache(maxsize=1)
def tables() -> Mapping[str, TableSpec]:
    out = {}
    for name, t in _raw()["tables"].items():
        order = tuple(t.get("order") or (*t["required"], *t["optional"]))
        out[name] = TableSpec(
            name, t["label"], tuple(t["key"]), tuple(t["required"]), tuple(t["optional"]), order,
            tuple(t.get("descriptive", ())),
        )  # fmt: skip
    return MappingProxyType(out)


def table(name: str) -> TableSpec:
    return tables()[name]


def kind_label(kind: str) -> str:
    """``'inventory'`` → ``'商品住房库存'``."""
    return table(kind).label


def reload() -> None:
    """Forget what was loaded (after the policy table or ``HOUSING_POLICY_TABLE`` changed)."""
    for f in (_bands, _raw, parameters, _columns, tables):
        f.cache_clear()
