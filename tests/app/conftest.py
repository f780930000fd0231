"""AppTest helpers: the real router (``dashboard.py``) on databases built by the real importer.

Every test opens the app like a browser opening a link: the overview (the default
page) gets its query parameters before the first run; any other page is reached
with one run of the default page, then the link's parameters, ``switch_page`` and
a second run (the app treats parameters that differ from what it last wrote as a
newly opened link).
"""

from __future__ import annotations

import base64
import json
import os
import shutil
from collections.abc import Callable, Iterator, Mapping
from pathlib import Path
from typing import Any

import duckdb
import numpy as np
import pandas as pd
import pytest
from streamlit.runtime.media_file_manager import MediaFileManager
from streamlit.runtime.media_file_storage import MediaFileStorageError
from streamlit.runtime.memory_media_file_storage import MemoryMediaFileStorage
from streamlit.testing.v1 import AppTest
from streamlit.testing.v1 import app_test as app_test_module

from dortmund_kpi import texts
from dortmund_kpi.catalog import load_catalog
from dortmund_kpi.db.store import Store
from dortmund_kpi.ingest.bootstrap import init_database
from dortmund_kpi.ingest.importer import run_import
from dortmund_kpi.settings import ENV_DB, Settings, get_settings
from dortmund_kpi.ui import data as ui_data
from dortmund_kpi.ui import widgets
from dortmund_kpi.ui.table_markup import TABLE_CLASS
from dortmund_kpi.ui.tile_markup import DRAWING_CLASS
from tests.app.table_reader import read_tables
from tests.app.tile_reader import read_tiles
from tests.conftest import make_settings

ROOT = Path(__file__).resolve().parents[2]
DASHBOARD = ROOT / "dashboard.py"
PAGE_FILES = widgets.PAGE_FILES
HELPER_TRACES = frozenset(
    {texts.TARGET_PATH, texts.TREND, texts.DEMO_POINTS}
    | {texts.TREND_BOUNDED.format(side=side) for side in texts.TREND_BOUND_SIDES.values()}
)
Params = Mapping[str, str | list[str]]
CATALOG = load_catalog(get_settings().catalog_path)  # the shipped catalog of every test db


# -- databases -------------------------------------------------------------------------
@pytest.fixture(autouse=True)
def app_db(fixture_db: Settings, monkeypatch: pytest.MonkeyPatch) -> Settings:
    """Every app test reads the session's fixture database unless it switches on purpose."""
    monkeypatch.setenv(ENV_DB, str(fixture_db.db_path))
    # Each test is a server of its own: the views earlier tests opened are not built again
    # on the new versions this test publishes (``ui.prebuild``; its own views still are).
    ui_data.RECENT.clear()
    return fixture_db


@pytest.fixture(scope="session")
def fixture_con(fixture_db: Settings) -> Iterator[duckdb.DuckDBPyConnection]:
    """Read-only connection to the fixture database for expected values.

    Opened like the app opens it (same configuration), so both can share the file
    within one process.
    """
    con = Store(fixture_db.db_path).connect_read()
    yield con
    con.close()


@pytest.fixture(scope="session")
def official_settings(tmp_path_factory: pytest.TempPathFactory) -> Settings:
    """A database with only the published (official) figures: ``init --no-demo`` through
    the real importer, nothing else."""
    settings = make_settings(tmp_path_factory.mktemp("official_db") / "kpi.duckdb")
    init_database(settings, demo=False)
    return settings


@pytest.fixture
def official_db(
    app_db: Settings, official_settings: Settings, monkeypatch: pytest.MonkeyPatch
) -> Settings:
    """Point the app at the official-only database for this test."""
    monkeypatch.setenv(ENV_DB, str(official_settings.db_path))
    return official_settings


@pytest.fixture
def official_con(official_db: Settings) -> Iterator[duckdb.DuckDBPyConnection]:
    con = Store(official_db.db_path).connect_read()
    yield con
    con.close()


MIXED_FIXTURE = ROOT / "tests" / "fixtures" / "official_over_demo.csv"


@pytest.fixture(scope="session")
def mixed_settings(fixture_db: Settings, tmp_path_factory: pytest.TempPathFactory) -> Settings:
    """The fixture database with official values imported over its demo series (the city's
    2025 Servicekonten, Hörde's and Eving's 2025 fibre share) by the real importer: every
    page then mixes origins within one chart, table, map and tile comparison."""
    target = tmp_path_factory.mktemp("mixed_db") / "kpi.duckdb"
    shutil.copyfile(fixture_db.db_path.resolve(), target)
    settings = make_settings(target)
    run_import([MIXED_FIXTURE], settings, user="fixture")
    return settings


