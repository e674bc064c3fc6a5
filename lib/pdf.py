"""The Chinese TrueType font every PDF of ours is set in, embedded in the file.

ReportLab's own CJK fonts are not embedded (a viewer without them shows boxes) and it cannot read
CFF-outline OpenType, so the text is set in WenQuanYi Micro Hei (TrueType outlines, Apache 2.0),
the Debian package fonts-wqy-microhei that `make install` installs; a subset of the glyphs used
is embedded. Without that font there is no PDF: `FontMissing`, which a page answers by saying
what to install."""

from functools import cache
from pathlib import Path

from reportlab.pdfbase import pdfmetrics
from reportlab.pdfbase.ttfonts import TTFont

FONT_NAME = "ReportCJK"
# (file, index of the face in a collection): the first that exists is used.
FONT_FILES = [
    ("/usr/share/fonts/truetype/wqy/wqy-microhei.ttc", 0),
    ("/usr/share/fonts/truetype/arphic/uming.ttc", 0),
]


class FontMissing(Exception):
    """No Chinese TrueType font is installed for the PDF."""


@cache
def _font(path, index):
    pdfmetrics.registerFont(TTFont(FONT_NAME, path, subfontIndex=index))
    return FONT_NAME


def font():
    """The registered font's name. Raises FontMissing."""
    for path, index in FONT_FILES:
        if Path(path).is_file():
            return _font(path, index)
    raise FontMissing(FONT_FILES[0][0])
