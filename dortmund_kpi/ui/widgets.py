"""Widgets every page uses: navigation and links, the shared filters, charts with their
exports, status badges and the demo notice."""

from __future__ import annotations

import re
from collections.abc import Callable
from datetime import datetime
from typing import Any
from urllib.parse import urlsplit

import pandas as pd
import plotly.graph_objects as go
import streamlit as st

from dortmund_kpi import formatting, texts
from dortmund_kpi.share import downloads, urlstate
from dortmund_kpi.ui import data, partial, table_markup, tile_markup
from dortmund_kpi.views import alt_text, charts, pages, projector, small_svg

PAGE_FILES = {
    "uebersicht": "screens/overview.py",
    "masterplan": "screens/plan.py",
    "indikator": "screens/indicator.py",
    "bezirke": "screens/districts.py",
    "daten": "screens/data.py",
    "trends": "screens/trends.py",
    "vergleich": "screens/comparison.py",
}
# The st.Page objects of the running app (set by ``navigation_pages`` on every run). A
# link given a Page skips Streamlit's path resolution (a realpath per link: 0.7 ms,
# a third of the overview's warm run at a hundred tiles). Pages of any session are
# equivalent (same file and URL path), so one process-wide dict is enough.
_PAGES: dict[str, Any] = {}


def navigation_pages() -> dict[str, Any]:
    """The app's pages for ``st.navigation`` (page key -> ``st.Page``), also used by links."""
    pages = {
        key: st.Page(
            path,
            title=texts.PAGE_TITLES[key],
            icon=texts.PAGE_ICONS[key],
            url_path=urlstate.PAGES[key] or "uebersicht",
            default=key == "uebersicht",
        )
        for key, path in PAGE_FILES.items()
    }
    _PAGES.update(pages)
    return pages


def page(key: str) -> Any:
    """The running app's ``st.Page`` for a page key (its file before the router ran)."""
    return _PAGES.get(key, PAGE_FILES[key])


def page_link(
    key: str, label: str, params: dict[str, list[str]] | None = None, **kwargs: Any
) -> None:
    kwargs.setdefault("icon", "")  # a Page would lend the link its own icon
    st.page_link(page(key), label=label, query_params=params or None, **kwargs)


def shared_filters(page: str) -> None:
    """District and period filters in the sidebar, for every page; on a page that shows
    neither (Daten, Technologiescout, Vergleich) a line says so: the choice stays for the
    other pages, but a slider set to 2018–2020 beside a ranking of 2021 looked applied."""
    lo, hi = data.year_range()
    if "bezirk" not in st.session_state:
        st.session_state["bezirk"] = []
    years = st.session_state.get("zeitraum")
    if not years or years[0] < lo or years[1] > hi or years[0] > years[1]:
        st.session_state["zeitraum"] = (lo, hi)
    names = data.district_names()
    with st.sidebar:
        st.header(texts.FILTER_HEADER)
        st.multiselect(
            texts.FILTER_DISTRICTS,
            options=list(names),
            key="bezirk",
            format_func=names.get,
            placeholder=texts.FILTER_DISTRICTS_PLACEHOLDER,
            help=texts.FILTER_DISTRICTS_HELP,
            on_change=partial.changed,
            args=("bezirk",),
        )
        if lo < hi:
            st.slider(
                texts.FILTER_PERIOD,
                min_value=lo,
                max_value=hi,
                key="zeitraum",
                step=1,
                on_change=partial.changed,
                args=("zeitraum",),
            )
        if not {"bezirk", "zeitraum"} & pages.honoured(page):
            st.caption(texts.FILTER_NOT_HERE)


def page_key_select(key: str, label: str, options: dict[str, str], on_change: Any = None) -> str:
    """A selectbox for a page's own URL key; value is the id, label the German name."""
    if st.session_state.get(key) not in options:
        st.session_state[key] = next(iter(options))
    return st.selectbox(
        label, options=list(options), key=key, format_func=options.get, on_change=on_change
    )


def first_chart_page() -> None:
    st.session_state["seite"] = 1


def chart_page(groups: list[tuple[int, int]], group: int) -> None:
    """The choice of groups of charts (URL key ``seite``) when there is more than one;
    ``group`` is the one shown (a number beyond the last group shows the last)."""
    st.session_state["seite"] = group
    if len(groups) <= 1:
        return
    st.segmented_control(
        texts.CHART_GROUPS,
        options=list(range(1, len(groups) + 1)),
        format_func=lambda n: texts.CHART_GROUP.format(
            first=groups[n - 1][0] + 1, last=groups[n - 1][1]
        ),
        key="seite",
        required=True,
    )


def show_chart(fig: go.Figure, key: str, filename: str) -> None:
    """A chart with its German text alternative (read by screen readers, WCAG 1.1.1)."""
    config, alt = charts.chart_config(filename), _derived(fig, "_dkpi_alt", alt_text.describe)
    if st.session_state.get("praesentation"):  # fonts for a projector
        fig = _derived(fig, "_dkpi_projector", lambda f: charts.freeze(projector.for_projector(f)))
    st.plotly_chart(fig, key=key, config=config, theme=None, alt=alt)


