"""The targets of issue 7 (and issue 14's flat file, issue 17's floor), checked against
the records of one run.

Each check names the record it reads; a target whose records were not measured in
this run (scale not run, browser skipped) is reported as ``not measured``.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import asdict, dataclass

from benchmarks.records import Record

AGGREGATING = ("series_stats_city", "series_stats_district", "district_values", "district_profile")
PAGES = ("uebersicht", "masterplan", "indikator", "bezirke", "daten")
FILTERED = ("uebersicht", "masterplan", "indikator", "bezirke")
WARM_M = "warm script run at M < 150 ms"
WARM_S = "overview warm script run at S < 100 ms"
IMPORT_FLOOR = "import within 2x the DuckDB floor"
IMPORT_RATE = "import >= 500,000 rows/s at M"
FFCSV = "50 MB GENESIS flat file read within 3x DuckDB read_csv (issue 14)"
COLD = "browser: charts drawn <= 2.5 s after cold navigation"
FILTER = "browser: filter click to updated chart < 500 ms (warm)"
RSS = "peak RSS of the app at L < 1 GB"
MAP = "map payload < 200 KB"
RSS_RECORDS = ("rss.server", "rss.apptest_all_pages")
# Issue 17: ratios to the floor, checked at every scale they were measured at.
ISSUE17 = (
    ("vs_floor.{page}.warm", "warm page load <= 1.5x the floor page", 1.5),
    ("vs_floor.{page}.filter", "filter change <= 2x the floor's redraw", 2.0),
    ("first_run.{page}", "first run after an import <= 1.5x a warm run", 1.5),
    ("concurrency.{page}.20", "p95 at 20 sessions <= 1.5x the floor's", 1.5),
    ("import.run_import.vs_read_csv", "import <= 2x DuckDB read_csv into a table", 2.0),
    ("rss.import.run_import", "import peak RSS <= 2x DuckDB read_csv's", 2.0),
)


@dataclass(frozen=True)
class Check:
    target: str
    record: str
    scale: str
    field: str
    limit: float
    upper: bool  # True: value must stay at or below the limit
    value: float | None

    @property
    def verdict(self) -> str:
        if self.value is None:
            return "not measured"
        ok = self.value <= self.limit if self.upper else self.value >= self.limit
        return "holds" if ok else "missed"


def evaluate(records: Iterable[Record], import_rows: dict[str, int]) -> list[Check]:
    found = {(r.name, r.scale): r for r in records}

    def value(name: str, scale: str, field: str) -> float | None:
        record = found.get((name, scale))
        return None if record is None else getattr(record, field)

    checks: list[Check] = []

    def add(target: str, name: str, scale: str, field: str, limit: float, upper: bool) -> None:
        checks.append(Check(target, name, scale, field, limit, upper, value(name, scale, field)))

    queries = sorted(
        {name for name, scale in found if name.startswith("query.") and name.count(".") == 1}
    )
    for name in queries:
        add("query layer overhead <= 1.3x direct SQL", name, "M", "ratio_to_floor", 1.3, True)
        add(
            "ui.data.run (cache miss) overhead <= 1.3x direct SQL",
            f"{name}.ui_cold",
            "M",
            "ratio_to_floor",
            1.3,
            True,
        )
    for query in AGGREGATING:
        add(
            ">= 5x faster than pandas (aggregating, M)",
            f"query.{query}",
            "M",
            "speedup_vs_pandas",
            5.0,
            False,
        )
    simple = [
        *((WARM_M, f"page.{p}.warm", "M", "median_ms", 150, True) for p in PAGES),
        (WARM_S, "page.uebersicht.warm", "S", "median_ms", 100, True),
        (IMPORT_FLOOR, "import.run_import", "M", "ratio_to_floor", 2.0, True),
        (FFCSV, "ffcsv.read", "M", "ratio_to_floor", 3.0, True),
    ]
    for args in simple:
        add(*args)
    rows = import_rows.get("M")
    imp = found.get(("import.run_import", "M"))
    rate = round(rows / (imp.median_ms / 1000)) if rows and imp and imp.median_ms else None
    checks.append(Check(IMPORT_RATE, "import.run_import", "M", "rows/s", 500_000, False, rate))
    simple = [
        *((COLD, f"browser.{p}.cold", "M", "median_ms", 2500, True) for p in PAGES),
        *((FILTER, f"browser.{p}.filter", "M", "median_ms", 500, True) for p in FILTERED),
        *((RSS, name, "L", "rss_mb", 1024, True) for name in RSS_RECORDS),
        *((MAP, "payload.indikator", scale, "bytes", 200 * 1024, True) for scale in "SML"),
    ]
    for args in simple:
        add(*args)
    return checks


def issue17(records: Iterable[Record]) -> list[Check]:
    """Issue 17's checks for every record of its kinds (any scale, every page measured)."""
    checks = []
    for record in records:
        for pattern, target, limit in ISSUE17:
            if _matches(pattern, record.name):
                value = record.ratio_to_floor
                checks.append(
                    Check(target, record.name, record.scale, "ratio_to_floor", limit, True, value)
                )
    return checks


def _matches(pattern: str, name: str) -> bool:
    if "{page}" not in pattern:
        return name == pattern
    head, _, tail = pattern.partition("{page}")
    if not (name.startswith(head) and name.endswith(tail)):
        return False
    page = name[len(head) : len(name) - len(tail)]
    return bool(page) and "." not in page and page != "floor"


def as_dicts(checks: list[Check]) -> list[dict[str, object]]:
    return [{**asdict(c), "verdict": c.verdict} for c in checks]


def summary(checks: list[Check]) -> str:
    lines = ["", "targets (issues 7, 14 and 17):"]
    for c in checks:
        shown = "–" if c.value is None else f"{c.value:,.2f}".rstrip("0").rstrip(".")
        sign = "<=" if c.upper else ">="
        lines.append(
            f"  {c.verdict:<12} {c.record} [{c.scale}] {c.field} = {shown} "
            f"(target {sign} {c.limit:,g})  {c.target}"
        )
    return "\n".join(lines)
