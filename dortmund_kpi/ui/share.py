"""Sharing a view: links (live and pinned), QR codes, the view as slides, the pinned
banner, the data Stand in the sidebar and presentation mode."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import streamlit as st

from dortmund_kpi import formatting, texts
from dortmund_kpi.db.store import Store
from dortmund_kpi.settings import get_settings
from dortmund_kpi.share import deck, qr, slides, urlstate
from dortmund_kpi.ui import data, present_list, url

PPTX_MIME = "application/vnd.openxmlformats-officedocument.presentationml.presentation"


def data_stand_caption() -> None:
    shown = data.data_moment(url.as_of())
    text = texts.PINNED_SIDEBAR if url.as_of() else texts.DATA_STAND_SIDEBAR
    st.caption(text.format(stand=formatting.timestamp(shown)))


def pinned_banner(page: str) -> None:
    """A pinned view says so, and offers the live view when newer data exists."""
    as_of = url.as_of()
    if as_of is None:
        return
    text = texts.PINNED_BANNER.format(stand=formatting.timestamp(as_of))
    live, shown = data.data_moment(None), data.data_moment(as_of)
    if live is not None and (shown is None or live > shown):
        params = url.view_params(page, stand=None)
        live_link = urlstate.url_for(page, params, url.public_base(page))
        text += " " + texts.PINNED_NEWER.format(live=formatting.timestamp(live), link=live_link)
    st.info(text, icon=":material/push_pin:")  # an emoji needs an emoji font
    st.button(texts.SHOW_LIVE, on_click=lambda: st.session_state.update(stand=None))


@st.dialog(texts.SHARE_TITLE, width="large")
def share_dialog(page: str) -> None:
    live, pinned = url.permalink(page, pinned=False), url.permalink(page, pinned=True)
    st.markdown(texts.SHARE_LIVE)
    st.code(live, language=None)
    shown = url.as_of() or data.data_moment(url.as_of())
    st.markdown(texts.SHARE_PINNED.format(stand=formatting.timestamp(shown)))
    st.code(pinned, language=None)
    choice = st.radio(texts.SHARE_QR_FOR, texts.SHARE_QR_CHOICES, horizontal=True)
    link = pinned if choice == texts.SHARE_QR_CHOICES[0] else live
    png = qr.qr_png(link)
    alt = texts.SHARE_QR_ALT.format(link=link)
    st.image(png, width=220, caption=texts.SHARE_QR_CAPTION, alt=alt)
    left, right = st.columns(2)
    name = f"dortmund-kpi_{page}_qr"
    left.download_button(texts.SHARE_QR_PNG, png, file_name=f"{name}.png", mime="image/png")
    right.download_button(
        texts.SHARE_QR_SVG, qr.qr_svg(link), file_name=f"{name}.svg", mime="image/svg+xml"
    )
    st.divider()
    present_list.section(page)  # views collected for one presentation link


def share_button(page: str) -> None:
    if st.sidebar.button(texts.SHARE_BUTTON, icon=":material/share:", width="stretch"):
        share_dialog(page)
    # Beside the download it changes: one slide per view, or also every chart and table.
    details = st.sidebar.checkbox(
        texts.SLIDES_DETAILS, key="slides_details", help=texts.SLIDES_DETAILS_HELP
    )
    st.sidebar.download_button(
        texts.SLIDES_BUTTON,
        data=_deck_builder(page, details),
        file_name=f"dortmund-kpi_{page}.pptx",
        mime=PPTX_MIME,
        help=texts.SLIDES_HELP,
        icon=":material/slideshow:",
        width="stretch",
        on_click="ignore",
    )


def _deck_builder(page: str, details: bool = False) -> Callable[[], bytes]:
    """A callable that builds the deck when clicked (in another thread: capture all now).

    The deck renders the same page data as the page (``views.<page>.build``) for the view
    on screen, on the version on screen."""
    values, link = url.view_values(), url.permalink(page, pinned=True)
    linked = deck.LinkedView(page, values, link, [], url.indicator_chosen())
    db_file = data.current_file()

    def build() -> bytes:
        with Store(get_settings().db_path).connect_read(Path(db_file)) as con:
            return slides.build_deck(deck.slides_for(con, linked, details))

    return build


def presentation_mode() -> bool:
    """``praesentation=1``: no sidebar or chrome, larger text (``ui.frame``)."""
    return bool(st.session_state.get("praesentation"))
