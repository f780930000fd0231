"""Full script runs of every page via Streamlit's AppTest, and the size of what they send.

Pages are opened the way ``tests/app/conftest.py`` opens them (the real router
``dashboard.py``; a page other than the overview is reached with one run of the
default page, then its link parameters and ``switch_page``). Timed is the page's
own script run:

- ``page.<page>.cold``: the page's session run again with every Streamlit cache cleared
  right before (``st.cache_data``, ``st.cache_resource``: connection and bootstrap; the
  geometry cache), as when a new data version arrives. Python modules stay imported.
- ``page.<page>.warm``: the same session run again, everything cached.
- ``page.<page>.new_version``: the same session run again right after a new data version
  was published (``Store.write()`` without changes, then a pause as between an import and
  the next visitor): the process is warm, every cache keyed by the version misses. The
  first run after an import.

Payload records (from the last run): ``payload.<page>`` = bytes of the page's largest
plotly figure spec (JSON as sent to the browser, the map's GeoJSON included; null
for a page without plotly charts); ``payload.<page>.total`` = bytes of every element
of the page (the protobuf deltas of one run).
"""

from __future__ import annotations

import os
import time
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

from benchmarks.datasets import Dataset
from benchmarks.queries import district_indicator, quiet_streamlit
from benchmarks.records import Record, measure
from dortmund_kpi.settings import ENV_DB, PROJECT_ROOT
from dortmund_kpi.ui.tile_markup import DRAWING_CLASS

DASHBOARD = PROJECT_ROOT / "dashboard.py"
PAGES = ("uebersicht", "masterplan", "indikator", "bezirke", "daten")
TIMEOUT_S = 900
SMALL_MULTIPLE = "dkpi-small-multiple"  # the class of a static small multiple (screens/plan.py)
DRAWING = f'<div class="{DRAWING_CLASS}">'  # what ui.widgets.drawing sends
STATIC_CHART = "dkpi-static"  # ... of any other chart drawn as SVG (ui.widgets.svg_chart)
PAUSE_AFTER_IMPORT_S = 2.0  # the next visitor comes a moment after an import


def page_params(dataset: Dataset) -> dict[str, dict[str, Any]]:
    """The link each page is opened with: defaults, the indicator page with its map."""
    with dataset.store.connect_read() as con:
        indicator = district_indicator(con)
    return {page: ({"indikator": indicator} if page == "indikator" else {}) for page in PAGES}


def clear_caches() -> None:
    import streamlit as st

    from dortmund_kpi import geometry

    st.cache_data.clear()
    st.cache_resource.clear()
    geometry._load.cache_clear()


def open_app(page: str, params: dict[str, Any], before_page_run: Callable[[], None]) -> Any:
    """An AppTest on ``page``, ready for its timed run (the next ``run()``)."""
    from streamlit.testing.v1 import AppTest

    at = AppTest.from_file(str(DASHBOARD), default_timeout=TIMEOUT_S)
    if page == "uebersicht":
        at.query_params.update(params)
    else:
        at.run()
        at.query_params.clear()
        at.query_params.update(params)
        at.switch_page(_page_file(page))
    before_page_run()
    return at


def _page_file(page: str) -> str:
    from dortmund_kpi.ui import widgets

    return widgets.PAGE_FILES[page]


def walk(node: Any) -> Iterator[Any]:
    yield node
    children = getattr(node, "children", None)
    if isinstance(children, dict):
        for child in children.values():
            yield from walk(child)


def payload(at: Any) -> tuple[int | None, int, int]:
    """(largest chart in bytes or None, bytes of all elements, chart count). Charts are
    plotly charts (their spec) and charts drawn as SVG (the ``st.html`` that sets their
    markup, ``ui.widgets.drawing``: small multiples, timeline, maps, rankings; its size as
    sent), whose plotly form is sent only when its popover is opened; the browser waits
    for that many charts drawn."""
    largest, total, charts = None, 0, 0
    for node in walk(at._tree):
        proto = getattr(node, "proto", None)
        if proto is None or not hasattr(proto, "ByteSize"):
            continue
        total += proto.ByteSize()
        kind = getattr(node, "type", None)
        if kind == "plotly_chart":
            size = len(proto.spec.encode("utf-8"))
            largest = size if largest is None else max(largest, size)
            charts += 1
        elif (
            kind == "html"
            and proto.body.startswith(DRAWING)
            and (SMALL_MULTIPLE in proto.body or STATIC_CHART in proto.body)
        ):
            size = len(proto.body.encode("utf-8"))
            largest = size if largest is None else max(largest, size)
            charts += 1
    return largest, total, charts


def run_page(page: str, params: dict[str, Any], cold: bool) -> Any:
    """One timed-ready app on ``page``; returns the AppTest after its page run."""
    at = open_app(page, params, clear_caches if cold else (lambda: None))
    at.run()
    return at


def run(
    dataset: Dataset, repeat: int, log: Callable[[str], None]
) -> tuple[list[Record], dict[str, int]]:
    """Cold and warm page runs and payloads of every page; also returns chart counts."""
    os.environ[ENV_DB] = str(dataset.settings.db_path)
    quiet_streamlit()
    records: list[Record] = []
    chart_counts: dict[str, int] = {}
    for page, params in page_params(dataset).items():
        at = open_app(page, params, lambda: None)
        cold = measure(at.run, repeat, setup=clear_caches)
        _check(at, page, log)
        warm = measure(at.run, repeat, warmup=0)  # the last cold run filled the caches
        _check(at, page, log)
        fresh = measure(at.run, repeat, warmup=0, setup=lambda: publish(dataset))
        _check(at, page, log)
        largest, total, charts = payload(at)
        chart_counts[page] = charts
        records += [
            cold.record(f"page.{page}.cold", dataset.scale),
            warm.record(f"page.{page}.warm", dataset.scale),
            fresh.record(f"page.{page}.new_version", dataset.scale),
            Record(f"payload.{page}", dataset.scale, bytes=largest),
            Record(f"payload.{page}.total", dataset.scale, bytes=total),
        ]
        log(
            f"  {page}: cold {cold.median_ms:.0f} ms, warm {warm.median_ms:.0f} ms, "
            f"new version {fresh.median_ms:.0f} ms, "
            f"{charts} charts, largest {largest or 0:,} B, all elements {total:,} B"
        )
    clear_caches()
    return records, chart_counts


def publish(dataset: Dataset) -> None:
    """A new data version with the same values, as an import publishes one."""
    with dataset.store.write():
        pass
    time.sleep(PAUSE_AFTER_IMPORT_S)


def _check(at: Any, page: str, log: Callable[[str], None]) -> None:
    if len(at.exception):
        log(f"  ! {page}: the page raised an exception ({at.exception[0].value[:200]!r})")


def main(argv: list[str]) -> None:
    """``python -m benchmarks.apptest DB``: run every page once (cold) in this process and
    print the peak RSS (VmHWM) as JSON. Used for the memory records without a browser."""
    import json

    from benchmarks.memory import proc_status_kb

    db = Path(argv[0])
    os.environ[ENV_DB] = str(db)
    quiet_streamlit()
    from dortmund_kpi.db.store import Store

    with Store(db).connect_read() as con:
        indicator = district_indicator(con)
    before = proc_status_kb(os.getpid())
    for page in PAGES:
        params = {"indikator": indicator} if page == "indikator" else {}
        run_page(page, params, cold=False)
    after = proc_status_kb(os.getpid())
    print(json.dumps({"before": before, "after": after}))


if __name__ == "__main__":
    import sys

    main(sys.argv[1:])
