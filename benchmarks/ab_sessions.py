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

The p95 ratio of one round moves by ±0.15; a median over six rounds still by about
±0.07. What changes less is the server's CPU time per interaction (user and system time
of the server process over the round, ``/proc/<pid>/stat``, divided by the round's
interactions): its spread between rounds is a few per cent. Both are reported.

    git worktree add /tmp/a HEAD~1
    python -m benchmarks.ab_sessions --a /tmp/a --b . --db /tmp/bench-work/M/kpi.duckdb \\
        --rounds 6 masterplan
"""

from __future__ import annotations

import argparse
import statistics
from collections.abc import Sequence
from contextlib import ExitStack

from benchmarks import ab, concurrency, floor, server
from benchmarks.concurrency import Site, round_of
from benchmarks.firstrun import cpu_s
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


def compare(
    sides: dict[str, Site], pids: dict[str, int], floor_site: Site, sessions: int, rounds: int
) -> dict:
    """Per side and round: p95 / the floor's right after, p50 (ms), server CPU ms per
    interaction."""
    for site in (*sides.values(), floor_site):
        warm(site, sessions)
    found = {s: {"ratio": [], "p50": [], "cpu": []} for s in sides}
    for turn in range(rounds):
        for side in SIDES if turn % 2 == 0 else SIDES[::-1]:
            seed = 30_000 + turn
            before = cpu_s(pids[side])
            ours = round_of(sides[side], sessions, concurrency.CHANGES, think=True, seed=seed)
            used = cpu_s(pids[side]) - before
            theirs = round_of(floor_site, sessions, concurrency.CHANGES, think=True, seed=seed)
            if ours.p95_ms is None or theirs.p95_ms is None:
                raise RuntimeError(f"{side}: no interaction finished ({ours.errors[:1]})")
            found[side]["ratio"].append(ours.p95_ms / theirs.p95_ms)
            found[side]["p50"].append(statistics.median(ours.samples) * 1000)
            found[side]["cpu"].append(used / len(ours.samples) * 1000)
            print(f"{side}: p95 {ours.p95_ms:.0f} ms, floor {theirs.p95_ms:.0f} ms", flush=True)
    return found


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ab.checkout_options(parser)
    ab.database_options(parser)
    parser.add_argument("--rounds", type=int, default=6, help="timed rounds per side")
    parser.add_argument("--sessions", type=int, default=20, help="simultaneous visitors")
    parser.add_argument("page", choices=floor.PAGES, help="the page (its link as measured)")
    args = parser.parse_args(argv)
    with ExitStack() as stack:
        apps = {
            side: stack.enter_context(ab.served_app(root, args.db, args.log_dir / f"{side}.log"))
            for side, root in zip(SIDES, (args.a, args.b), strict=True)
        }
        bases = {side: app.base_url for side, app in apps.items()}
        floor_app = stack.enter_context(
            server.serve_floor(args.db, args.log_dir / "floor_sessions.log")
        )
        pages, floor_site = floor.sites(Store(args.db), bases["A"], floor_app.base_url)
        site = next(p for p in pages if p.name == args.page)
        sides = {s: Site(site.name, bases[s], site.path, site.params) for s in SIDES}
        pids = {side: app.pid for side, app in apps.items()}
        found = compare(sides, pids, floor_site, args.sessions, args.rounds)
    medians = {s: {k: statistics.median(v) for k, v in found[s].items()} for s in SIDES}
    for side in SIDES:
        ratios = ", ".join(f"{r:.2f}" for r in found[side]["ratio"])
        cpu = ", ".join(f"{c:.1f}" for c in found[side]["cpu"])
        print(
            f"{side}: p95 / floor median {medians[side]['ratio']:.2f} ({ratios}); "
            f"p50 {medians[side]['p50']:.0f} ms; server CPU per interaction "
            f"{medians[side]['cpu']:.1f} ms ({cpu})"
        )
    for key, what in (("ratio", "p95 / floor"), ("cpu", "server CPU per interaction")):
        print(f"B/A {what}: {medians['B'][key] / medians['A'][key]:.3f}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
