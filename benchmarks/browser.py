"""Headless Chromium against ``dortmund-kpi serve``: what a person waits for.

Timed from ``page.goto`` (or from the click) until Streamlit is idle (connected, script
``notRunning``, no skeleton, nothing stale) and every plotly chart of the page is drawn
(``.js-plotly-plot`` with its layout, data and SVG, or a small multiple's static SVG; at
least as many charts as the AppTest run of the same page found). Waiting polls on
animation frames, no sleeps.

- ``browser.first_visit``: the first page load after the server started, in a new browser
  context (one sample: module imports, first connection, empty caches on both sides,
  the browser's included).
- ``browser.<page>.cold``: a new session after a new data version was published
  (``Store.write()`` without changes), so every query cache of the server misses, as the
  morning after an import; the browser has visited before (Streamlit's static files come
  from its HTTP cache, as for an office that opens the dashboard every day). One context
  per scale, so the empty browser cache is paid once, by the first visit.
- ``browser.<page>.warm``: the same page loaded again (server caches warm).
- ``browser.<page>.filter``: a filter changed, from the click to the updated chart
  (``_fullData`` of a chart replaced, or a chart drawn as SVG redrawn) or, on pages
  without charts, the updated view.
  Alternating changes (add/remove a district, move the slider back and forth); the
  warm-up change visits the one state not cached yet, so every timed change is warm.
"""

from __future__ import annotations

import os
import shutil
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from benchmarks.apptest import PAGES, page_params
from benchmarks.datasets import Dataset
from benchmarks.records import Record, Timing, measure
from benchmarks.server import AppServer
from dortmund_kpi.db.store import Store
from dortmund_kpi.share import urlstate

CHROMIUM_ENV = "DORTMUND_KPI_CHROMIUM"
CHROMIUM_DEFAULT = "/usr/bin/chromium"
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
]
VIEWPORT = {"width": 1440, "height": 900}
TIMEOUT_MS = int(os.environ.get("BENCH_BROWSER_TIMEOUT_MS", "180000"))
DISTRICT = "Hörde"
PROFILE_DISTRICTS = ("Eving", "Hörde")

DRAWN_JS = """(minCharts) => {
  const app = document.querySelector("[data-testid='stApp']");
  if (!app || app.getAttribute('data-test-connection-state') !== 'CONNECTED'
      || app.getAttribute('data-test-script-state') !== 'notRunning') return false;
  if (!document.querySelector("[data-testid='stMain'] h1")) return false;
  if (document.querySelector("[data-testid='stSkeleton'], [data-stale='true']")) return false;
  const holders = document.querySelectorAll("[data-testid='stPlotlyChart']");
  // A small multiple or another chart drawn as static SVG counts as a chart (its
  // plotly form opens on demand in a popover, which the browser does not draw until then).
  const smalls = document.querySelectorAll(
    '.dkpi-small-multiple, .dkpi-static').length;
  if (holders.length + smalls < minCharts) return false;
  for (const holder of holders) {
    const gd = holder.querySelector('.js-plotly-plot');
    if (!gd || !gd._fullLayout || !gd._fullData || !gd.querySelector('.main-svg')) return false;
  }
  return true;
}"""

# Count script runs and remember each chart's data object, right before an interaction.
SNAPSHOT_JS = """() => {
  const app = document.querySelector("[data-testid='stApp']");
  if (app.__benchRuns === undefined) {
    app.__benchRuns = 0;
    // From the records, not the attribute's value when the callback runs: a fast rerun
    // may go running -> notRunning before the callback sees it.
    new MutationObserver((records) => {
      records.forEach((record, i) => {
        const next = i + 1 < records.length ? records[i + 1].oldValue
          : app.getAttribute('data-test-script-state');
        if (record.oldValue === 'notRunning' && next !== 'notRunning') app.__benchRuns += 1;
      });
    }).observe(app, {attributes: true, attributeOldValue: true,
                     attributeFilter: ['data-test-script-state']});
  }
  window.__benchPlots = new Map(
    Array.from(document.querySelectorAll('.js-plotly-plot')).map(gd => [gd, gd._fullData]));
  window.__benchSmalls = new Set(Array.from(document.querySelectorAll(
    '.dkpi-small-multiple svg, .dkpi-static svg')).map(svg => svg.outerHTML));
  window.__benchHref = location.href;
  return app.__benchRuns;
}"""

