"""The indicator page's CSV download: German Excel format, same numbers as on screen."""

from __future__ import annotations

import csv
import io

import pytest
from playwright.sync_api import Page

from tests.e2e.conftest import AppServer
from tests.e2e.helpers import (
    DATA_TABLE,
    german_number,
    open_chart,
    open_page,
    static_chart,
    table_rows,
    traces,
)

pytestmark = pytest.mark.e2e

HEADER = ["Gebiet", "Zeitraum", "Wert", "Einheit", "Datenart", "Quelle", "Anmerkung"]
CITY_ROW = "Dortmund"
CITY_TRACE = "Dortmund (gesamt)"


def test_csv_download_matches_the_chart(page: Page, app_server: AppServer):
    open_page(
        page,
        app_server.base_url,
        "/indikator?indikator=online_antraege&bezirk=hoerde&zeitraum=2020&zeitraum=2024",
    )
    static_chart(page, "series")
    with page.expect_download() as info:
        page.get_by_role("button", name="CSV herunterladen (Excel)").click()
    download = info.value
    assert download.failure() is None, download.failure()
    assert download.suggested_filename == "online_antraege_hoerde_2020-2024.csv"
    raw = download.path().read_bytes()

    assert raw.startswith(b"\xef\xbb\xbf"), f"no UTF-8 BOM: {raw[:20]!r}"
    text = raw.decode("utf-8-sig")
    rows = list(csv.reader(io.StringIO(text), delimiter=";"))
    assert rows[0] == HEADER
    body = [r for r in rows[1:] if r]
    assert body, "the CSV has no data rows"
    assert all(len(r) == len(HEADER) for r in body), [r for r in body if len(r) != len(HEADER)]
    values = [r[2] for r in body]
    assert all("." not in v for v in values), f"decimal point instead of comma: {values}"
    assert any("," in v for v in values), f"no decimal comma in {values}"
    assert {r[0] for r in body} == {CITY_ROW, "Hörde"}
    assert all(r[4] in ("Demodaten", "amtlich/veröffentlicht") for r in body)

    # The same numbers as the chart (its interactive form), area by area, in order.
    drawn = {t["name"]: t["y"] for t in traces(page, open_chart(page, "series"))}
    for area, trace in ((CITY_ROW, CITY_TRACE), ("Hörde", "Hörde")):
        exported = [german_number(r[2]) for r in body if r[0] == area]
        assert len(exported) == len(drawn[trace]), (area, exported, drawn[trace])
        for got, shown in zip(exported, drawn[trace], strict=True):
            assert got == pytest.approx(shown, abs=0.006), (area, exported, drawn[trace])

    # ... and as the data table, which shows the numbers rounded, in German format.
    header, *shown_rows = table_rows(page.locator(DATA_TABLE))
    assert header == HEADER
    assert shown_rows, "the data table shows no rows"
    for shown in shown_rows:
        match = [r for r in body if r[0] == shown[0] and r[1] == shown[1]]
        assert len(match) == 1, (shown, body)
        digits = len(shown[2].partition(",")[2])
        assert german_number(match[0][2]) == pytest.approx(
            german_number(shown[2]), abs=0.5 * 10**-digits + 1e-9
        ), (shown, match[0])
