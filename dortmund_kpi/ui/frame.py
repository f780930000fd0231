"""The page frame every page shares: German document (language, tab title, Streamlit's own
labels), the product's CSS in one place (narrow screens, contrast, presentation mode),
the link to the accessibility statement and the meeting-room mode's bar.

Streamlit serves its index.html with ``lang="en"`` and writes some labels of its widgets
in English, with no setting for either. One small script of our own (``st.html`` with
JavaScript, in the page itself, no edit of the installed package) sets ``lang="de"`` and
keeps those labels German while Streamlit redraws them (a MutationObserver).
"""

from __future__ import annotations

import json
import re
import textwrap
from typing import Any

import streamlit as st

from dortmund_kpi import formatting, texts
from dortmund_kpi.share import sequence, urlstate
from dortmund_kpi.ui import data, frame_scripts, tile_markup, url, widgets

_EMAIL = re.compile(r"[^@\s()<>\[\]]+@[^@\s()<>\[\]]+\.[A-Za-z]{2,}")

# Our CSS, all of it. Contrast: Streamlit draws captions at 60 % opacity (3.1:1 on white,
# coloured badges in them 2.7:1), below WCAG AA's 4.5:1; ours are opaque #595959 (7:1).
FRAME_CSS = """<style>
[data-testid="stCaptionContainer"] { opacity: 1 !important; color: #595959 !important; }
/* The overview's sections: narrow inner margins, so four tiles fit side by side at 1440 px. */
[class*="st-key-dkpi_section_"] [data-testid="stExpanderDetails"] { padding: 0.5rem 0.25rem; }
/* KPI tiles (ui.tile_markup): as many (210 px or wider) per line as fit, one on a phone. */
.dkpi-tiles { display: grid; gap: 0.5rem;
  grid-template-columns: repeat(auto-fill, minmax(210px, 1fr)); }
.dkpi-tile { border: 1px solid rgba(49, 51, 63, 0.2); border-radius: 0.5rem; padding: 1rem;
  display: flex; flex-direction: column; gap: 0.25rem; min-width: 0; }
.dkpi-tile p { margin: 0; }
.HELP_CLASS p + p { margin-top: 0.5rem; }
.dkpi-tile-head { display: flex; align-items: flex-start; gap: 0.25rem; position: relative; }
.dkpi-tile h3 { font-size: 0.875rem; font-weight: 600; line-height: 1.4; margin: 0; padding: 0;
  flex: 1 1 auto; overflow-wrap: anywhere; scroll-margin: 0; }
.HELP_CLASS summary { list-style: none; cursor: pointer; width: 1.1rem; height: 1.1rem;
  border: 1px solid #595959; border-radius: 50%; font-size: 0.7rem; line-height: 1rem;
  text-align: center; color: #595959; }
.HELP_CLASS summary::-webkit-details-marker { display: none; }
.HELP_CLASS > div { position: absolute; left: 0; top: 1.6rem; z-index: 5;
  width: min(18rem, 85vw);
  background: #fff; color: #31333f; border: 1px solid rgba(49, 51, 63, 0.2);
  border-radius: 0.5rem; padding: 0.5rem 0.75rem; font-size: 0.875rem;
  box-shadow: 0 4px 12px rgba(0, 0, 0, 0.15); }
.dkpi-tile-value { font-size: 2.25rem; line-height: 1.2; overflow-wrap: anywhere; }
.dkpi-tile-change { font-size: 0.875rem; color: #595959; }
.dkpi-tile-note { font-size: 0.875rem; color: #595959; line-height: 1.6; }
.dkpi-status-area { font-size: 0.875rem; color: #595959; white-space: nowrap; }
.dkpi-spark-space { height: 48px; margin: 0.5rem 0; }
.dkpi-spark { display: block; width: 100%; height: 48px; margin: 0.5rem 0; }
.dkpi-tile-link { font-size: 0.875rem; color: inherit !important; text-decoration: none;
  margin-top: auto; padding-top: 0.25rem; }
.dkpi-tile-link:hover, .dkpi-tile-link:focus-visible { text-decoration: underline; }
.dkpi-badge, .dkpi-delta { border-radius: 0.25rem; padding: 0 0.3rem; white-space: nowrap; }
.dkpi-green { background: rgba(33, 195, 84, 0.12); color: #0f6b2c; }
.dkpi-red { background: rgba(255, 43, 43, 0.09); color: #a3141b; }
.dkpi-orange { background: rgba(255, 164, 33, 0.15); color: #8a4500; }
.dkpi-gray { background: rgba(49, 51, 63, 0.08); color: #4a4a4a; }
/* A masterplan card (tile_markup.card_html) and the popover of its interactive chart below
   it, framed as one box as a bordered Streamlit container framed them: without one
   container per card the masterplan sends 14 blocks fewer a run (docs/performance.md). */
[data-testid="stElementContainer"]:has(.dkpi-card) { box-sizing: border-box;
  border: 1px solid rgba(49, 51, 63, 0.2); border-radius: 0.5rem; padding: 1rem 1rem 0.5rem; }
[data-testid="stElementContainer"]:has(.dkpi-card):has(+ [class*="st-key-CARD_POPOVER"]) {
  border-bottom: 0; border-radius: 0.5rem 0.5rem 0 0; }
[data-testid="stElementContainer"]:has(.dkpi-card) + [class*="st-key-CARD_POPOVER"] {
  box-sizing: border-box; border: 1px solid rgba(49, 51, 63, 0.2); border-top: 0;
  border-radius: 0 0 0.5rem 0.5rem; padding: 0 1rem 1rem; margin-top: -1rem;
  width: 100% !important; max-width: 100% !important; align-self: stretch; }
/* A list of measures (tile_markup.measure_list_html): title and facts in a row, 3:2 as
   two columns were; on a phone the facts go below the title. */
[data-testid="stHtml"] ul.MEASURE_LIST { list-style: none; padding-left: 0; margin: 0 0 1rem; }
ul.MEASURE_LIST li { display: flex; gap: 0.75rem; padding: 0.3rem 0; }
ul.MEASURE_LIST li > a { flex: 3 1 0; }
ul.MEASURE_LIST li > span { flex: 2 1 0; }
@media (max-width: 640px) {
  ul.MEASURE_LIST li { flex-wrap: wrap; gap: 0.1rem; }
  ul.MEASURE_LIST li > a, ul.MEASURE_LIST li > span { flex: 1 1 100%; }
}
/* A chart drawn as SVG opens its interactive form in a popover: as wide as a chart there
   (Streamlit sizes a popover to its content, plotly to its box: 320 px, a cramped map). */
[data-testid="stPopoverBody"]:has(.js-plotly-plot) { width: min(760px, 92vw); max-width: none; }
/* A detail brought into view (frame_scripts.REVEAL_JS) clears Streamlit's header. */
DETAILS { scroll-margin-top: 4rem; }
/* Small tables of text (ui.table_markup) in the look of Streamlit's; wide ones scroll. */
.dkpi-table { overflow-x: auto; margin-bottom: 0.5rem; }
.dkpi-table table { border-collapse: collapse; width: 100%; font-size: 0.875rem; }
.dkpi-table th, .dkpi-table td { border: 1px solid rgba(49, 51, 63, 0.12);
  padding: 0.3rem 0.5rem; text-align: left; vertical-align: top; }
.dkpi-table th { background: rgba(49, 51, 63, 0.04); font-weight: 600; }
.dkpi-table tbody th { background: none; font-weight: normal; }  /* row headers */
.dkpi-table .num { text-align: right; font-variant-numeric: tabular-nums; }
/* A long table scrolls in its box under a header that stays. Collapsed borders stay with
   the table, not with a sticky cell (rows showed through the header's edge): separate
   ones, each cell drawing its right and lower edge. */
.dkpi-tall { max-height: 32rem; overflow-y: auto;
  border: 1px solid rgba(49, 51, 63, 0.12); border-width: 1px 0 0 1px; }
.dkpi-tall table { border-collapse: separate; border-spacing: 0; }
.dkpi-tall th, .dkpi-tall td { border-width: 0 1px 1px 0; }
.dkpi-tall thead th { position: sticky; top: 0; z-index: 1; background: #f6f6f7; }
.dkpi-tall tbody th { white-space: nowrap; }  /* an area, a month: one line a row */
/* Page-wide SVG charts (views.svg_parts.responsive): drawn twice, the narrow one for phones. */
.dkpi-responsive .dkpi-narrow { display: none; }
@media (max-width: 640px) {
  .dkpi-tiles { grid-template-columns: 1fr; }
  .dkpi-responsive .dkpi-wide { display: none; }
  .dkpi-responsive .dkpi-narrow { display: block; }
  /* Tiles full width; wide tables scroll inside their box; modebar only on demand. */
  [data-testid="stMain"] [data-testid="stHorizontalBlock"]
    > [data-testid="stLayoutWrapper"][width$="px"] {
    width: 100% !important; max-width: 100% !important; flex: 1 1 100% !important; }
  .block-container { padding-left: 0.75rem !important; padding-right: 0.75rem !important; }
  [data-testid="stDataFrame"], [data-testid="stTable"] { max-width: 100%; overflow-x: auto; }
  .dkpi-table th, .dkpi-table td { white-space: nowrap; }
  .js-plotly-plot .modebar-container { display: none !important; }
  /* Long German words: headings wrap at syllables, chart titles fit the phone's width. */
  h1 { font-size: 30px !important; hyphens: auto; overflow-wrap: break-word; }
  .js-plotly-plot .gtitle { font-size: 12px !important; }
}
@media (hover: none) { .js-plotly-plot .modebar-container { display: none !important; } }
</style>""".replace("MEASURE_LIST", tile_markup.MEASURES_CLASS)
FRAME_CSS = (
    FRAME_CSS.replace("HELP_CLASS", tile_markup.HELP_CLASS)
    .replace("DETAILS", frame_scripts.DETAIL_SELECTOR)
    .replace("CARD_POPOVER", widgets.popover_key(tile_markup.CARD_CHART_PREFIX))
)
PRESENTATION_CSS = """<style>
[data-testid="stSidebar"], [data-testid="stSidebarCollapsedControl"],
[data-testid="stHeader"], [data-testid="stToolbar"] { display: none !important; }
.block-container { padding-top: 1.5rem !important; max-width: 100% !important; }
html { font-size: 19px; }
.dkpi-tiles { grid-template-columns: repeat(auto-fill, minmax(260px, 1fr)); }
</style>"""

