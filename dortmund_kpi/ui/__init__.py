"""The one module of the core that knows Streamlit: cached data access and shared widgets.

Pages call ``ui`` and the pure core; they hold no SQL, reshaping or styling.
Caching: one read-only connection per published database version (a new
import has a new file name, so caches move on by themselves) and one cursor
per query; query results cached per version and arguments.
"""

from __future__ import annotations

import contextlib
import inspect
import os
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path
from typing import Any

import duckdb
import pandas as pd
import plotly.graph_objects as go
import streamlit as st

from dortmund_kpi import formatting, texts
from dortmund_kpi.db import read
from dortmund_kpi.db.store import Store
from dortmund_kpi.districts import DistrictMatcher, districts_from_rows
from dortmund_kpi.ingest.bootstrap import ensure_database
from dortmund_kpi.settings import get_settings
from dortmund_kpi.share import urlstate
from dortmund_kpi.views import charts

PAGE_FILES = {
    "uebersicht": "screens/overview.py",
    "masterplan": "screens/plan.py",
    "indikator": "screens/indicator.py",
    "bezirke": "screens/districts.py",
    "daten": "screens/data.py",
}
QUERIES = {
    name: getattr(read, name)
    for name in (
        "series",
        "series_stats",
        "sparklines",
        "district_periods",
        "district_values",
        "district_profile",
        "import_log",
        "freshness",
        "indicator_list",
        "district_list",
        "export_rows",
        "data_stand",
        "masterplan_names",
        "measures",
        "measure_versions",
    )
}
# The st.Page objects of the running app (set by ``navigation_pages`` on every run). A
# link given a Page skips Streamlit's path resolution (a realpath per link: 0.7 ms,
# a third of the overview's warm run at a hundred tiles). Pages of any session are
# equivalent (same file and URL path), so one process-wide dict is enough.
_PAGES: dict[str, Any] = {}
URL_WRITTEN = "_url_written"
LAST_PAGE = "_last_page"
NOTICES = "_url_notices"


# -- data access --------------------------------------------------------------
@st.cache_resource(show_spinner=False)
def _bootstrap(db_path: str) -> None:
    """Create (first start) or migrate the database once per process."""
    ensure_database(get_settings(db_path))


def current_file() -> str:
    """The published version's file; resolving the symlink is cheap, so do it every run."""
    settings = get_settings()
    _bootstrap(str(settings.db_path))
    return str(Store(settings.db_path).current_file())


@st.cache_resource(max_entries=2, on_release=lambda con: con.close(), show_spinner=False)
def _connection(db_file: str) -> duckdb.DuckDBPyConnection:
    return Store(get_settings().db_path).connect_read(Path(db_file))


@st.cache_data(max_entries=512, show_spinner=False)
def _cached(db_file: str, name: str, args: tuple, kwargs: tuple) -> Any:
    with _connection(db_file).cursor() as cursor:  # one cursor per query: thread-safe
        return QUERIES[name](cursor, *args, **dict(kwargs))


AS_OF_QUERIES = frozenset(
    name for name, fn in QUERIES.items() if "as_of" in inspect.signature(fn).parameters
)


def as_of() -> datetime | None:
    """The pinned moment of the view (URL key ``stand``), or None for live data."""
    value = st.session_state.get("stand")
    return value if isinstance(value, datetime) else None


def query(name: str, *args: Any, **kwargs: Any) -> Any:
    """Run a named query of ``dortmund_kpi.db.read`` on the current version, cached.

    Queries that can look back in time get the view's pinned moment (``stand``).
    """
    if name in AS_OF_QUERIES and "as_of" not in kwargs:
        kwargs["as_of"] = as_of()
    return _on_current(_query_on, name, args, kwargs)


def _on_current(fn: Any, *args: Any) -> Any:
    """``fn(current_file(), *args)``, once more on the newer version when the current
    one was pruned between resolving and opening it."""
    try:
        return fn(current_file(), *args)
    except duckdb.IOException:
        return fn(current_file(), *args)


def _query_on(db_file: str, name: str, args: tuple, kwargs: dict[str, Any]) -> Any:
    """A query on one version, under the same cache key as ``query`` uses."""
    return _cached(db_file, name, tuple(_hashable(a) for a in args), tuple(sorted(kwargs.items())))


def _hashable(value: Any) -> Any:
    return tuple(value) if isinstance(value, list) else value


def indicators() -> pd.DataFrame:
    return query("indicator_list")


def indicator(indicator_id: str) -> pd.Series:
    return _on_current(_indicator_on, indicator_id)


def _indicator_on(db_file: str, indicator_id: str) -> pd.Series:
    """One catalog row, from the (cached) indicator list of a version."""
    frame = _query_on(db_file, "indicator_list", (), {})
    return frame[frame["id"] == indicator_id].iloc[0]


def districts() -> pd.DataFrame:
    return query("district_list")


def masterplans() -> dict[str, str]:
    """Masterplan id -> short German name, in catalog order (from the catalog, via the db)."""
    return query("masterplan_names")


def year_range() -> tuple[int, int]:
    return _cached_range(current_file())


@st.cache_data(max_entries=4, show_spinner=False)
def _cached_range(db_file: str) -> tuple[int, int]:
    with _connection(db_file).cursor() as cursor:
        return read.data_range(cursor)


