"""Who is looking: the login form, the session and its idle expiry, the sidebar's user box and logout.

app.py calls :func:`gate` first on every run: nothing of the data is drawn before it returns an account.
A login opens a session in the accounts database (analysis.accounts); the browser keeps its random token in
a cookie (SameSite=Strict, Secure over https), so a reload or a link opened in another tab of the same
browser stays logged in until the session has been idle for ``HOUSING_SESSION_IDLE_MINUTES`` (30), the
person logs out, or an admin disables the account. Every run checks the session against the database.
Where the department runs an OpenID Connect provider (an ``[auth]`` section in .streamlit/secrets.toml),
a second button logs in with ``st.login``; the account is the one whose e-mail the provider names.
"""

from __future__ import annotations

import logging

import streamlit as st

from analysis.accounts import AccountBook, LoginRefused, idle_minutes, scope_label
from analysis.accounts.book import Account
from analysis.regions import load_registry
from analysis.store import Store

log = logging.getLogger("housing.auth")
TOKEN = "_auth_token"  # the session token of this browser session
ACCOUNT = "_auth_account"  # the account the session had when this run checked it
NOTICE = "_auth_notice"  # why the login form is shown (expired, logged out, refused)
CLEAR_COOKIE = "_auth_clear_cookie"
LOGIN_KEYS = ("login_name", "login_password")


def book() -> AccountBook:
    """The accounts of the data dir the app serves."""
    return AccountBook(Store().data_dir)


def cookie_name() -> str:
    """One cookie per server port (browsers share cookies between the ports of one host)."""
    try:
        port = int(st.get_option("server.port") or 8501)
    except (TypeError, ValueError):
        port = 8501
    return f"housing_session_{port}"


def address() -> str:
    """Where the person is: the connection's address, or the reverse proxy's X-Forwarded-For when the
    connection comes from this machine (a proxy in front of the app); ``本机`` for a local browser."""
    try:
        ip = st.context.ip_address
        headers = st.context.headers
    except Exception:  # not served (AppTest)
        return ""
    if not isinstance(ip, str | None):  # a test harness without a connection
        return ""
    if ip:
        return ip[:64]
    try:
        forwarded = headers.get("X-Forwarded-For") or headers.get("X-Real-Ip") or ""
    except Exception:
        forwarded = ""
    forwarded = forwarded.split(",")[-1].strip() if isinstance(forwarded, str) else ""
    return f"{forwarded[:64]}（经本机代理）" if forwarded else "本机"


def _cookie() -> str | None:
    try:
        value = st.context.cookies.get(cookie_name())
    except Exception:
        return None
    return value if isinstance(value, str) and 0 < len(value) <= 128 else None


def _oidc_configured() -> bool:
    try:
        from streamlit.auth_util import get_secrets_auth_section

        return bool(get_secrets_auth_section())
    except Exception:
        return False


def _oidc_email() -> str | None:
    if not _oidc_configured():
        return None
    try:
        return st.user.get("email") if st.user.is_logged_in else None
    except Exception:
        return None


def gate() -> Account | None:
    """The account of this run, after checking its session now (None: show the login form)."""
    ss = st.session_state
    token = ss.get(TOKEN) or _cookie()
    try:
        check = book().session(token, address()) if token else None
    except Exception:  # the accounts database cannot be read: nobody is let in, the reason goes to the log
        log.exception("session check failed")
        ss[NOTICE] = "暂时无法登录：账户数据库无法读取，请联系系统管理员。"
        ss.pop(ACCOUNT, None)
        return None
    if check is not None and check.account is not None:
        ss[TOKEN], ss[ACCOUNT] = token, check.account
        return check.account
    if ss.get(TOKEN) and check is not None:
        if check.reason == "expired":
            ss[NOTICE] = f"已超过 {idle_minutes()} 分钟未操作，已自动退出，请重新登录。"
        elif check.reason == "disabled":
            ss[NOTICE] = "该账户已停用，已退出登录。"
        else:
            ss[NOTICE] = "登录已失效（密码已修改或已在别处退出），请重新登录。"
    if token:
        ss[CLEAR_COOKIE] = True
    ss.pop(TOKEN, None)
    ss.pop(ACCOUNT, None)
    email = _oidc_email()
    if email:
        try:
            account, token = book().open_session_for_email(email, address())
        except LoginRefused as exc:
            ss[NOTICE] = str(exc)
            return None
        ss[TOKEN], ss[ACCOUNT] = token, account
        ss.pop(CLEAR_COOKIE, None)
        return account
    return None


