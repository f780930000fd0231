"""``python -m benchmarks``: build the scales, measure, print a table, write JSON.

What runs at which scale (``--scale`` may be repeated; default ``S M``; ``M`` also runs
``S``, the baseline its targets refer to):

| part                                  | XS | S | M | L |
|---------------------------------------|----|---|---|---|
| import (template CSV of N rows)       | x  |   | x |   |
| queries: layer / direct / ui / pandas | x  | x | x | x (no pandas) |
| page script runs via AppTest, payload | x  | x | x |   |
| peak RSS (server; without a browser:  | x  |   | x | x |
|   an AppTest process instead)         |    |   |   |   |
| browser (unless --skip-browser)       | x  | x | x | RSS only |
| GENESIS flat file (ffcsv) vs DuckDB   | x  |   | x |   |
| floor: pages vs the floor page in     | x  | x | x |   |
|   Chromium, in turns (issue 17)       |    |   |   |   |
| firstrun: first run after publishing  | x  | x | x |   |
| concurrency: 1, 5, 20 sessions, pages | x  | x | x |   |
|   and floor (``--sessions``,          |    |   |   |   |
|   ``--rounds``)                       |    |   |   |   |

``XS`` is a tiny scale for the smoke test (a few thousand synthetic rows). The parts
against the floor page (issue 17: ``floor``, ``firstrun``, ``concurrency``) run only at
the scales asked for: ``--scale M`` does not run them at ``S``.
"""

from __future__ import annotations

import argparse
import json
import os
import sys
import tempfile
import time
from collections.abc import Sequence
from contextlib import ExitStack
from pathlib import Path
from typing import Any

from benchmarks import (
    apptest,
    datasets,
    ffcsvbench,
    importbench,
    machine,
    memory,
    pandas_impl,
    queries,
    targets,
    versus,
)
from benchmarks.memory import run_probe
from benchmarks.records import FIELDS, Record
from dortmund_kpi.settings import PROJECT_ROOT

ORDER = ("XS", "S", "M", "L")
PARTS = ("import", "queries", "pages", "memory", "browser", "ffcsv", *versus.PARTS)
DATABASE_PARTS = frozenset(PARTS) - {"ffcsv"}  # the flat file part needs no database
START = time.perf_counter()


def log(message: str) -> None:
    print(f"[{time.perf_counter() - START:7.1f} s] {message}", file=sys.stderr, flush=True)