def stand_text(db_stand: Any) -> str:
    return formatting.day(db_stand) if db_stand is not None and not pd.isna(db_stand) else "–"


def data_stand() -> Any:
    return _cached_stand(current_file())


@st.cache_data(max_entries=4, show_spinner=False)
def _cached_stand(db_file: str) -> Any:
    with _connection(db_file).cursor() as cursor:
        return read.data_stand(cursor)


# -- URL state ----------------------------------------------------------------
def _matcher() -> DistrictMatcher:
    return DistrictMatcher(districts_from_rows(districts().itertuples(index=False)))


def url_context() -> urlstate.UrlContext:
    return urlstate.UrlContext(
        masterplans=tuple(masterplans()),
        indicators=tuple(indicators()["id"]),
        districts=_matcher(),
        years=year_range(),
        # Live ids: a measure is never deleted, so every id of an older Stand is among them.
        measures=tuple(query("measures", as_of=None)["id"]),
    )


def defaults() -> dict[str, Any]:
    """The default view (what a URL leaves out); asked several times per run, so cached."""
    return _on_current(_cached_defaults)


@st.cache_data(max_entries=4, show_spinner=False)
def _cached_defaults(db_file: str) -> dict[str, Any]:
    return {
        "bezirk": [],
        "zeitraum": _cached_range(db_file),
        "masterplan": "verwaltung",
        "indikator": str(_query_on(db_file, "indicator_list", (), {})["id"].iloc[0]),
        "stand": None,
        "praesentation": False,
        "massnahme": None,
        "seite": 1,
    }


def _current_params() -> dict[str, list[str]]:
    return {
        key: st.query_params.get_all(key)
        for key in st.query_params
        if key not in urlstate.RESERVED_KEYS
    }


def sync_from_url(page: str) -> None:
    """Load the view from the URL when it was opened or changed from outside the app.

    Our own writes are remembered: on a page switch Streamlit clears the query
    string, which must not reset the filters the user has set.
    """
    params = _current_params()
    previous, st.session_state[LAST_PAGE] = st.session_state.get(LAST_PAGE), page
    own_url = params == st.session_state.get(URL_WRITTEN)  # navigation inside the app
    if previous is not None and previous != page and (own_url or "massnahme" not in params):
        st.session_state["massnahme"] = None  # a measure's detail stays on its page
    if not params or own_url:
        st.session_state[NOTICES] = []
        return
    parsed = urlstate.parse(params, page, url_context())
    base = defaults()
    migrated = urlstate.migrate_keys(params)
    for key in urlstate.SHARED_KEYS + urlstate.PAGE_KEYS.get(page, ()):
        if key in parsed.values:
            st.session_state[key] = parsed.values[key]
        elif key in migrated or key == "seite":  # a link without seite shows the first
            st.session_state[key] = base[key]
    st.session_state[NOTICES] = parsed.notices


def view_keys() -> tuple[str, ...]:
    return (*urlstate.SHARED_KEYS, "masterplan", "indikator", "seite")


def view_params(page: str, **changes: Any) -> dict[str, list[str]]:
    """The query parameters of the current view on ``page`` (with ``changes`` applied)."""
    values = {key: st.session_state.get(key) for key in view_keys()} | changes
    values["zeitraum"] = tuple(values["zeitraum"]) if values.get("zeitraum") else None
    return urlstate.serialize(values, page, defaults())


def write_url(page: str) -> None:
    """Put the current view into the address bar (only what differs from the default)."""
    params = view_params(page)
    reserved = {
        k: st.query_params.get_all(k) for k in urlstate.RESERVED_KEYS if k in st.query_params
    }
    if params != _current_params():
        st.query_params.from_dict({**params, **reserved})
    st.session_state[URL_WRITTEN] = params


def show_notices() -> None:
    for notice in st.session_state.get(NOTICES, []):
        template = texts.URL_NOTICE if notice.value.strip() else texts.URL_NOTICE_EMPTY
        st.warning(template.format(key=notice.key, value=literal(notice.value)), icon="⚠️")


def literal(text: str, limit: int = 60) -> str:
    """Text from a link shown as code, never as Markdown (no links, images or colours)."""
    visible = "".join(ch for ch in text[:limit] if ch.isprintable() and ch not in "`\u202e\u202d")
    return f"`{visible}`" if visible.strip() else "` `"


# -- shared widgets -------------------------------------------------------------
def shared_filters() -> None:
    """District and period filters in the sidebar, for every page."""
    lo, hi = year_range()
    if "bezirk" not in st.session_state:
        st.session_state["bezirk"] = []
    years = st.session_state.get("zeitraum")
    if not years or years[0] < lo or years[1] > hi or years[0] > years[1]:
        st.session_state["zeitraum"] = (lo, hi)
    names = district_names()
    with st.sidebar:
        st.subheader(texts.FILTER_HEADER)
        st.multiselect(
            texts.FILTER_DISTRICTS,
            options=list(names),
            key="bezirk",
            format_func=names.get,
            placeholder=texts.FILTER_DISTRICTS_PLACEHOLDER,
            help=texts.FILTER_DISTRICTS_HELP,
        )
        if lo < hi:
            st.slider(texts.FILTER_PERIOD, min_value=lo, max_value=hi, key="zeitraum", step=1)


