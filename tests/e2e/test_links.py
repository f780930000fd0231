"""Links are a public API: deep links show the filtered view, bad values a German notice."""

from __future__ import annotations

import re
from urllib.parse import parse_qs, urlsplit

import pytest
from playwright.sync_api import Page

from dortmund_kpi import texts
from tests.e2e.conftest import AppServer
from tests.e2e.helpers import (
    ALERT,
    DATA_TABLE,
    NOTICE_TEXT,
    PLOT,
    TEXT_TABLE,
    assert_no_error,
    assert_no_exception,
    click_page_link,
    h1,
    legend_texts,
    main_text,
    open_chart,
    open_page,
    period_years,
    rerun,
    selected_districts,
    static_chart,
    table_rows,
    traces,
    xtick_texts,
)

pytestmark = pytest.mark.e2e

RANGE = "zeitraum=2020&zeitraum=2024"
YEARS = range(2020, 2025)
ALL_DISTRICTS = {
    "Innenstadt-West",
    "Innenstadt-Nord",
    "Innenstadt-Ost",
    "Eving",
    "Scharnhorst",
    "Brackel",
    "Aplerbeck",
    "Hörde",
    "Hombruch",
    "Lütgendortmund",
    "Huckarde",
    "Mengede",
}
# Target path and forecast may pass the range; the demo legend entry has no points.
NOT_DATA = {"Zielpfad", "Trend (Fortschreibung)", texts.DEMO_POINTS} | {
    texts.TREND_BOUNDED.format(side=side) for side in texts.TREND_BOUND_SIDES.values()
}


def query(page: Page) -> dict[str, list[str]]:
    return parse_qs(urlsplit(page.url).query)


def year_of(period_text: str) -> int:
    """'2024', 'Q4 2024', 'Dezember 2024', '31.12.2024' -> 2024."""
    found = re.findall(r"(?<!\d)(\d{4})(?!\d)", period_text)
    assert found, f"no year in period {period_text!r}"
    return int(found[-1])


def assert_shared_filters(page: Page, districts: list[str], years: tuple[int, int]) -> None:
    assert selected_districts(page) == districts
    assert period_years(page) == years


def test_indicator_deep_link(page: Page, app_server: AppServer):
    open_page(
        page,
        app_server.base_url,
        f"/indikator?indikator=online_antraege&bezirk=hoerde&bezirk=eving&{RANGE}",
    )
    static_chart(page, "series")
    assert_no_error(page)
    assert h1(page) == "Online gestellte Anträge"
    assert_shared_filters(page, ["Hörde", "Eving"], (2020, 2024))
    assert query(page) == {
        "indikator": ["online_antraege"],
        "bezirk": ["hoerde", "eving"],
        "zeitraum": ["2020", "2024"],
    }

    series = open_chart(page, "series")
    areas = sorted(set(legend_texts(series)) - {texts.DEMO_POINTS})
    assert areas == ["Dortmund (gesamt)", "Eving", "Hörde"]
    data = [t for t in traces(page, series) if t["name"] not in NOT_DATA]
    assert {t["name"] for t in data} == {"Dortmund (gesamt)", "Eving", "Hörde"}
    for trace in data:
        years = {int(x[:4]) for x in trace["x"]}
        assert years <= set(YEARS), f"{trace['name']}: data outside 2020-2024: {sorted(years)}"
    ticks = xtick_texts(series)
    assert ticks, "the time axis has no tick labels"
    tick_years = [int(t) for t in ticks]
    assert all(y in YEARS for y in tick_years), (
        f"x axis tick labels outside the chosen period 2020-2024: {ticks} "
        f"(data points: {sorted({x[:10] for t in data for x in t['x']})})"
    )
    assert len(tick_years) == len(set(tick_years)), f"repeated year tick labels: {ticks}"

    header, *rows = table_rows(page.locator(DATA_TABLE))
    assert header[:3] == ["Gebiet", "Zeitraum", "Wert"]
    assert rows, "the data table shows no rows"
    assert {r[0] for r in rows} <= {"Dortmund", "Hörde", "Eving"}
    assert all(year_of(r[1]) in YEARS for r in rows), [r[1] for r in rows]


