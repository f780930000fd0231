"""Masterplan: every indicator of one masterplan as small multiples with target and status,
then the masterplan's measures on a timeline."""

import streamlit as st

from dortmund_kpi import measure_views, texts, ui, views

plan = ui.page_key_select("masterplan", texts.FILTER_MASTERPLAN, ui.masterplans())
st.title(f"Masterplan {ui.masterplans()[plan]}")
year_from, year_to = ui.selected_years()
areas = ["dortmund", *ui.selected_districts()]
indicators = ui.indicators()
own = indicators[indicators["masterplan"] == plan]
frame = ui.query("series", list(own["id"]), areas, year_from, year_to)
statuses = ui.city_statuses(year_from, year_to)
figures = ui.plan_figures(plan, areas, year_from, year_to)
ui.demo_notice(bool(len(frame)) and not frame["is_official"].all())
if frame.empty:
    st.info(texts.EMPTY)

columns = st.columns(2)
for index, ind in enumerate(own.itertuples(index=False)):
    fig = figures[ind.id]
    with columns[index % 2], st.container(border=True):
        st.markdown(f"**{ind.short_name}** {ui.status_badge(statuses.get(ind.id))}")
        if fig is None:
            st.caption(texts.EMPTY)
        else:
            meta = own.iloc[index]  # the row of ``ind``
            name = views.file_name(meta, ui.selected_districts(), year_from, year_to)
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
