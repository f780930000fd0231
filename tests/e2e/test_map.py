"""The district map: 12 shapes drawn as SVG with the page and by MapLibre when its
interactive form is opened, and nothing fetched from outside."""

from __future__ import annotations

import io

import pytest
from PIL import Image
from playwright.sync_api import Page

from tests.e2e.conftest import AppServer, BrowserLog
from tests.e2e.helpers import assert_no_error, open_chart, open_page, static_chart, traces

pytestmark = pytest.mark.e2e

MAP_READY_JS = """gd => {
  const sub = gd._fullLayout && gd._fullLayout.map && gd._fullLayout.map._subplot;
  const map = sub && sub.map;
  return !!map && map.loaded() && map.isStyleLoaded() && map.areTilesLoaded() && !map.isMoving();
}"""


def local(url: str, base: str) -> bool:
    return url.startswith((base + "/", "data:", "blob:")) or url == base


def static_areas(page: Page, key: str) -> list[dict]:
    """The areas of the static map ``key`` as drawn: fill, tooltip, size on screen."""
    return page.locator(f".st-key-svg_{key} path.area").evaluate_all(
        """paths => paths.map(p => ({fill: p.getAttribute('fill'),
            tip: (p.querySelector('title') || {}).textContent || '',
            width: p.getBoundingClientRect().width}))"""
    )


def test_choropleth_draws_twelve_districts_without_external_requests(
    page: Page, app_server: AppServer, browser_log: BrowserLog
):
    open_page(page, app_server.base_url, "/indikator?indikator=glasfaser_haushalte")
    static_chart(page, "map")
    assert_no_error(page)

    # The map drawn with the page: 12 coloured districts, each named in its tooltip.
    areas = static_areas(page, "map")
    assert len(areas) == 12
    assert all(a["fill"].startswith("rgb(") and a["width"] > 10 for a in areas), areas
    assert len({a["fill"] for a in areas}) > 1  # coloured by value, not all alike
    names = {a["tip"].split(":")[0] for a in areas}
    assert {"Hörde", "Eving", "Innenstadt-West"} <= names, names

    # The interactive map, opened on demand: MapLibre draws the same 12 districts.
    graph = open_chart(page, "map")
    trace = traces(page, graph)[0]
    assert trace["type"] == "choroplethmap"
    assert len(trace["locations"]) == 12, trace["locations"]
    assert len(set(trace["locations"])) == 12
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
