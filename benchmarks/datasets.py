"""Benchmark databases at four scales, built through the real schema, catalog and store.

Every scale starts from the shipped data (``S``: ``init_database`` = the real catalog,
the 12 Stadtbezirke, the published figures and the demo series). Larger scales then
publish one more version through ``Store.write()`` that adds, in SQL only:

- synthetic statistical districts (rows of ``districts``, so every query that joins
  or counts districts sees them),
- synthetic district-level indicators (rows of ``indicators``, spread over the three
  masterplans, half ``sum`` and half ``mean_pop``),
- monthly observations for every (indicator, area) and month, including about 5 % of
  the last year's values revised once (history rows with ``valid_to``, for the
  pinned "Stand" view), and stored city values for every second district indicator
  (the others are derived from the districts by the query layer, as in production).

Sizes: ``M`` = 1 million and ``L`` = 10 million current observations (the count is
reported as built). ``XS`` is a tiny scale for the smoke test.
"""

from __future__ import annotations

import json
import math
import shutil
import time
from dataclasses import asdict, dataclass
from datetime import date, datetime, timedelta
from pathlib import Path

import duckdb

from dortmund_kpi.db import read
from dortmund_kpi.db.store import Store
from dortmund_kpi.ingest.bootstrap import init_database
from dortmund_kpi.settings import Settings, get_settings

SYNTHETIC_SOURCE = "Benchmark (synthetisch, nicht amtlich)"
MAX_IMPORT_BYTES = 4 * 1024**3  # the import benchmark files exceed the 50 MB default guard
REVISED_SHARE = 20  # 1 in 20 values of the last year is revised once
RECIPE_VERSION = 1


@dataclass(frozen=True)
class Scale:
    name: str
    target_observations: int | None  # None: the shipped data as it is
    districts: int  # the 12 Stadtbezirke plus synthetic statistical districts
    first_month: date
    months: int
    import_rows: int | None  # rows of the import benchmark file (None: no import benchmark)
    browser: bool  # measured in the browser (if the browser part runs)


SCALES: dict[str, Scale] = {
    "XS": Scale("XS", 5_000, 15, date(2024, 1, 1), 24, 3_000, True),
    "S": Scale("S", None, 12, date(2018, 1, 1), 0, None, True),
    "M": Scale("M", 1_000_000, 62, date(2011, 1, 1), 180, 1_000_000, True),
    "L": Scale("L", 10_000_000, 170, date(2011, 1, 1), 180, None, False),
}


@dataclass(frozen=True)
class Dataset:
    scale: str
    settings: Settings
    observations: int  # current values
    history_rows: int  # superseded values (revisions)
    indicators: int
    districts: int
    pinned_at: datetime  # a moment before the revisions: the pinned "Stand" view
    build_s: float
    file_bytes: int

    @property
    def store(self) -> Store:
        return Store(self.settings.db_path)

    def summary(self) -> dict[str, object]:
        data = asdict(self)
        data["settings"] = str(self.settings.db_path)
        data["pinned_at"] = self.pinned_at.isoformat()
        return data


def settings_for(db_path: Path) -> Settings:
    base = get_settings()
    return Settings(data_dir=base.data_dir, db_path=db_path, max_import_bytes=MAX_IMPORT_BYTES)


def build(scale: Scale, root: Path, *, reuse: bool = False) -> Dataset:
    """Build (or, with ``reuse``, reopen an identical earlier build of) one scale."""
    folder = root / scale.name
    recipe = {"version": RECIPE_VERSION, **asdict(scale), "first_month": str(scale.first_month)}
    marker = folder / "recipe.json"
    settings = settings_for(folder / "kpi.duckdb")
    if reuse and marker.exists() and json.loads(marker.read_text())["recipe"] == recipe:
        saved = json.loads(marker.read_text())
        return _describe(scale, settings, saved["build_s"], saved["pinned_at"])
    shutil.rmtree(folder, ignore_errors=True)
    folder.mkdir(parents=True)
    started = time.perf_counter()
    init_database(settings, demo=True, user="benchmark")
    pinned = None
    if scale.target_observations is not None:
        with Store(settings.db_path).write() as con:
            pinned = add_synthetic(con, scale)
    build_s = time.perf_counter() - started
    pinned_text = pinned.isoformat() if pinned else None
    marker.write_text(
        json.dumps({"recipe": recipe, "build_s": build_s, "pinned_at": pinned_text}, indent=1)
    )
    return _describe(scale, settings, build_s, pinned_text)


def _describe(scale: Scale, settings: Settings, build_s: float, pinned: str | None) -> Dataset:
    store = Store(settings.db_path)
    with store.connect_read() as con:
        counts = read.counts(con)
        stand = read.data_stand(con)
    pinned_at = datetime.fromisoformat(pinned) if pinned else stand - timedelta(seconds=1)
    return Dataset(
        scale=scale.name,
        settings=settings,
        observations=counts["official"] + counts["demo"],
        history_rows=counts["revisions"],
        indicators=counts["indicators"],
        districts=counts["districts"],
        pinned_at=pinned_at,
        build_s=round(build_s, 2),
        file_bytes=store.current_file().stat().st_size,
    )


