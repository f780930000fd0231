"""Erklärung zur Barrierefreiheit: the accessibility statement BITV 2.0 asks for."""

import streamlit as st

from dortmund_kpi import texts
from dortmund_kpi.settings import get_settings
from dortmund_kpi.ui import frame

st.title(texts.STATEMENT_TITLE)
st.markdown(texts.STATEMENT_INTRO.format(app=texts.APP_TITLE))
for header, body in (
    (texts.STATEMENT_STATUS_HEADER, texts.STATEMENT_STATUS),
    (texts.STATEMENT_GAPS_HEADER, texts.STATEMENT_GAPS),
    (texts.STATEMENT_MADE_HEADER, texts.STATEMENT_MADE),
):
    st.header(header)
    st.markdown(body)
st.header(texts.STATEMENT_FEEDBACK_HEADER)
contact = frame.contact_markdown(get_settings().feedback_contact)
st.markdown(
    texts.STATEMENT_FEEDBACK.format(contact=contact) if contact else texts.STATEMENT_NO_CONTACT
)
st.header(texts.STATEMENT_ENFORCEMENT_HEADER)
st.markdown(texts.STATEMENT_ENFORCEMENT)