SECTION_KEY = "dkpi_section_"  # key prefix of the overview's masterplan sections
_GERMAN_JS = """(() => {
  const doc = window.document, html = doc.documentElement;
  html.lang = "de";
  if (window.__dkpiGerman) return;
  window.__dkpiGerman = true;
  const exact = new Map(Object.entries(%(exact)s));
  const prefixes = Object.entries(%(prefixes)s);
  const suffixes = Object.entries(%(suffixes)s);
  const ATTRS = ["aria-label", "title", "data-title", "placeholder"];
  const german = (text) => {
    const t = (text || "").trim();
    if (!t) return null;
    if (exact.has(t)) return exact.get(t);
    for (const [en, de] of prefixes) {
      if (t.startsWith(en)) return de + t.slice(en.length).replace(/\\*\\*/g, "");
    }
    for (const [en, de] of suffixes) {
      if (t.endsWith(en)) return t.slice(0, t.length - en.length) + de;
    }
    return null;
  };
  const fixElement = (el) => {
    for (const name of ATTRS) {
      const de = german(el.getAttribute(name));
      if (de) el.setAttribute(name, de);
    }
  };
  const fixText = (node) => {
    const de = german(node.nodeValue);
    if (de) node.nodeValue = de;
  };
  const fixTree = (root) => {
    if (root.nodeType === 3) return fixText(root);
    if (root.nodeType !== 1) return;
    fixElement(root);
    root.querySelectorAll("[aria-label],[title],[data-title],[placeholder]").forEach(fixElement);
    const walker = doc.createTreeWalker(root, NodeFilter.SHOW_TEXT);
    for (let node = walker.nextNode(); node; node = walker.nextNode()) fixText(node);
  };
  // On a phone the overview's masterplan sections start collapsed (each once: a reader
  // who opens one keeps it open).
  const narrow = window.matchMedia("(max-width: 640px)");
  const SECTION =
    '[class*="st-key-%(section)s"] details[open]:not(.%(help)s):not([data-dkpi-seen])';
  const collapse = (root) => {
    if (!narrow.matches) return;
    const found = [...root.querySelectorAll(SECTION)];
    if (root.matches && root.matches(SECTION)) found.push(root);
    for (const details of found) {
      details.dataset.dkpiSeen = "1";
      const summary = details.querySelector("summary");
      if (summary) summary.click();
    }
  };
  fixTree(doc.body);
  collapse(doc.body);
  new MutationObserver((records) => {
    for (const r of records) {
      if (r.type === "attributes") fixElement(r.target);
      else if (r.type === "characterData") fixText(r.target);
      else r.addedNodes.forEach((node) => {
        fixTree(node);
        if (node.nodeType === 1) collapse(node);
      });
    }
  }).observe(doc.body, {subtree: true, childList: true, characterData: true,
                        attributes: true, attributeFilter: ATTRS});
  new MutationObserver(() => { if (html.lang !== "de") html.lang = "de"; })
    .observe(html, {attributes: true, attributeFilter: ["lang"]});
})();"""
_SCRIPTS = frame_scripts.guarded(
    frame_scripts.NAV_JS,
    frame_scripts.RECONNECT_JS,
    frame_scripts.HELP_JS,
    frame_scripts.REVEAL_JS,
    frame_scripts.TABLE_STOPS_JS,
    _GERMAN_JS
    % {
        "exact": json.dumps(texts.STREAMLIT_LABELS_DE, ensure_ascii=False),
        "prefixes": json.dumps(texts.STREAMLIT_PREFIXES_DE, ensure_ascii=False),
        "suffixes": json.dumps(texts.STREAMLIT_SUFFIXES_DE, ensure_ascii=False),
        "section": SECTION_KEY,
        "help": tile_markup.HELP_CLASS,
    },
)
GERMAN_SCRIPT = f"<script>{_SCRIPTS}</script>"
# Arrow keys step through the views in presentation mode: they press our own links
# (buttons in a list of views).
_KEYS_JS = """<script>(() => {
  if (window.__dkpiKeys) return;
  window.__dkpiKeys = true;
  window.document.addEventListener("keydown", (event) => {
    const target = event.target;
    if (event.altKey || event.ctrlKey || event.metaKey) return;
    if (target && target.closest && target.closest("input, textarea, select, [role=slider]"))
      return;
    const label = {ArrowRight: %(next)s, ArrowLeft: %(previous)s}[event.key];
    if (!label) return;
    const link = [...window.document.querySelectorAll("a, button")]
      .find((a) => a.textContent.trim().endsWith(label));
    if (link) { event.preventDefault(); link.click(); }
  });
})();</script>"""
KEYS_SCRIPT = _KEYS_JS % {
    "next": json.dumps(texts.PRESENT_NEXT),
    "previous": json.dumps(texts.PRESENT_PREVIOUS),
}