def account() -> Account | None:
    """This run's account (checked by :func:`gate` at the start of the run)."""
    return st.session_state.get(ACCOUNT)


def verified() -> Account | None:
    """The account checked again now: what a callback that changes something asks for."""
    token = st.session_state.get(TOKEN)
    check = book().session(token, address()) if token else None
    return check.account if check else None


def _submit() -> None:
    """The 登录 button's callback: check the password, open the session, forget the password."""
    ss = st.session_state
    name, password = ss.get("login_name", ""), ss.get("login_password", "")
    ss["login_password"] = ""
    try:
        account, token = book().login(name, password, address())
    except LoginRefused as exc:
        ss[NOTICE] = str(exc)
        return
    except Exception:  # the database cannot be read: a Chinese message, the reason in the log
        log.exception("login failed")
        ss[NOTICE] = "暂时无法登录：账户数据库无法读取，请联系系统管理员。"
        return
    ss[TOKEN], ss[ACCOUNT] = token, account
    ss.pop(NOTICE, None)
    ss.pop(CLEAR_COOKIE, None)


def login_form() -> None:
    """The Chinese login form (no data, no menu)."""
    ss = st.session_state
    if ss.pop(CLEAR_COOKIE, False):
        _cookie_script(None)
    from ui.widgets import CHROME_CSS, chinese_names_script

    st.html(f"<style>{CHROME_CSS}</style>")  # Streamlit's English hints, hidden or in Chinese
    st.html(chinese_names_script(), unsafe_allow_javascript=True)
    _, middle, _ = st.columns([1, 2, 1])
    with middle:
        st.header("棚改货币化安置与去库存", anchor=False)
        st.caption("决策分析平台 · 请登录")
        notice = ss.pop(NOTICE, None)
        if notice:
            st.warning(notice, icon=":material/lock:")
        with st.form("login", border=True):
            st.text_input("用户名", key="login_name", max_chars=64, autocomplete="username")
            st.text_input("密码", type="password", key="login_password", max_chars=256, autocomplete="current-password")
            st.form_submit_button("登录", type="primary", key="login_submit", on_click=_submit, width="stretch")
        if _oidc_configured():
            st.button("使用单位统一身份认证登录", key="login_oidc", on_click=st.login, width="stretch")
        st.caption(
            f"连续 5 次密码错误，账户锁定 15 分钟；{idle_minutes()} 分钟未操作自动退出。"
            "没有账户或忘记密码，请联系本单位系统管理员。"
        )


# what a screen reader says of Streamlit's own controls on the form, in Chinese (set again whenever React
# redraws them): the password field's eye button and the skip link


def logout() -> None:
    """The 退出登录 button's callback."""
    ss = st.session_state
    try:
        book().logout(ss.get(TOKEN), address())
    except Exception:
        log.exception("logout failed")
    for key in (TOKEN, ACCOUNT):
        ss.pop(key, None)
    ss[NOTICE] = "已退出登录。"
    ss[CLEAR_COOKIE] = True
    if _oidc_email():
        st.logout()


def user_box(container) -> None:
    """In the sidebar: who is logged in, the role and scope, and 退出登录."""
    who = account()
    if who is None:
        return
    token = st.session_state.get(TOKEN)
    with container:
        if token and _cookie() != token:
            _cookie_script(token)
        st.divider()
        st.markdown(
            f"当前用户：**{_plain(who.name)}**  \n{who.role_label} · {_plain(scope_label(who.scope, load_registry()))}"
        )
        st.button("退出登录", key="auth_logout", icon=":material/logout:", on_click=logout)


def _plain(text: str) -> str:
    from ui import text as ui_text

    return ui_text.plain(text)


def _cookie_script(token: str | None) -> None:
    """Set (or, with None, delete) the session cookie in this browser. The token is URL-safe base64 that
    we made (``secrets.token_urlsafe``), never text from outside."""
    name = cookie_name()
    value = f"{name}={token}; path=/; SameSite=Strict" if token else f"{name}=; path=/; Max-Age=0; SameSite=Strict"
    st.html(
        f"<script>document.cookie = '{value}' + (location.protocol === 'https:' ? '; Secure' : '');</script>",
        unsafe_allow_javascript=True,
    )
