"""Import benchmark: a template CSV of many rows through the real importer, vs the floor.

The file is written by DuckDB (``COPY``) in the German template format (``;``,
decimal comma, ``dd.mm.yyyy`` reference days) with the real catalog's indicators and
district names, so it passes validation. Every repetition imports into a fresh copy
of the shipped database (``S``), so every row is new:

- ``import.run_import``: ``dortmund_kpi.ingest.importer.run_import`` (read, validate, copy the
  published version, load in one transaction, check, publish);
- ``import.cli``: ``dortmund-kpi import`` once, as a user runs it (process start included);
- ``import.floor``: bare DuckDB, ``read_csv`` + ``INSERT`` of the same file into the same
  schema (a copy of the same database, one transaction, ``CHECKPOINT``), producing the
  same rows (district names mapped to slugs, days parsed);
- ``import.read_csv``: DuckDB's own ``CREATE TABLE t AS SELECT * FROM read_csv(...)`` of
  the same file into a new database file (issue 17's floor: no schema, no checks);
- ``import.run_import.vs_read_csv``: the importer's timings again, with ``ratio_to_floor``
  = importer / ``read_csv`` (issue 17: <= 2).

``ratio_to_floor`` = importer / floor, both measured in this run, in turns.

Peak memory (issue 17: the importer's <= 2x DuckDB's): each way imports the file once
in a fresh process (``benchmarks/import_probe.py``, ``benchmarks/duckdb_floor.py``; the
DuckDB ones import nothing but DuckDB), which prints its RSS after start-up and its peak
(``VmHWM``): ``rss.import.<kind>`` for ``run_import``, ``floor`` and ``read_csv``;
``rss.import.<kind>.ratio_to_floor`` = its peak / the ``read_csv`` process's peak.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
import time
from collections.abc import Callable
from pathlib import Path

import duckdb

from benchmarks.datasets import MAX_IMPORT_BYTES, Dataset, settings_for
from benchmarks.duckdb_floor import floor_import, read_csv_import
from benchmarks.memory import run_probe
from benchmarks.records import Record, Timing, measure_interleaved, ratio
from dortmund_kpi.db import read
from dortmund_kpi.ingest.importer import run_import
from dortmund_kpi.settings import PROJECT_ROOT

CSV_COLUMNS = "indikator;bezirk;zeitraum;wert;quelle"
FIRST_DAY = "2000-01-01"
WARMUP_ROWS = 10_000

TEMPLATE_SQL = """
COPY (
  WITH series AS (SELECT * FROM bench_series),
  days AS (SELECT d, CAST(DATE '{first}' + to_days(CAST(d AS INTEGER)) AS DATE) AS day
           FROM range(0, {days}) r(d))
  SELECT s.indicator_id AS indikator, s.area_name AS bezirk,
         strftime(days.day, '%d.%m.%Y') AS zeitraum,
         replace(printf('%.2f', s.lo + (s.hi - s.lo)
                 * (0.1 + 0.8 * (hash(s.n, days.d) % 1000) / 1000.0)), '.', ',') AS wert,
         'Benchmark (synthetisch)' AS quelle
  FROM days CROSS JOIN series s
  ORDER BY days.d, s.n
  LIMIT {rows}
) TO '{path}' (HEADER, DELIMITER ';')
"""

RSS_KINDS = ("run_import", "floor", "read_csv")


def _literal(path: Path) -> str:
    return str(path).replace("'", "''")


def write_template_csv(base: Dataset, path: Path, rows: int) -> int:
    """Write ``rows`` template rows (real indicators and districts, German format)."""
    with base.store.connect_read() as con:
        indicators = read.indicator_list(con)
        districts = list(read.district_list(con)["name"])
    series = []
    for ind in indicators.itertuples(index=False):
        lo = 0.0 if ind.min_value != ind.min_value else float(ind.min_value)  # NaN check
        hi = lo + 1000.0 if ind.max_value != ind.max_value else float(ind.max_value)
        names = ["Dortmund", *districts] if ind.level == "district" else ["Dortmund"]
        series += [(len(series), ind.id, name, lo, hi) for name in names]
    days = -(-rows // len(series))
    with duckdb.connect() as con:
        con.execute("SET enable_progress_bar = false")
        con.execute(
            "CREATE TABLE bench_series (n INTEGER, indicator_id VARCHAR, area_name VARCHAR, "
            "lo DOUBLE, hi DOUBLE)"
        )
        con.executemany("INSERT INTO bench_series VALUES (?, ?, ?, ?, ?)", series)
        con.execute(TEMPLATE_SQL.format(first=FIRST_DAY, days=days, rows=rows, path=_literal(path)))
    return rows


def _fresh_copy(base: Dataset, target: Path) -> Path:
    """A private copy of the base database folder (symlink and versions)."""
    shutil.rmtree(target, ignore_errors=True)
    shutil.copytree(base.settings.db_path.parent, target, symlinks=True)
    return target / base.settings.db_path.name


def run(
    base: Dataset,
    rows: int,
    scale: str,
    work: Path,
    repeat: int,
    log: Callable[[str], None],
) -> tuple[list[Record], dict[str, object]]:
    """Import records for a file of ``rows`` rows (the records carry ``scale``)."""
    work.mkdir(parents=True, exist_ok=True)
    csv_path = work / "vorlage_benchmark.csv"
    started = time.perf_counter()
    write_template_csv(base, csv_path, rows)
    info: dict[str, object] = {
        "rows": rows,
        "file_bytes": csv_path.stat().st_size,
        "write_csv_s": round(time.perf_counter() - started, 2),
    }
    log(f"  template CSV: {rows:,} rows, {csv_path.stat().st_size / 2**20:.1f} MB")
    copies = {"importer": work / "importer", "floor": work / "floor"}
    results: dict[str, object] = {}

    def importer() -> None:
        result = run_import([csv_path], settings_for(db["importer"]), user="benchmark")
        results["importer"] = result.inserted + result.changed

    def floor() -> None:
        results["floor"] = floor_import(db["floor"], csv_path)

    def read_csv() -> None:
        results["read_csv"] = read_csv_import(work / "read_csv.duckdb", csv_path)

    db: dict[str, Path] = {}

    def fresh(kind: str) -> Callable[[], None]:
        def setup() -> None:
            db[kind] = _fresh_copy(base, copies[kind])

        return setup

    # Warm-up: both paths once on a small file (imports, caches, DuckDB start-up), so the
    # repetitions of the big file can all be timed.
    small = work / "vorlage_warmup.csv"
    write_template_csv(base, small, min(rows, WARMUP_ROWS))
    for kind in ("importer", "floor"):
        fresh(kind)()
    run_import([small], settings_for(db["importer"]), user="benchmark")
    floor_import(db["floor"], small)
    read_csv_import(work / "read_csv.duckdb", small)
    timings = measure_interleaved(
        {"importer": importer, "floor": floor, "read_csv": read_csv},
        repeat,
        warmup=0,
        setups={"importer": fresh("importer"), "floor": fresh("floor")},
    )
    if {results["importer"], results["floor"], results["read_csv"]} != {rows}:
        log(f"  ! rows written: {results}")
    cli = _cli_once(base, csv_path, work / "cli")
    t_imp, t_floor, t_csv = timings["importer"], timings["floor"], timings["read_csv"]
    peaks = peak_memory(base, csv_path, work / "rss")
    info["rows_per_s"] = round(rows / (t_imp.median_ms / 1000))
    info["floor_rows_per_s"] = round(rows / (t_floor.median_ms / 1000))
    info["cli_rows_per_s"] = round(rows / (cli.median_ms / 1000))
    info["read_csv_rows_per_s"] = round(rows / (t_csv.median_ms / 1000))
    info["rss_mb"] = peaks
    log(
        f"  run_import {t_imp.median_ms / 1000:.2f} s ({info['rows_per_s']:,} rows/s), "
        f"floor {t_floor.median_ms / 1000:.2f} s, read_csv {t_csv.median_ms / 1000:.2f} s, "
        f"CLI {cli.median_ms / 1000:.2f} s; peak RSS "
        + ", ".join(f"{kind} {peaks[kind]['peak_mb']:.0f} MB" for kind in RSS_KINDS)
    )
    size = csv_path.stat().st_size
    records = [
        t_imp.record(
            "import.run_import",
            scale,
            ratio_to_floor=ratio(t_imp.median_ms, t_floor.median_ms),
            bytes=csv_path.stat().st_size,
        ),
        cli.record(
            "import.cli",
            scale,
            ratio_to_floor=ratio(cli.median_ms, t_floor.median_ms),
            bytes=csv_path.stat().st_size,
        ),
        t_floor.record("import.floor", scale, bytes=size),
        t_csv.record("import.read_csv", scale, bytes=size),
        t_imp.record(
            "import.run_import.vs_read_csv",
            scale,
            ratio_to_floor=ratio(t_imp.median_ms, t_csv.median_ms),
            bytes=size,
        ),
    ]
    csv_peak = peaks["read_csv"]["peak_mb"]
    for kind in RSS_KINDS:
        peak = peaks[kind]["peak_mb"]
        factor = ratio(peak, csv_peak) if kind != "read_csv" else None
        records.append(Record(f"rss.import.{kind}", scale, ratio_to_floor=factor, rss_mb=peak))
    shutil.rmtree(work, ignore_errors=True)
    return records, info


def _cli_once(base: Dataset, csv_path: Path, target: Path) -> Timing:
    db_path = _fresh_copy(base, target)
    env = dict(os.environ)
    env["DORTMUND_KPI_MAX_IMPORT_MB"] = str(MAX_IMPORT_BYTES // 2**20)
    env.pop("DORTMUND_KPI_DB", None)
    command = [*cli_command(), "import", str(csv_path), "--db", str(db_path), "--user", "benchmark"]
    started = time.perf_counter()
    done = subprocess.run(command, env=env, capture_output=True, text=True, check=False)
    elapsed = (time.perf_counter() - started) * 1000
    if done.returncode != 0:
        raise RuntimeError(f"dortmund-kpi import failed ({done.returncode}): {done.stderr[-2000:]}")
    return Timing((elapsed,))


def cli_command() -> list[str]:
    """The ``dortmund-kpi`` console script of this interpreter's environment."""
    beside = Path(sys.executable).parent / "dortmund-kpi"
    found = str(beside) if beside.exists() else shutil.which("dortmund-kpi")
    return [found] if found else [sys.executable, "-m", "dortmund_kpi"]


def peak_memory(base: Dataset, csv_path: Path, work: Path) -> dict[str, dict[str, float]]:
    """Per way of importing, a fresh process importing the file once into a fresh copy:
    RSS after its imports (``start_mb``) and its peak RSS (``peak_mb``), in MB."""
    env = dict(os.environ)
    env["PYTHONPATH"] = os.pathsep.join(p for p in (str(PROJECT_ROOT), env.get("PYTHONPATH")) if p)
    env["DORTMUND_KPI_MAX_IMPORT_MB"] = str(MAX_IMPORT_BYTES // 2**20)
    found = {}
    for kind in RSS_KINDS:
        db_path = _fresh_copy(base, work / kind) if kind != "read_csv" else work / "t.duckdb"
        probe = "benchmarks.import_probe" if kind == "run_import" else "benchmarks.duckdb_floor"
        args = [probe, kind, str(csv_path), str(db_path)]
        found[kind] = run_probe(args, env, f"import memory probe {kind}")
    shutil.rmtree(work, ignore_errors=True)
    return found
