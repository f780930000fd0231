"""``python -m benchmarks.report OUT.json [MORE.json ...]``: Markdown tables of one or more runs.

Used for docs/performance.md: machine, datasets, every record, and the targets, all
taken from the JSON files (nothing is typed in by hand).
"""

from __future__ import annotations

import json
import sys
from pathlib import Path
from typing import Any

from benchmarks import report17, targets
from benchmarks.records import Record


def _num(value: Any, digits: int = 1) -> str:
    if value is None:
        return ""
    if isinstance(value, int):
        return f"{value:,}"
    return f"{value:,.{digits}f}"


def machine_section(runs: list[dict[str, Any]]) -> list[str]:
    lines = ["| run | date | CPUs | CPU | RAM | Python | duckdb | streamlit | pandas | plotly |"]
    lines.append("|---|---|---|---|---|---|---|---|---|---|")
    for run in runs:
        m, v = run["machine"], run["machine"]["versions"]
        lines.append(
            f"| {' '.join(run['run']['argv'])} | {m['date']} | {m['cpu_count']} | "
            f"{m['cpu_model']} | {_num(m['ram_mb'])} MB | {m['python']} | {v['duckdb']} | "
            f"{v['streamlit']} | {v['pandas']} | {v['plotly']} |"
        )
    lines += ["", "| run | commit | load average at start / end (1, 5, 15 min) | duration |"]
    lines.append("|---|---|---|---|")
    for run in runs:
        m = run["machine"]
        dirty = " (uncommitted changes)" if m.get("git_dirty") else ""
        lines.append(
            f"| {' '.join(run['run']['argv'])} | {m.get('git_commit')}{dirty} | "
            f"{m.get('load_average_at_start')} / {m.get('load_average_at_end')} | "
            f"{run['run'].get('duration_s')} s |"
        )
    return lines


def dataset_section(runs: list[dict[str, Any]]) -> list[str]:
    lines = ["| scale | observations | history rows | indicators | districts | file | built in |"]
    lines.append("|---|---:|---:|---:|---:|---:|---:|")
    seen = set()
    for run in runs:
        for scale, d in run["datasets"].items():
            if scale in seen:
                continue
            seen.add(scale)
            lines.append(
                f"| {scale} | {d['observations']:,} | {d['history_rows']:,} | {d['indicators']} | "
                f"{d['districts']} | {d['file_bytes'] / 2**20:,.0f} MB | {d['build_s']} s |"
            )
    return lines


def records_section(records: list[dict[str, Any]]) -> list[str]:
    header = "| name | scale | median ms | p95 ms | ratio to floor | speed-up vs pandas | RSS MB |"
    lines = [header + " bytes |", "|---|---|---:|---:|---:|---:|---:|---:|"]
    for r in records:
        lines.append(
            f"| {r['name']} | {r['scale']} | {_num(r['median_ms'])} | {_num(r['p95_ms'])} | "
            f"{_num(r['ratio_to_floor'], 2)} | {_num(r['speedup_vs_pandas'], 2)} | "
            f"{_num(r['rss_mb'], 0)} | {_num(r['bytes'])} |"
        )
    return lines


def ffcsv_section(runs: list[dict[str, Any]]) -> list[str]:
    """The flat file part: the file, the three reads, the ratios and peak memory."""
    lines = [
        "| commit | scale | file | rows | months × regions | product s | DuckDB VARCHAR s | "
        "DuckDB auto s | ratio to VARCHAR | ratio to auto | peak RSS product / DuckDB MB | "
        "RSS growth / file size |",
        "|---|---|---:|---:|---|---:|---:|---:|---:|---:|---|---:|",
    ]
    for run in runs:
        for scale, f in run.get("ffcsv", {}).items():
            rss = f["rss_mb"]
            lines.append(
                f"| {run['machine'].get('git_commit')} | {scale} | {f['bytes'] / 1e6:,.1f} MB | "
                f"{f['rows']:,} | "
                f"{f['months']} × {f['regions']} | {f['product_s']} | {f['duckdb_varchar_s']} | "
                f"{f['duckdb_auto_s']} | {_num(f['ratio_to_varchar'], 2)} | "
                f"{_num(f['ratio_to_auto'], 2)} | {_num(rss['product']['peak_mb'], 0)} / "
                f"{_num(rss['varchar']['peak_mb'], 0)} | {f['rss_growth_per_file_mb']}× |"
            )
    return lines


def targets_section(records: list[dict[str, Any]], import_rows: dict[str, int]) -> list[str]:
    found = [Record(**r) for r in records]
    checks = targets.evaluate(found, import_rows) + targets.issue17(found)
    lines = ["| target | record | scale | measured | limit | verdict |"]
    lines.append("|---|---|---|---:|---:|---|")
    for c in checks:
        if c.value is None:
            continue
        sign = "≤" if c.upper else "≥"
        lines.append(
            f"| {c.target} | {c.record} | {c.scale} | {_num(c.value, 2)} | {sign} {c.limit:,g} | "
            f"**{c.verdict}** |"
        )
    return lines


def render(paths: list[Path]) -> str:
    runs = [json.loads(p.read_text()) for p in paths]
    records = [r for run in runs for r in run["records"]]
    import_rows = {s: int(i["rows"]) for run in runs for s, i in run["import"].items()}
    out = ["### Machine", "", *machine_section(runs), "", "### Datasets", ""]
    out += [*dataset_section(runs), "", "### Targets", "", *targets_section(records, import_rows)]
    out += report17.section(runs)
    if any(run.get("ffcsv") for run in runs):
        out += ["", "### GENESIS flat file", "", *ffcsv_section(runs)]
    out += ["", "### All records", "", *records_section(records)]
    return "\n".join(out) + "\n"


if __name__ == "__main__":
    print(render([Path(p) for p in sys.argv[1:]]), end="")
