"""Issue 17's tables for ``python -m benchmarks.report``: ours against the floor.

Every ratio is taken from the records (measured in turns in one run); the verdict column
compares it with the issue's "done when" limit (``benchmarks.targets.ISSUE17``).
"""

from __future__ import annotations

import statistics
from typing import Any

from benchmarks.targets import ISSUE17

LIMITS = {pattern: limit for pattern, _, limit in ISSUE17}


def _ms(value: float | None) -> str:
    return "" if value is None else f"{value:,.0f}"


def _ratio(value: float | None) -> str:
    return "" if value is None else f"{value:.2f}×"


def verdict(value: float | None, limit: float) -> str:
    if value is None:
        return "not measured"
    return "**pass**" if value <= limit else "**fail**"


def _pages(found: dict[tuple[str, str], dict[str, Any]], prefix: str, suffix: str) -> list:
    """(scale, page) of every record named ``prefix<page>suffix``, in the order found."""
    out = []
    for name, scale in found:
        if name.startswith(prefix) and name.endswith(suffix):
            page = name[len(prefix) : len(name) - len(suffix)]
            if page and "." not in page and page != "floor":
                out.append((scale, page))
    return out


def browser_table(found: dict[tuple[str, str], dict[str, Any]]) -> list[str]:
    warm, filt = LIMITS["vs_floor.{page}.warm"], LIMITS["vs_floor.{page}.filter"]
    lines = [
        f"| scale | page | warm load ms | floor ms | ratio | ≤ {warm:g}× | filter change ms | "
        f"floor redraw ms | ratio | ≤ {filt:g}× |",
        "|---|---|---:|---:|---:|---|---:|---:|---:|---|",
    ]
    for scale, page in _pages(found, "vs_floor.", ".warm"):
        w = found[(f"vs_floor.{page}.warm", scale)]
        wf = found.get((f"vs_floor.{page}.warm.floor", scale), {})
        f = found.get((f"vs_floor.{page}.filter", scale), {})
        ff = found.get((f"vs_floor.{page}.filter.floor", scale), {})
        lines.append(
            f"| {scale} | {page} | {_ms(w['median_ms'])} | {_ms(wf.get('median_ms'))} | "
            f"{_ratio(w['ratio_to_floor'])} | {verdict(w['ratio_to_floor'], warm)} | "
            f"{_ms(f.get('median_ms'))} | {_ms(ff.get('median_ms'))} | "
            f"{_ratio(f.get('ratio_to_floor'))} | {verdict(f.get('ratio_to_floor'), filt)} |"
        )
    return lines


def first_run_table(found: dict[tuple[str, str], dict[str, Any]]) -> list[str]:
    limit = LIMITS["first_run.{page}"]
    lines = [
        f"| scale | page | first run after publishing ms | warm run ms | ratio | ≤ {limit:g}× | "
        "at the moment of publishing ms | ratio |",
        "|---|---|---:|---:|---:|---|---:|---:|",
    ]
    for scale, page in _pages(found, "first_run.", ""):
        first = found[(f"first_run.{page}", scale)]
        warm = found.get((f"first_run.{page}.warm", scale), {})
        at_once = found.get((f"first_run.{page}.immediate", scale), {})
        lines.append(
            f"| {scale} | {page} | {_ms(first['median_ms'])} | {_ms(warm.get('median_ms'))} | "
            f"{_ratio(first['ratio_to_floor'])} | {verdict(first['ratio_to_floor'], limit)} | "
            f"{_ms(at_once.get('median_ms'))} | {_ratio(at_once.get('ratio_to_floor'))} |"
        )
    return lines


def concurrency_table(runs: list[dict[str, Any]]) -> list[str]:
    limit = LIMITS["concurrency.{page}.20"]
    lines = [
        "| scale | sessions | page | p50 ms | p95 ms | runs/s | floor p50 ms | floor p95 ms | "
        f"floor runs/s | p95 ratio | failures (ours / floor) | at 20: ≤ {limit:g}× |",
        "|---|---:|---|---:|---:|---:|---:|---:|---:|---:|---|---|",
    ]
    for run in runs:
        for scale, levels in run.get("concurrency", {}).items():
            for key, ours in levels.items():
                page = key.rsplit(".", 1)[0]
                floor = ours["floor"]
                factor = _p95_ratio(ours, floor)
                judged = verdict(factor, limit) if ours["sessions"] == 20 else ""
                lines.append(
                    f"| {scale} | {ours['sessions']} | {page} | {_ms(ours['p50_ms'])} | "
                    f"{_ms(ours['p95_ms'])} | {ours['runs_per_s']} | {_ms(floor['p50_ms'])} | "
                    f"{_ms(floor['p95_ms'])} | {floor['runs_per_s']} | {_ratio(factor)} | "
                    f"{ours['failures']} / {floor['failures']} | {judged} |"
                )
    return lines


def _p95_ratio(ours: dict[str, Any], floor: dict[str, Any]) -> float | None:
    """The median over the rounds of p95 / the floor's right after (runs before rounds
    were kept: the one round's)."""
    if ours.get("round_ratios"):
        return round(statistics.median(ours["round_ratios"]), 3)
    if not ours["p95_ms"] or not floor["p95_ms"]:
        return None
    return round(ours["p95_ms"] / floor["p95_ms"], 3)


def import_table(found: dict[tuple[str, str], dict[str, Any]]) -> list[str]:
    time_limit = LIMITS["import.run_import.vs_read_csv"]
    rss_limit = LIMITS["rss.import.run_import"]
    lines = [
        f"| scale | run_import s | read_csv s | ratio | ≤ {time_limit:g}× | "
        f"peak RSS run_import MB | read_csv MB | ratio | ≤ {rss_limit:g}× |",
        "|---|---:|---:|---:|---|---:|---:|---:|---|",
    ]
    for (name, scale), rec in found.items():
        if name != "import.run_import.vs_read_csv":
            continue
        csv = found.get(("import.read_csv", scale), {})
        rss = found.get(("rss.import.run_import", scale), {})
        rss_csv = found.get(("rss.import.read_csv", scale), {})
        lines.append(
            f"| {scale} | {_s(rec['median_ms'])} | {_s(csv.get('median_ms'))} | "
            f"{_ratio(rec['ratio_to_floor'])} | {verdict(rec['ratio_to_floor'], time_limit)} | "
            f"{_ms(rss.get('rss_mb'))} | {_ms(rss_csv.get('rss_mb'))} | "
            f"{_ratio(rss.get('ratio_to_floor'))} | "
            f"{verdict(rss.get('ratio_to_floor'), rss_limit)} |"
        )
    return lines


def _s(ms: float | None) -> str:
    return "" if ms is None else f"{ms / 1000:.2f}"


def section(runs: list[dict[str, Any]]) -> list[str]:
    """The issue 17 section (empty if no run measured any of it)."""
    found = {(r["name"], r["scale"]): r for run in runs for r in run["records"]}
    parts = [
        ("Pages against the floor page (Chromium, in turns)", browser_table(found)),
        ("First run after publishing a version", first_run_table(found)),
        ("Simultaneous sessions (one process) against the floor page", concurrency_table(runs)),
        ("Import against DuckDB read_csv into a table", import_table(found)),
    ]
    out: list[str] = []
    for title, table in parts:
        if len(table) > 2:
            out += ["", f"#### {title}", "", *table]
    return ["", "### Issue 17: against the floor", *out] if out else []
