"""Write validated data into a (new, unpublished) database version.

Called inside ``Store.write()``: everything here runs in one transaction on a
copy, so a failure publishes nothing. Observations keep their history: a
changed value closes the current row (``valid_to``) and adds a new one.
"""

from __future__ import annotations

import getpass
import os
from dataclasses import dataclass
from datetime import datetime, timedelta

import duckdb
import pandas as pd
import pyarrow as pa

from dortmund_kpi import clock
from dortmund_kpi.catalog import Catalog, stored_values
from dortmund_kpi.districts import District
from dortmund_kpi.fields import INDICATOR_COLUMNS

STAGED_COLUMNS = (
    "indicator_id, area, period, period_type, period_start, period_end, value, note, source, "
    "is_official"
)
STAGED_NAMES = [c.strip() for c in STAGED_COLUMNS.split(",")]
# By name: the columns come from the catalog's field declaration (code, not input); the
# values are bound parameters.
_INDICATOR_TARGETS = (*INDICATOR_COLUMNS, "sort_order")
INSERT_INDICATOR = (
    f"INSERT OR REPLACE INTO indicators ({', '.join(_INDICATOR_TARGETS)}) "
    f"VALUES ({', '.join('?' * len(_INDICATOR_TARGETS))})"
)


@dataclass(frozen=True)
class LoadCounts:
    inserted: int
    changed: int
    unchanged: int


def current_user() -> str:
    try:
        return os.environ.get("DORTMUND_KPI_USER") or getpass.getuser()
    except (KeyError, OSError):
        return "unbekannt"


def sync_reference(
    con: duckdb.DuckDBPyConnection, catalog: Catalog, districts: list[District]
) -> None:
    """Copy catalog and district table into the database (the files stay the source of truth)."""
    _insert_rows(
        con,
        "INSERT OR REPLACE INTO masterplans VALUES (?, ?, ?, ?, ?)",
        [
            [plan.id, plan.name, plan.short_name, plan.description, order]
            for order, plan in enumerate(catalog.masterplans)
        ],
    )
    _insert_rows(
        con,
        "INSERT OR REPLACE INTO districts VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
        [
            [
                d.slug,
                d.name,
                d.code,
                d.area_km2,
                d.population,
                d.population_date,
                d.lat,
                d.lon,
                d.source_url,
                order,
            ]
            for order, d in enumerate(districts)
        ],
    )
    _insert_rows(
        con,
        INSERT_INDICATOR,
        [[*stored_values(i).values(), order] for order, i in enumerate(catalog.indicators)],
    )


def _insert_rows(con: duckdb.DuckDBPyConnection, sql: str, rows: list[list[object]]) -> None:
    """``sql`` (ending in one ``VALUES (?, ...)`` group) for all rows in one statement:
    a statement per row cost a third of a second of every import. Only placeholders are
    repeated; the values stay bound parameters."""
    if not rows:
        return
    head, group = sql.rsplit("(", 1)
    placeholders = ", ".join(["(" + group] * len(rows))
    con.execute(head + placeholders, [value for row in rows for value in row])


def apply_observations(
    con: duckdb.DuckDBPyConnection,
    observations: pd.DataFrame | pa.Table,
    import_id: int,
    at: datetime,
) -> LoadCounts:
    """Insert new keys, revise changed values, leave identical ones alone.

    ``observations`` is a pyarrow table when the import's fast path checked the file:
    DuckDB scans it without converting a million Python strings."""
    con.register("staged_frame", _columns(observations, STAGED_NAMES))
    try:
        counts = _staged_counts(con)
        if counts[1] or counts[2]:
            con.execute(
                f"CREATE OR REPLACE TEMP TABLE staged AS SELECT {STAGED_COLUMNS} FROM staged_frame"
            )
            _revise_staged(con, import_id, at)
            con.execute("DROP TABLE staged")
        else:
            # No key is stored yet (new series, a first import): every row is new, so the
            # revision UPDATE and the NOT EXISTS check would find nothing; the frame is
            # inserted as it is, without a staging copy.
            con.execute(
                f"INSERT INTO observations SELECT {STAGED_COLUMNS}, $import_id, $at, NULL "
                "FROM staged_frame",
                {"import_id": import_id, "at": at},
            )
    finally:
        con.unregister("staged_frame")
    return LoadCounts(inserted=counts[0], changed=counts[1], unchanged=counts[2])


