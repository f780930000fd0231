"""Cached data access for the pages: one read-only connection per published database
version, query results and each page's data (``views.<page>.build``) cached per version
and view.

A new import has a new file name, so caches move on by themselves; a version pruned
between resolving and opening it is retried once on the newer one. The calls made
lately are made again on a newly published version as soon as the read pool opens it
(``ui.prebuild``), so the first visitor after an import finds the view ready.
"""

from __future__ import annotations

import gc
import weakref
from collections.abc import Callable
from datetime import datetime
from typing import Any, Concatenate, ParamSpec, TypeVar

import duckdb
import pandas as pd
import pyarrow as pa
import streamlit as st

from dortmund_kpi import clock
from dortmund_kpi.db import read
from dortmund_kpi.db.pool import ReadPool
from dortmund_kpi.db.store import Store, connect_file
from dortmund_kpi.ingest.bootstrap import ensure_database
from dortmund_kpi.ingest.importer import rejected_log_path
from dortmund_kpi.settings import get_settings
from dortmund_kpi.ui import table_markup
from dortmund_kpi.ui.once import OnceCache
from dortmund_kpi.ui.prebuild import Make, Recent
from dortmund_kpi.views import charts
from dortmund_kpi.views.common import View

P = ParamSpec("P")
R = TypeVar("R")
T = TypeVar("T")


@st.cache_resource(show_spinner=False)
def _bootstrap(db_path: str) -> None:
    """Create (first start) or migrate the database once per process."""
    ensure_database(get_settings(db_path))


_STARTUP: list[bool] = []  # set once the process's start-up objects are frozen


def freeze_startup() -> None:
    """Once per process, at its first page run: move every object alive now (modules,
    classes, functions of Streamlit, pandas, plotly and ours: about 155,000) out of the
    garbage collector's sight. A full collection, which Python still runs when many new
    objects survive (building a page's data), then scans only what came later: it cost
    80 ms of the one script thread at scale M, then 10-15 ms (measured). Garbage
    is collected first, so none is kept for good."""
    if not _STARTUP:
        _STARTUP.append(True)
        gc.collect()
        gc.freeze()


RUN_FILE = "_run_db_file"  # the version a session's page run reads
RUN_FILES = "_run_files_key"  # and the state of the files beside it (``_files_key``)


def begin_run() -> None:
    """A full run starts: resolve the published version once for all its reads (a run
    asked for it twenty times, 0.25 ms each), and look at the files beside it once. A
    partial rerun (``ui.partial``) reads the version of the page it redraws, like the
    rest of that page."""
    st.session_state[RUN_FILE] = _resolve()
    st.session_state[RUN_FILES] = _files_key()


def newer_version() -> bool:
    """A version newer than the one this session's page was drawn from is published (a
    partial rerun would read the old one: the whole page moves to the new one instead)."""
    drawn = st.session_state.get(RUN_FILE)
    return drawn is not None and drawn != _resolve()


def current_file() -> str:
    """The version of this run (``begin_run``), or the published one."""
    return st.session_state.get(RUN_FILE) or _resolve()


def _resolve() -> str:
    settings = get_settings()
    _bootstrap(str(settings.db_path))
    return str(Store(settings.db_path).current_file())


RECENT = Recent()  # the cached calls of the last 15 minutes, made again on a new version


def remember(key: tuple, make: Make) -> None:
    """A per-version cached call was used; ``make(file)`` makes it on version ``file``."""
    RECENT.remember(key, make)


@st.cache_resource(show_spinner=False)
def _pool() -> ReadPool:
    """The process's read connections: a version's connection closes only when no
    session queries on it any more (``db.pool``). A newly published version is opened
    by the pool's follow thread, which then builds the recent calls on it."""
    pool = ReadPool(connect_file, size=2)
    pool.follow(lambda: Store(get_settings().db_path).current_file(), on_open=RECENT.prepare)
    return pool


@st.cache_data(max_entries=512, show_spinner=False)
def _cached(db_file: str, name: str, args: tuple, kwargs: tuple, _fn: Callable) -> Any:
    """A read function's result on one version (``name`` identifies ``_fn`` in the key)."""
    with _pool().cursor(db_file) as cursor:
        return _fn(cursor, *args, **dict(kwargs))


def _name(fn: Callable) -> str:
    """A read function's name in the cache key: with its module, so that two modules'
    functions of one name (``db.measures.measures``, say) never share a result."""
    return f"{fn.__module__}.{fn.__qualname__}"


def _hashable(value: Any) -> Any:
    return tuple(value) if isinstance(value, list) else value


class Cached:
    """The ``views.common.Query`` of the app: read functions cached on one version."""

    def __init__(self, db_file: str) -> None:
        self.db_file = db_file

    def __call__(
        self, fn: Callable[Concatenate[Any, P], R], /, *args: P.args, **kwargs: P.kwargs
    ) -> R:
        key_args = tuple(_hashable(a) for a in args)
        return _cached(self.db_file, _name(fn), key_args, tuple(sorted(kwargs.items())), fn)


def on_current(fn: Callable[..., T], *args: Any) -> T:
    """``fn(current_file(), *args)``, once more on the newer version when the current
    one was pruned between resolving and opening it."""
    try:
        return fn(current_file(), *args)
    except duckdb.IOException:
        begin_run()  # pruned: the newer version, for the rest of the run too
        return fn(current_file(), *args)


def run(fn: Callable[Concatenate[Any, P], R], /, *args: P.args, **kwargs: P.kwargs) -> R:
    """A read function of ``dortmund_kpi.db.read`` on the current version, cached."""
    return on_current(lambda db_file: Cached(db_file)(fn, *args, **kwargs))


