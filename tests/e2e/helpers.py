"""Page helpers for the browser tests: Streamlit's idle signal, and reading what is drawn.

Selectors were checked against Streamlit 1.67 and the plotly.js it bundles:
- ``[data-testid='stApp']`` carries ``data-test-connection-state`` and
  ``data-test-script-state`` (``initial`` before the first run, then ``running``,
  ``rerunRequested``, ``notRunning``), as used by Streamlit's ``e2e_playwright``.
- ``st.dataframe`` draws on a canvas (glide-data-grid) but keeps an accessibility
  ``<table>`` of the rendered rows in the DOM; its cells hold the raw values
  (``86.8``), the canvas shows the column format (``87``).
- plotly graph divs are ``.js-plotly-plot``; ``gd._fullData`` holds decoded traces.
"""

from __future__ import annotations

import contextlib
import re
import time
from collections.abc import Iterator

import pytest
from google.protobuf.message import DecodeError
from playwright.sync_api import Locator, Page
from playwright.sync_api import TimeoutError as PlaywrightTimeout
from streamlit.proto.ForwardMsg_pb2 import ForwardMsg

from dortmund_kpi import texts
from dortmund_kpi.ui import widgets
from dortmund_kpi.ui.table_markup import TABLE_CLASS

IDLE_TIMEOUT_MS = 60_000
RERUN_START_TIMEOUT_MS = 60_000  # generous: CI machines have 2 cores and may be busy

APP = "[data-testid='stApp']"
CONNECTED = f"{APP}[data-test-connection-state='CONNECTED']"
NOT_RUNNING = f"{APP}[data-test-script-state='notRunning']"
EXCEPTION = "[data-testid='stException']"
MAIN = "[data-testid='stMain']"
PLOT = ".js-plotly-plot"
PLOT_SVG = ".js-plotly-plot .main-svg"
DATAFRAME = "[data-testid='stDataFrame']"
TEXT_TABLE = f".{TABLE_CLASS}"  # a small table of text drawn as HTML (``ui.table_markup``)
DATA_TABLE = f"{TEXT_TABLE}[aria-label='{texts.DATA_TABLE}']"  # the indicator page's data
MULTISELECT = "[data-testid='stMultiSelect']"
ALERT = "[data-testid='stAlert']"
NOTICE_TEXT = "ungültigen Wert"

IDLE_JS = """() => {
  const app = document.querySelector("[data-testid='stApp']");
  return !!app
    && app.getAttribute('data-test-connection-state') === 'CONNECTED'
    && app.getAttribute('data-test-script-state') === 'notRunning'
    && !document.querySelector("[data-testid='stSkeleton']")
    && !document.querySelector("[data-stale='true']");
}"""
STATE_JS = """() => {
  const app = document.querySelector("[data-testid='stApp']");
  return {
    url: location.href,
    connection: app && app.getAttribute('data-test-connection-state'),
    script: app && app.getAttribute('data-test-script-state'),
    skeletons: document.querySelectorAll("[data-testid='stSkeleton']").length,
    stale: document.querySelectorAll("[data-stale='true']").length,
  };
}"""
# Counts script runs: every change of the script state to something else than 'notRunning'.
RUN_COUNTER_JS = """() => {
  const app = document.querySelector("[data-testid='stApp']");
  if (!app) return -1;
  if (app.__e2eRuns === undefined) {
    app.__e2eRuns = 0;
    let last = app.getAttribute('data-test-script-state');
    new MutationObserver(() => {
      const now = app.getAttribute('data-test-script-state');
      if (now !== last && now !== 'notRunning') app.__e2eRuns += 1;
      last = now;
    }).observe(app, {attributes: true, attributeFilter: ['data-test-script-state']});
  }
  return app.__e2eRuns;
}"""


# -- waiting -------------------------------------------------------------------------
def wait_for_app_idle(page: Page, timeout_ms: int = IDLE_TIMEOUT_MS) -> None:
    """Wait until Streamlit is idle: connected, no script run, everything rendered.

    ``notRunning`` alone is not enough in 1.67: widgets whose component code is
    loaded lazily (e.g. the slider) still show a ``stSkeleton`` placeholder for a
    moment after the run, and elements of the previous run are ``data-stale``.
    """
    page.wait_for_selector(CONNECTED, state="attached", timeout=timeout_ms)
    try:
        page.wait_for_function(IDLE_JS, timeout=timeout_ms)
    except PlaywrightTimeout:
        state = page.evaluate(STATE_JS)
        pytest.fail(f"Streamlit did not become idle within {timeout_ms // 1000} s: {state}")
    page.evaluate(RUN_COUNTER_JS)  # from now on, script runs are counted


def click_page_link(page: Page, link: Locator) -> None:
    """Click one of our own page links (``ui.tile_markup``) once the frame's script that
    turns it into a page change of the session is in place (``ui.frame``); a click before
    that is an ordinary link, a page load: right for a person, not what is tested."""
    page.wait_for_function("window.__dkpiNav === true")
    link.click()