def _columns(observations: pd.DataFrame | pa.Table, names: list[str]) -> pd.DataFrame | pa.Table:
    """These columns of a frame or an Arrow table (the fast path's), without copying."""
    if isinstance(observations, pa.Table):
        return observations.select(names)
    return observations[names]


def demo_over_official(
    con: duckdb.DuckDBPyConnection, observations: pd.DataFrame | pa.Table, limit: int = 20
) -> pd.DataFrame:
    """Demo rows of ``observations`` at keys whose current value is official (file, line,
    key, the official value and its source), at most ``limit``: a demo value must never
    replace an official one."""
    names = observations.column_names if isinstance(observations, pa.Table) else observations
    where = ["file", "line"] if {"file", "line"} <= set(names) else []
    con.register("incoming_frame", _columns(observations, [*STAGED_NAMES, *where]))
    try:
        located = "i.file, i.line" if where else "NULL AS file, NULL AS line"
        return con.execute(
            f"SELECT {located}, i.indicator_id, i.area, i.period, c.value, c.source "
            "FROM incoming_frame i JOIN current_observations c "
            "USING (indicator_id, area, period) "
            "WHERE NOT i.is_official AND c.is_official ORDER BY 1, 2 LIMIT ?",
            [limit],
        ).df()
    finally:
        con.unregister("incoming_frame")


def _staged_counts(con: duckdb.DuckDBPyConnection) -> tuple[int, int, int]:
    """New keys, changed values and identical rows of ``staged_frame``."""
    row = con.execute(
        """SELECT count(*) FILTER (WHERE NOT matched),
                  count(*) FILTER (WHERE matched AND NOT same),
                  count(*) FILTER (WHERE same)
           FROM (
             SELECT o.indicator_id IS NOT NULL AS matched,
                    coalesce(o.value = s.value AND o.note IS NOT DISTINCT FROM s.note
                             AND o.source IS NOT DISTINCT FROM s.source
                             AND o.is_official = s.is_official, false) AS same
             FROM staged_frame s LEFT JOIN current_observations o
               ON o.indicator_id = s.indicator_id AND o.area = s.area AND o.period = s.period
           )"""
    ).fetchall()[0]
    return int(row[0]), int(row[1]), int(row[2])


def _revise_staged(con: duckdb.DuckDBPyConnection, import_id: int, at: datetime) -> None:
    """Close the current rows whose value changed; insert the staged rows of new keys
    and of changed ones (identical rows stay as they are)."""
    con.execute(
        """UPDATE observations AS o SET valid_to = $at
           FROM staged s
           WHERE o.valid_to IS NULL AND o.indicator_id = s.indicator_id AND o.area = s.area
             AND o.period = s.period
             AND NOT (o.value = s.value AND o.note IS NOT DISTINCT FROM s.note
                      AND o.source IS NOT DISTINCT FROM s.source
                      AND o.is_official = s.is_official)""",
        {"at": at},
    )
    con.execute(
        f"""INSERT INTO observations
            SELECT {STAGED_COLUMNS}, $import_id, $at, NULL FROM staged s
            WHERE NOT EXISTS (
              SELECT 1 FROM current_observations o
              WHERE o.indicator_id = s.indicator_id AND o.area = s.area AND o.period = s.period)""",
        {"import_id": import_id, "at": at},
    )


