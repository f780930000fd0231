"""``python -m benchmarks.ab_sessions``: simultaneous sessions on one page, two checkouts in
turns, each against the floor page.

The ``concurrency`` part measures a level once per page, and at 20 sessions its ratio
moves by ±0.15 from one run to the next. For a change smaller than that, this tool runs
A and B (``dortmund-kpi serve`` of each checkout on the same database, as
``benchmarks.ab`` serves them) and the floor page side by side: per round, a round of
``--sessions`` visitors on A or B (``concurrency.round_of``, the same visitors), then one
on the floor page; the order of A and B alternates. Reported per side: the median over
the rounds of p95 / the floor's p95 right after it, and of the p50. Before the timed
rounds every server answers each district once and one untimed round of the level, so
the rounds meet warm caches as the ``concurrency`` part's level 20 does after 1 and 5.

    git worktree add /tmp/a HEAD~1
    python -m benchmarks.ab_sessions --a /tmp/a --b . --db /tmp/bench-work/M/kpi.duckdb \\
        --rounds 6 masterplan
"""

from __future__ import annotations

import argparse
import statistics
from collections.abc import Sequence
from contextlib import ExitStack
from pathlib import Path

from benchmarks import ab, concurrency, floor, server
from benchmarks.concurrency import Site, round_of
from benchmarks.load import DISTRICTS
from dortmund_kpi.db.store import Store

SIDES = ("A", "B")


def warm(site: Site, sessions: int) -> None:
    """Every district asked for once (a single visitor changes it a few times per visit),
    then one untimed round of the level."""
    visits = -(-len(DISTRICTS) // (concurrency.CHANGES + 1))
    for seed in range(visits * 2):
        round_of(site, 1, concurrency.CHANGES, think=False, seed=seed)
    round_of(site, sessions, concurrency.CHANGES, think=False, seed=99)


def compare(sides: dict[str, Site], floor_site: Site, sessions: int, rounds: int) -> dict:
    """Per side: the ratios (p95 / the floor's right after) and p50s (ms) of every round."""
    for site in (*sides.values(), floor_site):
        warm(site, sessions)
    found: dict[str, dict[str, list[float]]] = {s: {"ratio": [], "p50": []} for s in sides}
    for turn in range(rounds):
        for side in SIDES if turn % 2 == 0 else SIDES[::-1]:
            seed = 30_000 + turn
            ours = round_of(sides[side], sessions, concurrency.CHANGES, think=True, seed=seed)
            theirs = round_of(floor_site, sessions, concurrency.CHANGES, think=True, seed=seed)
            if ours.p95_ms is None or theirs.p95_ms is None:
                raise RuntimeError(f"{side}: no interaction finished ({ours.errors[:1]})")
            found[side]["ratio"].append(ours.p95_ms / theirs.p95_ms)
            found[side]["p50"].append(statistics.median(ours.samples) * 1000)
            print(f"{side}: p95 {ours.p95_ms:.0f} ms, floor {theirs.p95_ms:.0f} ms", flush=True)
    return found


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--a", type=Path, required=True, help="checkout A (the baseline)")
    parser.add_argument("--b", type=Path, required=True, help="checkout B")
    parser.add_argument("--db", type=Path, required=True, help="database the pages read")
    parser.add_argument("--rounds", type=int, default=6, help="timed rounds per side")
    parser.add_argument("--sessions", type=int, default=20, help="simultaneous visitors")
    parser.add_argument("--log-dir", type=Path, default=Path("/tmp"))
    parser.add_argument("page", choices=floor.PAGES, help="the page (its link as measured)")
    args = parser.parse_args(argv)
    with ExitStack() as stack:
        bases = {
            side: stack.enter_context(ab.served(root, args.db, args.log_dir / f"{side}.log"))
            for side, root in zip(SIDES, (args.a, args.b), strict=True)
        }
        floor_app = stack.enter_context(
            server.serve_floor(args.db, args.log_dir / "floor_sessions.log")
        )
        pages, floor_site = floor.sites(Store(args.db), bases["A"], floor_app.base_url)
        site = next(p for p in pages if p.name == args.page)
        sides = {s: Site(site.name, bases[s], site.path, site.params) for s in SIDES}
        found = compare(sides, floor_site, args.sessions, args.rounds)
    medians = {s: statistics.median(found[s]["ratio"]) for s in SIDES}
    for side in SIDES:
        ratios = ", ".join(f"{r:.2f}" for r in found[side]["ratio"])
        p50 = statistics.median(found[side]["p50"])
        print(f"{side}: p95 / floor median {medians[side]:.2f} ({ratios}); p50 {p50:.0f} ms")
    print(f"B/A {medians['B'] / medians['A']:.3f}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
