"""Proposed SQL for ``dortmund_kpi.db.read`` (see docs/performance.md, "Queries").

Not used by the product. ``python -m benchmarks.proposals DB [DB ...]`` checks that each
proposal returns the same rows as the current query (live and pinned) and times both:

- ``series_stats``: the year window inside ``obs``, ``obs AS NOT MATERIALIZED``, one
  statement per kind (city or districts) and aggregates (``arg_max`` over a struct key)
  instead of window functions;
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

from benchmarks.queries import Recorder
from dortmund_kpi.db import read
from dortmund_kpi.db.store import READ_CONFIG

OBS_WINDOWED = """
obs AS NOT MATERIALIZED (
  SELECT * FROM observations
  WHERE CASE WHEN CAST($as_of AS TIMESTAMP) IS NULL THEN valid_to IS NULL
             ELSE valid_from <= CAST($as_of AS TIMESTAMP)
                  AND (valid_to IS NULL OR valid_to > CAST($as_of AS TIMESTAMP)) END
    AND year(period_end) BETWEEN $year_from AND $year_to
)"""


def stats_sql(city: bool) -> str:
    """``series_stats`` for the city (tiles) or the districts (matrix); same columns."""
    series = read.CITY_SERIES.replace(read.OBS_AS_OF, OBS_WINDOWED)
    source = "city_series" if city else "district_series"
    return f"""WITH {series},
s AS (SELECT * FROM {source}),
last AS (SELECT indicator_id, area, max(period_end) AS last_end FROM s GROUP BY ALL),
agg AS (
  SELECT s.indicator_id, s.area,
         regr_slope(value, epoch(period_end) / 31557600.0)
           FILTER (WHERE period_end > last_end - INTERVAL 3 YEAR) AS slope_per_year,
         arg_min(value, period_end) AS base_value, min(period_end) AS base_date,
         arg_min(period_start, period_end) AS base_start,
         count(*) AS points, bool_or(NOT is_official) AS has_demo, max(valid_from) AS stand,
         max(period_end) FILTER (WHERE period_end < last_end) AS previous_end,
         arg_max({{'v': value, 'p': period, 't': period_type, 'e': period_end,
                   's': period_start, 'o': is_official}},
                 {{'e': period_end, 'o': is_official, 'p': period}}) AS l
  FROM s JOIN last USING (indicator_id, area) GROUP BY ALL
),
previous AS (
  SELECT s.indicator_id, s.area,
         arg_max({{'v': value, 'p': period, 't': period_type}},
                 {{'o': is_official, 'p': period}}) AS p
  FROM s JOIN agg a USING (indicator_id, area)
  WHERE s.period_end = a.previous_end GROUP BY ALL
)
SELECT a.* EXCLUDE (previous_end, l), a.l.v AS latest, a.l.p AS latest_period,
       a.l.t AS latest_type, a.l.e AS latest_end, a.l.s AS latest_start,
       a.l.o AS latest_official, p.p.v AS previous, p.p.p AS previous_period,
       p.p.t AS previous_type
