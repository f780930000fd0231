"""A choropleth map (the districts on the indicator page, the municipalities around
Dortmund on the comparison page) as static SVG, drawn from its finished plotly figure.

As plotly maps (MapLibre, WebGL) they cost the pages' load in the browser about 125 ms each
(docs/performance.md); as SVG the browser lays the map out once and the interactive map
opens on demand. Read from the figure: title, every located area in its colour on the
figure's colour scale (outline, opacity; a transparent trace is an outline on top, like
Dortmund's among its neighbours), the colour bar with its unit, the footer with source,
Stand, notes and the "Demodaten" badge; each area's tooltip is the map's hover text. The
areas are projected as the map shows them at a city's scale (longitude shortened by the
cosine of the latitude) and fitted into the drawing. No Streamlit here.
"""

from __future__ import annotations

import math
from collections.abc import Callable, Iterator

import plotly.colors
import plotly.graph_objects as go
import shapely

from dortmund_kpi.views import chart_frame, svg_parts
from dortmund_kpi.views.charts import AREA_NAMES

WIDTH = 480  # a column on a laptop (text about 12 px there, 9 px on a phone)
_BAR = 76  # room at the right for the colour bar and its numbers
_STEPS = 48  # bands the colour bar is drawn in
_UNIT_CHARS = 11  # characters of 11 px text in the colour bar's column (its unit's lines)
_UNIT_CHAR_PX, _UNIT_LINE = 5.8, 13  # a character's width and a line's height there
_TOLERANCE = 0.5  # px: a border drawn this close to the official one looks the same
NAME_PX = 10  # an area's name (12 names fit the districts at the page's width)
# How far apart the westernmost and easternmost district names are at that width (px,
# measured on the districts' geometry): a picture writes names in proportion to it.
NAME_SPAN = 257
Ring = list[tuple[float, float]]
Names = dict[str, tuple[float, float]]
Project = Callable[[float, float], tuple[float, float]]


def figure_svg(fig: go.Figure, alt: str, width: int = WIDTH) -> str:
    """The map as an SVG element (``role="img"``, ``alt`` its accessible name), with the
    areas' names where the figure says (``area_names``)."""
    height = int(fig.layout.height or 520)
    parts, y = svg_parts.header(fig, width)
    footer, top = svg_parts.footer(fig, width, height)
    traces = [t for t in fig.data if t.type == "choroplethmap" and t.locations is not None]
    areas = [(t, i, rings) for t in traces for i, rings in _located(t)]
    scaled = next((t for t in traces if t.showscale is not False and _values(t)), None)
    right = width - (_BAR if scaled is not None else 0)
    if areas:
        project = _fit(
            [p for _, _, rings in areas for r in rings for p in r], (right, y + 8, top - 8)
        )
        parts.append('<g class="areas">')
        parts += [_area(trace, index, rings, project) for trace, index, rings in areas]
        parts.append("</g>")
        names = area_names(fig)
        if names and scaled is not None:
            parts += _names(scaled, names, project, round(NAME_PX * width / WIDTH))
    if scaled is not None:
        _colour_bar(parts, scaled, (right + 14, y + 30, top - 30))
    return svg_parts.element(parts + footer, alt, width, height, css_class="dkpi-map")


def _located(trace: go.Choroplethmap) -> Iterator[tuple[int, list[Ring]]]:
    """(index of the location, its polygon rings) for every location the geojson has."""
    keys = str(trace.featureidkey or "id").split(".")
    features = {}
    for feature in (trace.geojson or {}).get("features", []):
        value = feature
        for key in keys:
            value = value.get(key, {}) if isinstance(value, dict) else {}
        features[str(value)] = feature
    for index, location in enumerate(trace.locations):
        feature = features.get(str(location))
        if feature is not None:
            yield index, _rings(feature.get("geometry") or {})


def _rings(geometry: dict) -> list[Ring]:
    polygons = geometry.get("coordinates") or []
    if geometry.get("type") == "Polygon":
        polygons = [polygons]
    elif geometry.get("type") != "MultiPolygon":
        return []
    return [[(float(p[0]), float(p[1])) for p in ring] for polygon in polygons for ring in polygon]


