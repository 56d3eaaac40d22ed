"""Chinese display formats (万, 亿, 万㎡, %)."""

from __future__ import annotations

import math

from analysis import format as fmt


def test_counts():
    assert fmt.count(980) == "980"
    assert fmt.count(12345) == "1.23万"
    assert fmt.count(123456) == "12.3万"
    assert fmt.count(180000) == "18.0万"
    assert fmt.count(2.5e8) == "2.50亿"
    assert fmt.count(None) == "—" and fmt.count(math.nan) == "—"


def test_area_and_money():
    assert fmt.area_wan_m2(1_234_567) == "123万㎡"
    assert fmt.area_wan_m2(234_567) == "23.5万㎡"
    assert fmt.area_wan_m2(23_439_841.7) == "2,344万㎡"
    assert fmt.area_wan_m2(5_000) == "0.50万㎡"
    assert fmt.money(3.7001e10) == "370亿元"
    assert fmt.money(250_000) == "25.0万元"


def test_share_and_months():
    assert fmt.share(0.569) == "56.9%"
    assert fmt.months(14.617) == "14.6个月"
    assert fmt.months(None) == "无成交"
