"""Horizontal bar charts as static SVG (views.bars_svg) say what the interactive chart
says: one bar per area in rank order, its length in proportion to its value, hollow where
the value is demo data, the value at its end the German way, each bar's tooltip the
chart's hover, title, source, Stand and badge; Dortmund bold among its peers. Built from
the fixture database's page data and, for many districts, from the real chart code."""

from __future__ import annotations

import itertools
import xml.etree.ElementTree as ET

import pandas as pd
import pytest

from dortmund_kpi import formatting, texts
from dortmund_kpi.db.store import Store
from dortmund_kpi.settings import Settings
from dortmund_kpi.views import alt_text, bars_svg, chart_frame, charts, comparison, indicator
from dortmund_kpi.views.common import Direct, View

SVG = "{http://www.w3.org/2000/svg}"
YEARS = (2018, 2026)


@pytest.fixture(scope="module")
def ranking(fixture_db: Settings) -> indicator.DistrictCharts:
    with Store(fixture_db.db_path).connect_read() as con:
        view = View("indikator", YEARS, indicator="wlan_hotspots")
        found = indicator.build(Direct(con), view).districts
    assert found is not None and len(found.values) >= 5, "precondition: district values"
    return found


def _bars(svg: ET.Element) -> list[ET.Element]:
    return [r for r in svg.iter(f"{SVG}rect") if r.get("class") == "bar"]


def _texts(svg: ET.Element) -> list[str]:
    return [t.text or "" for t in svg.iter(f"{SVG}text")]


def test_bars_in_rank_order_lengths_in_proportion(ranking) -> None:
    svg = ET.fromstring(ranking.ranking_svg)
    bars = _bars(svg)
    trace = ranking.ranking.data[0]
    assert len(bars) == len(trace.y) == len(ranking.values)
    tops = [float(b.get("y")) for b in bars]
    assert tops == sorted(tops)  # the first (best) district on top, as the chart's axis
    widths = [float(b.get("width")) for b in bars]
    for width, value in zip(widths, trace.x, strict=True):
        assert width / widths[0] == pytest.approx(float(value) / float(trace.x[0]), abs=0.01)


def test_tooltip_value_origin_and_labels(ranking) -> None:
    svg = ET.fromstring(ranking.ranking_svg)
    trace = ranking.ranking.data[0]
    unit = str(ranking.ranking.layout.title.text).rsplit("(", 1)[-1].rstrip(")")
    decimals = bars_svg.svg_parts.decimals(ranking.ranking.layout.xaxis.tickformat)
    shown = _texts(svg)
    for bar, name, value, kind in zip(_bars(svg), trace.y, trace.x, trace.customdata, strict=True):
        number = formatting.number(float(value), decimals)
        assert bar.find(f"{SVG}title").text == f"{name}: {number} {unit}\n{kind}"
        assert (bar.get("fill") == "white") == (kind == texts.DEMO)  # demo bars hollow
        assert name in shown and number in shown
    assert any(t.startswith(f"{texts.SOURCE}:") for t in shown)
    assert texts.DEMO_BADGE in shown
    assert svg.get("aria-label") == alt_text.describe(ranking.ranking)


def test_many_districts_names_stay_apart() -> None:
    """62 districts in 520 px: every few names, 14 px apart at least; each bar keeps its
    name in its tooltip; no values written (a row has no room)."""
    frame = pd.DataFrame(
        {
            "area_name": [f"Statistischer Bezirk {n:03d}" for n in range(62)],
            "value": [float(n) for n in range(62)],
            "is_official": [True] * 62,
        }
    )
    meta = chart_frame.ChartMeta(title="Rangfolge", unit="Anträge", source="Test", stand="heute")
    fig = charts.ranking(frame, "value", meta, higher_is_better=True)
    svg = ET.fromstring(bars_svg.figure_svg(fig, "alt"))
    assert len(_bars(svg)) == 62
    names = [t for t in svg.iter(f"{SVG}text") if t.get("text-anchor") == "end"]
    ys = [float(t.get("y")) for t in names]
    assert 3 <= len(names) < 62 and min(b - a for a, b in itertools.pairwise(ys)) >= 14
    assert "Statistischer Bezirk 061" in _texts(svg)  # the best, on top
    assert "61" not in _texts(svg)  # the best value is not written at its bar's end


def test_dortmund_bold_among_its_peers(fixture_db: Settings) -> None:
    with Store(fixture_db.db_path).connect_read() as con:
        page = comparison.build(Direct(con), View("vergleich", YEARS))
    assert page.bar_figure is not None, "precondition: peer values in the fixture"
    wide, narrow = (ET.fromstring(s) for s in _svgs(page.bar_svg))
    for svg in (wide, narrow):
        bold = [t.text for t in svg.iter(f"{SVG}text") if t.get("font-weight") == "bold"]
        assert "Dortmund" in bold
        trace = page.bar_figure.data[0]
        bars = _bars(svg)
        assert len(bars) == len(trace.y)
        tops = [float(b.get("y")) for b in bars]
        assert tops == sorted(tops, reverse=True)  # plotly's order: the first at the bottom
    assert wide.get("viewBox").split()[2] == str(bars_svg.WIDE_WIDTH)
    assert narrow.get("viewBox").split()[2] == str(bars_svg.WIDTH)


def _svgs(markup: str) -> list[str]:
    return [f"<svg{part.split('</svg>')[0]}</svg>" for part in markup.split("<svg")[1:]]