def selected_districts() -> list[str]:
    return list(st.session_state.get("bezirk") or [])


def selected_years() -> tuple[int, int]:
    years = st.session_state.get("zeitraum") or year_range()
    return (int(years[0]), int(years[1]))


def page_key_select(key: str, label: str, options: dict[str, str], on_change: Any = None) -> str:
    """A selectbox for a page's own URL key; value is the id, label the German name."""
    if st.session_state.get(key) not in options:
        st.session_state[key] = next(iter(options))
    return st.selectbox(
        label, options=list(options), key=key, format_func=options.get, on_change=on_change
    )


def first_chart_page() -> None:
    st.session_state["seite"] = 1


def chart_page(groups: list[tuple[int, int]]) -> tuple[int, int]:
    """The group of charts to show (URL key ``seite``): a choice of groups when there is
    more than one; a number beyond the last group shows the last."""
    if len(groups) <= 1:
        st.session_state["seite"] = 1
        return groups[0] if groups else (0, 0)
    number = st.session_state.get("seite")
    st.session_state["seite"] = min(max(number if isinstance(number, int) else 1, 1), len(groups))
    st.segmented_control(
        texts.CHART_GROUPS,
        options=list(range(1, len(groups) + 1)),
        format_func=lambda n: texts.CHART_GROUP.format(
            first=groups[n - 1][0] + 1, last=groups[n - 1][1]
        ),
        key="seite",
        required=True,
    )
    return groups[st.session_state["seite"] - 1]


def show_chart(fig: go.Figure, key: str, filename: str) -> None:
    st.plotly_chart(fig, key=key, config=charts.chart_config(filename), theme=None)


def demo_notice(has_demo: bool) -> None:
    if has_demo:
        st.caption(f":orange-badge[{texts.DEMO_BADGE}] {texts.DEMO_EXPLAINED}")


def navigation_pages() -> dict[str, Any]:
    """The app's pages for ``st.navigation`` (page key -> ``st.Page``), also used by links."""
    pages = {
        key: st.Page(
            path,
            title=texts.PAGE_TITLES[key],
            icon=texts.PAGE_ICONS[key],
            url_path=urlstate.PAGES[key] or "uebersicht",
            default=key == "uebersicht",
        )
        for key, path in PAGE_FILES.items()
    }
    _PAGES.update(pages)
    return pages


def _page(page: str) -> Any:
    """The running app's ``st.Page`` for a page key (its file before the router ran)."""
    return _PAGES.get(page, PAGE_FILES[page])


def page_link(
    page: str, label: str, params: dict[str, list[str]] | None = None, **kwargs: Any
) -> None:
    kwargs.setdefault("icon", "")  # a Page would lend the link its own icon
    st.page_link(_page(page), label=label, query_params=params or None, **kwargs)


@contextlib.contextmanager
def card() -> Any:
    with st.container(border=True):
        yield


# -- tiles and matrix ---------------------------------------------------------------
STATUS_BADGE = {"auf Kurs": "green", "gefährdet": "orange", "nicht auf Kurs": "red"}
CHANGE_COLOR = {"besser": "green", "schlechter": "red", "unverändert": "gray"}


def status_badge(status: str | None) -> str:
    if not isinstance(status, str):  # None, or NaN from a pandas column
        return f":gray-badge[{texts.NO_TARGET}]"
    return f":{STATUS_BADGE[status]}-badge[{texts.STATUS_ICONS[status]} {status}]"


def overview_tiles(year_from: int, year_to: int) -> list[Any]:
    """The overview's tiles (``views.tiles``), cached per version, years and Stand: they are
    a pure function of cached query results, so a warm run only renders them."""
    return _on_current(_cached_tiles, year_from, year_to, as_of())


@st.cache_data(max_entries=64, show_spinner=False)
def _cached_tiles(db_file: str, year_from: int, year_to: int, moment: Any) -> list[Any]:
    from dortmund_kpi.views import common as views

    years, pinned = (year_from, year_to), {"as_of": moment}
    return views.tiles(
        _query_on(db_file, "series_stats", years, pinned),
        _query_on(db_file, "indicator_list", (), {}),
        _query_on(db_file, "sparklines", years, pinned),
    )


def status_matrix(year_from: int, year_to: int) -> pd.DataFrame:
    """The masterplan x district matrix as a table (``views.matrix_table``), cached like
    ``overview_tiles``."""
    return _on_current(_cached_matrix, year_from, year_to, as_of())


@st.cache_data(max_entries=64, show_spinner=False)
def _cached_matrix(db_file: str, year_from: int, year_to: int, moment: Any) -> pd.DataFrame:
    from dortmund_kpi.views import common as views

    years = (year_from, year_to)
    cells = views.matrix(
        _query_on(db_file, "series_stats", years, {"as_of": moment}),
        _query_on(db_file, "series_stats", years, {"as_of": moment, "city": False}),
        _query_on(db_file, "indicator_list", (), {}),
        _query_on(db_file, "district_list", (), {}),
    )
    return views.matrix_table(cells, _query_on(db_file, "masterplan_names", (), {}))


def city_statuses(year_from: int, year_to: int) -> dict[str, str | None]:
    """Target status of every indicator for the city (``views.statuses``), cached like
    ``overview_tiles``: the masterplan and indicator pages ask on every run."""
    return _on_current(_cached_statuses, year_from, year_to, as_of())


