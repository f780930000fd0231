"""The import floors: DuckDB alone, importing only ``duckdb`` (so that its peak memory,
measured in a process of its own, is DuckDB's).

- ``floor_import``: ``read_csv`` + ``INSERT`` into our schema (a copy of our database);
- ``read_csv_import``: ``CREATE TABLE t AS SELECT * FROM read_csv(...)`` into a new file.

``python -m benchmarks.duckdb_floor KIND CSV DB`` imports once (``floor`` or ``read_csv``)
and prints the RSS after start-up and the peak (``VmHWM``) as JSON, in MB.
"""

from __future__ import annotations

import json
import os
import sys
from pathlib import Path

import duckdb

from benchmarks.memory import proc_status_kb

FLOOR_SQL = """
INSERT INTO observations
SELECT c.indikator, coalesce(d.slug, 'dortmund'), strftime(c.day, '%Y-%m-%d'), 'D', c.day, c.day,
       c.wert, NULL, c.quelle, true, $import_id, now()::TIMESTAMP, NULL
FROM (
  SELECT indikator, bezirk, CAST(strptime(zeitraum, '%d.%m.%Y') AS DATE) AS day, wert, quelle
  FROM read_csv($path, delim = ';', header = true, decimal_separator = ',',
                columns = {'indikator': 'VARCHAR', 'bezirk': 'VARCHAR', 'zeitraum': 'VARCHAR',
                           'wert': 'DOUBLE', 'quelle': 'VARCHAR'})
) c
LEFT JOIN districts d ON d.name = c.bezirk
"""

READ_CSV_SQL = """
CREATE TABLE t AS SELECT * FROM read_csv($path, delim = ';', header = true,
                                         decimal_separator = ',')
"""


def floor_import(db_path: Path, csv_path: Path) -> int:
    """Bare DuckDB: read_csv + INSERT into the same schema, one transaction, checkpoint."""
    con = duckdb.connect(str(db_path.resolve()))
    try:
        con.execute("SET enable_progress_bar = false")
        con.execute("BEGIN TRANSACTION")
        import_id = con.execute("SELECT coalesce(max(import_id), 0) + 1 FROM import_log")
        next_id = import_id.fetchall()[0][0]
        con.execute(FLOOR_SQL, {"import_id": next_id, "path": str(csv_path)})
        inserted = con.execute(
            "SELECT count(*) FROM observations WHERE import_id = ?", [next_id]
        ).fetchall()[0][0]
        con.execute("COMMIT")
        con.execute("CHECKPOINT")
    finally:
        con.close()
    return int(inserted)


def read_csv_import(db_path: Path, csv_path: Path) -> int:
    """DuckDB alone: the file into a table of a new database file, types detected."""
    db_path.unlink(missing_ok=True)
    con = duckdb.connect(str(db_path))
    try:
        con.execute("SET enable_progress_bar = false")
        con.execute(READ_CSV_SQL, {"path": str(csv_path)})
        rows = con.execute("SELECT count(*) FROM t").fetchall()[0][0]
        con.execute("CHECKPOINT")
    finally:
        con.close()
    return int(rows)


def _probe(kind: str, csv_path: Path, db_path: Path) -> None:
    before = proc_status_kb(os.getpid())["VmRSS"] / 1024
    (floor_import if kind == "floor" else read_csv_import)(db_path, csv_path)
    peak = proc_status_kb(os.getpid())["VmHWM"] / 1024
    print(json.dumps({"start_mb": round(before, 1), "peak_mb": round(peak, 1)}))


if __name__ == "__main__":
    _probe(sys.argv[1], Path(sys.argv[2]), Path(sys.argv[3]))
