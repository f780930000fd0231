"""Slides as a person sees them: every slide type rendered by LibreOffice, then measured.

python-pptx writes boxes, not layout: PowerPoint and LibreOffice grow a box downwards when
its text wraps, so a long title ran over the subtitle, a tall table into the source line,
and a header broke mid-word ("Umsetzun/g"). Here the deck is converted to PDF by
LibreOffice headless (installed by ``scripts/test.sh``) and the words' boxes are read back
with ``pdftotext -bbox``: no two words of a slide may overlap, none may leave the slide,
every header word stays whole, and no "nan" appears anywhere.
"""

from __future__ import annotations

import html
import re
import shutil
import subprocess
from dataclasses import dataclass
from pathlib import Path

import pandas as pd
import pytest

from dortmund_kpi import texts
from dortmund_kpi.clock import now_local
from dortmund_kpi.db.store import Store
from dortmund_kpi.settings import Settings
from dortmund_kpi.share.deck import deck_for_urls
from dortmund_kpi.share.slides import Slide, build_deck

TODAY = now_local().date().isoformat()  # the fixture's data were imported today

# One held link per slide type. By default a slide per view: the overview's grid of
# tiles, a masterplan's status table, an indicator's chart, a district's profile, the data
# page's table, an opened measure; one pinned (QR caption). With details also the tables
# per masterplan, native line and bar charts, the map as an image, the measures.
LINKS = [
    "https://kpi.example/?bezirk=eving",
    "https://kpi.example/masterplan?masterplan=bildung&zeitraum=2020&zeitraum=2025",
    "https://kpi.example/indikator?indikator=glasfaser_haushalte&bezirk=hoerde",
    "https://kpi.example/bezirke?bezirk=hoerde&bezirk=eving",
    "https://kpi.example/daten",
    f"https://kpi.example/masterplan?masterplan=verwaltung&massnahme=t_v1&stand={TODAY}",
]
# The other views' one slide: the comparison's ranking and the Technologiescout's radar
# (on the database with trends).
SUMMARIES = [
    "https://kpi.example/vergleich?vergleich=ruhr&indikator=gigabit_haushalte",
    "https://kpi.example/trends?sektoren=masterplan",
    # with its notes below the ranking: Dortmund's standing and the 10 members left out
    "https://kpi.example/vergleich?vergleich=grossstaedte&indikator=gigabit_haushalte",
]
LONG_TITLE = (
    "Anteil der Verwaltungsleistungen, die vollständig digital mit Servicekonto, "
    "elektronischer Bezahlung und Bescheid im Postfach abgewickelt werden (%)"
)
HEADER = ["Maßnahme", "Verantwortlich", "Frist", "Umsetzungsstand", "Überfälligkeit"]
ONE_ROW = [  # a measure of the shipped data, as its indicator's slide showed it
    "Öffentliches WLAN in Innenstadt und Stadtteilzentren",
    "Dortmunder Stadtwerke (DSW21)",
    "31.12.2025",
    "▶ in Umsetzung",
    "⚠ überfällig",
]


@dataclass(frozen=True)
class Word:
    text: str
    x0: float
    y0: float
    x1: float
    y1: float

    def overlaps(self, other: Word) -> bool:
        """More than a sliver in common (glyph boxes of adjacent lines may touch)."""
        w = min(self.x1, other.x1) - max(self.x0, other.x0)
        h = min(self.y1, other.y1) - max(self.y0, other.y0)
        if w <= 0 or h <= 0:
            return False
        smaller = min(
            (self.x1 - self.x0) * (self.y1 - self.y0), (other.x1 - other.x0) * (other.y1 - other.y0)
        )
        return w * h > 0.2 * smaller


PAGE = re.compile(r'<page width="([\d.]+)" height="([\d.]+)">(.*?)</page>', re.S)
WORD = re.compile(
    r'<word xMin="([\d.]+)" yMin="([\d.]+)" xMax="([\d.]+)" yMax="([\d.]+)">(.*?)</word>'
)


