"""Vergleich: one indicator, Dortmund among a peer group (rank over time, bar ranking,
median and best, the regional map)."""

import functools

import streamlit as st

from dortmund_kpi import texts
from dortmund_kpi.ui import comparison, data, url, widgets
from dortmund_kpi.views import bars_svg, map_svg, rank_svg, small_svg
from dortmund_kpi.views.comparison import build

page = data.page_data(build, url.current_view("vergleich"))
st.title(page.title)
st.caption(texts.COMPARISON_INTRO)
if page.indicator is None:
    st.info(page.notice or texts.COMPARISON_NONE)
else:
    comparison.choices(page)
    if page.notice:
        st.info(page.notice)
    st.caption(page.mode_text)
    widgets.demo_notice(page.demo)
    if page.latest is None:
        widgets.empty_notice(page.view.as_of)
    comparison.summary(page)
    if page.bar_figure is not None:
        projector = functools.partial(bars_svg.markup, width=bars_svg.PROJECTOR_WIDTH)
        name = "vergleich_rangfolge"
        widgets.svg_chart(page.bar_figure, page.bar_svg, "peer_bars", name, projector=projector)
    if page.missing_text:
        st.caption(page.missing_text)
    left, right = st.columns(2)
    with left:
        if page.rank_figure is not None:
            figure, name = page.rank_figure, "vergleich_rang"
            widgets.svg_chart(figure, page.rank_svg, "peer_rank", name, rank_svg.projector)
    with right:
        if page.map_figure is not None:
            projector = functools.partial(map_svg.figure_svg, width=small_svg.PROJECTOR_WIDTH)
            figure, name = page.map_figure, "vergleich_karte"
            widgets.svg_chart(figure, page.map_svg, "peer_map", name, projector=projector)
    st.header(texts.COMPARISON_TABLE)
    widgets.data_table(page.table, texts.COMPARISON_TABLE, 2)
