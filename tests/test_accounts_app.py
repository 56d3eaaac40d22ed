"""Accounts in the app (AppTest): the login form and nothing else before a login, a wrong password, the
lockout, idle expiry, logout, the menus and provinces of each role, and the 账户管理 page.
(The database and the users command are tested in test_accounts.py, a real browser in test_browser.py.)"""

from __future__ import annotations

import sqlite3

import pytest
from streamlit.testing.v1 import AppTest

from analysis.accounts import AccountBook
from tests.apptest import ADMIN, PASSWORD, ensure_account, fresh_caches, new_app, notices, problems, run_app

VIEWER = "省查看者"
SUBMITTER = "盂县报送员"


@pytest.fixture()
def store(tiny_store):
    """The tiny store (Shanxi only) with an admin, a viewer of 山西省 and a submitter of 盂县."""
    d = tiny_store.data_dir
    ensure_account(d)
    ensure_account(d, VIEWER, role="viewer", scope="山西省")
    ensure_account(d, SUBMITTER, role="submitter", scope="140322")
    return d


def anonymous() -> AppTest:
    fresh_caches()
    return new_app().run()


def log_in(at: AppTest, name: str, password: str) -> AppTest:
    at.text_input(key="login_name").input(name)
    at.text_input(key="login_password").input(password)
    return at.button(key="login_submit").click().run()


def shown(at: AppTest) -> str:
    """Every text of the run (main area and sidebar)."""
    parts = [m.value for m in at.markdown] + [c.value for c in at.caption]
    parts += [t.value for t in [*at.title, *at.header, *at.subheader]]
    parts += [w.value for w in at.warning] + [e.value for e in at.error] + [i.value for i in at.info]
    parts += [h.value for h in at.get("html")]
    return " ".join(parts)


def test_before_a_login_only_the_chinese_form_is_drawn(store):
    at = anonymous()
    assert not problems(at)
    assert [t.label for t in at.text_input] == ["用户名", "密码"]
    assert [b.label for b in at.button] == ["登录"]
    assert not at.sidebar.children or not at.get("page_link")  # no menu
    text = shown(at)
    assert "请登录" in text
    for data in ("小店区", "太原市", "去化周期", "可售面积", "版本", str(store)):
        assert data not in text, data
    assert not at.get("selectbox") and not at.get("plotly_chart") and not at.get("arrow_data_frame")


@pytest.mark.parametrize("page", ["pages/data.py", "pages/upload.py", "pages/accounts.py", "pages/region.py"])
def test_a_page_opened_by_its_address_without_a_login_shows_the_form(store, page):
    at = anonymous()
    at.switch_page(page).run()
    assert not problems(at)
    assert [b.label for b in at.button] == ["登录"] and "小店区" not in shown(at)


def test_a_login_through_the_form_opens_the_overview_and_names_the_account(store):
    at = log_in(anonymous(), ADMIN, PASSWORD)
    assert not problems(at)
    assert not any(b.label == "登录" for b in at.button)
    text = shown(at)
    assert f"当前用户：**{ADMIN}**" in text and "管理员 · 全国" in text
    assert "去化周期" in text
    assert at.session_state["login_password"] == ""  # the password is not kept in the session
    assert [(e.who, e.what, e.address) for e in AccountBook(store).audit_log(1)] == [(ADMIN, "login", "")]


def test_a_wrong_password_is_refused_in_chinese_and_shows_no_data(store):
    at = log_in(anonymous(), ADMIN, "wrong-password-123")
    assert [w.value for w in at.warning] == ["用户名或密码不正确"]
    assert [b.label for b in at.button] == ["登录"] and "去化周期" not in shown(at)
    at = log_in(at, "nobody", PASSWORD)
    assert [w.value for w in at.warning] == ["用户名或密码不正确"]  # an unknown name: the same answer


def test_five_wrong_passwords_lock_the_account_even_for_the_right_one(store):
    at = anonymous()
    for _ in range(5):
        at = log_in(at, VIEWER, "wrong-password-123")
    assert "账户已锁定 15 分钟" in at.warning[0].value
    at = log_in(at, VIEWER, PASSWORD)
    assert "已锁定" in at.warning[0].value and [b.label for b in at.button] == ["登录"]


def test_an_idle_session_ends_and_the_form_says_why(store):
    at = log_in(anonymous(), VIEWER, PASSWORD)
    assert "去化周期" in shown(at)
    with sqlite3.connect(AccountBook(store).path) as con:  # the last use, 31 minutes ago
        con.execute("UPDATE sessions SET last_seen = last_seen - 31 * 60")
    at.run()
    assert [b.label for b in at.button] == ["登录"] and "去化周期" not in shown(at)
    assert "已超过 30 分钟未操作，已自动退出" in at.warning[0].value
    assert AccountBook(store).audit_log(1)[0].what == "logout"


