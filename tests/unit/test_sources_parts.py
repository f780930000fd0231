"""The vocabulary of the official-table readers: GENESIS signs and numbers, periods, regions."""

from __future__ import annotations

import pytest

from dortmund_kpi.ingest.sources.regions import normal_key, regions_for
from dortmund_kpi.ingest.sources.signs import choose_convention, read_cell
from dortmund_kpi.ingest.sources.times import Part, When, combine, read_period
from dortmund_kpi.settings import get_settings

REGIONS = regions_for(get_settings().data_dir)


@pytest.mark.parametrize(
    ("text", "wert", "zeichen"),
    [
        ("17,5", 17.5, None),
        ("603462", 603462.0, None),
        ("1.234.567", 1234567.0, None),
        ("1.234,5", 1234.5, None),
        ("-3,2", -3.2, None),
        ("-", 0.0, "-"),
        ("–", 0.0, "-"),
        (".", None, "."),
        ("x", None, "x"),
        ("X", None, "x"),
        ("/", None, "/"),
        ("...", None, "..."),
        ("…", None, "..."),
        ("(12,3)", 12.3, "()"),
        ("12,3p", 12.3, "p"),
        ("12,3 p", 12.3, "p"),
        ("1.234r", 1234.0, "r"),
        ("(7)p", 7.0, "()p"),
        ("0", 0.0, None),
    ],
)
def test_genesis_signs_and_german_numbers(text, wert, zeichen):
    cell = read_cell(text)
    assert (cell.wert, cell.zeichen) == (wert, zeichen)
    assert (cell.missing is None) == (wert is not None)


def test_missing_signs_say_why():
    assert read_cell(".").missing == "Zahlenwert unbekannt oder geheim zu halten"
    assert read_cell("x").missing == "Tabellenfach gesperrt, weil Aussage nicht sinnvoll"
    assert read_cell("/").missing == "keine Angabe, da Zahlenwert nicht sicher genug"
    assert read_cell("...").missing == "Angabe fällt später an"
    assert read_cell("").missing == "leere Zelle"
    assert read_cell("abc").missing == "kein Zahlenwert: „abc“"


def test_english_numbers_when_the_file_is_english():
    assert choose_convention(["1,234.5", "0.25"]) == "en"
    assert choose_convention(["1.234,5", "17,5"]) == "de"
    assert read_cell("1,234.5", "en").wert == 1234.5


@pytest.mark.parametrize(
    ("text", "label", "kind"),
    [
        ("2023", "2023", "Jahr"),
        ("Jahr 2023", "2023", "Jahr"),
        ("31.12.2024", "2024-12-31", "Stichtag"),
        ("2024-12-31", "2024-12-31", "Stichtag"),
        ("2018/19", "2018/19", "Schuljahr"),
        ("Schuljahr 2018/2019", "2018/19", "Schuljahr"),
        ("1. Halbjahr 2023", "2023-H1", "Halbjahr"),
        ("2023-H2", "2023-H2", "Halbjahr"),
        ("2. Quartal 2023", "2023-Q2", "Quartal"),
        ("Q2/2023", "2023-Q2", "Quartal"),
        ("Januar 2014", "2014-01", "Monat"),
        ("Jan. 2014", "2014-01", "Monat"),
        ("März 2020", "2020-03", "Monat"),
        ("Maerz 2020", "2020-03", "Monat"),
        ("05/2023", "2023-05", "Monat"),
        ("Dezember (31.) 2020", "2020-12-31", "Stichtag"),
        ("1950", "1950", "Jahr"),
    ],
)
def test_periods(text, label, kind):
    assert read_period(text) == When(label, kind)


@pytest.mark.parametrize("text", ["Insgesamt", "2018/20", "31.02.2023", "x", "", "Jahr"])
def test_no_periods(text):
    assert read_period(text) is None


