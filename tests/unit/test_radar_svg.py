"""The trend radar drawn as static SVG (``views.radar_svg``) from the page's plotly figure,
built from the fixture database with two reviews of test trends: every trend a point in
the shape of its movement with its number and the chart's hover as tooltip, the rings and
sectors named (on a phone the sectors lettered, a key names them), the text alternative
counts what is drawn."""

from __future__ import annotations

import xml.etree.ElementTree as ET

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
    assert label.startswith(f"{texts.TRENDS_TITLE}: {texts.TRENDS_RADAR}. ")
    assert f"{sum(len(t.r) for t in points)} Trends in 4 Ringen" in label
    assert all(f"{len(t.r)} {t.name}" in label for t in points)


def test_projector_drawing_has_larger_text(page) -> None:
    drawn = ET.fromstring(radar_svg.projector(page.figure, "alt"))
    assert drawn.get("viewBox").split()[2] == str(radar_svg.PROJECTOR_WIDTH)
    assert radar_svg.PROJECTOR_WIDTH < radar_svg.WIDE_WIDTH  # same text, fewer px: larger