STATIC_CHART = "dkpi-static"  # the class of a chart drawn as SVG (``svg_chart``)
POPOVER_PREFIX = "offen_"  # session key of a popover that draws its chart when opened


def popover_key(chart_key: str) -> str:
    """The session key of the popover holding chart ``chart_key`` (True while open)."""
    return f"{POPOVER_PREFIX}{chart_key}"


def chart_on_demand(fig: go.Figure, key: str, filename: str) -> None:
    """The interactive chart and its exports in one popover, drawn when it is opened (a
    rerun). Sent closed with every run, the closed charts (14 on the first masterplan at
    scale M) were a fifth of its run and most of what it sent to the browser
    (``docs/performance-masterplan.md``); a second popover per chart for the exports cost
    the browser 0.03 s on the masterplan (``docs/performance.md``)."""

    def draw() -> None:
        show_chart(fig, key=key, filename=filename)
        with st.container(horizontal=True):
            _export_buttons(fig, filename)

    _on_demand(texts.INTERACTIVE_CHART, ":material/ads_click:", popover_key(key), draw)


def _on_demand(label: str, icon: str, key: str, draw: Callable[[], None]) -> None:
    """A popover whose content is made only while it is open: opening it reruns the page
    (``on_change="rerun"``); closed, nothing inside it is run or sent."""
    opened = st.popover(label, icon=icon, key=key, on_change="rerun")
    with opened:
        if opened.open:
            draw()


def projector_svg(fig: go.Figure) -> str:
    """A small multiple's SVG with text sized for a projector (presentation mode), drawn
    once per (cached, frozen) figure, not on every run."""

    def draw(f: go.Figure) -> str:
        return small_svg.figure_svg(f, alt_text.describe(f), small_svg.PROJECTOR_WIDTH)

    return _derived(fig, "_dkpi_projector_svg", draw)


def _derived(fig: go.Figure, name: str, make: Callable[[go.Figure], Any]) -> Any:
    """What a cached (frozen, shared) figure gives: made once per figure, kept on it
    (a projector copy costs 35 ms a chart, the text alternative 0.3 ms, on every run)."""
    value = getattr(fig, name, None)
    if value is None:
        value = make(fig)
        if isinstance(fig, charts.FrozenFigure):  # nobody changes it any more
            setattr(fig, name, value)
    return value


def empty_notice(as_of: datetime | None) -> None:
    """Nothing to show: before the first import of a pinned view say so (and when that
    was), else the choice of period or districts is empty."""
    first = data.first_import()
    if as_of is not None and first is not None and as_of < first:
        stand, first_text = formatting.timestamp(as_of), formatting.timestamp(first)
        st.info(texts.BEFORE_FIRST_DATA.format(stand=stand, first=first_text))
    else:
        st.info(texts.EMPTY)


def demo_notice(has_demo: bool) -> None:
    if has_demo:
        st.caption(f":orange-badge[{texts.DEMO_BADGE}] {texts.DEMO_EXPLAINED}")


def status_badge(status: str | None) -> str:
    """A status as a coloured badge (``texts.STATUS_STYLE``); no status: "kein Zielwert"."""
    color, text = texts.status_badge_parts(status)  # None or NaN: no target
    return f":{color}-badge[{text}]"


# Streamlit's Markdown turns bare addresses (``https://…``, ``www.…``, ``name@host``) into
# links even when their characters are escaped; a word joiner (invisible, U+2060) in the
# middle is the one thing that keeps them text (checked in Chromium, tests/e2e).
_AUTOLINK = re.compile(r"(?i)(?=://)|(?<=\bwww)(?=\.)|(?=@)")
WORD_JOINER = "\u2060"


def literal_text(text: str) -> str:
    """Text from the catalog or an imported file in Markdown: shown as written, never as
    markup and never as a link (an imported text must not lead readers elsewhere)."""
    escaped = "".join("\\" + ch if ch in "\\`*_[]<>#|~$" else ch for ch in str(text))
    return _AUTOLINK.sub(WORD_JOINER, escaped)


def markdown_link(text: str, url: object) -> str:
    """A link in Markdown with the text escaped and the target intact: only http(s)
    targets, with the characters Markdown would end or break the target at encoded.
    Anything else is shown as text (escaped), never as a link."""
    target = str(url or "").strip()
    if urlsplit(target).scheme.lower() not in ("http", "https") or not target.isprintable():
        return literal_text(f"{text} ({target})" if target else text)
    target = "".join(f"%{ord(ch):02X}" if ch in " ()<>[]`\\" else ch for ch in target)
    return f"[{literal_text(text)}]({target})"


@st.cache_resource(ttl=60, show_spinner=False)
def _image_export_available() -> bool:
    """Looked up once a minute, not per chart (a PATH search; 37 charts on a page)."""
    return downloads.image_export_available()


