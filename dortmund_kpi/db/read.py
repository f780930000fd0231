"""Read queries. Each takes a connection (or cursor) and returns a DataFrame.

Only values are bound; identifiers never come from users. The dashboard calls
these through ``dortmund_kpi.ui`` with one cursor per query.
"""

from __future__ import annotations

import duckdb
import pandas as pd

from dortmund_kpi.db import aggregates
from dortmund_kpi.db import measures as measure_db
from dortmund_kpi.db.as_of import as_of_cte, instant

EXPORT_SQL = """
SELECT o.indicator_id, o.area, coalesce(d.name, 'Dortmund') AS area_name, o.period,
       o.period_type, o.value, o.note, o.source, o.is_official
FROM current_observations o
JOIN indicators i ON i.id = o.indicator_id
LEFT JOIN districts d ON d.slug = o.area
ORDER BY i.sort_order, o.indicator_id, coalesce(d.sort_order, -1), o.period_start, o.period
"""


def export_rows(con: duckdb.DuckDBPyConnection) -> pd.DataFrame:
    """All current observations in a stable order (catalog order, city first, by period)."""
    return con.execute(EXPORT_SQL).df()


def indicator_list(con: duckdb.DuckDBPyConnection) -> pd.DataFrame:
    return con.execute("SELECT * FROM indicators ORDER BY sort_order").df()


def masterplan_names(con: duckdb.DuckDBPyConnection) -> dict[str, str]:
    """Masterplan id -> short German name, in catalog order."""
    rows = con.execute("SELECT id, short_name FROM masterplans ORDER BY sort_order").fetchall()
    return dict(rows)


def district_names(con: duckdb.DuckDBPyConnection) -> dict[str, str]:
    """District slug -> German name, in table order."""
    return dict(con.execute("SELECT slug, name FROM districts ORDER BY sort_order").fetchall())


def district_list(con: duckdb.DuckDBPyConnection) -> pd.DataFrame:
    return con.execute("SELECT * FROM districts ORDER BY sort_order").df()


def counts(con: duckdb.DuckDBPyConnection) -> dict[str, int]:
    row = con.execute(
        """SELECT (SELECT count(*) FROM indicators), (SELECT count(*) FROM districts),
                  count(*) FILTER (WHERE is_official), count(*) FILTER (WHERE NOT is_official),
                  (SELECT count(*) FROM observations WHERE valid_to IS NOT NULL)
           FROM current_observations"""
    ).fetchall()[0]
    assert row is not None
    keys = ("indicators", "districts", "official", "demo", "revisions")
    return dict(zip(keys, (int(v) for v in row), strict=True))


# -- dashboard queries -------------------------------------------------------
# Every query sees the data "as of" a moment (``db.as_of``).
OBS_AS_OF = as_of_cte("obs", "observations")
# The same, only the years of the view: for the queries that have a year window. NOT
# MATERIALIZED lets each consumer's filters (area, indicator) reach the table scan; the
# window inside ``obs`` keeps aggregation (derived city values) to the years shown.
OBS_WINDOWED = as_of_cte("obs", "observations", window=True)

# City values: stored ones, or (where none is stored) aggregated from all 12
# districts by the catalog's rule. A partial set of districts is not summed up.
CITY_VALUE = """CASE WHEN any_value(i.aggregation) = 'sum' THEN sum(o.value)
              ELSE sum(o.value * d.population) / sum(d.population) END"""


def _derived_city(source: str, columns: str) -> str:
    """The CTE ``derived``: per indicator and period of ``source`` (district rows ``o``,
    their indicator ``i`` and district ``d``) the ``columns``, where every district has a
    value and no city value is stored (CTE ``city``). Both names are module constants."""
    return f"""derived AS (
  SELECT {columns}
  FROM {source} o JOIN indicators i ON i.id = o.indicator_id JOIN districts d ON d.slug = o.area
  WHERE i.aggregation IN ('sum', 'mean_pop')
  GROUP BY o.indicator_id, o.period
  HAVING count(*) = (SELECT count(*) FROM districts)
     AND NOT EXISTS (SELECT 1 FROM city c
                     WHERE c.indicator_id = o.indicator_id AND c.period = o.period)
)"""


