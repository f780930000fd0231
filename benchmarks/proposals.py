"""Checks the rewritten SQL of ``dortmund_kpi.db.read`` against the SQL before it.

``python -m benchmarks.proposals DB [DB ...]`` runs every rewritten query (``series_stats``
for city and districts, ``district_profile``, ``series``, ``sparklines``,
``district_periods``) and the same query as it was before (``benchmarks/sql_before.py``),
live and pinned, checks that both return the same rows and times both. The rewrite (see
docs/performance.md, "Queries"):

- the year window inside ``obs``, ``obs AS NOT MATERIALIZED``;
- ``series_stats``: one statement per kind (city or districts) and aggregates
  (``arg_max`` over a struct key) instead of window functions;
- ``district_profile``: rank only the (indicator, period) groups the profile shows and
  look up city values only for those keys.
"""

from __future__ import annotations

import os
import statistics
import sys
import time
from pathlib import Path

import duckdb
import numpy as np
import pandas as pd

from benchmarks import sql_before
from benchmarks.queries import Recorder, district_indicator
from dortmund_kpi.db import read
from dortmund_kpi.db.store import READ_CONFIG


def same_rows(a: pd.DataFrame, b: pd.DataFrame, keys: list[str]) -> bool:
    if len(a) != len(b) or set(a.columns) != set(b.columns):
        return False
    a = a.sort_values(keys).reset_index(drop=True)
    b = b[list(a.columns)].sort_values(keys).reset_index(drop=True)
    for column in a.columns:
        x, y = a[column], b[column]
        if pd.api.types.is_float_dtype(x):
            ok = np.isclose(x.to_numpy(float), y.to_numpy(float), equal_nan=True, rtol=1e-9)
        else:
            ok = x.astype(object).where(x.notna(), None).to_numpy() == (
                y.astype(object).where(y.notna(), None).to_numpy()
            )
        if not bool(np.all(ok)):
            return False
    return True


def _median_ms(con: duckdb.DuckDBPyConnection, sql: str, params: dict, runs: int = 3) -> float:
    samples = []
    for _ in range(runs):
        started = time.perf_counter()
        con.execute(sql, params).df()
        samples.append((time.perf_counter() - started) * 1000)
    return statistics.median(samples)


def compare(db: Path) -> bool:
    """Print, per query and moment, whether the rows are equal and both times; all equal?"""
    con = duckdb.connect(os.path.realpath(db), read_only=True, config=dict(READ_CONFIG))
    years = read.data_range(con)
    pinned = con.execute("SELECT max(valid_from) - INTERVAL 30 MINUTE FROM observations")
    moments = {"live": None, "pinned": pinned.fetchall()[0][0]}
    indicator = district_indicator(con)
    base = {"year_from": years[0], "year_to": years[1]}
    all_equal = True
    for label, as_of in moments.items():
        cases = [
            (
                "series_stats city",
                lambda c, a=as_of: read.series_stats(c, *years, as_of=a),
                sql_before.STATS_SQL,
                {**base, "as_of": as_of, "areas_kind": [True]},
                ["indicator_id", "area"],
            ),
            (
                "series_stats districts",
                lambda c, a=as_of: read.series_stats(c, *years, as_of=a, city=False),
                sql_before.STATS_SQL,
                {**base, "as_of": as_of, "areas_kind": [False]},
                ["indicator_id", "area"],
            ),
            (
                "district_profile",
                lambda c, a=as_of: read.district_profile(c, "hoerde", *years, as_of=a).drop(
                    columns="deviation"
                ),
                sql_before.PROFILE_SQL,
                {**base, "as_of": as_of, "slug": "hoerde"},
                ["indicator_id", "period"],
            ),
            (
                "series",
                lambda c, a=as_of: read.series(c, [indicator], ["dortmund", "hoerde"], *years, a),
                sql_before.SERIES_SQL,
                {**base, "as_of": as_of, "ids": [indicator], "areas": ["dortmund", "hoerde"]},
                ["indicator_id", "area", "period"],
            ),
            (
                "sparklines",
                lambda c, a=as_of: read.sparklines(c, *years, as_of=a),
                sql_before.SPARKLINES_SQL,
                {**base, "as_of": as_of},
                ["indicator_id", "period"],
            ),
            (
                "district_periods",
                lambda c, a=as_of: read.district_periods(c, indicator, *years, as_of=a),
                sql_before.DISTRICT_PERIODS_SQL,
                {**base, "as_of": as_of, "id": indicator},
                ["period"],
            ),
        ]
        for name, current, before_sql, before_params, keys in cases:
            equal = same_rows(current(con), con.execute(before_sql, before_params).df(), keys)
            all_equal &= equal
            recorder = Recorder(con)
            current(recorder)
            (sql_now, params_now), *_ = recorder.calls
            before = _median_ms(con, before_sql, before_params)
            now = _median_ms(con, sql_now, params_now)
            print(f"{db} {label} {name}: same rows {equal}, {before:.0f} -> {now:.0f} ms")
    con.close()
    return all_equal


if __name__ == "__main__":
    results = [compare(Path(arg)) for arg in sys.argv[1:]]
    sys.exit(0 if all(results) else 1)
