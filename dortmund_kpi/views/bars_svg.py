"""A horizontal bar chart (the districts' ranking, the comparison with other cities) as
static SVG, drawn from its finished plotly figure.

As plotly charts the indicator page's ranking cost its load in the browser about 175 ms at
62 districts (docs/performance.md); as SVG the browser lays it out once and the
interactive chart opens on demand. Read from the figure: title, legend (the demo entry),
one bar per area in its own colour (hollow: demo values), the value at its end, bold
names, the value axis, the footer with source, Stand and the "Demodaten" badge; each bar's
tooltip is the chart's hover text. No Streamlit here.
"""

from __future__ import annotations

import math
from collections.abc import Callable, Sequence

import plotly.graph_objects as go

from dortmund_kpi import formatting
from dortmund_kpi.views import small_svg, svg_parts

WIDTH = 440  # a column or a card on a laptop
WIDE_WIDTH = 960  # the page's width on a laptop
PROJECTOR_WIDTH = 760  # a page-wide chart in presentation mode: text 1.3 times as large
_RIGHT = 12
_CHAR = 5.9  # px per character of 12 px text
Scale = Callable[[float], float]


def figure_svg(fig: go.Figure, alt: str, width: int = WIDTH) -> str:
    """The chart as an SVG element (``role="img"``, ``alt`` its accessible name)."""
    height = int(fig.layout.height or 320)
    parts, y = svg_parts.header(fig, width)
    legend = [t for t in fig.data if t.type == "scatter" and t.showlegend and t.name]
    y = small_svg.legend(parts, legend, y + 2, width)
    footer, top = svg_parts.footer(fig, width, height)
    bars = next((t for t in fig.data if t.type == "bar" and t.x is not None and len(t.x)), None)
    if bars is not None:
        _plot(parts, fig, bars, (y + 8, top - 24), width)
    return svg_parts.element(parts + footer, alt, width, height, css_class="dkpi-bars")


def markup(fig: go.Figure, alt: str, width: int = WIDE_WIDTH) -> str:
    """A page-wide chart: drawn ``width`` wide, on a phone ``WIDTH`` wide (CSS
    ``.dkpi-responsive`` in ``ui.frame``), so its text stays readable there."""
    return svg_parts.responsive(figure_svg(fig, alt, width), figure_svg(fig, alt, WIDTH))


def _plot(
    parts: list[str], fig: go.Figure, bars: go.Bar, rows: tuple[float, float], width: int
) -> None:
    """Names, value axis and bars in the box between ``rows`` (top, bottom)."""
    top, bottom = rows
    values = [float(v) for v in bars.x]
    names = [str(n) for n in bars.y]
    number_format = fig.layout.xaxis.tickformat or bars.texttemplate
    decimals = svg_parts.decimals(number_format)
    lo, hi = _domain(values, fig.layout.xaxis.range)
    left = min(16 + _CHAR * max(len(svg_parts.plain(n)) for n in names), width * 0.45)

    def px(value: float) -> float:
        return left + (value - lo) / ((hi - lo) or 1.0) * (width - left - _RIGHT)

    step = (bottom - top) / len(names)
    # Row 0 at the top where the axis is reversed (plotly draws the first category at the
    # bottom otherwise).
    reverse = fig.layout.yaxis.autorange == "reversed"

    def py(row: int) -> float:
        return top + (row if reverse else len(names) - 1 - row) * step + step / 2

    _axis(parts, (lo, hi), number_format, px, (top, bottom))
    every = max(1, math.ceil(14 / step))  # names 14 px apart at least (62 districts)
    for row, name in enumerate(names):
        _bar(
            parts, bars, row, (px(min(0.0, values[row])), px(max(0.0, values[row]))), py(row), step
        )
        if row % every == 0:
            parts.append(_name(name, left - 6, py(row) + 4))
        if step >= 12:  # the value at the bar's end, where a row has room for it
            label = _value_text(bars, row, values[row], decimals)
            parts.append(svg_parts.text(px(values[row]) + 4, py(row) + 4, label, size=11))


def _domain(values: Sequence[float], given: Sequence[float] | None) -> tuple[float, float]:
    """The figure's value range, or from zero to beyond the longest bar (room for the
    value written at its end)."""
    if given is not None and len(given) == 2:
        return float(given[0]), float(given[1])
    lo, hi = min(0.0, *values), max(0.0, *values)
    return lo - (hi - lo) * 0.15 * (lo < 0), hi + (hi - lo) * 0.18


def _axis(
    parts: list[str], domain: tuple[float, float], number_format: str | None, px: Scale, rows: tuple
) -> None:
    ticks = [t for t in svg_parts.nice_ticks(*domain) if domain[0] <= t <= domain[1]]
    for tick, label in zip(ticks, svg_parts.tick_labels(ticks, number_format), strict=True):
        parts.append(svg_parts.path([(px(tick), rows[0]), (px(tick), rows[1])], "#e5e5e5", 1))
        parts.append(svg_parts.text(px(tick), rows[1] + 16, label, size=11, text_anchor="middle"))


def _bar(
    parts: list[str], bars: go.Bar, row: int, ends: tuple[float, float], mid: float, step: float
) -> None:
    """One bar (80 % of its row, as plotly draws it), its tooltip the chart's hover."""
    fill = str(svg_parts.each(bars.marker.color, row) or "#444")
    line = bars.marker.line
    thickness = step * 0.8
    box = (ends[0], mid - thickness / 2, max(ends[1] - ends[0], 0.5), thickness)
    outline = (svg_parts.each(line.color, row), line.width or 0)
    parts.append(svg_parts.rect(box, fill, outline, svg_parts.hover(bars, row), css="bar"))


def _name(name: str, x: float, y: float) -> str:
    """An area's name at the left of its row (bold where the figure has ``<b>``)."""
    bold = {"font_weight": "bold"} if "<b>" in name else {}
    return svg_parts.text(x, y, svg_parts.plain(name), text_anchor="end", **bold)


def _value_text(bars: go.Bar, row: int, value: float, decimals: int) -> str:
    text = svg_parts.each(bars.text, row)
    if bars.texttemplate or text is None:  # the value, formatted the German way
        return formatting.number(value, decimals)
    return str(text)
