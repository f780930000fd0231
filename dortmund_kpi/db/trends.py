"""SQL of the trends (Technologiescout): versioned writes and the reads of the radar.

Trends keep their history like measures: a changed row closes the current version
(``valid_to``) and adds a new one; identical rows stay as they are.
"""

from __future__ import annotations

from datetime import datetime

import duckdb
import pandas as pd

from dortmund_kpi.db.as_of import as_of_cte, instant
from dortmund_kpi.db.write import LoadCounts

TREND_COLUMNS = (
    "id",
    "name",
    "description",
    "field",
    "masterplans",
    "ring",
    "assessed_on",
    "reason",
    "owner",
    "measures",
    "indicators",
    "sources",
    "visibility",
    "is_official",
)
_LISTED = ", ".join(TREND_COLUMNS)
# Everything but the bookkeeping: a row that differs in any of these is a new version.
_SAME = " AND ".join(f"t.{c} IS NOT DISTINCT FROM s.{c}" for c in TREND_COLUMNS)
_LISTS = ("masterplans", "measures", "indicators", "sources")
_STAGED = ", ".join(
    f"CAST(s.{c} AS VARCHAR[]) AS {c}"
    if c in _LISTS
    else ("CAST(s.assessed_on AS DATE) AS assessed_on" if c == "assessed_on" else f"s.{c}")
    for c in TREND_COLUMNS
)
TRENDS_AS_OF = as_of_cte("tr", "trends")


def apply_trends(
    con: duckdb.DuckDBPyConnection, table: pd.DataFrame, import_id: int, at: datetime
) -> LoadCounts:
    """Insert new trends, version changed ones (history kept), leave identical ones alone."""
    con.register("trends_frame", table[list(TREND_COLUMNS)])
    try:
        con.execute(
            f"CREATE OR REPLACE TEMP TABLE staged_trends AS SELECT {_STAGED} FROM trends_frame s"
        )
    finally:
        con.unregister("trends_frame")
    counts = con.execute(
        f"""SELECT count(*) FILTER (WHERE t.id IS NULL),
                   count(*) FILTER (WHERE t.id IS NOT NULL AND NOT ({_SAME})),
                   count(*) FILTER (WHERE t.id IS NOT NULL AND {_SAME})
            FROM staged_trends s LEFT JOIN trends t ON t.id = s.id AND t.valid_to IS NULL"""
    ).fetchall()[0]
    con.execute(
        f"""UPDATE trends AS t SET valid_to = $at FROM staged_trends s
            WHERE t.valid_to IS NULL AND t.id = s.id AND NOT ({_SAME})""",
        {"at": at},
    )
    con.execute(
        f"""INSERT INTO trends SELECT {_LISTED}, $import_id, $at, NULL FROM staged_trends s
            WHERE NOT EXISTS (SELECT 1 FROM trends t WHERE t.id = s.id AND t.valid_to IS NULL)""",
        {"import_id": import_id, "at": at},
    )
    con.execute("DROP TABLE staged_trends")
    return LoadCounts(inserted=counts[0], changed=counts[1], unchanged=counts[2])


def current_trends(con: duckdb.DuckDBPyConnection) -> pd.DataFrame:
    """The current trend rows with all columns (for a dry-run copy and the export)."""
    return con.execute("SELECT * FROM trends WHERE valid_to IS NULL ORDER BY id").df()


def restore_trends(con: duckdb.DuckDBPyConnection, rows: pd.DataFrame) -> None:
    con.register("trend_rows", rows)
    try:
        casts = ", ".join(f"CAST({c} AS VARCHAR[]) AS {c}" for c in _LISTS)
        con.execute(f"INSERT INTO trends SELECT * REPLACE ({casts}) FROM trend_rows")
    finally:
        con.unregister("trend_rows")


def trends(con: duckdb.DuckDBPyConnection, as_of: object = None) -> pd.DataFrame:
    """All trends as of the moment, by field and name (the radar and its list)."""
    sql = f"WITH {TRENDS_AS_OF} SELECT tr.* EXCLUDE (valid_to) FROM tr ORDER BY field, name, id"
    return con.execute(sql, {"as_of": instant(as_of)}).df()


def trend_versions(con: duckdb.DuckDBPyConnection, as_of: object = None) -> pd.DataFrame:
    """Every version of every trend known at the moment (ring history, last review)."""
    return con.execute(
        """SELECT id, ring, assessed_on, reason, valid_from FROM trends
           WHERE CAST($as_of AS TIMESTAMPTZ) IS NULL
              OR valid_from <= CAST($as_of AS TIMESTAMPTZ)
           ORDER BY id, valid_from""",
        {"as_of": instant(as_of)},
    ).df()


def measure_ids(con: duckdb.DuckDBPyConnection) -> set[str]:
    """Ids of all measures ever stored (a trend may link to a finished pilot)."""
    return {row[0] for row in con.execute("SELECT DISTINCT id FROM measures").fetchall()}
