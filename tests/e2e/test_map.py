"""The district map: 12 shapes drawn by MapLibre, and nothing fetched from outside."""

from __future__ import annotations

import io

import pytest
from PIL import Image
from playwright.sync_api import Page

from tests.e2e.conftest import AppServer, BrowserLog
from tests.e2e.helpers import PLOT, assert_no_error, open_page, traces, wait_for_charts

pytestmark = pytest.mark.e2e

MAP_READY_JS = """gd => {
  const sub = gd._fullLayout && gd._fullLayout.map && gd._fullLayout.map._subplot;
  const map = sub && sub.map;
  return !!map && map.loaded() && map.isStyleLoaded() && map.areTilesLoaded() && !map.isMoving();
}"""


def local(url: str, base: str) -> bool:
    return url.startswith((base + "/", "data:", "blob:")) or url == base


def test_choropleth_draws_twelve_districts_without_external_requests(
    page: Page, app_server: AppServer, browser_log: BrowserLog
):
    open_page(page, app_server.base_url, "/indikator?indikator=glasfaser_haushalte")
    wait_for_charts(page, 3)  # time series, map, ranking
    assert_no_error(page)

    maps = [p for p in page.locator(PLOT).all() if traces(page, p)[0]["type"] == "choroplethmap"]
    assert len(maps) == 1, "expected exactly one choropleth map on the indicator page"
    graph = maps[0]
    trace = traces(page, graph)[0]
    assert len(trace["locations"]) == 12, trace["locations"]
    assert len(set(trace["locations"])) == 12
    assert graph.evaluate("gd => gd.data[0].locations.length") == 12
    features = graph.evaluate("gd => gd._fullData[0].geojson.features.length")
    assert features == 12

    # MapLibre draws into a WebGL canvas: wait until it is idle, then look at the pixels.
    page.wait_for_function(MAP_READY_JS, arg=graph.element_handle(), timeout=30_000)
    canvas = graph.locator("canvas.maplibregl-canvas")
    assert canvas.count() == 1, "no MapLibre canvas in the map chart"
    box = canvas.bounding_box()
    assert box and box["width"] > 200 and box["height"] > 200, box
    image = Image.open(io.BytesIO(canvas.screenshot())).convert("RGB")
    colours = image.getcolors(maxcolors=1 << 20) or []
    non_white = sum(n for n, rgb in colours if min(rgb) < 235)
    assert len(colours) > 12, f"map canvas looks blank: {len(colours)} distinct colours"
    assert non_white > 0.1 * image.width * image.height, (
        f"only {non_white} of {image.width * image.height} map pixels are coloured"
    )

    offenders = sorted({u for u in browser_log.requests if not local(u, app_server.base_url)})
    assert not offenders, "requests leaving the server:\n" + "\n".join(offenders)
