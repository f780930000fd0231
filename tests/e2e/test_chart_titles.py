"""Chart titles as drawn in Chromium on a phone (390×844): a long title wraps, every line
of it lies inside the chart's box (plotly once cut it off: "(Schüler je Gerät") and the
legend starts below it."""

from __future__ import annotations

import pytest
from playwright.sync_api import Browser

from tests.e2e.conftest import AppServer, new_context
from tests.e2e.helpers import open_page, wait_for_charts

pytestmark = pytest.mark.e2e

# Each drawn chart's box and the box of its title text (page coordinates).
TITLES_JS = """() => [...document.querySelectorAll('.js-plotly-plot')].map((gd) => {
  const box = (el) => { const r = el.getBoundingClientRect();
    return {left: r.left, right: r.right, top: r.top, bottom: r.bottom}; };
  const title = gd.querySelector('.gtitle');
  return {chart: box(gd.querySelector('.main-svg')), text: title ? title.textContent : '',
          title: title ? box(title) : null,
          legend: [...gd.querySelectorAll('.legend .traces')].map(box)};
}).filter((c) => c.title)"""


def test_indicator_chart_title_inside_the_chart_on_a_phone(
    browser: Browser, app_server: AppServer
) -> None:
    context = new_context(browser, (390, 844))
    try:
        page = context.new_page()
        open_page(page, app_server.base_url, "/indikator?indikator=schueler_je_geraet")
        wait_for_charts(page)
        charts = page.evaluate(TITLES_JS)
        assert charts, "no chart with a title drawn"
        # The series chart (its lines are tspans: their text runs together).
        assert any("Schülerinnen und Schüler je" in c["text"] for c in charts)
        for c in charts:
            chart, title = c["chart"], c["title"]
            assert chart["left"] <= title["left"] and title["right"] <= chart["right"], (
                f"title {c['text']!r} at {title} leaves the chart {chart}"
            )
            # a title wrapped to more lines keeps clear of the legend below it
            assert all(item["top"] >= title["bottom"] for item in c["legend"]), c
    finally:
        context.close()
