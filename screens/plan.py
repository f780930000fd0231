"""Masterplan: every indicator of one masterplan as small multiples with target and status,
then the masterplan's measures on a timeline."""

import streamlit as st

from dortmund_kpi import texts
from dortmund_kpi.ui import data, measures, tile_markup, url, widgets
from dortmund_kpi.views.masterplan import build

plans = data.masterplans()
widgets.page_key_select(
    "masterplan", texts.FILTER_MASTERPLAN, plans, on_change=widgets.first_chart_page
)
page = data.page_data(build, url.current_view("masterplan"))
st.title(f"Masterplan {page.plan_name}")
notices = st.container()  # above the group choice
widgets.chart_page(page.groups, page.group)
with notices:
    widgets.demo_notice(page.demo)
    if page.empty:
        widgets.empty_notice(page.view.as_of)

columns = st.columns(2)
presenting = bool(st.session_state.get("praesentation"))
for index, chart in enumerate(page.charts):
    ind = chart.indicator
    # No Streamlit container per card: the frame's CSS frames card and popover as one.
    with columns[index % 2]:
        if chart.figure is None:
            body = f"<p>{texts.EMPTY}</p>"
        else:  # static SVG: the browser lays it out once; the plotly chart on demand
            svg = widgets.projector_svg(chart.figure) if presenting else chart.svg
            body = f'<div class="dkpi-small-multiple">{svg}</div>'
        card = tile_markup.card_html(
            ind["id"],
            ind["name"],
            ind["short_name"],
            chart.status,
            chart.explanation,
            body,
            page.status_area,
        )
        widgets.drawing(card)
        if chart.figure is not None:
            widgets.chart_on_demand(
                chart.figure,
                key=f"{tile_markup.CARD_CHART_PREFIX}{ind['id']}",
                filename=chart.file_name,
            )

st.header(texts.MEASURES_TIMELINE)
measures.measure_timeline(page.timeline, page.timeline_svg, page.plan)
measures.measure_list(page.measures, "masterplan")
if len(page.measures):
    measures.measure_downloads(page.measures, f"massnahmen_{page.plan}", page.plan_name)
