"""The boundary files that ship in ``data/boundaries/`` (built by ``tools/build_boundaries.py``).

Every layer is a GeoJSON FeatureCollection whose features carry ``properties.adcode`` (the 6-digit region
code) and ``properties.name``; rings are clockwise, as plotly.js needs. Read once per process, cached: do
not mutate what these functions return.
"""

from __future__ import annotations

import csv
import json
from functools import lru_cache
from pathlib import Path

REPO = Path(__file__).resolve().parents[2]
BOUNDARIES_DIR = REPO / "data" / "boundaries"
REGIONS_CSV = REPO / "data" / "regions.csv"
LEVELS = ("province", "city", "county")


@lru_cache(maxsize=1)
def regions(path: Path = REGIONS_CSV) -> dict[str, dict[str, str]]:
    """The registry rows by code (code, name, level, parent_code, province_code)."""
    with path.open(encoding="utf-8", newline="") as fh:
        return {row["region_code"]: row for row in csv.DictReader(fh)}


@lru_cache(maxsize=64)
def _read(path: Path) -> dict:
    with path.open(encoding="utf-8") as fh:
        return json.load(fh)


def load_layer(
    level: str,
    province_code: str | None = None,
    *,
    city_code: str | None = None,
    boundaries_dir: Path | str | None = None,
) -> dict:
    """A GeoJSON FeatureCollection of one map level (cached: do not mutate it).

    - ``load_layer("province")``: the 34 provinces of China;
    - ``load_layer("city")`` / ``load_layer("city", "140000")``: all cities of China / of a province;
    - ``load_layer("county", "140000")`` / ``load_layer("county", city_code="140100")``: the counties
      of a province / of a city (the province file filtered on ``parent_code`` in data/regions.csv).
    """
    base = Path(boundaries_dir) if boundaries_dir is not None else BOUNDARIES_DIR
    reg = regions()
    if level not in LEVELS:
        raise ValueError(f"level must be one of {LEVELS}, not {level!r}")
    if city_code is not None:
        city = reg.get(city_code)
        if level != "county" or city is None or city["level"] != "city":
            raise ValueError(f"city_code={city_code!r} applies to level 'county' and must be a city code")
        if province_code not in (None, city["province_code"]):
            raise ValueError(f"city {city_code} is not in province {province_code}")
        return _filtered(base / "county" / f"{city['province_code']}.geojson", city_code)
    if province_code is not None and reg.get(province_code, {}).get("level") != "province":
        raise ValueError(f"{province_code!r} is not a province code")
    if level == "province":
        if province_code is not None:
            raise ValueError("the province layer is national: pass no province_code")
        return _read(base / "china_province.geojson")
    if level == "city":
        if province_code is None:
            return _read(base / "china_city.geojson")
        return _read(base / "city" / f"{province_code}.geojson")
    if province_code is None:
        raise ValueError("there is no national county layer: pass a province_code or a city_code")
    return _read(base / "county" / f"{province_code}.geojson")


@lru_cache(maxsize=64)
def _filtered(path: Path, city_code: str) -> dict:
    reg = regions()
    features = [f for f in _read(path)["features"] if reg[f["properties"]["adcode"]]["parent_code"] == city_code]
    return {"type": "FeatureCollection", "features": features}


def load_nanhai(boundaries_dir: Path | str | None = None) -> dict:
    """The maritime boundary (MultiLineString) and the South China Sea islands (MultiPolygon)."""
    base = Path(boundaries_dir) if boundaries_dir is not None else BOUNDARIES_DIR
    return _read(base / "china_nanhai.geojson")


def layer_codes(geojson: dict) -> list[str]:
    """The region codes of a layer, in file order."""
    return [f["properties"]["adcode"] for f in geojson["features"]]


def subset(geojson: dict, codes) -> dict:
    """Only the features of ``codes``: keeps a figure's JSON to one copy of the boundaries."""
    keep = set(codes)
    return {
        "type": "FeatureCollection",
        "features": [f for f in geojson["features"] if f["properties"]["adcode"] in keep],
    }
