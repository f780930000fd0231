"""The column-wise ``add_status`` gives the same statuses as assessing row by row."""

from __future__ import annotations

from datetime import date

import numpy as np
import pandas as pd
import pytest

from dortmund_kpi import status, texts
from dortmund_kpi.db import read
from dortmund_kpi.db.store import Store
from dortmund_kpi.views import overview as views


def rowwise_status(stats: pd.DataFrame, indicators: pd.DataFrame) -> list[str | None]:
    """The former row-by-row ``add_status`` (before 2026-11), kept as the reference."""
    meta = indicators.set_index("id")
    city_latest = stats[stats["area"] == "dortmund"].set_index("indicator_id")["latest"]
    out: list[str | None] = []
    for _, row in stats.iterrows():
        ind = meta.loc[row["indicator_id"]]
        target = ind["target_value"]
        if pd.isna(target) or pd.isna(row["latest"]):
            out.append(None)
            continue
        if row["area"] != "dortmund" and ind["aggregation"] == "sum":
            city = city_latest.get(row["indicator_id"])
            if city is None or pd.isna(city) or city == 0:
                out.append(None)
                continue
            target = target * row["latest"] / city
        higher = ind["direction"] == "higher"
        x = status.target_input(row, target, ind["target_year"], higher)
        out.append(status.assess(x))
    return out


def _as_list(column: pd.Series) -> list[str | None]:
    return [v if isinstance(v, str) else None for v in column]


@pytest.fixture(scope="module")
def fixture_stats(fixture_db):
    with Store(fixture_db.db_path).connect_read() as con:
        indicators = read.indicator_list(con)
        lo, hi = read.data_range(con)
        city = read.series_stats(con, lo, hi)
        districts = read.series_stats(con, lo, hi, city=False)
        short = read.series_stats(con, hi - 1, hi, city=False)
    return indicators, pd.concat([city, districts, short], ignore_index=True)


def test_equals_rowwise_on_the_fixture_database(fixture_stats) -> None:
    indicators, stats = fixture_stats
    got = _as_list(status.add_status(stats, indicators)["status"])
    assert got == rowwise_status(stats, indicators)
    assert set(got) - {None}, "the fixture has indicators with targets"


def test_equals_rowwise_with_both_directions_and_missing_values(fixture_stats) -> None:
    indicators, stats = fixture_stats
    rng = np.random.default_rng(7)
    inds = indicators.copy()
    # Flip directions, drop some targets, and move target years around (some already past).
    inds["direction"] = rng.choice(["higher", "lower"], len(inds))
    inds["target_value"] = inds["target_value"].where(rng.random(len(inds)) > 0.2)
    inds["target_year"] = rng.integers(2015, 2035, len(inds))
    noisy = stats.copy()
    noisy["latest"] = noisy["latest"] * rng.uniform(0.5, 1.5, len(noisy))
    noisy.loc[rng.random(len(noisy)) < 0.1, "latest"] = np.nan
    noisy.loc[rng.random(len(noisy)) < 0.3, "slope_per_year"] = np.nan
    noisy.loc[noisy.sample(frac=0.2, random_state=1).index, "slope_per_year"] *= -3
    got = _as_list(status.add_status(noisy, inds)["status"])
    assert got == rowwise_status(noisy, inds)
    assert {status.ON_TRACK, status.AT_RISK, status.OFF_TRACK} <= set(got)


def _frame(**columns: object) -> pd.DataFrame:
    base = {
        "indicator_id": "x",
        "area": "dortmund",
        "latest": 80.0,
        "latest_end": pd.Timestamp(2024, 12, 31),
        "base_value": 0.0,
        "base_date": pd.Timestamp(2018, 12, 31),
        "slope_per_year": 8.0,
    }
    return pd.DataFrame([base | columns])


