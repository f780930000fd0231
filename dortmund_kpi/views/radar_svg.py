"""The trend radar (``views.radar``) as static SVG, drawn from its finished plotly figure.

As a plotly chart the radar cost the Technologiescout about a fifth of its load in the
browser (docs/performance.md, Results of 2026-12-06, evening); as SVG the browser lays
it out once and the interactive chart opens on demand. Read from the figure: title,
legend (a point's shape per movement), the rings as grey bands with their names, the
sectors with theirs, every trend's point in its shape and colour with its number beside
it, the footer with source, Stand, the hint on the shapes and the "Demodaten" badge;
each point's tooltip is the chart's hover text. No Streamlit here.
"""

from __future__ import annotations

import html
import math
import textwrap
from collections.abc import Callable

import plotly.graph_objects as go

from dortmund_kpi.views import small_svg, svg_parts

WIDE_WIDTH = 960  # the page's width on a laptop
NARROW_WIDTH = 440  # a phone: larger text in a drawing scaled down less
PROJECTOR_WIDTH = 720  # presentation mode: text about 1.3 times as large
MIN_RADIUS = 160.0  # a smaller circle letters its sectors (a key below names them)
_CHAR = 6.6  # px per character of 12 px bold text
At = Callable[[float, float], tuple[float, float]]  # (r, theta) -> (x, y) in the drawing
# A white outline behind a ring's name: readable on the bands and the lines.
_HALO = {"paint_order": "stroke", "stroke": "white", "stroke_width": "3"}


def markup(fig: go.Figure, alt: str) -> str:
    """Desk and phone drawings of the radar (``svg_parts.responsive``)."""
    return svg_parts.responsive(
        figure_svg(fig, alt, WIDE_WIDTH), figure_svg(fig, alt, NARROW_WIDTH)
    )


def projector(fig: go.Figure, alt: str) -> str:
    """The radar in presentation mode: text sized for a projector."""
    return figure_svg(fig, alt, PROJECTOR_WIDTH)


def figure_svg(fig: go.Figure, alt: str, width: int = WIDE_WIDTH) -> str:
    """The radar as an SVG element (``role="img"``, ``alt`` its accessible name). Where
    the sectors' names beside the circle would leave it smaller than ``MIN_RADIUS`` (a
    phone, long names), the sectors are lettered and a key below the circle names them."""
    polar = fig.layout.polar
    names = [svg_parts.plain(t) for t in polar.angularaxis.ticktext or ()]
    radius = _radius(width, names)
    compact = radius < MIN_RADIUS
    labels = [chr(ord("A") + i) for i in range(len(names))] if compact else names
    if compact:
        radius = _radius(width, labels)
    parts, y = svg_parts.header(fig, width)
    y = small_svg.legend(parts, [t for t in fig.data if t.type == "scatterpolar"], y + 4, width)
    top = y + 30  # room for the sector labels above the circle
    key = _key(names, labels, width) if compact else []
    below = top + 2 * radius + 34
    height = int(below + svg_parts.LINE * len(key) - svg_parts.footer(fig, width, 0)[1] + 6)
    footer, _ = svg_parts.footer(fig, width, height)
    centre = (width / 2, top + radius)
    outer = float((polar.radialaxis.range or (0, 4))[1])
    scale = radius / outer

    def at(r: float, theta: float) -> tuple[float, float]:
        """plotly's polar coordinates here: 0° at the top, clockwise (rotation 90)."""
        angle = math.radians(theta)
        return centre[0] + r * scale * math.sin(angle), centre[1] - r * scale * math.cos(angle)

    for trace in fig.data:
        if trace.type == "barpolar":
            _bands(parts, trace, at, scale)
    _labels(parts, polar, at, outer, labels)
    for trace in fig.data:
        if trace.type == "scatterpolar":
            _points(parts, trace, at)
    for index, line in enumerate(key):
        parts.append(svg_parts.text(0, below + svg_parts.LINE * index, line, size=11))
    return svg_parts.element(parts + footer, alt, width, height, css_class="dkpi-radar")


def _radius(width: int, labels: list[str]) -> float:
    """The circle's radius with room for ``labels`` beside it (at most 280 px)."""
    side = 16 + _CHAR * max((len(s) for s in labels), default=0)
    return min((width - 2 * side) / 2, 280.0)


