"""Personal identifiers never reach the store: a keyed hash stands in for a household with no number.

The key is secret and local: ``HOUSING_ID_KEY`` if set, else a random key created once in the data dir
(``.id_key``, readable by its owner only). With the key, the same person in the same place always gets
the same id, so a re-import replaces rather than duplicates; without it, the id cannot be turned back
into a name or an ID-card number (HMAC-SHA256, truncated to 80 bits).

>>> household_hash(b"k" * 32, "id", "140105198001011234")
'HH-3d4c7d58dd4e0f8d9d6b'
"""

from __future__ import annotations

import hashlib
import hmac
import os
import re
import secrets
from pathlib import Path

KEY_FILE = ".id_key"
ENV_KEY = "HOUSING_ID_KEY"
ID_CARD = re.compile(r"^\d{17}[\dXx]$|^\d{15}$")
PHONE = re.compile(r"^(\+?86)?1[3-9]\d{9}$")


def id_key(data_dir: str | Path) -> bytes:
    """The secret of this installation (created on first use; never printed or logged)."""
    env = os.environ.get(ENV_KEY)
    if env:
        return env.encode("utf-8")
    path = Path(data_dir) / KEY_FILE
    if path.is_file():
        return path.read_bytes()
    path.parent.mkdir(parents=True, exist_ok=True)
    key = secrets.token_bytes(32)
    fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    try:
        os.write(fd, key)
    finally:
        os.close(fd)
    return key


def existing_key(data_dir: str | Path) -> bytes | None:
    """The key if there is one already (a dry run must not create files)."""
    env = os.environ.get(ENV_KEY)
    if env:
        return env.encode("utf-8")
    path = Path(data_dir) / KEY_FILE
    return path.read_bytes() if path.is_file() else None


def household_hash(key: bytes, *parts: str) -> str:
    """A stable, irreversible household id from identifying parts (normalised: no spaces, upper case)."""
    text = "\x1f".join(re.sub(r"\s+", "", p).upper() for p in parts)
    return "HH-" + hmac.new(key, text.encode("utf-8"), hashlib.sha256).hexdigest()[:20]


def looks_personal(value: str) -> bool:
    """An ID-card or mobile number typed where a household number belongs."""
    text = re.sub(r"[\s-]", "", value)
    return bool(ID_CARD.match(text) or PHONE.match(text))
