"""The floor of the stack for the masterplan benchmark: a Streamlit page on the same
DuckDB file drawing one plotly line chart (the city and the chosen districts of one
indicator), with a district filter in the sidebar. Started by
``benchmarks/plan_candidates.py`` as ``streamlit run floor_app.py -- DB``.
"""

import sys

import duckdb
import plotly.express as px
import streamlit as st

DB = sys.argv[1]
INDICATOR = "glasfaser_haushalte"


@st.cache_resource
def connection() -> duckdb.DuckDBPyConnection:
    return duckdb.connect(DB, read_only=True)


@st.cache_data
def districts() -> list[str]:
    rows = connection().cursor().execute("SELECT name FROM districts ORDER BY name").fetchall()
    return [r[0] for r in rows]


@st.cache_data
def series(names: tuple[str, ...]) -> object:
    sql = """SELECT o.period_end, coalesce(d.name, 'Dortmund') AS area, o.value
             FROM current_observations o LEFT JOIN districts d ON d.slug = o.area
             WHERE o.indicator_id = ? AND (o.area = 'dortmund' OR d.name IN (SELECT unnest(?)))
             ORDER BY o.period_end"""
    return connection().cursor().execute(sql, [INDICATOR, list(names)]).df()


st.title("Floor")
chosen = st.sidebar.multiselect("Stadtbezirke", districts())
frame = series(tuple(chosen))
st.plotly_chart(px.line(frame, x="period_end", y="value", color="area", height=320))
