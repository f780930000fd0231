"""GENESIS flat file benchmark: a large ffcsv read by the product vs DuckDB's ``read_csv``.

The file is the real Regionalstatistik sample (``tests/fixtures/official``, table
12411-01-01-4: 489 Kreise × 3 Geschlecht values, Stichtag 31.12.2024) scaled in time:
the same header, UTF-8 with BOM, ``;`` and LF, the same regions and attribute values
for one Stichtag per month end, from December 2024 back until the file has the size
asked for (``M``: 50 MB, 167 months, 245,000 rows). Values follow the sample's with a
deterministic drift per month; one value cell in 61 carries a GENESIS sign (``-``,
``.``, ``x``, ``/``, ``...``, ``(123)``, ``123p``, ``123r``), besides the sample's own
``-``. The same size gives the same file on every machine.

- ``ffcsv.read``: what an import of the file does before it writes: ``read_source``
  (recognise, decode, parse, judge every cell) and, for a monthly population indicator
  added to a copy of the real catalog, ``select`` (Dortmund, ``--filter Insgesamt``),
  ``rows`` and the import's validation (``validate_frames``), as
  ``run_official_import`` calls them;
- ``ffcsv.duckdb_varchar``: DuckDB ``read_csv`` of the same file with every column
  VARCHAR (parsing only: the floor for a reader that keeps text cells);
- ``ffcsv.duckdb_auto``: DuckDB ``read_csv`` with its own type detection.

Both DuckDB reads materialise the whole table (``fetch_arrow_table``). The three take
turns, in this run; ``ratio_to_floor`` = product / DuckDB VARCHAR (auto-detect / VARCHAR
for ``ffcsv.duckdb_auto``; product / auto-detect in the run's ``ffcsv`` info).
``rss_mb`` is the peak RSS (``VmHWM``) of a fresh process reading the file once that way
(``python -m benchmarks.ffcsvbench KIND FILE DATA_DIR``); the info also has its RSS
before reading and the growth as a multiple of the file size.
"""

from __future__ import annotations

import calendar
import json
import os
import shutil
import sys
from collections.abc import Callable
from datetime import date
from pathlib import Path

import duckdb

from benchmarks.memory import proc_status_kb, run_probe
from benchmarks.records import Record, measure_interleaved, ratio
from dortmund_kpi.ingest.importer import load_context
from dortmund_kpi.ingest.mapping import Mapping, rows
from dortmund_kpi.ingest.observations import validate_frames
from dortmund_kpi.ingest.selection import select
from dortmund_kpi.ingest.sources.read import read_source
from dortmund_kpi.settings import PROJECT_ROOT, Settings, get_settings

SAMPLE = (
    PROJECT_ROOT / "tests" / "fixtures" / "official" / "regionalstatistik_12411-01-01-4_ffcsv.csv"
)
SIZES = {"XS": 300_000, "M": 50_000_000}  # bytes of the file per scale (others: none)
LAST_YEAR = 2024
MAX_MONTHS = (LAST_YEAR - 1990) * 12  # the product's periods begin in 1990
INDICATOR = "bench_einwohner"
FILTER = "Insgesamt"
VARCHAR_SQL = "SELECT * FROM read_csv($path, delim = ';', header = true, all_varchar = true)"
AUTO_SQL = "SELECT * FROM read_csv($path, delim = ';', header = true)"
# A population indicator, monthly, added to a copy of the real catalog: month-end
# Stichtage are its months (the shipped catalog has no population indicator).
BENCH_INDICATOR = f"""
  - id: {INDICATOR}
    masterplan: verwaltung
    name: Einwohner (Benchmark)
    short_name: Einwohner
    unit: Einwohner
    definition: Einwohnerzahl am Monatsende (nur für den Benchmark).
    source: Regionalstatistik
    direction: higher
    aggregation: none
    level: city
    per_capita: false
    frequency: monthly
    decimals: 0
    min: 0
    max: 10000000
"""
SIGNS = ("-", ".", "x", "/", "...", "({})", "{}p", "{}r")
SIGN_EVERY = 61  # one value cell in 61 carries a sign
VALUE, TIME = 13, 4  # columns of the sample


