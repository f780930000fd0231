"""Every page loads in a real browser: title, charts drawn, no exception, no error text."""

from __future__ import annotations

import pytest
from playwright.sync_api import Locator, Page

from dortmund_kpi.ui import widgets
from tests.e2e.conftest import AppServer
from tests.e2e.helpers import (
    PLOT_SVG,
    assert_no_error,
    assert_no_exception,
    h1,
    open_page,
    period_years,
    wait_for_charts,
)

pytestmark = pytest.mark.e2e

PAGES = [
    # path, title (h1), minimum numbers of plotly charts and of charts drawn as static SVG
    # (their plotly form on demand is checked in test_masterplan_charts, test_map, ...)
    ("/", "Übersicht", 0, 0),
    ("/masterplan", "Masterplan Verwaltung", 0, 0),  # its cards: test_masterplan_charts
    ("/indikator", None, 0, 1),  # title: the first indicator of the catalog
    ("/bezirke", "Profil des Stadtbezirks Innenstadt-West", 0, 1),
    ("/daten", "Daten & Methodik", 0, 0),
    ("/vergleich", "Vergleich: Dortmund und andere Städte", 0, 2),  # bars, rank (and map)
]


@pytest.mark.parametrize(("path", "title", "charts", "static"), PAGES, ids=[p[0] for p in PAGES])
def test_page_loads(
    page: Page, app_server: AppServer, path: str, title: str | None, charts: int, static: int
):
    open_page(page, app_server.base_url, path)
    if charts:
        drawn = wait_for_charts(page, charts)
        assert page.locator(PLOT_SVG).count() >= charts
        assert drawn >= charts
    drawings = page.locator(f".{widgets.STATIC_CHART} svg:visible")
    assert drawings.count() >= static, f"{drawings.count()} static charts on {path}"
    assert all(box and box["width"] > 200 for box in map(Locator.bounding_box, drawings.all()))
    assert_no_error(page)
    heading = h1(page)
    assert heading, f"no page title (h1) on {path}"
    if title:
        assert heading == title
    # The sidebar: German navigation and the shared filters with the full data range.
    nav = page.locator("[data-testid='stSidebarNav']").inner_text()
    for name in (
        "Übersicht",
        "Masterplan",
        "Indikator",
        "Stadtbezirke",
        "Daten & Methodik",
        "Vergleich",
    ):
        assert name in nav
    assert period_years(page)[0] == 2018
    assert page.locator("[data-testid='stMultiSelect']").filter(has_text="Stadtbezirke").count()


def test_masterplan_draws_one_chart_per_indicator_with_data(page: Page, app_server: AppServer):
    open_page(page, app_server.base_url, "/masterplan?masterplan=bildung")
    count = page.locator(".dkpi-small-multiple svg[role='img']").count()  # static SVG
    assert h1(page) == "Masterplan Bildung"
    assert count >= 5
    assert_no_error(page)


def test_unknown_path_falls_back_to_the_overview(page: Page, app_server: AppServer):
    open_page(page, app_server.base_url, "/gibtesnicht")
    assert h1(page) == "Übersicht"
    assert_no_exception(page)
