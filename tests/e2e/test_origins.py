"""Official figures imported over a demo series, as a person sees them (issue 15): the
tile, the chart, the district table, the map and the slide mark the new value official
and the older ones demo, each value by its own origin."""

from __future__ import annotations

import io
import subprocess
from collections.abc import Iterator
from pathlib import Path

import pytest
from playwright.sync_api import Locator, Page
from pptx import Presentation

from dortmund_kpi import texts
from tests.conftest import FIXTURES, build_fixture_db
from tests.e2e.conftest import AppServer, cli_command, start_server, stop_server
from tests.e2e.helpers import (
    TEXT_TABLE,
    assert_no_error,
    close_chart,
    legend_texts,
    open_chart,
    open_page,
    table_rows,
)

pytestmark = pytest.mark.e2e
OFFICIAL_OVER_DEMO = FIXTURES / "official_over_demo.csv"  # Hörde's 2025 fibre share: 51,2 %
TILE = "Glasfaser Haushalte"


@pytest.fixture(scope="module")
def mixed_server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[AppServer]:
    """A copy of the fixture database (demo series) after ``dortmund-kpi import`` of
    official values over them, served on its own."""
    folder = tmp_path_factory.mktemp("origins")
    db = folder / "kpi.duckdb"
    build_fixture_db(db)
    run = subprocess.run(
        [*cli_command(), "--db", str(db), "import", str(OFFICIAL_OVER_DEMO)],
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )
    assert run.returncode == 0, run.stderr
    server = start_server(db, folder / "server.log")
    yield server
    stop_server(server.process)


def _plot_data(graph: Locator) -> list[dict]:
    return graph.evaluate(
        """gd => gd._fullData.map(t => ({
        name: t.name, type: t.type,
        symbols: t.marker && Array.isArray(t.marker.symbol) ? t.marker.symbol : null,
        customdata: t.customdata ? Array.from(t.customdata) : null,
        locations: t.locations ? Array.from(t.locations) : null,
        hovertemplate: t.hovertemplate || '',
    }))"""
    )


def test_official_value_over_demo_series_is_marked_per_value(page: Page, mixed_server: AppServer):
    # The tile: Hörde's official 51,2 % is not labelled demo; its change against the demo
    # 2024 value says so.
    open_page(page, mixed_server.base_url, "/?bezirk=hoerde")
    assert_no_error(page)
    tile = page.locator(".dkpi-tile").filter(has=page.locator("h3", has_text=TILE))
    text = tile.inner_text()
    caption = next(line for line in text.splitlines() if line.startswith("Hörde · "))
    # No demo badge for the official value, a note on the comparison with the demo one.
    assert "51,2 %" in text and caption == f"Hörde · 2025 · {texts.CROSS_ORIGIN[False]}", text

    # The chart: Hörde's 2025 point filled, its older demo points hollow, a legend entry.
    open_page(page, mixed_server.base_url, "/indikator?indikator=glasfaser_haushalte&bezirk=hoerde")
    graph = open_chart(page, "series")  # drawn as SVG with the page, plotly on demand
    assert_no_error(page)
    series = _plot_data(graph)
    hoerde = next(t for t in series if t["name"] == "Hörde")
    assert hoerde["symbols"][-1] == "circle" and set(hoerde["symbols"][:-1]) == {"circle-open"}
    assert [c[1] for c in hoerde["customdata"]][-2:] == [texts.DEMO, texts.OFFICIAL]
    assert texts.DEMO_POINTS in legend_texts(graph)
    close_chart(page)

    # The map (drawn as SVG): each district's tooltip, the map's hover, names its own
    # origin (Hörde and Eving official).
    kinds = {
        tip.split(":")[0]: tip.rsplit("\n", 1)[-1]
        for tip in page.locator(".st-key-svg_map path.area title").all_text_contents()
    }
    assert len(kinds) == 12, kinds
    assert kinds["Hörde"] == kinds["Eving"] == texts.OFFICIAL
    assert {k for a, k in kinds.items() if a not in ("Hörde", "Eving")} == {texts.DEMO}

    # The slide of this view: the demo points hollow (white), the footer says it mixes.
    with page.expect_download(timeout=120_000) as info:
        page.get_by_role("button", name="Als Folie (PPTX)").first.click()
    deck = Presentation(io.BytesIO(Path(info.value.path()).read_bytes()))
    first = deck.slides[0]
    footer = " ".join(s.text_frame.text for s in first.shapes if s.has_text_frame)
    assert texts.KIND_MIXED in footer
    chart = next(s.chart for s in first.shapes if s.has_chart)
    line = next(s for s in chart.plots[0].series if s.name == "Hörde")
    hollow = {int(p.get("val")) for p in line._element.xpath("./c:dPt/c:idx")}
    drawn = [i for i, v in enumerate(line.values) if v is not None]  # by category
    assert len(drawn) == len(hoerde["symbols"])
    assert hollow == set(drawn[:-1])

    # The district table: Hörde's value official, the city's it is set against demo.
    open_page(page, mixed_server.base_url, "/bezirke?bezirk=hoerde")
    assert_no_error(page)
    tables = page.locator(TEXT_TABLE)
    tables.first.wait_for()
    found = [table_rows(tables.nth(i), 1) for i in range(tables.count())]
    header, *rows = next(rows for rows in found if any(TILE in r for r in rows))
    row = dict(zip(header, next(r for r in rows if TILE in r), strict=True))
    assert row[texts.COLUMNS["kind"]] == texts.OFFICIAL, row
    assert row[texts.COLUMNS["city_kind"]] == texts.DEMO, row
    assert texts.CROSS_ORIGIN[False] in row[texts.COLUMNS["deviation"]], row