@st.cache_data(max_entries=64, show_spinner=False)
def _cached_statuses(
    db_file: str, year_from: int, year_to: int, moment: Any
) -> dict[str, str | None]:
    from dortmund_kpi.views import common as views

    stats = _query_on(db_file, "series_stats", (year_from, year_to), {"as_of": moment})
    indicators = _query_on(db_file, "indicator_list", (), {})
    return views.statuses(stats.set_index("indicator_id"), indicators)


def render_tile(tile: Any) -> None:
    """A KPI tile's content: value, change (arrow, text and colour), sparkline, target status."""
    arrow = "off" if tile.rising is None else ("up" if tile.rising else "down")
    description = f"{tile.versus}, {texts.CHANGE_TEXT[tile.change_word]}" if tile.change else None
    st.metric(
        f"**{tile.title}**",
        tile.value,
        delta=tile.change or None,
        delta_color=CHANGE_COLOR[tile.change_word],
        delta_arrow=arrow,
        delta_description=description,
        help=tile.name,
    )
    line = charts.sparkline_svg(tile.sparkline, tile.change_word, texts.SPARKLINE_ALT)
    st.markdown(line or "&nbsp;", unsafe_allow_html=True)  # our own SVG, see charts
    demo = f" · :orange-badge[{texts.DEMO_BADGE}]" if tile.demo else ""
    unit = f"{tile.unit} · " if tile.unit else ""
    if tile.target == texts.NO_TARGET:
        target = status_badge(None)
    else:
        badge = status_badge(tile.status) if tile.status else f":gray-badge[{texts.NO_RATING}]"
        target = f"{badge} {tile.target}"
    # One caption (two lines) instead of two: every element costs a warm run time.
    st.caption(f"{unit}{tile.period}{demo}  \n{target}")
    page_link("indikator", f"{texts.OPEN_INDICATOR} →", {"indikator": tile.indicator_id})


TILE_WIDTH = 225  # px: four tiles side by side on a 1440 px screen, more on a wider one


def render_tiles(tiles: list[Any]) -> None:
    """Tiles side by side in one wrapping row (one block instead of a row of columns per
    four tiles: fewer elements, and narrow screens get fewer tiles per line)."""
    with st.container(horizontal=True, gap="small"):
        for tile in tiles:
            with st.container(border=True, width=TILE_WIDTH):
                render_tile(tile)


def render_plan_tiles(tiles: list[Any]) -> None:
    """A masterplan's tiles on the overview (capped, see ``views.overview_selection``)."""
    from dortmund_kpi.views import common as views

    shown = views.overview_selection(tiles)
    if len(shown) < len(tiles):
        st.caption(texts.TILES_SHOWN.format(shown=len(shown), total=len(tiles)))
    render_tiles(shown)


MATRIX_ROWS = 16  # the matrix shows this many districts, then scrolls


def render_matrix(table: pd.DataFrame, plans: dict[str, str]) -> None:
    """Districts as rows, masterplans as columns, in one table (one element, however many
    districts); a click on a cell opens the masterplan page filtered to the district."""
    from dortmund_kpi.views import common as views

    event = st.dataframe(
        table,
        hide_index=True,
        key="matrix",
        on_select="rerun",
        selection_mode="single-cell",
        height=min(len(table), MATRIX_ROWS) * 35 + 38,  # all rows up to MATRIX_ROWS
        column_config={
            name: st.column_config.TextColumn(width="medium") for name in plans.values()
        },
    )
    for row, column in event.selection.cells:
        params = views.matrix_link(table, plans, row, column)
        if params:
            st.switch_page(_page("masterplan"), query_params=params)


# -- cached figures ------------------------------------------------------------------
# Building a plotly figure (every property validated) cost more than anything else in a
# warm run (78 % of the masterplan page). A figure depends only on the data version and
# the view, so it is built once. cache_resource, not cache_data: unpickling a Figure
# validates it all over again; the cached figures are only read (to_dict, to_image).
@dataclass(frozen=True)
class PlanCharts:
    """The masterplan page's charts (indicator id -> figure, None without data) and
    whether the view has data at all and any demo values."""

    figures: dict[str, go.Figure | None]
    empty: bool
    demo: bool


def plan_figures(
    plan: str, areas: list[str], year_from: int, year_to: int, shown: list[str]
) -> PlanCharts:
    """The masterplan page's charts of the indicators ``shown`` (one group), built once
    per version and view: a cold run builds only the group on screen."""
    key = (plan, tuple(areas), year_from, year_to, as_of(), tuple(shown))
    return _on_current(_cached_plan_figures, *key)


@st.cache_resource(max_entries=16, show_spinner=False)
def _cached_plan_figures(
    db_file: str,
    plan: str,
    areas: tuple[str, ...],
    year_from: int,
    year_to: int,
    moment: Any,
    shown: tuple[str, ...],
) -> PlanCharts:
    from dortmund_kpi.views import common as views

    indicators = _query_on(db_file, "indicator_list", (), {}).set_index("id", drop=False)
    own = indicators[indicators["masterplan"] == plan]
    pinned = {"as_of": moment}
    stats = _query_on(db_file, "series_stats", (year_from, year_to), pinned)
    stats = stats.set_index("indicator_id")
    frame = _query_on(db_file, "series", (list(own["id"]), list(areas), year_from, year_to), pinned)
    parts = dict(tuple(frame.groupby("indicator_id", sort=False)))
    figures: dict[str, go.Figure | None] = {}
    for indicator_id in shown:
        part = parts.get(indicator_id)
        row = stats.loc[indicator_id] if indicator_id in stats.index else None
        meta = indicators.loc[indicator_id]
        figures[indicator_id] = (
            None
            if part is None
            else charts.freeze(views.indicator_chart(part, meta, row, height=320))
        )
    demo = bool(len(frame)) and not bool(frame["is_official"].all())
    return PlanCharts(figures, frame.empty, demo)


