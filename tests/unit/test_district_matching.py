"""District cells: a known spelling, the city (empty, ``Dortmund``, ``gesamt``), or refused.

The bug this keeps out: a cell without an ASCII letter or digit (``???``, ``–``, full-width
letters, a lone combining mark, Cyrillic) folded to the empty key, which meant the whole
city, and an import overwrote the city's headline value with exit code 0.
"""

from __future__ import annotations

import csv
import shutil
import unicodedata
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from dortmund_kpi.db.measures import measure_export_rows
from dortmund_kpi.db.read import export_rows
from dortmund_kpi.db.store import Store
from dortmund_kpi.districts import CITY, DistrictMatcher, load_districts, name_keys
from dortmund_kpi.ingest.importer import run_import
from dortmund_kpi.ingest.issues import ImportFailed
from dortmund_kpi.settings import Settings, get_settings
from dortmund_kpi.share.template_files import to_csv
from tests.conftest import MEASURES_FIXTURE, make_settings

DISTRICTS = load_districts(get_settings().data_dir / "districts.csv")
MATCHER = DistrictMatcher(DISTRICTS)
# Written out here, not taken from the code: what may mean the whole city.
CITY_WORDS = {
    "dortmund",
    "stadtdortmund",
    "gesamt",
    "gesamtstadt",
    "insgesamt",
    "dortmundgesamt",
    "stadtgesamt",
    "dortmundgesamtstadt",
    "city",
}
SPELLINGS = sorted(
    {
        text
        for d in DISTRICTS
        for text in (
            d.name,
            d.slug,
            d.name.upper(),
            d.name.replace("ö", "oe").replace("ü", "ue"),
            f"Stadtbezirk {d.name}",
        )
    }
)


def _spelling_char(char: str) -> bool:
    return char in "abcdefghijklmnopqrstuvwxyz0123456789äöüß"


def _separator(char: str) -> bool:
    return char.isspace() or unicodedata.category(char)[0] in "PZ"


def _folded(char: str) -> str:
    return unicodedata.normalize("NFKC", char).lower()


def _no_letter(char: str) -> bool:
    """Nothing a spelling is made of, even after NFKC (``Ｈ`` is an H, so it is not here)."""
    return not any(_spelling_char(c) for c in _folded(char))


def _foreign(char: str) -> bool:
    """A character no spelling has and that does not merge into its neighbour."""
    return unicodedata.category(char)[0] not in "MC" and any(
        not _spelling_char(c) and not _separator(c) for c in _folded(char)
    )


no_letters = st.text(st.characters(exclude_categories=("Cs",)).filter(_no_letter), min_size=1)
foreign_chars = st.characters(exclude_categories=("Cs",)).filter(_foreign)


@st.composite
def spoiled_spellings(draw: st.DrawFn) -> str:
    """A known spelling with a character no spelling has inserted somewhere."""
    text = draw(st.sampled_from(SPELLINGS))
    at = draw(st.integers(0, len(text)))
    return text[:at] + draw(foreign_chars) + text[at:]


bad_cells = st.one_of(
    no_letters.filter(str.strip),
    spoiled_spellings(),
    st.sampled_from(["???", "–", "-", "\u0308", "Хорде", "Dortmund Д", "…", "—", "'"]),
)


# -- the matcher ------------------------------------------------------------------
@pytest.mark.parametrize(
    ("cell", "expected"),
    [
        ("", CITY),
        ("  ", CITY),
        ("Dortmund", CITY),
        ("gesamt", CITY),
        ("Dortmund (gesamt)", CITY),
        ("Hörde", "hoerde"),
        ("Ho\u0308rde", "hoerde"),  # decomposed umlaut: NFKC composes it
        ("Ｈｏｅｒｄｅ", "hoerde"),  # full-width: NFKC makes it Hoerde
        ("HÖRDE", "hoerde"),
        ("Stadtbezirk Innenstadt Nord", "innenstadt-nord"),
        ("???", None),
        ("–", None),
        ("\u0308", None),
        ("Хорде", None),
        ("Hörde Д", None),
        ("\u200b", None),
    ],
)
def test_examples(cell: str, expected: str | None) -> None:
    assert MATCHER.match(cell) == expected