def _key(names: list[str], letters: list[str], width: int) -> list[str]:
    """ "A Bildungstechnik · B KI · …" wrapped to ``width``."""
    entries = [f"{letter}\u00a0{name}" for letter, name in zip(letters, names, strict=True)]
    return textwrap.wrap(" · ".join(entries), width=int(width / 5.8))


def _bands(parts: list[str], trace: go.Barpolar, at: At, scale: float) -> None:
    """One ring's band in every sector: a wedge between its inner and outer radius."""
    line = trace.marker.line
    stroke = f' stroke="{line.color}" stroke-width="{line.width}"' if line and line.width else ""
    for base, r, theta, span in zip(trace.base, trace.r, trace.theta, trace.width, strict=True):
        inner, outer = float(base), float(base) + float(r)
        start, end = float(theta) - float(span) / 2, float(theta) + float(span) / 2
        # A whole ring (one sector) as two halves: an arc cannot end where it starts.
        halves = [(start, end)] if end - start < 359 else [(start, theta), (theta, end)]
        for a, b in halves:
            d = _wedge(at, inner, outer, a, float(b), scale)
            parts.append(f'<path d="{d}" fill="{trace.marker.color}"{stroke}/>')


def _wedge(at: At, inner: float, outer: float, start: float, end: float, scale: float) -> str:
    """Path of a ring's piece: along the outer arc clockwise, back along the inner one."""
    large = 1 if end - start > 180 else 0
    (x1, y1), (x2, y2) = at(outer, start), at(outer, end)
    d = f"M{x1:.1f},{y1:.1f} A{outer * scale:.1f},{outer * scale:.1f} 0 {large} 1 {x2:.1f},{y2:.1f}"
    if inner <= 0:
        cx, cy = at(0, 0)
        return f"{d} L{cx:.1f},{cy:.1f} Z"
    (x3, y3), (x4, y4) = at(inner, end), at(inner, start)
    r = inner * scale
    return f"{d} L{x3:.1f},{y3:.1f} A{r:.1f},{r:.1f} 0 {large} 0 {x4:.1f},{y4:.1f} Z"


def _labels(
    parts: list[str], polar: go.layout.Polar, at: At, outer: float, sectors: list[str]
) -> None:
    """The rings' names on the upward axis, the sectors' names outside the circle."""
    radial = polar.radialaxis
    for value, name in zip(radial.tickvals or (), radial.ticktext or (), strict=True):
        x, y = at(float(value), 0)
        label = svg_parts.plain(name)
        parts.append(
            svg_parts.text(x, y + 4, label, size=11, text_anchor="middle", class_="ring", **_HALO)
        )
    angular = polar.angularaxis
    for theta, label in zip(angular.tickvals or (), sectors, strict=True):
        x, y = at(outer * 1.06, float(theta))
        side = math.sin(math.radians(float(theta)))
        anchor = "start" if side > 0.2 else "end" if side < -0.2 else "middle"
        drop = 4 + 8 * (1 - math.cos(math.radians(float(theta)))) / 2  # below, not into it
        parts.append(
            svg_parts.text(
                x, y + drop, label, size=12, text_anchor=anchor, font_weight="bold", class_="sector"
            )
        )


def _points(parts: list[str], trace: go.Scatterpolar, at: At) -> None:
    """The trends of one movement: shape, number to the right, the hover as tooltip."""
    marker = trace.marker
    outline = (marker.line.color or "#222", marker.line.width or 1)
    size = float(marker.size or 12)
    numbers = [] if trace.text is None else [str(n) for n in trace.text]
    shape_name = html.escape(str(marker.symbol), quote=True)
    for index, (r, theta) in enumerate(zip(trace.r, trace.theta, strict=True)):
        x, y = at(float(r), float(theta))
        shape = svg_parts.marker(x, y, str(marker.symbol), str(marker.color), size, outline)
        number = numbers[index] if index < len(numbers) else ""
        label = svg_parts.text(x + size / 2 + 3, y + 4, number, size=11) if number else ""
        tip = svg_parts.tooltip(svg_parts.hover(trace, index))
        parts.append(f'<g class="trend" data-shape="{shape_name}">{shape}{label}{tip}</g>')
