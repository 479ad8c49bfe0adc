"""What the PDF report and the blank checklist share: embedded fonts, colours, the running header and
footer of their pages, and a few drawing helpers.

Text is set in DejaVu Sans (embedded, so accents and Greek or Cyrillic names print on any
machine). Characters DejaVu lacks, such as Arabic, Devanagari or Thai names, are drawn with a
matching Noto font when one is installed; fonts are chosen from the text actually in the document,
so a report in plain English embeds nothing more.
"""

from __future__ import annotations

import importlib.util
import re
from collections.abc import Iterable
from functools import cache
from pathlib import Path

from fpdf import FPDF
from fpdf.enums import Align
from fpdf.unicode_script import UnicodeScript, get_unicode_script

from reports.errors import ReportError
from reports.theme import INK, MUTED_INK

__all__ = [
    "FONT",
    "FONT_DIRS",
    "LANGUAGE",
    "PANEL",
    "close_fonts",
    "document_language",
    "hex_rgb",
    "line_count",
    "register_fonts",
    "running_footer",
    "running_header",
]

FONT = "DejaVu"
# The language both documents are written in, as announced to screen readers.
LANGUAGE = "en-GB"
# The light grey behind key figures, score panels, table headers and the checklist's instructions.
PANEL = "#F2F4F6"
# Searched in order: fonts shipped with the package (reports/fonts), then Debian's locations.
FONT_DIRS = (
    Path(__file__).parent / "fonts",
    Path("/usr/share/fonts/truetype/dejavu"),
    Path("/usr/share/fonts/dejavu"),
    Path("/usr/share/fonts/TTF"),
)
_DEJAVU = {
    "": "DejaVuSans.ttf",
    "B": "DejaVuSans-Bold.ttf",
    "I": "DejaVuSans-Oblique.ttf",
    "BI": "DejaVuSans-BoldOblique.ttf",
}
_NOTO_DIRS = (
    Path("/usr/share/fonts/truetype/noto"),
    Path("/usr/share/fonts/opentype/noto"),
    Path("/usr/share/fonts/noto"),
)
# Scripts whose Noto font is not simply NotoSans<Script>: CJK lives in one collection.
_CJK_SCRIPTS = {"HAN", "HIRAGANA", "KATAKANA", "HANGUL", "BOPOMOFO"}
_CJK_FILES = ("NotoSansCJK-Regular.ttc", "NotoSansCJKsc-Regular.otf", "NotoSansCJKjp-Regular.otf")
# Scripts whose letters join or reorder, which only a text shaping engine draws correctly.
_SHAPED_SCRIPTS = frozenset(
    {
        "ARABIC",
        "HEBREW",
        "SYRIAC",
        "THAANA",
        "NKO",
        "DEVANAGARI",
        "BENGALI",
        "GURMUKHI",
        "GUJARATI",
        "ORIYA",
        "TAMIL",
        "TELUGU",
        "KANNADA",
        "MALAYALAM",
        "SINHALA",
        "THAI",
        "LAO",
        "TIBETAN",
        "MYANMAR",
        "KHMER",
    }
)


def document_language(code: str) -> str:
    """The language a document announces to screen readers: 'en-GB' for English, else the locale's code."""
    return LANGUAGE if code == "en" else code.replace("_", "-")


def hex_rgb(colour: str) -> tuple[int, int, int]:
    """'#0F5C8C' -> (15, 92, 140)."""
    value = colour.lstrip("#")
    return int(value[0:2], 16), int(value[2:4], 16), int(value[4:6], 16)


def close_fonts(pdf: FPDF) -> None:
    """Close the font files fpdf2 keeps open for lazy reading (else each document leaks open files)."""
    for font in pdf.fonts.values():
        close = getattr(font, "close", None)
        if close is not None:
            close()


def line_count(pdf: FPDF, width: float, height: float, text: str) -> int:
    """How many lines `text` takes in a multi_cell of `width` in the current font (nothing is drawn)."""
    lines = pdf.multi_cell(width, height, text, dry_run=True, output="LINES")
    return len(lines) if isinstance(lines, list) else 1


