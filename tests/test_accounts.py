"""Accounts: hashes never the password, login, wrong password, lockout, idle expiry, the users command,
scopes, and the audit rows (the app's side is in test_accounts_app.py)."""

from __future__ import annotations

import sqlite3

import pandas as pd
import pytest

from analysis.accounts import AccountBook, AccountError, LoginRefused, parse_role, parse_scope
from analysis.accounts import scope as scopes
from analysis.regions import load_registry
from analysis.store import default_actor
from tests.conftest import run_cli

PASSWORD = "长城-korrekt-horse-2016"


class Clock:
    """Epoch seconds that tests move by hand."""

    def __init__(self, start: float = 1_500_000_000.0) -> None:
        self.now = start

    def __call__(self) -> float:
        return self.now


@pytest.fixture()
def clock() -> Clock:
    return Clock()


@pytest.fixture()
def book(tmp_path, clock) -> AccountBook:
    b = AccountBook(tmp_path / "store", clock)
    b.add("张三", "submitter", "140322", PASSWORD, by="tests", address="10.0.0.1")
    return b


def audit(book: AccountBook) -> list[tuple[str, str, dict, str]]:
    """Oldest first: (who, what, detail, address)."""
    return [(e.who, e.what, e.detail, e.address) for e in reversed(book.audit_log())]


def raw_bytes(book: AccountBook) -> bytes:
    return b"".join(p.read_bytes() for p in book.data_dir.iterdir() if p.is_file())


@pytest.mark.real_password_cost
def test_the_password_is_never_stored_only_its_argon2id_hash(book):
    book.login("张三", PASSWORD, "10.0.0.1")
    book.set_password("张三", "另一个-password-2017", by="tests")
    blob = raw_bytes(book)
    for secret in (PASSWORD, "另一个-password-2017"):
        assert secret.encode("utf-8") not in blob
    with sqlite3.connect(book.path) as con:
        stored = con.execute("SELECT password_hash FROM users").fetchone()[0]
        tokens = [r[0] for r in con.execute("SELECT token_sha256 FROM sessions")]
    assert stored.startswith("$argon2id$v=19$m=65536,t=3,p=4$")
    assert tokens == []  # a new password closes every session
    assert book.path.stat().st_mode & 0o777 == 0o600 and book.data_dir.stat().st_mode & 0o077 == 0


def test_login_opens_a_session_and_records_who_when_and_where(book, clock):
    account, token = book.login(" 张三 ", PASSWORD, "10.0.0.7")
    assert account.name == "张三" and account.role == "submitter" and account.scope == "140322"
    assert book.session(token).account.name == "张三"
    assert book.session("not-a-token").account is None
    with sqlite3.connect(book.path) as con:  # the browser holds the token, the database only its hash
        assert con.execute("SELECT count(*) FROM sessions WHERE token_sha256 = ?", (token,)).fetchone()[0] == 0
    who, what, detail, address = audit(book)[-1]
    assert (who, what, detail, address) == ("张三", "login", {}, "10.0.0.7")
    assert book.audit_log()[0].at_utc == "2017-07-14T02:40:00Z"  # 1_500_000_000 s after 1970 in UTC
    book.logout(token, "10.0.0.7")
    assert book.session(token).account is None and audit(book)[-1][:2] == ("张三", "logout")


def test_a_wrong_password_and_an_unknown_name_get_the_same_answer(book):
    with pytest.raises(LoginRefused, match="^用户名或密码不正确$"):
        book.authenticate("张三", "wrong-password", "10.0.0.2")
    with pytest.raises(LoginRefused, match="^用户名或密码不正确$"):
        book.authenticate("李四", PASSWORD, "10.0.0.3")
    assert audit(book)[-2:] == [
        ("张三", "login_failed", {"reason": "wrong_password", "failed": 1}, "10.0.0.2"),
        ("李四", "login_failed", {"reason": "unknown_user"}, "10.0.0.3"),
    ]


