"""Stadtbezirke: one district's profile against the city average, with its rank; several
districts side by side; a chart of the chosen districts against the city over time."""

import streamlit as st

from dortmund_kpi import texts
from dortmund_kpi.ui import data, measures, url, widgets
from dortmund_kpi.views import small_svg
from dortmund_kpi.views.districts import build

page = data.page_data(build, url.current_view("bezirke"))
widgets.district_choice(page.district)
st.title(page.title)
st.caption(texts.PROFILE_INTRO.format(n=len(page.names)))
if not page.view.districts:
    st.caption(texts.DISTRICTS_PICK.format(name=page.name))
if not page.profiles:
    widgets.empty_notice(page.view.as_of)
else:
    widgets.demo_notice(page.demo)
    for profile in page.profiles:
        plan = f"Masterplan {profile.plan_name}"
        st.header(plan)
        widgets.text_table(profile.table, plan)

if page.comparison:
    st.header(texts.DISTRICTS_COMPARED)
    st.caption(texts.DISTRICTS_COMPARED_HELP)
    for profile in page.comparison:
        plan = f"Masterplan {profile.plan_name}"
        st.markdown(f"**{plan}**")
        # a row per indicator and period: both name it
        widgets.text_table(profile.table, f"{texts.DISTRICTS_COMPARED}: {plan}", row_headers=2)

if page.chart is not None:
    st.header(texts.DISTRICTS_CHART)
    chart = page.chart
    widgets.indicator_choice(str(chart.indicator["id"]), chart.options)
    if chart.figure is None:
        st.caption(texts.EMPTY)
    else:
        widgets.svg_chart(
            chart.figure, chart.svg, "district_series", chart.file_name, small_svg.projector_series
        )

st.header(texts.MEASURES_DISTRICT)
measures.measure_list(page.measures, "bezirke", show_plan=True)