def test_logout_ends_the_session(store):
    at = log_in(anonymous(), VIEWER, PASSWORD)
    token = at.session_state["_auth_token"]
    at.button(key="auth_logout").click().run()
    assert [b.label for b in at.button] == ["登录"] and at.warning[0].value == "已退出登录。"
    assert AccountBook(store).session(token).account is None


def test_a_disabled_account_is_logged_out_at_its_next_click(store):
    at = log_in(anonymous(), VIEWER, PASSWORD)
    AccountBook(store).set_disabled(VIEWER, by="tests")
    at.run()
    assert [b.label for b in at.button] == ["登录"] and "已停用" in at.warning[0].value


def page_labels(at: AppTest) -> list[str]:
    return [p.proto.label for p in at.get("page_link")]


def test_each_role_sees_only_its_pages(store):
    admin = page_labels(run_app())
    assert "数据上传" in admin and "账户管理" in admin
    submitter = page_labels(run_app(user=SUBMITTER))
    assert "数据上传" in submitter and "账户管理" not in submitter
    viewer = run_app(user=VIEWER)
    assert not problems(viewer)
    assert "数据上传" not in page_labels(viewer) and "账户管理" not in page_labels(viewer)
    assert "总览" in page_labels(viewer) and "数据" in page_labels(viewer)


def test_a_page_the_account_may_not_use_is_not_even_registered(store):
    """Not only hidden from the menu: the viewer's navigation has no such page (its address opens 总览 with a
    notice, checked in a real browser in test_browser.py)."""
    at = run_app(user=VIEWER)
    for page in ("pages/accounts.py", "pages/upload.py"):
        with pytest.raises(ValueError, match="Could not find a navigation page"):
            at.switch_page(page)


def test_a_provincial_account_is_offered_its_province_only(store, monkeypatch):
    import pandas as pd

    from analysis.store import Store
    from tests.conftest import inventory_rows

    rows = pd.DataFrame(inventory_rows("210102", {"2016-12": 500.0}, {"2016-12": 9000.0}))  # 沈阳 和平区
    Store(store).commit({"inventory": rows}, file_name="liaoning")
    viewer = run_app(user=VIEWER)
    province = viewer.sidebar.selectbox[0]
    assert province.options == ["山西省"], province.options
    national = run_app(user=ADMIN)
    assert sorted(national.sidebar.selectbox[0].options) == sorted(["山西省", "辽宁省"])
    liaoning = run_app(user=VIEWER, province="辽宁省")  # a link to another province: not opened, saying why
    assert "沈阳市" not in shown(liaoning) and "和平区" not in shown(liaoning)
    assert "链接中的 province=辽宁省 不在您账户的查看范围内，已显示山西省" in notices(liaoning), notices(liaoning)
    unknown = run_app(user=VIEWER, province="火星省")
    assert "链接中的 province=火星省 没有数据或无法识别，已显示山西省" in notices(unknown), notices(unknown)


def test_the_accounts_page_adds_an_account_and_shows_its_password_once(store):
    at = run_app("pages/accounts.py")
    assert not problems(at)
    assert "账户（全国）" in shown(at)
    at.text_input(key="acc_name").input("阳泉市查看者")
    at.selectbox(key="acc_role").set_value("viewer")
    at.text_input(key="acc_scope").input("阳泉市")
    at = at.button(key="acc_add_submit").click().run()
    assert not problems(at)
    assert [s.value for s in at.success] == ["已添加账户「阳泉市查看者」：查看者，范围 山西省 阳泉市。"]
    password = at.code[0].value
    assert AccountBook(store).authenticate("阳泉市查看者", password).scope == "140300"
    entry = AccountBook(store).audit_log(5)
    assert any(e.who == ADMIN and e.what == "user_added" and e.detail["name"] == "阳泉市查看者" for e in entry)
    at.run()
    assert password not in [c.value for c in at.code]  # shown once


def test_a_provincial_admin_manages_only_accounts_inside_its_scope(store):
    ensure_account(store, "阳泉市管理员", role="admin", scope="阳泉市")
    at = run_app("pages/accounts.py", user="阳泉市管理员")
    assert not problems(at)
    picker = at.selectbox(key="acc_pick")
    assert SUBMITTER in picker.options and VIEWER not in picker.options and ADMIN not in picker.options
    at.text_input(key="acc_name").input("太原查看者")
    at.text_input(key="acc_scope").input("太原市")
    at = at.button(key="acc_add_submit").click().run()
    assert "不在您的管理范围" in at.error[0].value
    assert AccountBook(store).get("太原查看者") is None
    at.selectbox(key="acc_pick").set_value(SUBMITTER)
    at = at.button(key="acc_disable").click().run()
    assert AccountBook(store).get(SUBMITTER).disabled