def _fit(points: list[tuple[float, float]], box: tuple[float, float, float]) -> Project:
    """Longitude and latitude to the drawing: the areas' extent fitted into the box
    (right edge, top, bottom; from the left edge), centred, north up."""
    right, top, bottom = box
    lons, lats = [p[0] for p in points], [p[1] for p in points]
    west, north = min(lons), max(lats)
    shrink = math.cos(math.radians((min(lats) + north) / 2))
    span_x = (max(lons) - west) * shrink or 1e-9
    span_y = (north - min(lats)) or 1e-9
    scale = min((right - 8) / span_x, (bottom - top) / span_y)
    left = (right - span_x * scale) / 2
    top += ((bottom - top) - span_y * scale) / 2

    def project(lon: float, lat: float) -> tuple[float, float]:
        return left + (lon - west) * shrink * scale, top + (north - lat) * scale

    return project


def _area(trace: go.Choroplethmap, index: int, rings: list[Ring], project: Project) -> str:
    """One area: its rings as one path (simplified to what the drawing can show), filled
    with its colour, outlined, its tooltip the map's hover."""
    d = "".join(_ring_path([project(lon, lat) for lon, lat in ring]) for ring in rings)
    fill, opacity = _fill(trace, index), trace.marker.opacity
    line = trace.marker.line
    stroke = f' stroke="{line.color}" stroke-width="{line.width}"' if line.width else ""
    faded = f' fill-opacity="{opacity}"' if opacity is not None and fill != "none" else ""
    tip = svg_parts.hover(trace, index) if trace.hoverinfo != "skip" else ""
    title = svg_parts.tooltip(tip)
    return (
        f'<path class="area" d="{d}" fill="{fill}"{faded}{stroke} '
        f'stroke-linejoin="round" fill-rule="evenodd">{title}</path>'
    )


def area_names(fig: go.Figure) -> Names:
    """Where a map's areas are named (location -> longitude, latitude; ``charts.AREA_NAMES``
    of its ``layout.meta``): none for a map without."""
    meta = fig.layout.meta
    found = meta.get(AREA_NAMES) if isinstance(meta, dict) else None
    return {str(k): (float(v[0]), float(v[1])) for k, v in (found or {}).items()}


def name_lines(name: str) -> list[str]:
    """An area's name as a map writes it: a long compound in two lines ("Innenstadt-" /
    "West"), so that it stays inside its area."""
    head, dash, tail = name.partition("-")
    return [head + dash, tail] if dash and len(name) > 12 else [name]


def name_colours(trace: go.Choroplethmap, index: int) -> tuple[str, str]:
    """Text and halo colour of an area's name: white on a dark fill, dark on a light one,
    whichever contrasts more (WCAG 2) with the fill as drawn (its opacity over white); the
    halo of the other keeps a name readable where the two are close, and over borders."""
    fill = _fill(trace, index)
    if not fill.startswith("rgb"):
        return "#1a1a1a", "white"  # the grey of an area without a value
    opacity = 1.0 if trace.marker.opacity is None else float(trace.marker.opacity)
    drawn = [c * opacity + 255 * (1 - opacity) for c in plotly.colors.unlabel_rgb(fill)]
    return ("white", "#1a1a1a") if _dark(drawn) else ("#1a1a1a", "white")


def _names(trace: go.Choroplethmap, names: Names, project: Project, size: int) -> list[str]:
    """Each area's name (the trace's text) at its point in ``names``, centred, in lines
    (``name_lines``) and colours (``name_colours``). ``size`` grows with the drawing (so
    do the areas; a narrower drawing shown larger, as in presentation mode, keeps the
    names inside them). The names let the pointer through: the area keeps its tooltip."""
    parts = []
    for index, location in enumerate(trace.locations):
        at, name = names.get(str(location)), svg_parts.each(trace.text, index)
        if at is None or not name:
            continue
        x, y = project(*at)
        lines = name_lines(str(name))
        colour, halo = name_colours(trace, index)
        first = y + size * 0.35 - (len(lines) - 1) * size * 0.55
        parts += [
            svg_parts.text(
                x,
                first + number * size * 1.1,
                line,
                size=size,
                fill=colour,
                stroke=halo,
                stroke_width="2",
                stroke_opacity="0.45",
                paint_order="stroke",
                text_anchor="middle",
                pointer_events="none",
                class_="area-name",
            )
            for number, line in enumerate(lines)
        ]
    return parts