def rendered_pages(deck: bytes, folder: Path) -> list[tuple[float, float, list[Word]]]:
    soffice = shutil.which("soffice") or shutil.which("libreoffice")
    assert soffice, "LibreOffice is needed (scripts/test.sh installs libreoffice-impress)"
    source = folder / "deck.pptx"
    source.write_bytes(deck)
    profile = folder / "lo-profile"  # its own profile: no clash with a running office
    subprocess.run(
        [
            soffice,
            f"-env:UserInstallation=file://{profile}",
            "--headless",
            "--convert-to",
            "pdf",
            "--outdir",
            str(folder),
            str(source),
        ],
        check=True,
        capture_output=True,
        timeout=300,
    )
    out = subprocess.run(
        ["pdftotext", "-bbox", str(folder / "deck.pdf"), "-"],
        check=True,
        capture_output=True,
        text=True,
        timeout=120,
    ).stdout
    pages = []
    for width, height, body in PAGE.findall(out):
        words = [
            Word(html.unescape(t), float(a), float(b), float(c), float(d))
            for a, b, c, d, t in WORD.findall(body)
        ]
        pages.append((float(width), float(height), words))
    return pages


def layout_problems(pages: list[tuple[float, float, list[Word]]]) -> list[str]:
    problems = []
    for number, (width, height, words) in enumerate(pages, start=1):
        for word in words:
            if word.x0 < 0 or word.y0 < 0 or word.x1 > width + 0.5 or word.y1 > height + 0.5:
                problems.append(f"Folie {number}: '{word.text}' ragt über den Rand")
            if word.text.lower() in ("nan", "none", "nat"):
                problems.append(f"Folie {number}: '{word.text}'")
        for i, a in enumerate(words):
            for b in words[i + 1 :]:
                if a.overlaps(b):
                    problems.append(f"Folie {number}: '{a.text}' überdeckt '{b.text}'")
    return problems


@pytest.fixture(scope="module")
def stress_deck() -> bytes:
    """Slides at the limits: a very long title, a long source, a table of 40 rows with
    long header words and empty cells, a pinned link."""
    rows = [
        [
            f"Maßnahme {n}: Ausbau des Serviceportals um weitere Leistungen",
            "Chief Information/Innovation Office (CIO)",
            "31.12.2026",
            "in Umsetzung" if n % 2 else None,
            float("nan"),
        ]
        for n in range(40)
    ]
    common = {
        "subtitle": "Masterplan Verwaltung · Dortmund · Innenstadt-West, Innenstadt-Nord, "
        "Innenstadt-Ost, Eving, Scharnhorst, Brackel · 2018–2025 · Datenstand 05.12.2026",
        "source": "Stadt Dortmund, Chief Information/Innovation Office (CIO); IT.NRW, "
        "Landesdatenbank NRW, Tabelle 52111-01i; Bundesnetzagentur, Breitbandatlas",
        "stand": "05.12.2026, 10:00 Uhr",
        "demo": True,
        "link": "https://kpi.example/masterplan?masterplan=verwaltung&stand=2026-12-05"
        + "&x=1" * 60,
    }
    series = pd.DataFrame(
        {
            "category": [str(y) for y in range(2018, 2026)],
            "name": "Dortmund (gesamt)",
            "value": range(8),
        }
    )
    # One row whose words all fit, its text just wider than the slide: the date's column
    # had been given less than the date (it broke as "31.12.202" / "5").
    one = pd.DataFrame(
        [ONE_ROW], columns=["Maßnahme", "Verantwortlich", "Frist", "Status", "Überfällig"]
    )
    bars = pd.DataFrame({"category": [f"Stadt {n}" for n in range(15)], "value": range(15)})
    notes = [LONG_TITLE, "Mitglieder der Gruppe ohne Wert: " + ", ".join([LONG_TITLE] * 4)]
    return build_deck(
        [
            Slide(title=LONG_TITLE, table=pd.DataFrame(rows, columns=HEADER), **common),
            Slide(title=LONG_TITLE, series=series, **common),
            Slide(title="Maßnahmen zu diesem Indikator", table=one, **common),
            Slide(title=LONG_TITLE, bars=bars, notes=notes, **common),
        ]
    )


@pytest.fixture(scope="module")
def pages(
    trends_db: Settings, stress_deck: bytes, tmp_path_factory: pytest.TempPathFactory
) -> dict[str, list[tuple[float, float, list[Word]]]]:
    """The decks rendered; the database with trends is the fixture database plus trends."""
    with Store(trends_db.db_path).connect_read() as con:
        deck, notes = deck_for_urls(con, LINKS)
        details, _ = deck_for_urls(con, LINKS, details=True)
        summaries, _ = deck_for_urls(con, SUMMARIES)
    assert notes == []
    return {
        "links": rendered_pages(deck, tmp_path_factory.mktemp("links")),
        "details": rendered_pages(details, tmp_path_factory.mktemp("details")),
        "summaries": rendered_pages(summaries, tmp_path_factory.mktemp("summaries")),
        "stress": rendered_pages(stress_deck, tmp_path_factory.mktemp("stress")),
    }


