"""Smoke run of the benchmark at the tiny scale XS, so it never rots.

It checks that every kind of measurement produces records of the documented shape,
never how large the numbers are (no wall-clock thresholds).
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
FIELDS = ["name", "scale", "median_ms", "p95_ms", "ratio_to_floor", "speedup_vs_pandas"]
FIELDS += ["rss_mb", "bytes"]
NUMBER_FIELDS = ("median_ms", "p95_ms", "ratio_to_floor", "speedup_vs_pandas", "rss_mb")
PAGES = ("uebersicht", "masterplan", "indikator", "bezirke", "daten")
QUERIES = (
    "series_stats_city",
    "series_stats_district",
    "sparklines",
    "series_indicator",
    "series_masterplan",
    "series_pinned",
    "series_stats_pinned",
    "district_periods",
    "district_values",
    "district_profile",
    "freshness",
)


@pytest.fixture(scope="module")
def report(tmp_path_factory: pytest.TempPathFactory) -> dict:
    work = tmp_path_factory.mktemp("bench")
    out = work / "out.json"
    env = dict(os.environ)
    env.pop("DORTMUND_KPI_DB", None)
    env["PYTHONPATH"] = os.pathsep.join(p for p in (str(ROOT), env.get("PYTHONPATH")) if p)
    command = [sys.executable, "-m", "benchmarks", "--scale", "XS", "--repeat", "1"]
    command += ["--warmup", "0", "--skip-browser", "--json", str(out)]
    command += ["--workdir", str(work / "data")]
    done = subprocess.run(
        command, cwd=ROOT, env=env, capture_output=True, text=True, timeout=600, check=False
    )
    assert done.returncode == 0, done.stderr[-4000:]
    assert "query.series_stats_city" in done.stdout  # the table on stdout
    return json.loads(out.read_text())


def by_name(report: dict) -> dict[str, dict]:
    return {r["name"]: r for r in report["records"]}


def test_every_record_has_exactly_the_documented_fields_and_types(report: dict) -> None:
    assert report["records"]
    for record in report["records"]:
        assert list(record) == FIELDS
        assert isinstance(record["name"], str) and record["name"]
        assert record["scale"] == "XS"
        for field in NUMBER_FIELDS:
            assert record[field] is None or isinstance(record[field], int | float), record
        assert record["bytes"] is None or isinstance(record["bytes"], int), record


def test_machine_info_is_recorded(report: dict) -> None:
    machine = report["machine"]
    for key in ("cpu_count", "cpu_model", "ram_mb", "python", "versions", "date"):
        assert key in machine
    assert isinstance(machine["cpu_count"], int)
    for package in ("duckdb", "streamlit", "pandas"):
        assert isinstance(machine["versions"][package], str)
    assert report["datasets"]["XS"]["observations"] > 0


def test_import_records_have_timings_and_the_ratio_to_the_floor(report: dict) -> None:
    records = by_name(report)
    for name in ("import.run_import", "import.cli", "import.floor"):
        assert isinstance(records[name]["median_ms"], float)
        assert isinstance(records[name]["p95_ms"], float)
        assert isinstance(records[name]["bytes"], int)
    assert isinstance(records["import.run_import"]["ratio_to_floor"], float)
    assert isinstance(report["import"]["XS"]["rows_per_s"], int)


def test_every_page_query_is_measured_against_direct_sql_and_pandas(report: dict) -> None:
    records = by_name(report)
    for query in QUERIES:
        layer = records[f"query.{query}"]
        assert isinstance(layer["median_ms"], float)
        assert isinstance(layer["ratio_to_floor"], float)
        assert isinstance(layer["speedup_vs_pandas"], float)
        for variant in ("direct", "pandas", "ui_cold", "ui_warm"):
            assert isinstance(records[f"query.{query}.{variant}"]["median_ms"], float)
    # The speed-up is only meaningful if the pandas baseline does the same work.
    checks = report["checks"]["XS"]
    assert set(checks) == set(QUERIES)
    differing = {query: result for query, result in checks.items() if result != "equal"}
    assert not differing, (
        f"benchmarks/pandas_impl.py no longer returns what dortmund_kpi.db.read returns: "
        f"{differing}; update the pandas baseline together with the query"
    )


def test_every_page_is_run_cold_warm_and_on_a_new_version_with_its_payload(report: dict) -> None:
    records = by_name(report)
    for page in PAGES:
        for kind in ("cold", "warm", "new_version"):
            assert isinstance(records[f"page.{page}.{kind}"]["median_ms"], float)
        assert isinstance(records[f"payload.{page}.total"]["bytes"], int)
    # The indicator page (a district indicator) shows a map: its spec is the largest figure.
    assert isinstance(records["payload.indikator"]["bytes"], int)
    assert isinstance(records["payload.masterplan"]["bytes"], int)


def test_peak_memory_is_recorded(report: dict) -> None:
    assert isinstance(by_name(report)["rss.apptest_all_pages"]["rss_mb"], float)


def test_the_flat_file_is_read_by_the_product_and_by_duckdb_with_a_ratio(report: dict) -> None:
    records = by_name(report)
    for name in ("ffcsv.read", "ffcsv.duckdb_varchar", "ffcsv.duckdb_auto"):
        assert isinstance(records[name]["median_ms"], float)
        assert isinstance(records[name]["rss_mb"], float)
        assert isinstance(records[name]["bytes"], int)
    assert isinstance(records["ffcsv.read"]["ratio_to_floor"], float)
    info = report["ffcsv"]["XS"]
    # both read the whole file: every row is a record (the file has no empty value cell)
    assert info["records"] == info["duckdb_rows"] == info["rows"] > 0
    assert isinstance(info["ratio_to_auto"], float)
    assert isinstance(info["rss_growth_per_file_mb"], float)
