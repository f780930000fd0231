"""Daten & Methodik: catalog, freshness, import log, template download, licences and the
note on the schematic district geometry."""

from __future__ import annotations

import json
from datetime import UTC, datetime

import pytest

from dortmund_kpi import clock, texts
from dortmund_kpi.geometry import install_official_geometry
from dortmund_kpi.ingest.bootstrap import init_database
from dortmund_kpi.ingest.importer import rejected_log_path, run_import
from dortmund_kpi.ingest.issues import ImportFailed
from dortmund_kpi.periods import period_from_label
from dortmund_kpi.settings import ENV_DB
from dortmund_kpi.share.template_files import template_csv
from tests.conftest import make_settings

from .conftest import assert_ok, figures, footer, go_to, infos, open_page


@pytest.fixture(scope="module")
def data_page(fixture_db):
    """One run shared by the read-only checks (module scope: set the database here, the
    function-scoped ``app_db`` is not active yet)."""
    with pytest.MonkeyPatch.context() as mp:
        mp.setenv(ENV_DB, str(fixture_db.db_path))
        return open_page("daten")


def _frames(at) -> dict[str, object]:
    """The page's tables in order: catalog, freshness, import log."""
    frames = [d.value for d in at.dataframe]
    assert len(frames) == 3
    return dict(zip(("catalog", "freshness", "log"), frames, strict=True))


def test_renders_sections(data_page) -> None:
    assert_ok(data_page)
    assert data_page.title[0].value == texts.PAGE_TITLES["daten"]
    shown = [s.value for s in data_page.header]
    for heading in (texts.CATALOG, texts.FRESHNESS, texts.IMPORT_LOG, texts.TEMPLATE_TITLE):
        assert heading in shown
    assert texts.LICENCES in shown


def test_catalog_lists_every_indicator(data_page, fixture_con) -> None:
    catalog = _frames(data_page)["catalog"]
    rows = fixture_con.execute(
        "SELECT id, name, unit FROM indicators ORDER BY sort_order"
    ).fetchall()
    assert catalog["ID"].tolist() == [r[0] for r in rows]
    assert catalog["Name"].tolist() == [r[1] for r in rows]
    assert catalog[texts.COLUMNS["unit"]].tolist() == [r[2] for r in rows]
    assert catalog["Ziel"].notna().all()


def test_freshness_shows_the_last_period_of_every_indicator(data_page, fixture_con) -> None:
    fresh = _frames(data_page)["freshness"]
    rows = fixture_con.execute(
        """SELECT i.short_name, arg_max(o.period, o.period_end)
           FROM indicators i JOIN current_observations o ON o.indicator_id = i.id
           GROUP BY i.short_name, i.sort_order ORDER BY i.sort_order"""
    ).fetchall()
    assert fresh[texts.COLUMNS["indicator"]].tolist() == [r[0] for r in rows]
    expected = [period_from_label(r[1]).display for r in rows]
    assert fresh[texts.COLUMNS["last_period"]].tolist() == expected
    states = set(fresh[texts.COLUMNS["freshness"]])
    assert states <= {f"✓ {texts.CURRENT}", f"⚠ {texts.OVERDUE}"}


def test_import_log_shows_the_fixture_import(data_page, fixture_con) -> None:
    log = _frames(data_page)["log"]
    stored = fixture_con.execute(
        "SELECT import_id, user_name, files, rows_read FROM import_log ORDER BY import_id DESC"
    ).fetchall()
    assert log["Nr."].tolist() == [r[0] for r in stored]
    assert "measures_fixture.csv" in log.iloc[0]["Dateien"]  # the newest import
    values = log[log["Dateien"].str.contains("kpi_fixture.csv")].iloc[0]
    assert values["Person"] == "fixture"
    assert values["Zeilen"] == next(r[3] for r in stored if "kpi_fixture" in r[2]) > 3000
    assert values["Ergebnis"] == "erfolgreich"
    assert any("digitale_kennzahlen_dortmund.csv" in f for f in log["Dateien"])


def test_template_download_is_the_import_template(downloads) -> None:
    at = open_page("daten")
    buttons = [b for b in at.get("download_button") if b.proto.label == texts.DOWNLOAD_TEMPLATE]
    assert len(buttons) == 1
    media = downloads(buttons[0].proto.url)
    assert media.filename == "vorlage_dortmund_kpi.csv"
    assert media.content == template_csv()
    assert media.content.decode("utf-8").startswith("\ufeffindikator;bezirk;zeitraum;wert")


def test_licences_are_named(data_page) -> None:
    text = "\n".join(m.value for m in data_page.markdown)
    assert "Datenlizenz Deutschland – Namensnennung – 2.0" in text
    assert "CC BY-SA 4.0" in text
    assert "Demodaten" in text


def test_schematic_geometry_is_explained(data_page) -> None:
    assert texts.GEOMETRY_SCHEMATIC in infos(data_page)


