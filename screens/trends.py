"""Technologiescout: the radar of the trends the CIO office watches, tries and adopts."""

import streamlit as st

from dortmund_kpi import texts
from dortmund_kpi.ui import data, trends, url, widgets
from dortmund_kpi.views import radar_svg
from dortmund_kpi.views.trends import build

st.title(texts.TRENDS_TITLE)
st.markdown(texts.TRENDS_INTRO)
trends.sector_switch()
page = data.page_data(build, url.current_view("trends"))
trends.detail(page.detail, page.view.trend)
if page.empty:
    st.info(texts.TRENDS_NONE)
else:
    if page.demo:
        st.caption(f":orange-badge[{texts.DEMO_BADGE}] {texts.TRENDS_DEMO}")
    if page.figure is not None:
        svg, projector = page.svg, radar_svg.projector
        widgets.svg_chart(page.figure, svg, "trend_radar", page.file_name, projector)
    trends.ring_lists(page)
    trends.downloads(page)
