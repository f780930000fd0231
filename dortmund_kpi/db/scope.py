"""Public mode: a read connection that holds only what the city publishes.

``serve --oeffentlich`` (setting ``DORTMUND_KPI_OEFFENTLICH``) opens every read connection
of the process through ``public_connection``: an in-memory database that attaches the
published version read-only and shows each table under its own name as a view without
internal items. Every read query, page, link check, download and slide runs on it, so no
page can forget the filter, and an internal id is as unknown as any other.

- Indicators: only ``visibility = 'oeffentlich'`` (catalog field); their values, the
  values of other municipalities (``peer_observations``), mappings and links elsewhere
  go with them.
- The import log: only when and with which outcome (counts, files, people, messages
  could tell of internal items).
- Measures and trends: only ids whose *current* version is public (the current decision
  counts for their whole history, so a pinned link shows no item since made internal);
  their lists of indicators and measures keep only public ones.
"""

from __future__ import annotations

from pathlib import Path

import duckdb

from dortmund_kpi.db.aggregates import (
    CITY_SERIES_TABLE,
    FRESHNESS_TABLE,
    PROFILE_TABLE,
    STATS_TABLE,
)

PUBLIC = "oeffentlich"
SOURCE = "src"  # the alias of the attached published version
# Table -> the SELECT its public view shows (``src`` is the attached version; an unnamed
# table is shown as it is). Constants of this module, never user input.
PUBLIC_VIEWS = {
    "indicators": f"SELECT * FROM src.indicators WHERE visibility = '{PUBLIC}'",
    "observations": "SELECT * FROM src.observations WHERE indicator_id IN "
    "(SELECT id FROM indicators)",
    # When and with what outcome, not what: row counts would tell how many internal items
    # exist, file names, people and messages may name them.
    "import_log": """SELECT * REPLACE (NULL::BIGINT AS rows_read, NULL::BIGINT AS inserted,
            NULL::BIGINT AS changed, NULL::BIGINT AS unchanged, '' AS user_name, '' AS files,
            '' AS sha256, NULL::VARCHAR AS message) FROM src.import_log""",
    "import_mappings": "SELECT * FROM src.import_mappings WHERE indicator_id IN "
    "(SELECT id FROM indicators)",
    "peer_observations": "SELECT * FROM src.peer_observations WHERE indicator_id IN "
    "(SELECT id FROM indicators)",
    "measures": f"""SELECT m.* REPLACE (
            list_filter(m.indicators, lambda x: list_contains(p.ids, x)) AS indicators)
        FROM src.measures m,
             (SELECT coalesce(list(id), []) AS ids FROM indicators) p
        WHERE m.id IN (SELECT id FROM src.measures
                       WHERE valid_to IS NULL AND visibility = '{PUBLIC}')""",
    # The aggregates of the version (``db.aggregates``): per indicator, so only public ones.
    **{
        table: f"SELECT * FROM src.{table} WHERE indicator_id IN (SELECT id FROM indicators)"
        for table in (CITY_SERIES_TABLE, STATS_TABLE, FRESHNESS_TABLE, PROFILE_TABLE)
    },
    "trends": f"""SELECT t.* REPLACE (
            list_filter(t.indicators, lambda x: list_contains(p.ids, x)) AS indicators,
            list_filter(t.measures, lambda x: list_contains(q.ids, x)) AS measures)
        FROM src.trends t,
             (SELECT coalesce(list(id), []) AS ids FROM indicators) p,
             (SELECT coalesce(list(DISTINCT id), []) AS ids FROM measures) q
        WHERE t.id IN (SELECT id FROM src.trends
                       WHERE valid_to IS NULL AND visibility = '{PUBLIC}')""",
}


def public_connection(file: Path, config: dict[str, object]) -> duckdb.DuckDBPyConnection:
    """A read-only connection to ``file`` that shows only public items (see module doc)."""
    settings = {k: v for k, v in config.items() if k != "enable_external_access"}
    con = duckdb.connect(":memory:", config=settings)
    try:
        con.execute(f"ATTACH ? AS {SOURCE} (READ_ONLY)", [str(file)])
        # File access from SQL off once the version is attached (as on every read connection).
        con.execute("SET enable_external_access = false")
        tables = con.execute(
            "SELECT table_name FROM duckdb_tables() WHERE database_name = ? ORDER BY table_name",
            [SOURCE],
        ).fetchall()
        order = {name: n for n, name in enumerate(PUBLIC_VIEWS)}  # indicators before the rest
        for (name,) in sorted(tables, key=lambda row: order.get(row[0], -1)):
            body = PUBLIC_VIEWS.get(name, f"SELECT * FROM {SOURCE}.{name}")
            con.execute(f"CREATE VIEW {name} AS {body}")
        views = con.execute(
            "SELECT sql FROM duckdb_views() WHERE database_name = ? AND NOT internal", [SOURCE]
        ).fetchall()
        for (sql,) in views:  # e.g. current_observations, now over the public views
            con.execute(sql)
    except Exception:
        con.close()
        raise
    return con
