"""Masterplan: every indicator of one masterplan as small multiples with target and status."""

import streamlit as st

from dortmund_kpi import texts, ui, views

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
