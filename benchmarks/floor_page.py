"""The floor page: the least a Streamlit page on our database can cost.

``streamlit run benchmarks/floor_page.py -- DB``: one plotly line chart of one indicator
(``?indikator=``) for the city and one district (``?bezirk=``, a selectbox), read from
the same DuckDB file the dashboard serves. Nothing else: no navigation, no caches but
the connection (``st.cache_resource``), what a plain Streamlit app would do. The
benchmark compares every page of ours against this page (``benchmarks/floor.py``,
``benchmarks/concurrency.py``).

The selectbox follows the query string, so a visitor speaking the websocket protocol
changes the district as a link does, and a choice in the browser writes the URL.
"""

from __future__ import annotations

import sys

import duckdb
import plotly.graph_objects as go
import streamlit as st

CITY = "dortmund"
SERIES_SQL = """
SELECT area, period_start, value FROM current_observations
WHERE indicator_id = ? AND area IN (?, ?) ORDER BY area, period_start
"""


@st.cache_resource
def connection(path: str) -> duckdb.DuckDBPyConnection:
    return duckdb.connect(path, read_only=True)


def follow_url(districts: dict[str, str]) -> None:
    """Put the URL's district into the selectbox when the URL changed (a link, a rerun)."""
    wanted = st.query_params.get("bezirk", next(iter(districts)))
    if wanted not in districts:
        wanted = next(iter(districts))
    if st.session_state.get("from_url") != wanted:
        st.session_state["from_url"] = wanted
        st.session_state["district"] = wanted


def chosen() -> None:
    st.session_state["from_url"] = st.session_state["district"]
    st.query_params["bezirk"] = st.session_state["district"]


def main(db: str) -> None:
    # One cursor per run: sessions run in threads, a DuckDB connection is not thread-safe.
    con = connection(db).cursor()
    districts = dict(con.execute("SELECT slug, name FROM districts ORDER BY name").fetchall())
    indicator = st.query_params.get("indikator", "")
    st.title("Floor")
    follow_url(districts)
    district = st.selectbox(
        "Bezirk", list(districts), format_func=districts.get, key="district", on_change=chosen
    )
    rows = con.execute(SERIES_SQL, [indicator, CITY, district]).fetchall()
    figure = go.Figure()
    for area in (CITY, district):
        points = [(r[1], r[2]) for r in rows if r[0] == area]
        figure.add_trace(
            go.Scatter(
                x=[p[0] for p in points],
                y=[p[1] for p in points],
                mode="lines",
                name=districts.get(area, "Dortmund"),
            )
        )
    figure.update_layout(title=indicator, height=420)
    st.plotly_chart(figure)


main(sys.argv[1])