def _indicators(**columns: object) -> pd.DataFrame:
    base = {
        "id": "x",
        "target_value": 100.0,
        "target_year": 2026,
        "direction": "higher",
        "aggregation": "mean_pop",
    }
    return pd.DataFrame([base | columns])


@pytest.mark.parametrize(
    ("stats", "indicators", "expected"),
    [
        (_frame(), _indicators(), status.AT_RISK),
        (_frame(latest=100.0), _indicators(), status.ON_TRACK),
        (_frame(slope_per_year=np.nan, latest=50.0), _indicators(), status.OFF_TRACK),
        (_frame(), _indicators(target_value=np.nan), None),  # no target
        (_frame(latest=np.nan), _indicators(), None),  # no value
        (
            _frame(latest=20.0, slope_per_year=-10.0),
            _indicators(direction="lower", target_value=5.0),
            status.ON_TRACK,
        ),
        (_frame(latest_end=pd.Timestamp(2027, 6, 30)), _indicators(), status.OFF_TRACK),  # too late
        (_frame(base_date=pd.Timestamp(2027, 1, 1)), _indicators(), status.AT_RISK),  # span <= 0
        (_frame(area="hoerde"), _indicators(aggregation="sum"), None),  # no city value to scale by
    ],
)
def test_edge_cases(stats, indicators, expected) -> None:
    assert _as_list(status.add_status(stats, indicators)["status"]) == [expected]
    assert rowwise_status(stats, indicators) == [expected]


def test_district_count_target_is_scaled_by_the_city_value() -> None:
    stats = pd.concat(
        [_frame(latest=1000.0), _frame(area="hoerde", latest=100.0, slope_per_year=np.nan)],
        ignore_index=True,
    )
    for city in (1000.0, 0.0):
        stats.loc[0, "latest"] = city
        inds = _indicators(aggregation="sum", target_value=2000.0)
        assert _as_list(status.add_status(stats, inds)["status"]) == rowwise_status(stats, inds)


def test_dates_as_python_dates() -> None:
    stats = _frame(latest_end=date(2024, 12, 31), base_date=date(2018, 12, 31))
    assert _as_list(status.add_status(stats, _indicators())["status"]) == [status.AT_RISK]


def test_summarise_counts_matches_summarise() -> None:
    states = [status.ON_TRACK, status.AT_RISK, status.OFF_TRACK]
    rng = np.random.default_rng(3)
    for _ in range(200):
        sample = pd.Series(rng.choice(states, rng.integers(0, 9)), dtype="str")
        counts = sample.value_counts().to_dict()
        assert status.summarise_counts(counts) == status.summarise(sample)


def test_matrix_equals_a_cell_by_cell_count(fixture_db, fixture_stats) -> None:
    indicators, _ = fixture_stats
    with Store(fixture_db.db_path).connect_read() as con:
        lo, hi = read.data_range(con)
        city = read.series_stats(con, lo, hi)
        districts = read.series_stats(con, lo, hi, city=False)
        district_list = read.district_list(con)
    cells = views.matrix(city, districts, indicators, district_list)
    assessed = status.add_status(pd.concat([city, districts], ignore_index=True), indicators)
    plans = dict(zip(indicators["id"], indicators["masterplan"], strict=True))
    assessed["masterplan"] = assessed["indicator_id"].map(plans)
    assert len(cells) == 3 * len(district_list)
    for cell in cells:
        part = assessed[
            (assessed["masterplan"] == cell.masterplan) & (assessed["area"] == cell.district)
        ]
        assert (cell.status, cell.text.startswith("ohne")) == (
            status.summarise(part["status"].dropna())[0],
            not part["status"].notna().any(),
        )
        # The cell names its count per status: the verdict follows from what it shows.
        counts = part["status"].value_counts()
        icons = {s: texts.STATUS_STYLE[s].icon for s in status.STATUSES}
        shown = [f"{icons[s]} {counts[s]}" for s in status.STATUSES if s in counts]
        assert cell.text == (" · ".join(shown) or "ohne Ziel")
