"""Measures in the browser: the masterplan timeline as drawn, a measure's detail opened from
the list, its link reproducing the view in a fresh browser, and the way on to an indicator."""

from __future__ import annotations

from urllib.parse import parse_qs, urlsplit

import pytest
from playwright.sync_api import Browser, Page

from dortmund_kpi import texts
from dortmund_kpi.ui import frame_scripts, tile_markup, widgets
from tests.e2e.conftest import AppServer, new_context
from tests.e2e.helpers import (
    assert_no_error,
    click_page_link,
    main_text,
    open_page,
    rerun,
    select_district,
    selected_districts,
    traces,
    wait_for_charts,
)

pytestmark = pytest.mark.e2e

TIMELINE = ".st-key-measures_verwaltung .js-plotly-plot"
SVG_TIMELINE = ".st-key-svg_measures_verwaltung .dkpi-wide svg"
DETAIL = f".st-key-{frame_scripts.MEASURE_DETAIL}"


def query(page: Page) -> dict[str, list[str]]:
    return query_of(page.url)


def query_of(address: str | None) -> dict[str, list[str]]:
    return parse_qs(urlsplit(address or "").query)


def test_timeline_and_detail_link(page: Page, app_server: AppServer, browser: Browser) -> None:
    open_page(page, app_server.base_url, "/masterplan?masterplan=verwaltung")
    # The timeline as drawn with the page (static SVG): a bar per measure, the legend's
    # flag for overdue ones, source, Stand and the demo badge.
    drawing = page.locator(SVG_TIMELINE)
    drawing.wait_for()
    tips = drawing.locator(".bar title").all_text_contents()
    assert sorted({t.split("\n")[0] for t in tips}) == [
        "Testmaßnahme Bürgerdienste",
        "⚠ Testmaßnahme Serviceportal",
    ]
    svg_text = " ".join(drawing.locator("text").all_text_contents())
    assert "⚠ überfällig" in svg_text  # the flag is drawn, not only coloured
    assert "Stand:" in svg_text and "Demodaten" in svg_text
    # Its interactive chart, drawn when its popover is opened: the same measures.
    page.locator(f".st-key-{widgets.popover_key('measures_verwaltung')} button").click()
    wait_for_charts(page, 1)
    timeline = page.locator(TIMELINE)
    drawn = {t["name"]: t["y"] for t in traces(page, timeline)}
    assert drawn == {
        "◷ verzögert": ["⚠ Testmaßnahme Serviceportal"],
        "▶ in Umsetzung": ["Testmaßnahme Bürgerdienste"],
        "⚠ überfällig": ["⚠ Testmaßnahme Serviceportal"],
    }
    page.keyboard.press("Escape")
    timeline.wait_for(state="detached")

    with rerun(page):  # the measure's link in the list opens its detail in the session
        click_page_link(
            page, page.locator(f"ul.{tile_markup.MEASURES_CLASS} a", has_text="Serviceportal")
        )
    page.wait_for_function("window.__dkpiNavRan === true")  # the session's run, no reload
    page.wait_for_function("() => location.search.includes('massnahme=t_v1')")
    detail = page.locator(DETAIL)
    assert "Maßnahme: Testmaßnahme Serviceportal" in detail.inner_text()
    assert "überfällig seit 31.12.2020" in detail.inner_text()
    assert "Chief Information/Innovation Office (CIO)" in detail.inner_text()
    # Addresses in an imported description are shown as written, never as links.
    shown = detail.inner_text().replace("\u2060", "")
    assert "https://evil.example/login, www.evil.example, hilfe@evil.example" in shown
    assert detail.locator("a[href*='evil.example']").count() == 0
    assert query(page) == {"massnahme": ["t_v1"], "masterplan": ["verwaltung"]}
    assert_no_error(page)

    # The address bar is the shared link: a fresh browser opens the same detail.
    shared = page.url
    other = new_context(browser)
    try:
        fresh = other.new_page()
        fresh.goto(shared, wait_until="domcontentloaded")
        fresh.wait_for_selector(DETAIL, timeout=60_000)
        assert "Maßnahme: Testmaßnahme Serviceportal" in fresh.locator(DETAIL).inner_text()
    finally:
        other.close()

    # From the detail on to a linked indicator; the detail stays behind.
    with rerun(page):
        page.locator(DETAIL).get_by_text("Online verfügbare Verwaltungsleistungen").click()
    page.wait_for_function("() => location.pathname.endsWith('/indikator')")
    assert query(page).get("indikator") == ["online_dienstleistungen"]
    assert "massnahme" not in query(page)
    assert page.locator(DETAIL).count() == 0
    assert "Testmaßnahme Serviceportal" in main_text(page)  # in the linked measures


