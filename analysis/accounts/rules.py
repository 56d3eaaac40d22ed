"""What a name, a password and an e-mail of an account must be, and the random passwords the app hands out."""

from __future__ import annotations

import re
import secrets
import unicodedata

from analysis.accounts.scope import AccountError

MIN_PASSWORD = 10
MAX_PASSWORD = 256
MAX_NAME = 32
EMAIL = re.compile(r"^[^@\s]+@[^@\s]+\.[^@\s]+$")


def clean_name(name: str) -> str:
    """The name as stored: NFKC, no spaces around; refused when empty, too long or with spaces inside."""
    text = unicodedata.normalize("NFKC", name or "").strip()
    if not text or len(text) > MAX_NAME or any(ch.isspace() or unicodedata.category(ch)[0] == "C" for ch in text):
        raise AccountError(f"用户名「{text[:40]}」无效：应为 1–{MAX_NAME} 个字符，不含空格和控制字符")
    return text


def check_password(password: str, name: str) -> None:
    if len(password) < MIN_PASSWORD:
        raise AccountError(f"密码太短：至少 {MIN_PASSWORD} 个字符")
    if len(password) > MAX_PASSWORD:
        raise AccountError(f"密码太长：最多 {MAX_PASSWORD} 个字符")
    if password.strip().lower() == name.lower() or len(set(password)) < 4:
        raise AccountError("密码太简单：不能是用户名，也不能只由一两个字符重复组成")


def new_password() -> str:
    """A random password to read out once (about 80 bits): ``k7pm-x3qa-…``."""
    alphabet = "abcdefghjkmnpqrstuvwxyz23456789"
    return "-".join("".join(secrets.choice(alphabet) for _ in range(4)) for _ in range(4))


def clean_email(email: str | None) -> str | None:
    if not email or not email.strip():
        return None
    email = email.strip().lower()
    if not EMAIL.match(email) or len(email) > 254:
        raise AccountError(f"邮箱「{email[:60]}」格式不对")
    return email
