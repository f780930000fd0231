"""Where text goes on a slide: sizes and line breaks estimated before PowerPoint sees them.

A slide file has no layout engine of its own: PowerPoint and LibreOffice grow a text box
downwards when its text wraps, over whatever lies below (a two-line title over the
subtitle, a table over the source line). So every box is sized here from its text, with
widths estimated from Arial's proportions (the font the slides name; LibreOffice uses
the metric-compatible Liberation Sans). Estimates err on the wide side.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass

from pptx.dml.color import RGBColor

from dortmund_kpi.views import svg_parts

FONT = "Arial"  # on every office PC; LibreOffice measures it as Liberation Sans
DARK, GREY, DEMO_FILL = (
    RGBColor(0x22, 0x22, 0x22),
    RGBColor(0x55, 0x55, 0x55),
    RGBColor(0xFF, 0xF3, 0xCD),
)

POINTS_PER_INCH = 72
LINE_SPACING = 1.2
CELL_MARGIN_X = 0.1 * 2  # inches, left + right (PowerPoint's default cell margins)
CELL_MARGIN_Y = 0.05 * 2
COMPACT_MARGIN_Y = 0.02 * 2  # a summary table's cells: every row on the slide

_NARROW, _SEMI, _WIDE = set("ijlI.,:;|!'()[]{} /·"), set("frtJ-1"), set("mwMW@%")
_SYMBOL = set("&=?+#~_<>")


def char_em(ch: str) -> float:
    """An Arial character's width in em, rounded up."""
    if ch in _NARROW:
        return 0.3
    if ch in _SEMI:
        return 0.4
    if ch in _WIDE:
        return 0.9
    if ch in _SYMBOL:
        return 0.68
    if ch.isdigit():
        return 0.58  # all digits are as wide as each other (tabular figures)
    return 0.68 if ch.isupper() else 0.52


def text_width(text: str, size: float, *, bold: bool = False) -> float:
    """Estimated width in inches of ``text`` on one line at ``size`` points."""
    em = sum(char_em(ch) for ch in text) * (1.07 if bold else 1.0)
    return em * size / POINTS_PER_INCH


def wrap(text: str, width: float, size: float, *, bold: bool = False) -> list[str]:
    """Lines of ``text`` broken at spaces to fit ``width`` inches (a longer word alone)."""
    lines: list[str] = []
    for paragraph in str(text).split("\n"):
        line = ""
        for word in paragraph.split(" "):
            candidate = f"{line} {word}" if line else word
            if line and text_width(candidate, size, bold=bold) > width:
                lines.append(line)
                line = word
            else:
                line = candidate
        lines.append(line)
    return lines


def text_height(lines: int, size: float) -> float:
    """Height in inches of ``lines`` lines at ``size`` points, with the box's own margins."""
    return lines * size * LINE_SPACING / POINTS_PER_INCH + 0.1


@dataclass(frozen=True)
class Fitted:
    size: float
    lines: list[str]

    @property
    def height(self) -> float:
        return text_height(len(self.lines), self.size)


def fit_text(
    text: str, width: float, sizes: tuple[float, ...], max_lines: int, *, bold: bool = False
) -> Fitted:
    """The largest of ``sizes`` at which ``text`` takes at most ``max_lines`` lines;
    the smallest size (with as many lines as it needs) when none does."""
    for size in sizes:
        lines = wrap(text, width, size, bold=bold)
        if len(lines) <= max_lines:
            return Fitted(size, lines)
    return Fitted(sizes[-1], wrap(text, width, sizes[-1], bold=bold))


def shorten(text: str, width: float, size: float) -> str:
    """``text`` cut with an ellipsis to fit one line of ``width`` inches."""
    if text_width(text, size) <= width:
        return text
    while text and text_width(text + "…", size) > width:
        text = text[:-1]
    return text + "…"


@dataclass(frozen=True)
class TableLayout:
    size: float
    widths: list[float]  # inches per column
    heights: list[float]  # inches per row shown, the header first
    rows: int  # data rows shown (the rest is left off, and the slide says so)


def _longest_word(text: str, size: float, bold: bool) -> float:
    return max((text_width(w, size, bold=bold) for w in str(text).split()), default=0.0)