def test_parts_of_a_year_join_the_year():
    assert read_period("Januar (31.)") == Part("Monat", 1, 31)
    assert read_period("1. Quartal") == Part("Quartal", 1)
    assert read_period("2. Halbjahr") == Part("Halbjahr", 2)
    year = When("2014", "Jahr")
    assert combine(year, Part("Monat", 1, 31)) == When("2014-01-31", "Stichtag")
    assert combine(year, Part("Monat", 2, 31)) == When("2014-02-28", "Stichtag")
    assert combine(year, Part("Monat", 5)) == When("2014-05", "Monat")
    assert combine(year, Part("Quartal", 3)) == When("2014-Q3", "Quartal")
    assert combine(When("2014-12-31", "Stichtag"), Part("Monat", 1)) is None


@pytest.mark.parametrize(
    ("written", "key"),
    [
        ("05913000", "05913000"),
        ("5913000", "05913000"),
        ("5913", "05913"),
        ("05913", "05913"),
        ("059130000000", "059130000000"),
        ("59130000000", "059130000000"),
        (" 05 913 ", "05913"),
        ("5913000.0", "05913000"),
        ("DG", "DG"),
        ("", None),
    ],
)
def test_keys_get_their_lost_leading_zero_back(written, key):
    assert normal_key(written) == key


@pytest.mark.parametrize(
    "name",
    [
        "Dortmund, krfr. Stadt",
        "Dortmund, kreisfreie Stadt",
        "Dortmund, Stadt",
        "Dortmund",
        "Stadt Dortmund",
        "  DORTMUND ",
    ],
)
def test_dortmund_by_official_name(name):
    place = REGIONS.place(None, name)
    assert (place.gebiet, place.bezirk) == ("Dortmund", "dortmund")


@pytest.mark.parametrize("key", ["05913", "05913000", "5913000", "5913", "059130000000"])
def test_dortmund_by_key_whatever_the_name(key):
    assert REGIONS.place(key, "").bezirk == "dortmund"


@pytest.mark.parametrize(
    ("key", "name", "slug"),
    [
        (None, "Hörde", "hoerde"),
        (None, "Hoerde", "hoerde"),
        (None, "Stadtbezirk Lütgendortmund", "luetgendortmund"),
        (None, "innenstadt-nord", "innenstadt-nord"),
        ("05913", "Hörde", "dortmund"),  # the city's key wins
        ("03353", "Brackel", None),  # Brackel in Lower Saxony
        (None, "Insgesamt", None),
        (None, "Düsseldorf", None),
    ],
)
def test_districts_by_name(key, name, slug):
    assert REGIONS.place(key, name).bezirk == slug


def test_district_numbers_in_both_schemes():
    assert REGIONS.numbering(["10", "20", "120"]) == "nummer"
    assert REGIONS.numbering(["1", "2", "12"]) == "nummer_kurz"
    assert REGIONS.numbering(["10"]) is None  # Innenstadt-West or Lütgendortmund
    assert REGIONS.numbering(["05", "051", "05913"]) is None
    assert REGIONS.place("10", "", "nummer").bezirk == "innenstadt-west"
    assert REGIONS.place("10", "", "nummer_kurz").bezirk == "luetgendortmund"
    assert REGIONS.place("080", "Hörde", "nummer").bezirk == "hoerde"
    every = [REGIONS.district_by_number(str(n * 10), "nummer") for n in range(1, 13)]
    assert every == [REGIONS.district_by_number(str(n), "nummer_kurz") for n in range(1, 13)]
    assert len(set(every)) == 12 and set(every) == set(REGIONS.names)


def test_a_data_folder_without_the_code_table_uses_the_packaged_one(tmp_path):
    (tmp_path / "districts.csv").write_bytes(
        (get_settings().data_dir / "districts.csv").read_bytes()
    )
    regions = regions_for(tmp_path)
    assert regions.place("80", "Hörde", "nummer").bezirk == "hoerde"