def test_the_per_1000_switch_is_part_of_the_link(page: Page, app_server: AppServer):
    """The indicator page's "je 1.000 Einwohner" switch writes ``je1000=1`` into the
    address (a partial rerun writes it), and that link opens the page with it on: the
    series per 1,000 inhabitants, the districts' lines beside the city's."""
    open_page(page, app_server.base_url, "/indikator?indikator=wlan_hotspots&bezirk=hoerde")
    switch = page.get_by_text(texts.FILTER_PER_CAPITA)
    with rerun(page):
        switch.click()
    assert query(page).get("je1000") == ["1"]
    drawn = static_chart(page, "series")
    assert texts.PER_1000 in (drawn.text_content() or "")
    open_page(page, "", page.url)
    assert texts.PER_1000 in (static_chart(page, "series").text_content() or "")
    assert page.locator(".st-key-je1000 input").is_checked()
    assert_no_error(page)


def test_masterplan_deep_link(page: Page, app_server: AppServer):
    open_page(page, app_server.base_url, f"/masterplan?masterplan=bildung&bezirk=hoerde&{RANGE}")
    assert_no_error(page)
    assert h1(page) == "Masterplan Bildung"
    assert_shared_filters(page, ["Hörde"], (2020, 2024))
    assert query(page)["masterplan"] == ["bildung"]

    # The indicator charts (the measures timeline below them has no districts or periods):
    # static small multiples, each one's plotly chart drawn when its popover opens.
    buttons = page.locator("[class*='st-key-offen_mp_'] button")  # not the timeline's
    assert buttons.count() >= 5
    legends = []
    for index in range(buttons.count()):
        buttons.nth(index).click()
        plot = page.locator(f"[data-testid='stPopoverBody'] [class*='st-key-mp_'] {PLOT}")
        plot.locator(".gtitle").wait_for()
        legends.append(set(legend_texts(plot)))
        for trace in traces(page, plot):
            if trace["name"] in NOT_DATA:
                continue
            years = {int(x[:4]) for x in trace["x"]}
            assert years <= set(YEARS), f"{trace['name']}: data outside 2020-2024: {years}"
        page.keyboard.press("Escape")
        plot.wait_for(state="detached")
    assert any("Hörde" in legend for legend in legends), legends
    shown = set().union(*legends)
    assert shown & ALL_DISTRICTS == {"Hörde"}, f"other districts in the legends: {shown}"


def test_overview_deep_link(page: Page, app_server: AppServer):
    open_page(page, app_server.base_url, f"/?bezirk=hoerde&{RANGE}")
    assert_no_error(page)
    assert h1(page) == "Übersicht"
    assert_shared_filters(page, ["Hörde"], (2020, 2024))
    assert query(page) == {"bezirk": ["hoerde"], "zeitraum": ["2020", "2024"]}
    # Each tile's caption starts with the latest period within the range: "2024 · …".
    text = main_text(page)
    captions = re.findall(r"^(.*\d{4}) · ", text, flags=re.MULTILINE)
    assert captions, "no KPI tile captions found"
    assert all(year_of(c) in YEARS for c in captions), captions


def test_tile_link_changes_page_within_the_session(page: Page, app_server: AppServer):
    """A KPI tile's link (plain HTML, ``ui.tile_markup``) opens the indicator as Streamlit's
    own links do: the same document (no reload), the session's filters kept."""
    open_page(page, app_server.base_url, f"/?bezirk=hoerde&{RANGE}")
    page.evaluate("window.__sameDocument = true")
    link = page.locator("a.dkpi-tile-link").first
    assert link.get_attribute("aria-label").startswith(f"{texts.OPEN_INDICATOR} „")
    href = parse_qs(urlsplit(link.get_attribute("href")).query)
    assert href["bezirk"] == ["hoerde"] and href["zeitraum"] == ["2020", "2024"]  # new tab too
    (indicator,) = href["indikator"]
    click_page_link(page, link)
    page.wait_for_url(re.compile(rf"/indikator\?.*indikator={indicator}"))
    page.wait_for_function("window.__dkpiNavRan === true")  # no loading the page instead
    static_chart(page, "series")
    assert page.evaluate("window.__sameDocument === true")
    assert_no_error(page)
    assert_shared_filters(page, ["Hörde"], (2020, 2024))
    assert query(page)["indikator"] == [indicator]


