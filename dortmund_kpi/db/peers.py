"""Peer regions and their values: the SQL of the comparison with other municipalities.

``regions`` holds municipalities and Kreise by official key (AGS) with name, Kreis,
Regierungsbezirk and population; ``peer_observations`` one current value per indicator,
region and period (a re-import replaces it). Dortmund's own values stay in
``observations``: the comparison reads the city's series from there, so a page never
shows two different Dortmund values. Every value is a bound parameter.
"""

from __future__ import annotations

from datetime import datetime

import duckdb
import pandas as pd

from dortmund_kpi.db.read import CITY_SERIES

REGION_COLUMNS = (
    "ags",
    "name",
    "kreis",
    "regierungsbezirk",
    "population",
    "population_date",
    "area_km2",
    "source",
)
PEER_COLUMNS = ("indicator_id", "ags", "period", "value", "source", "is_official")
REGION_KEY = ("ags",)  # the tables' primary keys
PEER_KEY = ("indicator_id", "ags", "period")


def _insert(
    con: duckdb.DuckDBPyConnection,
    table: str,
    columns: tuple[str, ...],
    key: tuple[str, ...],
    frame: pd.DataFrame,
) -> None:
    """``INSERT OR REPLACE`` of ``frame``'s ``columns`` into ``table`` (a constant of this
    module) in one statement: row by row, ``init``'s thousand rows took five seconds. Of
    two rows with one ``key``, the later wins, as it did row by row (one statement may
    not write a key twice)."""
    if frame.empty:
        return
    rows = frame[list(columns)].drop_duplicates(subset=list(key), keep="last")
    names = ", ".join(columns)
    con.register("incoming_rows", rows)
    try:
        con.execute(f"INSERT OR REPLACE INTO {table} ({names}) SELECT {names} FROM incoming_rows")
    finally:
        con.unregister("incoming_rows")


def put_regions(con: duckdb.DuckDBPyConnection, regions: pd.DataFrame) -> int:
    """Insert or update regions (columns ``REGION_COLUMNS``); the number written."""
    _insert(con, "regions", REGION_COLUMNS, REGION_KEY, regions)
    return len(regions)


def put_peer_values(
    con: duckdb.DuckDBPyConnection, values: pd.DataFrame, loaded_at: datetime
) -> int:
    """Insert or replace peer values (columns ``PEER_COLUMNS``); the number written."""
    rows = values[list(PEER_COLUMNS)].assign(loaded_at=loaded_at)
    _insert(con, "peer_observations", (*PEER_COLUMNS, "loaded_at"), PEER_KEY, rows)
    return len(rows)


def regions(con: duckdb.DuckDBPyConnection) -> pd.DataFrame:
    """Every region, by key."""
    return con.execute("SELECT * FROM regions ORDER BY ags").df()


def peer_indicators(con: duckdb.DuckDBPyConnection) -> list[str]:
    """The indicators with values of other regions, in catalog order."""
    sql = """SELECT i.id FROM indicators i
             WHERE i.peers <> 'none'
               AND EXISTS (SELECT 1 FROM peer_observations p WHERE p.indicator_id = i.id)
             ORDER BY i.sort_order"""
    return [row[0] for row in con.execute(sql).fetchall()]


def peer_values(
    con: duckdb.DuckDBPyConnection, indicator_id: str, as_of: object = None
) -> pd.DataFrame:
    """The values of other regions for one indicator, with their region's facts; with
    ``as_of`` only those loaded by then (peer values keep no revisions: a re-import
    replaces them)."""
    sql = """SELECT p.ags, coalesce(r.name, p.ags) AS name, r.kreis, r.regierungsbezirk,
                    r.population, r.population_date, r.area_km2, p.period, p.value,
                    p.source, p.is_official, p.loaded_at
             FROM peer_observations p LEFT JOIN regions r ON r.ags = p.ags
             WHERE p.indicator_id = $id
               AND (CAST($as_of AS TIMESTAMPTZ) IS NULL
                    OR p.loaded_at <= CAST($as_of AS TIMESTAMPTZ))
             ORDER BY p.period, p.ags"""
    return con.execute(sql, {"id": indicator_id, "as_of": as_of}).df()


def city_values(
    con: duckdb.DuckDBPyConnection, indicator_id: str, as_of: object = None
) -> pd.DataFrame:
    """Dortmund's city values of one indicator (stored or derived) valid at ``as_of``
    (None: the current ones), all periods."""
    sql = f"""WITH {CITY_SERIES}
    SELECT period, period_end, value, source, is_official, valid_from
    FROM city_series WHERE indicator_id = $id ORDER BY period_end, period"""
    return con.execute(sql, {"id": indicator_id, "as_of": as_of}).df()