def test_no_slide_of_any_type_overlaps_or_overflows(pages):
    assert len(pages["links"]) == len(LINKS)  # one slide per view
    assert len(pages["summaries"]) == len(SUMMARIES)
    assert len(pages["details"]) > 3 * len(LINKS)
    for deck in ("links", "summaries", "details"):
        assert layout_problems(pages[deck]) == [], deck


def test_summary_slides_show_every_row(pages):
    """The overview's tiles, the masterplan's charts and the district's profile fit whole:
    no row left off, every tile's status written out."""
    left_off = texts.SLIDE_ROWS_LEFT_OFF.split("{n}")[1].split()[0]  # "weitere"
    for number in (0, 1, 3):
        words = [w.text for w in pages["links"][number][2]]
        assert left_off not in words, f"Folie {number + 1}"
    overview = " ".join(w.text for w in pages["links"][0][2])
    on_track = texts.STATUS_STYLE[next(iter(texts.STATUS_STYLE))].label
    assert overview.count(on_track) >= 10 and "Smart-City-Rang:" in overview


def test_notes_below_a_chart_sit_above_the_source_and_never_run_long(pages):
    """A comparison's standing and members left out, below its ranking and above the
    source line; a very long note is cut at three lines ("…"), the chart keeps its room."""
    for words in (pages["summaries"][2][2], pages["stress"][3][2]):
        source = min(w.y0 for w in words if w.text == f"{texts.SOURCE}:")
        notes = [w for w in words if w.text in ("Rang", "Mitglieder")]
        assert notes and all(w.y1 <= source for w in notes)
    stress = pages["stress"][3][2]
    source = min(w.y0 for w in stress if w.text == f"{texts.SOURCE}:")
    first = min(w.y0 for w in stress if w.text == "Mitglieder")
    line = max(w.y1 - w.y0 for w in stress if w.text == "Mitglieder")
    assert source - first < 3.6 * line  # three lines at most
    assert "…" in " ".join(w.text for w in stress)


def test_long_titles_tall_tables_and_long_sources_still_fit(pages):
    assert len(pages["stress"]) == 4
    assert layout_problems(pages["stress"]) == []
    table_words = {w.text for w in pages["stress"][0][2]}
    assert set(HEADER) <= table_words, "a header word was broken"
    assert "31.12.2026" in table_words, "a date was broken"
    assert "31.12.2025" in {w.text for w in pages["stress"][2][2]}, "a date was broken"
    left_off = texts.SLIDE_ROWS_LEFT_OFF.split("{n}")[0].split()
    assert set(left_off) <= table_words, "the slide says that rows were left off"


def test_the_qr_caption_says_what_the_code_opens(pages):
    """The last link is pinned (``stand=``): its QR code opens that Stand, not the live view."""
    live, pinned = texts.SLIDE_QR_CAPTION.split(), texts.SLIDE_QR_PINNED.split()
    first = {w.text for w in pages["links"][0][2]}
    last = {w.text for w in pages["links"][-1][2]}
    assert set(live) <= first and not set(pinned) <= first
    assert set(pinned) <= last and not set(live) <= last


# A decimal number as English writes it ("80.0", "1,234.56"); German thousands
# ("1.234") have three digits after the point and dates two points.
ENGLISH_DECIMAL = re.compile(r"^-?\d{1,3}(,\d{3})*\.\d{1,2}$")
GERMAN_DECIMAL = re.compile(r"^-?\d{1,3}(\.\d{3})*,\d{1,2}$")


def test_native_charts_write_numbers_the_german_way(pages):
    """The details deck's native line and bar charts (axes, data labels) use a decimal
    comma in any office's language (LibreOffice here runs in English)."""
    words = [w.text for _, _, page in pages["details"] for w in page]
    assert [w for w in words if ENGLISH_DECIMAL.match(w)] == []
    assert any(GERMAN_DECIMAL.match(w) for w in words)
