"""Untrusted text (file and sheet names, cell values, scenario names, link parameters) shown as text.

Streamlit renders markdown in ``st.markdown``, ``st.caption``, alerts, labels and help: an
``![x](http://…)`` in a file name would make the browser fetch an image from another host, a
``[link](javascript:…)`` would be a live link. :func:`plain` escapes every character markdown (and
Streamlit's ``:color[…]`` / ``:material/…:`` directives, and LaTeX ``$``) gives a meaning, and HTML's
``<`` and ``&``, so the text reads exactly as written and does nothing.

>>> plain("![x](http://127.0.0.2/x.png)")
'\\\\!\\\\[x\\\\]\\\\(http\\\\://127\\\\.0\\\\.0\\\\.2/x\\\\.png\\\\)'
>>> html("<img src=x onerror=alert(1)>")
'&lt;img src=x onerror=alert(1)&gt;'
"""

from __future__ import annotations

import html as _html
import re

_SPECIAL = re.compile(r"([\\`*_{}\[\]()#+\-.!|:~$>])")


def plain(value: object) -> str:
    """Markdown-escaped text (for st.markdown, st.caption, st.info/warning/error, labels, help)."""
    s = str(value)
    s = s.replace("&", "&amp;").replace("<", "&lt;")
    return _SPECIAL.sub(r"\\\1", s).replace("\n", "  \n")


def html(value: object) -> str:
    """HTML-escaped text (for our own st.html fragments)."""
    return _html.escape(str(value), quote=True)
