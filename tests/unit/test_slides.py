"""Slides: a deck from permalinks, read back with python-pptx."""

from __future__ import annotations

import io
import os
import subprocess
import sys
from pathlib import Path

import pandas as pd
import pytest
from pptx import Presentation
from pptx.chart.data import CategoryChartData
from pptx.enum.chart import XL_CHART_TYPE
from pptx.enum.shapes import MSO_SHAPE_TYPE
from pptx.oxml.ns import qn
from pptx.util import Inches

from dortmund_kpi import clock, formatting, texts
from dortmund_kpi.db.store import Store
from dortmund_kpi.settings import Settings
from dortmund_kpi.share import slide_charts
from dortmund_kpi.share.deck import deck_for_urls, parse_view
from dortmund_kpi.share.urlstate import PAGES
from dortmund_kpi.views import indicator
from dortmund_kpi.views.common import Direct, View

LINKS = [
    "https://kpi.example/indikator?indikator=glasfaser_haushalte&bezirk=hoerde",
    "https://kpi.example/masterplan?masterplan=bildung&zeitraum=2020&zeitraum=2025",
    "https://kpi.example/?bezirk=eving",
]


def _texts(slide) -> list[str]:
    return [shape.text_frame.text for shape in slide.shapes if shape.has_text_frame]


def test_deck_from_permalinks(fixture_db: Settings, tmp_path: Path):
    with Store(fixture_db.db_path).connect_read() as con:
        data, notes = deck_for_urls(con, LINKS)
    assert notes == []
    path = tmp_path / "deck.pptx"
    path.write_bytes(data)
    deck = Presentation(str(path))
    slides = list(deck.slides)
    assert len(slides) >= 3
    assert deck.slide_width > deck.slide_height  # 16:9
    for slide in slides:
        shown = _texts(slide)
        assert any(t in LINKS for t in shown), "every slide names its permalink"
        assert any("Quelle:" in t and "Stand:" in t for t in shown)
        assert any(s.shape_type == MSO_SHAPE_TYPE.PICTURE for s in slide.shapes)  # QR code
    first = slides[0]
    assert _texts(first)[0] == "Glasfaserversorgung der Haushalte (%)"
    chart = next(s for s in first.shapes if s.has_chart).chart  # native, editable chart
    lines = {series.name for series in chart.plots[0].series}
    assert lines == {"Dortmund (gesamt)", "Hörde", "Zielpfad"}  # the target path, as on the page
    assert any("Demodaten" in t for t in _texts(first))
    titles = [_texts(s)[0] for s in slides]
    assert titles[1:] == [
        texts.SLIDE_PLAN_TITLE.format(name="Bildung"),
        texts.SLIDE_OVERVIEW_TITLE,
    ]


# Six views of six pages; a deck has no title or closing slide, so one slide per link.
SIX = [
    "https://kpi.example/?bezirk=eving",
    "https://kpi.example/masterplan?masterplan=bildung",
    "https://kpi.example/indikator?indikator=glasfaser_haushalte&bezirk=hoerde",
    "https://kpi.example/bezirke?bezirk=hoerde&bezirk=eving",
    "https://kpi.example/vergleich?vergleich=ruhr&indikator=gigabit_haushalte",
    "https://kpi.example/daten",
]


def test_six_links_give_six_slides_and_details_add_the_charts(fixture_db: Settings):
    """One slide per view by default, each naming its own link; with details every chart
    and table of each view follows its view's slide, which stays first."""
    with Store(fixture_db.db_path).connect_read() as con:
        short = list(Presentation(io.BytesIO(deck_for_urls(con, SIX)[0])).slides)
        full = list(Presentation(io.BytesIO(deck_for_urls(con, SIX, details=True)[0])).slides)
    assert len(short) == 6
    assert [t for s in short for t in _texts(s) if t in SIX] == SIX
    assert len(full) > 2 * len(SIX)
    firsts = [next(s for s in full if link in _texts(s)) for link in SIX]
    assert [_texts(s)[0] for s in firsts] == [_texts(s)[0] for s in short]
    titles = [_texts(s)[0] for s in full]
    assert "Masterplan Verwaltung: Kennzahlen im Überblick" in titles  # a detail table
    assert "Schulen mit Medienkonzept (%)" in titles  # a masterplan's chart


