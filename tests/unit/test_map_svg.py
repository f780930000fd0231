"""Choropleth maps as static SVG (views.map_svg) say what the interactive map says: every
located area in the colour of its value on the map's scale, its tooltip the map's hover,
north up, the colour bar with the unit and German numbers, title, source, Stand, the
schematic note and the badge; Dortmund outlined among its neighbours. Built from the
fixture database's page data."""

from __future__ import annotations

import xml.etree.ElementTree as ET

import plotly.colors
import pytest
from shapely.geometry import Point, Polygon

from dortmund_kpi import formatting, texts
from dortmund_kpi.db.store import Store
from dortmund_kpi.settings import Settings
from dortmund_kpi.views import alt_text, comparison, indicator, map_svg, svg_parts
from dortmund_kpi.views.common import Direct, View

SVG = "{http://www.w3.org/2000/svg}"
YEARS = (2018, 2026)


@pytest.fixture(scope="module")
def districts(fixture_db: Settings) -> indicator.DistrictCharts:
    with Store(fixture_db.db_path).connect_read() as con:
        found = indicator.build(Direct(con), View("indikator", YEARS, indicator="wlan_hotspots"))
    assert found.districts is not None
    return found.districts


def _areas(svg: ET.Element) -> list[ET.Element]:
    return [p for p in svg.iter(f"{SVG}path") if p.get("class") == "area"]


def _rgb(colour: str) -> tuple[int, ...]:
    return tuple(int(c) for c in colour[4:-1].split(","))


def test_every_district_coloured_by_its_value_with_the_hover_as_tooltip(districts) -> None:
    svg = ET.fromstring(districts.map_svg)
    trace = districts.map.data[0]
    areas = _areas(svg)
    assert len(areas) == len(trace.locations) == 12
    lo, hi = min(trace.z), max(trace.z)
    scale = plotly.colors.get_colorscale("Viridis")
    for area, z in zip(areas, trace.z, strict=True):
        want = plotly.colors.sample_colorscale(scale, [(z - lo) / (hi - lo)])[0]
        assert _rgb(area.get("fill")) == _rgb(want)
    for index, area in enumerate(areas):
        assert area.find(f"{SVG}title").text == svg_parts.hover(trace, index)
    tip = areas[0].find(f"{SVG}title").text
    name, value = trace.text[0], formatting.number(float(trace.z[0]), 0)
    assert tip.startswith(f"{name}: {value}") and tip.endswith(trace.customdata[0])


def test_north_is_up(districts) -> None:
    """The district whose outline reaches furthest north is drawn highest."""
    svg = ET.fromstring(districts.map_svg)
    trace = districts.map.data[0]
    features = {f["properties"]["slug"]: f for f in trace.geojson["features"]}
    north = {
        slug: max(p[1] for ring in features[slug]["geometry"]["coordinates"] for p in ring)
        for slug in trace.locations
    }
    tops = {
        slug: min(float(pt.split(",")[1]) for pt in _points(area.get("d")))
        for slug, area in zip(trace.locations, _areas(svg), strict=True)
    }
    assert max(north, key=north.get) == min(tops, key=tops.get)


def _points(d: str) -> list[str]:
    return [p for p in d.replace("M", "L").replace("Z", "").split("L") if p]


def test_colour_bar_title_footer_and_badge(districts) -> None:
    svg = ET.fromstring(districts.map_svg)
    shown = [t.text or "" for t in svg.iter(f"{SVG}text")]
    trace = districts.map.data[0]
    assert trace.colorbar.title.text in shown  # the unit above the colour bar
    ticks = svg_parts.nice_ticks(min(trace.z), max(trace.z))
    inside = [t for t in ticks if min(trace.z) <= t <= max(trace.z)]
    assert inside and all(formatting.number(t, 0) in shown for t in inside)  # numbers
    footer = " ".join(shown)
    assert f"{texts.SOURCE}:" in footer and f"{texts.STAND}:" in footer
    assert "schematisch" in footer  # the fixture has no official district boundaries
    assert texts.DEMO_BADGE in shown
    assert svg.get("aria-label") == alt_text.describe(districts.map)


