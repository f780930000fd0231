"""Several districts side by side (``views.tables.comparison_table``, page and slide)."""

from __future__ import annotations

import pandas as pd

from dortmund_kpi import texts
from dortmund_kpi.views.tables import comparison_table


def _profile(rows: list[tuple[str, str, float, int]]) -> pd.DataFrame:
    """A district's profile: (indicator, period, value, rank) per row, a rate in %."""
    return pd.DataFrame(
        [
            {
                "indicator_id": ind,
                "short_name": ind.title(),
                "period": period,
                "unit": "%",
                "aggregation": "mean",
                "decimals": 1,
                "comparable": value,
                "is_official": True,
                "rank": rank,
                "city_comparable": 50.0,
                "city_official": True,
            }
            for ind, period, value, rank in rows
        ]
    )


def test_a_year_and_a_month_ending_on_the_same_day_are_rows_of_their_own() -> None:
    """An indicator with a yearly and a monthly value (both the latest, both ending on
    31 December) is two rows; each district's value is of that row's period, "–" where
    it has none. It failed on such data before (one indicator, two rows per district)."""
    first = _profile([("quote", "2025", 61.0, 2), ("quote", "2025-12", 63.0, 1)])
    second = _profile([("quote", "2025", 40.5, 9)])
    table = comparison_table(
        {"hoerde": first, "eving": second}, {"hoerde": "Hörde", "eving": "Eving"}
    )
    c = texts.COLUMNS
    assert list(table[c["period"]]) == ["2025", "Dezember 2025"]
    assert list(table["Hörde"]) == ["61,0 % (Rang 2)", "63,0 % (Rang 1)"]
    assert list(table["Eving"]) == ["40,5 % (Rang 9)", "–"]
    assert list(table[c["city"]]) == ["50,0 %", "50,0 %"]


def test_a_period_only_another_district_has_is_a_row_of_its_own() -> None:
    """Eving's latest value is of a later year than Hörde's: both are shown, each in the
    row of its own period (not Eving's 2025 value under Hörde's 2024)."""
    first = _profile([("quote", "2024", 61.0, 2)])
    second = _profile([("quote", "2025", 40.5, 9), ("andere", "2025", 12.0, 3)])
    table = comparison_table(
        {"hoerde": first, "eving": second}, {"hoerde": "Hörde", "eving": "Eving"}
    )
    c = texts.COLUMNS
    assert list(zip(table[c["indicator"]], table[c["period"]], strict=True)) == [
        ("Quote", "2024"),
        ("Quote", "2025"),
        ("Andere", "2025"),
    ]
    assert list(table["Hörde"]) == ["61,0 % (Rang 2)", "–", "–"]
    assert list(table["Eving"]) == ["–", "40,5 % (Rang 9)", "12,0 % (Rang 3)"]