def test_masterplan_card_link_changes_page_within_the_session(page: Page, app_server: AppServer):
    """A masterplan chart's link (HTML in its card, ``tile_markup.card_html``) opens the
    indicator as a page change of the session, the filters kept."""
    open_page(page, app_server.base_url, f"/masterplan?masterplan=bildung&bezirk=hoerde&{RANGE}")
    page.evaluate("window.__sameDocument = true")
    card = page.locator(".dkpi-card").first
    indicator = card.get_attribute("data-indicator")
    click_page_link(page, card.locator("a.dkpi-nav"))
    page.wait_for_url(re.compile(rf"/indikator\?.*indikator={indicator}"))
    page.wait_for_function("window.__dkpiNavRan === true")
    static_chart(page, "series")
    assert page.evaluate("window.__sameDocument === true")
    assert_no_error(page)
    assert_shared_filters(page, ["Hörde"], (2020, 2024))


def test_tile_link_keeps_streamlit_s_embed_mode(page: Page, app_server: AppServer):
    open_page(page, app_server.base_url, "/?embed=true")
    click_page_link(page, page.locator("a.dkpi-tile-link").first)
    page.wait_for_url(re.compile(r"/indikator\?.*embed=true"))
    page.wait_for_function("window.__dkpiNavRan === true")
    static_chart(page, "series")
    assert_no_error(page)


def test_districts_deep_link(page: Page, app_server: AppServer):
    open_page(page, app_server.base_url, f"/bezirke?bezirk=eving&{RANGE}")
    assert_no_error(page)
    assert h1(page) == "Profil des Stadtbezirks Eving"
    assert_shared_filters(page, ["Eving"], (2020, 2024))
    tables = page.locator(TEXT_TABLE).all()
    assert tables, "no profile tables"
    for table in tables:
        header, *rows = table_rows(table)
        column = header.index("Zeitraum")
        assert rows
        assert all(year_of(r[column]) in YEARS for r in rows), [r[column] for r in rows]


def test_data_page_keeps_the_shared_filters(page: Page, app_server: AppServer):
    open_page(page, app_server.base_url, f"/daten?bezirk=hoerde&{RANGE}")
    assert_no_error(page)
    assert h1(page) == "Daten & Methodik"
    assert_shared_filters(page, ["Hörde"], (2020, 2024))
    assert query(page) == {"bezirk": ["hoerde"], "zeitraum": ["2020", "2024"]}


MALFORMED = [
    ("/?bezirk=nowhere", "bezirk", "Übersicht"),
    ("/masterplan?masterplan=xyz", "masterplan", "Masterplan Verwaltung"),
    ("/indikator?indikator=%27%3B%20DROP%20TABLE", "indikator", None),
    ("/?zeitraum=abc", "zeitraum", "Übersicht"),
]


@pytest.mark.parametrize(("path", "key", "title"), MALFORMED, ids=[m[0] for m in MALFORMED])
def test_malformed_value_shows_german_notice(
    page: Page, app_server: AppServer, path: str, key: str, title: str | None
):
    open_page(page, app_server.base_url, path)
    notices = page.locator(ALERT).filter(has_text=NOTICE_TEXT)
    assert notices.count() == 1, page.locator(ALERT).all_inner_texts()
    assert f"„{key}“" in notices.first.inner_text()
    assert_no_exception(page)
    heading = h1(page)
    assert heading and (title is None or heading == title)
    # The bad value is dropped from the address bar; the rest of the view is the default.
    assert key not in query(page) or key in ("masterplan", "indikator")
    assert "nowhere" not in page.url and "DROP" not in page.url and "xyz" not in page.url
