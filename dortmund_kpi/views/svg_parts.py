"""What the static SVG charts share (``views.small_svg``, ``timeline_svg``, ``bars_svg``,
``map_svg``, ``rank_svg``, ``radar_svg``): title, footer (source, Stand, the "Demodaten"
badge), bars, markers, tooltips from the hover template and the ``<svg>`` element, read
from the finished plotly figure, so a drawing never says other than the chart it stands
for. No Streamlit here.
"""

from __future__ import annotations

import html
import math
import re
from collections.abc import Sequence

import plotly.graph_objects as go

from dortmund_kpi import formatting
from dortmund_kpi.views import chart_frame

FONT = chart_frame.FONT
LINE = 14  # footer line height (11 px text)
_TAGS = re.compile(r"<[^>]+>")
_PLACEHOLDER = re.compile(r"%\{(\w+)(?:\[(\d+)\])?(?::([^}]*))?\}")
_EXTRA = re.compile(r"<extra>.*?</extra>")


def plain(text: str | None) -> str:
    return " ".join(_TAGS.sub(" ", str(text or "")).split())


def lines(text: str | None) -> list[str]:
    return [p for p in (plain(part) for part in str(text or "").split("<br>")) if p]


def text(x: float, y: float, content: str, size: int = 12, **attrs: str) -> str:
    # class_ for "class"; text_anchor for "text-anchor"
    extra = "".join(f' {k.rstrip("_").replace("_", "-")}="{v}"' for k, v in attrs.items())
    at = f'x="{x:.1f}" y="{y:.1f}" font-size="{size}"'
    return f"<text {at}{extra}>{html.escape(content)}</text>"


def path(points: Sequence[tuple[float, float]], color: str, width: float, dash: str = "") -> str:
    d = "M" + " L".join(f"{x:.1f},{y:.1f}" for x, y in points)
    dashed = f' stroke-dasharray="{dash}"' if dash else ""
    return f'<path d="{d}" fill="none" stroke="{color}" stroke-width="{width}"{dashed}/>'


def tooltip(tip: str) -> str:
    """``tip`` as an element's tooltip (its ``<title>`` child); nothing for no text."""
    return f"<title>{html.escape(tip)}</title>" if tip else ""


def tip_circle(x: float, y: float, radius: float, tip: str) -> str:
    """A transparent circle over a drawn point whose tooltip is ``tip`` (the hover)."""
    at = f'cx="{x:.1f}" cy="{y:.1f}" r="{radius:g}"'
    return f'<circle {at} fill="transparent">{tooltip(tip)}</circle>'


def marker(
    x: float, y: float, kind: str, fill: str, size: float, outline: tuple[str, float]
) -> str:
    """plotly's marker ``kind`` centred at x, y: circle, star, triangle-up or -down;
    ``outline`` is (colour, width); a width of 0 leaves the stroke's width at SVG's 1."""
    width = f' stroke-width="{outline[1]:g}"' if outline[1] else ""
    paint = f'fill="{fill}" stroke="{outline[0]}"{width}'
    r = size / 2
    if kind.startswith("star"):
        corners = [(r if i % 2 == 0 else r / 2.5, i * math.pi / 5) for i in range(10)]
    elif kind.startswith("triangle"):
        turn = math.pi if kind.startswith("triangle-down") else 0.0
        corners = [(r, turn + i * 2 * math.pi / 3) for i in range(3)]
    else:
        return f'<circle cx="{x:.1f}" cy="{y:.1f}" r="{r:.1f}" {paint}/>'
    points = " ".join(f"{x + d * math.sin(a):.1f},{y - d * math.cos(a):.1f}" for d, a in corners)
    return f'<polygon points="{points}" {paint}/>'


def rect(
    box: tuple[float, float, float, float],
    fill: str,
    outline: tuple[object, float] = ("", 0),
    tip: str = "",
    css: str = "",
) -> str:
    """A rectangle (x, y, width, height) in ``fill``, outlined where ``outline`` (colour,
    width) has a width, with ``tip`` as its tooltip."""
    x, y, width, height = box
    extra = f' class="{css}"' if css else ""
    stroke = f' stroke="{outline[0]}" stroke-width="{outline[1]}"' if outline[1] else ""
    return (
        f'<rect{extra} x="{x:.1f}" y="{y:.1f}" width="{width:.1f}" height="{height:.1f}" '
        f'fill="{fill}"{stroke}>{tooltip(tip)}</rect>'
    )


def header(fig: go.Figure, width: int) -> tuple[list[str], float]:
    """The title, wrapped again for ``width`` (px per character of 15 px bold text); the
    parts and the baseline below the last line."""
    parts, y = [], 18.0
    for line in chart_frame.title_lines(" ".join(lines(fig.layout.title.text)), int(width / 8.2)):
        parts.append(text(0, y, line, size=15, font_weight="bold"))
        y += 19
    return parts, y