def indicator_figure(indicator_id: str, areas: list[str], year_from: int, year_to: int) -> Any:
    """The indicator page's time series with target path and trend (None without data)."""
    key = (indicator_id, tuple(areas), year_from, year_to, as_of())
    return _on_current(_cached_indicator_figure, *key)


@st.cache_resource(max_entries=16, show_spinner=False)
def _cached_indicator_figure(
    db_file: str,
    indicator_id: str,
    areas: tuple[str, ...],
    year_from: int,
    year_to: int,
    moment: Any,
) -> go.Figure | None:
    from dortmund_kpi.views import common as views

    ind = _indicator_on(db_file, indicator_id)
    pinned = {"as_of": moment}
    frame = _query_on(db_file, "series", ([indicator_id], list(areas), year_from, year_to), pinned)
    if frame.empty:
        return None
    stats = _query_on(db_file, "series_stats", (year_from, year_to), pinned)
    stats = stats.set_index("indicator_id")
    stats_row = stats.loc[indicator_id] if indicator_id in stats.index else None
    return charts.freeze(views.indicator_chart(frame, ind, stats_row))


@st.cache_resource(max_entries=16, show_spinner=False)
def _cached_district_figures(
    db_file: str,
    indicator_id: str,
    period: str,
    per_capita: bool,
    moment: Any,
    geometry_key: tuple[str, int],
    _geo: Any,
) -> tuple[go.Figure, go.Figure]:
    """Map and ranking of one period (``geometry_key`` names the file ``_geo`` came from)."""
    from dortmund_kpi.views import common as views

    ind = _indicator_on(db_file, indicator_id)
    values = _query_on(db_file, "district_values", (indicator_id, period), {"as_of": moment})
    district_map = views.map_figure(
        values, ind, _geo.geojson, _geo.view, per_capita, _geo.schematic, period
    )
    return (
        charts.freeze(district_map),
        charts.freeze(views.ranking_figure(values, ind, per_capita, period)),
    )


# -- indicator page sections ---------------------------------------------------------
def district_section(ind: pd.Series, year_from: int, year_to: int) -> None:
    """Map and ranking of the districts for the latest period within the chosen years."""
    from dortmund_kpi import geometry

    periods = query("district_periods", str(ind["id"]), year_from, year_to)
    if periods.empty:
        st.caption(texts.EMPTY_DISTRICTS)
        return
    period = str(periods["period"].iloc[0])
    per_capita = bool(ind["per_capita"]) and st.toggle(texts.FILTER_PER_CAPITA, key="je1000")
    geo = geometry.current_geometry(get_settings())
    geometry_key = (str(geo.path), geo.path.stat().st_mtime_ns)
    map_fig, ranking_fig = _on_current(
        _cached_district_figures, str(ind["id"]), period, per_capita, as_of(), geometry_key, geo
    )
    left, right = st.columns([3, 2])
    with left:
        show_chart(map_fig, key="map", filename=f"{ind['id']}_karte_{period}")
        chart_exports(map_fig, f"{ind['id']}_karte_{period}")
    with right:
        show_chart(ranking_fig, key="ranking", filename=f"{ind['id']}_rangfolge_{period}")
        chart_exports(ranking_fig, f"{ind['id']}_rangfolge_{period}")


def metadata_panel(ind: pd.Series, frame: pd.DataFrame) -> None:
    from dortmund_kpi.views import common as views

    with st.expander(texts.INDICATOR_META, expanded=True):
        rows = views.indicator_metadata(ind, frame)
        st.markdown("\n".join(f"- **{label}:** {literal_text(value)}" for label, value in rows))


def literal_text(text: str) -> str:
    """Catalog text in Markdown: escape the characters Markdown would interpret."""
    return "".join("\\" + ch if ch in "\\`*_[]<>#|~$" else ch for ch in str(text))