def test_five_failures_lock_the_account_for_15_minutes(book, clock):
    for _ in range(4):
        with pytest.raises(LoginRefused, match="用户名或密码不正确"):
            book.authenticate("张三", "wrong-password")
    book.authenticate("张三", PASSWORD)  # a success starts the count again
    for _ in range(4):
        with pytest.raises(LoginRefused, match="用户名或密码不正确"):
            book.authenticate("张三", "wrong-password")
    with pytest.raises(LoginRefused, match="连续错误 5 次，账户已锁定 15 分钟"):
        book.authenticate("张三", "wrong-password")  # the fifth in a row
    assert book.get("张三").locked_until == clock.now + 15 * 60
    clock.now += 15 * 60 - 1
    with pytest.raises(LoginRefused, match="已锁定"):  # the right password too, while locked
        book.authenticate("张三", PASSWORD)
    clock.now += 1
    assert book.authenticate("张三", PASSWORD).name == "张三"
    whats = [w for _, w, _, _ in audit(book)]
    assert whats.count("account_locked") == 1 and whats[-2:] == ["login_failed", "login"]


def test_a_new_password_unlocks(book):
    for _ in range(5):
        with pytest.raises(LoginRefused):
            book.authenticate("张三", "wrong-password")
    book.set_password("张三", "重置后的-password-1", by="管理员")
    assert book.authenticate("张三", "重置后的-password-1").name == "张三"


def test_a_session_idle_for_longer_than_the_limit_expires(book, clock, monkeypatch):
    _, token = book.login("张三", PASSWORD)
    clock.now += 29 * 60
    assert book.session(token).account is not None  # used: the idle time starts again
    clock.now += 30 * 60
    assert book.session(token).account is not None
    clock.now += 30 * 60 + 1
    check = book.session(token, "10.0.0.9")
    assert check.account is None and check.reason == "expired"
    assert book.session(token).reason == "unknown"  # closed for good
    assert audit(book)[-1] == ("张三", "logout", {"reason": "idle", "minutes": 30}, "10.0.0.9")
    monkeypatch.setenv("HOUSING_SESSION_IDLE_MINUTES", "5")
    _, token = book.login("张三", PASSWORD)
    clock.now += 5 * 60 + 1
    assert book.session(token).reason == "expired"


def test_a_disabled_account_cannot_log_in_and_its_sessions_end(book):
    _, token = book.login("张三", PASSWORD)
    book.set_disabled("张三", by="管理员", address="10.0.0.1")
    assert book.session(token).account is None
    with pytest.raises(LoginRefused, match="已停用"):
        book.authenticate("张三", PASSWORD)
    book.set_disabled("张三", False, by="管理员")
    assert book.authenticate("张三", PASSWORD).name == "张三"


def test_names_passwords_and_e_mails_are_checked(book):
    with pytest.raises(AccountError, match="已存在"):
        book.add("张三", "viewer", "national", PASSWORD, by="t")
    with pytest.raises(AccountError, match="至少 10 个字符"):
        book.add("王五", "viewer", "national", "short", by="t")
    with pytest.raises(AccountError, match="不含空格"):
        book.add("王 五", "viewer", "national", PASSWORD, by="t")
    with pytest.raises(AccountError, match="太简单"):
        book.add("王五", "viewer", "national", "aaaaaaaaaaaa", by="t")
    with pytest.raises(AccountError, match="格式不对"):
        book.add("王五", "viewer", "national", PASSWORD, email="not-an-email", by="t")
    book.add("王五", "viewer", "national", PASSWORD, email="Wang5@Example.cn", by="t")
    with pytest.raises(AccountError, match="另一个账户"):
        book.add("赵六", "viewer", "national", PASSWORD, email="wang5@example.cn", by="t")
    assert book.by_email("WANG5@example.cn").name == "王五"  # e-mails compare without case (st.login)
    account, token = book.open_session_for_email("wang5@example.cn", "oidc")
    assert account.name == "王五" and book.session(token).account.name == "王五"
    with pytest.raises(LoginRefused, match="没有对应的可用账户"):
        book.open_session_for_email("nobody@example.cn")


# -- roles and scopes ---------------------------------------------------------------------------


