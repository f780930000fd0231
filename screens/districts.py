"""Stadtbezirke: one district's profile against the city average, with its rank."""

import streamlit as st

from dortmund_kpi import texts, ui
from dortmund_kpi.views import common as views
from dortmund_kpi.views import measures as measure_views

slug = ui.profile_district()
names = ui.district_names()
st.title(texts.PROFILE_TITLE.format(name=names[slug]))
st.caption(texts.PROFILE_INTRO.format(n=len(names)))
year_from, year_to = ui.selected_years()
profile = ui.query("district_profile", slug, year_from, year_to)
if profile.empty:
    st.info(texts.EMPTY)
else:
    ui.demo_notice(not profile["is_official"].all())
    for plan_id, plan_name in ui.masterplans().items():
        part = profile[profile["masterplan"] == plan_id]
        if len(part):
            st.subheader(f"Masterplan {plan_name}")
            st.dataframe(views.profile_table(part), hide_index=True)

st.subheader(texts.MEASURES_DISTRICT)
ui.measure_list(measure_views.for_district(ui.measures(), slug), "district", show_plan=True)