# A period lies wholly inside or outside the year window, so windowing ``obs`` first
# gives the same city values for the periods in the window.
DERIVED_SERIES = _derived_city(
    "obs",
    f"""o.indicator_id, 'dortmund' AS area, o.period,
         any_value(o.period_type), any_value(o.period_start), any_value(o.period_end),
         {CITY_VALUE},
         bool_and(o.is_official), 'aggregiert aus den Werten der Stadtbezirke', NULL,
         max(o.valid_from), true""",
)
WINDOW = "year(period_end) BETWEEN $year_from AND $year_to"
DISTRICT_SERIES = """district_series AS (
  SELECT indicator_id, area, period, period_type, period_start, period_end, value,
         is_official, source, note, valid_from, false AS derived
  FROM obs WHERE area <> 'dortmund'
),
all_series AS (SELECT * FROM city_series UNION ALL SELECT * FROM district_series)"""
CITY_STORED = """city AS (  -- the city values stored as such
  SELECT indicator_id, 'dortmund' AS area, period, period_type, period_start, period_end,
         value, is_official, source, note, valid_from, false AS derived
  FROM obs WHERE area = 'dortmund'
)"""
SERIES_FROM_OBS = f""",
{CITY_STORED},
{DERIVED_SERIES},
city_series AS (SELECT * FROM city UNION ALL SELECT * FROM derived),
{DISTRICT_SERIES}"""
CITY_SERIES = OBS_AS_OF + SERIES_FROM_OBS
CITY_SERIES_WINDOWED = OBS_WINDOWED + SERIES_FROM_OBS
# The same CTEs with the city series the version materialised (``db.materialise``): for the
# current values, without aggregating every district value again per request.
CITY_SERIES_BUILT = f"""{OBS_WINDOWED},
city_series AS (SELECT * FROM {aggregates.CITY_SERIES_TABLE} WHERE {WINDOW}),
{DISTRICT_SERIES}"""


def _series_ctes(con: duckdb.DuckDBPyConnection, as_of: object) -> str:
    """The series CTEs for a view: from the version's aggregates when they hold its values."""
    return CITY_SERIES_WINDOWED if aggregates.built_range(con, as_of) is None else CITY_SERIES_BUILT


def _params(as_of: object, year_from: int, year_to: int, **extra: object) -> dict[str, object]:
    return {"as_of": instant(as_of), "year_from": year_from, "year_to": year_to, **extra}


def series(
    con: duckdb.DuckDBPyConnection,
    indicator_ids: list[str],
    areas: list[str],
    year_from: int,
    year_to: int,
    as_of: object = None,
) -> pd.DataFrame:
    """Observations of indicators for areas ('dortmund' = the city) within the years."""
    sql = f"""WITH {_series_ctes(con, as_of)}
    SELECT s.*, coalesce(d.name, 'Dortmund') AS area_name
    FROM all_series s LEFT JOIN districts d ON d.slug = s.area
    WHERE list_contains($ids, s.indicator_id) AND list_contains($areas, s.area) AND {WINDOW}
    ORDER BY s.indicator_id, coalesce(d.sort_order, -1), s.period_end, s.period"""
    params = _params(as_of, year_from, year_to, ids=indicator_ids, areas=areas)
    return con.execute(sql, params).df()


# "Latest": the newest period; on a tie an official value wins over a demo one.
# "Previous": the newest value of an EARLIER period (a yearly value ending on the
# same day as a Q4 value is not the period before it).
# One statement per kind (city rows for the tiles, district rows for the matrix), so
# the other kind is never computed; aggregates (arg_max over a struct key: period end,
# then official, then period) instead of window functions over every row.
def _stats_sql(source: str, ctes: str = CITY_SERIES_WINDOWED) -> str:
    return f"""WITH {ctes},
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
         arg_max({{'v': value, 'p': period, 't': period_type, 'o': is_official}},
                 {{'o': is_official, 'p': period}}) AS p
  FROM s JOIN agg a USING (indicator_id, area)
  WHERE s.period_end = a.previous_end GROUP BY ALL
)
SELECT a.* EXCLUDE (previous_end, l), a.l.v AS latest, a.l.p AS latest_period,
       a.l.t AS latest_type, a.l.e AS latest_end, a.l.s AS latest_start,
       a.l.o AS latest_official, p.p.v AS previous, p.p.p AS previous_period,
       p.p.t AS previous_type, p.p.o AS previous_official
FROM agg a LEFT JOIN previous p USING (indicator_id, area)"""


