"""Übersicht: KPI tiles per masterplan and the masterplan x district status matrix.

The tiles and the matrix are sections (``ui.partial``): a district choice redraws only
the tiles, a change of years the tiles and the matrix; the measures stay."""

import streamlit as st

from dortmund_kpi import texts
from dortmund_kpi.ui import data, editor, frame, measures, overview, partial, url, widgets
from dortmund_kpi.views.overview import build

PAGE = "uebersicht"


def tiles() -> None:
    page = data.page_data(build, url.current_view(PAGE))
    widgets.demo_notice(page.demo)
    if page.district:
        st.caption(texts.OVERVIEW_DISTRICT.format(name=page.district))
        if len(page.view.districts) > 1:
            st.caption(texts.OVERVIEW_FIRST_DISTRICT.format(name=page.district))
    if not page.tiles:
        widgets.empty_notice(page.view.as_of)
    for plan_id, plan_name in page.plans.items():
        plan_tiles = page.plan_tiles(plan_id)
        if plan_tiles:
            st.header(f"Masterplan {plan_name}")
            # A section a phone shows collapsed (ui.frame), so the overview can be scanned.
            label = overview.section_label(plan_tiles)
            with st.expander(label, expanded=True, key=f"{frame.SECTION_KEY}{plan_id}"):
                link = f"Alle Kennzahlen: {plan_name} →"
                widgets.page_link("masterplan", link, {"masterplan": plan_id})
                overview.render_plan_tiles(plan_tiles, show_area=page.district is not None)


def matrix() -> None:
    page = data.page_data(build, url.current_view(PAGE))
    if page.tiles:  # without any value the matrix would only say "kein Zielwert" everywhere
        st.header(texts.MATRIX_TITLE)
        st.caption(texts.MATRIX_HELP)
        overview.render_matrix(page.matrix, page.plans)


def overdue_measures() -> None:
    """A section redrawn with every filter change: its links carry the view."""
    page = data.page_data(build, url.current_view(PAGE))
    measures.measure_list(page.overdue, PAGE, texts.MEASURES_NONE_OVERDUE, show_plan=True)


st.title(texts.PAGE_TITLES[PAGE])
st.caption(texts.OVERVIEW_INTRO)
editor.editor_welcome()
partial.section(PAGE, "uebersicht_tiles", ("bezirk", "zeitraum"), tiles)
partial.section(PAGE, "uebersicht_matrix", ("zeitraum",), matrix)

page = data.page_data(build, url.current_view(PAGE))
st.header(texts.MEASURES_OVERVIEW)
st.caption(texts.MEASURES_OVERVIEW_HELP)
measures.demo_notice(page.measures)
st.dataframe(data.table(page.measure_counts), hide_index=True)
st.markdown(f"**{texts.MEASURES_OVERDUE_LIST}**")
partial.section(PAGE, "uebersicht_measures", (partial.EVERY,), overdue_measures)
