"""Every field and metric has a Chinese label, and every computed metric its written formula (口径)."""

from __future__ import annotations

from analysis.glossary import TERMS, formula, label
from analysis.metrics import CONTRACT_COLUMNS
from analysis.schema import TABLES

DEFINED_ELSEWHERE = {
    "region_code",
    "region_name",
    "level",
    "period",
    "households",
    "monetised_households",
    "in_kind_households",
    "undecided_households",
    "resettled_households",
}


def test_every_canonical_column_has_a_label():
    for table in TABLES.values():
        for col in table.column_names:
            assert label(col), col


def test_every_metric_column_has_a_label_and_formula():
    for col in CONTRACT_COLUMNS:
        assert col in TERMS, col
        if col not in {"region_code", "region_name", "level"}:
            assert formula(col), f"{col} has no 口径"


def test_metrics_sql_outputs_are_all_labelled(tiny_store):
    from analysis.metrics import MetricsQuery, compute

    frame = compute(tiny_store.connect(), MetricsQuery(level="city"))
    missing = [c for c in frame.columns if c not in TERMS]
    assert not missing, missing
