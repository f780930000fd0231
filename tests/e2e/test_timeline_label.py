"""The measures timeline (static SVG, ``views.timeline_svg``) as drawn in Chromium at a desk
and on a phone: the "heute" label of the dotted day line is clear of the legend and of every
bar (it once sat on the legend), and the bars, the overdue outline among them, stay inside
the plot, their labels inside their bars and clear of the day line."""

from __future__ import annotations

import pytest
from playwright.sync_api import Browser

from dortmund_kpi import texts
from tests.e2e.conftest import AppServer, new_context
from tests.e2e.helpers import open_page

pytestmark = pytest.mark.e2e

# Boxes in page coordinates of the timeline drawing shown (a desk's or a phone's).
BOXES_JS = """(today) => {
  const box = (el) => { const r = el.getBoundingClientRect();
    return {left: r.left, right: r.right, top: r.top, bottom: r.bottom}; };
  const svg = [...document.querySelectorAll('.st-key-svg_measures_verwaltung svg')]
    .find((s) => s.getBoundingClientRect().width > 0);
  if (!svg) return null;
  const label = svg.querySelector('.day-label');
  if (!label || label.textContent !== today) return null;
  return {
    width: svg.getBoundingClientRect().width,
    label: box(label),
    legend: [...svg.querySelectorAll('.legend > *')].map(box),
    bars: [...svg.querySelectorAll('.bar')].map((b) => ({...box(b),
      outlined: b.getAttribute('fill') === 'none'})),
    texts: [...svg.querySelectorAll('.bar-text')].map(box),
    line: box(svg.querySelector('.day-line')),
    area: box(svg.querySelector('.plot')),
  };
}"""


def _overlap(a: dict, b: dict) -> bool:
    return (
        a["left"] < b["right"]
        and b["left"] < a["right"]
        and (a["top"] < b["bottom"] and b["top"] < a["bottom"])
    )


def _inside(a: dict, b: dict, slack: float = 2.0) -> bool:
    return (
        b["left"] - slack <= a["left"]
        and a["right"] <= b["right"] + slack
        and b["top"] - slack <= a["top"]
        and a["bottom"] <= b["bottom"] + slack
    )


@pytest.mark.parametrize(
    ("size", "query"),
    [((1440, 900), ""), ((390, 844), ""), ((390, 844), "&praesentation=1")],
    ids=["desktop", "phone", "phone-praesentation"],
)
def test_day_label_bars_and_overdue_outline_as_drawn(
    browser: Browser, app_server: AppServer, size: tuple[int, int], query: str
) -> None:
    context = new_context(browser, size)
    try:
        page = context.new_page()
        open_page(page, app_server.base_url, f"/masterplan?masterplan=verwaltung{query}")
        page.wait_for_function(BOXES_JS, arg=texts.MEASURES_TODAY, timeout=60_000)
        boxes = page.evaluate(BOXES_JS, texts.MEASURES_TODAY)
        assert boxes["width"] <= size[0]  # never wider than the screen
        label, bars = boxes["label"], boxes["bars"]
        assert boxes["legend"] and bars and label["right"] > label["left"]
        assert [b for b in boxes["legend"] if _overlap(label, b)] == []
        assert [b for b in bars if _overlap(label, b)] == []
        assert [b for b in bars if b["outlined"]], "the overdue measure's outline"
        for bar in bars:
            assert _inside(bar, boxes["area"]), f"bar {bar} leaves the plot {boxes['area']}"
        for text in boxes["texts"]:
            assert any(_inside(text, bar) for bar in bars if bar["outlined"]), text
            assert not _overlap(text, boxes["line"]), f"{text} crosses the day line"
    finally:
        context.close()
