"""``dortmund-kpi slides --vorlage FILE.pptx``: the deck on the city's own masters."""

from __future__ import annotations

import io
import subprocess
import sys
from pathlib import Path

import pytest
from pptx import Presentation
from pptx.util import Inches

from dortmund_kpi.db.store import Store
from dortmund_kpi.settings import Settings
from dortmund_kpi.share.deck import deck_for_urls
from dortmund_kpi.share.slides import HEIGHT, WIDTH, TemplateError

LINKS = ["https://kpi.example/indikator?indikator=glasfaser_haushalte&bezirk=hoerde"]
LOGO = "Stadt Dortmund – Logo der Vorlage"


def template(width=WIDTH, height=HEIGHT) -> bytes:
    """A master as a city's design office makes one: its own logo on the master, an
    empty layout called "Leer", and a title slide that is not part of any deck."""
    deck = Presentation()
    deck.slide_width, deck.slide_height = width, height
    # python-pptx draws no shapes on masters: drawn on a slide, then moved to the master.
    scratch = deck.slides.add_slide(deck.slide_layouts[6])
    logo = scratch.shapes.add_textbox(Inches(0.2), Inches(7.0), Inches(4), Inches(0.4))
    logo.text = LOGO
    deck.slide_master.shapes._spTree.append(logo._element)
    deck.slide_layouts[6].name = "Leer"
    deck.slides.add_slide(deck.slide_layouts[0]).shapes.title.text = "Titelfolie der Vorlage"
    buffer = io.BytesIO()
    deck.save(buffer)
    return buffer.getvalue()


def test_the_deck_uses_the_templates_masters(fixture_db: Settings):
    with Store(fixture_db.db_path).connect_read() as con:
        plain, _ = deck_for_urls(con, LINKS)
        data, _ = deck_for_urls(con, LINKS, template())
    deck = Presentation(io.BytesIO(data))
    slides = list(deck.slides)
    assert len(slides) == len(Presentation(io.BytesIO(plain)).slides)
    assert all(s.slide_layout.name == "Leer" for s in slides)
    assert LOGO in [s.text_frame.text for s in deck.slide_master.shapes if s.has_text_frame]
    texts = [s.text_frame.text for slide in slides for s in slide.shapes if s.has_text_frame]
    assert "Titelfolie der Vorlage" not in texts
    assert not any(list(slide.placeholders) for slide in slides)  # only our own boxes


@pytest.mark.parametrize(
    ("data", "reason"),
    [
        (template(Inches(10), Inches(7.5)), "16:9"),  # 4:3
        (b"PK\x03\x04 not really a presentation", "keine lesbare PowerPoint-Datei"),
    ],
    ids=["4-zu-3", "kaputt"],
)
def test_an_unusable_template_is_refused(fixture_db: Settings, data: bytes, reason: str):
    with Store(fixture_db.db_path).connect_read() as con, pytest.raises(TemplateError) as refused:
        deck_for_urls(con, LINKS, data)
    assert reason in str(refused.value)


def test_the_command_refuses_a_broken_template_and_writes_nothing(
    fixture_db: Settings, tmp_path: Path
):
    broken = tmp_path / "vorlage.pptx"
    broken.write_bytes(b"kein PowerPoint")
    out = tmp_path / "deck.pptx"
    command = [sys.executable, "-m", "dortmund_kpi", "--db", str(fixture_db.db_path), "slides"]
    done = subprocess.run(
        [*command, "--vorlage", str(broken), "-o", str(out), *LINKS],
        capture_output=True,
        text=True,
        timeout=300,
    )
    assert done.returncode == 1, done.stderr
    assert "Vorlage" in done.stderr and "kein Foliensatz geschrieben" in done.stderr
    assert "Traceback" not in done.stderr and not out.exists()
