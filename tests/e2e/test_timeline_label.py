"""The measures timeline as drawn in Chromium at a desk and on a phone: the "heute" label of
the dotted day line is clear of the legend and of every bar (it once sat on the legend)."""

from __future__ import annotations

import pytest
from playwright.sync_api import Browser

from dortmund_kpi import texts
from tests.e2e.conftest import AppServer, new_context
from tests.e2e.helpers import open_page, wait_for_charts

pytestmark = pytest.mark.e2e

# A box in page coordinates, and the timeline: the plotly chart whose annotation is ``today``.
TIMELINE_JS = """
  const box = (el) => { const r = el.getBoundingClientRect();
    return {left: r.left, right: r.right, top: r.top, bottom: r.bottom}; };
  const plot = [...document.querySelectorAll('.js-plotly-plot')].find((gd) =>
    [...gd.querySelectorAll('.annotation-text')].some((t) => t.textContent === today));
  if (!plot) return null;
"""

# Boxes of the timeline's day label, its legend items and its bars.
BOXES_JS = (
    """(today) => {"""
    + TIMELINE_JS
    + """
  const text = [...plot.querySelectorAll('.annotation-text')]
    .find((t) => t.textContent === today);
  return {
    label: box(text),
    legend: [...plot.querySelectorAll('.legend .traces')].map(box),
    bars: [...plot.querySelectorAll('.barlayer .point path')].map(box),
  };
}"""
)


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
    context = new_context(browser, size)
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


# Boxes of the plot area, the dotted day line and every "⚠ überfällig" bar label.
OVERDUE_JS = (
    """([today, late]) => {"""
    + TIMELINE_JS
    + """
  const labels = [...plot.querySelectorAll('.barlayer text')]
    .filter((t) => t.textContent === late);
  const line = [...plot.querySelectorAll('.shapelayer path')]
    .find((p) => (p.getAttribute('style') || '').includes('dasharray'));
  if (!labels.length || !line) return null;
  return {area: box(plot.querySelector('.draglayer .nsewdrag')), line: box(line),
          labels: labels.map(box)};
}"""
)


@pytest.mark.parametrize(
    ("size", "query"),
    [((1440, 900), ""), ((390, 844), "&praesentation=1")],
    ids=["desktop", "phone-praesentation"],
)
def test_overdue_labels_clear_of_day_line_and_inside_plot(
    browser: Browser, app_server: AppServer, size: tuple[int, int], query: str
) -> None:
    context = new_context(browser, size)
    try:
        page = context.new_page()
        open_page(page, app_server.base_url, f"/masterplan?masterplan=verwaltung{query}")
        wait_for_charts(page)
        arg = [texts.MEASURES_TODAY, texts.MEASURE_OVERDUE]
        page.wait_for_function(OVERDUE_JS, arg=arg)
        boxes = page.evaluate(OVERDUE_JS, arg)
        area, line = boxes["area"], boxes["line"]
        for label in boxes["labels"]:
            assert label["right"] > label["left"]
            assert not _overlap(label, line), f"label {label} crosses the day line {line}"
            assert area["left"] <= label["left"] and label["right"] <= area["right"], (
                f"label {label} leaves the plot {area}"
            )
    finally:
        context.close()
