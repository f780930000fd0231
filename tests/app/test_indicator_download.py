"""The indicator page's CSV download: the bytes behind the button (captured from AppTest's
in-memory media store) are German Excel CSV and hold exactly the table's rows."""

from __future__ import annotations

import csv
import io
from pathlib import Path

import pytest

from dortmund_kpi import formatting, texts
from dortmund_kpi.db import read
from dortmund_kpi.ingest.importer import run_import
from dortmund_kpi.settings import ENV_DB

from .conftest import assert_ok, data_table, open_page

HEADER = [
    texts.COLUMNS[c] for c in ("area_name", "period", "value", "unit", "kind", "source", "note")
]


def _download(at, downloads) -> tuple[bytes, str]:
    buttons = [b for b in at.get("download_button") if b.proto.label == texts.DOWNLOAD_CSV]
    assert len(buttons) == 1
    media = downloads(buttons[0].proto)  # made on click: the button has a deferred id
    assert media.mimetype.startswith("text/csv")
    return media.content, media.filename


def _rows(content: bytes) -> list[list[str]]:
    assert content.startswith("\ufeff".encode()), "UTF-8 BOM for Excel"
    text = content.decode("utf-8").removeprefix("\ufeff")
    assert "\r\n" in text
    return list(csv.reader(io.StringIO(text, newline=""), delimiter=";"))


def _number(cell: str) -> float:
    assert "." not in cell, f"decimal comma, no grouping: {cell}"
    return float(cell.replace(",", "."))


@pytest.mark.parametrize(
    ("indicator_id", "districts", "years", "name"),
    [
        (
            "glasfaser_haushalte",
            ["hoerde", "eving"],
            (2019, 2024),
            "glasfaser_haushalte_hoerde-eving_2019-2024.csv",
        ),
        ("online_antraege", [], (2018, 2025), "online_antraege_dortmund_2018-2025.csv"),
    ],
)
def test_csv_download_equals_the_table(
    fixture_con, downloads, indicator_id: str, districts: list, years: tuple, name: str
) -> None:
    params = {"indikator": indicator_id, "zeitraum": [str(y) for y in years]}
    if districts:
        params["bezirk"] = districts
    at = open_page("indikator", params)
    assert_ok(at)
    content, filename = _download(at, downloads)
    assert filename == name

    rows = _rows(content)
    assert rows[0] == HEADER
    table = data_table(at)
    assert list(table.columns) == HEADER
    assert len(rows) - 1 == len(table)
    expected = read.series(fixture_con, [indicator_id], ["dortmund", *districts], *years)
    assert len(table) == len(expected)
    decimals = fixture_con.execute(
        "SELECT decimals FROM indicators WHERE id = ?", [indicator_id]
    ).fetchone()[0]
    for cells, (_, row), value in zip(rows[1:], table.iterrows(), expected["value"], strict=True):
        # The file keeps two more decimals than the screen shows (German text there).
        assert _number(cells[2]) == pytest.approx(round(value, decimals + 2))
        assert row["Wert"] == formatting.number(value, decimals)
        assert [cells[i] for i in (0, 1, 3, 4, 5, 6)] == [
            str(row[c]) for c in HEADER if c != texts.COLUMNS["value"]
        ]
    if indicator_id == "glasfaser_haushalte":  # one decimal: shares such as 34,4
        assert any("," in cells[2] for cells in rows[1:])


def test_csv_download_neutralises_formulas(db_copy, monkeypatch, downloads, tmp_path: Path) -> None:
    """Text a spreadsheet would execute is written with a leading apostrophe."""
    source = tmp_path / "formel.csv"
    source.write_text(
        "indikator;bezirk;zeitraum;wert;anmerkung;quelle;datenart\n"
        'anteil_eakte;Dortmund;2024;55,5;"=HYPERLINK(""http://example.org"")";@SUMME(1);amtlich\n',
        encoding="utf-8",
    )
    run_import([source], db_copy, user="test")
    monkeypatch.setenv(ENV_DB, str(db_copy.db_path))
    at = open_page("indikator", {"indikator": "anteil_eakte", "zeitraum": ["2024", "2024"]})
    assert_ok(at)
    rows = _rows(_download(at, downloads)[0])
    assert len(rows) == 2
    area, period, value, unit, kind, quelle, note = rows[1]
    assert (area, period, _number(value), unit, kind) == (
        "Dortmund",
        "2024",
        55.5,
        "%",
        texts.OFFICIAL,
    )
    assert note == '\'=HYPERLINK("http://example.org")'
    assert quelle == "'@SUMME(1)"


def test_download_of_an_empty_selection_is_only_the_header(official_db, downloads) -> None:
    at = open_page("indikator", {"indikator": "anteil_eakte"})
    assert_ok(at)
    assert _rows(_download(at, downloads)[0]) == [HEADER]


def test_every_export_is_made_on_click(fixture_con, downloads) -> None:
    """The four exports are callables (not built on every run); clicked, they give the files."""
    at = open_page("indikator", {"indikator": "glasfaser_haushalte", "bezirk": ["hoerde"]})
    assert_ok(at)
    buttons = {b.proto.label: b.proto for b in at.get("download_button")}
    labels = (
        texts.DOWNLOAD_CSV,
        texts.DOWNLOAD_XLSX,
        texts.DOWNLOAD_FULL_CSV,
        texts.DOWNLOAD_FULL_XLSX,
    )
    for label in labels:
        assert buttons[label].deferred_file_id, label
        assert buttons[label].ignore_rerun, label
    files = {label: downloads(buttons[label]) for label in labels}
    assert files[texts.DOWNLOAD_XLSX].content.startswith(b"PK")  # a zip: XLSX
    assert files[texts.DOWNLOAD_FULL_XLSX].content.startswith(b"PK")
    assert files[texts.DOWNLOAD_FULL_CSV].filename == "glasfaser_haushalte_gesamt.csv"
    full = _rows(files[texts.DOWNLOAD_FULL_CSV].content)
    lo, hi = read.data_range(fixture_con)
    slugs = [r[0] for r in fixture_con.execute("SELECT slug FROM districts").fetchall()]
    expected = read.series(fixture_con, ["glasfaser_haushalte"], ["dortmund", *slugs], lo, hi)
    assert len(full) - 1 == len(expected)
