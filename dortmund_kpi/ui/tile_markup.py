"""Page parts as HTML, each one Streamlit element instead of many: the overview's KPI
tiles (one block per masterplan instead of four elements per tile), the masterplan's
cards, lists of measures, and drawings (markup with inline SVG) set by a line of script.

Measured (issue 17, Chromium at 1440x900, M data): a tile drawn as container + metric +
caption + page link cost the browser ~12 ms and the server four elements; the 48 tiles
were half of the overview's load. Drawn as plain HTML (this module; styles in
``ui.frame.FRAME_CSS``, classes ``dkpi-tile*``) the overview's warm load fell from 1.0 s
to 0.6–0.8 s in the benchmark (1.3 to 0.8 s in a profile run; ``docs/performance.md``).

What a tile shows is unchanged: title with its explanation (an accessible disclosure,
not a hover-only tooltip), value, change with arrow, colour and words, sparkline, area,
unit, period, demo badge, origin note, target status and target, and the link to the
indicator. The link is an ordinary ``<a>`` (it works without script, in a new tab, and
for screen readers); ``ui.frame``'s script turns a plain click into Streamlit's own page
change, so the session and its filters stay as with ``st.page_link``.

Streamlit-free: tested in ``tests/unit/test_tile_markup.py``.
"""

from __future__ import annotations

import functools
import json
import re
from html import escape
from urllib.parse import quote, urlencode

from dortmund_kpi import texts
from dortmund_kpi.share import urlstate
from dortmund_kpi.views.overview import Tile

NAV_CLASS = "dkpi-nav"  # links the frame's script opens as a page change of the session
HELP_CLASS = "dkpi-tile-help"  # the "?" explanation the frame's script closes like a popup
ARROWS = {True: "↑", False: "↓", None: ""}
_BOLD = re.compile(r"\*\*(.+?)\*\*", re.DOTALL)


def _text(value: str) -> str:
    return escape(value, quote=False)


def badge(color: str, label: str) -> str:
    return f'<span class="dkpi-badge dkpi-{escape(color)}">{_text(label)}</span>'


def status_badge(status: str | None) -> str:
    return badge(*texts.status_badge_parts(status))


Params = tuple[tuple[str, tuple[str, ...]], ...]  # query parameters, hashable (cached)


def as_params(query: dict[str, list[str]]) -> Params:
    """Query parameters (``ui.url.view_params``) in the hashable form the links take."""
    return tuple((key, tuple(values)) for key, values in query.items())


def page_href(page: str, params: Params) -> str:
    """A link to a page of the app (a key of ``urlstate.PAGES``) with ``params``, relative
    to the page it is on (pages share one level: it holds under any base path)."""
    path = urlstate.PAGES[page]
    query = urlencode([(k, v) for k, values in params for v in values])
    return f"{path}?{query}" if query else path or "./"


def _paragraphs(text: str) -> str:
    """Plain text with the little Markdown our explanations use (``**bold**``, paragraphs
    split by a blank line) as HTML; everything else escaped."""
    bold = r"<strong>\1</strong>"
    return "".join(f"<p>{_BOLD.sub(bold, _text(p))}</p>" for p in text.split("\n\n"))


def help_html(name: str, explanation: str) -> str:
    """The "?" disclosure: the name, then the explanation (an accessible ``<details>``,
    not a hover-only tooltip)."""
    body = _paragraphs(name) + (_paragraphs(explanation) if explanation else "")
    return (
        f'<details class="{HELP_CLASS}"><summary aria-label="{escape(texts.TILE_HELP)}: '
        f'{escape(name)}">?</summary><div>{body}</div></details>'
    )


def _help(tile: Tile) -> str:
    return help_html(tile.name, tile.explanation)


def _change(tile: Tile) -> str:
    if not tile.change:
        return ""
    style = texts.CHANGE_STYLE[tile.change_word]
    arrow = ARROWS[tile.rising]
    delta = f"{arrow} {tile.change}" if arrow else tile.change
    return (
        f'<p class="dkpi-tile-change"><span class="dkpi-delta dkpi-{escape(style.color)}">'
        f"{_text(delta)}</span> {_text(f'{tile.versus}, {style.label}')}</p>"
    )


def _notes(tile: Tile, show_area: bool) -> str:
    parts = [_text(tile.area or texts.TILE_CITY)] if show_area else []
    parts += [_text(p) for p in (tile.unit, tile.period) if p]
    if tile.demo:
        parts.append(badge("orange", texts.DEMO_BADGE))
    if tile.origin_note:
        parts.append(_text(tile.origin_note))
    if tile.target == texts.NO_TARGET:
        target = status_badge(None)
    else:
        rating = status_badge(tile.status) if tile.status else badge("gray", texts.NO_RATING)
        target = f"{rating} {_text(tile.target)}"
    return f'<p class="dkpi-tile-note">{" · ".join(parts)}<br>{target}</p>'


def _sparkline(svg: str) -> str:
    """The sparkline as an image of its SVG (Streamlit's HTML sanitiser drops inline SVG);
    without one (fewer than two values) the same height stays empty."""
    if not svg:
        return '<div class="dkpi-spark-space"></div>'
    source = "data:image/svg+xml," + quote(svg, safe=" =:/,.-")
    return f'<img class="dkpi-spark" alt="{escape(texts.SPARKLINE_ALT)}" src="{source}">'


