"""Every page as a person sees it at a desk (1440×900) and on a phone (390×844), in the
normal view and in meeting-room mode: German throughout (``lang``, tab title, no English
label), accessible (axe-core, WCAG 2.1 AA: no serious or critical violation, no skipped
heading level), nothing cut off or wider than the screen, and the meeting-room mode's keys,
Stand and exit.

One test per viewport visits every page (a page load is the expensive part); the
screenshots land in ``DORTMUND_KPI_SHOTS`` (or a temporary folder) for a look by eye.
"""

from __future__ import annotations

import contextlib
import os
import re
import tempfile
from pathlib import Path

import pytest
from axe_playwright_python.sync_playwright import Axe
from playwright.sync_api import Browser, Page
from playwright.sync_api import TimeoutError as PlaywrightTimeout

from dortmund_kpi import texts
from dortmund_kpi.share import urlstate
from dortmund_kpi.ui.widgets import PAGE_FILES
from tests.e2e.conftest import AppServer, new_context
from tests.e2e.helpers import assert_no_exception, open_page, wait_for_app_idle

pytestmark = pytest.mark.e2e

VIEWPORTS = {"desktop": (1440, 900), "phone": (390, 844)}
SHOTS = Path(os.environ.get("DORTMUND_KPI_SHOTS") or tempfile.gettempdir()) / "dortmund_kpi_shots"
# Every view page, the accessibility statement, and every view page in meeting-room mode.
VISITS = [
    *((key, f"/{urlstate.PAGES[key]}", False) for key in PAGE_FILES),
    (texts.STATEMENT_PAGE_KEY, f"/{texts.STATEMENT_PAGE_KEY}", False),
    *((key, f"/{urlstate.PAGES[key]}?praesentation=1", True) for key in PAGE_FILES),
]
# English words of Streamlit's and plotly's labels (case-sensitive, whole words).
ENGLISH = re.compile(
    r"\b(Download|plot|Copy|clipboard|Print|Fullscreen|Search|Close|Open|Sidebar|Collapse|"
    r"Expand|Help|heading|Main menu|Show|hide|columns|Zoom in|Zoom out|Autoscale|Reset|Pan|"
    r"Rerun|Settings|Browse|Drag and drop|Upload|Remove|Clear|No results|start|end|files?)\b"
)
# "Open Data" is a German loanword for the portal (Open-Data-Portal).
ALLOWED = re.compile(r"\bOpen[- ]Data\b|\bOpen Source\b")
LABELS_JS = """() => {
  const out = [document.body.innerText];
  for (const el of document.querySelectorAll('[aria-label],[title],[data-title],[placeholder]'))
    for (const name of ['aria-label', 'title', 'data-title', 'placeholder'])
      if (el.getAttribute(name)) out.push(el.getAttribute(name));
  return out;
}"""
# A tile's title, value, comparison or note cut off: its text is wider than its box.
TRUNCATED_JS = """() => [...document.querySelectorAll(
    ".dkpi-tile h3, .dkpi-tile p, .dkpi-tile a")]
  .filter((el) => el.scrollWidth > el.clientWidth + 1).map((el) => el.textContent)"""
TILE_WIDTHS_JS = """() => [...document.querySelectorAll("details[open] .dkpi-tile")]
  .map((el) => el.getBoundingClientRect().width)"""

# Chart titles' font size in px (16 at a desk, 24 in meeting-room mode).
TITLE_SIZES_JS = """() => [...document.querySelectorAll('.js-plotly-plot .gtitle')]
  .map((el) => parseFloat(getComputedStyle(el).fontSize))"""
PROJECTOR_TITLE_PX = 24
TITLES_OUTSIDE_JS = """() => [...document.querySelectorAll('.js-plotly-plot')].flatMap((plot) => {
  const box = plot.getBoundingClientRect();
  return [...plot.querySelectorAll('.gtitle')]
    .filter((t) => {
      const r = t.getBoundingClientRect();
      return r.right > box.right + 1 || r.top < box.top - 1;
    }).map((t) => t.textContent);
})"""
# Texts of the charts drawn as SVG that reach beyond their picture (cut off at its edge).
STATIC_OUTSIDE_JS = """() => [...document.querySelectorAll(
    '.dkpi-static svg, .dkpi-small-multiple svg')]
  .filter((svg) => svg.getBoundingClientRect().width > 0).flatMap((svg) => {
    const box = svg.getBoundingClientRect();
    return [...svg.querySelectorAll('text')].filter((t) => {
      const r = t.getBoundingClientRect();
      return r.width && (r.left < box.left - 1 || r.right > box.right + 1);
    }).map((t) => t.textContent);
  })"""

