"""Every page runs under AppTest without an exception, on the demo data and on an empty store."""

from __future__ import annotations

import pytest

from tests.apptest import cards, notices, number, problems, run_app

PAGES = [
    "pages/overview.py",
    "pages/inventory.py",
    "pages/resettlement.py",
    "pages/region.py",
    "pages/data.py",
    "pages/upload.py",
    "pages/scenario.py",
    "pages/national.py",
]


@pytest.mark.parametrize("page", PAGES)
def test_page_runs_on_demo_data(demo_env, page):
    at = run_app(page)
    assert not problems(at), problems(at)
    assert any("演示数据" in w.value for w in at.warning), "the synthetic-data banner must show"


@pytest.mark.parametrize("page", PAGES)
def test_page_runs_on_empty_store(data_dir, page):
    at = run_app(page)
    assert not problems(at), problems(at)
    assert any("demo" in i.value or "上传" in i.value for i in at.info)


def test_overview_headline_figures(demo_env):
    at = run_app()
    labels = cards(at)
    assert labels["去化周期"].endswith("个月") and number(labels["去化周期"]) > 0
    assert labels["可售面积"].endswith("万㎡") and number(labels["可售面积"]) > 0  # the unit sits with the value
    assert "消化存量商品住房" in " ".join(m.value for m in at.info)


def run_link(**params):
    return run_app(None, **params)


def test_sidebar_state_lives_in_the_url(demo_env):
    shanxi = cards(run_link())
    liaoning = cards(run_link(province="辽宁省"))
    assert shanxi["可售面积"] != liaoning["可售面积"]
    early = run_link(province="辽宁省", period="2016-01")
    assert early.selectbox(key="period").value == "2016-01"
    assert number(cards(early)["去化周期"]) > number(liaoning["去化周期"])
    six = run_link(province="辽宁省", window="近6个月")
    assert not problems(six) and six.radio(key="window").value == 6
    assert six.query_params["window"] in (["近6个月"], "近6个月")


def test_a_link_may_name_the_defaults_and_bad_values_are_named(demo_env):
    at = run_link(province="山西省", period="2017-12", window="近12个月")
    assert not notices(at) and at.selectbox(key="province").value == "140000"
    bad = run_link(province="广东省", period="2030-01", window="近9个月", foo="bar")
    said = " ".join(notices(bad))
    assert "province=广东省" in said and "period=2030-01 不在数据范围内" in said and "已显示最新月份" in said
    assert "window=近9个月" in said and "参数 foo 无法识别" in said
    assert bad.selectbox(key="province").value == "140000" and bad.selectbox(key="period").value == "2017-12"


def test_a_link_with_another_pages_parameter_names_it_and_drops_it(demo_env):
    """region= is the detail page's: on 总览 it is named in a notice and dropped from the address; on the
    detail page itself it is used, and 总览's own city= is not named."""
    at = run_link(province="山西省", region="999999")
    assert any("参数 region 不适用于本页" in n for n in notices(at)), notices(at)
    assert "region" not in at.query_params and not problems(at)
    drilled = run_link(province="山西省", city="140100")  # 总览's own parameter: no notice
    assert not notices(drilled)
    detail = run_app("pages/region.py", province="山西省", region="140105")
    assert not any("不适用于本页" in n for n in notices(detail)), notices(detail)


def test_the_sidebar_goes_back_to_a_default(demo_env):
    """辽宁 then 山西: it stays 山西, and the URL says so (it used to snap back to 辽宁)."""
    at = run_link()
    at.selectbox(key="province").set_value("210000").run()
    at.selectbox(key="province").set_value("140000").run()
    assert at.selectbox(key="province").value == "140000" and not problems(at)
    assert at.query_params["province"] in (["山西省"], "山西省")
    at.selectbox(key="period").set_value("2016-06").run()
    at.selectbox(key="period").set_value("2017-12").run()
    assert at.selectbox(key="period").value == "2017-12" and at.query_params["period"] in (["2017-12"], "2017-12")


def test_data_page_names_counties_that_have_not_reported(demo_env):
    at = run_app("pages/data.py")
    assert not problems(at)
    missing = " ".join(e.value for e in at.error)
    for name in ("武乡县", "和顺县", "乡宁县"):  # Shanxi's late reporters in the demo
        assert name in missing
    assert cards(at)["未报送"] == "3"