def running_header(
    pdf: FPDF,
    left: str,
    right: str,
    *,
    top: float,
    rule: str,
    shares: tuple[float, float] = (0.5, 0.5),
    line_width: float | None = None,
) -> None:
    """The small grey line at the top of a page: `left` and `right` text over a thin rule, then the
    cursor back at the top margin in body colour."""
    pdf.set_font(FONT, "", 7.5)
    pdf.set_text_color(*hex_rgb(MUTED_INK))
    pdf.set_xy(pdf.l_margin, top)
    pdf.cell(pdf.epw * shares[0], 5, left, align=Align.L)
    pdf.cell(pdf.epw * shares[1], 5, right, align=Align.R)
    pdf.set_draw_color(*hex_rgb(rule))
    if line_width is not None:
        pdf.set_line_width(line_width)
    pdf.line(pdf.l_margin, top + 5.5, pdf.w - pdf.r_margin, top + 5.5)
    pdf.set_xy(pdf.l_margin, pdf.t_margin)
    pdf.set_text_color(*hex_rgb(INK))


def running_footer(pdf: FPDF, *cells: tuple[str, Align]) -> None:
    """The small grey line at the foot of a page: texts in equal columns, each with its alignment."""
    pdf.set_y(-12)
    pdf.set_font(FONT, "", 7.5)
    pdf.set_text_color(*hex_rgb(MUTED_INK))
    width = pdf.epw / len(cells)
    for text, align in cells:
        pdf.cell(width, 5, text, align=align)
    pdf.set_text_color(*hex_rgb(INK))


def _find(name: str, folders: Iterable[Path]) -> Path | None:
    for folder in folders:
        candidate = folder / name
        if candidate.is_file():
            return candidate
    return None


@cache
def _noto_files() -> dict[str, Path]:
    """Installed Noto fonts by lower-case file name."""
    found: dict[str, Path] = {}
    for folder in _NOTO_DIRS:
        if folder.is_dir():
            for path in folder.iterdir():
                found.setdefault(path.name.lower(), path)
    return found


def _fallback_candidates(script: UnicodeScript) -> list[Path]:
    """Noto fonts that may draw a script, most specific first."""
    files = _noto_files()
    name = script.name
    if name in _CJK_SCRIPTS:
        return [files[f.lower()] for f in _CJK_FILES if f.lower() in files]
    camel = "".join(part.capitalize() for part in re.split(r"[_\s]+", name))
    wanted = [
        f"notosans{camel}-regular.ttf".lower(),
        f"notoserif{camel}-regular.ttf".lower(),
        "notosans-regular.ttf",
        "notosanssymbols-regular.ttf",
        "notosanssymbols2-regular.ttf",
        "notosansmath-regular.ttf",
    ]
    return [files[w] for w in wanted if w in files]


def register_fonts(pdf: FPDF, texts: Iterable[str] = ()) -> list[str]:
    """Embed DejaVu Sans (four styles) and the fallback fonts `texts` need; returns the fallback families.

    Raises ReportError when DejaVu Sans is not installed (Debian: fonts-dejavu-core).
    """
    for style, file_name in _DEJAVU.items():
        path = _find(file_name, FONT_DIRS)
        if path is None:
            raise ReportError(
                f"the report font {file_name} was not found in {', '.join(str(d) for d in FONT_DIRS)}; "
                "install it (Debian and Ubuntu: apt-get install fonts-dejavu-core)"
            )
        pdf.add_font(FONT, style, str(path))
    covered = pdf.fonts[FONT.lower()].cmap  # type: ignore[union-attr]
    beyond_ascii = {ch for text in texts for ch in text if ord(ch) > 0x7F}
    missing = sorted(ch for ch in beyond_ascii if ord(ch) not in covered)
    families: list[str] = []
    loaded: set[Path] = set()
    for ch in missing:
        if any(ord(ch) in pdf.fonts[f.lower()].cmap for f in families):  # type: ignore[union-attr]
            continue
        for path in _fallback_candidates(get_unicode_script(ch)):
            if path in loaded:
                continue
            family = f"fallback{len(families)}"
            pdf.add_font(family, "", str(path))
            loaded.add(path)
            if ord(ch) in pdf.fonts[family].cmap:  # type: ignore[union-attr]
                families.append(family)
                break
            # A font that did not help stays registered but unused; fpdf2 embeds only fonts in use.
    if families:
        # exact_match=False: a bold name in a script with only a regular Noto face is still drawn.
        pdf.set_fallback_fonts(families, exact_match=False)
    if any(get_unicode_script(ch).name in _SHAPED_SCRIPTS for ch in beyond_ascii):
        _enable_shaping(pdf)
    return families


def _enable_shaping(pdf: FPDF) -> None:
    """Join and order right-to-left and Indic letters properly, when the optional HarfBuzz binding is installed.

    Without `uharfbuzz` these names still print with the right letters, but unjoined, and right-to-left
    text inside a left-to-right line may come out in the wrong order.
    """
    if importlib.util.find_spec("uharfbuzz") is not None:
        pdf.set_text_shaping(True)