@pytest.fixture
def mixed_db(app_db: Settings, mixed_settings: Settings, monkeypatch: pytest.MonkeyPatch):
    """Point the app at the database with official values over demo series."""
    monkeypatch.setenv(ENV_DB, str(mixed_settings.db_path))
    return mixed_settings


@pytest.fixture
def mixed_con(mixed_db: Settings) -> Iterator[duckdb.DuckDBPyConnection]:
    con = Store(mixed_db.db_path).connect_read()
    yield con
    con.close()


# -- running the app ----------------------------------------------------------------------
# Charts drawn as static SVG with their plotly form on demand (ui.widgets.svg_chart).
STATIC_CHARTS = (
    "series",
    "district_series",
    "ranking",
    "map",
    "peer_bars",
    "peer_rank",
    "peer_map",
    "trend_radar",
)


def open_page(
    page: str = "uebersicht", params: Params | None = None, charts_open: bool = True
) -> AppTest:
    """Open ``page`` (a key of ``ui.widgets.PAGE_FILES``) with the query parameters of a link.

    With ``charts_open`` the interactive form of every chart drawn as SVG (masterplan
    small multiples, measures timelines, ``STATIC_CHARTS``) is opened (its popover, as a
    click does), so the tests see each chart as a person who opens it.
    """
    # Never let a test build or read the default database in data/.
    assert os.environ.get(ENV_DB), "set DORTMUND_KPI_DB (fixture app_db) before opening the app"
    at = AppTest.from_file(str(DASHBOARD), default_timeout=60)
    if charts_open:
        for indicator in CATALOG.indicators:
            at.session_state[widgets.popover_key(f"mp_{indicator.id}")] = True
        for plan in CATALOG.masterplan_ids:
            at.session_state[widgets.popover_key(f"measures_{plan}")] = True
        for key in STATIC_CHARTS:
            at.session_state[widgets.popover_key(key)] = True
    if page == "uebersicht":
        at.query_params.update(dict(params or {}))
        return at.run()
    at.run()
    at.query_params.clear()
    at.query_params.update(dict(params or {}))
    at.switch_page(PAGE_FILES[page])
    return at.run()


def go_to(at: AppTest, page: str) -> AppTest:
    """Navigate inside the app (the URL keeps what the app last wrote)."""
    at.switch_page(PAGE_FILES[page])
    return at.run()


def assert_ok(at: AppTest) -> None:
    """No uncaught exception (messages are redacted by config, so only count them)."""
    assert len(at.exception) == 0, "the page raised an exception"


def qp(at: AppTest, key: str) -> list[str]:
    """A query parameter as written by the app, always as a list."""
    value = at.query_params.get(key)
    if value is None:
        return []
    return [value] if isinstance(value, str) else list(value)


def qp_all(at: AppTest) -> dict[str, list[str]]:
    return {key: qp(at, key) for key in at.query_params}


def warnings(at: AppTest) -> list[str]:
    return [w.value for w in at.warning]


def infos(at: AppTest) -> list[str]:
    return [i.value for i in at.info]


def drawings(at: AppTest) -> list[str]:
    """The markup of every drawing on the page (charts drawn as SVG, masterplan cards),
    as its script sets it into the page (``ui.tile_markup.drawing_html``)."""
    prefix = "document.currentScript.previousElementSibling.innerHTML="
    out = []
    for element in at.html:
        body = element.proto.body
        if body.startswith(f'<div class="{DRAWING_CLASS}"></div><script>{prefix}'):
            payload = body.split(prefix, 1)[1].removesuffix(";</script>")
            out.append(json.loads(payload))
    return out


def text_tables(at: AppTest) -> list[pd.DataFrame]:
    """Every table of text drawn as HTML (``ui.table_markup``, set like a drawing), in
    page order."""
    marker = f'<div class="{TABLE_CLASS}'  # its class, maybe with another after it
    return [
        table for body in drawings(at) if body.startswith(marker) for table in read_tables(body)
    ]


def data_table(at: AppTest, name: str = texts.DATA_TABLE) -> pd.DataFrame:
    """The table named ``name`` (the indicator page's data table unless told), its cells as
    text (``ui.widgets.data_table``: as HTML, in Streamlit's grid only when it is long)."""
    label = f'aria-label="{name}"'
    drawn = [
        t for body in drawings(at) if label in body.split(">", 1)[0] for t in read_tables(body)
    ]
    return drawn[0] if drawn else at.dataframe[-1].value


def captions(at: AppTest) -> list[str]:
    """Every caption, the KPI tiles' included (they are HTML, not caption elements)."""
    return [c.value for c in at.caption] + [t["captions"][0] for t in tiles(at)]


