"""The regional map of the comparison page: 33 municipalities drawn as SVG with the page
and by MapLibre from the local boundaries when opened, and nothing fetched from outside."""

from __future__ import annotations

import io

import pytest
from PIL import Image
from playwright.sync_api import Page

from tests.e2e.conftest import AppServer, BrowserLog
from tests.e2e.helpers import assert_no_error, open_chart, open_page, static_chart, traces
from tests.e2e.test_map import MAP_READY_JS, local, static_areas

pytestmark = pytest.mark.e2e


def test_regional_map_draws_the_municipalities_without_external_requests(
    page: Page, app_server: AppServer, browser_log: BrowserLog
):
    open_page(
        page, app_server.base_url, "/vergleich?vergleich=stadtregion&indikator=gigabit_haushalte"
    )
    static_chart(page, "peer_map")  # the rank over time, the bars and the map are SVG
    assert_no_error(page)

    areas = static_areas(page, "peer_map")  # the 33 municipalities, Dortmund outlined on top
    coloured = [a for a in areas if a["fill"] != "none"]
    assert len(coloured) == 33 and all(a["fill"].startswith("rgb(") for a in coloured)
    assert [a for a in areas if a["fill"] == "none"], "Dortmund's outline"

    graph = open_chart(page, "peer_map")
    assert traces(page, graph)[0]["type"] == "choroplethmap"
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
