"""An editor signs in and imports an official table in the browser, end to end.

A local OpenID Connect provider (``tools/oidc_provider.py``) and a dashboard server of
its own (a private copy of the fixture database, and a ``HOME`` whose
``.streamlit/secrets.toml`` points at the provider) run for this one test. The sign-in
goes through Streamlit's real ``st.login`` (Authlib and the HTTP client it needs, as
installed: a missing dependency fails here), the upload is a GENESIS table CSV in
IT.NRW's shape, then mapping, dry run, "Ersetzen", import, and the indicator page
shows the new value. ``DORTMUND_KPI_ASSISTANT_SHOT=PATH`` also saves a screenshot of
the assistant at the dry run (``docs/images/import-assistant.png``).
"""

from __future__ import annotations

import os
from collections.abc import Iterator
from pathlib import Path

import pytest
from playwright.sync_api import Browser, Page
from playwright.sync_api import TimeoutError as PlaywrightTimeout

from tests.conftest import build_fixture_db
from tests.e2e.conftest import AppServer, start_server, stop_server
from tests.e2e.helpers import (
    DATA_TABLE,
    DATAFRAME,
    MAIN,
    assert_no_exception,
    open_chart,
    rerun,
    table_rows,
    traces,
    wait_for_app_idle,
)
from tests.e2e.test_presentable import english_words
from tools.oidc_provider import RunningProvider, User

pytestmark = pytest.mark.e2e

TABLE = Path(__file__).parents[1] / "fixtures" / "assistant" / "itnrw_13111-07iz_shape.csv"
INDICATOR_OPTION = "Beschäftigte in der IT-Wirtschaft (ikt_beschaeftigte)"
SHOT_ENV = "DORTMUND_KPI_ASSISTANT_SHOT"


@pytest.fixture
def provider() -> Iterator[RunningProvider]:
    running = RunningProvider(User("eva@dortmund.de", "Eva Editor"))
    try:
        yield running
    finally:
        running.stop()


@pytest.fixture
def editor_server(tmp_path: Path, provider: RunningProvider) -> Iterator[AppServer]:
    """A server of its own: it is written to, and it has sign-in configured."""
    db = tmp_path / "db" / "kpi.duckdb"
    build_fixture_db(db)
    home = tmp_path / "home"
    (home / ".streamlit").mkdir(parents=True)
    # {port}: Streamlit fills in the port it serves on.
    secrets = provider.secrets_toml("http://127.0.0.1:{port}", ["eva@dortmund.de"])
    (home / ".streamlit" / "secrets.toml").write_text(secrets, encoding="utf-8")
    server = start_server(db, tmp_path / "server.log", env={"HOME": str(home)})
    try:
        yield server
    finally:
        stop_server(server.process)


def click(page: Page, name: str) -> None:
    with rerun(page):
        page.get_by_role("button", name=name, exact=True).click()


def choose(page: Page, label: str, option: str) -> None:
    """Pick ``option`` in the selectbox labelled ``label`` (no Escape afterwards: in a
    selectbox without a default, Escape clears the choice)."""
    box = page.locator("[data-testid='stSelectbox']").filter(
        has=page.locator("[data-testid='stWidgetLabel']", has_text=label)
    )
    field = box.first.locator("input[role='combobox']")
    field.click()
    field.fill(option)
    with rerun(page):
        page.get_by_role("option", name=option, exact=True).click()


def tick(page: Page, label: str) -> None:
    box = page.locator("[data-testid='stCheckbox']").filter(has_text=label).first
    with rerun(page):
        box.locator("label").click()


def sign_in(page: Page, server: AppServer) -> None:
    """st.login: the provider approves at once, Streamlit returns to the start page,
    which leads back to the Daten page the sign-in began on."""
    page.goto(server.url("/daten"), wait_until="domcontentloaded")
    wait_for_app_idle(page)
    page.get_by_role("button", name="Als Redaktion anmelden").click()
    # Through the provider and back (full page loads): a locator wait outlasts them.
    try:
        page.get_by_text("Angemeldet als Eva Editor.").wait_for(timeout=60_000)
    except PlaywrightTimeout:
        shown = " ".join(page.locator("body").inner_text().split())[:300]
        pytest.fail(f"sign-in did not return: {page.url} shows {shown!r}", pytrace=False)
    page.wait_for_url("**/daten**")
    wait_for_app_idle(page)
    # The upload's drop zone ("Drag and drop a file here", "200MB per file") reads German.
    page.get_by_test_id("stFileUploaderDropzone").first.wait_for()
    assert english_words(page) == []


