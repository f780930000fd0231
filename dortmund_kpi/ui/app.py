"""The ASGI app ``dortmund-kpi serve`` runs (``streamlit run`` of this file): the dashboard
(``dashboard.py``) with the product's index page (``ui.index_page``)."""

from __future__ import annotations

from starlette.middleware import Middleware
from streamlit.starlette import App

from dortmund_kpi.settings import PROJECT_ROOT
from dortmund_kpi.ui.index_page import IndexPage

app = App(str(PROJECT_ROOT / "dashboard.py"), middleware=[Middleware(IndexPage)])
