"""The import assistant on the Daten page: an official table as published, imported in
the browser by a signed-in editor, through the functions of ``dortmund-kpi import``.

The table is a GENESIS table CSV in IT.NRW's shape (``tests/fixtures/assistant``); the
database a private copy of the fixture database, whose ``ikt_beschaeftigte`` holds an
official 2022 value of another source (a conflict) and demo values for 2023 and 2024.
"""

from __future__ import annotations

from pathlib import Path

import pytest
from streamlit.testing.v1 import AppTest

from dortmund_kpi import texts
from dortmund_kpi.db import read
from dortmund_kpi.db.mappings import find_mappings
from dortmund_kpi.db.store import Store
from dortmund_kpi.ingest.official import Options, run_official_import
from dortmund_kpi.ingest.source_lines import licence_of
from dortmund_kpi.ingest.sources.read import parse_assigned
from dortmund_kpi.settings import ENV_DB, Settings
from tests.app.conftest import PAGE_FILES, assert_ok, captions, data_table, infos
from tests.app.test_editor_upload import EVA_VERIFIED, SECRETS, data_page

TABLE = Path(__file__).parents[1] / "fixtures" / "assistant" / "itnrw_13111-07iz_shape.csv"
INDICATOR = "ikt_beschaeftigte"
SECTION = "J Information und Kommunikation"
SOURCE = "IT.NRW, Landesdatenbank NRW, Tabelle 13111-07iz"
FILTER_LABEL = texts.ASSIST_FILTER.format(name="Zeilenmerkmal 1")


@pytest.fixture
def editor_db(db_copy: Settings, monkeypatch: pytest.MonkeyPatch) -> Settings:
    monkeypatch.setenv(ENV_DB, str(db_copy.db_path))
    return db_copy


def upload(at: AppTest, path: Path = TABLE) -> AppTest:
    at.file_uploader[0].set_value((path.name, path.read_bytes(), "text/csv")).run()
    assert_ok(at)
    return at


def selectbox(at: AppTest, label: str):
    return next(s for s in at.selectbox if s.label == label)


def checkbox(at: AppTest, label: str):
    return next(c for c in at.checkbox if c.label == label)


def import_button(at: AppTest):
    return next(b for b in at.button if b.label == texts.UPLOAD_CONFIRM)


def frames(at: AppTest) -> list:
    return [d.value for d in at.dataframe]


def change_table(at: AppTest):
    columns = list(texts.ASSIST_CHANGE_COLUMNS)
    return next(f for f in frames(at) if list(f.columns) == columns)


def series(settings: Settings) -> dict[str, tuple[float, str]]:
    with Store(settings.db_path).connect_read() as con:
        rows = read.series(con, [INDICATOR], ["dortmund"], 2022, 2024)
    return {str(r.period): (r.value, r.source) for r in rows.itertuples()}


def map_table(at: AppTest) -> AppTest:
    """Indicator and the economic section, as --indikator and --filter."""
    selectbox(at, texts.ASSIST_INDICATOR).set_value(INDICATOR).run()
    selectbox(at, FILTER_LABEL).set_value(SECTION).run()
    assert_ok(at)
    return at