def _one(con: duckdb.DuckDBPyConnection, sql: str, params: object = None) -> object:
    return con.execute(sql, params).fetchall()[0][0]


def synthetic_indicator_count(scale: Scale, city_level: int, district_level: int) -> int:
    """How many synthetic district indicators bring the scale to its target size."""
    assert scale.target_observations is not None
    per_indicator = scale.districts * scale.months + scale.months / 2  # half store the city
    fixed = city_level * scale.months + district_level * per_indicator
    return max(0, math.ceil((scale.target_observations - fixed) / per_indicator))


def add_synthetic(con: duckdb.DuckDBPyConnection, scale: Scale) -> datetime:
    """Add districts, indicators and observations of ``scale`` (SQL only); return the pin."""
    con.execute("SET enable_progress_bar = false")
    t1 = _one(con, "SELECT max(valid_from) FROM observations")
    t2 = t1 + timedelta(hours=1)
    pinned = t1 + timedelta(minutes=30)
    _add_districts(con, scale.districts - int(_one(con, "SELECT count(*) FROM districts")))
    city_level = int(_one(con, "SELECT count(*) FROM indicators WHERE level = 'city'"))
    district_level = int(_one(con, "SELECT count(*) FROM indicators WHERE level = 'district'"))
    _add_indicators(con, synthetic_indicator_count(scale, city_level, district_level))
    base_id = int(_one(con, "SELECT coalesce(max(import_id), 0) + 1 FROM import_log"))
    params = {
        "first": scale.first_month,
        "months": scale.months,
        "last_year": scale.first_month.year + (scale.months - 1) // 12,
        "share": REVISED_SHARE,
        "source": SYNTHETIC_SOURCE,
        "base_id": base_id,
        "rev_id": base_id + 1,
        "t1": t1,
        "t2": t2,
    }
    con.execute(SERIES_SQL)
    con.execute(MONTHS_SQL, {k: params[k] for k in ("first", "months")})
    con.execute(OBSERVATIONS_SQL, {k: params[k] for k in OBSERVATION_PARAMS})
    con.execute(CITY_SQL, {k: params[k] for k in ("source", "base_id", "rev_id", "t1")})
    inserted = int(_one(con, "SELECT count(*) FROM observations WHERE import_id = ?", [base_id]))
    revised = int(_one(con, "SELECT count(*) FROM observations WHERE import_id = ?", [base_id + 1]))
    for import_id, at, rows, new, changed, message in (
        (base_id, t1, inserted, inserted, 0, "synthetische Benchmark-Daten (SQL)"),
        (base_id + 1, t2, revised, 0, revised, "synthetische Revisionen (SQL)"),
    ):
        con.execute(
            "INSERT INTO import_log VALUES (?, ?, ?, 'benchmark', 'synthetisch', '', ?, ?, ?, 0,"
            " 'ok', ?)",
            [import_id, at, at, rows, new, changed, message],
        )
    con.execute("DROP TABLE bench_series")
    con.execute("DROP TABLE bench_months")
    return pinned


def _add_districts(con: duckdb.DuckDBPyConnection, count: int) -> None:
    """Statistical districts: names, populations and reference points inside the city."""
    if count <= 0:
        return
    con.execute(
        """INSERT INTO districts
           SELECT 'stat-bezirk-' || lpad(n::VARCHAR, 3, '0'),
                  'Statistischer Bezirk ' || lpad(n::VARCHAR, 3, '0'), NULL,
                  1.0 + (hash(n) % 900) / 100.0,
                  2000 + hash(n, 'pop') % 9000,
                  DATE '2024-12-31',
                  51.45 + (hash(n, 'lat') % 1300) / 10000.0,
                  7.33 + (hash(n, 'lon') % 2700) / 10000.0,
                  NULL,
                  (SELECT max(sort_order) FROM districts) + n
           FROM range(1, $count + 1) r(n)""",
        {"count": count},
    )


def _add_indicators(con: duckdb.DuckDBPyConnection, count: int) -> None:
    if count <= 0:
        return
    # Columns named: later migrations add columns with defaults.
    con.execute(
        """INSERT INTO indicators (id, masterplan, name, short_name, unit, definition, source,
               source_url, direction, aggregation, level, per_capita, frequency, decimals,
               min_value, max_value, target_value, target_year, target_official,
               target_source, sort_order, peers, visibility)
           SELECT 'synth_' || lpad(n::VARCHAR, 3, '0'),
                  ['verwaltung', 'wirtschaft', 'bildung'][n % 3 + 1],
                  'Synthetische Kennzahl ' || lpad(n::VARCHAR, 3, '0'),
                  'Synth. ' || lpad(n::VARCHAR, 3, '0'),
                  CASE WHEN n % 2 = 0 THEN 'Anzahl' ELSE '%' END,
                  'Synthetische Benchmark-Kennzahl (kein echter Wert)',
                  $source, NULL,
                  CASE WHEN n % 4 < 2 THEN 'higher' ELSE 'lower' END,
                  CASE WHEN n % 2 = 0 THEN 'sum' ELSE 'mean_pop' END,
                  'district', n % 2 = 0, 'monthly', 1,
                  0, CASE WHEN n % 2 = 0 THEN NULL ELSE 100 END,
                  CASE WHEN n % 2 = 0 THEN NULL WHEN n % 4 < 2 THEN 80 ELSE 10 END,
                  CASE WHEN n % 2 = 0 THEN NULL ELSE 2027 END,
                  CASE WHEN n % 2 = 0 THEN NULL ELSE false END,
                  CASE WHEN n % 2 = 0 THEN NULL ELSE 'Demo-Zielwert (synthetisch)' END,
                  (SELECT max(sort_order) FROM indicators) + n,
                  'none', 'intern'
           FROM range(1, $count + 1) r(n)""",
        {"count": count, "source": SYNTHETIC_SOURCE},
    )


