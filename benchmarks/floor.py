"""Every page of ours against the floor page in headless Chromium, measured in turns.

Two tabs of one browser context: one on ``dortmund-kpi serve``, one on the floor page
(``benchmarks/floor_page.py``, served beside it by ``streamlit run`` from the same
database). Waiting is the browser part's (``benchmarks/browser.py``): Streamlit idle and
every plotly chart drawn (at least as many as one AppTest run of the page found). Per
page, after one untimed round (server caches and the browser's HTTP cache warm):

- ``vs_floor.<page>.warm``: the page loaded again (``goto`` to drawn), in turns with the
  floor page's warm load (``vs_floor.<page>.warm.floor``), A B A B ...; ``ratio_to_floor``
  = median / the floor's median of the same turns (issue 17: <= 1.5);
- ``vs_floor.<page>.filter``: a filter changed, from the click until the rerun is drawn
  (the browser part's filter of the page; on pages without one there, a district added
  to and removed from the sidebar filter), in turns with the floor's redraw after another
  district is chosen in its selectbox (``vs_floor.<page>.filter.floor``; issue 17: <= 2).
"""

from __future__ import annotations

import os
from collections.abc import Callable
from typing import Any

import duckdb

from benchmarks import browser
from benchmarks.apptest import open_app, payload
from benchmarks.concurrency import FLOOR, Site
from benchmarks.datasets import Dataset
from benchmarks.queries import district_indicator, quiet_streamlit
from benchmarks.records import Record, measure_interleaved, ratio
from dortmund_kpi.db.store import Store
from dortmund_kpi.settings import ENV_DB
from dortmund_kpi.share import urlstate

PAGES = tuple(urlstate.PAGES)  # every page of ours
FLOOR_DISTRICT = "hoerde"  # the floor's first choice (Eving) differs from it


def floor_indicator(con: duckdb.DuckDBPyConnection) -> str:
    """A district indicator with the most stored city values: the floor draws city and
    district from stored rows (ours derives missing city values)."""
    return str(
        con.execute(
            """SELECT o.indicator_id FROM current_observations o
               JOIN indicators i ON i.id = o.indicator_id
               WHERE i.level = 'district' AND o.area = 'dortmund'
               GROUP BY o.indicator_id, i.sort_order ORDER BY count(*) DESC, i.sort_order
               LIMIT 1"""
        ).fetchall()[0][0]
    )


def sites(store: Store, app_url: str, floor_url: str) -> tuple[list[Site], Site]:
    """The pages of ours (the indicator page on a district indicator: with its map) and
    the floor page, as visitors open them (indicators chosen from ``store``'s data)."""
    with store.connect_read() as con:
        indicator, ours = floor_indicator(con), district_indicator(con)
    pages = [
        Site(
            page, app_url, urlstate.PAGES[page], {"indikator": ours} if page == "indikator" else {}
        )
        for page in PAGES
    ]
    return pages, Site(FLOOR, floor_url, "", {"indikator": indicator})


def chart_counts(dataset: Dataset, pages: list[Site], known: dict[str, int]) -> dict[str, int]:
    """Plotly charts per page (one AppTest run each, unless the page part counted them)."""
    os.environ[ENV_DB] = str(dataset.settings.db_path)
    quiet_streamlit()
    counts = dict(known)
    for site in pages:
        if site.name not in counts:
            at = open_app(site.name, site.params, lambda: None)
            at.run()
            counts[site.name] = payload(at)[2]
    return counts


def _target(site: Site, charts: int, district: str | None = None) -> browser.Target:
    query = (
        site.query(district) if district else "&".join(f"{k}={v}" for k, v in site.params.items())
    )
    return browser.Target(
        site.name, f"{site.base}/{site.path}" + (f"?{query}" if query else ""), charts
    )


def _floor_filter(tab: Any, target: browser.Target, step: int) -> None:
    """Choose another district in the floor's selectbox (Eving, Hörde, Eving, ...)."""
    name = browser.PROFILE_DISTRICTS[step % 2]
    field = tab.locator("[data-testid='stSelectbox'] input[role='combobox']").first
    field.click()
    field.fill(name)
    option = tab.get_by_role("option", name=name, exact=True)
    option.wait_for()
    browser._timed_action(tab, target, option.click, need_chart=True)
    tab.keyboard.press("Escape")


def _sidebar_district(tab: Any, target: browser.Target, step: int) -> None:
    """A district added to the sidebar filter, then removed; waits for the rerun drawn
    (the page's charts need not change: not every page draws districts)."""
    box = tab.locator("[data-testid='stMultiSelect']").first
    field = box.locator("input[role='combobox']")
    field.click()
    if step % 2 == 0:
        field.fill(browser.DISTRICT)
        option = tab.get_by_role("option", name=browser.DISTRICT, exact=True)
        option.wait_for()
        browser._timed_action(tab, target, option.click, need_chart=False)
    else:
        browser._timed_action(tab, target, lambda: field.press("Backspace"), need_chart=False)
    tab.keyboard.press("Escape")


def _stepper(action: Callable[[Any, browser.Target, int], None], tab: Any, target: browser.Target):
    steps = iter(range(10_000))
    return lambda: action(tab, target, next(steps))


def run(
    pages: list[Site],
    floor: Site,
    chromium: Any,
    charts: dict[str, int],
    scale: str,
    repeat: int,
    log: Callable[[str], None],
) -> list[Record]:
    context = chromium.new_context(viewport=browser.VIEWPORT, locale="de-DE")
    context.set_default_timeout(browser.TIMEOUT_MS)
    ours_tab, floor_tab = context.new_page(), context.new_page()
    floor_target = _target(floor, 1, FLOOR_DISTRICT)
    records: list[Record] = []
    from playwright.sync_api import TimeoutError as Timeout

    try:
        for site in pages:
            target = _target(site, charts.get(site.name, 0))
            try:
                records += _page(
                    site.name, scale, repeat, (ours_tab, target), (floor_tab, floor_target), log
                )
            except Timeout as error:  # one page that never finished must not end the run
                log(f"  ! {site.name}: not measured, {str(error).splitlines()[0]}")
    finally:
        context.close()
    return records


def _page(
    name: str,
    scale: str,
    repeat: int,
    ours: tuple[Any, browser.Target],
    floor: tuple[Any, browser.Target],
    log: Callable[[str], None],
) -> list[Record]:
    (tab, target), (floor_tab, floor_target) = ours, floor
    fronts = {"ours": tab.bring_to_front, "floor": floor_tab.bring_to_front}
    loads = measure_interleaved(
        {
            "ours": lambda: browser.load(tab, target),
            "floor": lambda: browser.load(floor_tab, floor_target),
        },
        repeat,
        warmup=1,
        setups=fronts,
    )
    action = browser.FILTERS.get(name, _sidebar_district)
    filters = measure_interleaved(
        {
            "ours": _stepper(action, tab, target),
            "floor": _stepper(_floor_filter, floor_tab, floor_target),
        },
        repeat,
        warmup=1,
        setups=fronts,
    )
    records = []
    for kind, timings in (("warm", loads), ("filter", filters)):
        mine, theirs = timings["ours"], timings["floor"]
        factor = ratio(mine.median_ms, theirs.median_ms)
        records += [
            mine.record(f"vs_floor.{name}.{kind}", scale, ratio_to_floor=factor),
            theirs.record(f"vs_floor.{name}.{kind}.floor", scale),
        ]
        log(
            f"  {name} {kind}: {mine.median_ms:.0f} ms, floor {theirs.median_ms:.0f} ms ({factor}x)"
        )
    return records
