"""Target status and trend: is an indicator on course to its target?

The planned path runs straight from the baseline (first value since 2018) to
the target at the end of the target year. The trend is the linear slope of
the last three years. An indicator is

* "auf Kurs" when the trend reaches the target in time (or it is reached),
* "gefährdet" when the trend gets at least 75 % of the way, or the latest
  value is still on the planned path,
* "nicht auf Kurs" otherwise, or when the target year has passed unmet.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from datetime import date, datetime

import pandas as pd

ON_TRACK, AT_RISK, OFF_TRACK = "auf Kurs", "gefährdet", "nicht auf Kurs"
STATUSES = (ON_TRACK, AT_RISK, OFF_TRACK)
YEAR_DAYS = 365.25


@dataclass(frozen=True)
class TargetInput:
    latest: float
    latest_end: date
    base_value: float
    base_date: date
    slope_per_year: float | None
    target: float
    target_year: int
    higher_is_better: bool


def _as_date(value: date | datetime | pd.Timestamp) -> date:
    return value.date() if isinstance(value, datetime) else value


def target_end(year: int) -> date:
    return date(year, 12, 31)


def planned_value(x: TargetInput, when: date) -> float:
    """The value the straight path from baseline to target expects at ``when``."""
    span = (target_end(x.target_year) - x.base_date).days
    if span <= 0:
        return x.target
    share = min(max((when - x.base_date).days / span, 0.0), 1.0)
    return x.base_value + (x.target - x.base_value) * share


def forecast_value(x: TargetInput, when: date) -> float | None:
    """Where the recent trend leads by ``when``."""
    if x.slope_per_year is None or math.isnan(x.slope_per_year):
        return None
    return x.latest + x.slope_per_year * (when - x.latest_end).days / YEAR_DAYS


def assess(x: TargetInput) -> str:
    sign = 1.0 if x.higher_is_better else -1.0
    gap = sign * (x.target - x.latest)
    if gap <= 0:
        return ON_TRACK
    end = target_end(x.target_year)
    if end <= x.latest_end:
        return OFF_TRACK
    projected = forecast_value(x, end)
    gain = sign * (projected - x.latest) if projected is not None else 0.0
    if gain >= gap:
        return ON_TRACK
    on_plan = sign * (x.latest - planned_value(x, x.latest_end)) >= 0
    return AT_RISK if gain >= 0.75 * gap or on_plan else OFF_TRACK


def target_input(row: pd.Series, target: float, target_year: int, higher: bool) -> TargetInput:
    slope = row.get("slope_per_year")
    return TargetInput(
        latest=float(row["latest"]),
        latest_end=_as_date(row["latest_end"]),
        base_value=float(row["base_value"]),
        base_date=_as_date(row["base_date"]),
        slope_per_year=None if slope is None or pd.isna(slope) else float(slope),
        target=float(target),
        target_year=int(target_year),
        higher_is_better=higher,
    )


def add_status(stats: pd.DataFrame, indicators: pd.DataFrame) -> pd.DataFrame:
    """Add ``status`` to per-(indicator, area) stats. District targets: the city target
    for shares and means; for counts the city target scaled by the district's share."""
    meta = indicators.set_index("id")
    city_latest = stats[stats["area"] == "dortmund"].set_index("indicator_id")["latest"]
    statuses = []
    for _, row in stats.iterrows():
        ind = meta.loc[row["indicator_id"]]
        target = ind["target_value"]
        if pd.isna(target) or pd.isna(row["latest"]):
            statuses.append(None)
            continue
        if row["area"] != "dortmund" and ind["aggregation"] == "sum":
            city = city_latest.get(row["indicator_id"])
            if city is None or pd.isna(city) or city == 0:
                statuses.append(None)
                continue
            target = target * row["latest"] / city
        higher = ind["direction"] == "higher"
        statuses.append(assess(target_input(row, target, ind["target_year"], higher)))
    return stats.assign(status=statuses)


def change_direction(latest: float, previous: float | None, higher_is_better: bool) -> str:
    """'besser', 'schlechter' or 'unverändert' compared with the previous value."""
    if previous is None or pd.isna(previous) or latest == previous:
        return "unverändert"
    improved = (latest > previous) == higher_is_better
    return "besser" if improved else "schlechter"


def summarise(statuses: pd.Series) -> tuple[str | None, dict[str, int]]:
    """The status of a group (the worst that holds for at least a third) and the counts."""
    counts = {s: int((statuses == s).sum()) for s in STATUSES}
    total = sum(counts.values())
    if not total:
        return None, counts
    if counts[OFF_TRACK] * 3 >= total:
        return OFF_TRACK, counts
    if (counts[OFF_TRACK] + counts[AT_RISK]) * 3 >= total:
        return AT_RISK, counts
    return ON_TRACK, counts
