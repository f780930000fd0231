"""The queries of the consistency checks (``dortmund-kpi check`` and restore).

Only the SQL lives here, so that all SQL of the product stays in ``db/``; what
each check is called, how a problem is worded and what the exit code is stays
with the command in ``dortmund_kpi.ops.backup``, which names a query by its key.

Every query returns one row per problem with a column ``detail`` naming it
(indicator/area/period and what is wrong), so one wrapper can count the
problems and pick the first few as examples.
"""

from __future__ import annotations

from typing import NamedTuple

import duckdb

from dortmund_kpi.trends import FIELDS, RINGS, VISIBILITIES

KEY = "o.indicator_id || '/' || o.area || '/' || o.period"


def _num(expr: str) -> str:
    """SQL for a number as German text: 134,5; 100; nan."""
    return f"replace(regexp_replace(CAST({expr} AS VARCHAR), '\\.0$', ''), '.', ',')"


def _moment(expr: str) -> str:
    """SQL for a moment as Berlin wall-clock text (the session's time zone is UTC)."""
    return f"strftime(timezone('Europe/Berlin', {expr}), '%d.%m.%Y %H:%M:%S')"


def _span(row: str) -> str:
    """SQL for a revision's validity as text: '25.10.2026 02:30:00 bis heute'."""
    return (
        f"{_moment(f'{row}.valid_from')} || ' bis ' "
        f"|| coalesce({_moment(f'{row}.valid_to')}, 'heute')"
    )


def _history(table: str) -> str:
    """SQL naming the items of ``table`` (a fixed name of ours, never input) with several
    current states or a state whose validity ends before it begins."""
    return f"""SELECT id AS detail FROM {table} WHERE valid_to IS NULL GROUP BY id
        HAVING count(*) > 1
        UNION ALL
        SELECT id || ' (' || {_span("h")} || ')' FROM {table} h
        WHERE valid_to IS NOT NULL AND valid_to <= valid_from"""


OBSERVATION_QUERIES: dict[str, str] = {
    "unknown_indicator": f"""SELECT {KEY} AS detail FROM observations o
        WHERE NOT EXISTS (SELECT 1 FROM indicators i WHERE i.id = o.indicator_id)""",
    "unknown_area": f"""SELECT {KEY} AS detail FROM observations o WHERE o.area <> 'dortmund'
        AND NOT EXISTS (SELECT 1 FROM districts d WHERE d.slug = o.area)""",
    "city_indicator_in_district": f"""SELECT {KEY} AS detail FROM observations o JOIN indicators i
        ON i.id = o.indicator_id WHERE i.level = 'city' AND o.area <> 'dortmund'""",
    "unlogged_import": f"""SELECT {KEY} || ' (import_id ' || o.import_id || ')' AS detail
        FROM observations o
        WHERE NOT EXISTS (SELECT 1 FROM import_log l WHERE l.import_id = o.import_id)""",
    "unknown_masterplan": """SELECT i.id || ' (' || i.masterplan || ')' AS detail FROM indicators i
        WHERE NOT EXISTS (SELECT 1 FROM masterplans m WHERE m.id = i.masterplan)""",
    "several_current_values": f"""SELECT {KEY} || ' (' || count(*) || ' aktuelle Werte)' AS detail
        FROM observations o WHERE o.valid_to IS NULL
        GROUP BY o.indicator_id, o.area, o.period HAVING count(*) > 1""",
    "validity_reversed": f"""SELECT {KEY} || ' (' || {_span("o")} || ')'
        AS detail FROM observations o
        WHERE o.valid_to IS NOT NULL AND o.valid_to <= o.valid_from""",
    "overlapping_revisions": f"""WITH o AS (
          SELECT rowid AS rid, * FROM observations
          WHERE valid_to IS NULL OR valid_from < valid_to)
        SELECT {KEY} || ' (' || {_span("o")} || ' und ' || {_span("p")} || ')' AS detail
        FROM o JOIN o AS p ON p.indicator_id = o.indicator_id AND p.area = o.area
          AND p.period = o.period AND o.rid < p.rid
        WHERE (o.valid_to IS NOT NULL OR p.valid_to IS NOT NULL)
          AND o.valid_from < coalesce(p.valid_to, 'infinity'::TIMESTAMPTZ)
          AND p.valid_from < coalesce(o.valid_to, 'infinity'::TIMESTAMPTZ)""",
    "non_finite_value": f"""SELECT {KEY} || ' (' || {_num("o.value")} || ')' AS detail
        FROM observations o WHERE NOT isfinite(o.value)""",
    "value_out_of_bounds": f"""SELECT {KEY} || ' = ' || {_num("o.value")} || ' (erlaubt '
               || coalesce({_num("i.min_value")}, '–') || ' bis '
               || coalesce({_num("i.max_value")}, '–') || ' ' || i.unit || ')' AS detail
        FROM observations o JOIN indicators i ON i.id = o.indicator_id
        WHERE o.valid_to IS NULL AND isfinite(o.value)
          AND (o.value < i.min_value OR o.value > i.max_value)""",
    "invalid_period": f"""SELECT {KEY} AS detail FROM observations o
        WHERE o.period_type NOT IN ('Y', 'Q', 'M', 'D') OR o.period_start > o.period_end""",
}

