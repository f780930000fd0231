"""The indicator page's sections: districts (map and ranking), metadata, downloads."""

from __future__ import annotations

import functools
from pathlib import Path

import pandas as pd
import streamlit as st

from dortmund_kpi import texts
from dortmund_kpi.db import read
from dortmund_kpi.db.store import Store
from dortmund_kpi.settings import get_settings
from dortmund_kpi.share import downloads
from dortmund_kpi.ui import data, partial, url, widgets
from dortmund_kpi.views import bars_svg, map_svg, small_svg, tables
from dortmund_kpi.views import measures as measure_views
from dortmund_kpi.views.indicator import IndicatorData

XLSX_MIME = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def district_section(page: IndicatorData) -> None:
    """Map and ranking of the districts for the latest period within the chosen years."""
    ind = page.indicator
    if page.districts is None:
        st.caption(texts.EMPTY_DISTRICTS)
        return
    period = page.districts.period
    left, right = st.columns([3, 2])
    with left:
        district_map, svg = page.districts.map, page.districts.map_svg
        projector = functools.partial(map_svg.figure_svg, width=small_svg.PROJECTOR_WIDTH)
        name = f"{ind['id']}_karte_{period}"
        widgets.svg_chart(district_map, svg, key="map", filename=name, projector=projector)
    with right:
        name = f"{ind['id']}_rangfolge_{period}"
        ranking, svg = page.districts.ranking, page.districts.ranking_svg
        projector = functools.partial(bars_svg.figure_svg, width=small_svg.PROJECTOR_WIDTH)
        widgets.svg_chart(ranking, svg, key="ranking", filename=name, projector=projector)


def per_capita_switch(page: IndicatorData) -> None:
    """The "je 1.000 Einwohner" switch (URL key ``je1000``) for an indicator that offers
    it: the series, the table, the map and the ranking follow it, and so do the slides."""
    if not bool(page.indicator["per_capita"]):  # no switch here, so none in the link either
        st.session_state.pop(url.PER_CAPITA, None)
    else:
        st.toggle(
            texts.FILTER_PER_CAPITA,
            key=url.PER_CAPITA,
            on_change=partial.changed,
            args=(url.PER_CAPITA,),
        )


def metadata_panel(page: IndicatorData) -> None:
    ind = page.indicator
    source = texts.METADATA_LABELS["source"]
    with st.expander(texts.INDICATOR_META, expanded=True):
        lines = []
        for label, value in tables.indicator_metadata(ind, page.frame):
            if label == source and ind["source_url"]:  # the source as a link, target intact
                value = widgets.markdown_link(str(ind["source"]), ind["source_url"])
            else:
                value = widgets.literal_text(value)
            lines.append(f"- **{label}:** {value}")
        st.markdown("\n".join(lines))


def export_section(page: IndicatorData) -> None:
    """Displayed data (CSV, XLSX with metadata) and the full indicator (all areas and years);
    the XLSX files carry the linked measures as a sheet of their own.

    The files are made when a button is clicked, not on every run (building them took
    86 % of a warm run of the indicator page). The callables run in another thread,
    outside the script run: everything they need from the session is captured here.
    """
    ind, table, frame, name = page.indicator, page.table, page.frame, page.file_name
    page_link_text = url.permalink("indikator", pinned=True)
    lo, hi = data.year_range()
    districts = data.district_names()
    areas = ["dortmund", *districts]
    db_file, as_of, linked = data.current_file(), page.view.as_of, page.linked

    def measures_sheet() -> dict[str, pd.DataFrame]:
        """The linked measures as a sheet of their own (none without linked measures)."""
        return {texts.MEASURES_TITLE: measure_views.table(linked, districts)} if len(linked) else {}

    def displayed_xlsx() -> bytes:  # its unit and target as drawn (per 1,000: no target)
        meta = tables.indicator_metadata(page.drawn, frame, page_link_text)
        return downloads.xlsx_with_metadata(table, meta, measures_sheet())

    def full_series() -> pd.DataFrame:
        with Store(get_settings().db_path).connect_read(Path(db_file)) as con:
            return read.series(con, [str(ind["id"])], areas, lo, hi, as_of=as_of)

    def full_csv() -> bytes:
        return tables.german_csv(tables.display_table(full_series(), ind))

    def full_xlsx() -> bytes:
        full = full_series()
        full_meta = tables.indicator_metadata(ind, full, page_link_text)
        sheets = measures_sheet()
        return downloads.xlsx_with_metadata(tables.display_table(full, ind), full_meta, sheets)

    st.markdown(f"**{texts.EXPORT_HEADER}**")
    cols = st.columns(4)
    files = (
        (texts.DOWNLOAD_CSV, lambda: tables.german_csv(table), f"{name}.csv", "text/csv"),
        (texts.DOWNLOAD_XLSX, displayed_xlsx, f"{name}.xlsx", XLSX_MIME),
        (texts.DOWNLOAD_FULL_CSV, full_csv, f"{ind['id']}_gesamt.csv", "text/csv"),
        (texts.DOWNLOAD_FULL_XLSX, full_xlsx, f"{ind['id']}_gesamt.xlsx", XLSX_MIME),
    )
    for column, (label, make, file_name, mime) in zip(cols, files, strict=True):
        column.download_button(label, data=make, file_name=file_name, mime=mime, on_click="ignore")
