"""Daten & Methodik: catalog, freshness, import log, template, licences."""

import streamlit as st

from dortmund_kpi import texts
from dortmund_kpi.share import measure_files
from dortmund_kpi.share.template_files import template_csv
from dortmund_kpi.ui import data, editor, url
from dortmund_kpi.views.data import build

page = data.page_data(build, url.current_view("daten"))
st.title(texts.PAGE_TITLES["daten"])
st.markdown(texts.DATA_INTRO)
st.info(texts.GEOMETRY_SCHEMATIC if page.schematic_map else texts.GEOMETRY_OFFICIAL)

st.header(texts.CATALOG)
st.dataframe(data.table(page.catalog), hide_index=True)

st.header(texts.FRESHNESS)
st.dataframe(data.table(page.freshness), hide_index=True)

st.header(texts.IMPORT_LOG)
st.dataframe(data.table(page.import_log), hide_index=True)
if len(page.rejected):
    st.markdown(texts.REJECTED_IMPORTS)
    st.dataframe(data.table(page.rejected), hide_index=True)

st.header(texts.TEMPLATE_TITLE)
st.markdown(texts.TEMPLATE_HELP)
st.download_button(
    texts.DOWNLOAD_TEMPLATE,
    data=template_csv(),
    mime="text/csv",
    file_name="vorlage_dortmund_kpi.csv",
)
st.markdown(texts.MEASURES_TEMPLATE_HELP)
st.download_button(
    texts.DOWNLOAD_MEASURES_TEMPLATE,
    data=measure_files.template_csv(),
    mime="text/csv",
    file_name="vorlage_massnahmen.csv",
)

editor.upload_section()

st.header(texts.LICENCES)
st.markdown(texts.LICENCE_TEXT)