UPDATED_JS = (
    """([before, minCharts, needChart]) => {
  const drawn = """
    + DRAWN_JS
    + """;
  const app = document.querySelector("[data-testid='stApp']");
  if (!drawn(minCharts)) return false;
  // A replaced chart proves the rerun (its running state may never have been rendered),
  // and so does the address bar: the server writes the view into it at the end of a run.
  // A fast partial rerun can go running -> notRunning within one render, unseen by the
  // observer; waiting for the run count alone then hung until the timeout.
  if (!needChart) return app.__benchRuns > before || location.href !== window.__benchHref;
  return Array.from(document.querySelectorAll('.js-plotly-plot')).some(
    gd => !window.__benchPlots.has(gd) || window.__benchPlots.get(gd) !== gd._fullData)
    || Array.from(document.querySelectorAll('.dkpi-small-multiple svg, .dkpi-static svg')).some(
      svg => !window.__benchSmalls.has(svg.outerHTML));
}"""
)


@dataclass
class Target:
    page: str
    url: str
    charts: int


def available() -> str | None:
    """None if Playwright and Chromium are usable, else why not."""
    path = os.environ.get(CHROMIUM_ENV, CHROMIUM_DEFAULT)
    if not (os.path.isfile(path) and os.access(path, os.X_OK)):
        return f"no Chromium at {path} (set {CHROMIUM_ENV})"
    try:
        import playwright.sync_api  # noqa: F401
    except ImportError:
        return "Playwright is not installed (pip install playwright)"
    return None


def launch(playwright: Any) -> Any:
    return playwright.chromium.launch(
        executable_path=os.environ.get(CHROMIUM_ENV, CHROMIUM_DEFAULT),
        headless=True,
        args=CHROMIUM_ARGS,
    )


def targets(dataset: Dataset, server: AppServer, charts: dict[str, int]) -> list[Target]:
    out = []
    for page, params in page_params(dataset).items():
        path = "/" + (urlstate.PAGES.get(page) or "")
        query = "&".join(f"{k}={v}" for k, v in params.items())
        url = server.base_url + path + (f"?{query}" if query else "")
        out.append(Target(page, url, charts.get(page, 0)))
    return out


def new_page(browser: Any) -> tuple[Any, Any]:
    context = browser.new_context(viewport=VIEWPORT, locale="de-DE")
    context.set_default_timeout(TIMEOUT_MS)
    return context, context.new_page()


def load(page: Any, target: Target) -> None:
    page.goto(target.url, wait_until="commit")
    page.wait_for_function(DRAWN_JS, arg=target.charts, timeout=TIMEOUT_MS)


def first_visit(page: Any, target: Target) -> Timing:
    return measure(lambda: load(page, target), repeat=1, warmup=0)


def visit_all(browser: Any, items: list[Target]) -> None:
    """Open every page once (for the memory records)."""
    context, page = new_page(browser)
    try:
        for target in items:
            load(page, target)
    finally:
        context.close()


def run(
    dataset: Dataset,
    server: AppServer,
    db_path: Path,
    browser: Any,
    charts: dict[str, int],
    repeat: int,
    log: Callable[[str], None],
) -> list[Record]:
    """Browser records of one scale; ``server`` serves ``db_path`` (see ``served_copy``)."""
    items = targets(dataset, server, charts)
    context, page = new_page(browser)
    try:
        records = [first_visit(page, items[0]).record("browser.first_visit", dataset.scale)]
        for target in items:
            records += _page_records(db_path, dataset.scale, page, target, repeat, log)
    finally:
        context.close()
    return records