@given(no_letters)
def test_a_cell_without_letters_is_the_city_only_when_blank(cell: str) -> None:
    assert MATCHER.match(cell) == (CITY if not cell.strip() else None)
    assert name_keys(cell) == set()


@given(spoiled_spellings())
def test_a_known_spelling_with_a_foreign_character_is_refused(cell: str) -> None:
    assert MATCHER.match(cell) is None


@given(st.text())
def test_the_city_only_from_blank_or_an_explicit_city_spelling(cell: str) -> None:
    if MATCHER.match(cell) == CITY:
        letters = "".join(
            c for c in _folded(cell).replace("ü", "ue") if c.isascii() and c.isalnum()
        )
        assert not cell.strip() or letters in CITY_WORDS, repr(cell)


# -- imports: refused line-precisely, nothing written ---------------------------------
@pytest.fixture(scope="module")
def db(fixture_db: Settings, tmp_path_factory: pytest.TempPathFactory) -> Settings:
    target = tmp_path_factory.mktemp("districts") / "kpi.duckdb"
    shutil.copyfile(fixture_db.db_path.resolve(), target)
    return make_settings(target)


def _state(settings: Settings) -> tuple[str, bytes, str]:
    store = Store(settings.db_path)
    with store.connect_read() as con:
        return (
            store.version(),
            to_csv(export_rows(con)),
            measure_export_rows(con).to_json(date_format="iso"),
        )


def _write(path: Path, rows: list[list[str]]) -> Path:
    with path.open("w", encoding="utf-8", newline="") as handle:
        csv.writer(handle, delimiter=";").writerows(rows)
    return path


# Control characters are refused for the whole file (column ``datei``), before the districts.
file_cells = bad_cells.filter(lambda cell: not any(unicodedata.category(c) == "Cc" for c in cell))
IMPORT_SETTINGS = settings(
    max_examples=25, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)


@IMPORT_SETTINGS
@given(cell=file_cells)
def test_an_observation_with_a_bad_district_is_refused(
    cell: str, db: Settings, tmp_path: Path
) -> None:
    before = _state(db)
    path = _write(
        tmp_path / "werte.csv",
        [
            ["indikator", "bezirk", "zeitraum", "wert", "datenart"],
            ["online_dienstleistungen", "Dortmund", "2018-Q2", "39,7", "demo"],
            ["online_dienstleistungen", cell, "2018-Q1", "99,9", "demo"],
        ],
    )
    with pytest.raises(ImportFailed) as failed:
        run_import([path], db, user="pytest")
    assert [(i.line, i.column) for i in failed.value.issues] == [(3, "bezirk")]
    assert failed.value.issues[0].message.startswith("unbekannter Stadtbezirk")
    assert _state(db) == before


@IMPORT_SETTINGS
@given(cell=st.one_of(file_cells, st.sampled_from([",", " | ", ",,"])))
def test_a_measure_with_a_bad_district_is_refused(cell: str, db: Settings, tmp_path: Path) -> None:
    before = _state(db)
    with MEASURES_FIXTURE.open(encoding="utf-8-sig", newline="") as handle:
        rows = list(csv.reader(handle, delimiter=";"))
    rows = rows[:2]
    rows[1][rows[0].index("bezirke")] = cell
    rows[1][rows[0].index("statusdatum")] = "01.07.2024"  # a change, if it were accepted
    path = _write(tmp_path / "massnahmen.csv", rows)
    with pytest.raises(ImportFailed) as failed:
        run_import([path], db, user="pytest")
    assert {(i.line, i.column) for i in failed.value.issues} == {(2, "bezirke")}
    assert _state(db) == before