# -- plotly figures ------------------------------------------------------------------------
def figures(at: AppTest, include_measures: bool = False) -> dict[str, dict]:
    """Plotly specs by chart key (``series``, ``map``, ``ranking``, ``mp_<id>``); the
    measures timeline (``measures_<plan>``) only when asked for."""
    out = {}
    for element in at.get("plotly_chart"):
        key = element.proto.id.rsplit("-", 1)[-1]
        if key.startswith("measures_") and not include_measures:
            continue
        out[key] = json.loads(element.proto.spec)
    return out


def chart_configs(at: AppTest) -> list[dict]:
    return [json.loads(element.proto.config) for element in at.get("plotly_chart")]


def array(values: Any) -> list:
    """Plotly's JSON arrays: plain lists or typed base64 (``{"dtype", "bdata"}``)."""
    if values is None:
        return []
    if isinstance(values, dict) and "bdata" in values:
        return np.frombuffer(base64.b64decode(values["bdata"]), dtype=values["dtype"]).tolist()
    return list(values)


def title(fig: dict) -> str:
    """The chart's title, its line breaks undone (long titles wrap)."""
    return " ".join(fig["layout"]["title"]["text"].replace("<br>", " ").split())


def footer(fig: dict) -> str:
    """The footer annotation (source, Stand, notes), its line breaks undone."""
    notes = [a["text"] for a in fig["layout"].get("annotations", [])]
    found = [n for n in notes if n.startswith(f"{texts.SOURCE}:")]
    assert len(found) == 1, notes
    return " ".join(found[0].replace("<br>", " ").split())


def annotations(fig: dict) -> list[str]:
    return [a["text"] for a in fig["layout"].get("annotations", [])]


def data_traces(fig: dict) -> list[dict]:
    """The value lines of a time series (without target path and trend)."""
    return [t for t in fig["data"] if t.get("name") not in HELPER_TRACES]


def midpoints(frame: pd.DataFrame) -> list[pd.Timestamp]:
    """Where the time series draws a period: the middle of it."""
    return list(frame["period_start"] + (frame["period_end"] - frame["period_start"]) / 2)


def tiles(at: AppTest) -> list[dict]:
    """KPI tiles (``ui.tile_markup``, one HTML element per masterplan), read back into
    label, value, help, change, sparkline and caption (``tests/app/tile_reader.py``)."""
    return [
        tile
        for element in at.main.get("html")
        if 'class="dkpi-tiles"' in element.value
        for tile in read_tiles(element.value)
    ]


def trace_years(trace: dict) -> set[int]:
    return {pd.Timestamp(x).year for x in array(trace.get("x"))}


# -- downloads ------------------------------------------------------------------------------
@pytest.fixture
def downloads(monkeypatch: pytest.MonkeyPatch) -> Callable[[Any], Any]:
    """Bytes behind a download button: AppTest keeps them only in a per-run in-memory media
    store, so record those stores and look the button's URL up in them. A button whose
    file is made on click (``data=callable``) has no URL but a deferred id: run its
    callable the way a click does (``execute_deferred``) and look up the URL it returns."""
    stores: list[MemoryMediaFileStorage] = []
    managers: list[MediaFileManager] = []

    class Recording(MemoryMediaFileStorage):
        def __init__(self, media_endpoint: str) -> None:
            super().__init__(media_endpoint)
            stores.append(self)

    class RecordingManager(MediaFileManager):
        def __init__(self, storage: Any) -> None:
            super().__init__(storage)
            managers.append(self)

    monkeypatch.setattr(app_test_module, "MemoryMediaFileStorage", Recording)
    monkeypatch.setattr(app_test_module, "MediaFileManager", RecordingManager)

    def click(deferred_id: str) -> str:
        for manager in reversed(managers):
            try:
                return manager.execute_deferred(deferred_id)
            except MediaFileStorageError:
                continue
        raise AssertionError(f"no deferred download {deferred_id}")

    def get(button_or_url: Any) -> Any:
        url = button_or_url
        if not isinstance(button_or_url, str):  # a download button's proto
            proto = button_or_url
            url = click(proto.deferred_file_id) if proto.deferred_file_id else proto.url
        name = url.rsplit("/", 1)[-1]
        for store in reversed(stores):
            try:
                return store.get_file(name)
            except Exception:
                continue
        raise AssertionError(f"no media file for {url}")

    return get


@pytest.fixture(scope="session", autouse=True)
def _close_app_connections() -> Iterator[None]:
    """The app caches one read-only connection per database version; close them after the
    app tests, so later tests in this process can open those files with any configuration."""
    yield
    ui_data.clear()