STATS_SQL = {  # (city rows?, from the materialised city series?) -> statement
    (city, built): _stats_sql(f"{'city' if city else 'district'}_series", ctes)
    for city in (True, False)
    for built, ctes in ((True, CITY_SERIES_BUILT), (False, CITY_SERIES_WINDOWED))
}


def series_stats(
    con: duckdb.DuckDBPyConnection,
    year_from: int,
    year_to: int,
    as_of: object = None,
    *,
    city: bool = True,
) -> pd.DataFrame:
    """Per indicator and area: latest and previous value, 3-year trend, baseline, Stand.

    ``city=True`` gives the city rows (tiles), ``False`` the district rows (matrix). The
    current values of the default years come from the version's aggregates.
    """
    built = aggregates.built_range(con, as_of)
    if built == (year_from, year_to):
        return aggregates.series_stats(con, city=city)
    sql = STATS_SQL[city, built is not None]
    return con.execute(sql, _params(as_of, year_from, year_to)).df()


def sparklines(
    con: duckdb.DuckDBPyConnection, year_from: int, year_to: int, as_of: object = None
) -> pd.DataFrame:
    """City values of every indicator, for the small charts on the tiles."""
    sql = f"""WITH {_series_ctes(con, as_of)}
    SELECT indicator_id, period, period_end, value, is_official FROM city_series
    WHERE {WINDOW} ORDER BY indicator_id, period_end, period"""
    return con.execute(sql, _params(as_of, year_from, year_to)).df()


def district_periods(
    con: duckdb.DuckDBPyConnection,
    indicator_id: str,
    year_from: int,
    year_to: int,
    as_of: object = None,
) -> pd.DataFrame:
    """Periods with values for at least one district, newest first."""
    sql = f"""WITH {OBS_WINDOWED}
    SELECT period, any_value(period_type) AS period_type, max(period_end) AS period_end,
           count(*) AS districts
    FROM obs WHERE indicator_id = $id AND area <> 'dortmund'
    GROUP BY period ORDER BY period_end DESC, period DESC"""
    return con.execute(sql, _params(as_of, year_from, year_to, id=indicator_id)).df()


def district_values(
    con: duckdb.DuckDBPyConnection, indicator_id: str, period: str, as_of: object = None
) -> pd.DataFrame:
    """Every district's value in one period, with population, per 1,000 and rank."""
    sql = f"""WITH {OBS_AS_OF}
    SELECT d.slug AS area, d.name AS area_name, d.population, o.value,
           o.value / d.population * 1000 AS per_1000, o.is_official, o.source, o.valid_from,
           o.period, o.period_type
    FROM districts d
    JOIN obs o ON o.area = d.slug AND o.indicator_id = $id AND o.period = $period
    ORDER BY d.sort_order"""
    return con.execute(sql, {"as_of": instant(as_of), "id": indicator_id, "period": period}).df()


# The district's latest period per indicator (``mine``); the ranking only in those
# (indicator, period) groups and city values only for those keys, not for every period
# of every indicator (at 10 million observations that took 2.4 GB and 9 s).
DERIVED_PROFILE = _derived_city(
    "cobs",
    f"""o.indicator_id, o.period, {CITY_VALUE} AS value,
         bool_and(o.is_official) AS is_official""",
)


