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
"""

from __future__ import annotations

import html as _html
import re

_SPECIAL = re.compile(r"([\\`*_{}\[\]()#+\-.!|:~$>])")
JOINER = "\u2060"  # WORD JOINER: invisible, keeps the line together, breaks an autolink
_AUTOLINK = re.compile(r"(?<=[:@])|(?<=www)(?=\.)", re.IGNORECASE)


def plain(value: object) -> str:
    """Markdown-escaped text (for st.markdown, st.caption, st.info/warning/error, labels, help)."""
    s = str(value)
    s = s.replace("&", "&amp;").replace("<", "&lt;")
    s = _AUTOLINK.sub(JOINER, s)
    return _SPECIAL.sub(r"\\\1", s).replace("\n", "  \n")


def readable(shown: str) -> str:
    """What a person reads of a :func:`plain` text (the word joiners left out): for tests and logs."""
    return shown.replace(JOINER, "")


def html(value: object) -> str:
    """HTML-escaped text (for our own st.html fragments)."""
    return _html.escape(str(value), quote=True)
