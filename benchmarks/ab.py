"""``python -m benchmarks.ab``: warm page loads of two checkouts in turns, in one Chromium.

A question like "does leaving out X make the page faster?" has an answer smaller than the
spread between two runs of the same code (a page's warm load moves by 5-10 % from one
run to the next on the project's machine). So both checkouts are served at once, from
the same database, and loaded alternately (A B, then B A, ...) by the browser of the
floor benchmark (``benchmarks.browser``: loaded means script finished and every plotly
chart drawn). The medians and B/A are printed per page. Two runs of the same code give
B/A within about 0.93-1.07: smaller differences are not findings.

    git worktree add /tmp/a HEAD   # A: the code before
    python -m benchmarks.ab --a /tmp/a --b . --db /tmp/bench-work/M/kpi.duckdb masterplan
"""

from __future__ import annotations

import argparse
import statistics
import sys
import time
from collections.abc import Iterator, Sequence
from contextlib import ExitStack, contextmanager
from pathlib import Path

from playwright.sync_api import sync_playwright

from benchmarks import browser
from benchmarks.server import AppServer, started
from tools.devserver import free_port


@contextmanager
def served(root: Path, db: Path, log: Path) -> Iterator[str]:
    """``dortmund-kpi serve`` of the checkout at ``root`` (its code first on the path) on
    ``db``; its base URL."""
    with served_app(root, db, log) as app:
        yield app.base_url


@contextmanager
def served_app(root: Path, db: Path, log: Path) -> Iterator[AppServer]:
    """``served``, as the running server (its process too)."""
    port = free_port()
    command = [sys.executable, "-m", "dortmund_kpi", "serve", "--port", str(port)]
    command += ["--address", "127.0.0.1", "--db", str(db)]
    with started(command, port, log, f"{root}: dortmund-kpi serve", root=root) as app:
        yield app


def compare(
    page: object, bases: dict[str, str], path: str, rounds: int, charts: int = 0
) -> dict[str, float]:
    """Median warm load (ms) per side, each until at least ``charts`` charts are drawn;
    two loads each first (caches, the page's data)."""
    targets = {side: browser.Target(path, f"{base}/{path}", charts) for side, base in bases.items()}
    for side in ("A", "B", "A", "B"):
        browser.load(page, targets[side])
    times: dict[str, list[float]] = {"A": [], "B": []}
    for turn in range(rounds):
        for side in ("A", "B") if turn % 2 == 0 else ("B", "A"):
            started = time.perf_counter()
            browser.load(page, targets[side])
            times[side].append((time.perf_counter() - started) * 1000)
    return {side: statistics.median(found) for side, found in times.items()}


def checkout_options(parser: argparse.ArgumentParser) -> None:
    """The two checkouts of the tools that compare them (``ab``, ``first_visit``,
    ``ab_sessions``)."""
    parser.add_argument("--a", type=Path, required=True, help="checkout A (the baseline)")
    parser.add_argument("--b", type=Path, required=True, help="checkout B")


def database_options(parser: argparse.ArgumentParser) -> None:
    """The database the servers read and where their logs go."""
    parser.add_argument("--db", type=Path, required=True, help="database the pages read")
    parser.add_argument("--log-dir", type=Path, default=Path("/tmp"))


def page_options(parser: argparse.ArgumentParser, rounds: int) -> None:
    """The options of the tools that load pages of one database in turns (``ab``,
    ``breakdown``)."""
    database_options(parser)
    parser.add_argument("--rounds", type=int, default=rounds, help="timed loads per page")
    parser.add_argument("--charts", type=int, default=0, help="charts a load waits for")
    parser.add_argument("pages", nargs="+", help="paths with query, e.g. masterplan")


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    checkout_options(parser)
    page_options(parser, rounds=10)
    args = parser.parse_args(argv)
    with ExitStack() as stack, sync_playwright() as pw:
        bases = {
            side: stack.enter_context(
                served(root.resolve(), args.db, args.log_dir / f"ab-{side}.log")
            )
            for side, root in (("A", args.a), ("B", args.b))
        }
        chromium = browser.launch(pw)
        page = chromium.new_context(viewport=browser.VIEWPORT).new_page()
        for path in args.pages:
            median = compare(page, bases, path, args.rounds, args.charts)
            ratio = median["B"] / median["A"]
            print(f"{path:24} A {median['A']:6.0f} ms  B {median['B']:6.0f} ms  B/A {ratio:.3f}")
        chromium.close()
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
