"""The masterplan's static small multiples (views.small_svg) say what the interactive chart
says: title with unit, legend, source and Stand, the "Demodaten" badge exactly where the
values include demo values, demo points hollow, the target path, and the chart's text
alternative as the SVG's accessible name. Built from the fixture database's page data."""

from __future__ import annotations

import xml.etree.ElementTree as ET

import pytest

from dortmund_kpi import formatting, texts
from dortmund_kpi.db.store import Store
from dortmund_kpi.settings import Settings
from dortmund_kpi.views import alt_text, charts, masterplan
from dortmund_kpi.views.common import Direct, View

NS = {"svg": "http://www.w3.org/2000/svg"}
YEARS = (2018, 2026)


@pytest.fixture(scope="module")
def plan_charts(fixture_db: Settings) -> list[masterplan.Chart]:
    """Every chart of every masterplan, with a district chosen (two lines per chart)."""
    with Store(fixture_db.db_path).connect_read() as con:
        query = Direct(con)
        out = []
        for plan in ("verwaltung", "wirtschaft", "bildung"):
            view = View("masterplan", YEARS, districts=("hoerde",), masterplan=plan)
            out += [c for c in masterplan.build(query, view).charts if c.figure is not None]
    assert len(out) > 20, "precondition: the fixture has charts in every masterplan"
    return out


def _texts(svg: ET.Element) -> list[str]:
    return [t.text or "" for t in svg.iter(f"{{{NS['svg']}}}text")]


def test_svg_names_title_unit_source_stand_and_demo(plan_charts) -> None:
    for chart in plan_charts:
        ind, frame = chart.indicator, chart.frame
        svg = ET.fromstring(chart.svg)  # well-formed: catalog texts are escaped
        lines = _texts(svg)
        shown = " ".join(lines)
        assert f"({ind['unit']})" in shown, (ind["id"], lines)
        assert any(line.startswith(f"{texts.SOURCE}: ") for line in lines), ind["id"]
        stand = formatting.day(frame["valid_from"].max())
        assert f"{texts.STAND}: {stand}" in shown, (ind["id"], shown)
        has_demo = not frame["is_official"].all()
        assert (texts.DEMO_BADGE in lines) == has_demo, (ind["id"], lines)
        for trace in chart.figure.data:
            if trace.showlegend is not False and trace.name:
                assert trace.name in lines, (ind["id"], trace.name)


def test_demo_points_hollow_official_points_filled(plan_charts) -> None:
    for chart in plan_charts:
        frame, svg = chart.frame, ET.fromstring(chart.svg)
        circles = list(svg.iter(f"{{{NS['svg']}}}circle"))  # the legend's samples
        hollow = sum(c.get("fill") == "white" for c in circles) + _dots(svg, "demo")
        mixed = frame["is_official"].nunique() > 1  # then the legend shows a hollow sample
        assert hollow == (~frame["is_official"]).sum() + mixed, chart.indicator["id"]
        filled = sum(c.get("fill") != "white" for c in circles) + _dots(svg, "official")
        assert filled >= frame["is_official"].sum(), chart.indicator["id"]


def _dots(svg: ET.Element, kind: str) -> int:
    """The points of a series drawn as dots (one zero-length stroke each, "h0"); a hollow
    dot's white inner stroke repeats the coloured one's points and is not counted."""
    return sum(
        p.get("d", "").count("h0")
        for p in svg.iter(f"{{{NS['svg']}}}path")
        if p.get("class") == f"dots {kind}" and p.get("stroke") != "white"
    )


def test_target_path_drawn_dashed(plan_charts) -> None:
    with_target = [
        c for c in plan_charts if any(t.name == texts.TARGET_PATH for t in c.figure.data)
    ]
    assert with_target, "precondition: some indicators have a target path"
    for chart in with_target:
        svg = ET.fromstring(chart.svg)
        dashed = [
            p
            for p in svg.iter(f"{{{NS['svg']}}}path")
            if p.get("stroke") == charts.TARGET_COLOR and p.get("stroke-dasharray")
        ]
        assert len(dashed) == 2, chart.indicator["id"]  # the path and its legend sample
        stars = list(svg.iter(f"{{{NS['svg']}}}polygon"))
        assert len(stars) == 3, chart.indicator["id"]  # start, target, legend sample


def test_accessible_name_is_the_text_alternative(plan_charts) -> None:
    for chart in plan_charts:
        svg = ET.fromstring(chart.svg)
        sentence = alt_text.describe(chart.figure)
        assert svg.get("role") == "img"
        assert svg.get("aria-label") == sentence
        assert svg.find("svg:title", NS).text == sentence


def test_footer_keeps_clear_of_the_demo_badge(plan_charts) -> None:
    """The source line ran under the badge (seen in the README screenshot): every footer
    line ends, at the drawing's estimate of 11 px text, left of the badge's box."""
    badged = 0
    for chart in plan_charts:
        svg = ET.fromstring(chart.svg)
        boxes = [r for r in svg.iter(f"{{{NS['svg']}}}rect") if r.get("fill") == "#FFF3CD"]
        if not boxes:
            continue
        badged += 1
        left = float(boxes[0].get("x"))
        footer = [t for t in svg.iter(f"{{{NS['svg']}}}text") if t.get("fill") == "#555"]
        assert footer, chart.indicator["id"]
        for line in footer:
            assert float(line.get("x")) + 5.8 * len(line.text or "") < left, line.text
    assert badged, "precondition: the fixture has demo values"