FROM agg a LEFT JOIN previous p USING (indicator_id, area)"""


PROFILE_SQL = f"""WITH {read.OBS_AS_OF.replace("obs AS (", "obs AS NOT MATERIALIZED (")},
pop AS (SELECT sum(population) AS total FROM districts),
d AS (
  SELECT o.indicator_id, o.area, o.period, o.period_type, o.period_end, o.value, o.is_official,
         i.direction, i.aggregation, dd.population,
         CASE WHEN i.aggregation = 'sum' THEN o.value / dd.population * 1000
              ELSE o.value END AS comparable
  FROM obs o JOIN indicators i ON i.id = o.indicator_id JOIN districts dd ON dd.slug = o.area
  WHERE {read.WINDOW}
),
latest AS (
  SELECT indicator_id, max(period_end) AS period_end FROM d WHERE area = $slug
  GROUP BY indicator_id
),
mine AS (
  SELECT d.indicator_id, d.period FROM d JOIN latest l USING (indicator_id, period_end)
  WHERE d.area = $slug
),
ranked AS (
  SELECT d.*,
         rank() OVER (PARTITION BY indicator_id, period ORDER BY
           CASE WHEN direction = 'higher' THEN -comparable ELSE comparable END) AS rank,
         count(*) OVER (PARTITION BY indicator_id, period) AS ranked_of
  FROM d SEMI JOIN mine m ON d.indicator_id = m.indicator_id AND d.period = m.period
),
cobs AS (
  SELECT o.* FROM obs o
  SEMI JOIN mine m ON o.indicator_id = m.indicator_id AND o.period = m.period
),
city AS (SELECT indicator_id, period, value, is_official FROM cobs WHERE area = 'dortmund'),
derived AS (
  SELECT o.indicator_id, o.period,
         CASE WHEN any_value(i.aggregation) = 'sum' THEN sum(o.value)
              ELSE sum(o.value * dd.population) / sum(dd.population) END AS value,
         bool_and(o.is_official) AS is_official
  FROM cobs o JOIN indicators i ON i.id = o.indicator_id JOIN districts dd ON dd.slug = o.area
  WHERE i.aggregation IN ('sum', 'mean_pop')
  GROUP BY o.indicator_id, o.period
  HAVING count(*) = (SELECT count(*) FROM districts)
     AND NOT EXISTS (SELECT 1 FROM city c
                     WHERE c.indicator_id = o.indicator_id AND c.period = o.period)
),
city_series AS (SELECT * FROM city UNION ALL SELECT * FROM derived)
SELECT i.id AS indicator_id, i.masterplan, i.short_name, i.name, i.unit, i.decimals,
       i.direction, i.aggregation, r.period, r.period_type, r.value,
       r.comparable, CASE WHEN i.aggregation = 'sum' THEN c.value / pop.total * 1000
                          ELSE c.value END AS city_comparable,
       r.rank, r.ranked_of, r.is_official AND coalesce(c.is_official, true) AS is_official
FROM ranked r
JOIN indicators i ON i.id = r.indicator_id
CROSS JOIN pop
LEFT JOIN city_series c ON c.indicator_id = r.indicator_id AND c.period = r.period
WHERE r.area = $slug
ORDER BY i.sort_order, r.period"""


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


def compare(db: Path) -> None:
    con = duckdb.connect(os.path.realpath(db), read_only=True, config=dict(READ_CONFIG))
    years = read.data_range(con)
    pinned = con.execute("SELECT max(valid_from) - INTERVAL 30 MINUTE FROM observations")
    moments = {"live": None, "pinned": pinned.fetchall()[0][0]}
    base = {"year_from": years[0], "year_to": years[1]}
    for label, as_of in moments.items():
        for city in (True, False):
            params = {**base, "as_of": as_of, "areas_kind": [city]}
            proposal = stats_sql(city)
            params_new = {k: v for k, v in params.items() if k != "areas_kind"}
            equal = same_rows(
                con.execute(read.STATS_SQL, params).df(),
                con.execute(proposal, params_new).df(),
                ["indicator_id", "area"],
            )
            now = _median_ms(con, read.STATS_SQL, params)
            new = _median_ms(con, proposal, params_new)
            kind = "city" if city else "districts"
            print(f"{db} {label} series_stats {kind}: same rows {equal}, {now:.0f} -> {new:.0f} ms")
        recorder = Recorder(con)
        current = read.district_profile(recorder, "hoerde", *years, as_of=as_of)
        (sql_now, params_now), *_ = recorder.calls
        params = {**base, "as_of": as_of, "slug": "hoerde"}
        equal = same_rows(
            current.drop(columns="deviation"),
            con.execute(PROFILE_SQL, params).df(),
            ["indicator_id", "period"],
        )
        now, new = _median_ms(con, sql_now, params_now), _median_ms(con, PROFILE_SQL, params)
        print(f"{db} {label} district_profile: same rows {equal}, {now:.0f} -> {new:.0f} ms")
    con.close()


if __name__ == "__main__":
    for arg in sys.argv[1:]:
        compare(Path(arg))
