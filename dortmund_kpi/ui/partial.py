"""Partial reruns: a filter change redraws only the parts of a page that show it.

A page draws the parts that depend on a filter as *sections* (``st.fragment`` with a
key), each declaring the filters it shows (``depends``). When a filter changes, its
``on_change`` callback (``changed``) reruns only the sections of the page on screen that
declared it, plus the sidebar's share section (links and slides carry every filter);
the header, other charts and the rest of the page stay as they are, on the server and in
the browser. A page that declares no section for a filter gets a full rerun, as before.

The contract a page keeps: *everything* it shows that depends on a filter lies in a
section declaring that filter (a section reads its page data itself, for the view of
the rerun, never the data of the enclosing run).

The address bar is written at the end of every section in a partial rerun
(``ui.url.write_url``): such a rerun never reaches the end of ``dashboard.py`` that
writes it after a full run.
"""

from __future__ import annotations

from collections.abc import Callable

import streamlit as st
from streamlit import config  # AppTest patches config.get_option, not st.get_option

from dortmund_kpi.ui import data, url

SECTIONS = "_partial_sections"  # filter key -> fragment keys of the page on screen
EVERY = "*"  # a section shown with every filter change (the share section)
SHARE = "share"  # the sidebar's links and slides: they carry every filter


FULL_RUN = "_partial_full_run"  # a full run is under way (it writes the URL at its end)


def begin() -> None:
    """A full run starts: its page declares its sections anew."""
    st.session_state[SECTIONS] = {}
    st.session_state[FULL_RUN] = True


def end() -> None:
    """A full run ends (``dashboard.py`` writes the URL): what runs next is partial."""
    st.session_state[FULL_RUN] = False


def section(page: str, key: str, depends: tuple[str, ...], draw: Callable[[], None]) -> None:
    """Draw ``draw`` as a fragment named ``key`` that reruns alone when a filter of
    ``depends`` changes (``EVERY``: with any filter change that reruns sections)."""

    @st.fragment(key=key)
    def run() -> None:
        try:
            draw()
        finally:  # a partial rerun, also one ending in a switch_page (ui.url.switch_page)
            if not st.session_state.get(FULL_RUN):
                url.write_url(page)

    registry = st.session_state.setdefault(SECTIONS, {})
    for name in depends:
        keys = registry.setdefault(name, [])
        if key not in keys:
            keys.append(key)
    run()


def changed(name: str) -> None:
    """``on_change`` of the filter ``name``: rerun only the sections that show it, when
    the page on screen has such sections; otherwise the whole page reruns.

    A pinned view (its banner links to the live view with the filters), an open measure
    (its statuses follow the view), warnings about a link (a full run clears them) and a
    newer data version than the page was drawn from (an import since) always rerun the
    whole page.
    """
    registry = st.session_state.get(SECTIONS) or {}
    keys = registry.get(name)
    if not keys or config.get_option("global.appTest"):
        # AppTest builds its element tree from the messages of one run only: after a
        # partial rerun its tree would hold the sections and nothing else, so the
        # page tests (which read whole pages) get whole runs; the browser tests see
        # the partial reruns (tests/e2e/test_partial_reruns.py).
        return
    if _whole_page():
        st.rerun()  # also for a switch inside a section
    st.rerun([*keys, *(k for k in registry.get(EVERY, []) if k not in keys)])


def _whole_page() -> bool:
    state = st.session_state
    if url.as_of() is not None or state.get("massnahme") or state.get(url.NOTICES):
        return True
    return data.newer_version()
