"""The first run of a page after an import, against a warm run of the same page.

One session per page speaks Streamlit's websocket protocol (``benchmarks/load.py``'s
``Visitor``) to ``dortmund-kpi serve``. In turns: a new version is published by
``Store.write()`` changing one value (the latest city value of the first indicator in
catalog order, which the overview and the first masterplan show, stamped now: an import
that brought one new figure; every cache of the data version misses, charts of unchanged
data are reused by content, ``views.memo``; not timed), the page is run (the first run),
then run again (warm). Each run is timed from ``rerun_script`` to ``script_finished``:
the server's work and the messages it sends, without a browser.

Two moments of the first run, each turn both:
- settled: the visitor comes once the server has taken the new version up (its read
  pool opens a new version within a second and builds the views looked at lately there,
  ``ui.prebuild``); the benchmark waits for that second and then until the server's CPU
  is quiet (``settled``). This is the visitor after an import: issue 17's target.
- immediate: the visitor's run starts the moment the version is published, before the
  server has seen it (the worst case: it builds the view itself).
A warm run follows each first run once the server is quiet (work that a first run set
off in the background does not slow the warm run it is compared with).

- ``first_run.<page>``: the settled first runs; ``ratio_to_floor`` = their median / the
  median of the warm runs (issue 17: <= 1.5);
- ``first_run.<page>.immediate``: the immediate first runs, the same ratio;
- ``first_run.<page>.warm``: the warm runs.
"""

from __future__ import annotations

import asyncio
import os
import time
from collections.abc import Callable, Sequence
from datetime import UTC, datetime
from pathlib import Path

import httpx

from benchmarks.concurrency import Site, in_own_loop
from benchmarks.load import TIMEOUT_S, Visitor
from benchmarks.records import Record, Timing, ratio
from dortmund_kpi.db.store import Store

DISTRICT = "hoerde"
FOLLOW_S = 1.2  # the app's read pool looks for a new version every second
QUIET_S = 0.5  # settled: the server used less than QUIET_SHARE of a core for this long
QUIET_SHARE = 0.05
SETTLE_TIMEOUT_S = 60.0


# The latest current city value of the first indicator (catalog order) that has one.
CHANGED_ROW = """SELECT o.rowid FROM observations o JOIN indicators i ON i.id = o.indicator_id
WHERE o.valid_to IS NULL AND o.area = 'dortmund'
ORDER BY i.sort_order, o.period_end DESC LIMIT 1"""


def publish(db_path: Path) -> None:
    """A new published version with one value changed (a new figure of one indicator),
    stamped now as an import stamps it: the Stand moves as after a real import."""
    with Store(db_path).write() as con:
        (row,) = con.execute(CHANGED_ROW).fetchone()
        con.execute(
            "UPDATE observations SET value = value + 1, valid_from = $now WHERE rowid = $row",
            {"row": row, "now": datetime.now(UTC)},
        )


def cpu_s(pid: int) -> float:
    """CPU seconds (user + system) the process used so far (Linux ``/proc``)."""
    fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


def settled(pid: int) -> float:
    """Wait until the server has seen a just-published version and finished what it set
    off (CPU quiet for ``QUIET_S``); returns the seconds waited."""
    start = time.monotonic()
    time.sleep(FOLLOW_S)
    before = cpu_s(pid)
    while time.monotonic() - start < SETTLE_TIMEOUT_S:
        time.sleep(QUIET_S)
        now = cpu_s(pid)
        if now - before < QUIET_S * QUIET_SHARE:
            break
        before = now
    return time.monotonic() - start


async def _page(site: Site, db_path: Path, pid: int, repeat: int) -> dict[str, Timing]:
    query = site.query(DISTRICT)
    runs: dict[str, list[float]] = {"settled": [], "immediate": [], "warm": []}
    async with httpx.AsyncClient(base_url=site.base, timeout=TIMEOUT_S) as http:
        (await http.get(f"/{site.path}?{query}")).raise_for_status()
        person = Visitor(http, site.base)
        try:
            await person.connect()
            await person.interact(query, page=site.path)  # session start, not counted
            for index in range(repeat + 1):  # the first turn is the warm-up
                for moment in ("immediate", "settled"):
                    await asyncio.to_thread(publish, db_path)
                    if moment == "settled":
                        await asyncio.to_thread(settled, pid)
                    cold = await person.interact(query, page=site.path)
                    if moment == "immediate":  # the server's work it set off ends first
                        await asyncio.to_thread(settled, pid)
                    again = await person.interact(query, page=site.path)
                    if index > 0:
                        runs[moment].append(cold * 1000)
                        runs["warm"].append(again * 1000)
        finally:
            await person.close()
    return {moment: Timing(tuple(ms)) for moment, ms in runs.items()}


def run(
    pages: Sequence[Site],
    db_path: Path,
    pid: int,
    scale: str,
    repeat: int,
    log: Callable[[str], None],
) -> list[Record]:
    """``db_path`` is the database the server (process ``pid``) serves (a private copy:
    versions are added)."""
    records: list[Record] = []
    for site in pages:
        timed = in_own_loop(_page(site, db_path, pid, repeat))
        warm = timed["warm"].median_ms
        factor = ratio(timed["settled"].median_ms, warm)
        at_once = ratio(timed["immediate"].median_ms, warm)
        records += [
            timed["settled"].record(f"first_run.{site.name}", scale, ratio_to_floor=factor),
            timed["immediate"].record(
                f"first_run.{site.name}.immediate", scale, ratio_to_floor=at_once
            ),
            timed["warm"].record(f"first_run.{site.name}.warm", scale),
        ]
        log(
            f"  {site.name}: first run after publishing {timed['settled'].median_ms:.0f} ms "
            f"({factor}x), at the moment of publishing {timed['immediate'].median_ms:.0f} ms "
            f"({at_once}x), warm {warm:.0f} ms"
        )
    return records