def tile_html(tile: Tile, show_area: bool = False, view: Params = ()) -> str:
    """One tile (``data-indicator`` names it, for tests and the browser); its link carries
    ``view`` (the session's filters) so that it keeps them in a new tab too."""
    link = page_href("indikator", (*view, ("indikator", (tile.indicator_id,))))
    label = escape(f"{texts.OPEN_INDICATOR} „{tile.name}“")
    spark = _sparkline(tile.sparkline_markup)
    return (
        f'<div class="dkpi-tile" data-indicator="{escape(tile.indicator_id)}">'
        f'<div class="dkpi-tile-head"><h3>{_text(tile.title)}</h3>{_help(tile)}</div>'
        f'<p class="dkpi-tile-value">{_text(tile.value)}</p>'
        f"{_change(tile)}{spark}{_notes(tile, show_area)}"
        f'<a class="{NAV_CLASS} dkpi-tile-link" href="{escape(link)}" aria-label="{label}">'
        f"{_text(texts.OPEN_INDICATOR)} →</a></div>"
    )


@functools.lru_cache(maxsize=32)
def tiles_html(tiles: tuple[Tile, ...], show_area: bool = False, view: Params = ()) -> str:
    """The tiles side by side, as many per line as fit (one per line on a phone). Made
    once per set of tiles (page data are shared, so are their tiles): 48 tiles are
    ~150 KB of HTML, ~4 ms to write."""
    return (
        '<div class="dkpi-tiles">'
        + "".join(tile_html(t, show_area, view) for t in tiles)
        + "</div>"
    )


MEASURES_CLASS = "dkpi-measures"  # a list of measures (``measure_list_html``)


def measure_html(href: str, title: str, facts: str, overdue: bool, demo: bool) -> str:
    """One measure of a list: its title, a link opening its detail on the page (``href``
    with ``massnahme``; the frame's script makes it the session's own rerun), then its
    facts (masterplan, status, deadline), "überfällig" in bold and a demo badge."""
    late = f" · <strong>{_text(texts.MEASURE_OVERDUE)}</strong>" if overdue else ""
    demo_badge = f" · {badge('orange', texts.DEMO_BADGE)}" if demo else ""
    return (
        f'<li><a class="{NAV_CLASS}" href="{escape(href)}">{_text(title)}</a>'
        f"<span>{_text(facts)}{late}{demo_badge}</span></li>"
    )


def measure_list_html(items: list[str]) -> str:
    """Measures (``measure_html``) as one list: a measure was a row of three Streamlit
    elements (button, text, their row); the district page's 16 at M were a quarter of
    its load (``docs/performance.md``)."""
    # role="list": a list without bullets is no list to Safari's VoiceOver otherwise
    return f'<ul class="{MEASURES_CLASS}" role="list">{"".join(items)}</ul>'


DRAWING_CLASS = "dkpi-drawing"  # the holder of markup set by ``drawing_html``'s script


@functools.lru_cache(maxsize=256)  # a page's drawings come again on every run
def drawing_html(markup: str) -> str:
    """``markup`` (ours, its text escaped) for ``st.html`` with script allowed: an empty
    holder and a script that sets the markup into it. The sanitiser of ``st.html`` would
    drop inline SVG; it keeps a script, whose text it leaves alone unless it reads as
    markup, so the markup travels as a JSON string with every ``<`` escaped (nothing in
    it can end the script either).

    The browser sets it as ``innerHTML``, unsanitised (Markdown's renderer ran no event
    handlers either): every text in it must be escaped where the markup is made, as
    ``views.svg_parts`` and the ``views.*_svg`` drawings do."""
    payload = json.dumps(markup, ensure_ascii=False).replace("<", "\\u003c")
    return (
        f'<div class="{DRAWING_CLASS}"></div><script>'
        f"document.currentScript.previousElementSibling.innerHTML={payload};</script>"
    )


CARD_CHART_PREFIX = "mp_"  # a card's interactive chart is keyed mp_<indicator id>


@functools.lru_cache(maxsize=256)  # the same cards on every run of a masterplan
def card_html(
    indicator_id: str,
    name: str,
    title: str,
    status: str | None,
    explanation: str,
    body: str,
    status_area: str = "",
) -> str:
    """A masterplan chart's card in one element: title, status badge, "?" with
    the status explained, ``body`` (the small multiple's SVG or a note) and the link to the
    indicator. They were five Streamlit elements a card (title, picture, two popovers, page
    link); one element and one popover make the masterplan's 14 cards load about 0.07 s
    sooner (``docs/performance.md``).
    Drawn with ``ui.widgets.drawing``: Streamlit's HTML sanitiser drops inline SVG.
    ``status_area`` names whose status the badge is (the city's, beside district lines)."""
    link = page_href("indikator", (("indikator", (indicator_id,)),))
    area = f'<span class="dkpi-status-area">{_text(status_area)}:</span> ' if status_area else ""
    label = escape(f"{texts.OPEN_INDICATOR} „{name}“")
    return (
        f'<div class="dkpi-card" data-indicator="{escape(indicator_id)}">'
        f'<div class="dkpi-tile-head"><p class="dkpi-card-title"><strong>{_text(title)}'
        f"</strong> {area}{status_badge(status)}</p>{help_html(name, explanation)}</div>{body}"
        f'<p class="dkpi-card-link"><a class="{NAV_CLASS}" href="{escape(link)}" '
        f'aria-label="{label}">{_text(texts.OPEN_INDICATOR)} →</a></p></div>'
    )
