"""The view in the address bar: read a link into the session, write the session back.

The contract (keys, parsing, defaults, old names) is ``share.urlstate``; this module
only moves values between ``st.query_params`` and ``st.session_state``.
"""

from __future__ import annotations

import os
from datetime import datetime
from typing import Any, NoReturn

import streamlit as st

from dortmund_kpi import texts
from dortmund_kpi.share import sequence, url_values, urlstate
from dortmund_kpi.share.deck import url_context as context_of
from dortmund_kpi.ui import data
from dortmund_kpi.views.common import View

URL_WRITTEN = "_url_written"
LAST_PAGE = "_last_page"
NOTICES = "_url_notices"
CARRIED_NOTICES = "_url_notices_carried"  # of a link the app passed on to another view
SWITCHING = "_url_switching"  # a page switch with its own link is under way
PER_CAPITA = "je1000"  # the indicator page's switch: its widget key is its URL key
CONTEXT = "_url_context"  # (version file, its UrlContext)
# Keys a link without them sets to their default, not to what the session held: without
# seite the first group; without je1000 the switch off (Back to an address before it).
RESET_WHEN_MISSING = ("seite", PER_CAPITA)


def as_of() -> datetime | None:
    """The pinned moment of the view (URL key ``stand``), or None for live data."""
    value = st.session_state.get("stand")
    return value if isinstance(value, datetime) else None


def url_context() -> url_values.UrlContext:
    """What values a link may hold on the current version (asked ten times a run: kept
    in the session with its version, so the shared cache is asked once per version)."""
    data.remember(("url_context",), _context)  # made on a new version before it is asked
    kept = st.session_state.get(CONTEXT)
    if kept is not None and kept[0] == data.current_file():
        return kept[1]
    context = data.on_current(_context)
    st.session_state[CONTEXT] = (data.current_file(), context)
    return context


@st.cache_resource(max_entries=4, show_spinner=False)
def _context(db_file: str) -> url_values.UrlContext:
    return context_of(data.Cached(db_file))


def defaults() -> dict[str, Any]:
    """The default view (what a URL leaves out)."""
    return urlstate.defaults(url_context())


def _current_params() -> dict[str, list[str]]:
    return {
        key: st.query_params.get_all(key)
        for key in st.query_params
        if key not in urlstate.RESERVED_KEYS
    }


def sync_from_url(page: str) -> None:
    """Load the view from the URL when it was opened or changed from outside the app.

    Our own writes are remembered: on a page switch Streamlit clears the query
    string, which must not reset the filters the user has set.
    """
    params = _current_params()
    previous, st.session_state[LAST_PAGE] = st.session_state.get(LAST_PAGE), page
    own_url = params == st.session_state.get(URL_WRITTEN)  # navigation inside the app
    for detail in ("massnahme", "trend"):  # a measure's or trend's detail stays on its page
        if previous is not None and previous != page and (own_url or detail not in params):
            st.session_state[detail] = None
    carried = st.session_state.pop(CARRIED_NOTICES, [])
    if not params or own_url:
        st.session_state[NOTICES] = carried
        return
    parsed = urlstate.parse(params, page, url_context())
    base = defaults()
    migrated = urlstate.migrate_keys(params)
    # A step of a presentation's sequence is a whole view: what it leaves out is the default,
    # not what the step before showed (its districts must not stay on the next slide).
    whole = sequence.SCHRITT in migrated
    for key in urlstate.view_keys(page):
        if key in parsed.values:
            st.session_state[key] = parsed.values[key]
        elif key in migrated or key in RESET_WHEN_MISSING or whole:
            st.session_state[key] = base[key]
    st.session_state[NOTICES] = [*carried, *parsed.notices]


