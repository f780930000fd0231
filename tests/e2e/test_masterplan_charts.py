"""The masterplan page as a person sees it (issue 17): every small multiple is drawn, with
its title and unit, its source and Stand line, and the "Demodaten" badge exactly where its
values include demo values; the interactive chart opens on demand with the same title."""

from __future__ import annotations

from pathlib import Path

import pytest
from playwright.sync_api import Page

from dortmund_kpi import texts
from dortmund_kpi.db import read
from dortmund_kpi.db.store import Store
from tests.e2e.conftest import AppServer
from tests.e2e.helpers import PLOT, assert_no_error, open_page, period_years

pytestmark = pytest.mark.e2e
SMALL = ".dkpi-small-multiple svg"
PLAN, DISTRICT = "wirtschaft", "hoerde"

# What a person reads in each drawn chart: the title lines (font size 15) and every text.
READ_JS = """svg => ({
  title: Array.from(svg.querySelectorAll("text[font-size='15']"), t => t.textContent).join(' '),
  texts: Array.from(svg.querySelectorAll('text'), t => t.textContent),
  label: svg.getAttribute('aria-label'),
  shown: svg.getBoundingClientRect().width > 100,
})"""


def test_every_small_multiple_names_title_unit_source_and_demo(
    page: Page, app_server: AppServer, e2e_db: Path
) -> None:
    open_page(page, app_server.base_url, f"/masterplan?masterplan={PLAN}&bezirk={DISTRICT}")
    assert_no_error(page)
    lo, hi = period_years(page)
    with Store(e2e_db).connect_read() as con:
        indicators = read.indicator_list(con)
        own = indicators[indicators["masterplan"] == PLAN]
        expected = {f"{ind['name']} ({ind['unit']})": ind for _, ind in own.iterrows()}
        seen_all = page.locator(SMALL).evaluate_all(f"svgs => svgs.map({READ_JS})")
        assert sorted(s["title"] for s in seen_all) == sorted(expected), "one per indicator"
        for seen in seen_all:
            ind = expected[seen["title"]]
            shown = read.series(con, [ind["id"]], ["dortmund", DISTRICT], lo, hi)
            assert seen["shown"], ind["id"]
            footer = " ".join(t for t in seen["texts"] if t.startswith(f"{texts.SOURCE}: "))
            assert footer.startswith(f"{texts.SOURCE}: "), (ind["id"], seen["texts"])
            assert f"{texts.STAND}: " in " ".join(seen["texts"]), ind["id"]
            has_demo = not shown["is_official"].all()
            assert (texts.DEMO_BADGE in seen["texts"]) == has_demo, (ind["id"], seen["texts"])
            assert seen["label"].startswith(ind["name"]), seen["label"]


def test_interactive_chart_opens_on_demand(page: Page, app_server: AppServer) -> None:
    open_page(page, app_server.base_url, f"/masterplan?masterplan={PLAN}")
    drawn = page.locator(PLOT).count()  # none: small multiples and timeline are SVG
    first = page.locator(SMALL).first.evaluate(READ_JS)
    page.get_by_role("button", name=texts.INTERACTIVE_CHART).first.click()
    page.wait_for_function(
        "([sel, n]) => document.querySelectorAll(sel + ' .gtitle').length > n", arg=[PLOT, drawn]
    )
    assert page.locator(PLOT).count() == drawn + 1
    # plotly draws each title line as a tspan: compare without the line breaks
    titles = page.locator(f"{PLOT} .gtitle").evaluate_all("ts => ts.map(t => t.textContent)")
    assert "".join(first["title"].split()) in ["".join(t.split()) for t in titles], titles


def test_exports_open_on_demand(page: Page, app_server: AppServer) -> None:
    """A small multiple's popover, opened, offers PNG and SVG below the chart (that its
    buttons are sent only then is checked in ``tests/app/test_masterplan_charts.py``)."""
    open_page(page, app_server.base_url, f"/masterplan?masterplan={PLAN}")
    page.get_by_role("button", name=texts.INTERACTIVE_CHART).first.click()
    popover = page.locator("[data-testid='stPopoverBody']")
    png = popover.get_by_role("button", name=texts.EXPORT_PNG)
    note = popover.get_by_text(texts.EXPORT_NO_BROWSER)
    png.or_(note).first.wait_for()
    if png.count():
        assert popover.get_by_role("button", name=texts.EXPORT_SVG).count() == 1
    assert_no_error(page)