def footer(fig: go.Figure, width: int, height: int) -> tuple[list[str], float]:
    """Source and Stand (the figure's footer notes) at the bottom, the badges at the right
    of their first line; the parts and the top of the footer."""
    note, badges = chart_frame.footer_note(fig), chart_frame.badges(fig)
    # The footer keeps clear of the badge at its right (it sits on the first line).
    free = width - max((_badge_width(plain(b.text)) + 8 for b in badges), default=0)
    joined = " ".join(lines(note.text if note is not None else ""))
    wrapped = [
        line for line in chart_frame.footer_lines(joined, int(free / 5.8)).split("<br>") if line
    ]
    parts = [
        text(0, height - 8 - LINE * (len(wrapped) - 1 - index), line, size=11, fill="#555")
        for index, line in enumerate(wrapped)
    ]
    for badge in badges:
        _badge(parts, plain(badge.text), height - 8 - LINE * (len(wrapped) - 1), width)
    return parts, height - 8 - LINE * len(wrapped)


def element(parts: list[str], alt: str, width: int, height: int, css_class: str = "") -> str:
    """The ``<svg>`` (``role="img"``, ``alt`` its accessible name), as wide as its box."""
    label = html.escape(alt, quote=True)
    extra = f' class="{css_class}"' if css_class else ""
    return (
        f'<svg xmlns="http://www.w3.org/2000/svg"{extra} role="img" aria-label="{label}" '
        f'viewBox="0 0 {width} {height}" width="100%" style="height:auto" '
        f'font-family="{FONT}" font-size="12" fill="#333">'
        f"<title>{label}</title>{''.join(parts)}</svg>"
    )


def responsive(wide: str, narrow: str) -> str:
    """Two drawings of one chart: the wide one on a desk, the narrow one (shorter labels,
    larger text) on a phone; CSS ``.dkpi-responsive`` in ``ui.frame`` shows one."""
    return (
        f'<div class="dkpi-responsive"><div class="dkpi-wide">{wide}</div>'
        f'<div class="dkpi-narrow">{narrow}</div></div>'
    )


def nice_ticks(lo: float, hi: float, count: int = 5) -> list[float]:
    if hi <= lo:
        hi = lo + 1
    raw = (hi - lo) / count
    magnitude = 10 ** math.floor(math.log10(raw))
    step = next(m * magnitude for m in (1, 2, 2.5, 5, 10) if m * magnitude >= raw)
    first = math.floor(lo / step) * step
    return [first + i * step for i in range(math.ceil((hi - first) / step) + 1)]


def decimals(number_format: str | None) -> int:
    """The decimals of a d3 number format (",.1f", ",.2~f", "%{x:,.1f}"): 1, 2, 1."""
    found = re.search(r"\.(\d+)~?f", number_format or "")
    return int(found.group(1)) if found else 0


def tick_labels(ticks: Sequence[float], tickformat: str | None) -> list[str]:
    """Axis labels as plotly writes them for ``tickformat``, German: "~" drops the
    trailing zeros of round values (``charts.axis_format``)."""
    places = decimals(tickformat)
    labels = [formatting.number(tick, places) for tick in ticks]
    if "~" not in (tickformat or "") or not places:
        return labels
    return [label.rstrip("0").rstrip(",") for label in labels]


def each(value: object, row: int) -> object:
    """A per-bar attribute: the row's entry of a list, or the one value for all."""
    if isinstance(value, str) or value is None or not hasattr(value, "__len__"):
        return value
    return value[row]  # type: ignore[index]


def hover(trace: go.Bar | go.Choroplethmap | go.Scatter, row: int) -> str:
    """The hover template filled in for one bar or area (``%{y}``, ``%{z:,.1f}``, ...):
    what the interactive chart shows on hover, as the drawing's tooltip."""
    template = _EXTRA.sub("", trace.hovertemplate or "")
    names = ("x", "y", "z", "text", "customdata", "locations")
    fields = {name: each(getattr(trace, name, None), row) for name in names}

    def fill(match: re.Match) -> str:
        value = fields.get(match.group(1))
        if match.group(2) is not None:  # customdata[1]: a field of the point's record
            part = int(match.group(2))
            nested = not isinstance(value, str) and hasattr(value, "__len__")
            value = value[part] if nested and part < len(value) else None  # type: ignore[index]
        if match.group(3) and isinstance(value, int | float):
            return formatting.number(float(value), decimals(match.group(3)))
        return "" if value is None else str(value)

    filled = _PLACEHOLDER.sub(fill, template)
    return "\n".join(plain(line) for line in filled.split("<br>"))


def _badge_width(content: str) -> float:
    return 8 + 6.4 * len(content)


def _badge(parts: list[str], content: str, baseline: float, total: int) -> None:
    width = _badge_width(content)
    x = total - width - 1  # the frame inside the drawing
    parts.append(
        f'<rect x="{x:.1f}" y="{baseline - 12:.1f}" width="{width:.1f}" height="16" '
        f'fill="#FFF3CD" stroke="#B58B00"/>'
    )
    parts.append(text(x + 4, baseline, content, size=11, fill="#5C4400"))