def _sample() -> tuple[str, list[list[str]]]:
    text = SAMPLE.read_bytes().decode("utf-8-sig")
    lines = text.rstrip("\n").split("\n")
    return lines[0], [line.split(";") for line in lines[1:]]


def _value(text: str, months_back: int, n: int) -> str:
    """The sample's value drifted by month; every ``SIGN_EVERY``-th cell a GENESIS sign."""
    if not text.isdigit():
        return text  # the sample's own signs stay
    number = str(int(text) * (10000 - 2 * months_back) // 10000 + n % 7)
    if n % SIGN_EVERY:
        return number
    return SIGNS[(n // SIGN_EVERY) % len(SIGNS)].format(number)


def _month_end(months_back: int) -> str:
    """The last day of the month ``months_back`` months before December ``LAST_YEAR``."""
    year, month = divmod(LAST_YEAR * 12 + 11 - months_back, 12)
    return date(year, month + 1, calendar.monthrange(year, month + 1)[1]).isoformat()


def write_ffcsv(path: Path, size: int) -> dict[str, int]:
    """Write the scaled flat file of about ``size`` bytes (whole months); its shape."""
    header, sample = _sample()
    out = ["\ufeff" + header]
    written, months, n = len(out[0].encode()) + 1, 0, 0
    while written < size and months < MAX_MONTHS:
        stichtag = _month_end(months)
        for cells in sample:
            row = list(cells)
            row[TIME] = stichtag
            row[VALUE] = _value(cells[VALUE], months, n)
            line = ";".join(row)
            out.append(line)
            written += len(line.encode()) + 1
            n += 1
        months += 1
    path.write_text("\n".join(out) + "\n", encoding="utf-8", newline="")
    return {"rows": n, "months": months, "regions": len({c[7] for c in sample}), "bytes": written}


def bench_settings(work: Path) -> Settings:
    """A copy of the shipped data folder with the benchmark indicator (no database)."""
    data = work / "data"
    shutil.rmtree(data, ignore_errors=True)
    shutil.copytree(get_settings().data_dir, data, ignore=shutil.ignore_patterns("*.duckdb*"))
    with (data / "catalog.yaml").open("a", encoding="utf-8") as handle:
        handle.write(BENCH_INDICATOR)
    # the default import limit (50 MiB) applies: the file is one a user may import
    return Settings(data_dir=data, db_path=work / "unused.duckdb")


def read_as_import(path: Path, settings: Settings) -> int:
    """What an import does before writing: read, select for one indicator, rows, check."""
    table = read_source(path, settings.data_dir, settings.max_import_bytes)
    ctx = load_context(settings)
    mapping = Mapping(INDICATOR, None, (FILTER,))
    selection = select(table, mapping, ctx.catalog.indicator(INDICATOR), str(path))
    if selection.issues:
        raise RuntimeError(f"selection refused: {selection.issues[:3]}")
    frame = rows(INDICATOR, selection.records, table.source, str(path))
    validated = validate_frames([(frame, ";")], ctx)
    if validated.issues:
        raise RuntimeError(f"validation refused: {validated.issues[:3]}")
    return len(table.records)


def duckdb_read(con: duckdb.DuckDBPyConnection, path: Path, all_varchar: bool) -> int:
    """DuckDB ``read_csv`` of the whole file into memory (an Arrow table)."""
    query = VARCHAR_SQL if all_varchar else AUTO_SQL
    return con.sql(query, params={"path": str(path)}).to_arrow_table().num_rows


def connect() -> duckdb.DuckDBPyConnection:
    """An in-memory DuckDB, opened before the timing (as the product's modules are
    imported before it)."""
    con = duckdb.connect()
    con.execute("SET enable_progress_bar = false")
    return con


def run(
    scale: str, work: Path, repeat: int, log: Callable[[str], None]
) -> tuple[list[Record], dict[str, object]]:
    """The ffcsv records of one scale (none for a scale without a file size)."""
    size = SIZES.get(scale)
    if size is None:
        return [], {}
    work.mkdir(parents=True, exist_ok=True)
    path = work / "12411-01-01-4_benchmark_ffcsv.csv"
    shape = write_ffcsv(path, size)
    log(f"  ffcsv: {shape['rows']:,} rows, {shape['months']} months, {shape['bytes'] / 1e6:.1f} MB")
    settings = bench_settings(work)
    counts: dict[str, int] = {}
    with connect() as con:
        timings = measure_interleaved(
            {
                "product": lambda: counts.__setitem__("product", read_as_import(path, settings)),
                "varchar": lambda: counts.__setitem__("varchar", duckdb_read(con, path, True)),
                "auto": lambda: counts.__setitem__("auto", duckdb_read(con, path, False)),
            },
            repeat,
        )
    memory = peak_memory(path, settings)
    ours, floor, auto = timings["product"], timings["varchar"], timings["auto"]
    info: dict[str, object] = {
        **shape,
        "records": counts.get("product"),
        "duckdb_rows": counts.get("varchar"),
        "product_s": round(ours.median_ms / 1000, 3),
        "duckdb_varchar_s": round(floor.median_ms / 1000, 3),
        "duckdb_auto_s": round(auto.median_ms / 1000, 3),
        "ratio_to_varchar": ratio(ours.median_ms, floor.median_ms),
        "ratio_to_auto": ratio(ours.median_ms, auto.median_ms),
        "rss_mb": memory,  # per way: before reading (imports done) and peak
        "rss_growth_per_file_mb": _growth(memory["product"], shape["bytes"]),
    }
    log(
        f"  ffcsv: product {info['product_s']} s, DuckDB VARCHAR {info['duckdb_varchar_s']} s "
        f"(ratio {info['ratio_to_varchar']}), auto {info['duckdb_auto_s']} s; "
        f"peak RSS {memory['product']['peak_mb']} MB "
        f"({info['rss_growth_per_file_mb']}× the file above the start)"
    )
    records = [
        ours.record(
            "ffcsv.read",
            scale,
            ratio_to_floor=ratio(ours.median_ms, floor.median_ms),
            rss_mb=memory["product"]["peak_mb"],
            bytes=shape["bytes"],
        ),
        floor.record(
            "ffcsv.duckdb_varchar", scale, rss_mb=memory["varchar"]["peak_mb"], bytes=shape["bytes"]
        ),
        auto.record(
            "ffcsv.duckdb_auto",
            scale,
            ratio_to_floor=ratio(auto.median_ms, floor.median_ms),
            rss_mb=memory["auto"]["peak_mb"],
            bytes=shape["bytes"],
        ),
    ]
    path.unlink()
    return records, info


def _growth(rss: dict[str, float], size: int) -> float:
    """Peak RSS above the RSS before reading, as a multiple of the file size."""
    return round((rss["peak_mb"] - rss["start_mb"]) / (size / 2**20), 2)


def peak_memory(path: Path, settings: Settings) -> dict[str, dict[str, float]]:
    """Per way of reading, a fresh process: RSS after its imports and peak RSS (MB)."""
    env = dict(os.environ)
    env["PYTHONPATH"] = os.pathsep.join(p for p in (str(PROJECT_ROOT), env.get("PYTHONPATH")) if p)
    found = {}
    for kind in ("product", "varchar", "auto"):
        args = ["benchmarks.ffcsvbench", kind, str(path), str(settings.data_dir)]
        found[kind] = run_probe(args, env, "ffcsv memory probe")
    return found


def _probe(kind: str, path: Path, data_dir: Path) -> None:
    """Read once (``product``, ``varchar`` or ``auto``); print RSS before and peak."""
    settings = Settings(data_dir=data_dir, db_path=data_dir / "unused.duckdb")
    load_context(settings)  # the catalog's modules loaded, as in the timed runs
    con = connect()
    before = proc_status_kb(os.getpid())["VmRSS"] / 1024
    if kind == "product":
        read_as_import(path, settings)
    else:
        duckdb_read(con, path, kind == "varchar")
    peak = proc_status_kb(os.getpid())["VmHWM"] / 1024
    print(json.dumps({"start_mb": round(before, 1), "peak_mb": round(peak, 1)}))


if __name__ == "__main__":
    _probe(sys.argv[1], Path(sys.argv[2]), Path(sys.argv[3]))
