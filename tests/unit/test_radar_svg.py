"""The trend radar drawn as static SVG (``views.radar_svg``) from the page's plotly figure,
built from the fixture database with two reviews of test trends: every trend a point in
the shape of its movement with its number and the chart's hover as tooltip, the rings and
sectors named (on a phone the sectors lettered, a key names them), the text alternative
counts what is drawn."""

from __future__ import annotations

import math
import re
import xml.etree.ElementTree as ET

import plotly.graph_objects as go
import pytest

from dortmund_kpi import texts
from dortmund_kpi.db.store import Store
from dortmund_kpi.settings import Settings
from dortmund_kpi.views import radar_svg, trends
from dortmund_kpi.views.common import Direct, View

NS = "{http://www.w3.org/2000/svg}"
SHAPES = {
    "circle": "circle",
    "star": "polygon",
    "triangle-up": "polygon",
    "triangle-down": "polygon",
}


@pytest.fixture(scope="module")
def page(trends_db: Settings) -> trends.TrendsData:
    with Store(trends_db.db_path).connect_read() as con:
        found = trends.build(Direct(con), View("trends", (2018, 2026)))
    assert found.figure is not None and found.svg, "precondition: a radar"
    return found


def _drawings(markup: str) -> list[ET.Element]:
    return list(ET.fromstring(markup).iter(f"{NS}svg"))  # well-formed: texts are escaped


def _texts(svg: ET.Element) -> list[str]:
    return [t.text or "" for t in svg.iter(f"{NS}text")]


def test_every_trend_is_drawn_in_its_shape_with_number_and_hover(page) -> None:
    wide, narrow = _drawings(page.svg)
    points = [t for t in page.figure.data if t.type == "scatterpolar"]
    for svg in (wide, narrow):
        drawn = [g for g in svg.iter(f"{NS}g") if g.get("class") == "trend"]
        assert len(drawn) == sum(len(t.r) for t in points) > 0
        tips = [g.find(f"{NS}title").text for g in drawn]
        shapes = [g[0].tag.removeprefix(NS) for g in drawn]
        expected_tips, expected_shapes = [], []
        for trace in points:
            for index, number in enumerate(trace.text):
                label, ring, field = trace.customdata[index]
                expected_tips.append(f"{number}. {label}\n{ring} · {field}")
                expected_shapes.append(SHAPES[trace.marker.symbol])
        assert tips == expected_tips and shapes == expected_shapes
        numbers = {str(n) for t in points for n in t.text}
        assert numbers <= set(_texts(svg))


def test_rings_and_sectors_are_named_on_a_desk_and_keyed_on_a_phone(page) -> None:
    wide, narrow = _drawings(page.svg)
    polar = page.figure.layout.polar
    rings = [str(r) for r in polar.radialaxis.ticktext]
    sectors = [str(s).removeprefix("<b>").removesuffix("</b>") for s in polar.angularaxis.ticktext]
    assert rings == ["Einführen", "Erproben", "Bewerten", "Beobachten"]
    assert set(rings + sectors) <= set(_texts(wide))
    assert set(rings) <= set(_texts(narrow))
    letters = [chr(ord("A") + i) for i in range(len(sectors))]
    assert set(letters) <= set(_texts(narrow))
    key = " ".join(t for t in _texts(narrow) if "\u00a0" in t)
    assert all(f"{a}\u00a0{s}" in key for a, s in zip(letters, sectors, strict=True)), key
    for svg in (wide, narrow):
        shown = " ".join(_texts(svg))
        assert texts.TRENDS_MOVEMENT["neu"] in shown and "Stand:" in shown


def test_the_text_alternative_counts_trends_rings_and_movements(page) -> None:
    wide, _ = _drawings(page.svg)
    label = wide.get("aria-label")
    points = [t for t in page.figure.data if t.type == "scatterpolar"]
    trends_shown = {str(n) for t in points for n in t.text}
    assert label.startswith(f"{texts.TRENDS_TITLE}: {texts.TRENDS_RADAR}. ")
    assert f"{len(trends_shown)} Trends in 4 Ringen" in label
    assert all(f"{len(t.r)} {t.name}" in label for t in points)
    assert "6 Sektoren (KI, " in label


