"""Deterministic demo series for what no public source gives us yet.

Every value made here is stored with ``is_official = false`` and the source
``DEMO_SOURCE``, and is labelled "Demodaten" wherever it is shown or exported.
The city line runs from the catalog's ``demo.start`` (2018) to ``demo.end``
(2025) and passes through the real published values where there are any, so
demo and real figures tell one consistent story. District values are split
from the city line and aggregate back to it exactly (sum or population-weighted
mean, as the catalog says).
"""

from __future__ import annotations

import zlib
from datetime import date

import numpy as np
import pandas as pd

from dortmund_kpi.catalog import Catalog, Indicator
from dortmund_kpi.districts import CITY, District
from dortmund_kpi.periods import Period, month_period, quarter_period, year_period

SEED = 20180901  # the CIO office opened in 2018
FIRST_YEAR, LAST_YEAR = 2018, 2025
DEMO_SOURCE = "Demodaten (generiert, nicht amtlich)"


def _periods(frequency: str) -> list[Period]:
    years = range(FIRST_YEAR, LAST_YEAR + 1)
    if frequency == "quarterly":
        return [quarter_period(y, q) for y in years for q in range(1, 5)]
    if frequency == "monthly":
        return [month_period(y, m) for y in years for m in range(1, 13)]
    return [year_period(y) for y in years]


def _ordinal(day: date) -> float:
    return float(day.toordinal())


def _middle(start: date, end: date) -> float:
    """Values are placed (and drawn) in the middle of their period."""
    return (_ordinal(start) + _ordinal(end)) / 2


def _city_path(ind: Indicator, periods: list[Period], real: pd.DataFrame, rng) -> np.ndarray:
    """Interpolate through (2018 start, real values, 2025 end), with a little noise."""
    start = ind.demo_start if ind.demo_start is not None else 100.0
    end = ind.demo_end if ind.demo_end is not None else start * 1.5
    anchors = {_ordinal(date(FIRST_YEAR, 7, 2)): start, _ordinal(date(LAST_YEAR, 7, 2)): end}
    for _, row in real.iterrows():
        anchors[_middle(row["period_start"].date(), row["period_end"].date())] = float(row["value"])
    xs = np.array(sorted(anchors))
    ys = np.array([anchors[x] for x in xs])
    when = np.array([_middle(p.start, p.end) for p in periods])
    path = np.interp(when, xs, ys)
    noise = rng.normal(0.0, 0.015, size=len(periods))
    return path * (1.0 + noise)


def _clip(values: np.ndarray, ind: Indicator) -> np.ndarray:
    lo = ind.min if ind.min is not None else 0.0
    hi = ind.max if ind.max is not None else np.inf
    return np.clip(values, lo, hi)


def _district_matrix(
    ind: Indicator, city: np.ndarray, districts: list[District], rng
) -> np.ndarray:
    """Rows: periods, columns: districts; aggregate exactly to ``city`` before rounding."""
    pop = np.array([d.population for d in districts], dtype=float)
    profile = rng.lognormal(0.0, 0.25, size=len(districts))
    jitter = rng.lognormal(0.0, 0.03, size=(len(city), len(districts)))
    factors = profile * jitter
    if ind.aggregation == "sum":
        shares = pop * factors
        return city[:, None] * shares / shares.sum(axis=1, keepdims=True)
    spread = factors / (factors * pop).sum(axis=1, keepdims=True) * pop.sum()
    return _clip(city[:, None] * spread, ind)


def _rows(ind: Indicator, periods: list[Period], area: str, values: np.ndarray) -> list[dict]:
    return [
        {
            "indicator_id": ind.id,
            "area": area,
            "period": p.label,
            "period_type": p.kind,
            "period_start": pd.Timestamp(p.start),
            "period_end": pd.Timestamp(p.end),
            "value": float(v),
            "note": None,
            "source": DEMO_SOURCE,
            "is_official": False,
        }
        for p, v in zip(periods, values, strict=True)
    ]


def _city_from_districts(
    ind: Indicator, matrix: np.ndarray, districts: list[District]
) -> np.ndarray:
    if ind.aggregation == "sum":
        return matrix.sum(axis=1)
    pop = np.array([d.population for d in districts], dtype=float)
    return np.round((matrix * pop).sum(axis=1) / pop.sum(), ind.decimals + 1)


def indicator_series(ind: Indicator, districts: list[District], real: pd.DataFrame) -> list[dict]:
    """Demo rows for one indicator; periods with a real city value get no demo city value."""
    rng = np.random.default_rng([SEED, zlib.crc32(ind.id.encode())])
    periods = _periods(ind.frequency)
    city = _clip(_city_path(ind, periods, real, rng), ind)
    real_values = dict(zip(real["period"], real["value"], strict=True)) if len(real) else {}
    for i, period in enumerate(periods):
        # Where a real value exists for the same period, districts add up to it exactly.
        city[i] = real_values.get(period.label, city[i])
    real_periods = set(real_values)
    rows: list[dict] = []
    if ind.has_districts and ind.aggregation != "none":
        matrix = np.round(_district_matrix(ind, city, districts, rng), ind.decimals)
        for col, district in enumerate(districts):
            rows += _rows(ind, periods, district.slug, matrix[:, col])
        city = _city_from_districts(ind, matrix, districts)
    else:
        city = np.round(city, ind.decimals)
    keep = [i for i, p in enumerate(periods) if p.label not in real_periods]
    rows += _rows(ind, [periods[i] for i in keep], CITY, city[keep])
    return rows


def demo_observations(
    catalog: Catalog, districts: list[District], real: pd.DataFrame
) -> pd.DataFrame:
    """All demo rows; ``real`` holds the official observations: the city's values anchor the
    curves, and no demo value is made where an official one exists (city or district)."""
    rows: list[dict] = []
    covered = set(zip(real["indicator_id"], real["area"], real["period"], strict=True))
    for ind in catalog.indicators:
        own = real[(real["indicator_id"] == ind.id) & (real["area"] == CITY)] if len(real) else real
        made = indicator_series(ind, districts, own)
        rows += [r for r in made if (ind.id, r["area"], r["period"]) not in covered]
    frame = pd.DataFrame(rows)
    frame["note"] = pd.Series(np.nan, index=frame.index, dtype="str")
    return frame
