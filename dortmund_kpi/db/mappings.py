"""Remembered mappings of official tables (``import --merken``) and the current values a
mapped import would replace.

A mapping row says how the records of one published table become values of one
indicator: the value column (``spalte``, part of its header text), the filters on the
records' dimension values and the period rule. It is found by the table's code
(``22811-01i``) or, for a file without one, by its shape (layout family, value columns
and dimension names). All values are bound parameters.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

import duckdb
import pandas as pd

from dortmund_kpi.db.schema import schema_version


@dataclass(frozen=True)
class StoredMapping:
    table_code: str | None
    shape: str
    indicator_id: str
    spalte: str | None
    filters: tuple[str, ...]
    zeitraum_rule: str | None
    layout: str
    source: str
    licence: str | None = None  # given with --lizenz where the file names none


_COLUMNS = "table_code, shape, indicator_id, spalte, filters, zeitraum_rule, layout, source"
_LICENCE_FROM = 10  # schema version that added ``licence``


def _mapping(row: tuple) -> StoredMapping:
    return StoredMapping(
        table_code=row[0],
        shape=row[1],
        indicator_id=row[2],
        spalte=row[3],
        filters=tuple(row[4] or ()),
        zeitraum_rule=row[5],
        layout=row[6],
        source=row[7],
        licence=row[8],
    )


def has_mapping_table(con: duckdb.DuckDBPyConnection) -> bool:
    """False for a database of an older schema (before migration 4): nothing remembered."""
    row = con.execute(
        "SELECT count(*) FROM information_schema.tables WHERE table_name = 'import_mappings'"
    ).fetchall()[0]
    return bool(row[0])


def find_mappings(
    con: duckdb.DuckDBPyConnection, table_code: str | None, shape: str
) -> list[StoredMapping]:
    """The mappings remembered for a table: by its code if it has one, else by its shape
    (a code that was never remembered falls back to the shape too)."""
    if not has_mapping_table(con):
        return []
    # A database read before its next import may be older than the licence column.
    licence = "licence" if schema_version(con) >= _LICENCE_FROM else "NULL"
    columns = f"{_COLUMNS}, {licence}"
    if table_code:
        rows = con.execute(
            f"SELECT {columns} FROM import_mappings WHERE table_code = ? ORDER BY indicator_id",
            [table_code],
        ).fetchall()
        if rows:
            return [_mapping(r) for r in rows]
    rows = con.execute(
        f"SELECT {columns} FROM import_mappings WHERE shape = ? ORDER BY indicator_id", [shape]
    ).fetchall()
    return [_mapping(r) for r in rows]


def save_mapping(
    con: duckdb.DuckDBPyConnection, mapping: StoredMapping, at: datetime, user: str
) -> None:
    """Remember ``mapping``; it replaces an earlier one for the same table and indicator.
    The licence is the table's: the table's other mappings take it, too."""
    key = "table_code = ?" if mapping.table_code else "table_code IS NULL AND shape = ?"
    table = mapping.table_code or mapping.shape
    con.execute(
        f"DELETE FROM import_mappings WHERE {key} AND indicator_id = ?",
        [table, mapping.indicator_id],
    )
    con.execute(f"UPDATE import_mappings SET licence = ? WHERE {key}", [mapping.licence, table])
    con.execute(
        f"INSERT INTO import_mappings ({_COLUMNS}, licence, saved_at, user_name) "
        "VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
        [
            mapping.table_code,
            mapping.shape,
            mapping.indicator_id,
            mapping.spalte,
            list(mapping.filters),
            mapping.zeitraum_rule,
            mapping.layout,
            mapping.source,
            mapping.licence,
            at,
            user,
        ],
    )


def note_last_import(con: duckdb.DuckDBPyConnection, message: str) -> None:
    """Add ``message`` (what was mapped how) to the import-log row just written."""
    con.execute(
        "UPDATE import_log SET message = ? "
        "WHERE import_id = (SELECT max(import_id) FROM import_log)",
        [message],
    )


def current_values(con: duckdb.DuckDBPyConnection, indicator_ids: list[str]) -> pd.DataFrame:
    """The current value, source and origin of every key of these indicators."""
    return con.execute(
        "SELECT indicator_id, area, period, value, note, source, is_official "
        "FROM current_observations WHERE list_contains(?, indicator_id)",
        [indicator_ids],
    ).df()
