"""WordprocessingML details python-docx has no API for: the schema's order of children, small elements."""

from __future__ import annotations

from docx.oxml import OxmlElement
from docx.oxml.ns import qn

# the schema's order of children that come after w:snapToGrid in w:pPr, after w:spacing in w:rPr
PPR_AFTER_SNAP = (
    "spacing",
    "ind",
    "contextualSpacing",
    "mirrorIndents",
    "suppressOverlap",
    "jc",
    "textDirection",
    "textAlignment",
    "textboxTightWrap",
    "outlineLvl",
    "divId",
    "cnfStyle",
    "rPr",
    "sectPr",
    "pPrChange",
)
RPR_AFTER_SPACING = (
    "w",
    "kern",
    "position",
    "sz",
    "szCs",
    "highlight",
    "u",
    "effect",
    "bdr",
    "shd",
    "fitText",
    "vertAlign",
    "rtl",
    "cs",
    "em",
    "lang",
    "eastAsianLayout",
    "specVanish",
    "oMath",
)


def valued(tag: str, val: str):
    el = OxmlElement(tag)
    el.set(qn("w:val"), val)
    return el


def insert(parent, el, successors: tuple[str, ...]) -> None:
    """Insert ``el`` before the first child that the schema puts after it (Word refuses misordered XML)."""
    names = {qn(f"w:{n}") for n in successors}
    for child in parent:
        if child.tag in names:
            child.addprevious(el)
            return
    parent.append(el)