def _profile_sql(districts: str, columns: str = "") -> str:
    """The profiles of the ``districts`` (a condition on ``area``), with ``columns`` first."""
    return f"""WITH {OBS_WINDOWED},
pop AS (SELECT sum(population) AS total FROM districts),
d AS (
  SELECT o.indicator_id, o.area, o.period, o.period_type, o.period_end, o.value, o.is_official,
         i.direction, i.aggregation, dd.population,
         CASE WHEN i.aggregation = 'sum' THEN o.value / dd.population * 1000
              ELSE o.value END AS comparable
  FROM obs o JOIN indicators i ON i.id = o.indicator_id JOIN districts dd ON dd.slug = o.area
),
latest AS (
  SELECT indicator_id, area, max(period_end) AS period_end FROM d WHERE {districts}
  GROUP BY indicator_id, area
),
mine AS (
  SELECT d.indicator_id, d.area, d.period FROM d JOIN latest l
  USING (indicator_id, area, period_end)
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
{DERIVED_PROFILE},
city_series AS (SELECT * FROM city UNION ALL SELECT * FROM derived)
SELECT {columns}i.id AS indicator_id, i.masterplan, i.short_name, i.name, i.unit, i.decimals,
       i.direction, i.aggregation, r.period, r.period_type, r.value,
       r.comparable, CASE WHEN i.aggregation = 'sum' THEN c.value / pop.total * 1000
                          ELSE c.value END AS city_comparable,
       r.rank, r.ranked_of, r.is_official, c.is_official AS city_official
FROM ranked r
JOIN indicators i ON i.id = r.indicator_id
CROSS JOIN pop
LEFT JOIN city_series c ON c.indicator_id = r.indicator_id AND c.period = r.period
WHERE EXISTS (SELECT 1 FROM mine m WHERE m.indicator_id = r.indicator_id
              AND m.area = r.area AND m.period = r.period)
ORDER BY i.sort_order, r.period"""


PROFILE_SQL = _profile_sql("area = $slug")
PROFILES_SQL = _profile_sql("true", "r.area, i.sort_order, ")  # all, for the aggregates


def district_profile(
    con: duckdb.DuckDBPyConnection, slug: str, year_from: int, year_to: int, as_of: object = None
) -> pd.DataFrame:
    """Each district-level indicator: the district's latest value, the city average for the
    same period, the deviation and the district's rank among the districts.

    Counts (aggregation ``sum``) are compared per 1,000 inhabitants: a district's
    total against the city's total would only measure its size.
    """
    if aggregates.built_range(con, as_of) == (year_from, year_to):
        frame = aggregates.district_profile(con, slug)
    else:
        frame = con.execute(PROFILE_SQL, _params(as_of, year_from, year_to, slug=slug)).df()
    frame["deviation"] = frame["comparable"] - frame["city_comparable"]
    return frame


def data_range(con: duckdb.DuckDBPyConnection) -> tuple[int, int]:
    """First and last year with observations from 2018 on (the DOgital years)."""
    row = con.execute(
        "SELECT min(year(period_end)), max(year(period_end)) FROM current_observations "
        "WHERE year(period_end) >= 2018"
    ).fetchall()[0]
    return (int(row[0] or 2018), int(row[1] or 2018))


def import_log(con: duckdb.DuckDBPyConnection, as_of: object = None) -> pd.DataFrame:
    """Imports up to the pinned moment (all, when live), newest first."""
    return con.execute(
        "SELECT * FROM import_log WHERE CAST($as_of AS TIMESTAMPTZ) IS NULL "
        "OR started_at <= CAST($as_of AS TIMESTAMPTZ) ORDER BY import_id DESC",
        {"as_of": instant(as_of)},
    ).df()


def freshness(con: duckdb.DuckDBPyConnection, as_of: object = None) -> pd.DataFrame:
    """Per indicator: latest period end and when its values last changed."""
    if aggregates.built_range(con, as_of) is not None:
        return con.execute(aggregates.FRESHNESS_BUILT).df()
    return con.execute(aggregates.FRESHNESS_SQL, {"as_of": instant(as_of)}).df()


def data_stand(con: duckdb.DuckDBPyConnection, as_of: object = None) -> object:
    """The moment of the newest value, measure status or trend assessment visible (the
    version on screen: a link pinned to it shows what the screen shows)."""
    sql = f"""WITH {OBS_AS_OF}, {measure_db.MEASURES_AS_OF}, {as_of_cte("tr", "trends")}
    SELECT greatest((SELECT max(valid_from) FROM obs), (SELECT max(valid_from) FROM ms),
                    (SELECT max(valid_from) FROM tr))"""
    return con.execute(sql, {"as_of": instant(as_of)}).fetchall()[0][0]
