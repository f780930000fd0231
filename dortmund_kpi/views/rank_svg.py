"""Dortmund's rank in its peer group over time (the comparison page) as static SVG, drawn
from its finished plotly figure (``comparison_charts.rank_history``).

As a plotly chart it cost the comparison page about a fifth of its load in the browser
(docs/performance.md, Results of 2026-12-06, evening); as SVG the browser lays it out
once and the interactive chart opens on demand. Read from the figure: title, the rank
axis (its range: rank 1 at the top; its ticks and title), one category per period, the
line with its points and their labels ("Rang 3 von 5"), the footer with source, Stand
and the "Demodaten" badge; each point's tooltip is the chart's hover text. No Streamlit
here.
"""

from __future__ import annotations

import math

import plotly.graph_objects as go

from dortmund_kpi.views import svg_parts

WIDTH = 440  # half the page on a laptop
PROJECTOR_WIDTH = 340  # presentation mode: text about 1.3 times as large
_RIGHT = 12
_CHAR = 5.9  # px per character of 11 px text
_AXIS = "#444"


def projector(fig: go.Figure, alt: str) -> str:
    """The rank history in presentation mode: text sized for a projector."""
    return figure_svg(fig, alt, PROJECTOR_WIDTH)


def figure_svg(fig: go.Figure, alt: str, width: int = WIDTH) -> str:
    """The chart as an SVG element (``role="img"``, ``alt`` its accessible name)."""
    height = int(fig.layout.height or 320)
    parts, y = svg_parts.header(fig, width)
    footer, top = svg_parts.footer(fig, width, height)
    trace = next((t for t in fig.data if t.x is not None and len(t.x)), None)
    if trace is not None and fig.layout.yaxis.range:
        _plot(parts, fig, trace, (y + 24, top - 26), width)
    return svg_parts.element(parts + footer, alt, width, height, css_class="dkpi-rank")


def _plot(
    parts: list[str], fig: go.Figure, trace: go.Scatter, rows: tuple[float, float], width: int
) -> None:
    """Rank axis, periods and the line between ``rows`` (top, bottom of the plot area)."""
    top, bottom = rows
    axis = fig.layout.yaxis
    low, high = (float(v) for v in axis.range)  # e.g. [5.5, 0.5]: rank 1 at the top
    values = axis.tickvals if axis.tickvals is not None else range(math.ceil(high), int(low) + 1)
    ticks = [int(v) for v in values]
    left = 30 + _CHAR * max(len(str(t)) for t in ticks)

    def py(rank: float) -> float:
        return top + (rank - high) / ((low - high) or 1.0) * (bottom - top)

    middle = (top + bottom) / 2
    title = svg_parts.plain(axis.title.text)
    parts.append(
        svg_parts.text(
            12,
            middle,
            title,
            size=11,
            text_anchor="middle",
            transform=f"rotate(-90 12 {middle:.1f})",
        )
    )
    for tick in ticks:
        parts.append(svg_parts.path([(left, py(tick)), (width - _RIGHT, py(tick))], "#e5e5e5", 1))
        parts.append(svg_parts.text(left - 6, py(tick) + 4, str(tick), size=11, text_anchor="end"))
    parts.append(svg_parts.path([(left, bottom), (width - _RIGHT, bottom)], _AXIS, 1))

    labels = [str(x) for x in trace.x]
    step = (width - left - _RIGHT) / len(labels)
    xs = [left + step * (i + 0.5) for i in range(len(labels))]
    _periods(parts, labels, xs, step, bottom)
    points = [(x, py(float(r))) for x, r in zip(xs, trace.y, strict=True)]
    _line(parts, trace, points, step)


def _periods(
    parts: list[str], labels: list[str], xs: list[float], step: float, bottom: float
) -> None:
    """Period labels under the axis; where they would run into each other every n-th,
    counted back from the latest (the one people look for)."""
    every = max(1, math.ceil((8 + _CHAR * max(len(s) for s in labels)) / step))
    for index, (label, x) in enumerate(zip(labels, xs, strict=True)):
        parts.append(svg_parts.path([(x, bottom), (x, bottom + 4)], _AXIS, 1))
        if (len(labels) - 1 - index) % every == 0:
            parts.append(svg_parts.text(x, bottom + 16, label, size=11, text_anchor="middle"))


def _line(
    parts: list[str], trace: go.Scatter, points: list[tuple[float, float]], step: float
) -> None:
    """The line, its points with their labels above (the rank alone where the full label
    is wider than a period's place; the tooltip says it all) and the tooltips."""
    color = str(trace.line.color or trace.marker.color or _AXIS)
    if len(points) > 1:
        parts.append(svg_parts.path(points, color, trace.line.width or 2))
    radius = (trace.marker.size or 10) / 2
    texts = [] if trace.text is None else [str(t) for t in trace.text]
    for index, (x, y) in enumerate(points):
        parts.append(svg_parts.marker(x, y, "circle", color, 2 * radius, (color, 0)))
        label = str(texts[index]) if index < len(texts) else ""
        if _CHAR * len(label) > step - 4:
            label = str(trace.y[index])
        if label:
            parts.append(svg_parts.text(x, y - radius - 5, label, size=11, text_anchor="middle"))
    tips = [
        svg_parts.tip_circle(x, y, 8, svg_parts.hover(trace, i)) for i, (x, y) in enumerate(points)
    ]
    parts.append(f'<g class="tips">{"".join(tips)}</g>')