def test_the_summary_slides_show_every_row_with_status_in_words(fixture_db: Settings):
    """The overview's tiles all on one slide (a column per masterplan), the masterplan's
    charts as status rows: the status is written out, its colour only repeats it."""
    with Store(fixture_db.db_path).connect_read() as con:
        data, _ = deck_for_urls(con, SIX[:2])
    overview, plan = list(Presentation(io.BytesIO(data)).slides)
    grid = _tables(overview)[0]
    assert grid[0] == ["Verwaltung", "Wirtschaft", "Bildung"]
    tiles = [cell for row in grid[1:] for cell in row if cell]
    assert len(tiles) == 34  # every tile of the fixture's catalog, none left off
    assert not any(texts.SLIDE_ROWS_LEFT_OFF.split("{n}")[0] in t for t in _texts(overview))
    statuses = [s.label for s in texts.STATUS_STYLE.values()] + [texts.NO_TARGET]
    assert all(any(label in cell.split("\n")[1] for label in statuses) for cell in tiles)
    rows = _tables(plan)[0]
    assert rows[0][-2:] == ["Zielstatus", "Datenart"] and len(rows) == 1 + 10
    assert {r[-2] for r in rows[1:]} <= {
        f"{s.icon} {s.label}" for s in texts.STATUS_STYLE.values()
    } | {"– kein Zielwert"}


def test_view_parsing_applies_defaults_and_reports_bad_values(fixture_db: Settings):
    with Store(fixture_db.db_path).connect_read() as con:
        view = parse_view(con, "/indikator?indikator=nope&bezirk=Hörde")
    assert view.page == "indikator"
    assert view.values["bezirk"] == ["hoerde"]
    assert [n.key for n in view.notices] == ["indikator"]


def test_slides_command(fixture_db: Settings, tmp_path: Path):
    out = tmp_path / "deck.pptx"
    command = Path(sys.executable).with_name("dortmund-kpi")
    run = subprocess.run(
        [str(command), "slides", *LINKS, "--output", str(out), "--db", str(fixture_db.db_path)],
        capture_output=True,
        text=True,
        timeout=300,
        check=False,
    )
    assert run.returncode == 0, run.stderr
    assert "Traceback" not in run.stderr
    assert len(Presentation(str(out)).slides) == len(LINKS)
    assert run.stdout == f"Foliensatz geschrieben: {out} ({len(LINKS)} Ansichten)\n"
    detailed = tmp_path / "details.pptx"
    run = subprocess.run(
        [str(command), "slides", *LINKS, "-o", str(detailed), "--details"],
        capture_output=True,
        text=True,
        timeout=300,
        check=False,
        env={**os.environ, "DORTMUND_KPI_DB": str(fixture_db.db_path)},
    )
    assert run.returncode == 0, run.stderr
    assert len(Presentation(str(detailed)).slides) > len(LINKS) + 10
    bad = subprocess.run(
        [
            str(command),
            "slides",
            "/nirgendwo",
            "--output",
            str(out),
            "--db",
            str(fixture_db.db_path),
        ],
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )
    assert bad.returncode == 2 and "unbekannte Seite" in bad.stderr


def _tables(slide) -> list[list[list[str]]]:
    return [
        [[cell.text for cell in row.cells] for row in shape.table.rows]
        for shape in slide.shapes
        if shape.has_table
    ]


def test_slides_carry_the_measures_the_view_shows(fixture_db: Settings):
    links = [
        "/masterplan?masterplan=verwaltung&massnahme=t_v1",
        "/indikator?indikator=online_dienstleistungen",
        "/bezirke?bezirk=innenstadt-west",
        "/",
    ]
    with Store(fixture_db.db_path).connect_read() as con:
        slides = [
            list(Presentation(io.BytesIO(deck_for_urls(con, [u], details=True)[0])).slides)
            for u in links
        ]
    plan, indicator, district, overview = slides
    # An opened measure comes first: its facts and status history.
    assert _texts(plan[0])[0] == "Maßnahme: Testmaßnahme Serviceportal"
    facts = dict(row for row in _tables(plan[0])[0][1:])
    assert facts["Verantwortlich"] == "Chief Information/Innovation Office (CIO)"
    assert facts["Statusverlauf"].startswith("◷ verzögert")
    assert facts["Frist"] == "⚠ überfällig seit 31.12.2020"  # the page's banner, too
    # The masterplan's measures close the deck, overdue ones flagged.
    last = _tables(plan[-1])[0]
    assert _texts(plan[-1])[0] == "Maßnahmen: Masterplan Verwaltung"
    assert [row[0] for row in last[1:]] == [
        "Testmaßnahme Serviceportal",
        "Testmaßnahme Bürgerdienste",
    ]
    assert last[1][-1] == "⚠ überfällig" and last[2][-1] == ""
    assert [r[0] for r in _tables(indicator[-1])[0][1:]] == [
        "Testmaßnahme Serviceportal",
        "Testmaßnahme Endgeräte",
    ]
    assert _texts(district[-1])[0] == "Maßnahmen: Innenstadt-West"
    # One "Stand" a slide: the data's, in the source line; the day deadlines are judged
    # by (today) has its own words in the subtitle.
    for deck in (plan, indicator, district):
        words = _texts(deck[-1])
        assert sum(t.count(f"{texts.STAND}") for t in words) == 1, words
        assert any(t.endswith(texts.SLIDE_MEASURES_DAY.format(day=_today())) for t in words)
    counts = _tables(overview[-1])[0]
    assert counts[0][0] == "Masterplan" and counts[1][0] == "Verwaltung"
    assert all(any("Demodaten" in t for t in _texts(s[-1])) for s in slides)


