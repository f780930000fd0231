"""``python -m benchmarks.first_visit``: the first page load after a server starts, and the
next one, for two checkouts in turns.

Each round starts a server of A and one of B anew (``dortmund-kpi serve`` on the same
database, as ``benchmarks.ab`` serves them) and, as soon as it answers its health check,
loads the page twice, each time in a new browser context (nothing cached in the browser,
so the two loads differ only in what the server has done before). Medians per side:

    git worktree add /tmp/a HEAD~1
    python -m benchmarks.first_visit --a /tmp/a --b . --db /tmp/bench-work/M/kpi.duckdb \\
        --rounds 4 uebersicht
"""

from __future__ import annotations

import argparse
import statistics
import time
from collections.abc import Sequence
from pathlib import Path
from typing import Any

from playwright.sync_api import sync_playwright

from benchmarks import ab, browser


def _load_ms(chromium: Any, target: browser.Target) -> float:
    context, page = browser.new_page(chromium)
    try:
        started = time.perf_counter()
        browser.load(page, target)
        return (time.perf_counter() - started) * 1000
    finally:
        context.close()


def one_start(chromium: Any, root: Path, db: Path, path: str, log: Path) -> tuple[float, float]:
    """The first and the second load (ms) of ``path`` on a newly started server."""
    with ab.served(root, db, log) as base:
        target = browser.Target(path, f"{base}/{path}", 0)
        return _load_ms(chromium, target), _load_ms(chromium, target)


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ab.checkout_options(parser)
    ab.database_options(parser)
    parser.add_argument("--rounds", type=int, default=4, help="server starts per side")
    parser.add_argument("path", nargs="?", default="uebersicht", help="page path with query")
    args = parser.parse_args(argv)
    found: dict[str, list[tuple[float, float]]] = {"A": [], "B": []}
    with sync_playwright() as pw:
        chromium = browser.launch(pw)
        for turn in range(args.rounds):
            for side in ("A", "B") if turn % 2 == 0 else ("B", "A"):
                root = (args.a if side == "A" else args.b).resolve()
                log = args.log_dir / f"first-visit-{side}.log"
                found[side].append(one_start(chromium, root, args.db, args.path, log))
        chromium.close()
    for side, loads in found.items():
        first = statistics.median(f for f, _ in loads)
        second = statistics.median(s for _, s in loads)
        ratio = first / second
        print(f"{side}: first {first:6.0f} ms  second {second:6.0f} ms  first/second {ratio:.2f}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