def test_a_measure_link_on_the_overview_keeps_the_view_changed_just_before(
    page: Page, app_server: AppServer
) -> None:
    """The overview's overdue measures link to the overview (its path is empty) with the
    view: a district chosen in the sidebar a moment before (a partial rerun) is in the
    link, and the measure's detail opens in the session with it."""
    open_page(page, app_server.base_url, "/")
    select_district(page, "Hörde")
    link = page.locator(f"ul.{tile_markup.MEASURES_CLASS} a", has_text="Serviceportal")
    assert query_of(link.get_attribute("href")) == {"bezirk": ["hoerde"], "massnahme": ["t_v1"]}
    with rerun(page):
        click_page_link(page, link)
    page.wait_for_function("window.__dkpiNavRan === true")
    assert "Maßnahme: Testmaßnahme Serviceportal" in page.locator(DETAIL).inner_text()
    assert query(page) == {"bezirk": ["hoerde"], "massnahme": ["t_v1"]}
    assert selected_districts(page) == ["Hörde"]
    assert_no_error(page)


IN_VIEW_JS = """(selector) => {
  const box = document.querySelector(selector);
  if (!box) return null;
  const top = box.getBoundingClientRect().top;
  return top >= 0 && top < window.innerHeight;
}"""


def test_a_measure_opened_further_down_comes_into_view(page: Page, app_server: AppServer) -> None:
    """The detail opens above the page: opened from the list below, it is scrolled into view
    and its heading has the focus (it used to open out of sight, the focus lost). Opened
    by a link from outside, nothing moves and the focus stays where it was."""
    page.set_viewport_size({"width": 1440, "height": 500})  # the list well below the top
    open_page(page, app_server.base_url, "/masterplan?masterplan=verwaltung")
    link = page.locator(f"ul.{tile_markup.MEASURES_CLASS} a", has_text="Bürgerdienste")
    link.scroll_into_view_if_needed()
    assert page.evaluate(IN_VIEW_JS, "[data-testid='stMain'] h1") is False  # scrolled down
    with rerun(page):
        click_page_link(page, link)
    page.wait_for_function("window.__dkpiNavRan === true")
    page.wait_for_function(
        """(box) => { const h = document.activeElement;
                      return h && h.tagName === "H2" && h.closest(box); }""",
        arg=DETAIL,
    )
    assert "Testmaßnahme Bürgerdienste" in page.evaluate("document.activeElement.textContent")
    assert page.evaluate(IN_VIEW_JS, DETAIL) is True

    # A shared link: the page loads with the detail at its top, the focus not taken.
    page.reload(wait_until="domcontentloaded")
    page.wait_for_selector(DETAIL, timeout=60_000)
    page.wait_for_timeout(500)  # a reveal would come with the next animation frame
    assert page.evaluate("document.activeElement.tagName") == "BODY"

    # The same detail redrawn by a filter change (a person's click) stays where it is.
    link.scroll_into_view_if_needed()
    assert page.evaluate(IN_VIEW_JS, DETAIL) is False
    select_district(page, "Hörde")
    page.wait_for_timeout(500)
    assert page.evaluate(IN_VIEW_JS, DETAIL) is False  # the page did not jump to it
    assert page.evaluate(f"!!document.activeElement.closest('{DETAIL}')") is False
    # The open measure's own link, far below it, brings it into view again, at once: the
    # address names the view shown, so nothing runs (nor is the page loaded anew).
    page.evaluate("window.__sameDocument = true")  # gone should the page be loaded anew
    click_page_link(page, link)
    page.wait_for_function(f"() => !!document.activeElement.closest('{DETAIL}')", timeout=3000)
    assert page.evaluate("window.__sameDocument") is True
    assert page.evaluate(IN_VIEW_JS, DETAIL) is True

    # Closed, the detail gives the focus back to the link that opened it, in view again:
    # the person is back at the list (it used to leave them at the top of the page).
    with rerun(page):
        page.locator(DETAIL).get_by_role("button", name=texts.MEASURE_CLOSE).click()
    page.wait_for_selector(DETAIL, state="detached")
    page.wait_for_function("() => document.activeElement.tagName === 'A'")
    assert "Bürgerdienste" in page.evaluate("document.activeElement.textContent")
    top = page.evaluate("document.activeElement.getBoundingClientRect().top")
    assert 0 <= top < page.viewport_size["height"]
