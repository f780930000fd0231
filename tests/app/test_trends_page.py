"""The Technologiescout page (``/trends``) on a database with two reviews of test trends:
radar rings and sectors, the sector switch, movement marks, the text list, the ``trend``
detail, a pinned radar, the downloads and the slides of the same view."""

from __future__ import annotations

import io
import shutil
from pathlib import Path

import pandas as pd
import pytest

from dortmund_kpi import texts
from dortmund_kpi.db import trends as trend_db
from dortmund_kpi.db.store import Store
from dortmund_kpi.ingest.importer import run_import
from dortmund_kpi.settings import ENV_DB, Settings
from dortmund_kpi.share import deck
from dortmund_kpi.share.stand import format_stand
from tests.app.conftest import array, assert_ok, figures, infos, open_page, qp, title
from tests.conftest import TREND_REVIEWS, make_settings


@pytest.fixture(autouse=True)
def on_trends(trends_db: Settings, app_db: Settings, monkeypatch: pytest.MonkeyPatch) -> Settings:
    monkeypatch.setenv(ENV_DB, str(trends_db.db_path))
    return trends_db


def radar(at) -> dict:
    shown = figures(at)
    assert list(shown) == ["trend_radar"], list(shown)
    return shown["trend_radar"]


def points(fig: dict) -> dict[str, list[str]]:
    """Legend name (movement) -> the trend numbers drawn with that shape."""
    return {t["name"]: array(t["text"]) for t in fig["data"] if t["type"] == "scatterpolar"}


def button_labels(at) -> list[str]:
    return [b.label for b in at.button if (b.key or "").startswith("trend_tr_")]


def test_radar_rings_sectors_and_marks() -> None:
    at = open_page("trends")
    assert_ok(at)
    assert at.title[0].value == texts.TRENDS_TITLE
    fig = radar(at)
    assert title(fig).startswith(texts.TRENDS_TITLE)
    polar = fig["layout"]["polar"]
    assert array(polar["radialaxis"]["ticktext"]) == [
        "Einführen",
        "Erproben",
        "Bewerten",
        "Beobachten",
    ]
    sectors = [
        t.replace("<b>", "").replace("</b>", "") for t in array(polar["angularaxis"]["ticktext"])
    ]
    assert sectors == [
        "KI",
        "Daten & Plattformen",
        "Infrastruktur & Netze",
        "Sensorik & IoT",
        "Verwaltungstechnik",
        "Bildungstechnik",
    ]
    # Inside out, then by name: 1 Netz (einführen), 2 KI-Chat (erproben), 3 Lernen
    # (bewerten), 4 Daten, 5 Sensor (beobachten); 6 Block is verworfen, not drawn.
    assert points(fig) == {
        "unverändert": ["1", "5"],
        "neu": ["4"],
        "nach innen gerückt": ["2"],
        "nach außen gerückt": ["3"],
    }
    symbols = {t["name"]: t["marker"]["symbol"] for t in fig["data"] if t["type"] == "scatterpolar"}
    assert symbols["neu"] == "star" and symbols["nach innen gerückt"] == "triangle-up"
    assert button_labels(at) == [
        "1 · Testtrend Netz – Infrastruktur & Netze",
        "2 · Testtrend KI-Chat – KI (▲ nach innen gerückt)",
        "3 · Testtrend Lernen – Bildungstechnik (▼ nach außen gerückt)",
        "4 · Testtrend Daten – Daten & Plattformen (★ neu)",
        "5 · Testtrend Sensor – Sensorik & IoT",
        "6 · Testtrend Block – Daten & Plattformen (★ neu)",
    ]
    assert f"**{texts.TRENDS_DISCARDED}**" in [m.value for m in at.markdown]


def test_sector_switch_by_masterplan_is_in_the_link() -> None:
    at = open_page("trends")
    at.segmented_control(key="sektoren").set_value("masterplan").run()
    assert_ok(at)
    assert qp(at, "sektoren") == ["masterplan"]
    fig = radar(at)
    sectors = array(fig["layout"]["polar"]["angularaxis"]["ticktext"])
    assert sectors == [
        "<b>Verwaltung</b>",
        "<b>Wirtschaft</b>",
        "<b>Bildung</b>",
        "<b>ohne Masterplan</b>",
    ]
    # Testtrend Netz names two masterplans: drawn in both sectors.
    assert sum(array(t["text"]).count("1") for t in fig["data"] if t["type"] == "scatterpolar") == 2


def test_trend_detail_from_link_and_from_the_list() -> None:
    at = open_page("trends", {"trend": "tr_ki_chat"})
    assert_ok(at)
    headers = [s.value for s in at.header]
    assert f"{texts.TREND_DETAIL}: Testtrend KI-Chat" in headers
    history = at.dataframe[0].value
    assert list(history[texts.TREND_HISTORY_COLUMNS["ring"]]) == ["Bewerten", "Erproben"]
    assert list(history[texts.TREND_HISTORY_COLUMNS["reason"]]) == [
        "Erste Bewertung des Chats.",
        "Pilot gestartet.",
    ]
    page_text = " ".join(m.value for m in at.markdown)
    assert "https://example.org/a,b" in page_text
    at.button(key="trend_close").click().run()
    assert qp(at, "trend") == []
    at.button(key="trend_tr_lernen").click().run()
    assert qp(at, "trend") == ["tr_lernen"]
    assert f"{texts.TREND_DETAIL}: Testtrend Lernen" in [s.value for s in at.header]


