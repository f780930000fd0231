"""Opening a page's address connects at once (``ui.index_page``): the front end asks the
server's health at the right address first, also under a path prefix."""

from __future__ import annotations

import re
from collections.abc import Iterator

import pytest
from playwright.sync_api import Browser, Page

from tests.conftest import build_fixture_db
from tests.e2e.conftest import AppServer, new_context, start_server, stop_server
from tests.e2e.helpers import (
    assert_no_error,
    close_chart,
    h1,
    open_chart,
    open_page,
    static_chart,
)

pytestmark = pytest.mark.e2e
PREFIX = "/kpi"


def _health_requests(page: Page) -> list[str]:
    asked: list[str] = []
    page.on("request", lambda r: asked.append(r.url) if "/_stcore/health" in r.url else None)
    return asked


def test_a_page_address_asks_the_server_s_own_health_address_first(
    page: Page, app_server: AppServer
):
    asked = _health_requests(page)
    open_page(page, app_server.base_url, "/masterplan?masterplan=bildung")
    assert_no_error(page)
    assert h1(page) == "Masterplan Bildung"
    assert asked == [f"{app_server.base_url}/_stcore/health"]


@pytest.mark.parametrize("path", ["/", "/masterplan?masterplan=bildung"])
def test_the_served_page_is_german_before_any_script_runs(
    page: Page, app_server: AppServer, path: str
):
    html = page.request.get(app_server.base_url + path).text()
    assert '<html lang="de">' in html and 'lang="en"' not in html


def test_the_overview_finds_the_server_as_before(page: Page, app_server: AppServer):
    asked = _health_requests(page)
    open_page(page, app_server.base_url, "/")
    assert h1(page) == "Übersicht"
    assert asked == [f"{app_server.base_url}/_stcore/health"]


@pytest.fixture(scope="module")
def prefixed(tmp_path_factory: pytest.TempPathFactory) -> Iterator[AppServer]:
    """A server under a path prefix (``server.baseUrlPath``, as docs/deployment.md shows)."""
    folder = tmp_path_factory.mktemp("prefixed")
    build_fixture_db(folder / "kpi.duckdb")
    server = start_server(folder / "kpi.duckdb", folder / "server.log", prefix=PREFIX)
    yield server
    stop_server(server.process)


def test_under_a_path_prefix_pages_links_and_navigation_work(browser: Browser, prefixed: AppServer):
    context = new_context(browser)
    page = context.new_page()
    asked = _health_requests(page)
    base = prefixed.base_url + PREFIX
    open_page(page, base, "/indikator?indikator=online_antraege&bezirk=hoerde")
    open_chart(page, "series")  # plotly's code, loaded on demand, under the prefix too
    assert_no_error(page)
    assert h1(page) == "Online gestellte Anträge"
    assert asked == [f"{base}/_stcore/health"]
    assert page.url.startswith(f"{base}/indikator?")
    close_chart(page)

    page.get_by_role("link", name="Übersicht").first.click()
    page.wait_for_url(re.compile(rf"^{re.escape(base)}/(\?.*)?$"))
    page.locator("a.dkpi-tile-link").first.wait_for()
    assert h1(page) == "Übersicht"
    page.locator("a.dkpi-tile-link").first.click()
    page.wait_for_url(re.compile(rf"^{re.escape(base)}/indikator\?.*indikator="))
    static_chart(page, "series")
    assert_no_error(page)
    context.close()
