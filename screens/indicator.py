"""Indikator: time series with target path and trend, map, ranking, table, metadata."""

import streamlit as st

from dortmund_kpi import texts, ui
from dortmund_kpi.views import common as views
from dortmund_kpi.views import measures as measure_views

indicators = ui.indicators()
options = dict(zip(indicators["id"], indicators["name"], strict=True))
indicator_id = ui.page_key_select("indikator", texts.FILTER_INDICATOR, options)
ind = ui.indicator(indicator_id)
year_from, year_to = ui.selected_years()
districts = ui.selected_districts()
st.title(str(ind["name"]))
st.caption(
    f"Masterplan {ui.masterplans()[ind['masterplan']]} · {texts.DIRECTION[ind['direction']]}"
)

frame = ui.query("series", [indicator_id], ["dortmund", *districts], year_from, year_to)
ui.demo_notice(bool(len(frame)) and not frame["is_official"].all())
if frame.empty:
    st.info(texts.EMPTY)
else:
    st.markdown(ui.status_badge(ui.city_statuses(year_from, year_to).get(indicator_id)))
    fig = ui.indicator_figure(indicator_id, ["dortmund", *districts], year_from, year_to)
    name = views.file_name(ind, districts, year_from, year_to)
    ui.show_chart(fig, key="series", filename=name)
    ui.chart_exports(fig, name)

st.subheader(texts.MEASURES_LINKED)
linked = measure_views.for_indicator(ui.measures(), indicator_id)
ui.measure_list(linked, "indicator", texts.MEASURES_NONE_LINKED, show_plan=True)

if ind["level"] == "district":
    ui.district_section(ind, year_from, year_to)
else:
    st.caption(texts.EMPTY_DISTRICTS)

st.subheader(texts.DATA_TABLE)
table = views.display_table(frame, ind)
st.dataframe(views.formatted_table(table, int(ind["decimals"])), hide_index=True)
ui.export_section(ind, table, frame, views.file_name(ind, districts, year_from, year_to), linked)
ui.metadata_panel(ind, frame)
