"""The first run of a page after an import, against a warm run of the same page.

One session per page speaks Streamlit's websocket protocol (``benchmarks/load.py``'s
``Visitor``) to ``dortmund-kpi serve``. In turns: a new version is published by
``Store.write()`` changing one value (the latest city value of the first indicator in
catalog order, which the overview and the first masterplan show, stamped now: an import
that brought one new figure; every cache of the data version misses, charts of unchanged
data are reused by content, ``views.memo``; not timed), the page is run (the first run),
then run again (warm). Each run is timed from ``rerun_script`` to ``script_finished``:
the server's work and the messages it sends, without a browser.

- ``first_run.<page>``: the first runs; ``ratio_to_floor`` = their median / the median
  of the warm runs (issue 17: <= 1.5);
- ``first_run.<page>.warm``: the warm runs.
"""

from __future__ import annotations

import asyncio
from collections.abc import Callable, Sequence
from datetime import UTC, datetime
from pathlib import Path

import httpx

from benchmarks.concurrency import Site, in_own_loop
from benchmarks.load import TIMEOUT_S, Visitor
from benchmarks.records import Record, Timing, ratio
from dortmund_kpi.db.store import Store

DISTRICT = "hoerde"


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


async def _page(site: Site, db_path: Path, repeat: int) -> tuple[Timing, Timing]:
    query = site.query(DISTRICT)
    first: list[float] = []
    warm: list[float] = []
    async with httpx.AsyncClient(base_url=site.base, timeout=TIMEOUT_S) as http:
        (await http.get(f"/{site.path}?{query}")).raise_for_status()
        person = Visitor(http, site.base)
        try:
            await person.connect()
            await person.interact(query, page=site.path)  # session start, not counted
            for index in range(repeat + 1):  # the first turn is the warm-up
                await asyncio.to_thread(publish, db_path)
                cold = await person.interact(query, page=site.path)
                again = await person.interact(query, page=site.path)
                if index > 0:
                    first.append(cold * 1000)
                    warm.append(again * 1000)
        finally:
            await person.close()
    return Timing(tuple(first)), Timing(tuple(warm))


def run(
    pages: Sequence[Site],
    db_path: Path,
    scale: str,
    repeat: int,
    log: Callable[[str], None],
) -> list[Record]:
    """``db_path`` is the database the server serves (a private copy: versions are added)."""
    records: list[Record] = []
    for site in pages:
        first, warm = in_own_loop(_page(site, db_path, repeat))
        factor = ratio(first.median_ms, warm.median_ms)
        records += [
            first.record(f"first_run.{site.name}", scale, ratio_to_floor=factor),
            warm.record(f"first_run.{site.name}.warm", scale),
        ]
        log(
            f"  {site.name}: first run after publishing {first.median_ms:.0f} ms, "
            f"warm {warm.median_ms:.0f} ms ({factor}x)"
        )
    return records
