"""Target status and change are enums whose values are the German words, each shown
through one table (``texts.STATUS_STYLE``, ``texts.CHANGE_STYLE``)."""

from __future__ import annotations

import pickle
from datetime import date

import numpy as np
import pandas as pd

from dortmund_kpi import status, texts
from dortmund_kpi.status import Change, Status


def test_values_are_the_german_words():
    assert [s.value for s in Status] == ["auf Kurs", "gefährdet", "nicht auf Kurs"]
    assert [c.value for c in Change] == ["besser", "schlechter", "unverändert"]
    assert status.STATUSES == (status.ON_TRACK, status.AT_RISK, status.OFF_TRACK)
    assert status.ON_TRACK == "auf Kurs" and f"{status.OFF_TRACK}" == "nicht auf Kurs"
    assert Status("gefährdet") is Status.AT_RISK
    assert pickle.loads(pickle.dumps(Status.AT_RISK)) is Status.AT_RISK


def test_plain_strings_and_members_are_the_same_keys():
    assert texts.STATUS_STYLE["auf Kurs"] is texts.STATUS_STYLE[Status.ON_TRACK]
    assert {"besser": 1}[Change.BETTER] == 1
    assert (pd.Series(["gefährdet", "auf Kurs"]) == Status.AT_RISK).tolist() == [True, False]


def test_assessments_return_members():
    x = status.TargetInput(80, date(2024, 12, 31), 0, date(2018, 12, 31), 8, 100, 2026, True)
    assert status.assess(x) is Status.AT_RISK
    got = status.assess_arrays(
        latest=np.array([80.0, 100.0, 50.0]),
        latest_end=pd.Series([pd.Timestamp(2024, 12, 31)] * 3),
        base_value=np.zeros(3),
        base_date=pd.Series([pd.Timestamp(2018, 12, 31)] * 3),
        slope_per_year=np.array([8.0, 0.0, np.nan]),
        target=np.full(3, 100.0),
        target_year=np.full(3, 2026),
        higher_is_better=np.ones(3, dtype=bool),
    )
    assert got.dtype == object
    assert list(got) == [Status.AT_RISK, Status.ON_TRACK, Status.OFF_TRACK]
    assert all(type(s) is Status for s in got)
    assert status.change_direction(2, 1, True) is Change.BETTER
    assert status.change_direction(2, 1, False) is Change.WORSE
    assert status.change_direction(1, None, True) is Change.UNCHANGED
    assert status.summarise_counts({"gefährdet": 2})[0] is Status.AT_RISK


def test_one_style_per_member():
    assert list(texts.STATUS_STYLE) == list(Status)
    assert list(texts.CHANGE_STYLE) == list(Change)
    assert [s.label for s in texts.STATUS_STYLE.values()] == [s.value for s in Status]
    assert [s.label for s in texts.CHANGE_STYLE.values()] == [c.value for c in Change]


def test_the_tables_hold_what_was_spread_over_texts_ui_and_charts():
    """The values the old dictionaries had (texts.STATUS_ICONS, ui.STATUS_BADGE,
    charts.STATUS_COLORS, texts.CHANGE_TEXT/CHANGE_ARROW, ui.CHANGE_COLOR)."""
    style = texts.STATUS_STYLE
    assert {s: v.icon for s, v in style.items()} == {
        "auf Kurs": "✓",
        "gefährdet": "!",
        "nicht auf Kurs": "✗",
    }
    assert {s: v.color for s, v in style.items()} == {
        "auf Kurs": "green",
        "gefährdet": "orange",
        "nicht auf Kurs": "red",
    }
    assert {s: v.chart for s, v in style.items()} == {
        "auf Kurs": "#117733",
        "gefährdet": "#DDAA33",
        "nicht auf Kurs": "#CC6677",
    }
    change = texts.CHANGE_STYLE
    assert {c: v.icon for c, v in change.items()} == {
        "besser": "▲",
        "schlechter": "▼",
        "unverändert": "▶",
    }
    assert {c: v.color for c, v in change.items()} == {
        "besser": "green",
        "schlechter": "red",
        "unverändert": "gray",
    }


def test_old_names_are_derived():
    assert {s: v.icon for s, v in texts.STATUS_STYLE.items()} == texts.STATUS_ICONS
    assert {s: v.color for s, v in texts.STATUS_STYLE.items()} == texts.STATUS_COLORS
    assert {c: v.label for c, v in texts.CHANGE_STYLE.items()} == texts.CHANGE_TEXT
    assert {c: v.icon for c, v in texts.CHANGE_STYLE.items()} == texts.CHANGE_ARROW
    assert texts.STATUS_ICONS["nicht auf Kurs"] == "✗"
    assert texts.CHANGE_TEXT["unverändert"] == "unverändert"


def test_no_status_has_its_own_style():
    for missing in (None, float("nan"), "", "unbekannt"):
        assert texts.status_style(missing) is texts.NO_STATUS_STYLE
    assert texts.NO_STATUS_STYLE.label == texts.NO_TARGET
    assert texts.status_style("gefährdet") is texts.STATUS_STYLE[Status.AT_RISK]
