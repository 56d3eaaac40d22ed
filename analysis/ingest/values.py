"""Parsing single cells as clerks type them: ``' 1,234 '``, ``'—'``, ``'60%'``, ``'2016年'``, ``'2016年1月'``."""

from __future__ import annotations

import datetime as dt
import math
import re
import unicodedata

NONE_MARKS = {
    "",
    "—",
    "——",
    "-",
    "--",
    "－",
    "/",
    "／",
    "无",
    "空",
    "nan",
    "NaN",
    "None",
    "null",
    "#N/A",
    "N/A",
    "…",
    "...",
}
_NUM = re.compile(r"^[+-]?(\d+(\.\d*)?|\.\d+)([eE][+-]?\d+)?$")
_PERIOD_PATTERNS = [
    re.compile(r"^(\d{4})\s*[-/.年]\s*(\d{1,2})\s*月?(份)?(末)?$"),
    re.compile(r"^(\d{4})(\d{2})$"),
    re.compile(r"^(\d{4})-(\d{2})-\d{2}( 00:00:00)?$"),
    # a date cell saved to CSV by Excel: 2016/4/1, 2016-4-1 0:00, 2016年4月1日
    re.compile(r"^(\d{4})\s*[-/.年]\s*(\d{1,2})\s*[-/.月]\s*\d{1,2}\s*日?(\s+\d{1,2}:\d{2}(:\d{2})?)?$"),
]
_PERIOD_IN_TEXT = re.compile(r"(\d{4})\s*年\s*(\d{1,2})\s*月")
TRUE_MARKS = {
    "是",
    "1",
    "true",
    "True",
    "TRUE",
    "y",
    "Y",
    "yes",
    "√",
    "✓",
    "低保户",
    "低保",
    "特困",
    "特困户",
    "建档立卡",
    "建档立卡贫困户",
    "贫困残疾人家庭",
    "困难户",
    "困难",
    "五保",
    "五保户",
    "特困供养",
    "特困供养人员",
    "残疾",
    "残疾人家庭",
    "低保边缘户",
    "重度残疾",
}
FALSE_MARKS = {"否", "0", "false", "False", "FALSE", "n", "N", "no", "×", "非困难户", "一般户"}


class CellError(ValueError):
    """A cell that cannot be read as the column expects; the message is Chinese."""


def clean_text(value: object) -> str:
    if value is None:
        return ""
    if isinstance(value, float):
        if math.isnan(value):
            return ""
        if value.is_integer():
            # 30.0 from a spreadsheet cell reads 30, as the clerk typed it; an 18-digit number keeps its
            # digits (not 1.4e+17), so an ID-card number typed as a number is still recognised as one
            return str(int(value))
    text = unicodedata.normalize("NFKC", str(value))
    return text.strip()


def is_blank(value: object) -> bool:
    return clean_text(value) in NONE_MARKS


def parse_number(value: object) -> tuple[float | None, bool]:
    """A number, or None for a blank / dash; the flag tells whether it was written as a percentage."""
    if isinstance(value, bool):
        raise CellError("应为数字")
    if isinstance(value, (int, float)):
        return (None, False) if isinstance(value, float) and math.isnan(value) else (float(value) + 0.0, False)
    text = clean_text(value)
    if text in NONE_MARKS:
        return None, False
    text = re.sub(r"[,，\s]", "", text)
    text = re.sub(r"[（(][^）)]*[）)]$", "", text).lstrip("￥¥")  # 7度（0.15g）, ￥200,761.00
    roman = {"VI": 6, "VII": 7, "VIII": 8, "IX": 9, "X": 10}.get(text.removesuffix("度"))  # Ⅷ度 (NFKC: VIII)
    if roman:
        return float(roman), False
    percent = text.endswith("%")
    if percent:
        text = text[:-1]
    for suffix in ("元/平方米", "元/㎡", "平方米", "元", "㎡", "m2", "户", "套", "人", "个月", "年", "度", "级"):
        text = text.removesuffix(suffix)
    factor = 1.0
    if text.endswith(("万", "亿")):  # 522.03万 (㎡), 25.5万元, 1.2亿元: the cell states its own unit
        factor = 1e4 if text.endswith("万") else 1e8
        text = text[:-1]
    if not _NUM.match(text):
        raise CellError(
            "不是数字"
            + ("（单位请写在表头，如“面积（万平方米）”，格子里只填数字）" if re.match(r"^[\d.]+\D", text) else "")
        )
    number = float(text) * factor + 0.0  # + 0.0 turns -0.0 into 0.0
    return (number / 100 if percent else number), percent


