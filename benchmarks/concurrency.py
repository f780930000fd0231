"""Simultaneous sessions against one ``dortmund-kpi serve`` process and the floor page.

Visitors speak Streamlit's websocket protocol as ``benchmarks/load.py`` does (its
``Visitor``: ``GET`` of the page and of ``/_stcore/health`` for the XSRF cookie, the
websocket ``/_stcore/stream``, ``rerun_script`` with the page and its query string, each
timed until ``script_finished``). A visitor opens the page with a district in its query
string, then changes the district ``changes`` times, with a think time between clicks.

A level of N sessions starts N visitors at once, against one page of ours and then
against the floor page (A B A B: the floor's round comes right after each page's, so
both meet the same busy phase of a shared machine), ``rounds`` times per page. One
round's ratio moves by about ±0.15 between runs at 20 sessions (its p95 is the 4th
slowest of 80 interactions, most of them the 20 first loads at once), so the ratio is
the median over the rounds. Per level and page:

- ``concurrency.<page>.<N>``: p50 (``median_ms``) and p95 of every interaction of the
  level's rounds; ``ratio_to_floor`` = the median over the rounds of the round's p95 /
  the p95 of the floor's round right after it (each round's ratio in the JSON);
- ``concurrency.floor.<N>``: p50 and p95 over all the floor's rounds of that level.

Runs per second (interactions / wall time of the round) and failures are in the JSON
report under ``concurrency``. The server is a single process (no replicas).
"""

from __future__ import annotations

import asyncio
import random
import statistics
import time
from collections.abc import Callable, Coroutine, Sequence
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from typing import Any, TypeVar
from urllib.parse import urlencode

import httpx

from benchmarks.load import DISTRICTS, THINK_S, TIMEOUT_S, Visitor
from benchmarks.records import Record, percentile, ratio

T = TypeVar("T")
LEVELS = (1, 5, 20)
CHANGES = 3
FLOOR = "floor"


@dataclass(frozen=True)
class Site:
    """What a visitor opens: a server, a page path (``""``: the main page), fixed params."""

    name: str
    base: str
    path: str
    params: dict[str, str] = field(default_factory=dict)

    def query(self, district: str) -> str:
        return urlencode({**self.params, "bezirk": district})


@dataclass
class Round:
    sessions: int
    samples: list[float] = field(default_factory=list)  # seconds
    wall_s: float = 0.0
    failures: int = 0
    errors: list[str] = field(default_factory=list)

    @property
    def p95_ms(self) -> float | None:
        return percentile(self.samples, 95) * 1000 if self.samples else None

    def add(self, other: Round) -> None:
        """Pool another round of as many sessions into this one."""
        self.samples += other.samples
        self.wall_s += other.wall_s
        self.failures += other.failures
        self.errors += other.errors

    def summary(self) -> dict[str, object]:
        return {
            "sessions": self.sessions,
            "interactions": len(self.samples),
            "p50_ms": round(statistics.median(self.samples) * 1000, 1) if self.samples else None,
            "p95_ms": round(self.p95_ms, 1) if self.samples else None,
            "runs_per_s": round(len(self.samples) / self.wall_s, 2) if self.wall_s else None,
            "failures": self.failures,
            "errors": self.errors[:3],
        }


async def visit(site: Site, rng: random.Random, changes: int, think: bool) -> list[float]:
    """One person: open the page, change the district ``changes`` times."""
    first = rng.choice(DISTRICTS)
    times = []
    async with httpx.AsyncClient(base_url=site.base, timeout=TIMEOUT_S) as http:
        start = time.perf_counter()
        (await http.get(f"/{site.path}?{site.query(first)}")).raise_for_status()
        person = Visitor(http, site.base)
        try:
            await person.connect()
            times.append(await person.interact(site.query(first), since=start, page=site.path))
            for _ in range(changes):
                if think:
                    await asyncio.sleep(rng.uniform(*THINK_S))
                district = rng.choice(DISTRICTS)
                times.append(await person.interact(site.query(district), page=site.path))
        finally:
            await person.close()
    return times


