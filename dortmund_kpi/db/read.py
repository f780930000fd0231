"""Read queries. Each takes a connection (or cursor) and returns a DataFrame.

Only values are bound; identifiers never come from users. The dashboard calls
these through ``dortmund_kpi.ui`` with one cursor per query.
"""

from __future__ import annotations

import duckdb
import pandas as pd

EXPORT_SQL = """
SELECT o.indicator_id, o.area, coalesce(d.name, 'Dortmund') AS area_name, o.period,
       o.period_type, o.value, o.note, o.source, o.is_official
FROM current_observations o
JOIN indicators i ON i.id = o.indicator_id
LEFT JOIN districts d ON d.slug = o.area
ORDER BY i.sort_order, o.indicator_id, coalesce(d.sort_order, -1), o.period_start, o.period
"""


def export_rows(con: duckdb.DuckDBPyConnection) -> pd.DataFrame:
    """All current observations in a stable order (catalog order, city first, by period)."""
    return con.execute(EXPORT_SQL).df()


def indicator_list(con: duckdb.DuckDBPyConnection) -> pd.DataFrame:
    return con.execute("SELECT * FROM indicators ORDER BY sort_order").df()


def district_list(con: duckdb.DuckDBPyConnection) -> pd.DataFrame:
    return con.execute("SELECT * FROM districts ORDER BY sort_order").df()


def counts(con: duckdb.DuckDBPyConnection) -> dict[str, int]:
    row = con.execute(
        """SELECT (SELECT count(*) FROM indicators), (SELECT count(*) FROM districts),
                  count(*) FILTER (WHERE is_official), count(*) FILTER (WHERE NOT is_official),
                  (SELECT count(*) FROM observations WHERE valid_to IS NOT NULL)
           FROM current_observations"""
    ).fetchall()[0]
    assert row is not None
    keys = ("indicators", "districts", "official", "demo", "revisions")
    return dict(zip(keys, (int(v) for v in row), strict=True))
