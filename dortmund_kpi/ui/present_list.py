"""The share dialog's list of views for a presentation: "Diese Ansicht hinzufügen" puts the
view on screen (its live link) at the end of the list, and the dialog gives one link that
plays the list in meeting-room mode (URL key ``folge``, ``share.sequence``). The list lives
in the session, so views of several pages are collected one after the other."""

from __future__ import annotations

import streamlit as st

from dortmund_kpi import texts
from dortmund_kpi.share import sequence, urlstate
from dortmund_kpi.ui import url

LIST = "_dkpi_present_list"  # the collected steps, in order


def collected() -> list[str]:
    return st.session_state.setdefault(LIST, [])


def add(page: str) -> None:
    step = sequence.item(url.permalink(page, pinned=False), urlstate.PAGES.values())
    if step is not None and len(collected()) < sequence.MAX_STEPS:
        collected().append(step)


def link(base: str) -> str:
    """The link that plays the list (it opens at the first step)."""
    params = {"praesentation": ["1"], sequence.FOLGE: list(collected())}
    return urlstate.url_for("uebersicht", params, base)


def section(page: str) -> None:
    """The list in the share dialog: add this view, the steps so far, the link, clear."""
    st.markdown(f"**{texts.PRESENT_LIST_HEADER}**")
    st.caption(texts.PRESENT_LIST_HELP)
    left, right = st.columns(2)
    left.button(texts.PRESENT_LIST_ADD, icon=":material/playlist_add:", on_click=add, args=(page,))
    right.button(texts.PRESENT_LIST_CLEAR, on_click=collected().clear, disabled=not collected())
    steps = collected()
    if not steps:
        st.caption(texts.PRESENT_LIST_EMPTY)
        return
    st.markdown("\n".join(f"{n}. `{step}`" for n, step in enumerate(steps, 1)))
    st.markdown(texts.PRESENT_LIST_LINK.format(n=len(steps)))
    st.code(link(url.public_base(page)), language=None)
