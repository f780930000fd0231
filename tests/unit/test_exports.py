"""Exports: XLSX with metadata read back with openpyxl, formulas neutralised, chart images."""

from __future__ import annotations

import io

import pandas as pd
import plotly.graph_objects as go
import pytest
from openpyxl import load_workbook

from dortmund_kpi.share import downloads as exports
from dortmund_kpi.share import qr as sharing
from dortmund_kpi.views.chart_frame import ChartMeta
from dortmund_kpi.views.charts import time_series


def test_xlsx_has_data_and_metadata_sheets_and_neutralises_formulas():
    table = pd.DataFrame(
        {"Gebiet": ["Hörde", '=HYPERLINK("x")', "@SUM(A1)"], "Wert": [1.5, 2.0, None]}
    )
    meta = [("Definition", "=1+1"), ("Link zur Ansicht", "https://kpi.example/indikator?x=1")]
    book = load_workbook(io.BytesIO(exports.xlsx_with_metadata(table, meta)))
    assert book.sheetnames == ["Daten", "Metadaten"]
    rows = list(book["Daten"].iter_rows(values_only=True))
    assert rows[0] == ("Gebiet", "Wert")
    assert rows[1] == ("Hörde", 1.5)
    assert rows[2][0] == '\'=HYPERLINK("x")'  # text, never a formula
    assert rows[3] == ("'@SUM(A1)", None)
    for row in book["Daten"].iter_rows():
        for cell in row:
            assert cell.data_type != "f"
    assert list(book["Metadaten"].iter_rows(values_only=True))[1:] == [
        ("Definition", "'=1+1"),
        ("Link zur Ansicht", "https://kpi.example/indikator?x=1"),
    ]


def test_qr_codes_encode_the_link():
    png = sharing.qr_png("https://kpi.example/indikator?indikator=x&stand=2025-03-31")
    svg = sharing.qr_svg("https://kpi.example/indikator?indikator=x")
    assert png.startswith(b"\x89PNG")
    assert b"<svg" in svg and b"</svg>" in svg


def test_chart_png_and_svg_carry_title_and_footer():
    assert exports.image_export_available(), "Chromium missing: sudo apt-get install chromium"
    frame = pd.DataFrame(
        {
            "area": ["dortmund"] * 3,
            "area_name": ["Dortmund"] * 3,
            "period": ["2019", "2020", "2021"],
            "period_type": ["Y"] * 3,
            "period_start": pd.to_datetime(["2019-01-01", "2020-01-01", "2021-01-01"]),
            "period_end": pd.to_datetime(["2019-12-31", "2020-12-31", "2021-12-31"]),
            "value": [1.0, 2.0, 3.0],
            "is_official": [True, False, False],
        }
    )
    fig = time_series(
        frame, ChartMeta("Testkennzahl", "%", "Stadt Dortmund", "22.11.2026", 1, True)
    )
    png = exports.figure_image(fig, "png", 800, 400)
    svg = exports.figure_image(fig, "svg", 800, 400).decode("utf-8")
    assert png.startswith(b"\x89PNG")
    assert "Testkennzahl" in svg and "Quelle: Stadt Dortmund" in svg
    assert "Stand: 22.11.2026" in svg and "Demodaten" in svg
    assert isinstance(fig, go.Figure)


@pytest.mark.parametrize("measures", [False, True], ids=["values", "measures"])
def test_xlsx_export_past_excels_row_limit_is_refused(
    measures: bool,
    fixture_db,
    tmp_path,
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
) -> None:
    """More rows than a worksheet holds: exit 1 with a message, no file (never cut off)."""
    from dortmund_kpi.ops import cli
    from dortmund_kpi.share import template_files

    monkeypatch.setattr(template_files, "EXCEL_MAX_ROWS", 4)  # header + 3 rows
    target = tmp_path / "export.xlsx"
    argv = ["export", "--db", str(fixture_db.db_path), "--format", "xlsx", "-o", str(target)]
    code = cli.main(argv + (["--measures"] if measures else []))
    err = capsys.readouterr().err
    assert code == 1, err
    assert "passen nicht in ein Excel-Tabellenblatt (höchstens 3 Zeilen" in err
    assert "--format csv" in err
    assert not target.exists()
    monkeypatch.setattr(template_files, "EXCEL_MAX_ROWS", 10**9)
    assert cli.main(argv + (["--measures"] if measures else [])) == 0
    assert target.exists()


def _ink_columns(png: bytes) -> tuple[int, int, int]:
    """Width, first and last pixel column with ink (anything darker than light grey)."""
    import numpy as np
    from PIL import Image

    pixels = np.asarray(Image.open(io.BytesIO(png)).convert("L"))
    inked = np.where((pixels < 200).any(axis=0))[0]
    return pixels.shape[1], int(inked[0]), int(inked[-1])


def test_exported_png_keeps_its_title_and_axis_labels_off_the_edges(fixture_db) -> None:
    """The indicator page's chart as exported: title and y-axis labels at least 16 px (at
    the requested size; 32 px in the PNG at scale 2) from the left edge, the legend's and
    the badge's ink as far from the right one; the image keeps the requested size."""
    from dortmund_kpi.db.store import Store
    from dortmund_kpi.views import indicator
    from dortmund_kpi.views.common import Direct, View

    with Store(fixture_db.db_path).connect_read() as con:
        view = View("indikator", (2018, 2026), indicator="schueler_je_geraet")
        fig = indicator.build(Direct(con), view).figure
    png = exports.figure_image(fig, "png", 800, 400)
    width, first, last = _ink_columns(png)
    assert width == 1600
    assert first >= 32, f"ink starts {first} px from the left edge"
    assert width - 1 - last >= 32, f"ink ends {width - 1 - last} px from the right edge"
    svg = exports.figure_image(fig, "svg", 800, 400).decode("utf-8")
    assert svg.startswith("<svg") and 'width="800" height="400"' in svg.split(">", 1)[0]