def export_section(
    ind: pd.Series,
    table: pd.DataFrame,
    frame: pd.DataFrame,
    name: str,
    linked: pd.DataFrame | None = None,
) -> None:
    """Displayed data (CSV, XLSX with metadata) and the full indicator (all areas and years);
    the XLSX files carry the ``linked`` measures as a sheet of their own.

    The files are made when a button is clicked, not on every run (building them took
    86 % of a warm run of the indicator page). The callables run in another thread,
    outside the script run: everything they need from the session is captured here.
    """
    from dortmund_kpi.share import downloads as exports
    from dortmund_kpi.views import common as views
    from dortmund_kpi.views import measures as measure_views

    extra = {}
    if linked is not None and len(linked):
        extra = {texts.MEASURES_TITLE: measure_views.table(linked, district_names())}

    page_link_text = permalink("indikator", pinned=True)
    lo, hi = year_range()
    areas = ["dortmund", *districts()["slug"]]
    db_file, moment = current_file(), as_of()

    def displayed_xlsx() -> bytes:
        meta = views.indicator_metadata(ind, frame, page_link_text)
        return exports.xlsx_with_metadata(table, meta, extra)

    def full_series() -> pd.DataFrame:
        with Store(get_settings().db_path).connect_read(Path(db_file)) as con:
            return read.series(con, [str(ind["id"])], areas, lo, hi, as_of=moment)

    def full_csv() -> bytes:
        return views.german_csv(views.display_table(full_series(), ind))

    def full_xlsx() -> bytes:
        full = full_series()
        full_meta = views.indicator_metadata(ind, full, page_link_text)
        return exports.xlsx_with_metadata(views.display_table(full, ind), full_meta, extra)

    st.markdown(f"**{texts.EXPORT_HEADER}**")
    cols = st.columns(4)
    downloads = (
        (texts.DOWNLOAD_CSV, lambda: views.german_csv(table), f"{name}.csv", "text/csv"),
        (texts.DOWNLOAD_XLSX, displayed_xlsx, f"{name}.xlsx", XLSX_MIME),
        (texts.DOWNLOAD_FULL_CSV, full_csv, f"{ind['id']}_gesamt.csv", "text/csv"),
        (texts.DOWNLOAD_FULL_XLSX, full_xlsx, f"{ind['id']}_gesamt.xlsx", XLSX_MIME),
    )
    for column, (label, make, file_name, mime) in zip(cols, downloads, strict=True):
        column.download_button(label, data=make, file_name=file_name, mime=mime, on_click="ignore")


XLSX_MIME = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


@st.cache_resource(ttl=60, show_spinner=False)
def _image_export_available() -> bool:
    """Looked up once a minute, not per chart (a PATH search; 37 charts on a page)."""
    from dortmund_kpi.share import downloads as exports

    return exports.image_export_available()


def chart_exports(fig: go.Figure, filename: str) -> None:
    """PNG (scale 2) and SVG of a chart, rendered on demand (title, source, Stand included)."""
    from dortmund_kpi.share import downloads as exports

    with st.popover(texts.EXPORT_CHART, icon=":material/download:"):
        if not _image_export_available():
            st.caption(texts.EXPORT_NO_BROWSER)
            return
        st.download_button(
            texts.EXPORT_PNG,
            data=lambda: exports.figure_image(fig, "png"),
            file_name=f"{filename}.png",
            mime="image/png",
            on_click="ignore",
        )
        st.download_button(
            texts.EXPORT_SVG,
            data=lambda: exports.figure_image(fig, "svg"),
            file_name=f"{filename}.svg",
            mime="image/svg+xml",
            on_click="ignore",
        )


def profile_district() -> str:
    """The district of the profile page: the first selected one, else a choice here."""
    names = district_names()
    chosen = selected_districts()
    current = chosen[0] if chosen else next(iter(names))

    def choose() -> None:
        st.session_state["bezirk"] = [st.session_state["_profile_district"]]

    st.session_state["_profile_district"] = current
    st.selectbox(
        texts.FILTER_PROFILE_DISTRICT,
        options=list(names),
        format_func=names.get,
        key="_profile_district",
        on_change=choose,
    )
    return current


def geometry_note() -> None:
    from dortmund_kpi import geometry

    schematic = geometry.current_geometry(get_settings()).schematic
    st.info(texts.GEOMETRY_SCHEMATIC if schematic else texts.GEOMETRY_OFFICIAL)


def rejected_imports() -> pd.DataFrame:
    from dortmund_kpi.ingest.importer import rejected_imports as read_rejected

    return read_rejected(get_settings())


# -- sharing, pinned views, presentation mode ----------------------------------------
def public_base(page: str) -> str:
    """The app's public address: ``DORTMUND_KPI_PUBLIC_URL`` (behind a proxy) or the
    address the browser uses; empty (relative links) when neither is known."""
    configured = os.environ.get("DORTMUND_KPI_PUBLIC_URL")
    if configured:
        return configured.rstrip("/")
    url = (st.context.url or "").rstrip("/")
    path = urlstate.PAGES[page]
    if path and url.endswith("/" + path):
        url = url[: -len(path) - 1]
    return url


def data_moment(live: bool = False) -> datetime | None:
    """When the newest value on screen was imported (the data version shown)."""
    value = query("data_stand", as_of=None) if live else query("data_stand")
    return None if value is None or pd.isna(value) else value


def permalink(page: str, *, pinned: bool) -> str:
    moment = (as_of() or data_moment()) if pinned else None
    return urlstate.url_for(page, view_params(page, stand=moment), public_base(page))


def data_stand_caption() -> None:
    moment = data_moment()
    text = texts.PINNED_SIDEBAR if as_of() else texts.DATA_STAND_SIDEBAR
    st.caption(text.format(stand=formatting.timestamp(moment)))


