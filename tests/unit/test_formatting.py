"""German formatting and exports readable by German Excel."""

from __future__ import annotations

from datetime import UTC, date, datetime

import pandas as pd

from dortmund_kpi import formatting
from dortmund_kpi.views import tables as views
from dortmund_kpi.views.chart_frame import ChartMeta


def test_numbers():
    assert formatting.number(1234.5, 1) == "1.234,5"
    assert formatting.number(1234567) == "1.234.567"
    assert formatting.number(None) == "–"
    assert formatting.signed(-3.25, 1) == "−3,2" or formatting.signed(-3.25, 1) == "−3,3"
    assert formatting.signed(0.0) == "±0"
    assert formatting.with_unit(34.4, "%", 1) == "34,4 %"
    assert formatting.day(date(2024, 12, 31)) == "31.12.2024"


def test_german_csv_bom_semicolon_decimal_comma_and_formula_neutralised():
    table = pd.DataFrame({"Gebiet": ["Hörde", "=cmd()"], "Wert": [1234.5, 2.0]})
    data = views.german_csv(table)
    assert data.startswith("\ufeff".encode())
    text = data.decode("utf-8-sig")
    assert text.splitlines() == ["Gebiet;Wert", "Hörde;1234,5", "'=cmd();2"]


def test_missing_dates_and_moments_are_a_dash():
    """NaT is what a query returns for 'nothing known at that moment' (a pinned early link)."""
    for missing in (None, pd.NaT, float("nan"), pd.NA):
        assert formatting.day(missing) == "–"
        assert formatting.timestamp(missing) == "–"
    assert formatting.day(pd.Timestamp("2024-12-01 14:30")) == "01.12.2024"
    assert formatting.timestamp(pd.Timestamp("2024-12-01 14:30")) == "01.12.2024, 14:30 Uhr"


def test_instants_are_shown_in_berlin_time():
    """The database holds instants (UTC); a person reads Berlin wall-clock time and day."""
    new_year = pd.Timestamp("2026-12-31 23:30", tz="UTC")  # already 2027 in Dortmund
    assert formatting.day(new_year) == "01.01.2027"
    assert formatting.timestamp(new_year) == "01.01.2027, 00:30 Uhr"
    summer = datetime(2026, 7, 1, 10, 0, tzinfo=UTC)
    assert formatting.timestamp(summer) == "01.07.2026, 12:00 Uhr"
    # 02:00-03:00 on 25.10.2026 happens twice: the zone says which pass
    first, second = (datetime(2026, 10, 25, hour, 30, tzinfo=UTC) for hour in (0, 1))
    assert formatting.timestamp(first) == "25.10.2026, 02:30 Uhr MESZ"
    assert formatting.timestamp(second) == "25.10.2026, 02:30 Uhr MEZ"
    assert formatting.timestamp(datetime(2026, 10, 25, 2, 30, tzinfo=UTC)) == (
        "25.10.2026, 03:30 Uhr"
    )


def test_chart_timestamp_keeps_time_with_its_date_and_uhr():
    """A chart footer wraps at spaces: "Uhr" (or the time) must not end up alone on a line."""
    text = formatting.chart_timestamp(pd.Timestamp("2026-12-05 14:03"))
    assert text == "05.12.2026,\u00a014:03\u00a0Uhr"
    meta = ChartMeta("Maßnahmen", "", "Stadt Dortmund, Masterplan Digitale Verwaltung", text)
    for width in range(20, 80):
        lines = meta.footer(width=width).split("<br>")
        assert any(text in line for line in lines), (width, lines)
    assert formatting.chart_timestamp(None) == "–"
