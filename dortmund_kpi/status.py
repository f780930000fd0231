"""Target status and trend: is an indicator on course to its target?

The planned path runs straight from the baseline (first value since 2018) to
the target at the end of the target year. The trend is the linear slope of
the last three years. An indicator is

* "auf Kurs" when the trend reaches the target in time (or it is reached),
* "gefährdet" when the trend gets at least 75 % of the way, or the latest
  value is still on the planned path,
* "nicht auf Kurs" otherwise, or when the target year has passed unmet.

Statuses and changes are ``Status`` and ``Change``, string enums whose values are the
German words (so stored, compared and looked-up strings keep working); how each is
shown (label, icon, colours) is one table each in ``texts``: ``STATUS_STYLE`` and
``CHANGE_STYLE``.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from datetime import date, datetime
from enum import StrEnum

import numpy as np
import pandas as pd


class Status(StrEnum):
    """Target status of an indicator (the value is the stored and shown German word)."""

    ON_TRACK = "auf Kurs"
    AT_RISK = "gefährdet"
    OFF_TRACK = "nicht auf Kurs"


class Change(StrEnum):
    """Change of the latest value against the previous one, judged by the direction."""

    BETTER = "besser"
    WORSE = "schlechter"
    UNCHANGED = "unverändert"


ON_TRACK, AT_RISK, OFF_TRACK = Status.ON_TRACK, Status.AT_RISK, Status.OFF_TRACK
STATUSES = tuple(Status)  # best first
# assess_arrays selects a code per row, then its member.
_CODE = {s: n for n, s in enumerate(STATUSES)}
_BY_CODE = np.array(STATUSES, dtype=object)
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


def assess(x: TargetInput) -> Status:
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
    """Add ``status`` to per-(indicator, area) stats, and ``status_target``: the target it
    was judged against (NaN where none). District targets: the city target for shares and
    means; for counts the city target scaled by the district's share.

    Column-wise (``assess_arrays``), not per row: the overview assesses every
    indicator in every district on each run (5,518 rows at 1 million observations).
    """
    meta = indicators.drop_duplicates("id").set_index("id")
    ids = stats["indicator_id"]
    target = ids.map(meta["target_value"]).astype(float).to_numpy()
    latest = stats["latest"].astype(float).to_numpy()
    city_rows = stats[stats["area"] == "dortmund"].drop_duplicates("indicator_id")
    city = ids.map(city_rows.set_index("indicator_id")["latest"]).astype(float).to_numpy()
    scaled = ((stats["area"] != "dortmund") & (ids.map(meta["aggregation"]) == "sum")).to_numpy()
    usable = ~np.isnan(target) & ~np.isnan(latest)
    # A district's share of a count needs the city's latest value (not missing, not 0).
    usable &= ~scaled | (~np.isnan(city) & (city != 0))
    with np.errstate(divide="ignore", invalid="ignore"):
        target = np.where(scaled, target * latest / city, target)
    out = np.full(len(stats), None, dtype=object)
    if usable.any():
        rows = stats[usable]
        slope = rows.get("slope_per_year", np.nan)
        out[usable] = assess_arrays(
            latest=latest[usable],
            latest_end=rows["latest_end"],
            base_value=rows["base_value"].astype(float).to_numpy(),
            base_date=rows["base_date"],
            slope_per_year=np.broadcast_to(np.asarray(slope, dtype=float), (len(rows),)),
            target=target[usable],
            target_year=ids[usable].map(meta["target_year"]).astype(int).to_numpy(),
            higher_is_better=(ids[usable].map(meta["direction"]) == "higher").to_numpy(),
        )
    judged = np.where(usable, target, np.nan)
    return stats.assign(status=out.tolist(), status_target=judged)


def _days(values: pd.Series | np.ndarray) -> np.ndarray:
    """Whole days since the epoch (the date part, as ``_as_date`` takes it)."""
    return pd.to_datetime(np.asarray(values)).to_numpy().astype("datetime64[D]").astype(np.int64)


def assess_arrays(
    *,
    latest: np.ndarray,
    latest_end: pd.Series | np.ndarray,
    base_value: np.ndarray,
    base_date: pd.Series | np.ndarray,
    slope_per_year: np.ndarray,
    target: np.ndarray,
    target_year: np.ndarray,
    higher_is_better: np.ndarray,
) -> np.ndarray:
    """``assess`` for arrays of inputs (no missing latest/target), element for element the
    same result: the same operations in the same order on float64."""
    sign = np.where(higher_is_better, 1.0, -1.0)
    gap = sign * (target - latest)
    latest_day, base_day = _days(latest_end), _days(base_date)
    # 31 December of the target year: 1 January of the next year minus one day.
    end_day = (np.asarray(target_year, dtype=np.int64) + 1 - 1970).astype("datetime64[Y]")
    end_day = end_day.astype("datetime64[D]").astype(np.int64) - 1
    slope = np.asarray(slope_per_year, dtype=float)
    has_trend = ~np.isnan(slope)
    projected = latest + slope * (end_day - latest_day) / YEAR_DAYS
    gain = np.where(has_trend, sign * (projected - latest), 0.0)
    span = end_day - base_day
    with np.errstate(divide="ignore", invalid="ignore"):
        share = np.minimum(np.maximum((latest_day - base_day) / span, 0.0), 1.0)
    planned = np.where(span <= 0, target, base_value + (target - base_value) * share)
    on_plan = sign * (latest - planned) >= 0
    code = np.select(
        [gap <= 0, end_day <= latest_day, gain >= gap, (gain >= 0.75 * gap) | on_plan],
        [_CODE[ON_TRACK], _CODE[OFF_TRACK], _CODE[ON_TRACK], _CODE[AT_RISK]],
        default=_CODE[OFF_TRACK],
    )
    return _BY_CODE[code]


def change_direction(latest: float, previous: float | None, higher_is_better: bool) -> Change:
    """Better, worse or unchanged (besser, schlechter, unverändert) against ``previous``."""
    if previous is None or pd.isna(previous) or latest == previous:
        return Change.UNCHANGED
    improved = (latest > previous) == higher_is_better
    return Change.BETTER if improved else Change.WORSE


def summarise(statuses: pd.Series) -> tuple[Status | None, dict[Status, int]]:
    """The status of a group (the worst that holds for at least a third) and the counts."""
    return summarise_counts({s: int((statuses == s).sum()) for s in STATUSES})


def summarise_counts(counts: dict[str, int]) -> tuple[Status | None, dict[Status, int]]:
    """``summarise`` from counts per status (missing statuses count 0)."""
    counts = {s: int(counts.get(s, 0)) for s in STATUSES}
    total = sum(counts.values())
    if not total:
        return None, counts
    if counts[OFF_TRACK] * 3 >= total:
        return OFF_TRACK, counts
    if (counts[OFF_TRACK] + counts[AT_RISK]) * 3 >= total:
        return AT_RISK, counts
    return ON_TRACK, counts
