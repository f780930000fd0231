"""Aggregates of the current values, materialised with each published version.

``db.materialise.rebuild`` fills the tables of migration 9 in the transaction that
publishes a version, with the statements of ``db.read``; ``db.read`` answers from them
when they hold what a view asks for: the current values (no ``stand=``), and for the
range-bound tables the default years (``mat_meta``). Anything else is computed live, so
a pinned view or another range gives the same answer as before, only not precomputed.
"""

from __future__ import annotations

import duckdb
import pandas as pd

from dortmund_kpi.db.as_of import as_of_cte, instant

META_TABLE = "mat_meta"
CITY_SERIES_TABLE = "mat_city_series"
STATS_TABLE = "mat_series_stats"
FRESHNESS_TABLE = "mat_freshness"
PROFILE_TABLE = "mat_district_profile"
TABLES = (META_TABLE, CITY_SERIES_TABLE, STATS_TABLE, FRESHNESS_TABLE, PROFILE_TABLE)


def built_range(con: duckdb.DuckDBPyConnection, as_of: object) -> tuple[int, int] | None:
    """The default years the aggregates hold, if they answer a view "as of" ``as_of``:
    only the current values (``as_of`` None) of a version whose aggregates are built.

    None for a pinned view, a database before migration 9, or one whose aggregates were
    never built (the in-memory dry run): then every query is computed live.
    """
    if instant(as_of) is not None:
        return None
    try:
        rows = con.execute(f"SELECT year_from, year_to FROM {META_TABLE}").fetchall()
    except duckdb.CatalogException:
        return None
    return (int(rows[0][0]), int(rows[0][1])) if rows else None


def series_stats(con: duckdb.DuckDBPyConnection, *, city: bool) -> pd.DataFrame:
    """``db.read.series_stats`` of the default years, as materialised (same columns)."""
    sql = (
        f"SELECT * EXCLUDE (city) FROM {STATS_TABLE} WHERE city = $city ORDER BY indicator_id, area"
    )
    return con.execute(sql, {"city": city}).df()


def district_profile(con: duckdb.DuckDBPyConnection, slug: str) -> pd.DataFrame:
    """``db.read.district_profile`` of the default years, as materialised (without the
    deviation, which the caller adds either way)."""
    sql = (
        f"SELECT * EXCLUDE (area, sort_order) FROM {PROFILE_TABLE} WHERE area = $slug "
        "ORDER BY sort_order, period"
    )
    return con.execute(sql, {"slug": slug}).df()


# Per indicator: the newest period and when its values last changed. Materialised as it
# is; the catalog's columns are joined when read (they change only with a version, too).
FRESH_CTE = f"""{as_of_cte("obs", "observations")},
fresh AS (
  SELECT indicator_id, max(period_end) AS last_period_end,
         arg_max(period, period_end) AS last_period,
         arg_max(period_type, period_end) AS last_period_type, max(valid_from) AS updated,
         bool_or(is_official) AS any_official, bool_or(NOT is_official) AS any_demo
  FROM obs GROUP BY indicator_id
)"""
_FRESHNESS_SELECT = """
SELECT i.id AS indicator_id, i.masterplan, i.short_name, i.frequency,
       f.* EXCLUDE (indicator_id)
FROM indicators i LEFT JOIN {source} f ON f.indicator_id = i.id ORDER BY i.sort_order"""
FRESHNESS_SQL = f"WITH {FRESH_CTE}{_FRESHNESS_SELECT.format(source='fresh')}"
FRESHNESS_BUILT = _FRESHNESS_SELECT.format(source=FRESHNESS_TABLE)
