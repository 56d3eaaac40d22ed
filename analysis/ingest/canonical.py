"""Header texts to canonical columns through the ingest vocabulary's synonyms; personal headers recognised."""

from __future__ import annotations

import re

from analysis.ingest.values import clean_text
from analysis.ingest.vocabulary import HEADER_SYNONYMS, PERSONAL_HEADERS

PERSONAL_PARTS = ("身份证", "姓名", "电话", "手机", "银行", "账号", "卡号", "证件号", "住址", "联系方式")
_BRACKETS = re.compile(r"[（(][^）)]*[）)]")


def header_key(text: object) -> str:
    """Header text without spaces or a unit in brackets: ``'可售面积（万平方米）'`` → ``'可售面积'``."""
    return _BRACKETS.sub("", re.sub(r"\s+", "", clean_text(text)))


def map_header(text: object, kind_columns: list[str]) -> str | None:
    """The canonical column a header names, among ``kind_columns`` (plus region_name), or None."""
    raw = re.sub(r"\s+", "", clean_text(text))
    key = header_key(text)
    for col in [*kind_columns, "region_name"]:
        names = HEADER_SYNONYMS.get(col, (col,))
        if raw in names or key in names:
            return col
    return None


def is_personal(text: object) -> bool:
    key = header_key(text)
    return key in PERSONAL_HEADERS or any(p in key for p in PERSONAL_PARTS)
