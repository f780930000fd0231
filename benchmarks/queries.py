"""Every query a page issues: query layer vs the same SQL run directly vs pandas.

- ``query.<case>``: ``dortmund_kpi.db.read.<fn>(cursor, ...)``, the query layer the
  pages use (through ``ui.data.run``). ``ratio_to_floor`` = layer / direct,
  ``speedup_vs_pandas`` = pandas / layer.
- ``query.<case>.direct``: the identical SQL text and parameters (captured from the
  layer in this run) executed on a cursor and fetched into a DataFrame (``.df()``): the
  statement that answers, without the layer's lookup of the version's aggregates.
- ``query.<case>.pandas``: ``benchmarks.pandas_impl`` on in-memory frames of the same data.
- ``query.<case>.ui_cold`` / ``.ui_warm``: ``dortmund_kpi.ui.data.run`` (Streamlit's
  ``st.cache_data`` around the layer) with its cache cleared before every call, and
  answered from the cache. ``ratio_to_floor`` against the direct SQL as well.

Before timing, each case's layer result is compared with the pandas result, so the
baseline answers the same question (``check_equal``).
"""

from __future__ import annotations

import logging
import os
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

import duckdb
import numpy as np
import pandas as pd

from benchmarks import pandas_impl
from benchmarks.datasets import Dataset
from benchmarks.records import Record, measure, measure_interleaved, ratio
from dortmund_kpi.db import aggregates, read
from dortmund_kpi.settings import ENV_DB

# arg_max(period, period_end) may pick any of several periods that end on the same day
# (a year and its December): such columns are compared for presence only.
TIES = {"freshness": {"last_period", "last_period_type"}}
SORT_KEYS = {
    "series_stats": ["indicator_id", "area"],
    "district_profile": ["indicator_id", "period"],
    "freshness": ["indicator_id"],
}


@dataclass(frozen=True)
class Case:
    name: str
    fn: str  # name of the function in dortmund_kpi.db.read (and in pandas_impl)
    args: tuple
    kwargs: dict[str, Any] = field(default_factory=dict)


@dataclass
class Recorder:
    """A cursor stand-in that records the SQL and parameters the layer sends."""

    con: duckdb.DuckDBPyConnection
    calls: list[tuple[str, Any]] = field(default_factory=list)

    def execute(self, sql: str, params: Any = None) -> duckdb.DuckDBPyConnection:
        self.calls.append((sql, params))
        return self.con.execute(sql, params)


def district_indicator(con: duckdb.DuckDBPyConnection) -> str:
    """The first district-level indicator of the catalog: the indicator page with a map."""
    return str(
        con.execute(
            "SELECT id FROM indicators WHERE level = 'district' ORDER BY sort_order LIMIT 1"
        ).fetchall()[0][0]
    )


def cases(con: duckdb.DuckDBPyConnection, dataset: Dataset) -> list[Case]:
    """The calls the pages make with their default view (plus a selected district)."""
    years = read.data_range(con)
    indicator = district_indicator(con)
    plan = [
        str(r[0])
        for r in con.execute(
            "SELECT id FROM indicators WHERE masterplan = 'verwaltung' ORDER BY sort_order"
        ).fetchall()
    ]
    periods = read.district_periods(con, indicator, *years)
    period = str(periods["period"].iloc[0])
    areas = ["dortmund", "hoerde"]
    live: dict[str, Any] = {"as_of": None}  # explicit, as the page data pass it
    pinned: dict[str, Any] = {"as_of": dataset.pinned_at}
    return [
        Case("series_stats_city", "series_stats", years, live),
        Case("series_stats_district", "series_stats", years, {**live, "city": False}),
        Case("sparklines", "sparklines", years, live),
        Case("series_indicator", "series", ([indicator], areas, *years), live),
        Case("series_masterplan", "series", (plan, ["dortmund"], *years), live),
        Case("series_pinned", "series", ([indicator], areas, *years), pinned),
        Case("series_stats_pinned", "series_stats", years, pinned),
        Case("district_periods", "district_periods", (indicator, *years), live),
        Case("district_values", "district_values", (indicator, period), live),
        Case("district_profile", "district_profile", ("hoerde", *years), live),
        Case("freshness", "freshness", (), live),
    ]