def pinned_banner(page: str) -> None:
    """A pinned view says so, and offers the live view when newer data exists."""
    moment = as_of()
    if moment is None:
        return
    text = texts.PINNED_BANNER.format(stand=formatting.timestamp(moment))
    live, shown = data_moment(live=True), data_moment()
    if live is not None and (shown is None or live > shown):
        live_link = urlstate.url_for(page, view_params(page, stand=None), public_base(page))
        text += " " + texts.PINNED_NEWER.format(live=formatting.timestamp(live), link=live_link)
    st.info(text, icon="📌")
    st.button(texts.SHOW_LIVE, on_click=lambda: st.session_state.update(stand=None))


@st.dialog(texts.SHARE_TITLE, width="large")
def share_dialog(page: str) -> None:
    from dortmund_kpi.share import qr as sharing

    live, pinned = permalink(page, pinned=False), permalink(page, pinned=True)
    st.markdown(texts.SHARE_LIVE)
    st.code(live, language=None)
    st.markdown(texts.SHARE_PINNED.format(stand=formatting.timestamp(as_of() or data_moment())))
    st.code(pinned, language=None)
    choice = st.radio(texts.SHARE_QR_FOR, texts.SHARE_QR_CHOICES, horizontal=True)
    link = pinned if choice == texts.SHARE_QR_CHOICES[0] else live
    png = sharing.qr_png(link)
    st.image(png, width=220, caption=texts.SHARE_QR_CAPTION)
    left, right = st.columns(2)
    name = f"dortmund-kpi_{page}_qr"
    left.download_button(texts.SHARE_QR_PNG, png, file_name=f"{name}.png", mime="image/png")
    right.download_button(
        texts.SHARE_QR_SVG, sharing.qr_svg(link), file_name=f"{name}.svg", mime="image/svg+xml"
    )


def share_button(page: str) -> None:
    if st.sidebar.button(texts.SHARE_BUTTON, icon=":material/share:", width="stretch"):
        share_dialog(page)
    st.sidebar.download_button(
        texts.SLIDES_BUTTON,
        data=_deck_builder(page),
        file_name=f"dortmund-kpi_{page}.pptx",
        mime=PPTX_MIME,
        help=texts.SLIDES_HELP,
        icon=":material/slideshow:",
        width="stretch",
        on_click="ignore",
    )


PPTX_MIME = "application/vnd.openxmlformats-officedocument.presentationml.presentation"


def _deck_builder(page: str) -> Any:
    """A callable that builds the deck when clicked (in another thread: capture all now)."""
    from dortmund_kpi.share import deck as report
    from dortmund_kpi.share import slides

    values = {key: st.session_state.get(key) for key in view_keys()} | {"stand": as_of()}
    values = {k: v for k, v in (defaults() | values).items() if v is not None or k == "stand"}
    values["zeitraum"] = tuple(values["zeitraum"])
    view = report.View(page, values, permalink(page, pinned=True), [])
    db_file = current_file()

    def build() -> bytes:
        with Store(get_settings().db_path).connect_read(Path(db_file)) as con:
            return slides.build_deck(report.slides_for(con, view))

    return build


PRESENTATION_CSS = """<style>
[data-testid="stSidebar"], [data-testid="stSidebarCollapsedControl"],
[data-testid="stHeader"], [data-testid="stToolbar"] { display: none !important; }
.block-container { padding-top: 1.5rem !important; max-width: 100% !important; }
html { font-size: 19px; }
</style>"""


def presentation_mode() -> bool:
    """``praesentation=1``: no sidebar or chrome, larger text (our own constant CSS)."""
    if st.session_state.get("praesentation"):
        st.html(PRESENTATION_CSS)
        return True
    return False


def editor_welcome() -> None:
    """st.login returns to the start page: lead a freshly signed-in editor back to the upload."""
    from dortmund_kpi.ui import editor

    if editor.sign_in_configured() and st.user.get("is_logged_in"):
        page_link("daten", texts.EDITOR_WELCOME, icon=":material/upload:")


# -- measures (Maßnahmen) ---------------------------------------------------------
def measures() -> pd.DataFrame:
    """The measures of the view's Stand, with display columns (overdue as of that day)."""
    from dortmund_kpi.views import measures as measure_views

    return _on_current(_cached_measures, as_of(), measure_views.reference_day(as_of()))


@st.cache_data(max_entries=16, show_spinner=False)
def _cached_measures(db_file: str, moment: Any, today: Any) -> pd.DataFrame:
    from dortmund_kpi.views import measures as measure_views

    return measure_views.prepare(_query_on(db_file, "measures", (), {"as_of": moment}), today)


def measures_overview() -> tuple[pd.DataFrame, pd.DataFrame]:
    """The overview's measures: counts per masterplan and status, and the overdue ones."""
    from dortmund_kpi.views import measures as measure_views

    return _on_current(_cached_overview, as_of(), measure_views.reference_day(as_of()))


@st.cache_data(max_entries=16, show_spinner=False)
def _cached_overview(db_file: str, moment: Any, today: Any) -> tuple[pd.DataFrame, pd.DataFrame]:
    from dortmund_kpi.views import measures as measure_views

    frame = _cached_measures(db_file, moment, today)
    plans = _query_on(db_file, "masterplan_names", (), {})
    counts = measure_views.overview_counts(frame, plans, today)
    return counts, measure_views.overdue_only(frame)


def _open_measure(measure_id: str) -> None:
    st.session_state["massnahme"] = measure_id