# The newest moment the database holds: of any revision, opened or closed, and any import.
LATEST_MOMENT = """SELECT greatest(
    (SELECT max(valid_from) FROM observations), (SELECT max(valid_to) FROM observations),
    (SELECT max(valid_from) FROM measures), (SELECT max(valid_to) FROM measures),
    (SELECT max(valid_from) FROM trends), (SELECT max(valid_to) FROM trends),
    (SELECT max(started_at) FROM import_log), (SELECT max(finished_at) FROM import_log))"""
TICK = timedelta(microseconds=1)  # the resolution of TIMESTAMPTZ


def next_moment(con: duckdb.DuckDBPyConnection) -> datetime:
    """The moment of a new version: now, but after every moment already recorded.

    A new value's moment is both its ``valid_from`` and the ``valid_to`` of the value
    it replaces, so versions must get moments in the order they are written. The
    system clock does not promise that (an NTP step back; before instants, the hour
    repeated in autumn): then the version is recorded one microsecond after the
    newest, and a revision never ends before it began. Called under the writer lock,
    so no other version is written meanwhile.
    """
    latest = con.execute(LATEST_MOMENT).fetchall()[0][0]
    now = clock.now()
    return now if latest is None or now > latest else latest + TICK


def next_import_id(con: duckdb.DuckDBPyConnection) -> int:
    row = con.execute("SELECT coalesce(max(import_id), 0) + 1 FROM import_log").fetchall()[0]
    return int(row[0]) if row else 1


def log_import(
    con: duckdb.DuckDBPyConnection,
    import_id: int,
    *,
    started: datetime,
    files: list[tuple[str, str]],
    rows_read: int,
    counts: LoadCounts,
    outcome: str = "ok",
    message: str | None = None,
    user: str | None = None,
) -> None:
    """One import-log row: who, when, which files (name and SHA-256), what changed."""
    con.execute(
        "INSERT INTO import_log VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
        [
            import_id,
            started,
            max(clock.now(), started),  # never before it started, whatever the clock says
            user or current_user(),
            "; ".join(name for name, _ in files),
            "; ".join(sha for _, sha in files),
            rows_read,
            counts.inserted,
            counts.changed,
            counts.unchanged,
            outcome,
            message,
        ],
    )


def current_rows(con: duckdb.DuckDBPyConnection) -> pd.DataFrame:
    """The current observation rows with all columns (for a dry-run copy)."""
    return con.execute("SELECT * FROM observations WHERE valid_to IS NULL").df()


def restore_rows(con: duckdb.DuckDBPyConnection, rows: pd.DataFrame) -> None:
    con.register("rows_frame", rows)
    try:
        con.execute("INSERT INTO observations SELECT * FROM rows_frame")
    finally:
        con.unregister("rows_frame")


MEASURE_COLUMNS = (
    "id, masterplan, title, description, owner, start_date, deadline, status, status_date, "
    "indicators, districts, budget_eur, is_official, visibility"
)
# Everything but the bookkeeping: a row that differs in any of these is a new version.
_MEASURE_SAME = " AND ".join(
    f"m.{c} IS NOT DISTINCT FROM s.{c}" for c in (x.strip() for x in MEASURE_COLUMNS.split(","))
)


