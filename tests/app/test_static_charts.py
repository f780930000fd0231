"""Charts drawn as static SVG with the page (``ui.widgets.svg_chart``): the indicator
page's series, map and ranking, the comparison page's bars, rank and map, the district
page's chart and the trend radar.
The page sends the SVG, not the plotly chart; opening "Interaktives Diagramm und Export"
sends the same figure a page with every chart open shows, and its PNG and SVG."""

from __future__ import annotations

from collections import Counter

import pytest

from dortmund_kpi import texts
from dortmund_kpi.settings import ENV_DB
from dortmund_kpi.ui import widgets
from dortmund_kpi.views import radar_svg, rank_svg, small_svg
from tests.app.conftest import assert_ok, drawings, figures, open_page

PAGES = [  # page, its link's parameters, the chart's key, the drawing's class, a part of it
    ("indikator", {"indikator": "wlan_hotspots"}, "ranking", "dkpi-bars", "bar"),
    ("indikator", {"indikator": "wlan_hotspots"}, "map", "dkpi-map", "area"),
    ("vergleich", {}, "peer_bars", "dkpi-responsive", "bar"),
    ("vergleich", {}, "peer_rank", "dkpi-rank", "tips"),
    ("trends", {}, "trend_radar", "dkpi-radar", "trend"),
    ("vergleich", {"vergleich": "stadtregion"}, "peer_map", "dkpi-map", "area"),
    ("bezirke", {"bezirk": ["hoerde"]}, "district_series", "dkpi-responsive", "tips"),
    ("indikator", {"indikator": "online_antraege"}, "series", "dkpi-responsive", "tips"),
]


def _exports(at) -> list[str]:
    shown = [b.proto.label for b in at.get("download_button")]
    shown += [c.value for c in at.caption if c.value == texts.EXPORT_NO_BROWSER]
    return [s for s in shown if s in (texts.EXPORT_PNG, texts.EXPORT_SVG, texts.EXPORT_NO_BROWSER)]


@pytest.mark.parametrize(("page", "params", "key", "css", "part"), PAGES, ids=[p[2] for p in PAGES])
def test_the_chart_is_svg_its_plotly_form_and_exports_on_demand(
    page: str, params: dict, key: str, css: str, part: str, request: pytest.FixtureRequest
) -> None:
    if page == "trends":  # the fixture database with two reviews of test trends
        trends_db = request.getfixturevalue("trends_db")
        request.getfixturevalue("monkeypatch").setenv(ENV_DB, str(trends_db.db_path))
    every = figures(open_page(page, params))
    assert key in every, "precondition: the page draws the chart"
    closed = open_page(page, params, charts_open=False)
    assert_ok(closed)
    drawn = [d for d in drawings(closed) if widgets.STATIC_CHART in d and css in d]
    assert len(drawn) == 1 and f'class="{part}"' in drawn[0]
    assert key not in figures(closed)
    before = _exports(closed)

    closed.session_state[widgets.popover_key(key)] = True
    opened = closed.run()
    assert_ok(opened)
    assert figures(opened)[key] == every[key]
    added = Counter(_exports(opened)) - Counter(before)  # the other charts' stay as they were
    assert added in (
        Counter([texts.EXPORT_PNG, texts.EXPORT_SVG]),
        Counter([texts.EXPORT_NO_BROWSER]),
    )


PROJECTED = [  # page, parameters, what only this chart's drawing has, its kind
    ("indikator", {"indikator": "online_antraege"}, 'class="tips"', "SERIES"),
    ("bezirke", {"bezirk": ["hoerde"]}, 'class="tips"', "SERIES"),
    ("vergleich", {}, "dkpi-rank", "RANK"),
    ("trends", {}, "dkpi-radar", "RADAR"),
]


@pytest.mark.parametrize(
    ("page", "params", "mark", "kind"), PROJECTED, ids=[p[3] for p in PROJECTED]
)
def test_presentation_mode_draws_the_chart_for_the_projector(
    page: str, params: dict, mark: str, kind: str, request: pytest.FixtureRequest
) -> None:
    """In presentation mode a chart drawn as SVG is drawn once more, narrower (its text
    larger on the projector), one drawing instead of desk and phone."""
    if page == "trends":
        trends_db = request.getfixturevalue("trends_db")
        request.getfixturevalue("monkeypatch").setenv(ENV_DB, str(trends_db.db_path))
    width = {
        "SERIES": small_svg.SERIES_PROJECTOR_WIDTH,
        "RANK": rank_svg.PROJECTOR_WIDTH,
        "RADAR": radar_svg.PROJECTOR_WIDTH,
    }[kind]
    normal = open_page(page, params, charts_open=False)
    presenting = open_page(page, {**params, "praesentation": "1"}, charts_open=False)
    assert_ok(presenting)
    projected = [d for d in drawings(presenting) if widgets.STATIC_CHART in d]
    projected = [d for d in projected if mark in d]
    assert len(projected) == 1 and f'viewBox="0 0 {width} ' in projected[0]
    assert "dkpi-responsive" not in projected[0]  # one drawing, not desk and phone
    shown = [d for d in drawings(normal) if widgets.STATIC_CHART in d and mark in d]
    assert len(shown) == 1 and f'viewBox="0 0 {width} ' not in shown[0]
