"""A page's figure fitted to a picture of its own size (``views.picture``): a map zoomed
to fill the picture, the footer in lines as wide as the picture; on the real page data."""

from __future__ import annotations

import re

import plotly.graph_objects as go
import pytest

from dortmund_kpi import texts
from dortmund_kpi.db.store import Store
from dortmund_kpi.settings import Settings
from dortmund_kpi.views import chart_frame, indicator, map_svg, picture, svg_parts
from dortmund_kpi.views.chart_frame import ChartMeta
from dortmund_kpi.views.common import Direct, View


@pytest.fixture(scope="module")
def district_map(fixture_db: Settings):
    with Store(fixture_db.db_path).connect_read() as con:
        view = View("indikator", (2018, 2026), indicator="wlan_hotspots")
        return indicator.build(Direct(con), view).districts.map


def _footer(fig) -> tuple[str, list]:
    notes = fig.layout.annotations
    footer = next(a for a in notes if a.text.startswith(f"{texts.SOURCE}:"))
    return footer.text, [a.yshift for a in notes if a.yref == "paper" and a.y == 0]


def test_a_map_in_a_wide_picture_is_zoomed_to_fill_it(district_map) -> None:
    before = district_map.layout.map.zoom
    fitted = picture.fitted(district_map, 1352, 652)  # the PNG export's drawing area
    assert fitted is not district_map and district_map.layout.map.zoom == before  # a copy
    assert fitted.layout.map.zoom > before + 0.2  # at least 15 % larger
    small = picture.fitted(district_map, 400, 300)
    assert small.layout.map.zoom < before  # and smaller in a smaller picture


def test_the_footer_runs_as_wide_as_the_picture(district_map) -> None:
    text, shifts = _footer(district_map)
    assert text.count("<br>") >= 2  # wrapped for the page's narrow map column
    fitted = picture.fitted(district_map, 1352, 652)
    wide, moved = _footer(fitted)
    assert "<br>" not in wide and wide == text.replace("<br>", " ")  # every word kept
    bottom = fitted.layout.margin.b
    assert bottom < district_map.layout.margin.b
    # The footer and the "Demodaten" badge still hang just below the plot.
    assert len(moved) == len(shifts) and set(moved) == {-bottom + 4}


def test_the_title_runs_as_wide_as_the_picture(district_map) -> None:
    """Wrapped for a phone on the page, a title takes one line in a wide picture; the
    plot moves up by the lines saved, and the title's place is the picture's."""
    lines = district_map.layout.title.text.split("<br>")
    assert len(lines) >= 2  # precondition: wrapped on the page
    fitted = picture.fitted(district_map, 1352, 652)
    assert fitted.layout.title.text == " ".join(lines)  # every word, one line
    assert fitted.layout.margin.t == district_map.layout.margin.t - 20 * (len(lines) - 1)
    assert fitted.layout.title.y == 0.98  # a single line hangs from the top
    assert district_map.layout.title.text == "<br>".join(lines)  # the page's stays


def test_a_footer_is_never_broken_at_a_hyphen() -> None:
    """The footer's lines joined by a space give its text back (a line ending in
    "Open-" gave "Open- Data-Portal" in an exported picture)."""
    source = "x" * 116 + " Open-Data-Portal"  # "Open-" would just fit the first line
    footer = ChartMeta("Titel", "%", source, "01.12.2026").footer(width=130)
    assert "Open-Data-Portal" in footer.replace("<br>", " ")


def test_a_drawn_footer_is_never_broken_at_a_hyphen_either() -> None:
    """The static drawing's footer (``svg_parts.footer``, on the page) wraps as the
    figure's does: between words only, badge kept clear of it."""
    # A line of 111 characters (720 px less the badge's 74, at 5.8 px a character), and
    # "Open-" would just fit the first one
    source = "x" * 92 + " Open-Data-Portal"
    meta = ChartMeta("Titel", "%", source, "01.12.2026", demo=True)
    fig = chart_frame.style(go.Figure(go.Scatter(x=[1, 2], y=[1, 2])), meta, height=320)
    parts, _ = svg_parts.footer(fig, 720, 300)
    words = [re.sub(r"<[^>]+>", "", p) for p in parts if 'fill="#555"' in p]
    assert len(words) >= 2 and "Open-Data-Portal" in " ".join(words)
    assert any(texts.DEMO_BADGE in p for p in parts)  # the badge found by its name


def test_a_pictures_map_names_each_district_where_the_map_draws_it(district_map) -> None:
    """A PNG, SVG or slide of the map names its districts as the page does (plotly's own
    map hides names that collide): an annotation per district over the map's box, north
    up and west left, in the picture's proportions; the page's figure stays as it was."""
    names = map_svg.area_names(district_map)
    trace = district_map.data[0]
    assert len(names) == len(trace.locations) == 12  # precondition: the page's names
    fitted = picture.fitted(district_map, 1352, 652)
    share = fitted.layout.map.domain.x[1]
    assert 0.8 < share < 1 and fitted.layout.margin.autoexpand is False
    assert fitted.data[0].colorbar.x == 1  # beside the map, inside the known plot area
    written = {
        a.text.replace("<br>", ""): (a.x, a.y)
        for a in fitted.layout.annotations
        if a.xref == "paper" and a.showarrow is False and a.y > 0
    }
    assert set(trace.text) <= set(written)
    for name in trace.text:
        x, y = written[name]
        assert 0 < x < share and 0 < y < 1, name
    west = min(names, key=lambda slug: names[slug][0])
    north = max(names, key=lambda slug: names[slug][1])
    by_slug = dict(zip(trace.locations, trace.text, strict=True))
    assert min(written[n][0] for n in trace.text) == written[by_slug[west]][0]
    assert max(written[n][1] for n in trace.text) == written[by_slug[north]][1]
    assert not [a for a in district_map.layout.annotations if a.text in trace.text]
    small = picture.fitted(district_map, 400, 300)  # smaller map, smaller names
    sizes = {
        a.font.size for a in small.layout.annotations if a.text.replace("<br>", "") in trace.text
    }
    big = {
        a.font.size for a in fitted.layout.annotations if a.text.replace("<br>", "") in trace.text
    }
    assert max(sizes) < min(big)