def test_official_geometry_replaces_the_schematic_note(db_copy, monkeypatch, tmp_path) -> None:
    """Once the city's polygons are loaded (``dortmund-kpi geometry``), the note and the map
    footer no longer call the boundaries schematic."""
    schematic = json.loads(db_copy.schematic_geometry_path.read_text(encoding="utf-8"))
    export = {
        "type": "FeatureCollection",
        "features": [
            {
                "type": "Feature",
                "properties": {"name": f["properties"]["name"]},
                "geometry": f["geometry"],
            }
            for f in schematic["features"]
        ],
    }
    source = tmp_path / "stadtbezirke.geojson"
    source.write_text(json.dumps(export), encoding="utf-8")
    install_official_geometry(source, db_copy)
    monkeypatch.setenv(ENV_DB, str(db_copy.db_path))

    at = open_page("daten")
    assert_ok(at)
    assert texts.GEOMETRY_OFFICIAL in infos(at)
    assert texts.GEOMETRY_SCHEMATIC not in infos(at)
    go_to(at, "indikator")
    at.selectbox(key="indikator").set_value("glasfaser_haushalte").run()
    assert_ok(at)
    assert texts.MAP_SCHEMATIC not in footer(figures(at)["map"])


def test_rejected_imports_are_listed(db_copy, monkeypatch, tmp_path) -> None:
    bad = tmp_path / "kaputt.csv"
    bad.write_text("indikator;bezirk;zeitraum;wert\nunbekannt;Dortmund;2024;1\n", encoding="utf-8")
    with pytest.raises(ImportFailed):
        run_import([bad], db_copy, user="pruefer")
    monkeypatch.setenv(ENV_DB, str(db_copy.db_path))
    at = open_page("daten")
    assert_ok(at)
    assert texts.REJECTED_IMPORTS in [m.value for m in at.markdown]
    rejected = at.dataframe[3].value
    assert rejected["Person"].tolist() == ["pruefer"]
    assert rejected["Dateien"].tolist() == ["kaputt.csv"]
    assert rejected["Probleme"].tolist()[0] >= 1


def test_rejected_log_cut_short_does_not_break_the_page(db_copy, monkeypatch) -> None:
    """The log's reader skips a line cut short by a crash; if that was the only line,
    the page must still render (and list nothing)."""
    rejected_log_path(db_copy).write_text('{"zeitpunkt": "2026-11-2', encoding="utf-8")
    monkeypatch.setenv(ENV_DB, str(db_copy.db_path))
    at = open_page("daten")
    assert_ok(at)
    assert texts.REJECTED_IMPORTS not in [m.value for m in at.markdown]
    assert len(at.dataframe) == 3


def test_times_are_berlin_time_and_name_the_pass_of_the_repeated_hour(monkeypatch, tmp_path):
    """Moments are stored as instants and shown as Berlin time. On 25.10.2026 02:00-03:00
    happens twice: init at 02:30 CEST, an import at 02:10 CET and a rejected one at 02:20
    CET; a link pinned at 02:40 CEST shows the log as it was then."""
    settings = make_settings(tmp_path / "kpi.duckdb")
    with clock.injected(lambda: datetime(2026, 10, 25, 0, 30, tzinfo=UTC)):
        init_database(settings, demo=False)
    update = tmp_path / "wert.csv"
    update.write_text("indikator;bezirk;zeitraum;wert\ndigitalisierungsbudget;Dortmund;2023;70\n")
    with clock.injected(lambda: datetime(2026, 10, 25, 1, 10, tzinfo=UTC)):
        run_import([update], settings, user="herbst")
    bad = tmp_path / "kaputt.csv"
    bad.write_text("indikator;bezirk;zeitraum;wert\nunbekannt;Dortmund;2024;1\n", encoding="utf-8")
    late = datetime(2026, 10, 25, 1, 20, tzinfo=UTC)
    with clock.injected(lambda: late), pytest.raises(ImportFailed):
        run_import([bad], settings, user="herbst")
    monkeypatch.setenv(ENV_DB, str(settings.db_path))

    live = open_page("daten")
    assert_ok(live)
    log = _frames_with_rejected(live)["log"]
    assert log["Zeitpunkt"].iloc[0] == "25.10.2026, 02:10 Uhr MEZ"
    assert set(log["Zeitpunkt"].iloc[1:]) == {"25.10.2026, 02:30 Uhr MESZ"}
    rejected = _frames_with_rejected(live)["rejected"]
    assert rejected["Zeitpunkt"].tolist() == ["25.10.2026, 02:20 Uhr MEZ"]

    pinned = open_page("daten", {"stand": "2026-10-25T02:40:00+02:00"})
    assert_ok(pinned)
    assert pinned.query_params.get("stand") == "2026-10-25T02:40:00+02:00"
    shown = [d.value for d in pinned.dataframe][2]  # the import log, as it was at 02:40 CEST
    assert shown["Zeitpunkt"].tolist() == list(log["Zeitpunkt"].iloc[1:])


def _frames_with_rejected(at) -> dict[str, object]:
    frames = [d.value for d in at.dataframe]
    return dict(zip(("catalog", "freshness", "log", "rejected"), frames, strict=True))
