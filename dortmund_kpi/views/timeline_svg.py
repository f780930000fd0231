"""The measures timeline as static SVG, drawn from its finished plotly figure.

As a plotly chart the timeline was about a fifth of the masterplan page's load in the
browser (docs/performance.md); as SVG the browser lays it out once, and the interactive
chart is drawn on demand. Everything is read from the figure the interactive chart and the
exports use: title, legend, one bar per measure from start to deadline in its status's
colour, the red outline and label of an overdue measure, the dotted day line with its
label, the footer with source, Stand and the "Demodaten" badge. Each bar's tooltip says
what the chart's hover says. No Streamlit here.
"""

from __future__ import annotations

import html
import math
from collections.abc import Callable

import numpy as np
import plotly.graph_objects as go

from dortmund_kpi.views import svg_parts

WIDTH = 960  # about the page's width on a laptop (the drawing scales to its box)
NARROW_WIDTH = 400  # a phone: shorter labels, larger text
PROJECTOR_WIDTH = 760  # presentation mode: text about 1.3 times as large
_RIGHT = 12
_CHAR = 5.9  # px per character of 12 px text
_MS_PER_YEAR = 365.2425 * 86400 * 1000
Scale = Callable[[float], float]


def figure_svg(fig: go.Figure, alt: str, width: int = WIDTH) -> str:
    """The timeline as an SVG element (``role="img"``, ``alt`` its accessible name)."""
    height = int(fig.layout.height or 320)
    parts, y = svg_parts.header(fig, width)
    y = _legend(parts, [t for t in fig.data if t.type == "bar" and t.name], y + 2, width)
    footer, top = svg_parts.footer(fig, width, height)
    _plot(parts, fig, (y + 8, top - 24), width)
    return svg_parts.element(parts + footer, alt, width, height, css_class="dkpi-gantt")


def markup(fig: go.Figure, alt: str, width: int = WIDTH) -> str:
    """The page's timeline: a drawing ``width`` wide and, for a phone, one
    ``NARROW_WIDTH`` wide with shorter labels and larger text (``svg_parts.responsive``)."""
    return svg_parts.responsive(figure_svg(fig, alt, width), figure_svg(fig, alt, NARROW_WIDTH))


def _legend(parts: list[str], traces: list[go.Bar], y: float, total: int) -> float:
    """A sample bar and the name of each status (and "überfällig"), in rows; next free y."""
    x, y = 0.0, y + 12
    parts.append('<g class="legend">')
    for trace in traces:
        width = 22 + 6.2 * len(trace.name)
        if x and x + width > total:
            x, y = 0.0, y + 18
        parts.append(_rect((x, y - 10, 14, 12), trace))
        parts.append(svg_parts.text(x + 20, y, trace.name, size=11))
        x += width + 14
    parts.append("</g>")
    return y + 4


def _plot(parts: list[str], fig: go.Figure, rows: tuple[float, float], width: int) -> None:
    """Labels, year grid, bars and the day line in the box between ``rows`` (top, bottom)."""
    top, bottom = rows
    labels = list(fig.layout.yaxis.categoryarray or ())
    bars = [t for t in fig.data if t.type == "bar" and t.y is not None and len(t.y)]
    if not labels or not bars:
        return
    days = [float(s.x0) for s in fig.layout.shapes if s.type == "line" and s.xref == "x"]
    spans = [span for trace in bars for span in _spans(trace)]
    lo = min([s for s, _ in spans] + days)
    hi = max([e for _, e in spans] + days)
    pad = (hi - lo) * 0.02 or _MS_PER_YEAR
    lo, hi = lo - pad, hi + pad
    longest = max(len(label) for label in labels)
    left = min(16 + _CHAR * longest, width * 0.45)

    def px(ms: float) -> float:
        return left + (ms - lo) / (hi - lo) * (width - left - _RIGHT)

    # Rows count from the top; above the first a free strip for the day's label (as plotly).
    first, last = fig.layout.yaxis.range or (len(labels) - 0.5, -0.5)
    step = (bottom - top) / (first - last)

    def py(row: float) -> float:
        return top + (row - last) * step

    parts.append(
        f'<rect class="plot" x="{left:.1f}" y="{top:.1f}" '
        f'width="{width - left - _RIGHT:.1f}" height="{bottom - top:.1f}" fill="none"/>'
    )
    _years(parts, lo, hi, px, (top, bottom))
    for row, label in enumerate(labels):
        parts.append(_label(label, left - 8, py(row) + 4, int((left - 16) / _CHAR)))
    for trace in bars:
        _bars(parts, trace, labels, px, py, step * (1 - (fig.layout.bargap or 0.2)))
    for shape in fig.layout.shapes:
        if shape.type == "line" and shape.xref == "x":
            _day(parts, fig, float(shape.x0), px(float(shape.x0)), (py(last), bottom), width)


