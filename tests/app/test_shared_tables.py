"""Tables of a page are turned into Arrow once per data version and view, for every
session (``ui.data.table``), not on every run of every session."""

from __future__ import annotations

import pandas as pd
import pytest
from pyarrow import pandas_compat

from dortmund_kpi.db.store import Store
from dortmund_kpi.settings import ENV_DB, Settings
from dortmund_kpi.ui import data as ui_data
from tests.app.conftest import assert_ok, open_page


@pytest.fixture
def conversions(monkeypatch: pytest.MonkeyPatch) -> list[int]:
    """pandas -> Arrow conversions (``pyarrow.Table.from_pandas``, Streamlit's or ours)."""
    seen: list[int] = []
    convert = pandas_compat.dataframe_to_arrays

    def counted(frame, *args, **kwargs):
        seen.append(len(frame))
        return convert(frame, *args, **kwargs)

    monkeypatch.setattr(pandas_compat, "dataframe_to_arrays", counted)
    return seen


def _tables(at) -> list[list]:
    return [frame.value.to_numpy().tolist() for frame in at.dataframe]


def test_a_second_session_sends_the_tables_of_the_first_until_a_new_version(
    db_copy: Settings, monkeypatch: pytest.MonkeyPatch, conversions: list[int]
) -> None:
    monkeypatch.setenv(ENV_DB, str(db_copy.db_path))
    first = open_page("uebersicht")
    assert_ok(first)
    assert len(first.dataframe) == 2  # the matrix and the measures per masterplan
    assert len(conversions) >= 2

    conversions.clear()
    second = open_page("uebersicht")  # another visitor, the same view
    assert_ok(second)
    assert conversions == []
    assert _tables(second) == _tables(first)

    with Store(db_copy.db_path).write():
        pass  # a new published version (same values): the tables are made again
    third = open_page("uebersicht")
    assert_ok(third)
    assert len(conversions) >= 2
    assert _tables(third) == _tables(first)


def test_the_rows_of_a_frame_are_made_once_per_frame() -> None:
    frame = pd.DataFrame({"title": ["Portal", "Schul-WLAN"], "late": [True, False]})
    first = ui_data.rows(frame)
    assert ui_data.rows(frame) is first  # every later run of every session
    assert [(row.title, row.late) for row in first] == [("Portal", True), ("Schul-WLAN", False)]
    assert ui_data.rows(frame.copy()) is not first  # another frame (a new version's)