def test_a_trend_in_two_masterplans_is_one_trend_and_two_points(trends_db: Settings) -> None:
    with Store(trends_db.db_path).connect_read() as con:
        by_plan = trends.build(Direct(con), View("trends", (2018, 2026), sectors="masterplan"))
    points = [t for t in by_plan.figure.data if t.type == "scatterpolar"]
    numbers = [str(n) for t in points for n in t.text]
    assert len(numbers) > len(set(numbers)), "precondition: a trend drawn in two sectors"
    label = _drawings(by_plan.svg)[0].get("aria-label")
    assert f"{len(set(numbers))} Trends in 4 Ringen" in label


def _centre_and_radius(svg: ET.Element) -> tuple[float, float, float]:
    """From the outermost band's outline: the circle's centre and radius."""
    bands = [p for p in svg.iter(f"{NS}path") if " A" in (p.get("d") or "")]
    arcs = [re.findall(r"A([\d.]+),", p.get("d"))[0] for p in bands]
    outer = max(float(a) for a in arcs)
    first = next(p.get("d") for p in bands if f"A{outer:.1f}," in p.get("d"))
    x0, y0 = (float(v) for v in re.match(r"M([\d.]+),([\d.]+)", first).groups())
    return x0, y0 + outer, outer  # the first wedge starts at 0°: at the top of the circle


def test_points_sit_at_their_angle_clockwise_from_the_top_and_their_ring(page) -> None:
    polar = page.figure.layout.polar
    outer = float(polar.radialaxis.range[1])
    for svg in _drawings(page.svg):
        cx, cy, radius = _centre_and_radius(svg)
        drawn = [g for g in svg.iter(f"{NS}g") if g.get("class") == "trend"]
        placed = [
            (float(r), float(t))
            for tr in page.figure.data
            if tr.type == "scatterpolar"
            for r, t in zip(tr.r, tr.theta, strict=True)
        ]
        for group, (r, theta) in zip(drawn, placed, strict=True):
            x, y = _centre_of(group[0])
            angle = math.radians(theta)
            assert x == pytest.approx(cx + r / outer * radius * math.sin(angle), abs=1.0)
            assert y == pytest.approx(cy - r / outer * radius * math.cos(angle), abs=1.0)


def _centre_of(shape: ET.Element) -> tuple[float, float]:
    if shape.tag == f"{NS}circle":
        return float(shape.get("cx")), float(shape.get("cy"))
    xs, ys = zip(*(map(float, p.split(",")) for p in shape.get("points").split()), strict=True)
    return sum(xs) / len(xs), sum(ys) / len(ys)  # a regular shape's corners: its centre


def test_long_sector_names_are_lettered_instead_of_shrinking_the_circle(page) -> None:
    fig = go.Figure(page.figure)
    long_names = [f"<b>{'Sehr langer Sektorname ' * 3}{i}</b>" for i in range(6)]
    fig.update_layout(polar={"angularaxis": {"ticktext": long_names}})
    for width in (radar_svg.WIDE_WIDTH, radar_svg.PROJECTOR_WIDTH, radar_svg.NARROW_WIDTH):
        svg = ET.fromstring(radar_svg.figure_svg(fig, "alt", width))
        _, _, radius = _centre_and_radius(svg)
        assert radius >= radar_svg.MIN_RADIUS
        assert {t.text for t in svg.iter(f"{NS}text") if t.get("class") == "sector"} == set(
            "ABCDEF"
        )


def test_one_sector_is_a_whole_ring(page) -> None:
    fig = go.Figure(page.figure)
    for trace in fig.data:
        if trace.type == "barpolar":
            trace.update(r=[1], base=[trace.base[0]], theta=[180.0], width=[360.0])
    fig.update_layout(polar={"angularaxis": {"tickvals": [180.0], "ticktext": ["<b>Alle</b>"]}})
    svg = ET.fromstring(radar_svg.figure_svg(fig, "alt"))
    bands = [p for p in svg.iter(f"{NS}path") if " A" in (p.get("d") or "")]
    assert len(bands) == 2 * 4  # each ring as two halves: an arc cannot end where it starts
