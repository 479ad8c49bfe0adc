"""Colours and type shared by the dashboard, chart images and reports, so a band looks the same everywhere.

The palette is Okabe-Ito (safe for the common colour-vision deficiencies); bands also carry their
letter wherever they are shown, so colour is never the only cue.
"""

from __future__ import annotations

__all__ = [
    "ACCENT",
    "BAND_COLOURS",
    "BAND_TEXT_COLOURS",
    "CATEGORY_COLOURS",
    "FONT_FAMILY",
    "INK",
    "MUTED_INK",
    "NO_SCORE_COLOUR",
    "PAPER",
    "SERIES_COLOURS",
    "SERIES_DASHES",
    "SERIES_SYMBOLS",
    "band_colour",
]

INK = "#1F2933"  # body text: 14.7:1 on PAPER
MUTED_INK = "#52606D"  # secondary text: 6.4:1 on PAPER
PAPER = "#FAFAF7"
ACCENT = "#0F5C8C"  # links, focus, primary buttons: 6.9:1 on PAPER
FONT_FAMILY = "DejaVu Sans, Source Sans Pro, Arial, sans-serif"

# Band A (sensory-supportive) to D (not yet supportive): blue-green, sky, orange, vermillion.
BAND_COLOURS = {"A": "#009E73", "B": "#56B4E9", "C": "#E69F00", "D": "#D55E00"}
# Text drawn on a band colour (chosen for at least 4.5:1 contrast).
BAND_TEXT_COLOURS = {"A": "#000000", "B": "#000000", "C": "#000000", "D": "#000000"}
NO_SCORE_COLOUR = "#CBD2D9"

CATEGORY_COLOURS = {"lighting": "#E69F00", "noise": "#0072B2", "textures": "#CC79A7", "quiet_zones": "#009E73"}


def band_colour(band: str | None) -> str:
    return BAND_COLOURS.get(band or "", NO_SCORE_COLOUR)


# Up to six rooms side by side (Okabe-Ito, the darker hues first); each series also gets its own
# marker symbol and line dash, so rooms stay apart in greyscale print and for every colour vision.
SERIES_COLOURS = ["#0072B2", "#E69F00", "#009E73", "#CC79A7", "#D55E00", "#56B4E9"]
SERIES_SYMBOLS = ["circle", "square", "diamond", "triangle-up", "cross", "x"]
SERIES_DASHES = ["solid", "dash", "dot", "dashdot", "longdash", "longdashdot"]