# Tables of text whose box is a tab stop though nothing scrolls, or scrolls but is no stop.
TABLE_STOPS_WRONG_JS = """() => [...document.querySelectorAll('div.dkpi-table')]
  .filter((box) => (box.scrollWidth > box.clientWidth + 1) !== box.hasAttribute('tabindex'))
  .map((box) => box.getAttribute('aria-label'))"""
TABLE_STOPS_JS = f"() => ({TABLE_STOPS_WRONG_JS})().length === 0"

SECTIONS_OPEN_JS = """() => [...document.querySelectorAll(
    "[data-testid='stExpander'] details:not(.dkpi-tile-help)")]
  .map((details) => details.open)"""
NARROW_PX = 640
TILE_TOPS_JS = """() => [...document.querySelectorAll("details[open] .dkpi-tile")]
  .map((el) => Math.round(el.getBoundingClientRect().top))"""


def english_words(page: Page) -> list[str]:
    found = set()
    for text in page.evaluate(LABELS_JS):
        found.update(ENGLISH.findall(ALLOWED.sub("", text)))
    return sorted(found)


# Rules outside the WCAG tags that our own content keeps too, at any impact: heading levels
# that skip one (an <h3> under the page's <h1>) break the outline a screen reader lists.
OWN_RULES = ("heading-order",)