def test_scopes_by_code_or_name():
    reg = load_registry()
    assert [parse_scope(t, reg) for t in ("全国", "national", "山西省", "阳泉市", "盂县", "140322", "阳泉市城区")] == [
        "national", "national", "140000", "140300", "140322", "140322", "140302",
    ]  # fmt: skip
    with pytest.raises(AccountError, match="不唯一.*阳泉市 城区（140302）"):
        parse_scope("城区", reg)
    with pytest.raises(AccountError, match="无法识别范围「火星区」"):
        parse_scope("火星区", reg)
    assert parse_role("报送员") == "submitter" and parse_role("ADMIN") == "admin"
    with pytest.raises(AccountError, match="角色「boss」无效"):
        parse_role("boss")


def test_what_a_scope_reads_uploads_and_manages():
    reg = load_registry()
    # viewers read their scope's province; a national scope reads all
    assert scopes.readable("140000", "140322", reg) and not scopes.readable("210000", "140322", reg)
    assert scopes.readable("210000", "national", reg)
    # submitters upload for the counties inside their scope
    assert scopes.upload_regions("140322", "140000", reg) == ["140322"]
    yangquan = scopes.upload_regions("140300", "140000", reg)
    assert yangquan == ["140300", "140302", "140303", "140311", "140321", "140322"]  # 阳泉市 and its 5 counties
    assert scopes.upload_regions("140322", "210000", reg) == []
    assert len(scopes.upload_regions("national", "140000", reg)) == 11 + 117  # Shanxi's cities and counties
    # admins manage accounts inside their own scope
    assert scopes.covers("national", "140322", reg) and scopes.covers("140000", "140322", reg)
    assert not scopes.covers("140300", "140000", reg) and not scopes.covers("140000", "national", reg)


def test_rows_outside_the_scope_are_named_by_sheet_row_and_place():
    reg = load_registry()
    frame = pd.DataFrame({"region_code": ["140322", "140105", "140302"], "period": ["2017-06"] * 3})
    source = pd.DataFrame({"sheet": ["6月"] * 3, "row": [4, 5, 6], "region_written": ["盂县", "小店区 ", "城区"]})
    problems = scopes.outside_scope(frame, source, "140322", reg)
    assert [(p.sheet, p.row, p.value, p.severity) for p in problems] == [
        ("6月", 5, "小店区 ", "error"),
        ("6月", 6, "城区", "error"),
    ]
    assert problems[0].reason == "太原市 小店区（140105）不在您的报送范围（山西省 阳泉市 盂县）内，不能由本账户提交"
    assert scopes.outside_scope(frame, source, "140000", reg) == []
    assert scopes.outside_scope(frame, source, "national", reg) == []


def test_a_rollback_changes_the_provinces_whose_parts_differ():
    a = {"inventory": {"14": {"file": "v1"}, "21": {"file": "v1"}}, "plans": {"14": {"file": "v1"}}}
    b = {"inventory": {"14": {"file": "v1"}, "21": {"file": "v2"}}, "plans": {"14": {"file": "v1"}}}
    assert scopes.provinces_changed(a, b) == {"210000"}
    assert scopes.provinces_changed(a, {}) == {"140000", "210000"}


# -- the users command --------------------------------------------------------------------------


def users(d, *args, stdin: str | None = None, check: int | None = 0):
    if stdin is None:
        return run_cli("users", *args, data_dir=d, check=check)
    import io
    import sys

    old = sys.stdin
    sys.stdin = io.StringIO(stdin)
    try:
        return run_cli("users", *args, data_dir=d, check=check)
    finally:
        sys.stdin = old


