"""Sharing in a real browser: a pinned link keeps its numbers after a newer import;
chart, data and slide downloads arrive as real files."""

from __future__ import annotations

import io
import subprocess
import zipfile
from collections.abc import Iterator
from pathlib import Path

import pytest
from openpyxl import load_workbook
from playwright.sync_api import Browser, Page
from pptx import Presentation

from tests.conftest import build_fixture_db
from tests.e2e.conftest import AppServer, cli_command, new_context, start_server, stop_server
from tests.e2e.helpers import (
    close_chart,
    open_chart,
    open_page,
    rerun,
    static_chart,
    traces,
    wait_for_app_idle,
)

pytestmark = pytest.mark.e2e
ID = "digitalisierungsbudget"
CITY = "Dortmund (gesamt)"


@pytest.fixture(scope="module")
def own_server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[AppServer]:
    """A server on its own database: this module imports new data."""
    folder = tmp_path_factory.mktemp("sharing")
    build_fixture_db(folder / "kpi.duckdb")
    server = start_server(folder / "kpi.duckdb", folder / "server.log")
    yield server
    stop_server(server.process)


def _city_2025(page: Page) -> float:
    """The city's latest value as the interactive chart holds it (opened, read, closed)."""
    city = next(t for t in traces(page, open_chart(page, "series")) if t["name"] == CITY)
    close_chart(page)
    return float(city["y"][-1])


def _share_links(page: Page) -> tuple[str, str]:
    page.get_by_role("button", name="Link teilen").click()
    codes = page.get_by_role("dialog").locator("code")
    codes.nth(1).wait_for()
    live, pinned = codes.nth(0).inner_text(), codes.nth(1).inner_text()
    page.keyboard.press("Escape")
    return live, pinned


def test_pinned_link_keeps_old_numbers_after_import(
    browser: Browser, own_server: AppServer, tmp_path: Path
):
    context = new_context(browser)
    page = context.new_page()
    open_page(page, own_server.base_url, f"/indikator?indikator={ID}")
    static_chart(page, "series")
    before = _city_2025(page)
    live, pinned = _share_links(page)
    assert "stand=" in pinned and "stand=" not in live
    assert pinned.startswith(own_server.base_url + "/indikator?")

    update = tmp_path / "budget.csv"
    new = round(before + 7.5, 2)
    update.write_text(f"indikator;bezirk;zeitraum;wert\n{ID};Dortmund;2025;{new}\n", "utf-8")
    run = subprocess.run(
        [*cli_command(), "import", str(update), "--db", str(own_server.db_path)],
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )
    assert run.returncode == 0, run.stderr
    context.close()

    fresh = new_context(browser)
    page = fresh.new_page()
    page.goto(pinned)
    wait_for_app_idle(page)
    static_chart(page, "series")
    assert _city_2025(page) == pytest.approx(before)
    banner = page.locator("[data-testid='stAlertContentInfo']").all_inner_texts()
    assert any("Datenstand vom" in b and "neuere Daten" in b for b in banner), banner
    page.goto(live)
    wait_for_app_idle(page)
    static_chart(page, "series")
    assert _city_2025(page) == pytest.approx(new)
    fresh.close()


def _download(page: Page, name: str) -> tuple[str, bytes]:
    with page.expect_download(timeout=120_000) as info:
        page.get_by_role("button", name=name).first.click()
    download = info.value
    assert download.failure() is None, download.failure()
    return download.suggested_filename, download.path().read_bytes()


def test_downloads_png_svg_xlsx_pptx(page: Page, own_server: AppServer):
    open_page(page, own_server.base_url, "/indikator?indikator=online_antraege&bezirk=hoerde")
    open_chart(page, "series")  # its popover holds the exports
    name, png = _download(page, "Als PNG (hohe Auflösung)")
    assert name == "online_antraege_hoerde_2018-2025.png" and png.startswith(b"\x89PNG")
    name, svg = _download(page, "Als SVG (Vektorgrafik)")
    assert name.endswith(".svg") and b"<svg" in svg and b"Quelle:" in svg
    close_chart(page)

    name, xlsx = _download(page, "XLSX mit Metadaten (angezeigt)")
    book = load_workbook(io.BytesIO(xlsx))
    assert name.endswith(".xlsx") and book.sheetnames == ["Daten", "Metadaten"]
    meta = dict(book["Metadaten"].iter_rows(min_row=2, values_only=True))
    assert "stand=" in meta["Link zur Ansicht"]

    name, pptx = _download(page, "Als Folie (PPTX)")
    assert name == "dortmund-kpi_indikator.pptx" and zipfile.is_zipfile(io.BytesIO(pptx))
    slides = list(Presentation(io.BytesIO(pptx)).slides)
    assert len(slides) == 1  # the view's slide: its time series
    with rerun(page):  # the run the box starts, not an idle moment before it
        page.get_by_text("Detailfolien", exact=True).click()  # also every chart and table
    _name, pptx = _download(page, "Als Folie (PPTX)")
    assert len(Presentation(io.BytesIO(pptx)).slides) >= 3  # time series, map, ranking
