"""The dashboard's SQL as it was before the rewrite of November 2026 (issue 7).

``python -m benchmarks.proposals DB [DB ...]`` checks that the current queries of
``dortmund_kpi.db.read`` return the same rows as these (live and pinned) and times both.
Not used by the product; kept so the rewrite stays checkable on the benchmark's data.
"""

OBS_AS_OF = """
obs AS (
  SELECT * FROM observations
  WHERE CASE WHEN CAST($as_of AS TIMESTAMP) IS NULL THEN valid_to IS NULL
             ELSE valid_from <= CAST($as_of AS TIMESTAMP)
                  AND (valid_to IS NULL OR valid_to > CAST($as_of AS TIMESTAMP)) END
)"""

CITY_SERIES = (
    OBS_AS_OF
    + """,
city AS (
  SELECT indicator_id, 'dortmund' AS area, period, period_type, period_start, period_end,
         value, is_official, source, note, valid_from, false AS derived
  FROM obs WHERE area = 'dortmund'
),
derived AS (
  SELECT o.indicator_id, 'dortmund' AS area, o.period, any_value(o.period_type),
         any_value(o.period_start), any_value(o.period_end),
         CASE WHEN any_value(i.aggregation) = 'sum' THEN sum(o.value)
              ELSE sum(o.value * d.population) / sum(d.population) END,
         bool_and(o.is_official), 'aggregiert aus den Werten der Stadtbezirke', NULL,
         max(o.valid_from), true
  FROM obs o JOIN indicators i ON i.id = o.indicator_id JOIN districts d ON d.slug = o.area
  WHERE i.aggregation IN ('sum', 'mean_pop')
  GROUP BY o.indicator_id, o.period
  HAVING count(*) = (SELECT count(*) FROM districts)
     AND NOT EXISTS (SELECT 1 FROM city c
                     WHERE c.indicator_id = o.indicator_id AND c.period = o.period)
),
city_series AS (SELECT * FROM city UNION ALL SELECT * FROM derived),
district_series AS (
  SELECT indicator_id, area, period, period_type, period_start, period_end, value,
         is_official, source, note, valid_from, false AS derived
  FROM obs WHERE area <> 'dortmund'
),
all_series AS (SELECT * FROM city_series UNION ALL SELECT * FROM district_series)"""
)

WINDOW = "year(period_end) BETWEEN $year_from AND $year_to"

STATS_SQL = f"""WITH {CITY_SERIES},
s AS (SELECT * FROM all_series WHERE {WINDOW} AND list_contains($areas_kind, area = 'dortmund')),
ranked AS (
  SELECT *, row_number() OVER w AS rn, max(period_end) OVER (PARTITION BY indicator_id, area)
         AS last_end
  FROM s WINDOW w AS (PARTITION BY indicator_id, area
                      ORDER BY period_end DESC, is_official DESC, period DESC)
),
agg AS (
  SELECT indicator_id, area,
         regr_slope(value, epoch(period_end) / 31557600.0)
           FILTER (WHERE period_end > last_end - INTERVAL 3 YEAR) AS slope_per_year,
         arg_min(value, period_end) AS base_value, min(period_end) AS base_date,
         arg_min(period_start, period_end) AS base_start,
         count(*) AS points, bool_or(NOT is_official) AS has_demo, max(valid_from) AS stand,
         max(period_end) FILTER (WHERE period_end < last_end) AS previous_end
  FROM ranked GROUP BY indicator_id, area
),
previous AS (
  SELECT r.indicator_id, r.area, r.value, r.period, r.period_type,
         row_number() OVER (PARTITION BY r.indicator_id, r.area
                            ORDER BY r.is_official DESC, r.period DESC) AS pick
  FROM ranked r JOIN agg a USING (indicator_id, area)
  WHERE r.period_end = a.previous_end
)
SELECT a.* EXCLUDE (previous_end), l.value AS latest, l.period AS latest_period,
       l.period_type AS latest_type, l.period_end AS latest_end,
       l.period_start AS latest_start, l.is_official AS latest_official,
       p.value AS previous, p.period AS previous_period, p.period_type AS previous_type
FROM agg a
JOIN ranked l ON l.indicator_id = a.indicator_id AND l.area = a.area AND l.rn = 1
LEFT JOIN previous p ON p.indicator_id = a.indicator_id AND p.area = a.area AND p.pick = 1"""


PROFILE_SQL = f"""WITH {CITY_SERIES},
pop AS (SELECT sum(population) AS total FROM districts),
d AS (
  SELECT s.*, i.direction, i.aggregation, dd.population,
         CASE WHEN i.aggregation = 'sum' THEN s.value / dd.population * 1000
              ELSE s.value END AS comparable
  FROM district_series s JOIN indicators i ON i.id = s.indicator_id
  JOIN districts dd ON dd.slug = s.area
  WHERE {WINDOW}
),
latest AS (
  SELECT indicator_id, max(period_end) AS period_end FROM d WHERE area = $slug
  GROUP BY indicator_id
),
ranked AS (
  SELECT d.*,
         rank() OVER (PARTITION BY indicator_id, period ORDER BY
           CASE WHEN direction = 'higher' THEN -comparable ELSE comparable END) AS rank,
         count(*) OVER (PARTITION BY indicator_id, period) AS ranked_of
  FROM d
)
SELECT i.id AS indicator_id, i.masterplan, i.short_name, i.name, i.unit, i.decimals,
       i.direction, i.aggregation, r.period, r.period_type, r.value,
       r.comparable, CASE WHEN i.aggregation = 'sum' THEN c.value / pop.total * 1000
                          ELSE c.value END AS city_comparable,
       r.rank, r.ranked_of, r.is_official AND coalesce(c.is_official, true) AS is_official
FROM latest l
JOIN ranked r ON r.indicator_id = l.indicator_id AND r.period_end = l.period_end
             AND r.area = $slug
JOIN indicators i ON i.id = l.indicator_id
CROSS JOIN pop
LEFT JOIN city_series c ON c.indicator_id = r.indicator_id AND c.period = r.period
ORDER BY i.sort_order"""
SERIES_SQL = f"""WITH {CITY_SERIES}
SELECT s.*, coalesce(d.name, 'Dortmund') AS area_name
FROM all_series s LEFT JOIN districts d ON d.slug = s.area
WHERE list_contains($ids, s.indicator_id) AND list_contains($areas, s.area) AND {WINDOW}
ORDER BY s.indicator_id, coalesce(d.sort_order, -1), s.period_end, s.period"""
SPARKLINES_SQL = f"""WITH {CITY_SERIES}
SELECT indicator_id, period, period_end, value, is_official FROM city_series
WHERE {WINDOW} ORDER BY indicator_id, period_end, period"""
DISTRICT_PERIODS_SQL = f"""WITH {OBS_AS_OF}
SELECT period, any_value(period_type) AS period_type, max(period_end) AS period_end,
       count(*) AS districts
FROM obs WHERE indicator_id = $id AND area <> 'dortmund' AND {WINDOW}
GROUP BY period ORDER BY period_end DESC, period DESC"""
