"""Indikator: time series with target path and trend, map, ranking, table, metadata; the
"je 1.000 Einwohner" switch above the series for an indicator that offers it.

What the shared filters change (the series chart; map, ranking, table, downloads and
metadata) are sections (``ui.partial``): a filter change redraws them, not the header,
the comparison with other regions or the linked measures."""

import streamlit as st

from dortmund_kpi import texts
from dortmund_kpi.ui import comparison, data, indicator, measures, partial, url, widgets
from dortmund_kpi.views import indicator_peers, small_svg
from dortmund_kpi.views.common import formatted_table
from dortmund_kpi.views.indicator import build

PAGE = "indikator"
FILTERS = ("bezirk", "zeitraum")


def series() -> None:
    page = data.page_data(build, url.current_view(PAGE))
    indicator.per_capita_switch(page)
    widgets.demo_notice(page.demo)
    if page.figure is None:
        widgets.empty_notice(page.view.as_of)
    else:
        st.markdown(widgets.status_badge(page.status), help=page.explanation)
        widgets.svg_chart(
            page.figure, page.series_svg, "series", page.file_name, small_svg.projector_series
        )


def details() -> None:
    page = data.page_data(build, url.current_view(PAGE))
    if page.has_district_level:
        indicator.district_section(page)
    else:
        st.caption(texts.EMPTY_DISTRICTS)
    st.header(texts.DATA_TABLE)
    decimals = int(page.drawn["decimals"])
    widgets.data_table(
        page.table, texts.DATA_TABLE, 2, lambda table: formatted_table(table, decimals)
    )
    indicator.export_section(page)
    indicator.metadata_panel(page)


def linked_measures() -> None:
    """A section redrawn with every filter change: its links carry the view."""
    page = data.page_data(build, url.current_view(PAGE))
    measures.measure_list(page.linked, PAGE, texts.MEASURES_NONE_LINKED, show_plan=True)


indicators = data.indicators()
options = dict(zip(indicators["id"], indicators["name"], strict=True))
widgets.page_key_select(PAGE, texts.FILTER_INDICATOR, options)
page = data.page_data(build, url.current_view(PAGE))
ind = page.indicator
st.title(str(ind["name"]))
st.caption(f"Masterplan {page.plan_name} · {texts.DIRECTION[ind['direction']]}")
partial.section(PAGE, "indikator_series", (*FILTERS, url.PER_CAPITA), series)
comparison.panel(data.page_data(indicator_peers.build, page.view))

st.header(texts.MEASURES_LINKED)
partial.section(PAGE, "indikator_measures", (partial.EVERY,), linked_measures)
partial.section(PAGE, "indikator_details", (*FILTERS, url.PER_CAPITA), details)
