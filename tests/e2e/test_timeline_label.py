"""The measures timeline as drawn in Chromium at a desk and on a phone: the "heute" label of
the dotted day line is clear of the legend and of every bar (it once sat on the legend)."""

from __future__ import annotations

import pytest
from playwright.sync_api import Browser

from dortmund_kpi import texts
from tests.e2e.conftest import LOCALE, AppServer
from tests.e2e.helpers import IDLE_TIMEOUT_MS, open_page, wait_for_charts

pytestmark = pytest.mark.e2e

# Boxes of the timeline's day label, its legend items and its bars (page coordinates).
BOXES_JS = """(label) => {
  const box = (el) => { const r = el.getBoundingClientRect();
    return {left: r.left, right: r.right, top: r.top, bottom: r.bottom}; };
  const plot = [...document.querySelectorAll('.js-plotly-plot')].find((gd) =>
    [...gd.querySelectorAll('.annotation-text')].some((t) => t.textContent === label));
  if (!plot) return null;
  const text = [...plot.querySelectorAll('.annotation-text')]
    .find((t) => t.textContent === label);
  return {
    label: box(text),
    legend: [...plot.querySelectorAll('.legend .traces')].map(box),
    bars: [...plot.querySelectorAll('.barlayer .point path')].map(box),
  };
}"""


def _overlap(a: dict, b: dict) -> bool:
    return (
        a["left"] < b["right"]
        and b["left"] < a["right"]
        and (a["top"] < b["bottom"] and b["top"] < a["bottom"])
    )


@pytest.mark.parametrize("size", [(1440, 900), (390, 844)], ids=["desktop", "phone"])
def test_today_label_clear_of_legend_and_bars(
    browser: Browser, app_server: AppServer, size: tuple[int, int]
) -> None:
    width, height = size
    context = browser.new_context(viewport={"width": width, "height": height}, locale=LOCALE)
    context.set_default_timeout(IDLE_TIMEOUT_MS)
    try:
        page = context.new_page()
        open_page(page, app_server.base_url, "/masterplan?masterplan=verwaltung")
        wait_for_charts(page)
        page.wait_for_function(BOXES_JS, arg=texts.MEASURES_TODAY)
        boxes = page.evaluate(BOXES_JS, texts.MEASURES_TODAY)
        assert boxes["legend"] and boxes["bars"]
        label = boxes["label"]
        assert label["right"] > label["left"]
        assert [b for b in boxes["legend"] if _overlap(label, b)] == []
        assert [b for b in boxes["bars"] if _overlap(label, b)] == []
    finally:
        context.close()
