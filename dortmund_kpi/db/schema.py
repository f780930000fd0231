"""The database schema: one definition, applied as numbered migrations.

A database records its schema version in ``schema_meta``. ``migrate`` applies
every migration above that version, in order, inside the caller's transaction.
Never edit a released migration: append a new one.
"""

from __future__ import annotations

import duckdb

MIGRATIONS: tuple[tuple[int, str, tuple[str, ...]], ...] = (
    (
        1,
        "reference tables, observations with history, import log",
        (
            """CREATE TABLE masterplans (
                id VARCHAR PRIMARY KEY,
                name VARCHAR NOT NULL,
                short_name VARCHAR NOT NULL,
                description VARCHAR,
                sort_order INTEGER NOT NULL)""",
            """CREATE TABLE districts (
                slug VARCHAR PRIMARY KEY,
                name VARCHAR NOT NULL,
                code VARCHAR,
                area_km2 DOUBLE,
                population BIGINT,
                population_date DATE,
                lat DOUBLE,
                lon DOUBLE,
                source_url VARCHAR,
                sort_order INTEGER NOT NULL)""",
            """CREATE TABLE indicators (
                id VARCHAR PRIMARY KEY,
                masterplan VARCHAR NOT NULL,
                name VARCHAR NOT NULL,
                short_name VARCHAR NOT NULL,
                unit VARCHAR NOT NULL,
                definition VARCHAR NOT NULL,
                source VARCHAR NOT NULL,
                source_url VARCHAR,
                direction VARCHAR NOT NULL,
                aggregation VARCHAR NOT NULL,
                level VARCHAR NOT NULL,
                per_capita BOOLEAN NOT NULL,
                frequency VARCHAR NOT NULL,
                decimals INTEGER NOT NULL,
                min_value DOUBLE,
                max_value DOUBLE,
                target_value DOUBLE,
                target_year INTEGER,
                target_official BOOLEAN,
                target_source VARCHAR,
                sort_order INTEGER NOT NULL)""",
            """CREATE TABLE import_log (
                import_id INTEGER PRIMARY KEY,
                started_at TIMESTAMP NOT NULL,
                finished_at TIMESTAMP NOT NULL,
                user_name VARCHAR NOT NULL,
                files VARCHAR NOT NULL,
                sha256 VARCHAR NOT NULL,
                rows_read BIGINT NOT NULL,
                inserted BIGINT NOT NULL,
                changed BIGINT NOT NULL,
                unchanged BIGINT NOT NULL,
                outcome VARCHAR NOT NULL,
                message VARCHAR)""",
            # One row per value version. The current value has valid_to NULL; a
            # re-import that changes a value closes the old row, so history is kept.
            """CREATE TABLE observations (
                indicator_id VARCHAR NOT NULL,
                area VARCHAR NOT NULL,
                period VARCHAR NOT NULL,
                period_type VARCHAR NOT NULL,
                period_start DATE NOT NULL,
                period_end DATE NOT NULL,
                value DOUBLE NOT NULL,
                note VARCHAR,
                source VARCHAR,
                is_official BOOLEAN NOT NULL,
                import_id INTEGER NOT NULL,
                valid_from TIMESTAMP NOT NULL,
                valid_to TIMESTAMP)""",
        ),
    ),
    (
        2,
        "view of current observations, lookup index",
        (
            "CREATE INDEX observations_key ON observations (indicator_id, area, period)",
            """CREATE VIEW current_observations AS
                SELECT * EXCLUDE (valid_to) FROM observations WHERE valid_to IS NULL""",
        ),
    ),
    (
        3,
        "measures (Maßnahmen) with status history",
        (
            # Like observations: one row per version of a measure; the current one
            # has valid_to NULL, so a pinned view shows the status of its day.
            """CREATE TABLE measures (
                id VARCHAR NOT NULL,
                masterplan VARCHAR NOT NULL,
                title VARCHAR NOT NULL,
                description VARCHAR NOT NULL,
                owner VARCHAR NOT NULL,
                start_date DATE NOT NULL,
                deadline DATE NOT NULL,
                status VARCHAR NOT NULL,
                status_date DATE NOT NULL,
                indicators VARCHAR[] NOT NULL,
                districts VARCHAR[] NOT NULL,
                budget_eur DOUBLE,
                is_official BOOLEAN NOT NULL,
                import_id INTEGER NOT NULL,
                valid_from TIMESTAMP NOT NULL,
                valid_to TIMESTAMP)""",
            "CREATE INDEX measures_key ON measures (id)",
        ),
    ),
    (
        4,
        "remembered mappings of official tables to indicators (import --merken)",
        (
            # One row per table (its code, else its shape) and indicator: which value
            # column, which filters and which period rule turn its records into values.
            """CREATE TABLE import_mappings (
                table_code VARCHAR,
                shape VARCHAR NOT NULL,
                indicator_id VARCHAR NOT NULL,
                spalte VARCHAR,
                filters VARCHAR[] NOT NULL,
                zeitraum_rule VARCHAR,
                layout VARCHAR NOT NULL,
                source VARCHAR NOT NULL,
                saved_at TIMESTAMP NOT NULL,
                user_name VARCHAR NOT NULL)""",
        ),
    ),
    (
        5,
        "moments as instants (TIMESTAMPTZ); old naive times read as Berlin wall-clock",
        (
            # A column an index or a view depends on cannot change its type: both are
            # dropped and made again, inside the same transaction.
            "DROP VIEW current_observations",
            "DROP INDEX observations_key",
            "DROP INDEX measures_key",
            # timezone('Europe/Berlin', naive) reads a time of the repeated autumn hour as
            # its second pass (standard time) and a time skipped in spring as standard
            # time (02:30 -> 03:30 CEST); clock.from_wall reads typed links the same way.
            *(
                f"ALTER TABLE {table} ALTER {column} SET DATA TYPE TIMESTAMPTZ "
                f"USING timezone('Europe/Berlin', {column})"
                for table, column in (
                    ("observations", "valid_from"),
                    ("observations", "valid_to"),
                    ("measures", "valid_from"),
                    ("measures", "valid_to"),
                    ("import_log", "started_at"),
                    ("import_log", "finished_at"),
                    ("import_mappings", "saved_at"),
                    ("schema_meta", "applied_at"),
                )
            ),
            "CREATE INDEX observations_key ON observations (indicator_id, area, period)",
            "CREATE INDEX measures_key ON measures (id)",
            """CREATE VIEW current_observations AS
                SELECT * EXCLUDE (valid_to) FROM observations WHERE valid_to IS NULL""",
        ),
    ),
    (
        6,
        "peer regions and their values (comparison with other municipalities)",
        (
            # Independent of other migrations' content: new tables and one new column.
            "ALTER TABLE indicators ADD COLUMN peers VARCHAR NOT NULL DEFAULT 'none'",
            """CREATE TABLE regions (
                ags VARCHAR PRIMARY KEY,
                name VARCHAR NOT NULL,
                kreis VARCHAR,
                regierungsbezirk VARCHAR,
                population BIGINT,
                population_date DATE,
                area_km2 DOUBLE,
                source VARCHAR NOT NULL)""",
            # One current value per indicator, region and period: a re-import replaces it.
            # Dortmund's own values stay in observations (one truth for the city).
            """CREATE TABLE peer_observations (
                indicator_id VARCHAR NOT NULL,
                ags VARCHAR NOT NULL,
                period VARCHAR NOT NULL,
                value DOUBLE NOT NULL,
                source VARCHAR NOT NULL,
                is_official BOOLEAN NOT NULL,
                loaded_at TIMESTAMPTZ NOT NULL,
                PRIMARY KEY (indicator_id, ags, period))""",
        ),
    ),
    (
        7,
        "trends of the Technologiescout with assessment history",
        (
            # Like measures: one row per version; the current one has valid_to NULL, so
            # a pinned view shows the radar of its day and every assessment is kept.
            """CREATE TABLE trends (
                id VARCHAR NOT NULL,
                name VARCHAR NOT NULL,
                description VARCHAR NOT NULL,
                field VARCHAR NOT NULL,
                masterplans VARCHAR[] NOT NULL,
                ring VARCHAR NOT NULL,
                assessed_on DATE NOT NULL,
                reason VARCHAR NOT NULL,
                owner VARCHAR NOT NULL,
                measures VARCHAR[] NOT NULL,
                indicators VARCHAR[] NOT NULL,
                sources VARCHAR[] NOT NULL,
                visibility VARCHAR NOT NULL,
                is_official BOOLEAN NOT NULL,
                import_id INTEGER NOT NULL,
                valid_from TIMESTAMPTZ NOT NULL,
                valid_to TIMESTAMPTZ)""",
            "CREATE INDEX trends_key ON trends (id)",
            # Public mode: what the city publishes. Nothing becomes public by omission.
            "ALTER TABLE indicators ADD COLUMN visibility VARCHAR NOT NULL DEFAULT 'intern'",
            "DROP INDEX measures_key",  # DuckDB alters no table an index depends on
            "ALTER TABLE measures ADD COLUMN visibility VARCHAR NOT NULL DEFAULT 'intern'",
            "CREATE INDEX measures_key ON measures (id)",
        ),
    ),
    (
        8,
        "no lookup index on observations (DuckDB never used it; every import paid for it)",
        (
            # DuckDB scans a table with its zone maps and joins by hashing: it reads no
            # key of three columns through an ART index, not even for a full-key lookup
            # (EXPLAIN shows a sequential scan). The index only cost: an import of a
            # million rows spent a quarter of its time and 55 MiB of memory on it, and each
            # version file was eight times larger (83 instead of 10 MiB), copied again by
            # every later import.
            "DROP INDEX observations_key",
        ),
    ),
    (
        9,
        "aggregates of the current values, rebuilt with every published version",
        (
            # Derived from the tables above by ``db.materialise.rebuild`` in the transaction
            # that publishes a version, so a first page run after an import reads them
            # instead of computing them. ``mat_meta`` holds one row once they are built: the
            # default year range the range-bound tables answer; empty means "compute live".
            "CREATE TABLE mat_meta (year_from INTEGER NOT NULL, year_to INTEGER NOT NULL)",
            # The city series (stored and derived from all districts), every year.
            """CREATE TABLE mat_city_series (
                indicator_id VARCHAR, area VARCHAR, period VARCHAR, period_type VARCHAR,
                period_start DATE, period_end DATE, value DOUBLE, is_official BOOLEAN,
                source VARCHAR, note VARCHAR, valid_from TIMESTAMPTZ, derived BOOLEAN)""",
            # ``db.read.series_stats`` of the default range; ``city`` says which kind.
            """CREATE TABLE mat_series_stats (
                city BOOLEAN NOT NULL, indicator_id VARCHAR, area VARCHAR,
                slope_per_year DOUBLE, base_value DOUBLE, base_date DATE, base_start DATE,
                points BIGINT, has_demo BOOLEAN, stand TIMESTAMPTZ, latest DOUBLE,
                latest_period VARCHAR, latest_type VARCHAR, latest_end DATE,
                latest_start DATE, latest_official BOOLEAN, previous DOUBLE,
                previous_period VARCHAR, previous_type VARCHAR, previous_official BOOLEAN)""",
            # ``db.read.freshness`` without the catalog's columns (joined when read).
            """CREATE TABLE mat_freshness (
                indicator_id VARCHAR, last_period_end DATE, last_period VARCHAR,
                last_period_type VARCHAR, updated TIMESTAMPTZ, any_official BOOLEAN,
                any_demo BOOLEAN)""",
            # ``db.read.district_profile`` of the default years for every district.
            """CREATE TABLE mat_district_profile (
                area VARCHAR, sort_order INTEGER, indicator_id VARCHAR, masterplan VARCHAR,
                short_name VARCHAR, name VARCHAR, unit VARCHAR, decimals INTEGER,
                direction VARCHAR, aggregation VARCHAR, period VARCHAR, period_type VARCHAR,
                value DOUBLE, comparable DOUBLE, city_comparable DOUBLE, rank BIGINT,
                ranked_of BIGINT, is_official BOOLEAN, city_official BOOLEAN)""",
        ),
    ),
    (
        10,
        "a remembered mapping keeps the licence given with the table (import --lizenz)",
        # A file that names no licence of its own gets the one given with ``--lizenz``;
        # remembered with the mapping, next year's file of that table keeps it, too.
        ("ALTER TABLE import_mappings ADD COLUMN licence VARCHAR",),
    ),
)
# From this version on, moments are instants; before it, naive Berlin wall-clock times.
INSTANTS_FROM = 5