def test_the_assistant_walks_a_genesis_table_into_the_indicator_page(editor_db: Settings):
    at = upload(data_page(secrets=SECRETS, user=EVA_VERIFIED))
    markdown = " ".join(m.value for m in at.markdown)
    assert "GENESIS-Tabelle 13111-07iz (IT.NRW)" in markdown
    assert any(SOURCE in c and "Datenlizenz Deutschland" in c for c in captions(at))
    preview = frames(at)[-1]
    assert list(preview.columns) == list(texts.ASSIST_PREVIEW_COLUMNS)
    assert len(preview) == 6  # Dortmund: 2 sections x 3 years; Bochum and NRW are not shown
    assert set(preview["Gebiet"]) == {"Dortmund"}
    assert "21.034 [p]" in preview["Wert"].tolist()
    assert any(c.startswith("18 Datensätze gelesen, 6 davon für Dortmund") for c in captions(at))

    selectbox(at, texts.ASSIST_INDICATOR).set_value(INDICATOR).run()
    # Two records per year (Insgesamt and section J): refused as the CLI refuses it.
    assert any(texts.ASSIST_REFUSED.split(" (")[0] in e.value for e in at.error)
    assert any("Zeilenmerkmal 1" in c.value and "--filter" in c.value for c in at.code)
    version = Store(editor_db.db_path).version()

    selectbox(at, FILTER_LABEL).set_value(SECTION).run()
    assert_ok(at)
    changes = change_table(at)
    assert changes[["Zeitraum", "alt", "neu", "Änderung"]].values.tolist() == [
        ["2022", "19.526", "19.512", "Konflikt"],
        ["2023", "19.502,4", "20.118", "geändert"],
        ["2024", "21.297,2", "21.034", "geändert"],
    ]
    assert set(changes["Quelle neu"]) == {SOURCE}
    assert changes["Quelle alt"].iloc[1] == "Demodaten (generiert, nicht amtlich)"
    command = " ".join(c.value for c in at.code)
    assert "dortmund-kpi import itnrw_13111-07iz_shape.csv --indikator ikt_beschaeftigte" in command
    assert "--filter 'J Information und Kommunikation'" in command
    assert Store(editor_db.db_path).version() == version  # the dry run writes nothing

    checkbox(at, texts.ASSIST_REPLACE).check().run()
    checkbox(at, texts.ASSIST_REMEMBER).check().run()
    assert "--merken --ersetzen" in " ".join(c.value for c in at.code)
    import_button(at).click().run()
    assert_ok(at)
    assert any(s.value.startswith("Import abgeschlossen") for s in at.success)
    assert texts.ASSIST_REMEMBERED_DONE in [s.value for s in at.success]
    # done: the dry run below the outcome has nothing left to import (a second click
    # imported it once more); another indicator for the same table is mapped as before
    assert texts.ASSIST_NOTHING in captions(at) and import_button(at).disabled
    at.run()
    assert any(s.value.startswith("Import abgeschlossen") for s in at.success)
    assert texts.ASSIST_NOTHING in captions(at) and import_button(at).disabled
    values = series(editor_db)
    assert {period: value for period, (value, _) in values.items()} == {
        "2022": 19512.0,
        "2023": 20118.0,
        "2024": 21034.0,
    }
    assert all(source.startswith(SOURCE) for _, source in values.values())
    with Store(editor_db.db_path).connect_read() as con:
        log = read.import_log(con)
        remembered = find_mappings(con, "13111-07iz", "")
    assert log["user_name"].iloc[0] == "Eva Editor"
    assert log["files"].iloc[0] == TABLE.name
    assert [(m.indicator_id, m.filters) for m in remembered] == [(INDICATOR, (SECTION,))]
    links = at.get("page_link")
    assert any(INDICATOR in str(link.proto.query_string) for link in links)

    # The indicator page shows the imported values with their source at once.
    at.query_params.clear()
    at.query_params["indikator"] = INDICATOR
    at.switch_page(PAGE_FILES["indikator"]).run()
    assert_ok(at)
    table = data_table(at)
    rows = {row["Zeitraum"]: row for _, row in table.iterrows()}
    assert rows["2024"]["Wert"] == "21.034"
    assert rows["2024"]["Datenart"] == "amtlich/veröffentlicht"
    assert rows["2024"]["Anmerkung"] == "vorläufige Zahl"  # the sign p of the table
    assert rows["2022"]["Wert"] == "19.512"
    assert rows["2022"]["Quelle"].startswith(SOURCE)


def test_a_signed_in_non_editor_sees_no_assistant(editor_db: Settings):
    at = data_page(secrets=SECRETS, user=EVA_VERIFIED | {"email": "gast@example.org"})
    assert_ok(at)
    assert len(at.get("file_uploader")) == 0
    assert not [s for s in at.selectbox if s.label == texts.ASSIST_INDICATOR]
    assert texts.UPLOAD_NOT_EDITOR in [w.value for w in at.warning]


