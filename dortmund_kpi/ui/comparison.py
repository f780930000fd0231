"""The comparison's widgets: group and indicator choice, the page's sections, and the
small "im Vergleich" panel of the indicator page."""

from __future__ import annotations

import streamlit as st

from dortmund_kpi import texts
from dortmund_kpi.ui import widgets
from dortmund_kpi.views.comparison import ComparisonData, value_text
from dortmund_kpi.views.indicator_peers import PeerPanel


def _choice(label: str, options: dict[str, str], url_key: str, current: str) -> None:
    """A selectbox showing ``current``; a choice writes the URL key (showing a fallback
    does not, so a plain link stays plain)."""
    widget = f"_comparison_{url_key}"

    def choose() -> None:
        st.session_state[url_key] = st.session_state[widget]

    st.session_state[widget] = current
    st.selectbox(label, list(options), format_func=options.get, key=widget, on_change=choose)


def choices(page: ComparisonData) -> None:
    left, right = st.columns(2)
    if page.group is not None:
        with left:
            _choice(texts.COMPARISON_GROUP, page.groups, "vergleich", page.group.id)
    if page.indicator is not None:
        with right:
            _choice(texts.COMPARISON_INDICATOR, page.options, "indikator", page.indicator["id"])


def summary(page: ComparisonData) -> None:
    """Dortmund, the group median and the best value of the latest period, with the rank."""
    latest, ind = page.latest, page.indicator
    if latest is None or ind is None:
        return
    decimals = page.decimals
    cols = st.columns(4)
    rank = (
        "–" if latest.rank is None else texts.COMPARISON_RANK.format(rank=latest.rank, n=latest.n)
    )
    cols[0].metric(texts.COMPARISON_COLUMNS["rank"], rank)
    for col, key, value in (
        (cols[1], "dortmund", latest.dortmund),
        (cols[2], "median", latest.median),
        (cols[3], "best", latest.best),
    ):
        col.metric(texts.COMPARISON_METRICS[key], value_text(value, page.unit, decimals))
    cols[3].caption(latest.best_name)
    if latest.rank is None:
        st.caption(texts.COMPARISON_NO_DORTMUND.format(period=latest.period))


def panel(found: PeerPanel | None) -> None:
    """The indicator page's "im Vergleich": rank, median and best in one line, a link."""
    if found is None:
        return
    with st.container(border=True):
        st.markdown(f"**{texts.COMPARISON_PANEL}**")
        st.markdown(found.text)
        widgets.page_link(
            "vergleich",
            texts.COMPARISON_PANEL_LINK,
            {"vergleich": [found.group], "indikator": [found.indicator]},
        )
