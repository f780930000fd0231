"""Meeting-room mode playing a chosen list of views (``folge``): a link to the list opens
its first view, → and ← move within the list (position "2/3" on screen), every step
shows its own filters (none left over from the step before), and the exit returns to
the normal view of the step on screen."""

from __future__ import annotations

import re
from urllib.parse import parse_qs, urlencode, urlsplit

import pytest
from playwright.sync_api import Page

from dortmund_kpi import texts
from tests.e2e.conftest import AppServer
from tests.e2e.helpers import (
    MAIN,
    h1,
    open_page,
    period_years,
    selected_districts,
    static_tips,
    wait_for_app_idle,
)

pytestmark = pytest.mark.e2e

STEPS = [
    "/indikator?indikator=glasfaser_haushalte&bezirk=hoerde",
    "/indikator?indikator=glasfaser_haushalte&zeitraum=2020&zeitraum=2022",
    "/masterplan?masterplan=bildung&bezirk=eving",
]
# The list's own link starts at the overview: the list, not the page, decides what shows.
START = "/?" + urlencode([("praesentation", "1"), *(("folge", s) for s in STEPS)])


def _at_step(page: Page, number: int) -> dict[str, list[str]]:
    """Wait for step ``number`` (its page and position in the address bar, the run done)
    and return the address bar's query, as the app wrote it from the session."""
    path = urlsplit(STEPS[number - 1]).path
    page.wait_for_url(re.compile(rf"{re.escape(path)}\?.*schritt={number}(&|$)"))
    # The address bar may change before the step's run has drawn anything: wait for the
    # step's own position on screen (drawn by its run), then for that run to end.
    position = texts.PRESENT_POSITION.format(number=number, total=len(STEPS))
    shown = page.locator(MAIN).get_by_text(position)
    shown.wait_for()
    wait_for_app_idle(page)
    assert shown.count() == 1
    return parse_qs(urlsplit(page.url).query)


def _area_names(page: Page) -> set[str]:
    """The areas of the series' points as drawn (tooltip: area, period: value, origin)."""
    return {tip.split("\n")[0] for tip in static_tips(page, "series")}


def _years(page: Page) -> set[int]:
    periods = [t.split("\n")[1] for t in static_tips(page, "series") if t.startswith(texts.CITY)]
    return {int(re.findall(r"\d{4}", p.split(":")[0])[-1]) for p in periods}


def test_a_list_of_views_plays_in_order_with_each_views_filters(
    page: Page, app_server: AppServer
) -> None:
    open_page(page, app_server.base_url, START)
    query = _at_step(page, 1)
    assert query["bezirk"] == ["hoerde"] and query["folge"] == STEPS
    assert "Hörde" in _area_names(page)
    assert page.locator("[data-testid='stSidebar']").is_hidden()

    page.keyboard.press("ArrowRight")
    query = _at_step(page, 2)
    # Same page, other filters: the district of step 1 is gone, the period is step 2's.
    assert "bezirk" not in query and query["zeitraum"] == ["2020", "2022"]
    assert "Hörde" not in _area_names(page)
    assert _years(page) <= {2020, 2021, 2022}

    page.keyboard.press("ArrowRight")
    query = _at_step(page, 3)
    assert query["masterplan"] == ["bildung"] and query["bezirk"] == ["eving"]
    assert "zeitraum" not in query  # the data's whole range again
    assert "Bildung" in h1(page)

    page.keyboard.press("ArrowLeft")
    _at_step(page, 2)
    page.get_by_role("button", name=texts.PRESENT_EXIT).click()
    # The normal view of step 2: its filters, without the presentation and its list.
    page.wait_for_url(re.compile(r"/indikator\?(?!.*(praesentation|folge|schritt)).*$"))
    wait_for_app_idle(page)
    query = parse_qs(urlsplit(page.url).query)
    assert query == {"indikator": ["glasfaser_haushalte"], "zeitraum": ["2020", "2022"]}
    assert page.locator("[data-testid='stSidebar']").is_visible()
    assert selected_districts(page) == [] and period_years(page) == (2020, 2022)


def _add_view_in_share_dialog(page: Page) -> str:
    """Open the share dialog, add the view on screen to the list, return the list's link."""
    page.get_by_role("button", name=texts.SHARE_BUTTON).click()
    dialog = page.get_by_role("dialog")
    dialog.wait_for()
    wait_for_app_idle(page)
    count = dialog.locator("ol li").count()
    dialog.get_by_role("button", name=texts.PRESENT_LIST_ADD).click()
    dialog.locator("ol li").nth(count).wait_for()
    wait_for_app_idle(page)
    link = dialog.locator("code").last.inner_text().strip()
    page.keyboard.press("Escape")
    dialog.wait_for(state="detached")
    return link


def test_share_dialog_collects_views_of_several_pages_into_one_link(
    page: Page, app_server: AppServer
) -> None:
    open_page(page, app_server.base_url, "/indikator?indikator=glasfaser_haushalte&bezirk=hoerde")
    _add_view_in_share_dialog(page)
    page.locator("[data-testid='stSidebarNav']").get_by_text(
        texts.PAGE_TITLES["daten"], exact=True
    ).click()
    page.wait_for_url(re.compile(r"/daten"))
    wait_for_app_idle(page)
    link = _add_view_in_share_dialog(page)
    query = parse_qs(urlsplit(link).query)
    assert query["praesentation"] == ["1"]
    assert [urlsplit(step).path for step in query["folge"]] == ["/indikator", "/daten"]
    open_page(page, "", link)
    page.wait_for_url(re.compile(r"/indikator\?.*schritt=1"))
    wait_for_app_idle(page)
    assert "Hörde" in _area_names(page)
    page.keyboard.press("ArrowRight")
    page.wait_for_url(re.compile(r"/daten\?.*schritt=2"))
    wait_for_app_idle(page)
    position = texts.PRESENT_POSITION.format(number=2, total=2)
    shown = page.locator(MAIN).get_by_text(position)
    shown.wait_for(timeout=20_000)  # DEBUG
    assert shown.count() == 1
