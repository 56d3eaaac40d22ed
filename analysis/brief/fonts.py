"""The CJK font of the brief: a TrueType (glyf) font that matplotlib embeds in the PDF as Type 42.

Why not Noto Sans CJK: Debian's fonts-noto-cjk are CFF-based OpenType collections; matplotlib 3.11
writes them as a ``CIDFontType2`` with a CFF program in ``FontFile2`` (poppler warns "Mismatch between
font type and embedded font file"; strict viewers and printers may reject it). WenQuanYi Micro Hei
(Debian ``fonts-wqy-microhei``) has TrueType outlines, covers GB 2312 plus ㎡ ≥ → …, and embeds cleanly.

Lookup, first hit wins: the file named by ``$BRIEF_CJK_FONT``; the Debian paths; any file of that name
under the usual font folders. A candidate must have TrueType outlines and the glyphs the brief uses.
"""

from __future__ import annotations

import os
from functools import lru_cache
from pathlib import Path

ENV_VAR = "BRIEF_CJK_FONT"
FILE_NAMES = ("wqy-microhei.ttc", "wqy-zenhei.ttc")  # Debian fonts-wqy-microhei, fonts-wqy-zenhei
KNOWN_PATHS = tuple(Path("/usr/share/fonts/truetype/wqy") / n for n in FILE_NAMES)
FONT_DIRS = (
    Path("/usr/share/fonts"),
    Path("/usr/local/share/fonts"),
    Path.home() / ".local" / "share" / "fonts",
    Path.home() / ".fonts",
)
REQUIRED = "山西省去化周期演示数据㎡≥→…0123456789%"
INSTALL_HINT = "请运行 make setup，或以 root 执行 apt-get install fonts-wqy-microhei"


class FontMissing(RuntimeError):
    """No usable CJK TrueType font: the message is Chinese and names the fix."""


@lru_cache(maxsize=1)
def cjk_font_path() -> Path:
    """The path of the CJK font to draw with (cached); raises :class:`FontMissing` if there is none."""
    override = os.environ.get(ENV_VAR)
    if override:
        path = Path(override)
        problem = _problem(path)
        if problem:
            raise FontMissing(f"环境变量 {ENV_VAR} 指定的字体 {path} 不可用：{problem}。{INSTALL_HINT}")
        return path
    for path in _candidates():
        if _problem(path) is None:
            return path
    raise FontMissing(f"未找到可嵌入 PDF 的中文 TrueType 字体（文泉驿微米黑 {FILE_NAMES[0]}）。{INSTALL_HINT}")


def _candidates() -> list[Path]:
    out = [p for p in KNOWN_PATHS if p.is_file()]
    for name in FILE_NAMES:
        for base in FONT_DIRS:
            if base.is_dir():
                out += sorted(p for p in base.rglob(name) if p not in out)
    return out


def _problem(path: Path) -> str | None:
    """Why a font file cannot be used (Chinese), or None."""
    from fontTools.ttLib import TTCollection, TTFont, TTLibError

    if not path.is_file():
        return "文件不存在"
    try:
        font = TTCollection(str(path)).fonts[0] if path.suffix.lower() == ".ttc" else TTFont(str(path), lazy=True)
        if "glyf" not in font:
            return "不是 TrueType 轮廓字体（CFF 字体无法以 Type 42 嵌入）"
        cmap = font.getBestCmap() or {}
    except (TTLibError, OSError, KeyError, IndexError) as exc:
        return f"无法读取（{type(exc).__name__}）"
    missing = [c for c in REQUIRED if ord(c) not in cmap]
    return f"缺少字形 {''.join(missing)}" if missing else None