# One row per (indicator, area) that gets values: district-level indicators in every
# district, city-level ones for the city. u is a stable per-series random number.
SERIES_SQL = """
CREATE TEMP TABLE bench_series AS
WITH areas AS (
  SELECT slug, population FROM districts
  UNION ALL SELECT 'dortmund', (SELECT sum(population) FROM districts)
)
SELECT i.id AS indicator_id, i.aggregation, i.sort_order, coalesce(i.min_value, 0) AS lo,
       i.max_value AS hi, a.slug AS area, a.population,
       (hash(i.id, a.slug) % 1000000) / 1e6 AS u
FROM indicators i JOIN areas a
  ON (i.level = 'district' AND a.slug <> 'dortmund') OR (i.level = 'city' AND a.slug = 'dortmund')
"""

MONTHS_SQL = """
CREATE TEMP TABLE bench_months AS
SELECT m, CAST($first + to_months(CAST(m AS INTEGER)) AS DATE) AS start
FROM range(0, $months) r(m)
"""

OBSERVATION_PARAMS = ("last_year", "share", "source", "base_id", "rev_id", "t1", "t2")

# Counts per 1,000 inhabitants growing about 5 % a year; shares between the bounds with a
# gentle trend; a little noise on every value. A revised value keeps its earlier version
# (3 % lower) as history. Keys that already hold a value (the shipped monthly series) are
# left alone.
OBSERVATIONS_SQL = """
INSERT INTO observations
WITH points AS (
  SELECT s.indicator_id, s.area, strftime(mo.start, '%Y-%m') AS period, mo.start,
         last_day(mo.start) AS period_end,
         CASE WHEN s.aggregation = 'sum'
              THEN s.population / 1000.0 * (0.5 + s.u) * (1 + 0.004 * mo.m)
              ELSE s.lo + (coalesce(s.hi, s.lo + 1000) - s.lo)
                   * least(0.9, (0.15 + 0.4 * s.u) * (1 + 0.003 * mo.m)) END
           * (0.97 + 0.06 * (hash(s.indicator_id, s.area, mo.m) % 1000) / 1000.0) AS raw,
         s.lo, s.hi,
         year(mo.start) = $last_year
           AND hash(s.indicator_id, s.area, mo.m, 'rev') % $share = 0 AS revised
  FROM bench_series s CROSS JOIN bench_months mo
  WHERE NOT EXISTS (
    SELECT 1 FROM observations o
    WHERE o.indicator_id = s.indicator_id AND o.area = s.area
      AND o.period = strftime(mo.start, '%Y-%m'))
)
SELECT p.indicator_id, p.area, p.period, 'M', p.start, p.period_end,
       round(greatest(p.lo, least(coalesce(p.hi, 1e12),
                                  CASE WHEN v.version = 0 AND p.revised THEN p.raw * 0.97
                                       ELSE p.raw END)), 1),
       NULL, $source, false,
       CASE WHEN v.version = 0 THEN $base_id ELSE $rev_id END,
       CASE WHEN v.version = 0 THEN $t1 ELSE $t2 END,
       CASE WHEN v.version = 0 AND p.revised THEN $t2 END
FROM points p CROSS JOIN (VALUES (0), (1)) v(version)
WHERE v.version = 0 OR p.revised
"""

# Every second district indicator also has stored city values (the aggregate of its
# districts); for the others the query layer derives them, as in production.
CITY_SQL = """
INSERT INTO observations
SELECT o.indicator_id, 'dortmund', o.period, any_value(o.period_type),
       any_value(o.period_start), any_value(o.period_end),
       round(CASE WHEN any_value(i.aggregation) = 'sum' THEN sum(o.value)
                  ELSE sum(o.value * d.population) / sum(d.population) END, 1),
       NULL, $source, false, $base_id, $t1, NULL
FROM observations o
JOIN indicators i ON i.id = o.indicator_id
JOIN districts d ON d.slug = o.area
WHERE o.import_id IN ($base_id, $rev_id) AND o.valid_to IS NULL AND i.level = 'district'
  AND i.sort_order % 2 = 0
  AND NOT EXISTS (SELECT 1 FROM observations c
                  WHERE c.indicator_id = o.indicator_id AND c.area = 'dortmund'
                    AND c.period = o.period AND c.valid_to IS NULL)
GROUP BY o.indicator_id, o.period
"""
