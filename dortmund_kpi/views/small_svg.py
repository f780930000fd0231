"""A small multiple as static SVG, drawn from the finished plotly figure of a time series.

The masterplan page shows up to 14 charts at once; as plotly charts they cost the browser
about 15 times the work of one (docs/performance-masterplan.md). This SVG is text the
browser lays out once: the same title and unit, legend, lines (demo points hollow), target
path and trend, and the footer with source, Stand and the "Demodaten" badge, all read from
the figure the interactive chart and the exports use, so the two never disagree. No
Streamlit here.
"""

from __future__ import annotations

import math
from collections.abc import Sequence

import pandas as pd
import plotly.graph_objects as go

from dortmund_kpi.views import svg_parts

WIDTH = 440  # about a card's width on a laptop; a phone scales it down less than 520
PROJECTOR_WIDTH = 340  # presentation mode: the same card, text about 1.8 times as large
SERIES_WIDTH = 960  # a page-wide series on a laptop
SERIES_PROJECTOR_WIDTH = 640  # ... in presentation mode (text 1.5 times as large)
_DASHES = {"dash": "7 4", "dot": "2 3", "dashdot": "7 3 2 3"}
_RIGHT = 12  # the right edge (the left one makes room for the value labels)


def figure_svg(fig: go.Figure, alt: str, width: int = WIDTH, tips: bool = False) -> str:
    """The figure as an SVG element (``role="img"``, ``alt`` as its accessible name).

    ``width`` is the drawing's width in px of text: the SVG fills its card, so a narrower
    drawing shows larger text (presentation mode: fonts for a projector). With ``tips``
    every point has the interactive chart's hover as its tooltip (the series people read
    values from; the masterplan's 14 small multiples stay without)."""
    height = int(fig.layout.height or 320)
    parts, y = svg_parts.header(fig, width)
    y = legend(parts, _legend_traces(fig), y + 2, width)
    footer, top = svg_parts.footer(fig, width, height)
    _plot(parts, fig, (y + 6, top - 14), width, tips)
    return svg_parts.element(parts + footer, alt, width, height)


def series_markup(fig: go.Figure, alt: str) -> str:
    """A page-wide time series (the indicator and the district page's chart): drawn for a
    desk and, narrower with larger text, for a phone (``svg_parts.responsive``), points
    with tooltips. As plotly charts they cost either page about a tenth of its load in
    the browser."""
    wide = figure_svg(fig, alt, SERIES_WIDTH, tips=True)
    return svg_parts.responsive(wide, figure_svg(fig, alt, WIDTH, tips=True))


def projector_series(fig: go.Figure, alt: str) -> str:
    """The page-wide series in presentation mode: text sized for a projector."""
    return figure_svg(fig, alt, SERIES_PROJECTOR_WIDTH, tips=True)


def _legend_traces(fig: go.Figure) -> list[go.Scatter]:
    return [t for t in fig.data if t.showlegend is not False and t.name]


def legend(parts: list[str], traces: list[go.Scatter], y: float, total: int) -> float:
    """Legend entries in rows (a sample of line and marker, then the name); next free y."""
    x, y = 0.0, y + 12
    for trace in traces:
        width = 30 + 6.2 * len(trace.name)
        if x and x + width > total:
            x, y = 0.0, y + 18
        parts.append(_sample(trace, x, y - 4))
        parts.append(svg_parts.text(x + 26, y, trace.name, size=11))
        x += width + 10
    return y + 6


def _sample(trace: go.Scatter, x: float, y: float) -> str:
    color = _color(trace)
    out = ""
    if "lines" in (trace.mode or ""):
        dash = _DASHES.get(trace.line.dash or "", "")
        out += svg_parts.path([(x, y), (x + 22, y)], color, trace.line.width or 2, dash)
    if "markers" in (trace.mode or ""):
        symbols = trace.marker.symbol
        symbol = symbols if isinstance(symbols, str) else "circle"
        line = trace.marker.line  # an outline of its own (the radar's points) or none
        outline = (str(line.color), line.width or 1) if line and line.color else None
        out += _marker(x + 11, y, symbol, color, trace.marker.size or 7, outline)
    return out


def _color(trace: go.Scatter) -> str:
    return str(trace.line.color or trace.marker.color or "#444")