def test_unknown_trend_id_says_not_found() -> None:
    at = open_page("trends", {"trend": "gibt_es_nicht"})
    assert_ok(at)
    assert not [s.value for s in at.header if s.value.startswith(f"{texts.TREND_DETAIL}: ")]
    assert any("trend" in i for i in infos(at) + [w.value for w in at.warning])


def test_pinned_radar_shows_the_rings_of_its_day(
    trends_db: Settings, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    target = tmp_path / "kpi.duckdb"
    shutil.copyfile(trends_db.db_path.resolve(), target)
    settings = make_settings(target)
    monkeypatch.setenv(ENV_DB, str(target))
    with Store(target).connect_read() as con:
        moment = con.execute("SELECT max(valid_from) FROM trends").fetchall()[0][0]
    lines = TREND_REVIEWS[1].read_text(encoding="utf-8").splitlines()
    row = lines[1].replace(";erproben;01.09.2024;Pilot gestartet.", ";einführen;02.09.2024;Läuft.")
    (tmp_path / "review_3.csv").write_text(f"{lines[0]}\n{row}\n", encoding="utf-8")
    run_import([tmp_path / "review_3.csv"], settings)
    live = open_page("trends", {"trend": "tr_ki_chat"})
    assert "- **Ring:** Einführen" in " ".join(m.value for m in live.markdown)
    pinned = open_page("trends", {"trend": "tr_ki_chat", "stand": format_stand(moment)})
    assert_ok(pinned)
    text = " ".join(m.value for m in pinned.markdown)
    assert "- **Ring:** Erproben" in text
    assert "nach innen gerückt" in text
    assert len(pinned.dataframe[0].value) == 2  # the third assessment came later


def test_list_downloads_import_again(downloads, trends_db: Settings, tmp_path: Path) -> None:
    at = open_page("trends")
    buttons = {b.proto.label: b.proto for b in at.get("download_button")}
    csv = downloads(buttons[texts.DOWNLOAD_CSV]).content
    frame = pd.read_csv(io.BytesIO(csv), sep=";", encoding="utf-8-sig")
    assert list(frame["id"]) == [
        "tr_netz",
        "tr_ki_chat",
        "tr_lernen",
        "tr_daten",
        "tr_sensor",
        "tr_block",
    ]
    xlsx = downloads(buttons[texts.DOWNLOAD_XLSX]).content
    assert len(pd.read_excel(io.BytesIO(xlsx))) == 6
    copy = make_settings(tmp_path / "kpi.duckdb")  # trends_db is shared: read-only
    shutil.copyfile(trends_db.db_path.resolve(), copy.db_path)
    (tmp_path / "technologiescout.xlsx").write_bytes(xlsx)  # "Metadaten" is passed over
    imported = run_import([tmp_path / "technologiescout.xlsx"], copy).trends
    assert imported is not None and (imported.changed, imported.unchanged) == (0, 6)
    meta = pd.read_excel(io.BytesIO(xlsx), sheet_name="Metadaten").set_index("Feld")["Wert"]
    labels = texts.METADATA_LABELS
    assert meta[labels["content"]] == texts.EXPORT_TRENDS_CONTENT
    assert meta[labels["source"]] == texts.TRENDS_SOURCE
    assert meta[labels["format"]] == texts.EXPORT_TEMPLATE_FORMAT
    assert "/trends" in meta[labels["permalink"]]


def test_slides_render_the_same_radar(trends_db: Settings) -> None:
    with Store(trends_db.db_path).connect_read() as con:
        linked = deck.parse_view(con, "/trends?sektoren=masterplan&trend=tr_lernen")
        slides = deck.slides_for(con, linked, details=True)
        (focus,) = deck.slides_for(con, linked)  # by default, the opened trend alone
        stored = trend_db.current_trends(con)
    assert [s.title for s in slides] == [
        f"{texts.TREND_DETAIL}: Testtrend Lernen",
        f"{texts.TRENDS_TITLE}: {texts.TRENDS_RADAR}",
        texts.TRENDS_LIST,
    ]
    assert focus.title == slides[0].title
    radar_slide = slides[1]
    assert radar_slide.figure is not None and radar_slide.demo
    sectors = [t for t in radar_slide.figure.layout.polar.angularaxis.ticktext]
    assert "<b>ohne Masterplan</b>" in sectors
    names = list(slides[2].table[texts.TRENDS_COLUMNS["name"]])
    assert sorted(names) == sorted(stored["name"])
    assert names[:2] == ["Testtrend Netz", "Testtrend KI-Chat"]  # inside out
    assert "Masterplan" in radar_slide.subtitle


def test_detail_is_closed_after_leaving_the_page() -> None:
    from tests.app.conftest import go_to

    at = open_page("trends", {"trend": "tr_ki_chat"})
    assert f"{texts.TREND_DETAIL}: Testtrend KI-Chat" in [s.value for s in at.header]
    go_to(at, "daten")
    go_to(at, "trends")
    assert_ok(at)
    assert qp(at, "trend") == []
    assert not [s.value for s in at.header if s.value.startswith(f"{texts.TREND_DETAIL}: ")]