def test_dortmund_outlined_among_its_neighbours(fixture_db: Settings) -> None:
    with Store(fixture_db.db_path).connect_read() as con:
        page = comparison.build(Direct(con), View("vergleich", YEARS, peer_group="stadtregion"))
    assert page.map_figure is not None, "precondition: peer values of the city region"
    svg = ET.fromstring(page.map_svg)
    areas = _areas(svg)
    outline = [a for a in areas if a.get("fill") == "none"]
    assert len(outline) == 1 and outline[0].find(f"{SVG}title") is None  # hover skipped
    assert outline[0].get("stroke") == page.map_figure.data[1].marker.line.color
    assert areas[-1] is outline[0]  # drawn last: on top of the others
    assert len(areas) - 1 == len(page.map_figure.data[0].locations)


def _names(svg: ET.Element) -> list[ET.Element]:
    return [t for t in svg.iter(f"{SVG}text") if t.get("class") == "area-name"]


def _named(svg: ET.Element) -> dict[str, tuple[float, float, str, float]]:
    """Each written name (its lines joined) -> its first line's x, y, colour and size."""
    named: dict[str, tuple[float, float, str, float]] = {}
    lines: list[ET.Element] = []
    for line in [*_names(svg), None]:
        if lines and (line is None or line.get("x") != lines[-1].get("x")):
            first = lines[0]
            at = (float(first.get("x")), float(first.get("y")))
            named["".join(t.text for t in lines)] = (
                *at,
                first.get("fill"),
                float(first.get("font-size")),
            )
            lines = []
        if line is not None:
            lines.append(line)
    return named


def _contrast(text: str, fill: str, opacity: float) -> float:
    """WCAG 2's contrast ratio of ``text`` (white or #1a1a1a) on ``fill`` drawn at
    ``opacity`` over the white page."""

    def luminance(rgb: tuple[float, ...]) -> float:
        c = [v / 255 for v in rgb]
        c = [v / 12.92 if v <= 0.04045 else ((v + 0.055) / 1.055) ** 2.4 for v in c]
        return 0.2126 * c[0] + 0.7152 * c[1] + 0.0722 * c[2]

    drawn = tuple(v * opacity + 255 * (1 - opacity) for v in _rgb(fill))
    lighter, darker = sorted(
        (luminance(drawn), luminance((255,) * 3 if text == "white" else (26,) * 3)),
        reverse=True,
    )
    return (lighter + 0.05) / (darker + 0.05)


def test_each_district_is_named_inside_its_own_area_readably(districts) -> None:
    """Without a pointer (a phone, a projector) the map says which district is which: its
    name inside its own area, white on a dark fill and dark on a light one, whichever
    contrasts more with the fill as drawn (its opacity over the page)."""
    svg = ET.fromstring(districts.map_svg)
    trace = districts.map.data[0]
    named = _named(svg)
    assert sorted(named) == sorted(trace.text)
    lines = [t.text for t in _names(svg)]
    assert "Innenstadt-" in lines and "West" in lines  # a long compound in two lines
    for area, name in zip(_areas(svg), trace.text, strict=True):
        x, y, colour, _ = named[name]
        outline = Polygon([tuple(map(float, p.split(","))) for p in _points(area.get("d"))])
        assert outline.contains(Point(x, y)), name
        other = "#1a1a1a" if colour == "white" else "white"
        fill, opacity = area.get("fill"), float(area.get("fill-opacity", 1))
        assert _contrast(colour, fill, opacity) >= _contrast(other, fill, opacity), name
    assert all(t.get("pointer-events") == "none" for t in _names(svg))  # tooltips stay


def test_names_keep_their_size_to_the_map_in_presentation_mode(districts) -> None:
    alt = alt_text.describe(districts.map)
    wide = _named(ET.fromstring(districts.map_svg))
    narrow = map_svg.figure_svg(districts.map, alt, width=340)
    assert {size for *_, size in _named(ET.fromstring(narrow)).values()} == {7}
    assert {size for *_, size in wide.values()} == {10}


def test_the_municipalities_around_dortmund_are_not_named(fixture_db: Settings) -> None:
    """33 names would cover the region's map; its areas are named by their tooltips."""
    with Store(fixture_db.db_path).connect_read() as con:
        page = comparison.build(Direct(con), View("vergleich", YEARS, peer_group="stadtregion"))
    assert page.map_figure is not None and _areas(ET.fromstring(page.map_svg))
    assert _names(ET.fromstring(page.map_svg)) == []