def test_a_conflict_needs_ersetzen(editor_db: Settings):
    at = map_table(upload(data_page(secrets=SECRETS, user=EVA_VERIFIED)))
    assert any(w.value.startswith("1 Konflikt(e)") for w in at.warning)
    assert import_button(at).disabled
    before = series(editor_db)
    assert before["2022"] == (19526.0, before["2022"][1])
    checkbox(at, texts.ASSIST_REPLACE).check().run()
    assert not import_button(at).disabled
    checkbox(at, texts.ASSIST_REPLACE).uncheck().run()
    assert import_button(at).disabled
    assert series(editor_db) == before


def test_a_remembered_mapping_is_applied_to_the_next_upload(editor_db: Settings):
    # Remembered from the command line (--merken), as a department would have done.
    options = Options(INDICATOR, filters=("Information",), remember=True, replace_official=True)
    run_official_import(TABLE, editor_db, options)
    with Store(editor_db.db_path).connect_read() as con:
        assert find_mappings(con, "13111-07iz", "")
    at = upload(data_page(secrets=SECRETS, user=EVA_VERIFIED))
    remembered = [i for i in infos(at) if i.startswith(texts.ASSIST_REMEMBERED.split("{")[0])]
    assert remembered and "Indikator ikt_beschaeftigte" in remembered[0]
    assert "„Information“" in remembered[0]
    assert not [s for s in at.selectbox if s.label == texts.ASSIST_INDICATOR]
    changes = change_table(at)  # dry run at once, no choice needed
    assert changes["Änderung"].tolist() == ["unverändert"] * 3
    command = " ".join(c.value for c in at.code)
    assert command.strip() == "dortmund-kpi import itnrw_13111-07iz_shape.csv"
    assert not [c for c in at.checkbox if c.label == texts.ASSIST_REMEMBER]

    checkbox(at, texts.ASSIST_OVERRIDE).check().run()  # the editor may map it anew
    assert [s for s in at.selectbox if s.label == texts.ASSIST_INDICATOR]


BREITBAND = (
    Path(__file__).parents[1]
    / "fixtures"
    / "official"
    / "breitbandatlas_gemeinde_bezirke_privat_2021_mitte_NRW_excerpt.csv"
)


def _gigabit_2021(at: AppTest) -> AppTest:
    """The Breitbandatlas excerpt mapped as init's manifest does (gigabit, 2021)."""
    selectbox(at, texts.ASSIST_INDICATOR).set_value("gigabit_haushalte").run()
    selectbox(at, texts.ASSIST_FILTER.format(name="Technologie")).set_value(
        "leitungsg. Technologien"
    ).run()
    selectbox(at, texts.ASSIST_FILTER.format(name="Bandbreite")).set_value("≥ 1000 Mbit/s").run()
    next(t for t in at.text_input if t.label == texts.ASSIST_PERIOD).input("2021").run()
    assert_ok(at)
    return at


def test_a_licence_the_file_does_not_name_can_be_given(editor_db: Settings):
    """The stored value names the manifest's licence, the file none: the dry run says
    so; given in the licence field (as --lizenz), the value stays unchanged."""
    at = _gigabit_2021(upload(data_page(secrets=SECRETS, user=EVA_VERIFIED), BREITBAND))
    old = change_table(at)["Quelle alt"].iloc[0]
    licence = licence_of(old)
    assert licence and change_table(at)["Änderung"].tolist() == [
        "geändert (gleicher Wert; neue Quellenangabe)"
    ]
    assert any(f"nennt die Lizenz „{licence}“" in c.value for c in at.caption)
    field = next(t for t in at.text_input if t.label == texts.ASSIST_LICENCE)
    field.input(f"  {licence} ").run()
    assert change_table(at)["Änderung"].tolist() == ["unverändert"]
    assert not any("nennt die Lizenz" in c.value for c in at.caption)
    assert "--lizenz" in " ".join(c.value for c in at.code)
    # nothing left to change: nothing to import (a click would only log an import)
    assert texts.ASSIST_NOTHING in captions(at) and import_button(at).disabled
    with Store(editor_db.db_path).connect_read() as con:
        stored = read.series(con, ["gigabit_haushalte"], ["dortmund"], 2021, 2021)
    assert stored["source"].tolist() == [old]


