"""Daten & Methodik: catalog, freshness, import log, template, licences."""

from datetime import date

import streamlit as st

from dortmund_kpi import measures, texts, ui
from dortmund_kpi.share.template_files import template_csv
from dortmund_kpi.ui import editor
from dortmund_kpi.views import common as views

st.title(texts.PAGE_TITLES["daten"])
st.markdown(texts.DATA_INTRO)
ui.geometry_note()

st.subheader(texts.CATALOG)
st.dataframe(views.catalog_table(ui.indicators()), hide_index=True)

st.subheader(texts.FRESHNESS)
st.dataframe(views.freshness_table(ui.query("freshness"), date.today()), hide_index=True)

st.subheader(texts.IMPORT_LOG)
st.dataframe(views.import_log_table(ui.query("import_log")), hide_index=True)
rejected = ui.rejected_imports()
if len(rejected):
    st.markdown(texts.REJECTED_IMPORTS)
    st.dataframe(views.rejected_table(rejected), hide_index=True)

st.subheader(texts.TEMPLATE_TITLE)
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
    data=measures.template_csv(),
    mime="text/csv",
    file_name="vorlage_massnahmen.csv",
)

editor.upload_section()

st.subheader(texts.LICENCES)
st.markdown(texts.LICENCE_TEXT)