def _today() -> str:
    return formatting.day(clock.today())


def test_a_moment_before_the_first_import_gives_a_deck(fixture_db: Settings) -> None:
    """Every page pinned before the first import: a deck, no 'NaTType' crash."""
    links = [f"https://kpi.example/{path}?stand=2000-01-01" for path in PAGES.values()]
    with Store(fixture_db.db_path).connect_read() as con:
        data, _notes = deck_for_urls(con, links)
    slides = list(Presentation(io.BytesIO(data)).slides)
    assert slides  # pages without values then have no slides; the data page has one


BAD_LINKS = [
    "javascript:alert(1)",
    "file:///etc/passwd",
    "http://[::1/indikator",  # malformed IPv6
    "https://kpi.example:99999/",
    "https://kpi.example/indikator?x=" + "a" * 100_000,
    "https://kpi.example/indikator?indikator=gibt_es_nicht",  # a value the link cannot hold
    "/bezirke?bezirk=Atlantis",
    "https://kpi.example/\x07",
]


def test_slides_refuse_a_link_they_cannot_read(fixture_db: Settings, tmp_path: Path):
    """Exit 1 naming the link and the reason, and no deck written (a deck of the default
    view would show other numbers than the link asks for)."""
    command = Path(sys.executable).with_name("dortmund-kpi")
    for link in BAD_LINKS:
        out = tmp_path / "deck.pptx"
        run = subprocess.run(
            [str(command), "slides", link, "--output", str(out), "--db", str(fixture_db.db_path)],
            capture_output=True,
            text=True,
            timeout=300,
            check=False,
        )
        assert run.returncode == 1, (link[:60], run.stderr)
        assert "Link nicht lesbar" in run.stderr and "Traceback" not in run.stderr
        assert link[:40].strip("\x07") in run.stderr or "Steuerzeichen" in run.stderr
        assert not out.exists()


def test_links_to_another_host_or_too_many_are_refused(fixture_db, monkeypatch):
    from dortmund_kpi.share.deck import MAX_LINKS, BadLink

    monkeypatch.setenv("DORTMUND_KPI_PUBLIC_URL", "https://kpi.dortmund.de")
    with Store(fixture_db.db_path).connect_read() as con:
        with pytest.raises(BadLink, match="anderen Server"):
            deck_for_urls(con, ["https://evil.example/indikator"])
        deck_for_urls(con, ["https://kpi.dortmund.de/indikator", "/daten"])  # fine
        with pytest.raises(BadLink, match=f"höchstens {MAX_LINKS}"):
            deck_for_urls(con, ["/"] * (MAX_LINKS + 1))


def test_slide_charts_show_the_target_path_of_the_page(fixture_db: Settings):
    """The slide's line chart carries the page chart's target path (baseline to target),
    drawn across the dates between its two points, as on the page."""
    link = "https://kpi.example/indikator?indikator=wlan_hotspots&bezirk=hoerde"
    with Store(fixture_db.db_path).connect_read() as con:
        data, _ = deck_for_urls(con, [link])
        years = (2018, 2026)
        view = View("indikator", years, districts=("hoerde",), indicator="wlan_hotspots")
        page = indicator.build(Direct(con), view)
    target = next(t for t in page.figure.data if t.name == texts.TARGET_PATH)
    chart = next(s for s in Presentation(io.BytesIO(data)).slides[0].shapes if s.has_chart).chart
    series = {s.name: [v for v in s.values if v is not None] for s in chart.plots[0].series}
    assert series[texts.TARGET_PATH] == pytest.approx(list(target.y))
    assert chart._chartSpace.chart.find(qn("c:dispBlanksAs")).get("val") == "span"


