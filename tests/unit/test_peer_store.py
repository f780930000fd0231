"""Peer regions and their values are written in one statement per table
(``db.peers``): a key given twice keeps its later row, as row by row it did; a later
import replaces a stored value; gaps stay empty."""

from __future__ import annotations

from datetime import UTC, date, datetime

import pandas as pd

from dortmund_kpi.db import peers
from dortmund_kpi.db.store import Store
from dortmund_kpi.settings import Settings

AGS = "05978999"  # not a real key: the fixture's regions stay as they are


def _regions(name: str, population: float | None) -> dict[str, object]:
    return {
        "ags": AGS,
        "name": name,
        "kreis": None,
        "regierungsbezirk": "Arnsberg",
        "population": population,
        "population_date": date(2024, 12, 31) if population else None,
        "area_km2": None,
        "source": "Test",
    }


def _value(value: float) -> dict[str, object]:
    return {
        "indicator_id": "glasfaser_haushalte",
        "ags": AGS,
        "period": "2021",
        "value": value,
        "source": "Test",
        "is_official": True,
    }


def test_a_key_given_twice_keeps_its_later_row_and_gaps_stay_empty(db_copy: Settings) -> None:
    store = Store(db_copy.db_path)
    loaded = datetime(2026, 12, 7, 12, tzinfo=UTC)
    with store.write() as con:
        peers.put_regions(con, pd.DataFrame([_regions("Alt", 1000), _regions("Neu", None)]))
        peers.put_peer_values(con, pd.DataFrame([_value(1.5), _value(2.5)]), loaded)
    with store.connect_read() as con:
        region = peers.regions(con).set_index("ags").loc[AGS]
        values = peers.peer_values(con, "glasfaser_haushalte")
    assert region["name"] == "Neu"
    assert pd.isna(region["population"]) and pd.isna(region["population_date"])
    assert pd.isna(region["kreis"]) and pd.isna(region["area_km2"])
    mine = values[values["ags"] == AGS]
    assert mine["value"].tolist() == [2.5]
    assert mine["loaded_at"].tolist() == [pd.Timestamp(loaded)]


def test_a_later_import_replaces_a_stored_value(db_copy: Settings) -> None:
    store = Store(db_copy.db_path)
    for value, hour in ((1.5, 10), (3.5, 11)):
        with store.write() as con:
            peers.put_regions(con, pd.DataFrame([_regions("Testort", 5000)]))
            at = datetime(2026, 12, 7, hour, tzinfo=UTC)
            peers.put_peer_values(con, pd.DataFrame([_value(value)]), at)
    with store.connect_read() as con:
        region = peers.regions(con).set_index("ags").loc[AGS]
        values = peers.peer_values(con, "glasfaser_haushalte")
    assert region["population"] == 5000
    assert values.loc[values["ags"] == AGS, "value"].tolist() == [3.5]