def measure_list(
    frame: pd.DataFrame, key: str, empty: str = texts.MEASURES_NONE, show_plan: bool = False
) -> None:
    """One line per measure: title (opens the detail), status, deadline, overdue flag; with
    ``show_plan`` also its masterplan (lists that mix masterplans)."""
    from dortmund_kpi.views import measures as measure_views

    if frame.empty:
        st.caption(empty)
        return
    for m in frame.itertuples(index=False):
        late = f" · **{texts.MEASURE_OVERDUE}**" if m.overdue else ""
        left, right = st.columns([3, 2], vertical_alignment="center")
        left.button(
            literal_text(m.title),  # a button label is Markdown: titles come from files
            key=f"measure_{key}_{m.id}",
            type="tertiary",
            on_click=_open_measure,
            args=(m.id,),
            help=texts.MEASURE_OPEN,
        )
        plan = f"{m.masterplan_name} · " if show_plan else ""
        right.markdown(
            f"{plan}{measure_views.status_text(m.status)} · {texts.MEASURE_COLUMNS['deadline']} "
            f"{m.deadline_text}{late}"
        )


def measure_timeline(frame: pd.DataFrame, title: str, name: str) -> go.Figure | None:
    """The timeline chart (key ``measures_<name>``), exportable as ``massnahmen_<name>``."""
    from dortmund_kpi.views import measures as measure_views

    if frame.empty:
        st.caption(texts.MEASURES_NONE)
        return None
    stand = formatting.timestamp(data_moment())
    today = measure_views.reference_day(as_of())
    pinned = as_of() is not None
    fig = _on_current(_timeline_figure, tuple(frame["id"]), title, stand, today, pinned, frame)
    st.caption(texts.MEASURES_TIMELINE_HELP)
    show_chart(fig, key=f"measures_{name}", filename=f"massnahmen_{name}")
    chart_exports(fig, f"massnahmen_{name}")
    return fig


@st.cache_resource(max_entries=16, show_spinner=False)
def _timeline_figure(
    db_file: str,
    ids: tuple[str, ...],
    title: str,
    stand: str,
    today: Any,
    pinned: bool,
    _frame: pd.DataFrame,
) -> Any:
    """The timeline, built once per data version, measures shown (``ids``), title, Stand
    and day; the frame itself follows from them and is not hashed."""
    from dortmund_kpi.views import measures as measure_views

    return charts.freeze(measure_views.timeline(_frame, title, stand, today, pinned=pinned))


def measure_downloads(frame: pd.DataFrame, name: str) -> None:
    """The measures shown, as CSV and XLSX in the import format (re-importable), built
    when clicked (the XLSX took a tenth of the masterplan page's warm run)."""
    from dortmund_kpi import measures as measure_files

    names = district_names()
    cols = st.columns(2)
    cols[0].download_button(
        texts.DOWNLOAD_CSV,
        data=lambda: measure_files.to_csv(frame, names),
        file_name=f"{name}.csv",
        mime="text/csv",
        on_click="ignore",
        key=f"dl_csv_{name}",
    )
    cols[1].download_button(
        texts.DOWNLOAD_XLSX,
        data=lambda: measure_files.to_xlsx(frame, names),
        file_name=f"{name}.xlsx",
        mime=XLSX_MIME,
        on_click="ignore",
        key=f"dl_xlsx_{name}",
    )


def district_names() -> dict[str, str]:
    """District slug -> German name, in table order."""
    return _on_current(_cached_district_names)


@st.cache_data(max_entries=4, show_spinner=False)
def _cached_district_names(db_file: str) -> dict[str, str]:
    with _connection(db_file).cursor() as cursor:
        return read.district_names(cursor)


def measure_detail() -> None:
    """The measure named by the URL key ``massnahme``, above the page, with a close button."""
    from dortmund_kpi.views import measures as measure_views

    measure_id = st.session_state.get("massnahme")
    if not measure_id:
        return
    frame = measures()
    match = frame[frame["id"] == measure_id]
    if match.empty:
        st.info(texts.MEASURE_UNKNOWN.format(id=literal(measure_id)), icon="ℹ️")
        return
    info = measure_views.detail(
        match.iloc[0],
        query("measure_versions", measure_id),
        indicators(),
        city_statuses(*year_range()),
        district_names(),
        masterplans(),
    )
    with st.container(border=True, key="measure_detail"):
        st.subheader(f"{texts.MEASURE_DETAIL}: {literal_text(info.title)}")
        if info.overdue:
            st.error(texts.MEASURE_OVERDUE_SINCE.format(deadline=info.facts[3][1]))
        if info.demo:
            st.caption(f":orange-badge[{texts.DEMO_BADGE}] {texts.MEASURES_DEMO}")
        st.markdown(literal_text(info.description))
        st.markdown("\n".join(f"- **{k}:** {literal_text(v)}" for k, v in info.facts))
        st.markdown(f"**{texts.MEASURE_HISTORY}**")
        st.dataframe(info.history, hide_index=True)
        st.markdown(f"**{texts.MEASURE_LINKED_INDICATORS}**")
        for ind_id, name, status in info.indicators:
            left, right = st.columns([3, 2], vertical_alignment="center")
            with left:
                page_link("indikator", name, {"indikator": [ind_id]})
            right.markdown(status_badge(status))
        st.button(
            texts.MEASURE_CLOSE,
            key="measure_close",
            on_click=lambda: st.session_state.update(massnahme=None),
        )