def open_page(page: Page, base_url: str, path: str) -> None:
    """Navigate and wait until the first script run has finished."""
    page.goto(base_url + path, wait_until="domcontentloaded")
    wait_for_app_idle(page)


def watch_script_runs(page: Page) -> None:
    """Count the ``script_finished`` messages the page's websocket receives (every
    connection it opens). A fast run can go running -> notRunning within one render, so
    the DOM's script state never shows it; the server's message always comes."""
    if hasattr(page, "_e2e_finished"):
        return
    page._e2e_finished = 0  # type: ignore[attr-defined]

    def frame(payload: bytes | str) -> None:
        if isinstance(payload, bytes | bytearray):
            with contextlib.suppress(DecodeError):
                if ForwardMsg.FromString(bytes(payload)).WhichOneof("type") == "script_finished":
                    page._e2e_finished += 1  # type: ignore[attr-defined]

    page.on("websocket", lambda ws: ws.on("framereceived", frame))


def _runs(page: Page) -> tuple[int, int]:
    """(finished runs the websocket saw, runs the DOM showed) so far."""
    return getattr(page, "_e2e_finished", -1), page.evaluate(RUN_COUNTER_JS)


@contextlib.contextmanager
def rerun(page: Page, timeout_ms: int = IDLE_TIMEOUT_MS) -> Iterator[None]:
    """Wrap an interaction that must start a script run; return when that run is done.

    The counters are read before the interaction, so a run that starts and ends quickly
    is not missed: the websocket's ``script_finished`` messages (``watch_script_runs``,
    installed on every page of ``conftest.new_context``) or, on other pages, the DOM's
    script state changes.
    """
    before = _runs(page)
    yield
    deadline = time.monotonic() + RERUN_START_TIMEOUT_MS / 1000
    while not any(now > then >= 0 for now, then in zip(_runs(page), before, strict=True)):
        if time.monotonic() > deadline:
            pytest.fail(
                f"the interaction started no Streamlit script run within "
                f"{RERUN_START_TIMEOUT_MS // 1000} s (url {page.url})",
                pytrace=False,
            )
        page.wait_for_timeout(20)  # lets Playwright deliver the websocket events
    wait_for_app_idle(page, timeout_ms)


def wait_for_charts(page: Page, minimum: int = 1, timeout_ms: int = IDLE_TIMEOUT_MS) -> int:
    """plotly draws after the script run (lazy component): wait for ``minimum`` charts.

    Stops early when the page shows a Streamlit exception instead.
    """
    try:
        page.wait_for_function(
            """n => {
              if (document.querySelector("[data-testid='stException']")) return true;
              const plots = Array.from(document.querySelectorAll('.js-plotly-plot'));
              return plots.length >= n && plots.every(gd => gd._fullLayout && gd._fullData
                && gd.querySelector('.main-svg'));
            }""",
            arg=minimum,
            timeout=timeout_ms,
        )
    except PlaywrightTimeout:
        count = page.locator(PLOT).count()
        pytest.fail(
            f"expected ≥ {minimum} drawn plotly charts on {page.url}, found {count}",
            pytrace=False,
        )
    assert_no_exception(page)
    return page.locator(PLOT).count()


def open_chart(page: Page, key: str) -> Locator:
    """The plotly form of the static chart ``key`` (``ui.widgets.svg_chart``): its popover
    "Interaktives Diagramm und Export" opened (a rerun draws it) unless it is open."""
    graph = page.locator(f"[data-testid='stPopoverBody'] .st-key-{key} {PLOT}")
    if not graph.count():
        page.locator(f".st-key-{widgets.popover_key(key)} button").first.click()
    graph.locator(".main-svg").first.wait_for(timeout=IDLE_TIMEOUT_MS)
    wait_for_app_idle(page)
    assert_no_exception(page)
    return graph


def close_chart(page: Page) -> None:
    """Close the open popover of an interactive chart (a run: the page draws it closed)."""
    with rerun(page):
        page.keyboard.press("Escape")
    page.locator("[data-testid='stPopoverBody']").wait_for(state="detached")


def static_chart(page: Page, key: str) -> Locator:
    """The SVG of the static chart ``key`` as drawn with the page: of a chart drawn for desk
    and phone (``views.svg_parts.responsive``) the one the viewport shows."""
    svg = page.locator(f".st-key-svg_{key} svg:visible").first
    svg.wait_for(timeout=IDLE_TIMEOUT_MS)
    return svg


def static_tips(page: Page, key: str) -> list[str]:
    """The tooltips of the points of the static series ``key`` as drawn (desk drawing):
    area, then period, value and origin (``views.small_svg.figure_svg(tips=True)``)."""
    return static_chart(page, key).locator("g.tips circle title").all_text_contents()