def test_the_users_commands(tmp_path):
    d = tmp_path / "store"
    first = users(d, "init").stdout
    assert "已创建管理员账户「admin」（全国范围）" in first and "users passwd admin" in first
    password = first.split("初始密码：")[1].split()[0]
    assert AccountBook(d).authenticate("admin", password).role == "admin"
    again = users(d, "init").stdout
    assert "已有 1 个账户" in again and "初始密码" not in again  # shown once, on the first run only

    out = users(d, "add", "盂县报送员", "--role", "submitter", "--scope", "盂县", "--password-stdin",
                stdin=PASSWORD + "\n").stdout  # fmt: skip
    assert out.strip() == "已添加账户「盂县报送员」：报送员，范围 山西省 阳泉市 盂县。"
    assert PASSWORD not in out
    made = users(d, "add", "省领导", "--role", "viewer", "--scope", "山西省", "--email", "Leader@sx.gov.cn").stdout
    assert "邮箱 leader@sx.gov.cn" in made and "初始密码（只显示这一次" in made  # no terminal: generated
    listing = users(d, "list").stdout
    assert "盂县报送员" in listing and "山西省 阳泉市 盂县" in listing and "查看者" in listing and "正常" in listing

    assert "已停用账户「省领导」" in users(d, "disable", "省领导").stdout
    assert "已停用" in users(d, "list").stdout
    assert "已启用账户「省领导」" in users(d, "enable", "省领导").stdout
    out = users(d, "passwd", "盂县报送员", "--password-stdin", stdin="新的口令-abcdef\n").stdout
    assert "已修改账户「盂县报送员」的密码" in out
    assert AccountBook(d).authenticate("盂县报送员", "新的口令-abcdef").name == "盂县报送员"

    who = f"系统用户 {default_actor()}"
    rows = audit(AccountBook(d))
    assert [(w, what, address) for w, what, _, address in rows if w == who] == [
        (who, "user_added", "命令行"),
        (who, "user_added", "命令行"),
        (who, "user_added", "命令行"),
        (who, "user_disabled", "命令行"),
        (who, "user_enabled", "命令行"),
        (who, "password_changed", "命令行"),
    ]
    assert "修改密码" in users(d, "audit", "--limit", "3").stdout


@pytest.mark.parametrize(
    "args, stdin, said",
    [
        (("add", "x", "--role", "boss", "--scope", "全国"), None, "角色「boss」无效"),
        (("add", "x", "--role", "viewer", "--scope", "城区"), None, "范围「城区」不唯一"),
        (("add", "x", "--role", "viewer", "--scope", "全国", "--password-stdin"), "short\n", "至少 10 个字符"),
        (("add", "x", "--role", "viewer"), None, "缺少必需的参数：--scope"),
        (("passwd", "nobody", "--password-stdin"), PASSWORD + "\n", "没有账户「nobody」"),
        (("disable", "nobody"), None, "没有账户「nobody」"),
        (("add", "admin", "--role", "viewer", "--scope", "全国"), None, "账户「admin」已存在"),
    ],
)
def test_refused_users_commands_exit_2_in_chinese_and_change_nothing(tmp_path, args, stdin, said):
    d = tmp_path / "store"
    users(d, "init")
    before = audit(AccountBook(d))
    ran = users(d, *args, stdin=stdin, check=2)
    assert said in ran.stderr and "Traceback" not in ran.stderr
    assert audit(AccountBook(d)) == before and [a.name for a in AccountBook(d).accounts()] == ["admin"]


def test_the_first_run_as_make_run_calls_it(tmp_path):
    """The real entry point, as the Makefile runs it: a fresh data dir gets one admin and its password."""
    d = tmp_path / "store"
    ran = run_cli("users", "init", data_dir=d, process=True)
    assert "初始密码" in ran.stdout and ran.stderr == ""
    assert [(a.name, a.role, a.scope) for a in AccountBook(d).accounts()] == [("admin", "admin", "national")]


def test_make_run_creates_the_first_admin_before_it_serves():
    from tests.conftest import REPO

    makefile = (REPO / "Makefile").read_text(encoding="utf-8")
    run = makefile.split("\nrun:")[1].split("\n\n")[0]
    assert run.index("-m analysis users init") < run.index("-m ui.server")


def test_command_line_commits_and_rollbacks_are_audited_with_the_os_user(tmp_path):
    from tests.spreadsheets import csv_bytes

    d = tmp_path / "store"
    f = tmp_path / "plan.csv"
    f.write_bytes(csv_bytes([["region_code", "year", "planned_households"], ["140105", "2016", "1200"]]))
    run_cli("import", str(f), data_dir=d)
    run_cli("rollback", "0", "--yes", data_dir=d)
    who = f"系统用户 {default_actor()}"
    assert audit(AccountBook(d)) == [
        (who, "commit", {"version": 1, "file": "plan.csv", "kind": "plans", "rows": 1}, "命令行"),
        (who, "rollback", {"to": 0, "replaced": 1, "version": 2}, "命令行"),
    ]
    history = run_cli("history", data_dir=d).stdout
    assert f"{default_actor()}（命令行）" in history  # every version names a person