async def _round(site: Site, sessions: int, changes: int, think: bool, seed: int) -> Round:
    result = Round(sessions)
    start = time.perf_counter()
    visits = [visit(site, random.Random(seed + i), changes, think) for i in range(sessions)]
    outcomes = await asyncio.gather(*visits, return_exceptions=True)
    result.wall_s = time.perf_counter() - start
    for outcome in outcomes:
        if isinstance(outcome, BaseException):
            result.failures += 1
            result.errors.append(f"{type(outcome).__name__}: {outcome}"[:200])
        else:
            result.samples.extend(outcome)
    return result


def in_own_loop(coro: Coroutine[Any, Any, T]) -> T:
    """Run ``coro`` in a new event loop in its own thread: Playwright's sync API (the
    ``floor`` part) keeps an event loop running in the main thread."""
    with ThreadPoolExecutor(max_workers=1) as pool:
        return pool.submit(asyncio.run, coro).result()


def round_of(site: Site, sessions: int, changes: int, think: bool, seed: int) -> Round:
    return in_own_loop(_round(site, sessions, changes, think, seed))


def run(
    pages: Sequence[Site],
    floor: Site,
    scale: str,
    levels: Sequence[int],
    changes: int,
    think: bool,
    log: Callable[[str], None],
    rounds: int = 1,
) -> tuple[list[Record], dict[str, object]]:
    """Every level, every page with the floor's round after each of its ``rounds``;
    records and the JSON info."""
    for site in (*pages, floor):  # imports, first connection, caches: not counted
        round_of(site, 1, changes, think=False, seed=0)
    records: list[Record] = []
    info: dict[str, object] = {}
    for sessions in levels:
        floor_samples: list[float] = []
        for index, site in enumerate(pages):
            ours, theirs, ratios = _rounds(site, floor, sessions, changes, think, rounds, index)
            floor_samples += theirs.samples
            factor = statistics.median(ratios) if ratios else None
            records.append(_record(site.name, scale, ours, factor))
            info[f"{site.name}.{sessions}"] = ours.summary() | {
                "rounds": rounds,
                "round_ratios": [round(r, 3) for r in ratios],
                "floor": theirs.summary(),
            }
            log(
                f"  {sessions:2d} sessions {site.name}: p95 {_ms(ours.p95_ms)} ms, floor "
                f"{_ms(theirs.p95_ms)} ms, ratio {_factor(factor)} (rounds "
                f"{', '.join(f'{r:.2f}' for r in ratios)}), {ours.summary()['runs_per_s']} "
                f"runs/s, failures {ours.failures}/{theirs.failures}"
            )
        pooled = Round(sessions, floor_samples)
        records.append(_record(FLOOR, scale, pooled, None))
    return records, info


def _rounds(
    site: Site, floor: Site, sessions: int, changes: int, think: bool, rounds: int, index: int
) -> tuple[Round, Round, list[float]]:
    """``rounds`` rounds of ``site``, each followed by one of the floor page with the same
    visitors: both sides pooled, and each round's p95 ratio."""
    ours, theirs, ratios = Round(sessions), Round(sessions), []
    for turn in range(rounds):
        seed = sessions * 1000 + index + turn * 100_000
        mine = round_of(site, sessions, changes, think, seed)
        floor_round = round_of(floor, sessions, changes, think, seed)
        ours.add(mine)
        theirs.add(floor_round)
        factor = ratio(mine.p95_ms, floor_round.p95_ms)
        if factor is not None:
            ratios.append(factor)
    return ours, theirs, ratios


def _record(name: str, scale: str, result: Round, factor: float | None) -> Record:
    summary = result.summary()
    return Record(
        f"concurrency.{name}.{result.sessions}",
        scale,
        median_ms=summary["p50_ms"],  # type: ignore[arg-type]
        p95_ms=summary["p95_ms"],  # type: ignore[arg-type]
        ratio_to_floor=factor,
    )


def _factor(value: float | None) -> str:
    return "–" if value is None else f"{value:.2f}"


def _ms(value: float | None) -> str:
    return "–" if value is None else f"{value:.0f}"
