"""``python -m benchmarks.breakdown``: where a warm page load spends the browser's time.

The warm-load ratios of ``--parts floor`` say how much slower a page is than the floor
page, not why. This loads the floor page and each page given (served from one database, in
one Chromium, as ``benchmarks.ab`` does), several times each, and reports per page the
medians of Chromium's own counters for one load (``Performance.getMetrics``: main-thread
task, script, layout and style time), the document's elements and, from a CPU profile of
the same loads, the JavaScript files that took the most time themselves. "(program)" is
the browser's native work outside JavaScript (parsing, painting); a forced layout is
counted under ``getBoundingClientRect`` (or whichever call forced it), not under layout.

    python -m benchmarks.breakdown --db /tmp/bench-work/M/kpi.duckdb masterplan daten
"""

from __future__ import annotations

import argparse
import statistics
import time
from collections import Counter
from collections.abc import Sequence
from contextlib import ExitStack
from typing import Any

from playwright.sync_api import sync_playwright

from benchmarks import ab, browser, floor, server
from benchmarks.concurrency import FLOOR, Site
from dortmund_kpi.db.store import Store

METRICS = {  # Chromium's name (a duration in seconds): ours (in milliseconds)
    "TaskDuration": "task_ms",
    "ScriptDuration": "script_ms",
    "LayoutDuration": "layout_ms",
    "RecalcStyleDuration": "style_ms",
}
ELEMENTS_JS = "() => document.getElementsByTagName('*').length"
TOP_FILES = 8


def self_time_by_file(profile: dict[str, Any]) -> Counter[str]:
    """Milliseconds of a CPU profile (``Profiler.stop``'s ``profile``) per script file
    (its last path part), or per native entry ("(program)", "(garbage collector)", a DOM
    call such as ``getBoundingClientRect``) where the sample is not in a script."""
    nodes = {node["id"]: node["callFrame"] for node in profile["nodes"]}
    found: Counter[str] = Counter()
    for sample, delta_us in zip(profile["samples"], profile["timeDeltas"], strict=True):
        frame = nodes[sample]
        name = frame["url"].rsplit("/", 1)[-1] or frame["functionName"] or "(anonymous)"
        found[name] += delta_us / 1000
    return found


def _metrics(cdp: Any) -> dict[str, float]:
    values = {m["name"]: m["value"] for m in cdp.send("Performance.getMetrics")["metrics"]}
    return {ours: values[name] * 1000 for name, ours in METRICS.items()}


def measure(page: Any, target: browser.Target, rounds: int) -> dict[str, Any]:
    """Medians over ``rounds`` warm loads (after two untimed ones) and the mean self time
    per script file."""
    browser.load(page, target)
    browser.load(page, target)
    loads: list[dict[str, float]] = []
    files: Counter[str] = Counter()
    for _ in range(rounds):
        cdp = page.context.new_cdp_session(page)
        cdp.send("Performance.enable")
        cdp.send("Profiler.enable")
        cdp.send("Profiler.start")
        started = time.perf_counter()
        browser.load(page, target)
        load_ms = (time.perf_counter() - started) * 1000
        files.update(self_time_by_file(cdp.send("Profiler.stop")["profile"]))
        loads.append({"load_ms": load_ms, **_metrics(cdp), "elements": page.evaluate(ELEMENTS_JS)})
        cdp.detach()
    medians = {key: statistics.median(load[key] for load in loads) for key in loads[0]}
    mean_files = Counter({name: ms / rounds for name, ms in files.items()})
    return {**medians, "files": mean_files.most_common(TOP_FILES)}


def _print(name: str, found: dict[str, Any]) -> None:
    numbers = "  ".join(
        f"{key} {found[key]:,.0f}" for key in ("load_ms", *METRICS.values(), "elements")
    )
    print(f"{name}\n  {numbers}")
    print("  " + ", ".join(f"{file} {ms:.0f}" for file, ms in found["files"]))


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ab.page_options(parser, rounds=5)
    args = parser.parse_args(argv)
    with ExitStack() as stack, sync_playwright() as pw:
        ours = stack.enter_context(server.serve(args.db, args.log_dir / "breakdown.log"))
        floor_app = stack.enter_context(
            server.serve_floor(args.db, args.log_dir / "breakdown-floor.log")
        )
        with Store(args.db).connect_read() as con:
            indicator = floor.floor_indicator(con)
        chromium = browser.launch(pw)
        page = chromium.new_context(viewport=browser.VIEWPORT).new_page()
        query = Site(FLOOR, floor_app.base_url, "", {"indikator": indicator}).query(
            floor.FLOOR_DISTRICT
        )
        floor_target = browser.Target(FLOOR, f"{floor_app.base_url}/?{query}", 1)
        _print("floor page", measure(page, floor_target, args.rounds))
        for path in args.pages:
            target = browser.Target(path, f"{ours.base_url}/{path}", args.charts)
            _print(path, measure(page, target, args.rounds))
        chromium.close()
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