def _widths(cells: list[list[str]], width: float, size: float) -> list[float] | None:
    """Column widths: no word broken (header words included), the rest of the width shared
    by how much text each column holds; None when the words alone do not fit."""
    columns = list(zip(*cells, strict=True))
    # A word never breaks: its column is a good deal wider than the estimate (LibreOffice
    # and PowerPoint draw cells a little narrower than their grid width).
    minimum = [
        max(_longest_word(c, size, bold=i == 0) for i, c in enumerate(col)) * 1.15 + CELL_MARGIN_X
        for col in columns
    ]
    # Never below its minimum: a column whose text is one word (a date) wanted less than
    # its word's margin, and the shared-out rest then made it narrower than the word.
    natural = [
        max(m, max(text_width(c, size, bold=i == 0) for i, c in enumerate(col)) + CELL_MARGIN_X)
        for m, col in zip(minimum, columns, strict=True)
    ]
    spare = width - sum(minimum)
    if spare < 0:
        return None
    wants = [n - m for n, m in zip(natural, minimum, strict=True)]
    total = sum(wants)
    if total <= spare:  # everything fits on one line: share the rest evenly
        extra = (width - sum(natural)) / len(columns)
        return [n + extra for n in natural]
    return [m + spare * w / total for m, w in zip(minimum, wants, strict=True)]


SIZES = (12, 11, 10, 9)  # points, largest first; 9 is still legible from a back row


def table_layout(
    header: list[str], body: list[list[str]], width: float, height: float, *, whole: bool = False
) -> TableLayout:
    """Font size, column widths and the rows that fit ``width`` × ``height`` inches.

    ``whole``: a summary with tighter cells, at the largest size that shows every row
    (at the smallest, what fits, with the note on the rest)."""
    cells = [header, *body]
    fitted = None
    for size in SIZES:
        widths = _widths(cells, width, size)
        if widths is None:
            continue
        fitted = _rows(header, body, widths, height, size, whole)
        if not whole or fitted.rows == len(body):
            return fitted
    if fitted is None:  # no size keeps every word whole: break words rather than overflow
        fitted = _rows(header, body, [width / len(header)] * len(header), height, 9, whole)
    return fitted


def _rows(
    header: list[str],
    body: list[list[str]],
    widths: list[float],
    height: float,
    size: float,
    compact: bool,
) -> TableLayout:
    """The rows of ``body`` that fit ``height`` at ``size`` in columns of ``widths``."""
    margin = COMPACT_MARGIN_Y if compact else CELL_MARGIN_Y

    def row_height(row: list[str], bold: bool) -> float:
        pairs = zip(row, widths, strict=True)
        # Wrapped into a narrower width than the cell's: a row drawn taller than estimated
        # would push the table into what lies below it.
        lines = max(len(wrap(c, (w - CELL_MARGIN_X) / 1.15, size, bold=bold)) for c, w in pairs)
        return lines * size * LINE_SPACING / POINTS_PER_INCH + margin

    heights = [row_height(header, True)]
    reserve = text_height(1, size)  # the line saying how many rows were left off
    for n, row in enumerate(body):
        needed = row_height(row, False)
        room = height - sum(heights) - (0 if n == len(body) - 1 else reserve)
        if needed > room:
            break
        heights.append(needed)
    return TableLayout(size, widths, heights, len(heights) - 1)


def value_axis(values: Sequence[float]) -> tuple[float, float, float, int]:
    """A chart's value axis (lines, bars) as the page draws it: from zero (or below, for
    negative values) to a round top, its ticks round steps (``views.svg_parts.nice_ticks``);
    and the decimals its labels need ("50", "0,25"), none more: (minimum, maximum, step,
    decimals)."""
    finite = [v for v in values if math.isfinite(v)] or [0.0]
    ticks = svg_parts.nice_ticks(min(0.0, *finite), max(0.0, *finite))
    step = ticks[1] - ticks[0] if len(ticks) > 1 else 1.0
    decimals = next((d for d in range(7) if abs(round(step, d) - step) < 1e-9), 6)
    return ticks[0], ticks[-1], step, decimals
