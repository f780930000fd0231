"""Import time and peak memory against DuckDB's own ``read_csv`` into a table.

Every run is a fresh process (peak RSS, ``VmHWM``, is per process), the cases
alternate, and the file is the import benchmark's template CSV (``importbench``):

- ``importer``: ``run_import`` of the file into a fresh copy of the shipped database;
- ``read_csv``: ``CREATE TABLE t AS SELECT * FROM read_csv(file)`` into a new database
  file (DuckDB sniffs the file, as a person typing it would; one transaction,
  checkpoint on close).

Times are the operation alone (no process start, no module imports); the peak RSS is
the whole process's (interpreter and libraries included, for both).

    python -m benchmarks.importmem --rows 1000000 --repeat 3 --workdir /tmp/importmem
"""

from __future__ import annotations

import argparse
import json
import shutil
import statistics
import subprocess
import sys
import time
from pathlib import Path

from benchmarks.memory import proc_status_kb

CASES = ("importer", "read_csv")


def _case_importer(csv_path: Path, db_path: Path) -> int:
    from benchmarks.datasets import settings_for
    from dortmund_kpi.ingest.importer import run_import

    result = run_import([csv_path], settings_for(db_path), user="benchmark")
    return result.inserted


def _case_read_csv(csv_path: Path, db_path: Path) -> int:
    import duckdb

    con = duckdb.connect(str(db_path))
    try:
        con.execute("SET enable_progress_bar = false")
        con.execute("CREATE TABLE t AS SELECT * FROM read_csv($path)", {"path": str(csv_path)})
        return int(con.execute("SELECT count(*) FROM t").fetchall()[0][0])
    finally:
        con.close()


def child(case: str, csv_path: Path, db_path: Path) -> None:
    """One measured run in this process; prints seconds, rows and peak RSS as JSON."""
    if case == "importer":
        import dortmund_kpi.ingest.importer  # noqa: F401  (imports are not timed)
    else:
        import duckdb  # noqa: F401
    before = proc_status_kb(_pid())["VmRSS"]
    cpu, started = _cpu_seconds(), time.perf_counter()
    rows = (_case_importer if case == "importer" else _case_read_csv)(csv_path, db_path)
    seconds, cpu = time.perf_counter() - started, _cpu_seconds() - cpu
    peak = proc_status_kb(_pid())["VmHWM"]
    found = {"seconds": seconds, "cpu_s": cpu, "rows": rows, "rss_before_kb": before}
    print(json.dumps({**found, "peak_kb": peak}))


def _cpu_seconds() -> float:
    """CPU time of this process, all threads (steadier than wall time on a busy machine)."""
    import resource

    usage = resource.getrusage(resource.RUSAGE_SELF)
    return usage.ru_utime + usage.ru_stime


def _pid() -> int:
    import os

    return os.getpid()


def _fresh(case: str, base_db: Path, work: Path) -> Path:
    target = work / case
    shutil.rmtree(target, ignore_errors=True)
    if case == "importer":
        shutil.copytree(base_db.parent, target, symlinks=True)
        return target / base_db.name
    target.mkdir(parents=True)
    return target / "floor.duckdb"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rows", type=int, default=1_000_000)
    parser.add_argument("--repeat", type=int, default=3)
    parser.add_argument("--workdir", type=Path, default=Path("/tmp/importmem"))
    parser.add_argument("--child", choices=CASES)
    parser.add_argument("--csv", type=Path)
    parser.add_argument("--db", type=Path)
    args = parser.parse_args()
    if args.child:
        child(args.child, args.csv, args.db)
        return
    from benchmarks import datasets, importbench

    base = datasets.build(datasets.SCALES["S"], args.workdir, reuse=True)
    csv_path = args.workdir / f"vorlage_{args.rows}.csv"
    if not csv_path.exists():
        importbench.write_template_csv(base, csv_path, args.rows)
    runs: dict[str, list[dict[str, float]]] = {case: [] for case in CASES}
    for _ in range(args.repeat):
        for case in CASES:
            db_path = _fresh(case, base.settings.db_path, args.workdir)
            command = [sys.executable, "-m", "benchmarks.importmem", "--child", case]
            command += ["--csv", str(csv_path), "--db", str(db_path)]
            done = subprocess.run(command, capture_output=True, text=True, check=True)
            runs[case].append(json.loads(done.stdout.strip().splitlines()[-1]))
    _report(runs, args.rows, csv_path.stat().st_size)


def _report(runs: dict[str, list[dict[str, float]]], rows: int, size: int) -> None:
    median = {
        case: {key: statistics.median(r[key] for r in found) for key in found[0]}
        for case, found in runs.items()
    }
    print(f"{rows:,} rows, {size / 2**20:.1f} MiB; medians of {len(runs['importer'])} runs")
    for case, m in median.items():
        print(
            f"  {case:9} {m['seconds']:6.2f} s (CPU {m['cpu_s']:.2f} s)  "
            f"peak RSS {m['peak_kb'] / 1024:6.0f} MiB "
            f"(at start {m['rss_before_kb'] / 1024:.0f} MiB)  rows {int(m['rows']):,}"
        )
    imp, floor = median["importer"], median["read_csv"]
    print(
        f"  ratio: time {imp['seconds'] / floor['seconds']:.2f}x, "
        f"CPU {imp['cpu_s'] / floor['cpu_s']:.2f}x, "
        f"peak RSS {imp['peak_kb'] / floor['peak_kb']:.2f}x"
    )


if __name__ == "__main__":
    main()