def check_equal(case: Case, layer: pd.DataFrame, baseline: pd.DataFrame) -> str | None:
    """None if both frames hold the same rows and values; else what differs."""
    if len(layer) != len(baseline):
        return f"{len(layer)} rows vs {len(baseline)} in pandas"
    missing = [c for c in layer.columns if c not in baseline.columns]
    if missing:
        return f"pandas lacks columns {missing}"
    keys = SORT_KEYS.get(case.fn)
    left, right = layer, baseline[list(layer.columns)]
    if keys:
        left = left.sort_values(keys).reset_index(drop=True)
        right = right.sort_values(keys).reset_index(drop=True)
    else:
        left, right = left.reset_index(drop=True), right.reset_index(drop=True)
    for column in left.columns:
        a, b = left[column], right[column]
        if column in TIES.get(case.fn, ()):
            a, b = a.notna(), b.notna()
        if pd.api.types.is_float_dtype(a) or pd.api.types.is_float_dtype(b):
            x = pd.to_numeric(a, errors="coerce").to_numpy(dtype="float64")
            y = pd.to_numeric(b, errors="coerce").to_numpy(dtype="float64")
            same = np.isclose(x, y, rtol=1e-6, atol=1e-9, equal_nan=True)
        else:
            same = (a.astype("object").where(a.notna(), None)).to_numpy() == (
                b.astype("object").where(b.notna(), None)
            ).to_numpy()
        if not bool(np.all(same)):
            bad = int((~np.asarray(same, dtype=bool)).sum())
            return f"column {column}: {bad} of {len(left)} values differ"
    return None


def run(
    dataset: Dataset,
    repeat: int,
    frames: pandas_impl.Frames | None,
    log: Callable[[str], None],
) -> tuple[list[Record], dict[str, str]]:
    """All query records of one scale, and the pandas equivalence checks (case -> result)."""
    os.environ[ENV_DB] = str(dataset.settings.db_path)
    quiet_streamlit()
    from dortmund_kpi.ui import data as ui

    con = dataset.store.connect_read()
    records: list[Record] = []
    checks: dict[str, str] = {}
    try:
        for case in cases(con, dataset):
            records += _run_case(case, con, dataset.scale, repeat, frames, checks, log, ui)
    finally:
        con.close()
        ui.clear()
    return records, checks


def _run_case(case, con, scale, repeat, frames, checks, log, ui) -> list[Record]:
    layer_fn = getattr(read, case.fn)
    recorder = Recorder(con.cursor())
    layer_result = layer_fn(recorder, *case.args, **case.kwargs)
    recorder.con.close()
    # A read first asks whether the version's aggregates hold the view (``db.aggregates``);
    # "direct" runs the statement that answers, the layer includes that lookup.
    *lookups, (sql, params) = recorder.calls
    assert all(aggregates.META_TABLE in s for s, _ in lookups), (
        f"{case.fn} issued {len(recorder.calls)} statements"
    )

    def layer() -> None:
        with con.cursor() as cur:
            layer_fn(cur, *case.args, **case.kwargs)

    def direct() -> None:
        with con.cursor() as cur:
            cur.execute(sql, params).df()

    def ui_call() -> None:
        ui.run(layer_fn, *case.args, **case.kwargs)

    variants: dict[str, Callable[[], Any]] = {"layer": layer, "direct": direct, "ui_cold": ui_call}
    pandas_fn = pandas_impl.FUNCTIONS[case.fn] if frames is not None else None
    if pandas_fn is not None:
        problem = check_equal(case, layer_result, pandas_fn(frames, *case.args, **case.kwargs))
        checks[case.name] = problem or "equal"
        if problem:
            log(f"  ! pandas {case.name} differs from SQL: {problem}")
        variants["pandas"] = lambda: pandas_fn(frames, *case.args, **case.kwargs)
    timings = measure_interleaved(variants, repeat, setups={"ui_cold": ui._cached.clear})
    ui_call()
    timings["ui_warm"] = measure(ui_call, repeat)
    t_layer, t_direct, t_pandas = timings["layer"], timings["direct"], timings.get("pandas")
    name = f"query.{case.name}"
    records = [
        t_layer.record(
            name,
            scale,
            ratio_to_floor=ratio(t_layer.median_ms, t_direct.median_ms),
            speedup_vs_pandas=ratio(t_pandas.median_ms if t_pandas else None, t_layer.median_ms),
        ),
        t_direct.record(f"{name}.direct", scale),
    ]
    for variant in ("ui_cold", "ui_warm"):
        timing = timings[variant]
        records.append(
            timing.record(
                f"{name}.{variant}",
                scale,
                ratio_to_floor=ratio(timing.median_ms, t_direct.median_ms),
            )
        )
    if t_pandas is not None:
        records.append(t_pandas.record(f"{name}.pandas", scale))
    log(
        f"  {case.name}: layer {t_layer.median_ms:.1f} ms, direct {t_direct.median_ms:.1f} ms"
        + (f", pandas {t_pandas.median_ms:.1f} ms" if t_pandas else "")
    )
    return records


def quiet_streamlit() -> None:
    """Outside a Streamlit server the caches and session state log a warning per call."""
    from streamlit import config, logger

    config.set_option("logger.level", "error")
    logger.set_log_level("error")
    for name in list(logging.root.manager.loggerDict):
        if name.startswith("streamlit"):
            logging.getLogger(name).setLevel(logging.ERROR)
