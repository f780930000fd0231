"""The Technologiescout in the browser: the radar as drawn (its static SVG: rings, sectors,
shapes), the sector switch in the link, a trend's detail opened from the list, a pinned
radar in a fresh browser, and the interactive radar opened on demand and exported as PNG
and SVG."""

from __future__ import annotations

import shutil
from collections.abc import Iterator
from pathlib import Path
from urllib.parse import parse_qs, urlsplit

import pytest
from playwright.sync_api import Browser, Page

from dortmund_kpi import texts
from dortmund_kpi.db.store import Store
from dortmund_kpi.ingest.importer import run_import
from dortmund_kpi.share.stand import format_stand
from dortmund_kpi.ui import frame_scripts
from tests.conftest import TREND_REVIEWS, make_settings
from tests.e2e.conftest import new_context, start_server, stop_server
from tests.e2e.helpers import assert_no_error, open_chart, open_page, rerun, static_chart

pytestmark = pytest.mark.e2e

RADAR = ".st-key-svg_trend_radar svg:visible"
DETAIL = f".st-key-{frame_scripts.TREND_DETAIL}"


@pytest.fixture(scope="module")
def trends_server(e2e_db: Path, tmp_path_factory: pytest.TempPathFactory) -> Iterator[tuple]:
    """A server on the fixture database plus two reviews of test trends; also the moment
    between the two reviews (a pinned link to the first)."""
    folder = tmp_path_factory.mktemp("trends_e2e")
    target = folder / "kpi.duckdb"
    shutil.copyfile(e2e_db.resolve(), target)
    settings = make_settings(target)
    run_import([TREND_REVIEWS[0]], settings)
    with Store(target).connect_read() as con:
        first = con.execute("SELECT max(valid_from) FROM trends").fetchall()[0][0]
    run_import([TREND_REVIEWS[1]], settings)
    server = start_server(target, folder / "server.log")
    try:
        yield server, first
    finally:
        stop_server(server.process)


def drawn(page: Page) -> dict:
    """Rings, sectors and the points per shape, as drawn with the page (its static SVG)."""
    return page.locator(RADAR).evaluate(
        """svg => {
            const texts = sel => Array.from(svg.querySelectorAll(sel), t => t.textContent);
            const points = {};
            for (const g of svg.querySelectorAll('g.trend'))
                (points[g.dataset.shape] ||= []).push(g.querySelector('text').textContent);
            return {rings: texts('text.ring'), sectors: texts('text.sector'), points};
        }"""
    )


def svg_text(page: Page) -> str:
    return " ".join(page.locator(RADAR).locator("text").all_text_contents())


def test_radar_switch_detail_pinned_export(trends_server, page: Page, browser: Browser) -> None:
    server, first = trends_server
    open_page(page, server.base_url, "/trends")
    static_chart(page, "trend_radar")
    shown = drawn(page)
    assert shown["rings"] == ["Einführen", "Erproben", "Bewerten", "Beobachten"]
    assert shown["sectors"][0] == "KI" and len(shown["sectors"]) == 6
    assert shown["points"] == {
        "circle": ["1", "5"],
        "star": ["4"],
        "triangle-up": ["2"],
        "triangle-down": ["3"],
    }
    text = svg_text(page)
    for label in ("Beobachten", "Einführen", "Sensorik & IoT", "neu", "nach innen gerückt"):
        assert label in text  # labels are drawn, not only colours
    assert "Verworfen (nicht im Radar)" in page.locator("[data-testid=stMain]").inner_text()

    with rerun(page):
        page.get_by_role("radio", name="Masterplan", exact=True).click()
    page.wait_for_function("() => location.search.includes('sektoren=masterplan')")
    assert "ohne Masterplan" in drawn(page)["sectors"]

    with rerun(page):
        page.locator(".st-key-trend_tr_ki_chat").get_by_role("button").click()
    page.wait_for_function("() => location.search.includes('trend=tr_ki_chat')")
    # Opened from the list below, the detail takes the focus (ui.frame_scripts.REVEAL_JS).
    page.wait_for_function(f"() => !!document.activeElement.closest('{DETAIL}')")
    detail = page.locator(DETAIL).inner_text()
    assert "Trend: Testtrend KI-Chat" in detail and "Ring: Erproben" in detail.replace("\n", " ")
    assert detail.count("Quelle A") == 1
    assert page.locator(DETAIL).locator("a[href='https://example.org/a,b']").count() == 1
    assert parse_qs(urlsplit(page.url).query) == {
        "sektoren": ["masterplan"],
        "trend": ["tr_ki_chat"],
    }
    assert_no_error(page)

    open_chart(page, "trend_radar")  # the interactive radar and its exports, on demand
    for name, magic in (
        ("Als PNG (hohe Auflösung)", b"\x89PNG"),
        ("Als SVG (Vektorgrafik)", b"<svg"),
    ):
        with page.expect_download(timeout=120_000) as info:
            page.get_by_role("button", name=name).first.click()
        data = info.value.path().read_bytes()
        assert magic in data[:400]
        assert info.value.suggested_filename.startswith("technologiescout")
    page.keyboard.press("Escape")
    # Closed, the detail gives the focus back to the trend's button that opened it.
    with rerun(page):
        page.locator(DETAIL).get_by_role("button", name=texts.TREND_CLOSE).click()
    page.wait_for_function("() => !!document.activeElement.closest('.st-key-trend_tr_ki_chat')")

    fresh = new_context(browser).new_page()
    open_page(fresh, server.base_url, f"/trends?stand={format_stand(first)}&trend=tr_ki_chat")
    static_chart(fresh, "trend_radar")
    pinned = drawn(fresh)
    assert list(pinned["points"]) == ["star"]  # the first review: all new
    assert sorted(pinned["points"]["star"]) == ["1", "2", "3", "4"]
    assert "Ring: Bewerten" in fresh.locator(DETAIL).inner_text().replace("\n", " ")
    fresh.close()
