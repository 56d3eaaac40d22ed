"""Untrusted text (file and sheet names, cell values, scenario names, link parameters) shown as text.

Streamlit renders markdown in ``st.markdown``, ``st.caption``, alerts, labels and help: an
``![x](http://…)`` in a file name would make the browser fetch an image from another host, a
``[link](javascript:…)`` would be a live link. :func:`plain` escapes every character markdown (and
Streamlit's ``:color[…]`` / ``:material/…:`` directives, and LaTeX ``$``) gives a meaning, and HTML's
``<`` and ``&``, so the text reads exactly as written and does nothing.

Escaping is not enough against GitHub-flavoured markdown's *autolinks*: Streamlit's renderer
(remark-gfm) finds ``http://…``, ``www.…`` and ``name@host.cn`` in the text after escapes are undone
and makes them live links. A word joiner (U+2060, invisible, no line break) after every ``:`` and
``@`` and between ``www`` and ``.`` breaks those patterns; the text still reads the same.

>>> plain("![x](http://127.0.0.2/x.png)") == '\\\\!\\\\[x\\\\]\\\\(http\\\\:' + JOINER + '//127\\\\.0\\\\.0\\\\.2/x\\\\.png\\\\)'
True
>>> readable(plain("www.example.cn a@b.cn")) == "www\\\\.example\\\\.cn a@b\\\\.cn"
True
>>> html("<img src=x onerror=alert(1)>")
'&lt;img src=x onerror=alert(1)&gt;'

A figure and its unit read as one word (:func:`figures`): a browser may break a line between any two Chinese
characters, and so inside 「510.47万㎡」 or 「12.5个月」; word joiners between the digits and each character of
the unit keep it on one line (the text reads and copies the same, the joiners being invisible).

>>> readable(figures("可消化 510.47万㎡，降至 12.5个月")) == "可消化 510.47万㎡，降至 12.5个月"
True
>>> figures("510.47万㎡").count(JOINER), figures("第 3 行").count(JOINER)
(2, 0)
"""

from __future__ import annotations

import html as _html
import re
from functools import lru_cache

from analysis import catalogue

_SPECIAL = re.compile(r"([\\`*_{}\[\]()#+\-.!|:~$>])")
JOINER = "\u2060"  # WORD JOINER: invisible, keeps the line together, breaks an autolink
_AUTOLINK = re.compile(r"(?<=[:@])|(?<=www)(?=\.)", re.IGNORECASE)


def plain(value: object) -> str:
    """Markdown-escaped text (for st.markdown, st.caption, st.info/warning/error, labels, help)."""
    s = str(value)
    s = s.replace("&", "&amp;").replace("<", "&lt;")
    s = _AUTOLINK.sub(JOINER, s)
    return _SPECIAL.sub(r"\\\1", s).replace("\n", "  \n")


@lru_cache(maxsize=1)
def _figure() -> re.Pattern:
    units = {c.display_unit for c in catalogue.columns().values() if c.display_unit} | {"个百分点", "万户"}
    words = "|".join(re.escape(u) for u in sorted(units, key=len, reverse=True))
    return re.compile(rf"(\d)({words})")


def figures(value: object) -> str:
    """``value`` with every figure kept whole on a line: a number and its unit (the catalogue's display units)
    joined by word joiners. For text we write (summaries, totals), before :func:`plain` where it is escaped."""
    return _figure().sub(lambda m: m.group(1) + JOINER + JOINER.join(m.group(2)), str(value))


def readable(shown: str) -> str:
    """What a person reads of a :func:`plain` text (the word joiners left out): for tests and logs."""
    return shown.replace(JOINER, "")


def html(value: object) -> str:
    """HTML-escaped text (for our own st.html fragments)."""
    return _html.escape(str(value), quote=True)