def test_a_per_1000_series_slide_has_round_axis_ticks(fixture_db: Settings):
    """``je1000=1``: the slide's line chart is per 1,000 inhabitants (two decimals in its
    values) and its value axis runs from zero in round steps labelled without trailing
    zeros beyond what the steps need ("0,5", "1,0", not "1,00"), as the page's axis."""
    link = "https://kpi.example/indikator?indikator=wlan_hotspots&bezirk=hoerde&je1000=1"
    with Store(fixture_db.db_path).connect_read() as con:
        data, _ = deck_for_urls(con, [link])
    slide = Presentation(io.BytesIO(data)).slides[0]
    assert texts.PER_1000 in _texts(slide)[0]
    chart = next(s for s in slide.shapes if s.has_chart).chart
    values = [v for s in chart.plots[0].series for v in s.values if v is not None]
    axis = chart.value_axis
    assert axis.minimum_scale == 0 and axis.maximum_scale >= max(values)
    assert axis.major_unit == 0.5  # hotspots per 1,000 inhabitants: 0.33 to 1.28 here
    # steps of 0,5 need one decimal, not the two of the values ("1,0", not "1,00")
    assert axis.tick_labels.number_format == slide_charts.number_format(1)


def test_a_ranking_slide_writes_its_axis_the_german_way(fixture_db: Settings):
    """The ranking's bar chart has its own value axis: round steps from zero, German
    ("0,5"; it said "0.5" in LibreOffice without a format of its own)."""
    link = "https://kpi.example/indikator?indikator=schueler_je_geraet"
    with Store(fixture_db.db_path).connect_read() as con:
        data, _ = deck_for_urls(con, [link], details=True)
    charts = [
        s.chart
        for slide in Presentation(io.BytesIO(data)).slides
        for s in slide.shapes
        if s.has_chart and s.chart.chart_type == XL_CHART_TYPE.BAR_CLUSTERED
    ]
    assert charts, "precondition: a ranking slide"
    axis = charts[0].value_axis
    values = [v for v in charts[0].plots[0].series[0].values if v is not None]
    assert axis.minimum_scale == 0 and axis.maximum_scale >= max(values)
    assert axis.tick_labels.number_format.startswith("[$-407]")  # German, not "0.5"
    assert not axis.tick_labels.number_format_is_linked


def test_a_rank_slide_has_round_ticks_best_on_top(fixture_db: Settings):
    """A rank (unit "Rang"): reversed as on the page, on round ticks (10, 20 …, not the
    1, 6, 11 PowerPoint counts from 1), and no "0" written where the axis starts."""
    link = "https://kpi.example/indikator?indikator=smart_city_rang"
    with Store(fixture_db.db_path).connect_read() as con:
        data, _ = deck_for_urls(con, [link])
    chart = next(s for s in Presentation(io.BytesIO(data)).slides[0].shapes if s.has_chart).chart
    values = [v for s in chart.plots[0].series for v in s.values if v is not None]
    axis = chart.value_axis
    assert axis.reverse_order
    assert axis.major_unit in (1, 2, 5, 10, 20, 25, 50)
    assert axis.minimum_scale % axis.major_unit == 0 and axis.minimum_scale <= min(values)
    assert axis.maximum_scale >= max(values)
    assert axis.tick_labels.number_format.endswith(";")  # zero: empty


@pytest.mark.parametrize(
    ("ranks", "axis"), [([5.0], (5, 6, 1)), ([1.0, 2.0], (1, 2, 1)), ([9.0, 32.0], (0, 40, 10))]
)
def test_a_rank_axis_spans_whole_ranks(ranks: list[float], axis: tuple[int, int, int]):
    """One rank throughout still spans a step (minimum = maximum broke the axis); a small
    range steps by whole ranks ("1, 1,5, 2" would read "1, 2, 2")."""
    deck = Presentation()
    slide = deck.slides.add_slide(deck.slide_layouts[6])
    data = CategoryChartData()
    data.categories = ["2024"]
    data.add_series("Rang", [1])
    box = (Inches(1), Inches(1), Inches(4), Inches(3))
    chart = slide.shapes.add_chart(XL_CHART_TYPE.LINE, *box, data).chart
    slide_charts._rank_axis(chart.value_axis, pd.Series(ranks))
    value = chart.value_axis
    assert (value.minimum_scale, value.maximum_scale, value.major_unit) == axis


def test_a_masterplan_slide_beside_district_lines_names_the_status_the_citys(fixture_db):
    def header(link: str) -> list[str]:
        with Store(fixture_db.db_path).connect_read() as con:
            deck = Presentation(io.BytesIO(deck_for_urls(con, [link])[0]))
        return _tables(deck.slides[0])[0][0]

    assert "Zielstatus" in header("/masterplan?masterplan=wirtschaft")
    with_district = header("/masterplan?masterplan=wirtschaft&bezirk=hoerde")
    assert "Hörde" in with_district and "Zielstatus (Gesamtstadt)" in with_district