def serious_violations(page: Page) -> list[str]:
    """axe-core (WCAG 2.0/2.1 A and AA rules, and ``OWN_RULES``): the serious and critical
    violations, and every one of ``OWN_RULES``, with where."""
    options = {
        "runOnly": {"type": "tag", "values": ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"]},
        "rules": {rule: {"enabled": True} for rule in OWN_RULES},
    }
    result = Axe().run(page, options=options | {"resultTypes": ["violations"]})
    return [
        f"{v['id']} ({v['impact']}): {node['target']} {node['html'][:120]}"
        for v in result.response["violations"]
        if v["impact"] in ("serious", "critical") or v["id"] in OWN_RULES
        for node in v["nodes"]
    ]


def check_page(page: Page, key: str, presenting: bool, width: int) -> None:
    assert page.evaluate("document.documentElement.lang") == "de"
    title = texts.STATEMENT_TITLE if key == texts.STATEMENT_PAGE_KEY else texts.PAGE_TITLES[key]
    assert page.title() == texts.TAB_TITLE.format(page=title)
    assert english_words(page) == []
    assert serious_violations(page) == []
    # Nothing wider than the screen: tables scroll inside their box, tiles wrap.
    assert page.evaluate("document.documentElement.scrollWidth") <= width
    # Chart titles inside their chart (plotly cuts off what runs past the edges).
    assert page.evaluate(TITLES_OUTSIDE_JS) == []
    assert page.evaluate(STATIC_OUTSIDE_JS) == []  # and inside their picture
    # A table's box is a tab stop exactly when its table scrolls in it (ui.frame_scripts).
    with contextlib.suppress(PlaywrightTimeout):
        page.wait_for_function(TABLE_STOPS_JS, timeout=5_000)
    assert page.evaluate(TABLE_STOPS_WRONG_JS) == []
    main = page.locator("[data-testid='stMain']")
    if presenting:
        assert page.evaluate(TRUNCATED_JS) == []
        assert main.get_by_text(texts.DATA_STAND_SIDEBAR.split("{")[0]).count() == 1
        assert main.get_by_role("button", name=texts.PRESENT_EXIT).is_visible()
        assert page.locator("[data-testid='stSidebar']").is_hidden()
        if width > NARROW_PX:  # a projector; a phone keeps its own small chart titles
            sizes = page.evaluate(TITLE_SIZES_JS)
            assert min(sizes, default=PROJECTOR_TITLE_PX) >= PROJECTOR_TITLE_PX
    elif key != texts.STATEMENT_PAGE_KEY:
        link = main.get_by_role("link", name=texts.FOOTER_STATEMENT)
        assert link.count() == 1
    if key == "uebersicht" and not presenting:  # a phone shows the sections collapsed
        opened = page.evaluate(SECTIONS_OPEN_JS)
        assert opened and all(is_open == (width > NARROW_PX) for is_open in opened)
        if width >= 1440:  # four tiles side by side in an open section
            tops = page.evaluate(TILE_TOPS_JS)
            assert tops.count(tops[0]) >= 4


@pytest.mark.parametrize("viewport", list(VIEWPORTS))
def test_every_page_is_german_accessible_and_fits(
    browser: Browser, app_server: AppServer, viewport: str
) -> None:
    width, height = VIEWPORTS[viewport]
    context = new_context(browser, (width, height))
    SHOTS.mkdir(parents=True, exist_ok=True)
    try:
        page = context.new_page()
        for key, path, presenting in VISITS:
            open_page(page, app_server.base_url, path)
            assert_no_exception(page)
            name = f"{viewport}_{key}{'_praesentation' if presenting else ''}.png"
            page.screenshot(path=str(SHOTS / name), full_page=True)
            try:
                check_page(page, key, presenting, width)
            except AssertionError as exc:
                raise AssertionError(f"{path} at {width}×{height}: {exc}") from exc
        if viewport == "phone":  # a section opens on a tap; its tiles use the full width
            open_page(page, app_server.base_url, "/")
            page.locator("[data-testid='stExpander'] summary").first.click()
            page.locator(".dkpi-tile").first.wait_for(state="visible")
            widths = page.evaluate(TILE_WIDTHS_JS)
            assert widths and min(widths) >= width * 0.85
    finally:
        context.close()


def test_arrow_keys_step_through_the_views_and_exit_returns(page: Page, app_server: AppServer):
    """Meeting-room mode: → opens the next view, ← the one before, both stay presenting;
    the exit returns to the normal view of the same page."""
    open_page(page, app_server.base_url, "/?praesentation=1")
    order = [urlstate.PAGES[key] for key in PAGE_FILES]
    page.keyboard.press("ArrowRight")
    page.wait_for_url(re.compile(rf"/{order[1]}\?.*praesentation=1"))
    wait_for_app_idle(page)
    page.keyboard.press("ArrowRight")
    page.wait_for_url(re.compile(rf"/{order[2]}\?.*praesentation=1"))
    wait_for_app_idle(page)
    page.keyboard.press("ArrowLeft")
    page.wait_for_url(re.compile(rf"/{order[1]}\?.*praesentation=1"))
    wait_for_app_idle(page)
    page.get_by_role("button", name=texts.PRESENT_EXIT).click()
    page.wait_for_url(re.compile(rf"/{order[1]}(\?(?!.*praesentation).*)?$"))
    wait_for_app_idle(page)
    assert page.locator("[data-testid='stSidebar']").is_visible()


def test_share_dialog_is_reached_by_keyboard_and_accessible(page: Page, app_server: AppServer):
    """Tab from the page's start reaches the share button, Enter opens the dialog (German,
    no serious axe finding: the QR code has a text alternative), Escape closes it."""
    open_page(page, app_server.base_url, "/indikator")
    for _ in range(60):
        page.keyboard.press("Tab")
        if page.evaluate("document.activeElement.innerText").strip().endswith(texts.SHARE_BUTTON):
            break
    else:
        pytest.fail("the share button is not reachable with Tab")
    page.keyboard.press("Enter")
    dialog = page.get_by_role("dialog")
    dialog.wait_for()
    wait_for_app_idle(page)
    assert dialog.get_by_role("img").first.get_attribute("alt").startswith("QR-Code mit dem Link ")
    assert english_words(page) == []
    assert serious_violations(page) == []
    page.keyboard.press("Escape")
    dialog.wait_for(state="detached")
