"""Filters write the address bar, and the copied address reproduces the view elsewhere."""

from __future__ import annotations

from urllib.parse import parse_qs, urlsplit

import pytest
from playwright.sync_api import Browser, Page

from tests.e2e.conftest import AppServer, new_context
from tests.e2e.helpers import (
    DATA_TABLE,
    assert_no_error,
    h1,
    open_page,
    period_years,
    rerun,
    select_district,
    select_option,
    selected_districts,
    static_chart,
    static_tips,
    table_rows,
)

pytestmark = pytest.mark.e2e


def view_of(page: Page) -> dict:
    """What a person sees: title, filters, the rendered table rows, the series chart (its
    points' tooltips: area, period, value, origin)."""
    return {
        "title": h1(page),
        "districts": selected_districts(page),
        "years": period_years(page),
        # The grid is virtualised: its header and first rows are always rendered.
        "table": table_rows(page.locator(DATA_TABLE), 5)[:6],
        "series": static_tips(page, "series"),
    }


def test_selecting_a_district_updates_the_url_and_the_link_reproduces_the_view(
    page: Page, app_server: AppServer, browser: Browser
):
    open_page(page, app_server.base_url, "/indikator?indikator=online_antraege")
    static_chart(page, "series")
    assert selected_districts(page) == []

    select_district(page, "Hörde")
    static_chart(page, "series")
    params = parse_qs(urlsplit(page.url).query)
    assert params.get("bezirk") == ["hoerde"], page.url
    assert params.get("indikator") == ["online_antraege"], page.url
    assert "zeitraum" not in params  # shared keys at their default stay out of the URL
    assert_no_error(page)
    before = view_of(page)
    assert before["districts"] == ["Hörde"]
    assert any(tip.startswith("Hörde\n") for tip in before["series"])

    other = new_context(browser)
    try:
        fresh = other.new_page()
        open_page(fresh, "", page.url)
        static_chart(fresh, "series")
        assert_no_error(fresh)
        after = view_of(fresh)
        assert fresh.url == page.url
    finally:
        other.close()
    assert after == before


def test_page_switch_keeps_the_shared_filters(page: Page, app_server: AppServer):
    open_page(page, app_server.base_url, "/?bezirk=hoerde&zeitraum=2019&zeitraum=2023")
    link = page.locator("[data-testid='stSidebarNav'] a").filter(has_text="Indikator")
    with rerun(page):
        link.click()
    page.wait_for_url("**/indikator**")
    url = urlsplit(page.url)
    assert url.path == "/indikator", page.url
    params = parse_qs(url.query)
    assert params.get("bezirk") == ["hoerde"], page.url
    assert params.get("zeitraum") == ["2019", "2023"], page.url
    assert "indikator" in params, page.url  # a page's own key is always written
    assert h1(page)
    assert selected_districts(page) == ["Hörde"]
    assert period_years(page) == (2019, 2023)
    assert_no_error(page)


def test_choosing_an_indicator_updates_the_url(page: Page, app_server: AppServer):
    open_page(page, app_server.base_url, "/indikator?indikator=online_antraege&bezirk=eving")
    static_chart(page, "series")
    select_option(page, "Indikator", "Glasfaserversorgung der Haushalte")
    static_chart(page, "series")
    assert h1(page) == "Glasfaserversorgung der Haushalte"
    params = parse_qs(urlsplit(page.url).query)
    assert params.get("indikator") == ["glasfaser_haushalte"], page.url
    assert params.get("bezirk") == ["eving"], page.url
    assert_no_error(page)


def test_matrix_click_puts_masterplan_and_district_into_the_url(
    page: Page, app_server: AppServer, browser: Browser
):
    """A click on a cell of the masterplan x district matrix opens the masterplan page of
    that district, and the address bar says so: a copied link opens the same view (issue
    15: the address bar kept the overview's keys, while the share dialog had the right link)."""
    open_page(page, app_server.base_url, "/")
    matrix = page.locator(".st-key-matrix [data-testid='stDataFrame']")
    matrix.scroll_into_view_if_needed()
    box = matrix.bounding_box()
    assert box is not None
    # Header and rows are 35 px high; the district names fill the first ~300 px, the
    # masterplan columns follow: the second district under the first masterplan.
    with rerun(page):
        page.mouse.click(box["x"] + 350, box["y"] + 35 + 35 + 17)
    page.wait_for_url("**/masterplan?**")
    assert_no_error(page)
    params = parse_qs(urlsplit(page.url).query)
    title, district = h1(page), selected_districts(page)
    assert len(params.get("masterplan", [])) == 1, page.url
    assert len(params.get("bezirk", [])) == 1 and len(district) == 1, page.url
    assert title.startswith("Masterplan ")

    other = new_context(browser)
    try:
        fresh = other.new_page()
        open_page(fresh, "", page.url)
        assert_no_error(fresh)
        assert h1(fresh) == title
        assert selected_districts(fresh) == district
    finally:
        other.close()
