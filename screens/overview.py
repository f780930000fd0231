"""Übersicht: KPI tiles per masterplan and the masterplan x district status matrix."""

import streamlit as st

from dortmund_kpi import texts, ui

st.title(texts.PAGE_TITLES["uebersicht"])
st.caption(texts.OVERVIEW_INTRO)
ui.editor_welcome()
year_from, year_to = ui.selected_years()
tiles = ui.overview_tiles(year_from, year_to)
ui.demo_notice(any(t.demo for t in tiles))

if not tiles:
    st.info(texts.EMPTY)
for plan_id, plan_name in ui.masterplans().items():
    plan_tiles = [t for t in tiles if t.masterplan == plan_id]
    if plan_tiles:
        st.subheader(f"Masterplan {plan_name}")
        ui.page_link("masterplan", f"Alle Kennzahlen: {plan_name} →", {"masterplan": plan_id})
        ui.render_plan_tiles(plan_tiles)

st.subheader(texts.MATRIX_TITLE)
st.caption(texts.MATRIX_HELP)
ui.render_matrix(ui.status_matrix(year_from, year_to), ui.masterplans())

st.subheader(texts.MEASURES_OVERVIEW)
st.caption(texts.MEASURES_OVERVIEW_HELP)
counts, overdue = ui.measures_overview()
st.dataframe(counts, hide_index=True)
st.markdown(f"**{texts.MEASURES_OVERDUE_LIST}**")
ui.measure_list(
    overdue,
    "overview",
    texts.MEASURES_NONE_OVERDUE,
    show_plan=True,
)
