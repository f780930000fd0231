"""Stadtbezirke: one district's profile against the city average, with its rank."""

import streamlit as st

from dortmund_kpi import texts
from dortmund_kpi.ui import data, measures, url, widgets
from dortmund_kpi.views.districts import build

page = data.page_data(build, url.current_view("bezirke"))
widgets.district_choice(page.district)
st.title(page.title)
st.caption(texts.PROFILE_INTRO.format(n=len(page.names)))
if not page.profiles:
    st.info(texts.EMPTY)
else:
    widgets.demo_notice(page.demo)
    for profile in page.profiles:
        st.subheader(f"Masterplan {profile.plan_name}")
        st.dataframe(profile.table, hide_index=True)

st.subheader(texts.MEASURES_DISTRICT)
measures.measure_list(page.measures, "district", show_plan=True)
