"""Chart titles as drawn in Chromium on a phone (390×844): a long title wraps, every line
of it lies inside the chart's box (plotly once cut it off: "(Schüler je Gerät") and the
legend starts below it; in the static drawing the page shows, and in its interactive form.
Their value axes write round numbers without trailing zeros; a map's long unit stays inside."""

from __future__ import annotations

import re

import pytest
from playwright.sync_api import Browser

from tests.e2e.conftest import AppServer, new_context
from tests.e2e.helpers import open_chart, open_page

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

# Texts of a static SVG chart that reach beyond its box (left or right).
OUTSIDE_JS = """svg => { const box = svg.getBoundingClientRect();
  return [...svg.querySelectorAll('text')].map((t) => [t.textContent, t.getBoundingClientRect()])
    .filter(([, r]) => r.width && (r.left < box.left - 0.5 || r.right > box.right + 0.5))
    .map(([text]) => text); }"""


def test_indicator_chart_title_inside_the_chart_on_a_phone(
    browser: Browser, app_server: AppServer
) -> None:
    context = new_context(browser, (390, 844))
    try:
        page = context.new_page()
        open_page(page, app_server.base_url, "/indikator?indikator=schueler_je_geraet")
        # Drawn with the page: the phone's drawing, every text inside the picture.
        drawing = page.locator(".st-key-svg_series svg:visible")
        texts_out = drawing.evaluate(OUTSIDE_JS)
        assert "Schülerinnen und Schüler je" in (drawing.text_content() or "")
        assert texts_out == [], texts_out
        # The map's colour bar: its unit in lines inside the picture (it ran out of it).
        drawn_map = page.locator(".st-key-svg_map svg:visible")
        assert "Schüler je" in (drawn_map.text_content() or "")
        assert drawn_map.evaluate(OUTSIDE_JS) == []
        # Its interactive form, opened on demand.
        open_chart(page, "series")
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
        # Its value axis (one decimal): round numbers as "2", not "2,0", in both forms.
        for axis in (".st-key-svg_series svg:visible text", ".ytick text"):
            numbers = [t.strip() for t in page.locator(axis).all_text_contents()]
            numbers = [t for t in numbers if re.fullmatch(r"[\d.]+(,\d+)?", t)]
            assert len(numbers) >= 2 and not [t for t in numbers if re.search(r",\d*0$", t)], (
                axis,
                numbers,
            )
    finally:
        context.close()
