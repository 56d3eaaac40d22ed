"""The catalogue: every column any layer outputs has an entry; the bands live in one file, read by every layer."""

from __future__ import annotations

import csv
import shutil

import pandas as pd
import pytest

from analysis import catalogue, charts, maps, metrics, series
from analysis.metrics import CONTRACT_COLUMNS, MetricsQuery
from analysis.scenario import engine, state
from analysis.scenario.params import make_scenario
from analysis.schema import TABLES
from analysis.store import Store
from tests.conftest import tiny_tables

NO_FORMULA = {"region_code", "region_name", "level"}


def test_every_canonical_column_has_a_label_and_a_type():
    for table in TABLES.values():
        for col in table.columns:
            spec = catalogue.column(col.name)
            assert spec.label and spec.sql_type == col.sql_type, col.name


def test_every_contract_metric_has_a_label_and_a_formula():
    for col in CONTRACT_COLUMNS:
        assert catalogue.label(col), col
        if col not in NO_FORMULA:
            assert catalogue.formula(col), f"{col} has no 口径"


def test_every_column_the_queries_and_the_engine_output_is_catalogued(tiny_store):
    con = tiny_store.connect()
    out = set(metrics.compute(con, MetricsQuery(level="city")).columns)
    out |= set(series.monthly(con, "county", "140000", 12).columns)
    out |= set(series.submissions(con, "140000", "2016-01", "2016-12").columns)
    result = engine.run(engine.load_inputs(con, "140000", "2016-12", 12, (2016,)), make_scenario({"share": 0.5}))
    out |= set(result.county.columns) | set(result.city.columns)
    missing = sorted(c for c in out if c not in catalogue.columns())
    assert not missing, missing


def test_display_units_agree_with_storage_units():
    for name, spec in catalogue.columns().items():
        if spec.display_unit in ("万㎡", "㎡"):
            assert spec.unit == "㎡", name
        if spec.display_unit in ("亿元", "万元"):
            assert spec.unit == "元", name
        if spec.display_unit == "%":
            assert spec.unit == "share" and spec.divisor == 0.01, name


def test_the_scenario_defaults_are_written_once_in_the_parameters():
    text = catalogue.formula("absorbed_area_m2")
    assert f"{catalogue.default('purchase_share'):g}" in text and f"{catalogue.default('purchase_area_m2'):g}㎡" in text
    assert MetricsQuery().purchase_share == catalogue.default("purchase_share")


@pytest.fixture()
def wider_band(tmp_path, monkeypatch):
    """data/policy_table.csv with the 18-month edge moved to 20 (the one edit a department makes)."""
    path = tmp_path / "policy_table.csv"
    shutil.copy(catalogue.POLICY_CSV, path)
    rows = list(csv.DictReader(path.open(encoding="utf-8")))
    for row in rows:
        if row["lower_months"] == "18":
            row["lower_months"] = "20"
    with path.open("w", encoding="utf-8", newline="") as fh:
        writer = csv.DictWriter(fh, fieldnames=list(rows[0]))
        writer.writeheader()
        writer.writerows(rows)
    monkeypatch.setenv(catalogue.POLICY_ENV, str(path))
    catalogue.reload()
    yield
    monkeypatch.delenv(catalogue.POLICY_ENV)
    catalogue.reload()


def test_one_edit_of_a_band_edge_moves_metrics_maps_charts_and_scenarios(wider_band, data_dir):
    """18 → 20 months in the policy table: a 19-month region is now 12–20 (维持供地) everywhere."""
    assert catalogue.band_keys() == ("<6", "6-12", "12-20", "20-36", ">=36")
    tables = tiny_tables()
    inv = tables["inventory"]
    inv.loc[(inv.region_code == "140105") & (inv.period == "2016-12"), "saleable_area_m2"] = 19 * 17000 / 11
    store = Store(data_dir)
    store.commit(tables, file_name="tiny")
    con = store.connect()
    row = metrics.compute(con, MetricsQuery("county", "140100", "2016-12")).set_index("region_code").loc["140105"]
    # 小店区: 11 months with sales in the window, 17,000 ㎡ sold; stock 19 × 17,000 / 11 ㎡ → 19.0 months
    assert row.destock_months == pytest.approx(19.0)
    assert (row.destock_band, row.land_supply_advice) == ("12-20", "维持供地")
    assert row.recommended_monetised_share == pytest.approx(0.5)
    fig = maps.province_by_county(pd.DataFrame({"region_code": ["140105"], "destock_band": ["12-20"]}), "140000",
                                  color="destock_band")  # fmt: skip
    legend = [t.name for t in fig.data if t.showlegend]
    assert "12–20个月 维持供地" in legend and "20–36个月 减少供地" in legend
    shading = charts.destock_lines(pd.DataFrame({"region_code": ["140105"], "region_name": ["小店区"],
                                                 "period": ["2016-12"], "destock_months": [19.0]}))  # fmt: skip
    edges = sorted({s.y0 for s in shading.layout.shapes if s.type == "rect"})
    assert 20 in edges and 18 not in edges
    scenario = make_scenario({"preset": "policy_table", "province_code": "140000"})
    assert state.decode(state.encode(scenario)).policy_shares["12-20"] == pytest.approx(0.5)
    result = engine.run(engine.load_inputs(con, "140000", "2016-12", 12, (2016,)), scenario)
    county = result.county.set_index("region_code").loc["140105"]
    assert (county.destock_band, county.monetised_share) == ("12-20", pytest.approx(0.5))


def test_a_band_follows_the_number_shown():
    assert catalogue.band_of(17.96) == "18-36"  # printed 18.0
    assert catalogue.band_of(17.94) == "12-18"  # printed 17.9
    assert catalogue.band_of(7201.2 / 1200.2) == "6-12"  # 5.999999999999998, printed 6.0
    assert catalogue.band_of(None) is None
