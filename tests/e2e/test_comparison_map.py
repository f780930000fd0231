"""The regional map of the comparison page: 33 municipalities drawn by MapLibre from the
local boundaries, and nothing fetched from outside."""

from __future__ import annotations

import io

import pytest
from PIL import Image
from playwright.sync_api import Page

from tests.e2e.conftest import AppServer, BrowserLog
from tests.e2e.helpers import PLOT, assert_no_error, open_page, traces, wait_for_charts
from tests.e2e.test_map import MAP_READY_JS, local

pytestmark = pytest.mark.e2e


def test_regional_map_draws_the_municipalities_without_external_requests(
    page: Page, app_server: AppServer, browser_log: BrowserLog
):
    open_page(
        page, app_server.base_url, "/vergleich?vergleich=stadtregion&indikator=gigabit_haushalte"
    )
    wait_for_charts(page, 3)  # bar ranking, rank over time, map
    assert_no_error(page)

    maps = [p for p in page.locator(PLOT).all() if traces(page, p)[0]["type"] == "choroplethmap"]
    assert len(maps) == 1, "expected exactly one choropleth map on the comparison page"
    graph = maps[0]
    assert graph.evaluate("gd => gd.data[0].locations.length") == 33
    assert graph.evaluate("gd => gd._fullData[0].geojson.features.length") == 33

    page.wait_for_function(MAP_READY_JS, arg=graph.element_handle(), timeout=30_000)
    canvas = graph.locator("canvas.maplibregl-canvas")
    assert canvas.count() == 1, "no MapLibre canvas in the map chart"
    image = Image.open(io.BytesIO(canvas.screenshot())).convert("RGB")
    colours = image.getcolors(maxcolors=1 << 20) or []
    non_white = sum(n for n, rgb in colours if min(rgb) < 235)
    assert len(colours) > 33, f"map canvas looks blank: {len(colours)} distinct colours"
    assert non_white > 0.1 * image.width * image.height, "the map is hardly coloured"

    offenders = sorted({u for u in browser_log.requests if not local(u, app_server.base_url)})
    assert not offenders, "requests leaving the server:\n" + "\n".join(offenders)