def test_an_editor_signs_in_and_imports_a_genesis_table(
    editor_server: AppServer, provider: RunningProvider, page: Page, browser: Browser
):
    try:
        walk(editor_server, provider, page)
    except Exception as exc:  # with the server's log: the app's own traceback is there
        pytest.fail(f"{exc}\n--- server log ---\n{editor_server.log_tail()}", pytrace=True)


def walk(server: AppServer, provider: RunningProvider, page: Page) -> None:
    sign_in(page, server)
    assert provider.provider.sign_ins == 1  # the id token was fetched and accepted

    with rerun(page):
        page.locator("[data-testid='stFileUploaderDropzoneInput']").set_input_files(str(TABLE))
    page.get_by_text("GENESIS-Tabelle 13111-07iz (IT.NRW)").wait_for()
    main = page.locator(MAIN)
    choose(page, "Indikator", INDICATOR_OPTION)
    choose(page, "Merkmal „Zeilenmerkmal 1“", "J Information und Kommunikation")
    assert_no_exception(page)
    page.get_by_text("Probelauf: was der Import ändert").wait_for()
    changes = table_rows(main.locator(DATAFRAME).last, min_rows=3)
    header = changes[0]
    assert header[:5] == ["Änderung", "Gebiet", "Zeitraum", "alt", "neu"], header
    by_period = {row[2]: row[:5] for row in changes[1:]}
    assert by_period == {
        "2022": ["Konflikt", "Dortmund", "2022", "19.526", "19.512"],
        "2023": ["geändert", "Dortmund", "2023", "19.502,4", "20.118"],
        "2024": ["geändert", "Dortmund", "2024", "21.297,2", "21.034"],
    }
    page.get_by_text("1 Konflikt(e)").wait_for()
    importing = page.get_by_role("button", name="Importieren", exact=True)
    assert importing.is_disabled()  # a conflict: only with "Ersetzen"

    tick(page, "Ersetzen")
    tick(page, "Zuordnung merken")
    assert importing.is_enabled()
    shot = os.environ.get(SHOT_ENV)
    if shot:
        save_shot(page, Path(shot))
    click(page, "Importieren")
    page.get_by_text("Import abgeschlossen").wait_for()
    page.get_by_text("Zuordnung gemerkt").wait_for()

    with rerun(page):
        page.get_by_role("link", name="Zum Indikator „Beschäftigte in der IT-Wirtschaft“").click()
    page.wait_for_url("**/indikator?indikator=ikt_beschaeftigte**")
    graph = open_chart(page, "series")
    series = next(t for t in traces(page, graph) if t["y"] and 21034 in t["y"])
    assert 20118 in series["y"] and 19512 in series["y"], series
    data_table = table_rows(main.locator(DATA_TABLE), min_rows=3)
    row = next(r for r in data_table if "2024" in r and "21.034" in r)
    assert "amtlich/veröffentlicht" in row, row  # an official value now, no longer demo


def save_shot(page: Page, path: Path) -> None:
    """The upload section from its title to the import button, 1440 px wide (the app
    scrolls in its own container: a viewport tall enough for the section, then back)."""
    title = page.get_by_role("heading", name="Daten importieren (Redaktion)")
    button = page.get_by_role("button", name="Importieren", exact=True)
    page.set_viewport_size({"width": 1440, "height": 2200})
    try:
        title.evaluate("el => el.scrollIntoView({block: 'start'})")
        wait_for_app_idle(page)
        top, bottom = title.bounding_box(), button.bounding_box()
        assert top and bottom
        height = bottom["y"] + bottom["height"] + 24 - (top["y"] - 24)
        clip = {"x": 0, "y": max(top["y"] - 24, 0), "width": 1440, "height": height}
        page.screenshot(path=str(path), clip=clip)
    finally:
        page.set_viewport_size({"width": 1440, "height": 900})