# Sent on every run: dedented once here, as ``st.html`` would do each time
# (``widgets.html``).
_DOCUMENT = textwrap.dedent(GERMAN_SCRIPT + FRAME_CSS)
_PRESENTATION = textwrap.dedent(PRESENTATION_CSS + KEYS_SCRIPT)


def german_document(title: str) -> None:
    """Tab title of the page, ``lang="de"``, Streamlit's labels in German, our CSS."""
    st.set_page_config(page_title=texts.TAB_TITLE.format(page=title))
    widgets.html(_DOCUMENT, script=True)


_STATEMENT: list = []  # the statement's st.Page of the running app


def statement_page() -> Any:
    """The accessibility statement's page for ``st.navigation`` (not a view: no URL keys)."""
    page = st.Page(
        "screens/statement.py",
        title=texts.STATEMENT_NAV,
        icon=texts.STATEMENT_ICON,
        url_path=texts.STATEMENT_PAGE_KEY,
    )
    _STATEMENT[:] = [page]
    return page


def statement_link() -> None:
    """The accessibility statement, linked below every page (BITV 2.0 § 7)."""
    st.divider()
    st.page_link(_STATEMENT[0], label=texts.FOOTER_STATEMENT, icon=":material/accessibility:")


def contact_markdown(contact: str) -> str:
    """The feedback contact from the settings as a link (e-mail or web address)."""
    if not contact:
        return ""
    if _EMAIL.fullmatch(contact):
        return f"[{widgets.literal_text(contact)}](mailto:{contact})"
    return widgets.markdown_link(contact, contact)


