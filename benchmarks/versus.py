"""The parts of issue 17 that need the app server and the floor page beside it.

``floor`` (browser, ``benchmarks/floor.py``), ``firstrun`` (``benchmarks/firstrun.py``)
and ``concurrency`` (``benchmarks/concurrency.py``) share one ``dortmund-kpi serve`` and
one ``streamlit run benchmarks/floor_page.py``, both on a private copy of the scale's
database (the first-run part publishes versions into it).
"""

from __future__ import annotations

import argparse
from collections.abc import Callable
from pathlib import Path
from typing import Any

from benchmarks import concurrency, firstrun, floor, server
from benchmarks.browser import served_copy
from benchmarks.datasets import Dataset
from benchmarks.records import Record

PARTS = ("floor", "firstrun", "concurrency")
PAGES = floor.PAGES


def run(
    dataset: Dataset,
    root: Path,
    args: argparse.Namespace,
    chromium: Any,
    charts: dict[str, int],
    report: dict[str, Any],
    log: Callable[[str], None],
) -> list[Record]:
    scale = dataset.scale
    db = served_copy(dataset, root / f"versus-{scale}")
    records: list[Record] = []
    log(f"scale {scale}: dortmund-kpi serve and the floor page")
    with (
        server.serve(db, root / f"versus-{scale}.log") as app,
        server.serve_floor(db, root / f"floor-{scale}.log") as floor_app,
    ):
        pages, floor_site = floor.sites(dataset.store, app.base_url, floor_app.base_url)
        pages = [site for site in pages if site.name in args.pages]
        if "floor" in args.parts and chromium is not None:
            log(f"scale {scale}: every page against the floor page in Chromium, in turns")
            counts = floor.chart_counts(dataset, pages, charts)
            records += floor.run(pages, floor_site, chromium, counts, scale, args.repeat, log)
        if "floor" in args.parts and chromium is None:
            log(f"scale {scale}: floor part skipped (no browser)")
        if "firstrun" in args.parts:
            log(f"scale {scale}: first run after publishing a version vs warm run")
            records += firstrun.run(pages, db, app.pid, scale, args.repeat, log)
        if "concurrency" in args.parts:
            log(f"scale {scale}: {args.sessions} simultaneous sessions, pages and floor")
            found, info = concurrency.run(
                pages,
                floor_site,
                scale,
                args.sessions,
                args.changes,
                not args.no_think,
                log,
                rounds=args.rounds,
            )
            records += found
            report.setdefault("concurrency", {})[scale] = info
    return records
