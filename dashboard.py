"""Dortmund KPI: entry point and router. Draws what all pages share.

Run with ``dortmund-kpi serve`` (or ``streamlit run dashboard.py``).
"""

# Import the heavy modules before any session thread touches them lazily: plotly's
# lazy pandas import can hand a half-initialised module to a concurrent first visitor.
import pandas  # noqa: F401
import plotly.graph_objects  # noqa: F401
import streamlit as st

from dortmund_kpi import texts
from dortmund_kpi.ui import editor, measures, share, url, widgets

# An emoji icon is drawn inline; a ":material/...:" page icon would make every browser
# fetch it from fonts.gstatic.com (verified): no visitor data may leave for Google.
st.set_page_config(page_title=texts.APP_TITLE, page_icon="📊", layout="wide")
editor.refuse_malformed_config()  # fail closed: no guessing who may import

PAGES = widgets.navigation_pages()

current = st.navigation(list(PAGES.values()))
page = next(key for key, p in PAGES.items() if p.url_path == current.url_path)
editor.return_after_sign_in(page)  # the sign-in redirect lands on the start page
with st.sidebar:
    st.markdown(f"**{texts.APP_TITLE}**  \n{texts.APP_SUBTITLE}")
url.sync_from_url(page)
presenting = share.presentation_mode()
widgets.shared_filters()
with st.sidebar:
    share.data_stand_caption()
if not presenting:
    share.share_button(page)
url.show_notices()
share.pinned_banner(page)
measures.measure_detail(page)
try:
    current.run()
finally:  # keep the view in the address bar even when a page fails
    url.write_url(page)