def test_inventory_basis_switch_lists_band_changes(demo_env):
    at = run_app("pages/inventory.py")
    at.selectbox(key="basis_a").set_value("12-area").run()
    at.selectbox(key="basis_b").set_value("12-area").run()
    assert any("0 个地区换档" in m.value for m in at.markdown)
    at.selectbox(key="basis_b").set_value("6-area").run()
    assert not at.exception
    assert not any("0 个地区换档" in m.value for m in at.markdown)


def test_region_page_opens_from_a_link(demo_env):
    at = run_app("pages/region.py", region="140105")
    assert not problems(at)
    assert at.selectbox(key="region").value == "140105"
    assert any("小店区" in m.value for m in at.markdown)
    assert any("排第" in m.value for m in at.markdown)
    values = next(d.value for d in at.dataframe if list(d.value.columns) == ["指标", "数值"])  # 全部指标
    area = values[values["指标"] == "可售面积"]["数值"].iloc[0]
    assert area.endswith("万㎡") and "（万㎡）" not in "".join(values["指标"])  # the unit once, with the value


def test_resettlement_year_switch(demo_env):
    at = run_app("pages/resettlement.py")
    share_2017 = cards(at)["货币化安置比例"]
    assert not problems(at)
    assert share_2017.endswith("%")
    early = run_app("pages/resettlement.py", year="2015")
    assert not problems(early) and cards(early)["货币化安置比例"] != share_2017


def test_national_page_ranks_every_province_by_the_same_metrics(demo_env):
    """全国 (the demo holds two provinces): one row per province, by 去化周期 from high to low, the same figures
    the province query gives; the sidebar offers 全国 and the menu lists it."""
    from analysis.metrics import MetricsQuery, compute
    from analysis.store import Store

    at = run_app("pages/national.py")
    assert not problems(at), problems(at)
    table = at.dataframe[0].value
    expected = compute(Store().connect(), MetricsQuery(level="province", period=None))
    expected = expected.sort_values("destock_months", ascending=False)
    assert list(table.iloc[:, 0]) == list(expected.region_name) and len(table) == 2
    shown = [float(v) for v in table.iloc[:, 1]]
    assert shown == sorted(shown, reverse=True)
    assert all(abs(a - b) < 0.05 for a, b in zip(shown, expected.destock_months)), (
        shown,
        list(expected.destock_months),
    )
    overview = run_app()
    assert any("全国" in str(getattr(link, "label", "")) for link in overview.get("page_link"))


def test_a_click_on_a_province_opens_its_overview(demo_env):
    """A click on 辽宁省 (map or ranking) opens 辽宁省's 总览, the month carried along, through a page link that
    the page follows itself (one entry in the history: Back returns to 全国; the browser test clicks it)."""
    from urllib.parse import parse_qs

    at = run_app("pages/national.py", period="2016-06")
    at.session_state["_national_drill"] = "210000"
    at.run()
    assert not problems(at), problems(at)
    (link,) = [p.proto for p in at.get("page_link") if p.proto.label == "打开该省总览…"]
    assert link.page == ""  # 总览, the default page
    assert {k: v[0] for k, v in parse_qs(link.query_string).items()} == {
        "province": "辽宁省", "period": "2016-06", "window": "近12个月"
    }  # fmt: skip


def test_one_province_no_national_entry(data_dir):
    from analysis.store import Store
    from tests.conftest import tiny_tables

    Store(data_dir).commit(tiny_tables(), file_name="tiny")
    at = run_app()
    assert not problems(at), problems(at)
    assert not any("全国" in str(getattr(link, "label", "")) for link in at.get("page_link"))


def test_untrusted_link_text_cannot_become_a_link(demo_env):
    """Escaping is undone before markdown's autolinks are found: no ``http://``, ``www.`` or ``a@b.cn`` is left
    whole in what Streamlit renders (it would be a live link), and the notice still reads as written."""
    hostile = "![x](http://127.0.0.2/x.png) www.example.cn a@b.cn"
    at = run_link(province=hostile, measure=hostile, **{hostile: "1"})
    assert not problems(at)
    said = [w.value for w in at.warning if "链接" in w.value]
    assert len(said) == 3, said
    for source in said:
        assert "http://" not in source and "http\\://" not in source and "www." not in source.replace("\\", "")
        assert "@b" not in source
    assert any(hostile in n for n in notices(at))