LATEST_VERSION = MIGRATIONS[-1][0]


def schema_version(con: duckdb.DuckDBPyConnection) -> int:
    """The version recorded in the database, 0 for an empty one.

    Results are read with fetchall(): DuckDB 2.0 refuses further work on a
    connection whose last result was only partly fetched (fetchone).
    """
    exists = con.execute(
        "SELECT count(*) FROM information_schema.tables WHERE table_name = 'schema_meta'"
    ).fetchall()[0]
    if not exists or not exists[0]:
        return 0
    row = con.execute("SELECT max(version) FROM schema_meta").fetchall()[0]
    return int(row[0] or 0) if row else 0


def migrate(con: duckdb.DuckDBPyConnection, target: int = LATEST_VERSION) -> list[int]:
    """Apply pending migrations up to ``target``; return the versions applied."""
    con.execute(
        "CREATE TABLE IF NOT EXISTS schema_meta ("
        "version INTEGER PRIMARY KEY, description VARCHAR, applied_at TIMESTAMP)"
    )
    current = schema_version(con)
    applied = []
    for version, description, statements in MIGRATIONS:
        if current < version <= target:
            for statement in statements:
                con.execute(statement)
            # applied_at is naive Berlin wall-clock until migration 5 makes it an instant
            moment = "now()" if version >= INSTANTS_FROM else "timezone('Europe/Berlin', now())"
            con.execute(f"INSERT INTO schema_meta VALUES (?, ?, {moment})", [version, description])
            applied.append(version)
    return applied
