"""Read queries of the measures (Maßnahmen): as of a moment, one measure's history, and the
current ones for ``export --measures``. Written by ``db.write.apply_measures``; like the
observations, a changed measure keeps its earlier versions (``valid_to``).
"""

from __future__ import annotations

import duckdb
import pandas as pd

from dortmund_kpi.db.as_of import as_of_cte, instant

MEASURES_AS_OF = as_of_cte("ms", "measures")


def measures(con: duckdb.DuckDBPyConnection, as_of: object = None) -> pd.DataFrame:
    """All measures as of the moment, in masterplan order, then by deadline."""
    sql = f"""WITH {MEASURES_AS_OF}
    SELECT ms.* EXCLUDE (valid_to), p.short_name AS masterplan_name
    FROM ms JOIN masterplans p ON p.id = ms.masterplan
    ORDER BY p.sort_order, ms.deadline, ms.id"""
    return con.execute(sql, {"as_of": instant(as_of)}).df()


def measure_versions(
    con: duckdb.DuckDBPyConnection, measure_id: str, as_of: object = None
) -> pd.DataFrame:
    """Every version of one measure known at the moment, oldest first (its history)."""
    return con.execute(
        """SELECT status, status_date, valid_from, valid_to FROM measures
           WHERE id = $id AND (CAST($as_of AS TIMESTAMPTZ) IS NULL
                               OR valid_from <= CAST($as_of AS TIMESTAMPTZ))
           ORDER BY valid_from""",
        {"id": measure_id, "as_of": instant(as_of)},
    ).df()


def measure_export_rows(con: duckdb.DuckDBPyConnection) -> pd.DataFrame:
    """Current measures in a stable order, for ``export --measures``."""
    return con.execute(
        """SELECT m.* FROM measures m JOIN masterplans p ON p.id = m.masterplan
           WHERE m.valid_to IS NULL ORDER BY p.sort_order, m.id"""
    ).df()