def test_a_licence_remembered_with_the_mapping_is_used_for_the_next_upload(editor_db: Settings):
    """Remembered from the command line with --lizenz: the next upload of the table (the
    file names no licence) keeps the licence without the field filled in."""
    with Store(editor_db.db_path).connect_read() as con:
        old = read.series(con, ["gigabit_haushalte"], ["dortmund"], 2021, 2021)["source"][0]
    licence = licence_of(old)
    options = Options(
        "gigabit_haushalte",
        spalte="leitungsg. Technologien ≥ 1000",
        zeitraum=parse_assigned("2021"),
        remember=True,
        licence=licence,
    )
    assert run_official_import(BREITBAND, editor_db, options).remembered
    at = upload(data_page(secrets=SECRETS, user=EVA_VERIFIED), BREITBAND)
    assert any(i.startswith(texts.ASSIST_REMEMBERED.split("{")[0]) for i in infos(at))
    next(t for t in at.text_input if t.label == texts.ASSIST_PERIOD).input("2021").run()
    field = next(t for t in at.text_input if t.label == texts.ASSIST_LICENCE)
    assert field.placeholder == f"gemerkt: {licence}" and not field.value
    assert_ok(at)
    assert change_table(at)["Änderung"].tolist() == ["unverändert"]
    assert f"Lizenz aus der gemerkten Zuordnung: „{licence}“ (die Datei nennt keine)" in [
        c.value for c in at.caption
    ]


def test_a_file_without_a_period_asks_for_it(editor_db: Settings):
    """The real Breitbandatlas excerpt names no period (only its download name does)."""
    at = upload(data_page(secrets=SECRETS, user=EVA_VERIFIED), BREITBAND)
    assert "Breitbandatlas" in " ".join(m.value for m in at.markdown)
    selectbox(at, texts.ASSIST_INDICATOR).set_value("gigabit_haushalte").run()
    selectbox(at, texts.ASSIST_FILTER.format(name="Technologie")).set_value(
        "alle Technologien"
    ).run()
    selectbox(at, texts.ASSIST_FILTER.format(name="Bandbreite")).set_value("≥ 1000 Mbit/s").run()
    assert texts.ASSIST_PERIOD_NEEDED in infos(at)
    assert not [f for f in frames(at) if list(f.columns) == list(texts.ASSIST_CHANGE_COLUMNS)]

    period = next(t for t in at.text_input if t.label == texts.ASSIST_PERIOD)
    period.input("Sommer 2021").run()
    assert texts.ASSIST_PERIOD_INVALID.format(text="Sommer 2021") in [e.value for e in at.error]
    period.input("2021").run()
    assert_ok(at)
    changes = change_table(at)
    assert changes[["Änderung", "Gebiet", "Zeitraum", "neu"]].values.tolist() == [
        ["geändert (gleicher Wert; neue Quellenangabe)", "Dortmund", "2021", "66,65"]
    ]
    # init stored the same table with another licence line: both lines are shown whole
    assert changes["Quelle alt"].iloc[0] != changes["Quelle neu"].iloc[0], changes.iloc[0].tolist()
    assert changes["Quelle neu"].iloc[0].startswith("Bundesnetzagentur, Breitbandatlas")
    assert "--zeitraum 2021" in " ".join(c.value for c in at.code)
    import_button(at).click().run()
    assert any(s.value.startswith("Import abgeschlossen") for s in at.success)
    with Store(editor_db.db_path).connect_read() as con:
        stored = read.series(con, ["gigabit_haushalte"], ["dortmund"], 2021, 2021)
    assert stored["value"].tolist() == [66.65]
