"""Build the aggregates of the current values (``db.aggregates``) for a new version.

``Store.write`` calls ``rebuild`` after the writer's changes and before the commit, in
the same transaction: a version is published with the aggregates of exactly its values,
and a failed write leaves the published version (and its aggregates) as they were. Each
table is filled with the statement ``db.read`` runs live, with the parameters of the
default view (the current values, the years of ``db.read.data_range``).
"""

from __future__ import annotations

import duckdb

from dortmund_kpi.db import aggregates, read


def rebuild(con: duckdb.DuckDBPyConnection) -> None:
    """Replace every aggregate with one computed from the values of ``con``'s version."""
    for table in aggregates.TABLES:
        con.execute(f"DELETE FROM {table}")
    year_from, year_to = read.data_range(con)
    current = {"as_of": None}
    window = {**current, "year_from": year_from, "year_to": year_to}
    con.execute(
        f"INSERT INTO {aggregates.CITY_SERIES_TABLE} "
        f"WITH {read.CITY_SERIES} SELECT * FROM city_series",
        current,
    )
    # The statistics read the city series just built, as a current view does.
    for city in (True, False):
        con.execute(
            f"INSERT INTO {aggregates.STATS_TABLE} SELECT $city AS city, * "
            f"FROM ({read.STATS_SQL[city, True]})",
            {**window, "city": city},
        )
    con.execute(
        f"INSERT INTO {aggregates.FRESHNESS_TABLE} WITH {aggregates.FRESH_CTE} SELECT * FROM fresh",
        current,
    )
    con.execute(f"INSERT INTO {aggregates.PROFILE_TABLE} {read.PROFILES_SQL}", window)
    con.execute(
        f"INSERT INTO {aggregates.META_TABLE} VALUES ($year_from, $year_to)",
        {"year_from": year_from, "year_to": year_to},
    )
