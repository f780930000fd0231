"""Target status from baseline, target path and trend."""

from __future__ import annotations

from datetime import date

import pytest

from dortmund_kpi.status import (
    AT_RISK,
    OFF_TRACK,
    ON_TRACK,
    TargetInput,
    assess,
    change_direction,
    planned_value,
    summarise,
)


def make(
    latest: float, slope: float | None, *, higher: bool = True, target: float = 100
) -> TargetInput:
    return TargetInput(
        latest=latest,
        latest_end=date(2024, 12, 31),
        base_value=0,
        base_date=date(2018, 12, 31),
        slope_per_year=slope,
        target=target,
        target_year=2026,
        higher_is_better=higher,
    )


@pytest.mark.parametrize(
    ("latest", "slope", "expected"),
    [
        (100, 0, ON_TRACK),  # reached
        (80, 10.5, ON_TRACK),  # 80 + 2 * 10.5 > 100
        (80, 8, AT_RISK),  # gets 16 of 20 (80 %)
        (80, 1, AT_RISK),  # behind the trend, but on the planned path (75 at end of 2024)
        (50, 2, OFF_TRACK),  # below the path and the trend does not get there
        (50, None, OFF_TRACK),
    ],
)
def test_assess(latest, slope, expected):
    assert assess(make(latest, slope)) == expected


def test_lower_is_better():
    assert assess(make(20, -10, higher=False, target=5)) == ON_TRACK
    assert assess(make(20, 5, higher=False, target=5)) == OFF_TRACK


def test_past_target_year_unmet_is_off_track():
    x = make(90, 100)
    late = TargetInput(**{**x.__dict__, "latest_end": date(2027, 6, 30)})
    assert assess(late) == OFF_TRACK


def test_planned_value_is_linear():
    x = make(0, 0)
    assert planned_value(x, date(2018, 12, 31)) == 0
    assert planned_value(x, date(2026, 12, 31)) == pytest.approx(100)
    assert planned_value(x, date(2030, 1, 1)) == pytest.approx(100)


def test_change_direction_respects_direction():
    assert change_direction(10, 5, True) == "besser"
    assert change_direction(10, 5, False) == "schlechter"
    assert change_direction(5, 5, True) == "unverändert"


def test_summarise():
    import pandas as pd

    assert summarise(pd.Series([ON_TRACK, ON_TRACK, ON_TRACK]))[0] == ON_TRACK
    assert summarise(pd.Series([ON_TRACK, ON_TRACK, OFF_TRACK]))[0] == OFF_TRACK
    assert summarise(pd.Series([ON_TRACK, AT_RISK, ON_TRACK]))[0] == AT_RISK
    assert summarise(pd.Series([], dtype="str"))[0] is None
