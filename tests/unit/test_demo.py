"""Demo series: deterministic, marked, consistent with real values and with districts."""

from __future__ import annotations

import numpy as np
import pandas as pd

from dortmund_kpi.catalog import load_catalog
from dortmund_kpi.db import read
from dortmund_kpi.db.store import Store
from dortmund_kpi.districts import load_districts
from dortmund_kpi.ingest.demo import DEMO_SOURCE, demo_observations
from dortmund_kpi.settings import get_settings


def _inputs():
    settings = get_settings()
    return load_catalog(settings.catalog_path), load_districts(settings.districts_path)


def test_demo_is_deterministic_and_marked():
    catalog, districts = _inputs()
    empty = pd.DataFrame(columns=["indicator_id", "area", "period", "value", "period_end"])
    first = demo_observations(catalog, districts, empty)
    second = demo_observations(catalog, districts, empty)
    pd.testing.assert_frame_equal(first, second)
    assert not first["is_official"].any()
    assert (first["source"] == DEMO_SOURCE).all()


def test_district_values_aggregate_to_the_city(fixture_db):
    with Store(fixture_db.db_path).connect_read() as con:
        sums = con.execute(
            """SELECT o.indicator_id, o.period, sum(o.value) AS total, any_value(c.value) AS city
               FROM current_observations o JOIN indicators i ON i.id = o.indicator_id
               JOIN current_observations c ON c.indicator_id = o.indicator_id
                 AND c.period = o.period AND c.area = 'dortmund'
               WHERE o.area <> 'dortmund' AND i.aggregation = 'sum'
               GROUP BY ALL"""
        ).df()
    assert len(sums) > 50
    assert np.allclose(sums["total"], sums["city"])


def test_demo_passes_through_real_values(fixture_db):
    with Store(fixture_db.db_path).connect_read() as con:  # same configuration as the app
        real = con.execute(
            "SELECT indicator_id, period, value FROM current_observations "
            "WHERE is_official AND period_type = 'Y' AND year(period_end) BETWEEN 2018 AND 2025"
        ).df()
        frame = read.series(con, list(real["indicator_id"].unique()), ["dortmund"], 2018, 2025)
    assert len(real) > 3
    for row in real.itertuples():
        same = frame[(frame["indicator_id"] == row.indicator_id) & (frame["period"] == row.period)]
        # exactly one city value per period: the real one, no demo value beside it
        assert same["value"].tolist() == [row.value]
        assert same["is_official"].tolist() == [True]


def test_no_demo_value_where_an_official_district_value_exists():
    """An official district value is kept: demo fills only what official values leave."""
    catalog, districts = _inputs()
    real = pd.DataFrame(
        {
            "indicator_id": ["schul_endgeraete"],
            "area": ["hoerde"],
            "period": ["2021"],
            "value": [3500.0],
            "period_start": [pd.Timestamp("2021-01-01")],
            "period_end": [pd.Timestamp("2021-12-31")],
        }
    )
    demo = demo_observations(catalog, districts, real)
    year = demo[(demo["indicator_id"] == "schul_endgeraete") & (demo["period"] == "2021")]
    assert "hoerde" not in set(year["area"])
    assert len(year) == 12  # the city and the eleven other districts