def served_copy(dataset: Dataset, folder: Path) -> Path:
    """The database the browser benchmark serves: a private copy of the published version.

    The cold loads publish new versions; on a copy they never touch the data set. A plain
    file also works with servers before ``af7a786``, which pinned the resolved version file
    (see docs/performance.md): the first publish puts the symlink in its place.
    """
    shutil.rmtree(folder, ignore_errors=True)
    folder.mkdir(parents=True)
    target = folder / "kpi.duckdb"
    shutil.copyfile(dataset.store.current_file(), target)
    return target


def _page_records(
    db_path: Path,
    scale: str,
    page: Any,
    target: Target,
    repeat: int,
    log: Callable[[str], None],
) -> list[Record]:
    def cold_setup() -> None:
        with Store(db_path).write():
            pass  # a new published version: every server-side cache misses

    # Cold loads need no warm-up (the first visit was the server's and the browser's);
    # the warm-up of the warm loads is the last cold load.
    cold = measure(lambda: load(page, target), repeat, warmup=0, setup=cold_setup)
    warm = measure(lambda: load(page, target), repeat, warmup=0)
    records = [
        cold.record(f"browser.{target.page}.cold", scale),
        warm.record(f"browser.{target.page}.warm", scale),
    ]
    message = f"  {target.page}: cold {cold.median_ms:.0f} ms, warm {warm.median_ms:.0f} ms"
    action = FILTERS.get(target.page)
    if action is not None:
        steps = iter(range(10_000))

        def change() -> None:
            action(page, target, next(steps))

        filt = measure(change, repeat, warmup=1)
        records.append(filt.record(f"browser.{target.page}.filter", scale))
        message += f", filter {filt.median_ms:.0f} ms"
    log(message)
    return records


def _timed_action(page: Any, target: Target, act: Callable[[], None], need_chart: bool) -> None:
    """Run ``act`` (the click) and wait for the rerun it starts to be drawn."""
    before = page.evaluate(SNAPSHOT_JS)
    act()
    page.wait_for_function(
        UPDATED_JS, arg=[before, target.charts if need_chart else 0, need_chart], timeout=TIMEOUT_MS
    )


def _slider(page: Any, target: Target, step: int) -> None:
    """Move the first thumb of the period slider one year right, then back (keyboard)."""
    thumb = page.locator("[data-testid='stSlider'] input[type='range']").first
    key = "ArrowRight" if step % 2 == 0 else "ArrowLeft"
    thumb.focus()
    _timed_action(page, target, lambda: thumb.press(key), need_chart=False)


def _district(page: Any, target: Target, step: int) -> None:
    """Add a district in the sidebar multiselect, then remove it again (Backspace)."""
    box = page.locator("[data-testid='stMultiSelect']").first
    field = box.locator("input[role='combobox']")
    field.click()
    if step % 2 == 0:
        field.fill(DISTRICT)
        option = page.get_by_role("option", name=DISTRICT, exact=True)
        option.wait_for()
        _timed_action(page, target, option.click, need_chart=True)
    else:
        _timed_action(page, target, lambda: field.press("Backspace"), need_chart=True)
    page.keyboard.press("Escape")


def _profile(page: Any, target: Target, step: int) -> None:
    """Choose another district for the profile (selectbox), alternating two of them."""
    name = PROFILE_DISTRICTS[step % 2]
    box = page.locator("[data-testid='stMain'] [data-testid='stSelectbox']").first
    field = box.locator("input[role='combobox']")
    field.click()
    field.fill(name)
    option = page.get_by_role("option", name=name, exact=True)
    option.wait_for()
    _timed_action(page, target, option.click, need_chart=False)
    page.keyboard.press("Escape")


FILTERS: dict[str, Callable[[Any, Target, int], None]] = {
    "uebersicht": _slider,
    "masterplan": _district,
    "indikator": _district,
    "bezirke": _profile,
}
assert set(FILTERS) <= set(PAGES)
