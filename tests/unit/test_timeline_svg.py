"""The masterplan's measures timeline as static SVG (views.timeline_svg) says what the
interactive chart says: one bar per measure in its status's colour from start to deadline,
overdue measures outlined and labelled, the day line with its label, title, legend, source,
Stand and the "Demodaten" badge; each bar's tooltip is the chart's hover. Built from the
fixture database's page data (tests/fixtures/measures_fixture.csv)."""

from __future__ import annotations

import itertools
import xml.etree.ElementTree as ET
from datetime import date

import pytest

from dortmund_kpi import texts
from dortmund_kpi.db.store import Store
from dortmund_kpi.settings import Settings
from dortmund_kpi.views import alt_text, masterplan, timeline_svg
from dortmund_kpi.views import measures as measure_views
from dortmund_kpi.views.common import Direct, View
from dortmund_kpi.views.timeline import MEASURE_COLORS, OVERDUE_COLOR

SVG = "{http://www.w3.org/2000/svg}"
YEARS = (2018, 2026)


@pytest.fixture(scope="module")
def plans(fixture_db: Settings) -> dict[str, masterplan.MasterplanData]:
    with Store(fixture_db.db_path).connect_read() as con:
        return {
            plan: masterplan.build(Direct(con), View("masterplan", YEARS, masterplan=plan))
            for plan in ("verwaltung", "wirtschaft")
        }


def _svg(plan: masterplan.MasterplanData, width: int = timeline_svg.WIDTH) -> ET.Element:
    fig = plan.timeline
    return ET.fromstring(timeline_svg.figure_svg(fig, alt_text.describe(fig), width))


def _texts(svg: ET.Element, css: str | None = None) -> list[str]:
    return [
        "".join(t.itertext()) if css is None else t.text or ""
        for t in svg.iter(f"{SVG}text")
        if css is None or t.get("class") == css
    ]


def _bars(svg: ET.Element) -> list[ET.Element]:
    return [r for r in svg.iter(f"{SVG}rect") if r.get("class") == "bar"]


def test_one_bar_per_measure_in_its_status_colour_with_the_hover_as_tooltip(plans) -> None:
    plan = plans["verwaltung"]
    bars = _bars(_svg(plan))
    coloured = [b for b in bars if b.get("fill") != "none"]
    assert len(coloured) == len(plan.measures) == 2
    tips = {b.find(f"{SVG}title").text: b.get("fill") for b in coloured}
    for _, m in plan.measures.iterrows():
        when = f"{m['start_text']} – {m['deadline_text']}"
        tip = f"{m['label']}\n{when}\n{m['owner_text']} ({m['status']})"
        assert tips[tip] == MEASURE_COLORS[m["status"]], tips


def _late_only(plan: masterplan.MasterplanData, pinned: bool = False) -> ET.Element:
    """The timeline of the overdue measure alone (its bar wide enough for its label)."""
    late = plan.measures[plan.measures["overdue"]]
    fig = measure_views.timeline(late, "Maßnahmen", "Stand", date(2026, 1, 15), pinned=pinned)
    return ET.fromstring(timeline_svg.figure_svg(fig, "alt"))


def test_overdue_measures_are_outlined_and_labelled(plans) -> None:
    plan = plans["verwaltung"]
    outlined = [b for b in _bars(_svg(plan)) if b.get("fill") == "none"]
    assert len(outlined) == int(plan.measures["overdue"].sum()) == 1
    assert outlined[0].get("stroke") == OVERDUE_COLOR
    # The label needs room: the fixture's deadline in 2099 makes the overdue bar short.
    assert _texts(_svg(plan), "bar-text") == []
    svg = _late_only(plan)
    assert _texts(svg, "bar-text") == [texts.MEASURE_OVERDUE]
    assert texts.MEASURE_OVERDUE in _texts(svg)  # and in the legend


def test_bars_run_from_start_to_deadline(plans) -> None:
    """Two bars of one measure (status and overdue outline) cover the same span, and the
    longer measure's bar is the longer one, in proportion."""
    plan = plans["verwaltung"]
    bars = _bars(_svg(plan))
    spans = {}
    for bar in bars:
        label = bar.find(f"{SVG}title").text.split("\n")[0]
        x, w = float(bar.get("x")), float(bar.get("width"))
        spans.setdefault(label, set()).add((round(x, 1), round(w, 1)))
    assert all(len(found) == 1 for found in spans.values()), spans  # outline = bar
    days = {}
    for _, m in plan.measures.iterrows():
        days[m["label"]] = (m["deadline"] - m["start_date"]).days
    (a, da), (b, db) = days.items()
    (wa,), (wb,) = ({w for _, w in spans[a]}, {w for _, w in spans[b]})
    assert wa / wb == pytest.approx(da / db, rel=0.01)


def test_day_line_title_source_stand_and_demo_badge(plans) -> None:
    plan = plans["wirtschaft"]
    svg = _svg(plan)
    shown = _texts(svg)
    assert f"{texts.MEASURES_TITLE}: Masterplan {plan.plan_name}" in " ".join(shown)
    assert [p for p in svg.iter(f"{SVG}path") if p.get("class") == "day-line"]
    assert _texts(svg, "day-label") == [texts.MEASURES_TODAY]
    footer = " ".join(t for t in shown if t.startswith(f"{texts.SOURCE}:"))
    assert footer.startswith(f"{texts.SOURCE}: {texts.MEASURES_SOURCE}")
    assert f"{texts.STAND}:" in " ".join(shown)
    assert texts.DEMO_BADGE in shown  # the fixture's measures are demo measures
    assert svg.get("aria-label") == alt_text.describe(plan.timeline)


def test_a_pinned_view_labels_its_day(plans) -> None:
    (label,) = _texts(_late_only(plans["verwaltung"], pinned=True), "day-label")
    assert label == texts.MEASURES_PINNED_DAY.format(day="15.01.2026")


def test_phone_drawing_shortens_long_names_and_keeps_them_as_tooltips(plans) -> None:
    plan = plans["verwaltung"]
    svg = _svg(plan, timeline_svg.NARROW_WIDTH)
    names = [t for t in svg.iter(f"{SVG}text") if t.get("text-anchor") == "end"]
    cut = [t for t in names if (t.text or "").endswith("…")]
    assert cut, "precondition: a name too long for a phone's label column"
    for name in cut:
        whole = name.find(f"{SVG}title").text
        assert whole in set(plan.measures["label"]) and whole.startswith(name.text[:-1])


def test_year_labels_never_crowd(plans) -> None:
    """A deadline far ahead (the fixture has 2099) and a phone's narrow drawing: the year
    labels stay at least 40 px apart, in round steps."""
    for width in (timeline_svg.WIDTH, timeline_svg.NARROW_WIDTH):
        svg = _svg(plans["verwaltung"], width)
        years = [t for t in svg.iter(f"{SVG}text") if (t.text or "").isdigit()]
        assert len(years) >= 3, width
        xs = [float(t.get("x")) for t in years]
        assert min(b - a for a, b in itertools.pairwise(xs)) >= 40, (width, [t.text for t in years])
        steps = {int(b.text) - int(a.text) for a, b in itertools.pairwise(years)}
        assert len(steps) == 1 and steps <= {1, 2, 5, 10, 20, 25, 50}, steps