def apply_measures(
    con: duckdb.DuckDBPyConnection, measures: pd.DataFrame, import_id: int, at: datetime
) -> LoadCounts:
    """Insert new measures, version changed ones (history kept), leave identical ones alone."""
    staged = measures[[*(c.strip() for c in MEASURE_COLUMNS.split(",")), "keep"]]
    con.register("measures_frame", staged)
    try:
        # A field named in ``keep`` (its column was not in the file) keeps the stored value.
        con.execute(
            """CREATE OR REPLACE TEMP TABLE staged_measures AS
               SELECT s.id, s.masterplan, s.title,
                      CASE WHEN list_contains(s.keep, 'description') AND m.id IS NOT NULL
                           THEN m.description ELSE coalesce(s.description, '') END
                        AS description,
                      s.owner, CAST(s.start_date AS DATE) AS start_date,
                      CAST(s.deadline AS DATE) AS deadline, s.status,
                      CAST(s.status_date AS DATE) AS status_date,
                      CAST(s.indicators AS VARCHAR[]) AS indicators,
                      CASE WHEN list_contains(s.keep, 'districts') AND m.id IS NOT NULL
                           THEN m.districts ELSE CAST(s.districts AS VARCHAR[]) END AS districts,
                      CASE WHEN list_contains(s.keep, 'budget_eur') AND m.id IS NOT NULL
                           THEN m.budget_eur ELSE CAST(s.budget_eur AS DOUBLE) END AS budget_eur,
                      CASE WHEN list_contains(s.keep, 'is_official') AND m.id IS NOT NULL
                           THEN m.is_official ELSE s.is_official END AS is_official,
                      CASE WHEN list_contains(s.keep, 'visibility') AND m.id IS NOT NULL
                           THEN m.visibility ELSE s.visibility END AS visibility
               FROM measures_frame s
               LEFT JOIN measures m ON m.id = s.id AND m.valid_to IS NULL"""
        )
    finally:
        con.unregister("measures_frame")
    counts = con.execute(
        f"""SELECT count(*) FILTER (WHERE m.id IS NULL),
                   count(*) FILTER (WHERE m.id IS NOT NULL AND NOT ({_MEASURE_SAME})),
                   count(*) FILTER (WHERE m.id IS NOT NULL AND {_MEASURE_SAME})
            FROM staged_measures s
            LEFT JOIN measures m ON m.id = s.id AND m.valid_to IS NULL"""
    ).fetchall()[0]
    con.execute(
        f"""UPDATE measures AS m SET valid_to = $at FROM staged_measures s
            WHERE m.valid_to IS NULL AND m.id = s.id AND NOT ({_MEASURE_SAME})""",
        {"at": at},
    )
    con.execute(
        f"""INSERT INTO measures ({MEASURE_COLUMNS}, import_id, valid_from, valid_to)
            SELECT {MEASURE_COLUMNS}, $import_id, $at, NULL FROM staged_measures s
            WHERE NOT EXISTS (SELECT 1 FROM measures m WHERE m.id = s.id AND m.valid_to IS NULL)""",
        {"import_id": import_id, "at": at},
    )
    con.execute("DROP TABLE staged_measures")
    return LoadCounts(inserted=counts[0], changed=counts[1], unchanged=counts[2])


def current_measures(con: duckdb.DuckDBPyConnection) -> pd.DataFrame:
    """The current measure rows with all columns (for a dry-run copy)."""
    return con.execute("SELECT * FROM measures WHERE valid_to IS NULL").df()


def restore_measures(con: duckdb.DuckDBPyConnection, rows: pd.DataFrame) -> None:
    con.register("measure_rows", rows)
    try:
        con.execute(
            "INSERT INTO measures BY NAME SELECT * REPLACE (CAST(indicators AS VARCHAR[]) "
            "AS indicators, CAST(districts AS VARCHAR[]) AS districts) FROM measure_rows"
        )
    finally:
        con.unregister("measure_rows")


def preview_rows(con: duckdb.DuckDBPyConnection, limit: int) -> pd.DataFrame:
    """A dry run's first ``limit`` values of import 0 (the preview's id): changed ones first
    (with the value they replace), then new ones, in key order."""
    return con.execute(
        """SELECT n.indicator_id, n.area, n.period, o.value AS old_value, n.value AS new_value
           FROM observations n LEFT JOIN observations o
             ON o.indicator_id = n.indicator_id AND o.area = n.area AND o.period = n.period
            AND o.valid_to = n.valid_from
           WHERE n.import_id = 0
           ORDER BY o.value IS NULL, n.indicator_id, n.area, n.period_start
           LIMIT $limit""",
        {"limit": limit},
    ).df()
