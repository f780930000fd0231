"""German formatting and exports readable by German Excel."""

from __future__ import annotations

from datetime import date

import pandas as pd

from dortmund_kpi import formatting
from dortmund_kpi.views import tables as views


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