def parse_args(argv: Sequence[str] | None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(
        prog="python -m benchmarks",
        description=(
            "Dortmund KPI benchmark: import, queries, page runs, memory, browser, "
            "GENESIS flat file (ffcsv) against DuckDB read_csv."
        ),
    )
    parser.add_argument(
        "--scale",
        action="append",
        choices=("S", "M", "L", "XS"),
        help="scale to measure, repeatable (default: S and M; M also measures S)",
    )
    parser.add_argument("--json", metavar="FILE", help="write all records and machine info")
    parser.add_argument(
        "--repeat", type=int, default=5, help="timed repetitions per measurement (default 5)"
    )
    parser.add_argument(
        "--skip-browser", action="store_true", help="no headless Chromium (and no app server)"
    )
    parser.add_argument(
        "--workdir",
        metavar="DIR",
        help="where the databases are built (default: a temporary directory, removed)",
    )
    parser.add_argument(
        "--reuse",
        action="store_true",
        help="with --workdir: reuse databases built there by an identical recipe",
    )
    parser.add_argument(
        "--parts",
        default=",".join(PARTS),
        help=f"comma-separated subset of {','.join(PARTS)} (default: all)",
    )
    parser.add_argument(
        "--sessions",
        default="1,5,20",
        help="simultaneous sessions of the concurrency part, comma-separated (default 1,5,20)",
    )
    parser.add_argument(
        "--rounds",
        type=int,
        default=3,
        help="rounds per level and page of the concurrency part, each followed by one of "
        "the floor page; the ratio is their median (default 3)",
    )
    parser.add_argument(
        "--pages",
        default=",".join(versus.PAGES),
        help="pages of the floor, firstrun and concurrency parts, comma-separated (default: all)",
    )
    parser.add_argument(
        "--warmup", type=int, default=1, help=argparse.SUPPRESS
    )  # the smoke test uses 0
    # The smoke test: fewer clicks per visitor, no think time between them.
    parser.add_argument("--changes", type=int, default=3, help=argparse.SUPPRESS)
    parser.add_argument("--no-think", action="store_true", help=argparse.SUPPRESS)
    args = parser.parse_args(argv)
    if args.repeat < 1:
        parser.error("--repeat must be at least 1")
    if args.rounds < 1:
        parser.error("--rounds must be at least 1")
    args.parts = {p.strip() for p in args.parts.split(",") if p.strip()}
    try:
        args.sessions = [int(n) for n in args.sessions.split(",") if n.strip()]
    except ValueError:
        parser.error("--sessions takes numbers, e.g. 1,5,20")
    if not args.sessions or min(args.sessions) < 1:
        parser.error("--sessions takes numbers of at least 1, e.g. 1,5,20")
    args.pages = [p.strip() for p in args.pages.split(",") if p.strip()]
    if not args.pages or set(args.pages) - set(versus.PAGES):
        parser.error(f"--pages: choose from {','.join(versus.PAGES)}")
    unknown = args.parts - set(PARTS)
    if unknown:
        parser.error(f"unknown part(s) {', '.join(sorted(unknown))}; choose from {PARTS}")
    return args


def chosen_scales(requested: list[str] | None) -> list[str]:
    scales = set(requested or ["S", "M"])
    if "M" in scales:
        scales.add("S")
    return [s for s in ORDER if s in scales]


def main(argv: Sequence[str] | None = None) -> int:
    args = parse_args(argv)
    scales = chosen_scales(args.scale)
    from benchmarks.records import set_default_warmup

    set_default_warmup(args.warmup)
    browser_problem = None
    if not args.skip_browser:
        from benchmarks import browser

        browser_problem = browser.available()
        if browser_problem:
            log(f"browser part skipped: {browser_problem}")
    use_browser = not args.skip_browser and browser_problem is None
    use_browser = use_browser and bool(args.parts & {"browser", "memory", "floor"})
    report: dict[str, Any] = {
        "machine": machine.info(),
        "run": {"argv": list(argv if argv is not None else sys.argv[1:]), "scales": scales},
        "datasets": {},
        "import": {},
        "ffcsv": {},
        "checks": {},
        "records": [],
    }
    records: list[Record] = []
    with ExitStack() as stack:
        if args.workdir:
            root = Path(args.workdir).resolve()
            root.mkdir(parents=True, exist_ok=True)
        else:
            root = Path(stack.enter_context(tempfile.TemporaryDirectory(prefix="kpi-bench-")))
        playwright_browser = _start_browser(stack) if use_browser else None
        log(f"scales {', '.join(scales)}; work in {root}")
        for name in scales:
            records += run_ffcsv(name, root, args, report)
        if args.parts & DATABASE_PARTS:
            base = datasets.build(datasets.SCALES["S"], root, reuse=args.reuse)
            for name in scales:
                records += run_scale(name, base, root, args, playwright_browser, report)
    report["machine"]["load_average_at_end"] = machine.load_average()
    report["run"]["duration_s"] = round(time.perf_counter() - START, 1)
    report["records"] = [r.as_dict() for r in records]
    import_rows = {scale: int(info["rows"]) for scale, info in report["import"].items()}
    checks = targets.evaluate(records, import_rows) + targets.issue17(records)
    report["targets"] = targets.as_dicts(checks)
    print(table(records))
    print(targets.summary([c for c in checks if c.value is not None]))
    if args.json:
        Path(args.json).write_text(json.dumps(report, indent=1, default=str) + "\n")
        log(f"wrote {len(records)} records to {args.json}")
    log(f"done in {report['run']['duration_s']} s")
    return 0


def _start_browser(stack: ExitStack) -> Any:
    from playwright.sync_api import sync_playwright

    from benchmarks import browser

    playwright = stack.enter_context(sync_playwright())
    chromium = browser.launch(playwright)
    stack.callback(chromium.close)
    return chromium


def run_scale(
    name: str,
    base: datasets.Dataset,
    root: Path,
    args: argparse.Namespace,
    chromium: Any,
    report: dict[str, Any],
) -> list[Record]:
    scale = datasets.SCALES[name]
    log(f"scale {name}: building")
    dataset = base if name == "S" else datasets.build(scale, root, reuse=args.reuse)
    report["datasets"][name] = dataset.summary()
    log(
        f"scale {name}: {dataset.observations:,} observations, {dataset.indicators} indicators, "
        f"{dataset.districts} districts, built in {dataset.build_s} s"
    )
    records: list[Record] = []
    if scale.import_rows and "import" in args.parts:
        log(f"scale {name}: import of {scale.import_rows:,} rows")
        found, info = importbench.run(
            base, scale.import_rows, name, root / f"import-{name}", args.repeat, log
        )
        records += found
        report["import"][name] = info
    if "queries" in args.parts:
        records += run_queries(dataset, args, report)
    charts: dict[str, int] = {}
    if name != "L" and ({"pages", "browser"} & args.parts):
        log(f"scale {name}: page runs (AppTest)")
        found, charts = apptest.run(dataset, args.repeat, log)
        records += found
    if name in ("XS", "M", "L") and "memory" in args.parts and chromium is None:
        log(f"scale {name}: peak RSS of an AppTest process rendering every page")
        records.append(rss_apptest(dataset))
    if chromium is not None and args.parts & {"browser", "memory"}:
        records += run_server_part(dataset, scale, root, args, chromium, charts)
    if scale.browser and args.parts & set(versus.PARTS) and name in (args.scale or ("S", "M")):
        records += versus.run(dataset, root, args, chromium, charts, report, log)
    return records


def run_ffcsv(
    name: str, root: Path, args: argparse.Namespace, report: dict[str, Any]
) -> list[Record]:
    """The flat file part of one scale (before the databases are built: it needs none)."""
    if name not in ffcsvbench.SIZES or "ffcsv" not in args.parts:
        return []
    log(f"scale {name}: GENESIS flat file against DuckDB read_csv")
    found, info = ffcsvbench.run(name, root / f"ffcsv-{name}", args.repeat, log)
    report["ffcsv"][name] = info
    return found


def run_queries(
    dataset: datasets.Dataset, args: argparse.Namespace, report: dict[str, Any]
) -> list[Record]:
    frames = None
    if dataset.scale != "L":
        log(f"scale {dataset.scale}: loading the pandas baseline")
        with dataset.store.connect_read() as con:
            frames = pandas_impl.load(con)
    log(f"scale {dataset.scale}: queries")
    found, checks = queries.run(dataset, args.repeat, frames, log)
    report["checks"][dataset.scale] = checks
    return found


def rss_apptest(dataset: datasets.Dataset) -> Record:
    env = dict(os.environ)
    env["PYTHONPATH"] = os.pathsep.join(p for p in (str(PROJECT_ROOT), env.get("PYTHONPATH")) if p)
    env["STREAMLIT_LOGGER_LEVEL"] = "error"
    args = ["benchmarks.apptest", str(dataset.settings.db_path)]
    status = run_probe(args, env, "AppTest memory probe")
    peak = status["after"]["VmHWM"] / 1024
    log(f"  AppTest process: peak RSS {peak:.0f} MB")
    return Record("rss.apptest_all_pages", dataset.scale, rss_mb=round(peak, 1))


def run_server_part(
    dataset: datasets.Dataset,
    scale: datasets.Scale,
    root: Path,
    args: argparse.Namespace,
    chromium: Any,
    charts: dict[str, int],
) -> list[Record]:
    from benchmarks import browser, server

    timed = scale.browser and "browser" in args.parts
    db = browser.served_copy(dataset, root / f"browser-{dataset.scale}") if timed else None
    served = db or dataset.settings.db_path
    log_path = root / f"server-{dataset.scale}.log"
    records: list[Record] = []
    log(f"scale {dataset.scale}: dortmund-kpi serve" + (" + browser timings" if timed else ""))
    with server.serve(served, log_path) as app:
        idle = memory.proc_status_kb(app.pid)["VmHWM"] / 1024
        if timed:  # loads every page many times
            records += browser.run(dataset, app, served, chromium, charts, args.repeat, log)
        else:
            browser.visit_all(chromium, browser.targets(dataset, app, charts))
        peak = memory.proc_status_kb(app.pid)["VmHWM"] / 1024
    records += [
        Record("rss.server_idle", dataset.scale, rss_mb=round(idle, 1)),
        Record("rss.server", dataset.scale, rss_mb=round(peak, 1)),
    ]
    log(f"  server: peak RSS {peak:.0f} MB (idle {idle:.0f} MB)")
    return records


def table(records: list[Record]) -> str:
    headers = ("name", "scale", "median_ms", "p95_ms", "ratio", "speedup", "rss_mb", "bytes")
    rows = [headers]
    for r in records:
        rows.append(
            (
                r.name,
                r.scale,
                _num(r.median_ms, 1),
                _num(r.p95_ms, 1),
                _num(r.ratio_to_floor, 2),
                _num(r.speedup_vs_pandas, 2),
                _num(r.rss_mb, 0),
                f"{r.bytes:,}" if r.bytes is not None else "",
            )
        )
    widths = [max(len(str(row[i])) for row in rows) for i in range(len(headers))]
    lines = []
    for index, row in enumerate(rows):
        cells = [
            str(c).ljust(w) if i < 2 else str(c).rjust(w)
            for i, (c, w) in enumerate(zip(row, widths, strict=True))
        ]
        lines.append("  ".join(cells).rstrip())
        if index == 0:
            lines.append("  ".join("-" * w for w in widths))
    assert len(headers) == len(FIELDS)
    return "\n".join(lines)


def _num(value: float | None, digits: int) -> str:
    return "" if value is None else f"{value:,.{digits}f}"