def presentation_bar(page: str) -> None:
    """Meeting-room mode: the data Stand (the sidebar is hidden), the views before and after
    this one (arrow keys press them) and a discreet exit. The views are the link's own
    sequence (``folge``, with the position "3/6") or else the navigation's pages in order."""
    widgets.html(_PRESENTATION, script=True)
    steps = tuple(st.session_state.get(sequence.FOLGE) or ())
    number = min(st.session_state.get(sequence.SCHRITT) or 0, len(steps))
    if steps and not number:  # a link to the whole list: it starts with the first view
        target, params = sequence.step_params(steps, 1, urlstate.PAGES)
        url.carry_notices()  # a step the list dropped is still named on the first view
        st.switch_page(widgets.page(target), query_params=params)
    stand = formatting.timestamp(data.data_moment(url.as_of()))
    stand_text = (texts.PINNED_SIDEBAR if url.as_of() else texts.DATA_STAND_SIDEBAR).format(
        stand=stand
    )
    where = [texts.PRESENT_POSITION.format(number=number, total=len(steps))] if steps else []
    with st.container(horizontal=True, vertical_alignment="center", gap="medium"):
        st.caption(" · ".join([stand_text, *where, texts.PRESENT_KEYS]))
        for step, label, icon in (
            (-1, texts.PRESENT_PREVIOUS, ":material/arrow_back:"),
            (1, texts.PRESENT_NEXT, ":material/arrow_forward:"),
        ):
            target, params = _neighbour(page, steps, number, step)
            if not steps:
                widgets.page_link(target, label, params, icon=icon, width="content")
            # A link to the page on screen does nothing in Streamlit; two steps of a list
            # may show one page with other filters: a button switches with the step's link.
            # (``st.switch_page`` itself: the bar runs before the page, whose run would write
            # its own view over the step's, see ``url.switch_page``.)
            elif st.button(label, icon=icon, type="tertiary", key=f"dkpi_step_{step}"):
                st.switch_page(widgets.page(target), query_params=params)
        st.button(
            texts.PRESENT_EXIT,
            icon=":material/close_fullscreen:",
            type="tertiary",
            # Back to the normal view of what is on screen (of the list's step: its view).
            on_click=lambda: st.session_state.update(
                {"praesentation": False, sequence.FOLGE: (), sequence.SCHRITT: None}
            ),
        )


def _neighbour(page: str, steps: tuple[str, ...], number: int, step: int) -> tuple[str, dict]:
    """The view ``step`` away (wrapping around): in the sequence, or in navigation order."""
    if steps:
        return sequence.step_params(steps, (number - 1 + step) % len(steps) + 1, urlstate.PAGES)
    order = list(widgets.PAGE_FILES)
    target = order[(order.index(page) + step) % len(order)]
    return target, url.view_params(target)
