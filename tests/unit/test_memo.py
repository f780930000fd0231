"""Charts kept by content (views.memo): after an import the masterplan page reuses the
small multiples whose data did not change and draws the changed one anew, with the new
value; the memo never hands out a chart of other data."""

from __future__ import annotations

import pandas as pd

from dortmund_kpi.db.store import Store
from dortmund_kpi.ingest.importer import run_import
from dortmund_kpi.settings import Settings
from dortmund_kpi.views import masterplan, memo
from dortmund_kpi.views.common import Direct, View
from tests.conftest import KPI_FIXTURE

VIEW = View("masterplan", (2018, 2026), masterplan="verwaltung")


def _charts(settings: Settings) -> dict[str, masterplan.Chart]:
    with Store(settings.db_path).connect_read() as con:
        page = masterplan.build(Direct(con), VIEW)
    return {str(c.indicator["id"]): c for c in page.charts if c.figure is not None}


def _revise_one_value(settings: Settings, tmp_path) -> tuple[str, float]:
    """Import one row of the fixture file with a new value (a revision)."""
    lines = KPI_FIXTURE.read_text(encoding="utf-8-sig").splitlines()
    header = lines[0]
    row = next(line for line in lines[1:] if line.startswith("online_dienstleistungen;Dortmund;"))
    fields = row.split(";")
    fields[3] = "977,5"
    changed = tmp_path / "revision.csv"
    changed.write_text(f"{header}\n{';'.join(fields)}\n", encoding="utf-8")
    report = run_import([changed], settings, user="test")
    assert report.changed == 1, report
    return fields[0], 977.5


def test_an_import_redraws_only_the_changed_chart(db_copy: Settings, tmp_path) -> None:
    before = _charts(db_copy)
    indicator, value = _revise_one_value(db_copy, tmp_path)
    after = _charts(db_copy)
    assert before.keys() == after.keys() and indicator in after
    for ind_id, chart in after.items():
        if ind_id == indicator:
            assert chart.figure is not before[ind_id].figure
            ys = [y for trace in chart.figure.data if trace.y is not None for y in trace.y]
            assert value in ys, "the new chart draws the revised value"
            assert chart.svg != before[ind_id].svg
        else:
            assert chart.figure is before[ind_id].figure, ind_id  # reused, not drawn again
            assert chart.svg == before[ind_id].svg


def test_same_content_same_key_and_any_change_another() -> None:
    frame = pd.DataFrame({"value": [1.0, 2.0], "source": ["A", "A"]})
    ind = pd.Series({"id": "x", "target_value": 5.0})
    key = memo.digest("chart", frame, ind, None)
    assert key == memo.digest("chart", frame.copy(), ind.copy(), None)
    changed = [
        memo.digest("chart", frame.assign(value=[1.0, 2.5]), ind, None),
        memo.digest("chart", frame.assign(source=["A", "B"]), ind, None),
        memo.digest("chart", frame, ind.replace(5.0, 6.0), None),
        memo.digest("chart", frame, ind, pd.Series({"latest": 2.0})),
        memo.digest("other", frame, ind, None),
    ]
    assert key not in changed and len(set(changed)) == len(changed)


def test_memo_reuses_by_key_and_drops_the_oldest() -> None:
    kept = memo.ContentMemo(size=2)
    built: list[str] = []

    def build(name: str):
        return lambda: built.append(name) or name

    assert kept.get("a", build("a")) == "a"
    assert kept.get("a", build("a again")) == "a"
    kept.get("b", build("b"))
    kept.get("c", build("c"))  # "a" is the least recently used: dropped
    assert kept.get("a", build("a anew")) == "a anew"
    assert built == ["a", "b", "c", "a anew"] and len(kept) == 2
    assert kept.get(None, build("undigestible")) == "undigestible"
    assert memo.digest(object.__new__(Unprintable)) is None  # not digestible: built, not kept


class Unprintable:
    def __repr__(self) -> str:
        raise TypeError("no text")


def test_list_cells_digested_by_their_text() -> None:
    """A measure's indicators and districts are lists: the timeline is kept too."""
    frame = pd.DataFrame({"indicators": [["a", "b"], []], "title": ["x", "y"]})
    key = memo.digest(frame)
    assert key is not None and key == memo.digest(frame.copy())
    assert memo.digest(frame.assign(indicators=[["a"], []])) != key


def test_summation_noise_is_no_change_a_shown_digit_is() -> None:
    """DuckDB sums in parallel in no fixed order: the same values give sums and slopes that
    differ in the last bits between versions; that must not rebuild a chart."""
    frame = pd.DataFrame({"value": [3203038.1, 0.1 + 0.2]})
    row = pd.Series({"slope_per_year": -2.171474939464905, "latest": 1761.4999999999995})
    key = memo.digest(frame, row)
    noisy_frame = pd.DataFrame({"value": [3203038.1000000003, 0.3]})
    noisy_row = pd.Series({"slope_per_year": -2.1714749394650514, "latest": 1761.5000000000002})
    assert memo.digest(noisy_frame, noisy_row) == key
    assert memo.digest(frame.assign(value=[3203038.2, 0.3]), row) != key
    assert memo.digest(frame, row.replace(1761.4999999999995, 1761.6)) != key
