"""Masterplan: every indicator of one masterplan as small multiples with target and status,
then the masterplan's measures on a timeline."""

import streamlit as st

from dortmund_kpi import texts, ui
from dortmund_kpi.views import common as views
from dortmund_kpi.views import measures as measure_views

plan = ui.page_key_select(
    "masterplan", texts.FILTER_MASTERPLAN, ui.masterplans(), on_change=ui.first_chart_page
)
st.title(f"Masterplan {ui.masterplans()[plan]}")
year_from, year_to = ui.selected_years()
districts = ui.selected_districts()
indicators = ui.indicators()
own = indicators[indicators["masterplan"] == plan]
statuses = ui.city_statuses(year_from, year_to)
notices = st.container()  # above the group choice, filled once the charts are known
start, end = ui.chart_page(views.chart_groups(len(own)))
shown = own.iloc[start:end]
charts = ui.plan_figures(plan, ["dortmund", *districts], year_from, year_to, list(shown["id"]))
with notices:
    ui.demo_notice(charts.demo)
    if charts.empty:
        st.info(texts.EMPTY)

columns = st.columns(2)
for index, ind in enumerate(shown.itertuples(index=False)):
    fig = charts.figures[ind.id]
    with columns[index % 2], st.container(border=True):
        st.markdown(f"**{ind.short_name}** {ui.status_badge(statuses.get(ind.id))}")
        if fig is None:
            st.caption(texts.EMPTY)
        else:
            name = views.file_name(ind._asdict(), districts, year_from, year_to)
            ui.show_chart(fig, key=f"mp_{ind.id}", filename=name)
            ui.chart_exports(fig, name)
        ui.page_link("indikator", f"{texts.OPEN_INDICATOR} →", {"indikator": ind.id})

st.subheader(texts.MEASURES_TIMELINE)
plan_measures = measure_views.for_masterplan(ui.measures(), plan)
ui.measure_timeline(
    plan_measures, f"{texts.MEASURES_TITLE}: Masterplan {ui.masterplans()[plan]}", plan
)
ui.measure_list(plan_measures, key="plan")
if len(plan_measures):
    ui.measure_downloads(plan_measures, f"massnahmen_{plan}")
