"""Pinned links (``stand``): the numbers of that moment, a banner when newer data exists."""

from __future__ import annotations

from pathlib import Path

import pytest

from dortmund_kpi import texts
from dortmund_kpi.db import read
from dortmund_kpi.db.store import Store
from dortmund_kpi.formatting import format_number_plain, number
from dortmund_kpi.ingest.importer import run_import
from dortmund_kpi.settings import ENV_DB, Settings
from dortmund_kpi.share.stand import format_stand
from tests.app.conftest import assert_ok, infos, open_page, qp, text_tables, tiles

ID = "digitalisierungsbudget"


def _city_value(settings: Settings, year: str) -> float:
    with Store(settings.db_path).connect_read() as con:
        frame = read.series(con, [ID], ["dortmund"], 2018, 2025)
    return float(frame.loc[frame["period"] == year, "value"].iloc[0])


def _tile_value(at) -> str:
    return next(t["value"] for t in tiles(at) if "Digitalisierungsbudget" in t["label"])


@pytest.fixture
def changed_db(db_copy: Settings, tmp_path: Path, monkeypatch: pytest.MonkeyPatch):
    """The fixture database, pinned before an import that changes the 2025 budget."""
    with Store(db_copy.db_path).connect_read() as con:
        before_moment = read.data_stand(con)
    before = _city_value(db_copy, "2025")
    update = tmp_path / "budget.csv"
    new = format_number_plain(before + 10)
    update.write_text(f"indikator;bezirk;zeitraum;wert\n{ID};Dortmund;2025;{new}\n", "utf-8")
    run_import([update], db_copy)
    monkeypatch.setenv(ENV_DB, str(db_copy.db_path))
    return db_copy, format_stand(before_moment), before


def test_pinned_link_shows_old_numbers_and_banner_live_link_new(changed_db):
    settings, stand, before = changed_db
    after = _city_value(settings, "2025")
    assert after == pytest.approx(before + 10)

    pinned = open_page("uebersicht", {"stand": stand})
    assert_ok(pinned)
    assert _tile_value(pinned) == number(before, 1)
    banner = " ".join(infos(pinned))
    assert "Datenstand vom" in banner and "neuere Daten" in banner
    # A Material icon (bundled with Streamlit): an emoji is a missing-glyph box where no
    # emoji font is installed (Linux desktops, many kiosk and beamer PCs).
    assert [i.icon for i in pinned.info if "Datenstand vom" in i.value] == [":material/push_pin:"]
    assert qp(pinned, "stand") == [stand]

    live = open_page("uebersicht", {})
    assert_ok(live)
    assert _tile_value(live) == number(after, 1)
    assert not any("Datenstand vom" in i for i in infos(live))


def test_pinned_indicator_series_equals_the_revision_history(changed_db):
    _settings, stand, before = changed_db
    at = open_page("indikator", {"indikator": ID, "stand": stand})
    assert_ok(at)
    import json

    spec = json.loads(at.get("plotly_chart")[0].proto.spec)
    city = next(t for t in spec["data"] if t.get("name") == "Dortmund (gesamt)")
    assert before in [round(v, 6) for v in _values(city["y"])]


def _values(y):
    from tests.app.conftest import array

    return [float(v) for v in array(y)]


def test_show_live_button_unpins(changed_db):
    _, stand, _ = changed_db
    at = open_page("uebersicht", {"stand": stand})
    live_buttons = [b for b in at.button if b.label == "Aktuelle Daten anzeigen"]
    assert live_buttons, "the pinned view offers the live view"
    live_buttons[0].click().run()
    assert_ok(at)
    assert qp(at, "stand") == []


@pytest.mark.parametrize("page", ["uebersicht", "masterplan", "indikator", "bezirke", "daten"])
def test_a_moment_before_the_first_import_renders_every_page(page: str) -> None:
    """``stand`` before any data: nothing known then, so empty dates show as '–' (no crash)."""
    at = open_page(page, {"stand": "2000-01-01"})
    assert_ok(at)
    assert qp(at, "stand") == ["2000-01-01"]


@pytest.mark.parametrize("page", ["uebersicht", "masterplan", "indikator", "bezirke"])
def test_before_the_first_import_the_page_says_so(page: str) -> None:
    """Not "change period or district" and no matrix of "kein Zielwert": there were no
    values yet at that moment, and the page says when the first import was."""
    at = open_page(page, {"stand": "2000-01-01"})
    assert_ok(at)
    notes = infos(at)
    assert any("lagen noch keine Werte vor" in n and "erste Import war am" in n for n in notes)
    assert not any(texts.EMPTY in n for n in notes)
    tables = [frame.value for frame in at.dataframe] + text_tables(at)
    assert all(texts.NO_TARGET not in str(frame.to_numpy()) for frame in tables)