MEASURE_QUERIES: dict[str, str] = {
    "measure_unknown_indicator": """SELECT m.id || ' -> ' || u.indicator AS detail
        FROM measures m, unnest(m.indicators) AS u(indicator)
        WHERE m.valid_to IS NULL
          AND NOT EXISTS (SELECT 1 FROM indicators i WHERE i.id = u.indicator)""",
    "measure_unknown_district": """SELECT m.id || ' -> ' || u.area AS detail
        FROM measures m, unnest(m.districts) AS u(area)
        WHERE m.valid_to IS NULL
          AND NOT EXISTS (SELECT 1 FROM districts d WHERE d.slug = u.area)""",
    "measure_masterplan_or_deadline": """SELECT m.id AS detail FROM measures m
        WHERE m.deadline < m.start_date
        OR NOT EXISTS (SELECT 1 FROM masterplans p WHERE p.id = m.masterplan)""",
    "measure_history": _history("measures"),
    "measure_unlogged_import": """SELECT m.id || ' (import_id ' || m.import_id || ')' AS detail
        FROM measures m
        WHERE NOT EXISTS (SELECT 1 FROM import_log l WHERE l.import_id = m.import_id)""",
}

TREND_QUERIES: dict[str, str] = {
    "trend_unknown_link": """SELECT t.id || ' -> ' || u.indicator AS detail
        FROM trends t, unnest(t.indicators) AS u(indicator)
        WHERE t.valid_to IS NULL
          AND NOT EXISTS (SELECT 1 FROM indicators i WHERE i.id = u.indicator)
        UNION ALL
        SELECT t.id || ' -> ' || u.measure FROM trends t, unnest(t.measures) AS u(measure)
        WHERE t.valid_to IS NULL
          AND NOT EXISTS (SELECT 1 FROM measures m WHERE m.id = u.measure)
        UNION ALL
        SELECT t.id || ' -> ' || u.plan FROM trends t, unnest(t.masterplans) AS u(plan)
        WHERE t.valid_to IS NULL
          AND NOT EXISTS (SELECT 1 FROM masterplans p WHERE p.id = u.plan)""",
    "trend_values": """SELECT t.id || ' (' || t.ring || ', ' || t.field || ', '
               || t.visibility || ')' AS detail
        FROM trends t WHERE t.valid_to IS NULL
          AND (NOT list_contains($rings, t.ring) OR NOT list_contains($fields, t.field)
               OR NOT list_contains($visibilities, t.visibility))""",
    "trend_history": _history("trends"),
    "trend_unlogged_import": """SELECT t.id || ' (import_id ' || t.import_id || ')' AS detail
        FROM trends t
        WHERE NOT EXISTS (SELECT 1 FROM import_log l WHERE l.import_id = t.import_id)""",
}

QUERIES: dict[str, str] = {**OBSERVATION_QUERIES, **MEASURE_QUERIES, **TREND_QUERIES}
# The vocabularies a query compares with, bound as parameters (they live in Python).
QUERY_PARAMETERS: dict[str, dict[str, object]] = {
    "trend_values": {
        "rings": list(RINGS),
        "fields": list(FIELDS),
        "visibilities": list(VISIBILITIES),
    },
}


_COUNTED = "SELECT count(*), (list(detail ORDER BY detail))[1:$examples] FROM ({problems}) AS c"


class Problems(NamedTuple):
    """What one check found: how many problems, and the first few by name (sorted)."""

    count: int
    examples: tuple[str, ...]


def problems(con: duckdb.DuckDBPyConnection, query: str, *, examples: int = 5) -> Problems:
    """Run the check ``query`` (a key of ``QUERIES``); count its rows and name the first few.

    Runs in a cursor of its own, so a failing check (say, a missing table) leaves
    the caller's connection usable for the next one. DuckDB errors propagate: the
    caller reports a check that cannot run as a finding of its own.
    """
    sql = _COUNTED.format(problems=QUERIES[query])
    with con.cursor() as cur:
        params = {"examples": examples, **QUERY_PARAMETERS.get(query, {})}
        count, names = cur.execute(sql, params).fetchall()[0]
    return Problems(int(count), tuple(names or ()))