def _dark(rgb: list[float]) -> bool:
    """Whether white text stands out more on the colour ``rgb`` (0–255) than dark text
    (``#1a1a1a``), by WCAG 2's contrast ratio."""
    channels = [v / 255 for v in rgb]
    linear = [c / 12.92 if c <= 0.04045 else ((c + 0.055) / 1.055) ** 2.4 for c in channels]
    luminance = 0.2126 * linear[0] + 0.7152 * linear[1] + 0.0722 * linear[2]
    return 1.05 / (luminance + 0.05) > (luminance + 0.05) / 0.06


def _ring_path(points: list[tuple[float, float]]) -> str:
    """A ring in drawing coordinates as ``M…L…Z``: no point off the official border by more
    than ``_TOLERANCE`` px (Douglas-Peucker), so the city region's 33 municipalities are
    36 KB of SVG instead of 111 KB (the browser parses every byte of it)."""
    if len(points) > 3:
        closed = shapely.LineString([*points, points[0]]).simplify(_TOLERANCE)
        points = list(closed.coords)[:-1]
    drawn: list[str] = []
    for x, y in points:
        point = f"{x:.1f},{y:.1f}"
        if not drawn or drawn[-1] != point:
            drawn.append(point)
    return "M" + "L".join(drawn) + "Z"


def _values(trace: go.Choroplethmap) -> list[float]:
    return [float(z) for z in (trace.z if trace.z is not None else []) if z is not None]


def _range(trace: go.Choroplethmap) -> tuple[float, float]:
    values = _values(trace)
    lo = float(trace.zmin) if trace.zmin is not None else min(values)
    hi = float(trace.zmax) if trace.zmax is not None else max(values)
    return lo, hi


def _colour(trace: go.Choroplethmap, share: float) -> str:
    scale = (
        plotly.colors.get_colorscale(trace.colorscale)
        if isinstance(trace.colorscale, str)
        else [list(step) for step in trace.colorscale]
    )
    if trace.reversescale:
        scale = [[1 - pos, colour] for pos, colour in reversed(scale)]
    return str(plotly.colors.sample_colorscale(scale, [min(max(share, 0.0), 1.0)])[0])


def _fill(trace: go.Choroplethmap, index: int) -> str:
    z = svg_parts.each(trace.z, index)
    if z is None:
        return "#e5e5e5"
    lo, hi = _range(trace)
    colour = _colour(trace, (float(z) - lo) / ((hi - lo) or 1.0))
    return "none" if colour.replace(" ", "").endswith(",0)") else colour


def _colour_bar(parts: list[str], trace: go.Choroplethmap, box: tuple[float, float, float]) -> None:
    """The colour scale from the highest value (top) to the lowest, its unit above it and
    round numbers beside it, as the map's colour bar."""
    x, top, bottom = box
    lo, hi = _range(trace)
    # The unit in lines that fit the column ("Schüler je Gerät" ran out of the picture),
    # above the bar; a longer word moves left, over the margin.
    unit = chart_frame.title_lines(svg_parts.plain(trace.colorbar.title.text), _UNIT_CHARS)
    for index, line in enumerate(unit):
        left = min(x, x + _BAR - 16 - _UNIT_CHAR_PX * len(line))
        parts.append(svg_parts.text(left, top - 10 + _UNIT_LINE * index, line, size=11))
    top += _UNIT_LINE * max(len(unit) - 1, 0)
    step = (bottom - top) / _STEPS
    for band in range(_STEPS):
        colour = _colour(trace, 1 - (band + 0.5) / _STEPS)
        parts.append(
            f'<rect x="{x:.1f}" y="{top + band * step:.1f}" width="14" '
            f'height="{step + 0.5:.1f}" fill="{colour}"/>'
        )
    ticks = [t for t in svg_parts.nice_ticks(lo, hi) if lo <= t <= hi and hi > lo]
    labels = svg_parts.tick_labels(ticks, trace.colorbar.tickformat)
    for tick, label in zip(ticks, labels, strict=True):
        at = bottom - (tick - lo) / (hi - lo) * (bottom - top)
        parts.append(svg_parts.text(x + 18, at + 4, label, size=11))
