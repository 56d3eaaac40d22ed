"""账户管理 (admins): the accounts inside the admin's scope, adding one, disabling, enabling, resetting a
password (a random one, shown once), and the audit trail."""

from __future__ import annotations

import pandas as pd
import streamlit as st

from analysis.accounts import ROLES, AccountError, new_password, parse_scope, scope_label
from analysis.accounts import scope as scopes
from analysis.accounts.audit import audit_frame
from analysis.regions import load_registry
from ui import access, auth, errors, page, tables, text, widgets

page.setup("账户管理", "管理员在本人范围内添加、停用账户和重置密码；每次登录、提交、回退和账户变更都记入审计记录。")
me = auth.account()
if not access.is_admin(me):  # the menu offers this page to admins only; an address typed by hand stops here
    st.error("只有管理员可以管理账户。")
    page.stop()
reg = load_registry()
ONCE = "acc_once"  # a new password, shown once


def _mine(scope: str) -> bool:
    return scopes.covers(me.scope, scope, reg)


def _done(message: str, password: str | None = None, ok: bool = True) -> None:
    st.session_state[ONCE] = {"message": message, "password": password, "ok": ok}


def _admin_now():
    who = auth.verified()
    if who is None or not who.is_admin:
        raise AccountError("登录已失效或已不是管理员，未改动")
    return who


def add_account() -> None:
    ss = st.session_state
    try:
        who = _admin_now()
        scope = parse_scope(ss.get("acc_scope", ""), reg)
        if not scopes.covers(who.scope, scope, reg):
            raise AccountError(f"范围「{scope_label(scope, reg)}」不在您的管理范围（{scope_label(who.scope, reg)}）内")
        role = ss.get("acc_role", "viewer")
        password = new_password()
        account = auth.book().add(
            ss.get("acc_name", ""), role, scope, password, email=ss.get("acc_email") or None, by=who.name,
            address=auth.address(),
        )  # fmt: skip
    except AccountError as exc:
        _done(f"未添加：{exc}", ok=False)
        return
    _done(f"已添加账户「{account.name}」：{account.role_label}，范围 {scope_label(account.scope, reg)}。", password)
    for key in ("acc_name", "acc_email"):
        ss[key] = ""


def change(action: str) -> None:
    name = st.session_state.get("acc_pick")
    try:
        who = _admin_now()
        target = auth.book().get(name or "")
        if target is None or not scopes.covers(who.scope, target.scope, reg):
            raise AccountError("请选择您管理范围内的账户")
        if action in ("disable", "reset") and target.name == who.name:
            raise AccountError("不能停用或重置自己的账户：修改本人密码请用命令行 users passwd")
        book = auth.book()
        if action == "disable":
            book.set_disabled(target.name, True, by=who.name, address=auth.address())
            _done(f"已停用账户「{target.name}」：已登录的页面在下一次操作时退出。")
        elif action == "enable":
            book.set_disabled(target.name, False, by=who.name, address=auth.address())
            _done(f"已启用账户「{target.name}」。")
        else:
            password = new_password()
            book.set_password(target.name, password, by=who.name, address=auth.address())
            _done(f"已重置账户「{target.name}」的密码（已解除锁定，原有登录已失效）。", password)
    except AccountError as exc:
        _done(f"未改动：{exc}", ok=False)


once = st.session_state.pop(ONCE, None)
if once:
    (st.success if once["ok"] else st.error)(text.plain(once["message"]))
    if once.get("password"):
        st.markdown("新密码（只显示这一次，系统不保存明文；请转交本人并请其尽快修改）：")
        st.code(once["password"], language=None)

accounts = [a for a in auth.book().accounts() if _mine(a.scope)]
now = auth.book().clock()
shown = pd.DataFrame(
    [
        {
            "用户名": a.name,
            "角色": a.role_label,
            "范围": scope_label(a.scope, reg),
            "邮箱": a.email or "",
            "状态": "已停用" if a.disabled else ("锁定中" if a.locked(now) else "正常"),
            "最近登录（UTC）": (a.last_login_utc or "").replace("T", " ").rstrip("Z"),
        }
        for a in accounts
    ],
    columns=["用户名", "角色", "范围", "邮箱", "状态", "最近登录（UTC）"],
)
st.subheader(f"账户（{scope_label(me.scope, reg)}）")
tables.text_table(shown, key="accounts")

left, right = st.columns(2)
with left, st.form("acc_add", border=True):
    st.markdown("**添加账户**（初始密码随机生成，只显示一次）")
    st.text_input("用户名", key="acc_name", max_chars=32)
    st.selectbox("角色", list(ROLES), format_func=ROLES.get, key="acc_role", index=2)
    st.text_input(
        "范围", key="acc_scope", value=scope_label(me.scope, reg), help="全国，或省、市、县（市、区）的名称或 6 位代码"
    )
    st.text_input("邮箱（可选）", key="acc_email", help="用单位统一身份认证登录时据此对应账户")
    st.form_submit_button("添加", type="primary", key="acc_add_submit", on_click=errors.guard(add_account))
with right, st.container(border=True):
    st.markdown("**停用、启用、重置密码**")
    names = [a.name for a in accounts]
    st.selectbox("账户", names, key="acc_pick", index=None, placeholder="选择账户…")
    row = st.container(horizontal=True)
    for action, label in (("disable", "停用"), ("enable", "启用"), ("reset", "重置密码")):
        row.button(label, key=f"acc_{action}", on_click=errors.guard(change), args=(action,))

st.subheader("审计记录（最近 500 条）")
entries = auth.book().audit_log(500)
if me.scope != scopes.NATIONAL:  # an admin of a province sees what the accounts of its scope did
    names_in_scope = {a.name for a in accounts}
    entries = [e for e in entries if e.who in names_in_scope]
log = audit_frame(entries)
if log.empty:
    st.info("还没有审计记录。")
else:
    widgets.plain_table(log, key="acc_audit", file_stem="审计记录")