def reference(fn: Callable[Concatenate[Any, P], R], /, *args: P.args, **kwargs: P.kwargs) -> R:
    """Like ``run``, for the reference data every run asks for (names, years, Stand):
    one object per version shared by every session, to be read, never changed
    (``run`` gives each call its own copy: unpickled, a dozen times per run)."""
    key_args = tuple(_hashable(a) for a in args)
    kw = tuple(sorted(kwargs.items()))

    def make(db_file: str) -> Any:
        key = (db_file, fn.__module__, fn.__qualname__, key_args, kw)
        return _REFERENCE.get(key, lambda: _cached(db_file, _name(fn), key_args, kw, _fn=fn))

    remember(("reference", fn.__module__, fn.__qualname__, key_args, kw), make)
    return on_current(make)


# Reference data and page data per version: keys are plain tuples (``ui.once``).
_REFERENCE = OnceCache(size=64)
_PAGES = OnceCache(size=48)


def page_data(build: Callable[[Any, View], T], view: View) -> T:
    """A page's data (``views.<page>.build``) for a view, built once per data version,
    view, day and the files beside the database (geometry, rejected-import log). A build
    that depends on a few view fields only (``views.common.depends_on``) is built once
    for all views that differ elsewhere.

    Kept as built, never pickled: the data hold plotly figures, and unpickling a figure
    validates it all over again; the cached data are only read.
    """
    fields = getattr(build, "view_fields", None)
    if fields is not None:  # data of a few fields only: one build for the other views
        view = view.narrowed(fields)

    def make(db_file: str, files: tuple | None = None) -> T:
        day = clock.today()  # Berlin's day
        key = (db_file, build.__module__, build.__qualname__, view, day, files or _files_key())
        return _PAGES.get(key, lambda: build(Cached(db_file), view))

    def prepare(db_file: str) -> T:  # the follow thread, on a newly published version
        built = make(db_file)
        charts.serialise_frozen(built)  # what the first run would do: done ahead, too
        return built

    remember(("page", build.__module__, build.__qualname__, view), prepare)
    files = st.session_state.get(RUN_FILES)  # as this run's begin saw them
    return on_current(lambda db_file: make(db_file, files))


# Per frame of cached page data: (id of the frame, what) -> (the frame, the result).
_PER_FRAME: dict[tuple[int, str], tuple[weakref.ref, Any]] = {}


def _per_frame(frame: pd.DataFrame, what: str, make: Callable[[], T]) -> T:
    """``make()`` once per frame of cached page data (never changed), shared by every
    session and run; it goes when the frame goes (its page data left the cache)."""
    key = (id(frame), what)
    entry = _PER_FRAME.get(key)
    if entry is not None and entry[0]() is frame:
        return entry[1]
    value = make()

    def forget(_gone: weakref.ref) -> None:
        _PER_FRAME.pop(key, None)

    _PER_FRAME[key] = (weakref.ref(frame, forget), value)
    return value


def table(
    frame: pd.DataFrame, shown: Callable[[pd.DataFrame], pd.DataFrame] | None = None
) -> pa.Table:
    """A table of cached page data as ``st.dataframe`` sends it, ``shown`` applied first:
    converted once per frame, not on every run (pandas to Arrow was a tenth of the
    overview's run)."""
    return _per_frame(
        frame,
        f"table:{getattr(shown, '__qualname__', '')}",
        lambda: pa.Table.from_pandas(shown(frame) if shown else frame, preserve_index=False),
    )


def html_table(
    frame: pd.DataFrame,
    label: str,
    row_headers: int = 1,
    shown: Callable[[pd.DataFrame], pd.DataFrame] | None = None,
) -> str:
    """A table of cached page data as HTML (``ui.table_markup``), ``shown`` applied
    first; made once per frame and name."""
    return _per_frame(
        frame,
        f"html:{label}:{row_headers}:{getattr(shown, '__qualname__', '')}",
        lambda: table_markup.table_html(shown(frame) if shown else frame, label, row_headers),
    )


def rows(frame: pd.DataFrame) -> list[tuple]:
    """The rows of a frame of cached page data as named tuples, made once per frame
    (pandas' ``itertuples`` over the overview's measures list: 3 % of its warm run)."""
    return _per_frame(frame, "rows", lambda: list(frame.itertuples(index=False)))


def _files_key() -> tuple:
    """Modification times of the files a page shows beside the database."""
    settings = get_settings()
    paths = (
        settings.official_geometry_path,
        settings.schematic_geometry_path,
        rejected_log_path(settings),
    )
    return tuple(p.stat().st_mtime_ns if p.exists() else None for p in paths)


# -- reference data of the current version ---------------------------------------
def indicators() -> pd.DataFrame:
    return reference(read.indicator_list)


def masterplans() -> dict[str, str]:
    """Masterplan id -> short German name, in catalog order (from the catalog, via the db)."""
    return reference(read.masterplan_names)


def district_names() -> dict[str, str]:
    """District slug -> German name, in table order."""
    return reference(read.district_names)


def year_range() -> tuple[int, int]:
    return reference(read.data_range)


def data_moment(as_of: datetime | None) -> datetime | None:
    """When the newest value of the view was imported (the data version shown)."""
    value = reference(read.data_stand, as_of=as_of)
    return None if value is None or pd.isna(value) else value


def clear() -> None:
    """Drop every cached result and close the cached connections (tests, benchmarks)."""
    RECENT.clear()
    _PAGES.clear()
    _REFERENCE.clear()
    _cached.clear()
    _pool().clear()


def first_import() -> datetime | None:
    """When the first value was imported (a pinned moment before it shows nothing)."""
    log = reference(read.import_log)
    ok = log[log["outcome"] == "ok"] if len(log) else log
    return None if ok.empty else ok["finished_at"].min().to_pydatetime()