def view_values() -> dict[str, Any]:
    """The session's view values, defaults filled in."""
    values = {key: st.session_state.get(key) for key in urlstate.view_keys()}
    values = {k: v for k, v in values.items() if v is not None}
    out = defaults() | values
    lo, hi = data.year_range()
    years = out.get("zeitraum")
    if not years or years[0] < lo or years[1] > hi or years[0] > years[1]:
        out["zeitraum"] = (lo, hi)
    out["zeitraum"] = (int(out["zeitraum"][0]), int(out["zeitraum"][1]))
    out["stand"] = as_of()
    return out


def current_view(page: str) -> View:
    """The view the page shows (``views.<page>.build`` takes it)."""
    return View.from_values(page, view_values(), indicator_chosen=indicator_chosen())


def indicator_chosen() -> bool:
    """Whether the link or a choice in this session named an indicator (else the view
    shows the default one)."""
    return st.session_state.get("indikator") is not None


def view_params(page: str, **changes: Any) -> dict[str, list[str]]:
    """The query parameters of the current view on ``page`` (with ``changes`` applied)."""
    return view_params_each(page, changes, [{}])[0]


def view_params_each(
    page: str, changes: dict[str, Any], each: list[dict[str, Any]]
) -> list[dict[str, list[str]]]:
    """``view_params(page, **changes, **one)`` for every ``one`` of ``each``: the view read
    from the session once (a list of measures links each to its detail)."""
    values = {key: st.session_state.get(key) for key in urlstate.view_keys()} | changes
    values["zeitraum"] = tuple(values["zeitraum"]) if values.get("zeitraum") else None
    known = defaults()
    return [urlstate.serialize(values | one, page, known) for one in each]


def switch_page(target: Any, params: dict[str, list[str]]) -> NoReturn:
    """Open ``target`` (a page) with the view of ``params``.

    ``dashboard.py`` writes the view into the address bar after every run, also after a
    run that a page switch ends: unmarked, the page being left wrote its own view over
    ``params`` and the next page opened without them (the matrix click landed on the
    masterplan page with an address bar of the overview).
    """
    st.session_state[SWITCHING] = True
    st.switch_page(target, query_params=params)


def write_url(page: str) -> None:
    """Put the current view into the address bar (only what differs from the default)."""
    if st.session_state.pop(SWITCHING, False):  # leaving for a page with its own link
        return
    params = view_params(page)
    reserved = {
        k: st.query_params.get_all(k) for k in urlstate.RESERVED_KEYS if k in st.query_params
    }
    if params != _current_params():
        st.query_params.from_dict({**params, **reserved})
    st.session_state[URL_WRITTEN] = params


def carry_notices() -> None:
    """Keep the notices of the link being read for the view the app switches to next (a
    presentation's link opens its first step): that view's run would read only its own."""
    st.session_state[CARRIED_NOTICES] = list(st.session_state.get(NOTICES, []))


def show_notices() -> None:
    for notice in st.session_state.get(NOTICES, []):
        template = texts.URL_NOTICE if notice.value.strip() else texts.URL_NOTICE_EMPTY
        st.warning(template.format(key=notice.key, value=literal(notice.value)), icon="⚠️")


def literal(text: str, limit: int = 60) -> str:
    """Text from a link shown as code, never as Markdown (no links, images or colours)."""
    visible = "".join(ch for ch in text[:limit] if ch.isprintable() and ch not in "`\u202e\u202d")
    return f"`{visible}`" if visible.strip() else "` `"


def public_base(page: str) -> str:
    """The app's public address: ``DORTMUND_KPI_PUBLIC_URL`` (behind a proxy) or the
    address the browser uses; empty (relative links) when neither is known."""
    configured = os.environ.get("DORTMUND_KPI_PUBLIC_URL")
    if configured:
        return configured.rstrip("/")
    url = (st.context.url or "").rstrip("/")
    path = urlstate.PAGES[page]
    if path and url.endswith("/" + path):
        url = url[: -len(path) - 1]
    return url


def permalink(page: str, *, pinned: bool) -> str:
    stand = (as_of() or data.data_moment(as_of())) if pinned else None
    return urlstate.url_for(page, view_params(page, stand=stand), public_base(page))