def test_the_servers_warm_up_computes_the_default_view_the_first_page_asks_for(demo_env, monkeypatch):
    """ui.warmup (run by ui.server as it starts, in its runtime) leaves 总览's default view in the pages' own
    caches (here outside a runtime: Streamlit's process-wide memory caches; bench/bench_pages.py measures the
    server's first visits)."""
    from analysis import db
    from ui import data, warmup
    from ui.sidebar import Selection

    warmup.warm()
    ds = data.current()
    code, name = data.provinces_with_data(ds.data_dir, ds.version)[0]
    periods = tuple(data.periods(ds.data_dir, ds.version))
    sel = Selection(ds, code, name, periods[-1], 12, periods)  # the sidebar's defaults

    def no_query(*args, **kwargs):
        raise AssertionError("queried again: the warm-up did not fill the cache the page reads")

    monkeypatch.setattr(db, "query", no_query)
    prov, figures = data.overview_figures(sel)  # what pages/overview.py asks for first
    assert prov.region_code == code and len(figures) == 5
    assert len(data.province_monthly(sel)) and all(len(data.metrics_for(sel, level)) for level in warmup.LEVELS)


def test_the_warm_up_of_an_empty_store_does_nothing(data_dir):
    from ui import warmup

    warmup.warm()


def _values(y):
    """A Plotly trace's numbers (Plotly writes numpy arrays as base64 typed arrays)."""
    import base64

    import numpy as np

    if isinstance(y, dict):
        return np.frombuffer(base64.b64decode(y["bdata"]), dtype=np.dtype(y["dtype"]))
    return np.asarray(y, dtype=float)


def test_resettlement_progress_charts_are_as_of_the_chosen_month(demo_env):
    """The progress charts beside 货币化安置's cards count as the cards do, at 统计月份 (they showed the latest
    status whatever the month): 2016-12 shows fewer resettled households than 2017-12, equal to the table's."""
    import json

    from analysis.metrics import MetricsQuery, compute
    from analysis.store import Store

    def chart(at, title: str) -> dict:
        for el in at.get("plotly_chart"):
            spec = json.loads(el.proto.spec)
            if title in spec["layout"]["title"]["text"]:
                return {bar["name"]: _values(bar["y"]).sum() for bar in spec["data"]}
        raise AssertionError(f"no chart titled {title}")

    con = Store(demo_env).connect()
    totals = {}
    for period in ("2016-12", "2017-12"):
        at = run_app("pages/resettlement.py", province="辽宁省", period=period, year="2016")
        assert not notices(at), notices(at)
        assert not problems(at), problems(at)
        bars = chart(at, f"进度（截至 {period}")
        cities = compute(con, MetricsQuery(level="city", scope="210000", period=period, years=(2016,)))
        assert bars["已安置"] == cities.resettled_households.sum()  # by the metric, not by the latest status
        assert bars["已安置"] + bars["已启动、未安置"] + bars["未启动"] == cities.households.sum()
        totals[period] = bars["已安置"]
    assert totals["2016-12"] < totals["2017-12"]


def test_the_version_history_writes_row_counts_with_thousands_separators(demo_env):
    at = run_app("pages/data.py")
    history = next(t.value for t in at.table if "行数" in t.value.columns)
    assert all("," in str(v) for v in history["行数"] if int(str(v).replace(",", "")) >= 1000), history["行数"]


def test_a_detail_link_without_a_province_opens_the_regions_province(demo_env):
    """region?region=210300 (鞍山市), no province=: 辽宁省 is chosen for it, not refused as 山西省's."""
    at = run_app("pages/region.py", region="210300")
    assert not notices(at), notices(at)
    assert at.selectbox(key="province").value == "210000" and not problems(at)


def test_resettlement_offers_only_plan_years_that_have_data(demo_env):
    """The demo's plans and rolls are 2015–2017: at 2016-12 the picker offers 2015 and 2016, not 2014 (which
    could only show 「没有计划和花名册数据」); a link asking for 2014 is told so."""
    from analysis import metrics
    from analysis.store import Store

    assert metrics.plan_years(Store(demo_env).connect(), "210000") == [2015, 2016, 2017]
    at = run_app("pages/resettlement.py", province="辽宁省", period="2016-12", year="2014")
    assert any("year=2014 不在可选年度内" in n for n in notices(at)), notices(at)
    assert not problems(at) and not any("没有计划和花名册数据" in i.value for i in at.info)
    assert run_app("pages/resettlement.py", province="辽宁省", period="2016-12", year="2015").query_params["year"] in (
        ["2015"],
        "2015",
    )
