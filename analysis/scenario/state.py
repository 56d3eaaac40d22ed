"""A scenario ↔ a short text for the ``s`` parameter of a link, or a JSON file.

Only the settings that differ from the defaults are written, under short keys, as compact JSON; the text
is base64url of that JSON, or, when shorter, ``z`` + base64url of it deflated (a scenario that sets every
county of a province still fits in a link). Decoding validates the whole scenario again. No server memory
is needed to open a shared link.

>>> from analysis.scenario.params import make_scenario
>>> s = make_scenario({"preset": "policy_table", "overrides": {"140100": 0.7}, "province_code": "140000"})
>>> text = encode(s)
>>> text
'eyJ2IjoxLCJwIjoicG9saWN5X3RhYmxlIiwibyI6eyIxNDAxMDAiOjAuN30sInByIjoiMTQwMDAwIn0'
>>> decode(text) == s
True
>>> many = make_scenario({"overrides": {f"1401{i:02d}": 0.7 for i in range(5, 11)}, "province_code": "140000"})
>>> encode(many).startswith("z"), decode(encode(many)) == many
(True, True)
"""

from __future__ import annotations

import base64
import binascii
import json
import zlib
from typing import Any

from analysis.scenario.params import Scenario, ScenarioError, make_scenario

VERSION = 1
KEYS = {
    "preset": "p",
    "share": "s",
    "overrides": "o",
    "purchase_share": "ps",
    "purchase_area_m2": "pa",
    "in_kind_area_m2": "ka",
    "construction_cost_yuan_per_m2": "cc",
    "compensation_yuan_per_household": "cp",
    "policy": "t",
    "fallback_share": "fs",
    "rule_2018_months": "r",
    "years": "y",
    "province_code": "pr",
    "period": "m",
    "window_months": "w",
    "name": "n",
}
NAMES = {v: k for k, v in KEYS.items()}
MAX_LINK_CHARS = 6000  # longer than this, a link is not offered (a JSON file is); servers refuse ~100 KB
MAX_INFLATED = 1_000_000  # a link that inflates beyond this is refused (a deflate bomb)


def _compact(x: Any) -> Any:
    """Whole floats as ints (90.0 → 90): shorter links, same values once decoded."""
    if isinstance(x, float) and x.is_integer() and abs(x) < 2**53:
        return int(x)
    if isinstance(x, dict):
        return {k: _compact(v) for k, v in x.items()}
    if isinstance(x, (list, tuple)):
        return [_compact(v) for v in x]
    return x


def to_dict(scenario: Scenario) -> dict[str, Any]:
    """The scenario's changes to the defaults, under their full names (for a JSON file)."""
    return {"version": VERSION, **_compact(scenario.changes())}


def from_dict(data: dict[str, Any]) -> Scenario:
    if not isinstance(data, dict):
        raise ScenarioError(["情景文件的内容应为一个 JSON 对象"])
    data = dict(data)
    data.pop("version", None)
    return _safely(data)


def encode(scenario: Scenario) -> str:
    short = {"v": VERSION, **{KEYS[k]: v for k, v in _compact(scenario.changes()).items()}}
    raw = json.dumps(short, ensure_ascii=False, separators=(",", ":")).encode("utf-8")
    plain = base64.urlsafe_b64encode(raw).decode("ascii").rstrip("=")
    packed = "z" + base64.urlsafe_b64encode(zlib.compress(raw, 9)).decode("ascii").rstrip("=")
    return packed if len(packed) < len(plain) else plain


def _unpack(text: str) -> bytes:
    body = text[1:] if text.startswith("z") else text
    raw = base64.urlsafe_b64decode(body + "=" * (-len(body) % 4))
    if not text.startswith("z"):
        return raw
    inflater = zlib.decompressobj()
    out = inflater.decompress(raw, MAX_INFLATED)
    if inflater.unconsumed_tail:
        raise ValueError("inflates too far")
    return out


def decode(text: str) -> Scenario:
    """The scenario of a link's ``s`` parameter; :class:`ScenarioError` when it cannot be read or is invalid."""
    try:
        raw = _unpack(text.strip())
        short = json.loads(raw.decode("utf-8"))
        if not isinstance(short, dict):
            raise ValueError("not an object")
    except (ValueError, binascii.Error, UnicodeDecodeError, RecursionError, zlib.error) as exc:
        raise ScenarioError(["无法识别，链接可能复制得不完整"]) from exc
    if short.pop("v", VERSION) != VERSION:
        raise ScenarioError(["是其他版本的系统生成的，本系统无法读取"])
    unknown = [k for k in short if k not in NAMES]
    if unknown:
        raise ScenarioError(["含有无法识别的设定：" + "、".join(unknown)])
    return _safely({NAMES[k]: v for k, v in short.items()})


def _safely(changes: dict[str, Any]) -> Scenario:
    """``make_scenario`` on data from outside: anything it cannot take is a Chinese refusal, never a crash."""
    try:
        return make_scenario(changes)
    except ScenarioError:
        raise
    except (TypeError, ValueError, OverflowError, RecursionError, AttributeError, KeyError) as exc:
        raise ScenarioError(["情景参数无法读取：链接或文件可能被改动过"]) from exc
