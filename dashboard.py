"""Dortmund KPI: entry point and router. Draws what all pages share.

Run with ``dortmund-kpi serve`` (or ``streamlit run dashboard.py``).
"""

# Import the heavy modules before any session thread touches them lazily: plotly's
# lazy pandas import can hand a half-initialised module to a concurrent first visitor.
import pandas  # noqa: F401
import plotly.graph_objects  # noqa: F401
import streamlit as st

from dortmund_kpi import texts
from dortmund_kpi.ui import data, editor, frame, measures, partial, share, url, widgets

# An emoji icon is drawn inline; a ":material/...:" page icon would make every browser
# fetch it from fonts.gstatic.com (verified): no visitor data may leave for Google.
st.set_page_config(page_title=texts.APP_TITLE, page_icon="📊", layout="wide")
data.freeze_startup()  # once per process: the garbage collector skips start-up objects
editor.refuse_malformed_config()  # fail closed: no guessing who may import
data.begin_run()  # one data version for the whole run

PAGES = widgets.navigation_pages()

STATEMENT = frame.statement_page()

current = st.navigation([*PAGES.values(), STATEMENT])
partial.begin()  # the page declares its sections (partial reruns) anew
with st.sidebar:
    st.markdown(f"**{texts.APP_TITLE}**  \n{texts.APP_SUBTITLE}")
if current.url_path == STATEMENT.url_path:  # a text page: no view, no filters
    frame.german_document(texts.STATEMENT_TITLE)
    current.run()
    st.stop()
page = next(key for key, p in PAGES.items() if p.url_path == current.url_path)
frame.german_document(texts.PAGE_TITLES[page])
editor.return_after_sign_in(page)  # the sign-in redirect lands on the start page
url.sync_from_url(page)
presenting = share.presentation_mode()
if presenting:
    frame.presentation_bar(page)
widgets.shared_filters(page)
with st.sidebar:
    share.data_stand_caption()
if not presenting:  # links and slides carry every filter: redrawn with every section
    partial.section(page, partial.SHARE, (partial.EVERY,), lambda: share.share_button(page))
url.show_notices()
share.pinned_banner(page)
measures.measure_detail(page)
try:
    current.run()
    if not presenting:
        frame.statement_link()
finally:  # keep the view in the address bar even when a page fails
    partial.end()
    url.write_url(page)
