"""The trend line (the forecast to the target year) never leaves the indicator's possible
range: pupils per device do not fall below the catalog's lower bound, a share does not
pass 100 %. The line ends at the bound, and its name, the text alternative and the status
explanation say so. Figures are the real page builds on the fixture database."""

from __future__ import annotations

import pandas as pd
import pytest

from dortmund_kpi import formatting, texts
from dortmund_kpi.db import read
from dortmund_kpi.db.store import Store
from dortmund_kpi.settings import Settings
from dortmund_kpi.views import alt_text, figures, indicator
from dortmund_kpi.views.common import Direct, View, possible_range

YEARS = (2018, 2026)


@pytest.fixture(scope="module")
def pages(fixture_db: Settings) -> dict[str, indicator.IndicatorData]:
    with Store(fixture_db.db_path).connect_read() as con:
        query = Direct(con)
        ids = list(read.indicator_list(con)["id"])
        return {i: indicator.build(query, View("indikator", YEARS, indicator=i)) for i in ids}


def _trend(page: indicator.IndicatorData):
    return next((t for t in page.figure.data if str(t.name).startswith("Trend (")), None)


def test_no_trend_line_leaves_its_indicators_possible_range(pages: dict) -> None:
    drawn = {i: _trend(p) for i, p in pages.items() if p.figure is not None and _trend(p)}
    assert "schueler_je_geraet" in drawn  # the line that ran below zero
    for ind, trace in drawn.items():
        lo, hi = possible_range(pages[ind].indicator)
        assert all(lo <= y <= hi for y in trace.y), (ind, trace.y, (lo, hi))


def test_pupils_per_device_trend_ends_at_the_lower_bound_and_says_so(pages: dict) -> None:
    page = pages["schueler_je_geraet"]
    info, trace = page.indicator, _trend(page)
    lo = float(info["min_value"])
    bound = formatting.with_unit(lo, str(info["unit"]), int(info["decimals"]))
    # Ends where it meets the bound, before the end of the target year, on the same line.
    assert trace.y[-1] == lo
    end = pd.Timestamp(int(info["target_year"]), 12, 31)
    assert pd.Timestamp(trace.x[0]) < pd.Timestamp(trace.x[-1]) < end
    assert trace.name == texts.TREND_BOUNDED.format(side="Untergrenze")
    sentence = alt_text.describe(page.figure)
    assert f"die Untergrenze {formatting.number(lo, int(info['decimals']))} und endet" in sentence
    assert f"Trend bis Ende {int(info['target_year'])}: {bound}." in page.explanation


def test_a_share_stops_at_100_percent() -> None:
    info = pd.Series({"unit": "%", "decimals": 1, "min_value": 0.0, "max_value": 100.0})
    x0, x1 = pd.Timestamp("2025-07-02"), pd.Timestamp("2027-12-31")
    xs, ys, name = figures.bounded_trend(x0, 90.0, x1, 110.0, info)
    assert ys == [90.0, 100.0]
    assert xs[-1] == x0 + (x1 - x0) / 2  # halfway: the line keeps its slope
    assert name == texts.TREND_BOUNDED.format(side="Obergrenze")
    # Inside the range the line is drawn as forecast, under its usual name.
    assert figures.bounded_trend(x0, 90.0, x1, 95.0, info) == ([x0, x1], [90.0, 95.0], texts.TREND)
