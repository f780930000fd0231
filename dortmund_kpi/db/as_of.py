"""Versioned reads: the rows of a table valid "as of" a moment.

Every query sees the data as of a moment: ``$as_of`` NULL means the current values; an
instant means the values that were valid then (pinned links). Observations, measures
and trends keep their versions the same way (``valid_from``/``valid_to``).
"""

from __future__ import annotations

from datetime import datetime

import pandas as pd

from dortmund_kpi import clock


def instant(as_of: object) -> datetime | None:
    """What ``$as_of`` binds: an instant; a naive moment is Berlin time (as in ``stand=``)."""
    ok = isinstance(as_of, datetime) and not pd.isna(as_of)
    return clock.instant(as_of) if ok else None  # type: ignore[arg-type]


def as_of_cte(name: str, table: str, *, window: bool = False) -> str:
    """A CTE ``name`` of the rows of a versioned ``table`` valid at ``$as_of`` (NULL: the
    current ones); with ``window`` only the years ``$year_from``..``$year_to``. Both names
    are constants of the calling module, never user input."""
    materialized = " NOT MATERIALIZED" if window else ""
    years = "\n    AND year(period_end) BETWEEN $year_from AND $year_to" if window else ""
    return f"""
{name} AS{materialized} (
  SELECT * FROM {table}
  WHERE CASE WHEN CAST($as_of AS TIMESTAMPTZ) IS NULL THEN valid_to IS NULL
             ELSE valid_from <= CAST($as_of AS TIMESTAMPTZ)
                  AND (valid_to IS NULL OR valid_to > CAST($as_of AS TIMESTAMPTZ)) END{years}
)"""
