"""Name → code matching as the contract describes."""

from __future__ import annotations

import pytest

from analysis.regions import load_registry

REG = load_registry()


@pytest.mark.parametrize(
    ("written", "context", "code"),
    [
        ("小店区", None, "140105"),
        ("140105", None, "140105"),
        ("太原市小店区", None, "140105"),
        ("山西省太原市小店区", None, "140105"),
        ("晋 源 区", None, "140110"),  # padded with spaces
        ("祁\u3000县", None, "140727"),  # full-width space
        (" 祁县 ", None, "140727"),
        ("城区", "阳泉市", "140302"),  # several cities have a 城区
        ("城区", "140500", "140502"),
        ("矿区", "阳泉市", "140303"),
        ("郊区", "阳泉市", "140311"),
        ("大同市城区", None, "140213"),  # 2015-era name → 平城区
        ("南郊区", None, "140214"),
        ("大同县", None, "140215"),
        ("140202", None, "140213"),  # 2015-era code
        ("长治县", None, "140404"),
        ("潞城市", None, "140406"),
        ("怀仁县", None, "140681"),
        ("太谷县", None, "140703"),
        ("辽中县", None, "210115"),
        ("普兰店市", None, "210214"),
        ("大洼县", None, "211104"),
        ("铁东区", "鞍山市", "210302"),
    ],
)
def test_match(written, context, code):
    assert REG.match(written, context=context).code == code


def test_ambiguous_without_context_names_candidates():
    m = REG.match("城区")
    assert m.code is None and "140302" in m.codes and "不唯一" in m.problem


def test_unknown_name():
    m = REG.match("火星区")
    assert m.code is None and "未知地区" in m.problem


def test_registry_counts_for_the_two_provinces():
    counties = [r for r in REG.regions.values() if r.level == "county"]
    assert len([c for c in counties if c.province_code == "140000"]) == 117
    assert len([c for c in counties if c.province_code == "210000"]) == 100
    assert len([r for r in REG.regions.values() if r.level == "city" and r.province_code in ("140000", "210000")]) == 25
    assert len(counties) > 2800 and all(len(r.code) == 6 and r.code.isdigit() for r in REG.regions.values())


def test_match_any_levels():
    assert REG.match_any("山西省") == "140000"
    assert REG.match_any("山西") == "140000"
    assert REG.match_any("太原") == "140100"
    assert REG.match_any("140105") == "140105"
    assert REG.path_names("140105") == ["山西省", "太原市", "小店区"]