# -- reading the page ------------------------------------------------------------------
def assert_no_exception(page: Page) -> None:
    """No Streamlit exception element (its text is redacted: see the server log)."""
    exceptions = page.locator(EXCEPTION)
    if exceptions.count():
        text = " ".join(exceptions.first.inner_text().split())[:300]
        pytest.fail(
            f"Streamlit exception on {page.url} (traceback in the server log below): {text}",
            pytrace=False,
        )


def assert_no_error(page: Page) -> None:
    """No Streamlit exception element and no error text anywhere in the app."""
    assert_no_exception(page)
    text = page.locator(APP).inner_text()
    for word in ("error", "traceback", "exception"):
        assert word not in text.lower(), f"{word!r} in the page {page.url}: {text[:800]!r}"


def h1(page: Page) -> str:
    return page.locator(f"{MAIN} h1").first.inner_text().strip()


def main_text(page: Page) -> str:
    return page.locator(MAIN).inner_text()


def selected_districts(page: Page) -> list[str]:
    """Names on the tags of the sidebar multiselect "Stadtbezirke"."""
    box = page.locator(MULTISELECT).filter(has_text="Stadtbezirke").first
    return [t.strip() for t in box.locator("[data-tag] span[title]").all_inner_texts()]


def _choose(page: Page, widget: Locator, option: str) -> None:
    """Type into a Streamlit multiselect/selectbox and pick an option (lists are virtualised)."""
    field = widget.locator("input[role='combobox']")
    field.click()
    field.fill(option)
    with rerun(page):
        page.get_by_role("option", name=option, exact=True).click()
    page.keyboard.press("Escape")


def select_district(page: Page, name: str) -> None:
    """Add one district in the sidebar multiselect "Stadtbezirke" and wait for the rerun."""
    _choose(page, page.locator(MULTISELECT).filter(has_text="Stadtbezirke").first, name)


def select_option(page: Page, label: str, option: str) -> None:
    """Choose ``option`` in the selectbox labelled ``label`` and wait for the rerun."""
    box = page.locator("[data-testid='stSelectbox']").filter(
        has=page.locator("[data-testid='stWidgetLabel']", has_text=label)
    )
    _choose(page, box.first, option)


def traces(page: Page, plot: Locator | None = None) -> list[dict]:
    """Name, x and y of each trace of a plotly chart (decoded from ``gd._fullData``)."""
    graph = plot if plot is not None else page.locator(PLOT).first
    return graph.evaluate(
        """gd => gd._fullData.map(t => ({
            name: t.name, type: t.type,
            x: t.x ? Array.from(t.x) : null,
            y: t.y ? Array.from(t.y) : null,
            locations: t.locations ? Array.from(t.locations) : null,
            z: t.z ? Array.from(t.z) : null,
        }))"""
    )


def legend_texts(plot: Locator) -> list[str]:
    return [t.strip() for t in plot.locator(".legendtext").all_text_contents()]


def xtick_texts(plot: Locator) -> list[str]:
    return [t.strip() for t in plot.locator(".xtick text").all_text_contents()]


def table_rows(table: Locator, min_rows: int = 1) -> list[list[str]]:
    """Header and rendered rows of an ``st.dataframe`` (its accessibility table) or of
    a table of text (``TEXT_TABLE``, all its rows).

    The grid renders lazily and virtualised: scroll it into view, wait for its
    rows, and note that only the rows in its viewport (about ten) are in the DOM:
    how many of them depends on timing, so compare a prefix, not the whole list.
    """
    table.scroll_into_view_if_needed()
    try:
        table.page.wait_for_function(
            "([el, n]) => el.querySelectorAll('table tr').length > n",
            arg=[table.element_handle(), min_rows],
            timeout=IDLE_TIMEOUT_MS,
        )
    except PlaywrightTimeout:
        pytest.fail(f"the data table on {table.page.url} rendered fewer than {min_rows} rows")
    return table.evaluate(
        """el => Array.from(el.querySelectorAll('table tr')).map(
            row => Array.from(row.children).map(cell => cell.textContent.trim()))"""
    )


def german_number(text: str) -> float:
    """``1.234,5`` -> 1234.5 (the CSV's number format)."""
    cleaned = text.strip().replace("\u2212", "-")
    if not re.fullmatch(r"-?\d{1,3}(\.\d{3})*(,\d+)?|-?\d+(,\d+)?", cleaned):
        raise ValueError(f"not a German number: {text!r}")
    return float(cleaned.replace(".", "").replace(",", "."))


def period_years(page: Page) -> tuple[int, int]:
    """The two thumbs of the sidebar slider "Zeitraum (Jahre)"."""
    values = page.locator("[data-testid='stSlider'] input[type='range']").evaluate_all(
        "inputs => inputs.map(i => Number(i.value))"
    )
    assert len(values) == 2, f"expected a two-thumb period slider, found values {values}"
    return (int(values[0]), int(values[1]))