def _spans(trace: go.Bar) -> list[tuple[float, float]]:
    """(start, end) of each bar in ms since 1970 (``base`` dates, ``x`` lengths in ms)."""
    starts = np.asarray(trace.base, dtype="datetime64[ms]").astype("int64").astype(float)
    return [(s, s + float(length)) for s, length in zip(starts, trace.x, strict=True)]


def _years(parts: list[str], lo: float, hi: float, px: Scale, rows: tuple[float, float]) -> None:
    """Grid lines and labels at the first of January: every year where they are 40 px
    apart or more, else every 2nd, 5th, 10th, ... year (a phone, a deadline far ahead),
    at most ten."""
    first, last = _year(lo) + 1, _year(hi)
    per_year = px(lo + _MS_PER_YEAR) - px(lo)
    need = max((last - first + 1) / 10, 40 / per_year)
    step = next(s for s in (1, 2, 5, 10, 20, 25, 50, 100, 250, 500) if s >= need)
    for year in range(math.ceil(first / step) * step, last + 1, step):
        at = px(float(np.datetime64(f"{year}-01-01", "ms").astype("int64")))
        parts.append(svg_parts.path([(at, rows[0]), (at, rows[1])], "#e5e5e5", 1))
        parts.append(svg_parts.text(at, rows[1] + 16, str(year), text_anchor="middle"))


def _year(ms: float) -> int:
    return int(str(np.datetime64(int(ms), "ms").astype("datetime64[Y]")))


def _label(label: str, x: float, y: float, chars: int) -> str:
    """A measure's name at the left of its row; cut with "…" where it is too long (the
    whole name is its tooltip and stays in the measures list below)."""
    if len(label) <= chars:
        return svg_parts.text(x, y, label, text_anchor="end")
    short = label[: max(chars - 1, 1)].rstrip() + "…"
    tip = f"<title>{html.escape(label)}</title>"
    return svg_parts.text(x, y, short, text_anchor="end").replace("</text>", f"{tip}</text>")


def _bars(
    parts: list[str],
    trace: go.Bar,
    labels: list[str],
    px: Scale,
    py: Scale,
    thickness: float,
) -> None:
    """One bar per measure; a trace with text (the overdue outline) writes it inside."""
    texts = list(trace.text or ()) if not isinstance(trace.text, str) else [trace.text]
    tips = trace.customdata if trace.customdata is not None else [None] * len(trace.y)
    for index, ((start, end), label, tip) in enumerate(
        zip(_spans(trace), trace.y, tips, strict=True)
    ):
        x, y = px(start), py(labels.index(label)) - thickness / 2
        box = (x, y, max(px(end) - x, 1.0), thickness)
        parts.append(_rect(box, trace, _tooltip(label, tip), css="bar"))
        if index < len(texts) and _CHAR * len(texts[index]) + 8 <= px(end) - x:
            parts.append(
                svg_parts.text(
                    x + 4,
                    y + thickness / 2 + 4,
                    texts[index],
                    size=11,
                    fill="#222",
                    class_="bar-text",
                )
            )


def _tooltip(label: str, tip: object) -> str:
    """What the chart's hover says: name, start – deadline, owner (status)."""
    if tip is None:
        return label
    start, deadline, owner, status = (str(v) for v in tip)  # type: ignore[attr-defined]
    return f"{label}\n{start} – {deadline}\n{owner} ({status})"


def _rect(
    box: tuple[float, float, float, float], trace: go.Bar, tip: str = "", css: str = ""
) -> str:
    """A bar in the trace's colour (a transparent one with the trace's outline)."""
    fill = str(trace.marker.color or "#444")
    if fill.replace(" ", "") == "rgba(0,0,0,0)":
        fill = "none"
    line = trace.marker.line
    return svg_parts.rect(box, fill, (line.color, line.width or 0), tip, css)


def _day(
    parts: list[str], fig: go.Figure, ms: float, x: float, rows: tuple[float, float], width: int
) -> None:
    """The dotted line of the day shown and its label, right of the line at the top (left
    of it where the label would leave the drawing)."""
    parts.append(
        svg_parts.path([(x, rows[0]), (x, rows[1])], "#555", 1.5, "2 3").replace(
            "<path ", '<path class="day-line" ', 1
        )
    )
    for note in fig.layout.annotations:
        if note.xref == "x" and note.x is not None and float(note.x) == ms:
            label = svg_parts.plain(note.text)
            right = x + 4 + _CHAR * 0.85 * len(label) > width
            at, anchor = (x - 4, "end") if right else (x + 4, "start")
            parts.append(
                svg_parts.text(
                    at,
                    rows[0] + 11,
                    label,
                    size=10,
                    fill="#555",
                    text_anchor=anchor,
                    class_="day-label",
                )
            )