def _plot(
    parts: list[str], fig: go.Figure, rows: tuple[float, float], width: int, tips: bool
) -> None:
    """Axes, grid and the traces in the box between ``rows`` (top, bottom); with ``tips``
    the points' tooltips on top."""
    top, bottom = rows
    series = [(t, _xs(t.x), _ys(t.y)) for t in fig.data if t.x is not None and len(t.x)]
    xs = [x for _, values, _ in series for x in values if x is not None]
    ys = [y for _, _, values in series for y in values if y is not None]
    if not xs or not ys:
        return
    y_axis = fig.layout.yaxis
    lo, hi = min(ys), max(ys)
    if y_axis.rangemode == "tozero":
        lo, hi = min(lo, 0.0), max(hi, 0.0)
    ticks = svg_parts.nice_ticks(lo, hi)
    lo, hi = min(lo, ticks[0]), max(hi, ticks[-1])
    reverse = y_axis.autorange == "reversed"
    pad = (max(xs) - min(xs)) * 0.02  # points at the ends stay inside the box
    x_lo, x_hi = min(xs) - pad, max(xs) + pad
    span_x, span_y = (x_hi - x_lo) or 1.0, (hi - lo) or 1.0

    labels = svg_parts.tick_labels(ticks, y_axis.tickformat)
    left = 10 + 6.5 * max(len(label) for label in labels)

    def px(value: float) -> float:
        return left + (value - x_lo) / span_x * (width - left - _RIGHT)

    def py(value: float) -> float:
        share = (value - lo) / span_y
        return top + share * (bottom - top) if reverse else bottom - share * (bottom - top)

    for tick, label in zip(ticks, labels, strict=True):
        parts.append(svg_parts.path([(left, py(tick)), (width - _RIGHT, py(tick))], "#e5e5e5", 1))
        parts.append(svg_parts.text(left - 6, py(tick) + 4, label, size=11, text_anchor="end"))
    for year in _years(x_lo, x_hi):
        at = px(year)
        parts.append(svg_parts.path([(at, bottom), (at, bottom + 4)], "#444", 1))
        parts.append(
            svg_parts.text(at, bottom + 16, _year_label(year), size=11, text_anchor="middle")
        )
    parts.append(svg_parts.path([(left, bottom), (width - _RIGHT, bottom)], "#444", 1))
    for trace, tx, ty in series:
        symbols = trace.marker.symbol
        each = [symbols] * len(tx) if isinstance(symbols, str) or symbols is None else symbols
        drawn = zip(tx, ty, each, strict=True)
        _trace(parts, trace, [(px(a), py(b), m) for a, b, m in drawn if None not in (a, b)])
    if tips:
        parts.append('<g class="tips">')
        for trace, tx, ty in series:
            parts += _tips(
                trace,
                [
                    (i, px(a), py(b))
                    for i, (a, b) in enumerate(zip(tx, ty, strict=True))
                    if None not in (a, b)
                ],
            )
        parts.append("</g>")


def _tips(trace: go.Scatter, points: list[tuple[int, float, float]]) -> list[str]:
    """A transparent circle per point whose tooltip is the chart's hover: the trace's
    name, then the template filled in (period, value and unit, official or demo)."""
    if trace.hoverinfo == "skip" or not trace.hovertemplate:
        return []
    name = f"{trace.name}\n" if trace.name else ""
    return [svg_parts.tip_circle(x, y, 7, name + svg_parts.hover(trace, i)) for i, x, y in points]


def _trace(parts: list[str], trace: go.Scatter, points: list[tuple[float, float, str]]) -> None:
    """Line and markers (each point its own symbol: hollow for a demo value)."""
    color, mode = _color(trace), trace.mode or ""
    if "lines" in mode and len(points) > 1:
        dash = _DASHES.get(trace.line.dash or "", "")
        parts.append(
            svg_parts.path([(x, y) for x, y, _ in points], color, trace.line.width or 2, dash)
        )
    if "markers" in mode:
        size = trace.marker.size or 7
        stars = [(x, y, m) for x, y, m in points if (m or "").startswith("star")]
        parts.extend(_marker(x, y, symbol, color, size) for x, y, symbol in stars)
        dots = [(x, y, m or "circle") for x, y, m in points if not (m or "").startswith("star")]
        parts.extend(_dots(dots, color, size))


def _dots(points: list[tuple[float, float, str]], color: str, size: float) -> list[str]:
    """Circle markers as round caps of zero-length strokes, all of a kind in one path: a
    series of 200 points is two elements, not 200 (the browser makes every
    element). Filled: official values; hollow (``-open``): demo values, a
    white dot inside a coloured one, as plotly's open circle."""
    filled = [(x, y) for x, y, m in points if not m.endswith("-open")]
    hollow = [(x, y) for x, y, m in points if m.endswith("-open")]
    out = []
    for kind, where, inner in (("official", filled, None), ("demo", hollow, "white")):
        if not where:
            continue
        d = "".join(f"M{x:.1f},{y:.1f}h0" for x, y in where)
        head = f'<path class="dots {kind}" d="{d}" fill="none" stroke-linecap="round"'
        # the circle's diameter plus its 1.5 px outline, as _marker draws it
        out.append(f'{head} stroke="{color}" stroke-width="{size + 1.5:g}"/>')
        if inner:
            out.append(f'{head} stroke="{inner}" stroke-width="{size - 1.5:g}"/>')
    return out


def _marker(
    x: float,
    y: float,
    symbol: str,
    color: str,
    size: float,
    outline: tuple[str, float] | None = None,
) -> str:
    """Filled or hollow (``-open``: a demo value) circle, a star for the target, any other
    shape of ``svg_parts.marker``; outlined in its colour unless ``outline`` says other."""
    fill = "white" if symbol.endswith("-open") else color
    if outline is None:
        outline = (color, 0 if symbol.startswith("star") else 1.5)
    return svg_parts.marker(x, y, symbol, fill, size, outline)


def _xs(values: Sequence) -> list[float | None]:
    """Dates as fractional years (the axis is in years), anything else as its position."""
    moments = pd.to_datetime(pd.Series(list(values)), errors="coerce", format="mixed")
    if moments.notna().any() or all(v is None for v in values):  # a legend-only trace
        return [None if pd.isna(m) else _year_of(m) for m in moments]
    return [float(index) for index in range(len(values))]


def _ys(values: Sequence) -> list[float | None]:
    return [None if v is None or pd.isna(v) else float(v) for v in values]


def _year_of(moment: pd.Timestamp) -> float:
    start = pd.Timestamp(year=moment.year, month=1, day=1)
    days = 366 if moment.is_leap_year else 365
    return moment.year + (moment - start).total_seconds() / (days * 86400)


def _years(lo: float, hi: float) -> list[float]:
    """Mid-year ticks (yearly values are drawn in the middle of their year), at most 8."""
    years = list(range(math.floor(lo), math.floor(hi) + 1))
    step = max(1, math.ceil(len(years) / 8))
    return [y + 0.5 for y in years[::step] if lo - 0.25 <= y + 0.5 <= hi + 0.25]


def _year_label(at: float) -> str:
    return str(math.floor(at))
