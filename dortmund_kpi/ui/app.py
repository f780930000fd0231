"""The ASGI app ``dortmund-kpi serve`` runs (``streamlit run`` of this file): the dashboard
(``dashboard.py``) with the product's index page (``ui.index_page``)."""

from __future__ import annotations

import asyncio
import importlib
import pkgutil
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager

from starlette.middleware import Middleware
from streamlit.starlette import App

from dortmund_kpi.settings import PROJECT_ROOT
from dortmund_kpi.ui.index_page import IndexPage

# What the pages' scripts import: the first run of a new process imported it all (about
# a second), so the first visitor after a start waited that much longer than the next.
PAGE_PACKAGES = ("dortmund_kpi.ui", "dortmund_kpi.views", "dortmund_kpi.share")


def import_page_modules() -> list[str]:
    """Import every module of ``PAGE_PACKAGES`` but this one (``streamlit run`` runs it
    under another name: imported, it would make a second app); their names."""
    names = []
    for package in PAGE_PACKAGES:
        path = importlib.import_module(package).__path__
        names += [f"{package}.{m.name}" for m in pkgutil.iter_modules(path)]
    names.remove("dortmund_kpi.ui.app")
    for name in names:
        importlib.import_module(name)
    return names


@asynccontextmanager
async def _started(_app: App) -> AsyncIterator[None]:
    """Before the server takes its first visitor: the page modules imported (in a thread:
    the event loop stays free), so that no visitor's run waits for them."""
    await asyncio.to_thread(import_page_modules)
    yield


app = App(str(PROJECT_ROOT / "dashboard.py"), middleware=[Middleware(IndexPage)], lifespan=_started)