def _export_buttons(fig: go.Figure, filename: str) -> None:
    """PNG (scale 2) and SVG of a chart, rendered when clicked (title, source, Stand in it)."""
    if not _image_export_available():
        st.caption(texts.EXPORT_NO_BROWSER)
        return
    for label, fmt, mime in (
        (texts.EXPORT_PNG, "png", "image/png"),
        (texts.EXPORT_SVG, "svg", "image/svg+xml"),
    ):
        st.download_button(
            label,
            data=lambda fmt=fmt: downloads.figure_image(fig, fmt),
            file_name=f"{filename}.{fmt}",
            mime=mime,
            on_click="ignore",
        )


def text_table(
    frame: pd.DataFrame,
    label: str,
    row_headers: int = 1,
    shown: Callable[[pd.DataFrame], pd.DataFrame] | None = None,
) -> None:
    """A table of text from page data, as HTML (``ui.table_markup``), named ``label``;
    its first ``row_headers`` columns name the rows. Set by a line of script like a
    drawing: ``st.html``'s sanitiser walked every cell again in the browser (the indicator
    page's table of 192 rows cost it as much as Streamlit's grid; ``ui.table_markup``
    escapes every text)."""
    drawing(data.html_table(frame, label, row_headers, shown))


def data_table(
    frame: pd.DataFrame,
    label: str,
    row_headers: int,
    shown: Callable[[pd.DataFrame], pd.DataFrame] | None = None,
) -> None:
    """A table of page data: as text (``text_table``) up to ``table_markup.TEXT_ROWS``
    rows; a longer one in Streamlit's grid, which draws only the rows in view."""
    if len(frame) <= table_markup.TEXT_ROWS:
        text_table(frame, label, row_headers, shown)
    else:
        st.dataframe(data.table(frame, shown), hide_index=True)


class _AsIs(str):
    """Markup ``st.html`` takes as it is, through ``_repr_html_``: given a plain string,
    it dedents and strips it on every run, a regular-expression pass over every
    character (0.1 ms for one masterplan card, 2 ms a masterplan run; a twentieth of the
    server's work with 20 visitors at once). Our markup has nothing to dedent: it is made
    without indentation, and the frame's fixed scripts and styles are dedented once."""

    def _repr_html_(self) -> str:
        return str(self)


def html(markup: str, *, script: bool = False) -> None:
    """``st.html`` of our ``markup`` (ends stripped as ``st.html`` would; ``script``:
    its scripts run)."""
    st.html(_AsIs(markup.strip()), unsafe_allow_javascript=script)


def drawing(markup: str) -> None:
    """Our markup (a chart drawn as SVG, a masterplan card, a table of text) on the page, set
    by a line of script (``tile_markup.drawing_html``), not as Markdown: Streamlit's
    Markdown renderer parses the raw HTML again and makes a React element of every SVG
    node (the masterplan loads about an eighth sooner without), and ``st.html`` alone
    drops inline SVG in its sanitiser."""
    html(tile_markup.drawing_html(markup), script=True)


def svg_chart(
    fig: go.Figure,
    svg: str,
    key: str,
    filename: str,
    projector: Callable[[go.Figure, str], str] | None = None,
) -> None:
    """A chart drawn as static SVG (container ``svg_<key>``, class ``dkpi-static``): the
    browser lays it out once; its plotly form (key ``key``) and exports open on demand
    (``chart_on_demand``).
    In presentation mode ``projector(fig, alt)`` draws it with larger text (once per
    figure)."""
    if projector is not None and st.session_state.get("praesentation"):
        alt = _derived(fig, "_dkpi_alt", alt_text.describe)
        svg = _derived(fig, f"_dkpi_projector_{key}", lambda f: projector(f, alt))
    with st.container(key=f"svg_{key}"):
        drawing(f'<div class="{STATIC_CHART}">{svg}</div>')
    chart_on_demand(fig, key=key, filename=filename)


def district_choice(current: str) -> None:
    """The district page's choice of the profiled district: it replaces the first chosen
    district (the sidebar and the address bar follow; the other chosen districts stay)."""
    names = data.district_names()

    def choose() -> None:  # it takes the first place; the other chosen districts stay
        first = st.session_state["_profile_district"]
        others = [d for d in (st.session_state.get("bezirk") or [])[1:] if d != first]
        st.session_state["bezirk"] = [first, *others]

    _choice(texts.FILTER_PROFILE_DISTRICT, names, "_profile_district", current, choose)


def indicator_choice(current: str, options: dict[str, str]) -> None:
    """The district page's choice of the chart's indicator (URL key ``indikator``): a
    choice writes the key; showing the fallback (the first district-level indicator, when
    the key names a city-level one) does not, so a plain link stays plain."""

    def choose() -> None:
        st.session_state["indikator"] = st.session_state["_district_chart"]

    _choice(texts.FILTER_INDICATOR, options, "_district_chart", current, choose)


def _choice(
    label: str, options: dict[str, str], key: str, current: str, choose: Callable[[], None]
) -> None:
    """A selectbox showing ``current`` that changes the view only through ``choose``."""
    st.session_state[key] = current
    st.selectbox(label, list(options), format_func=options.get, key=key, on_change=choose)