def states_unit(value: object) -> bool:
    """Whether a cell carries 万 or 亿 itself (then the column's unit must not apply again)."""
    return isinstance(value, str) and bool(re.search(r"[万亿]\s*(元|平方米|㎡|m2|户|套)?\s*$", value.strip()))


def written(value: object) -> str:
    """A cell as the clerk wrote it, for messages: text kept as typed (full-width brackets and all),
    numbers without a trailing .0."""
    if isinstance(value, str):
        return value.strip()
    return clean_text(value)


def parse_int(value: object) -> int | None:
    number, _ = parse_number(value)
    if number is None:
        return None
    if abs(number - round(number)) > 1e-9:
        raise CellError("应为整数")
    return int(round(number))


def parse_year(value: object) -> int | None:
    if isinstance(value, (dt.date, dt.datetime)):
        return value.year
    text = clean_text(value)
    if text in NONE_MARKS:
        return None
    text = text.translate(CHINESE_DIGITS)  # 二〇一六年 → 2016年
    m = re.fullmatch(r"(\d{4})(\.0)?\s*(年|年度)?", text)
    if not m:
        raise CellError("不是年份（应为 2016 或 2016年）")
    year = int(m.group(1))
    if not FIRST_YEAR <= year <= dt.date.today().year + 3:
        raise CellError(f"年份不在 {FIRST_YEAR}–{dt.date.today().year + 3} 之间")
    return year


CHINESE_DIGITS = str.maketrans("〇零一二三四五六七八九", "00123456789")
FIRST_YEAR = 2000  # the rolls and plans of shantytown redevelopment begin in the 2000s


def parse_period(value: object) -> str | None:
    """``'2016年1月'``, ``'2016-01'``, ``'2016/1'``, ``201601``, a date cell → ``'2016-01'``."""
    if isinstance(value, (dt.date, dt.datetime)):
        return f"{value.year:04d}-{value.month:02d}"
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    text = clean_text(value)
    if text in NONE_MARKS:
        return None
    for pattern in _PERIOD_PATTERNS:
        m = pattern.match(text)
        if m:
            year, month = int(m.group(1)), int(m.group(2))
            if 1 <= month <= 12:
                return f"{year:04d}-{month:02d}"
            raise CellError("月份不在 1–12 之间")
    raise CellError("不是统计月份（应为 2016-01 或 2016年1月）")


def period_in_text(text: str) -> str | None:
    """The month named in a title or sheet name: ``'XX市商品住房库存情况统计表（2016年1月）'`` → ``'2016-01'``."""
    m = _PERIOD_IN_TEXT.search(unicodedata.normalize("NFKC", text or ""))
    if m and 1 <= int(m.group(2)) <= 12:
        return f"{int(m.group(1)):04d}-{int(m.group(2)):02d}"
    m = re.search(r"(20\d{2})[-.](\d{1,2})(?!\d)", text or "")
    if m and 1 <= int(m.group(2)) <= 12:
        return f"{int(m.group(1)):04d}-{int(m.group(2)):02d}"
    return None


def parse_bool(value: object) -> bool | None:
    if isinstance(value, bool):
        return value
    text = clean_text(value)
    if text in NONE_MARKS:
        return None
    if text in TRUE_MARKS:
        return True
    if text in FALSE_MARKS:
        return False
    raise CellError("应为 是 / 否")


def parse_enum(value: object, allowed: tuple[str, ...], synonyms: dict[str, str]) -> str | None:
    text = re.sub(r"\s+", "", clean_text(value))
    if text in NONE_MARKS:
        return None
    if text in allowed:
        return text
    if text in synonyms:
        return synonyms[text]
    inside = [w for w in synonyms if len(w) >= 3 and w in text]  # '货币化安置（平台选购）' and the like
    if inside:
        return synonyms[max(inside, key=len)]  # the longest: 国有林区棚户区改造 is forestry, not 棚户区
    raise CellError("不是可识别的取值（可用：" + "、".join(k for k in synonyms if len(k) <= 10) + "）")
