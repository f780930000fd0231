"""Parsing what city departments write: periods, numbers, district names, the catalog."""

from __future__ import annotations

import copy
import math
from datetime import date, datetime
from pathlib import Path

import pandas as pd
import pytest
import yaml
from hypothesis import given
from hypothesis import strategies as st

from dortmund_kpi.catalog import CatalogError, parse_catalog
from dortmund_kpi.districts import CITY, DistrictMatcher, load_districts
from dortmund_kpi.formatting import format_number_plain
from dortmund_kpi.ingest.numbers import (
    clean_number_text,
    detect_convention,
    is_missing,
    parse_numbers,
)
from dortmund_kpi.periods import (
    MAX_YEAR,
    MIN_YEAR,
    Period,
    day_period,
    month_period,
    parse_period,
    period_from_cell,
    period_from_label,
    quarter_period,
    year_period,
)
from dortmund_kpi.settings import get_settings

SETTINGS = get_settings()


# -- periods ------------------------------------------------------------------
@pytest.mark.parametrize(
    ("text", "label", "kind", "start", "end"),
    [
        ("2023", "2023", "Y", date(2023, 1, 1), date(2023, 12, 31)),
        (" 2023 ", "2023", "Y", date(2023, 1, 1), date(2023, 12, 31)),
        ("2023.0", "2023", "Y", date(2023, 1, 1), date(2023, 12, 31)),
        ("2023-Q2", "2023-Q2", "Q", date(2023, 4, 1), date(2023, 6, 30)),
        ("2023-q2", "2023-Q2", "Q", date(2023, 4, 1), date(2023, 6, 30)),
        ("2023 Q2", "2023-Q2", "Q", date(2023, 4, 1), date(2023, 6, 30)),
        ("Q2/2023", "2023-Q2", "Q", date(2023, 4, 1), date(2023, 6, 30)),
        ("Q2 2023", "2023-Q2", "Q", date(2023, 4, 1), date(2023, 6, 30)),
        ("q2-2023", "2023-Q2", "Q", date(2023, 4, 1), date(2023, 6, 30)),
        ("2. Quartal 2023", "2023-Q2", "Q", date(2023, 4, 1), date(2023, 6, 30)),
        ("Q1/2023", "2023-Q1", "Q", date(2023, 1, 1), date(2023, 3, 31)),
        ("Q3/2023", "2023-Q3", "Q", date(2023, 7, 1), date(2023, 9, 30)),
        ("Q4/2023", "2023-Q4", "Q", date(2023, 10, 1), date(2023, 12, 31)),
        ("2023-05", "2023-05", "M", date(2023, 5, 1), date(2023, 5, 31)),
        ("2023-5", "2023-05", "M", date(2023, 5, 1), date(2023, 5, 31)),
        ("05/2023", "2023-05", "M", date(2023, 5, 1), date(2023, 5, 31)),
        ("5.2023", "2023-05", "M", date(2023, 5, 1), date(2023, 5, 31)),
        ("2023-02", "2023-02", "M", date(2023, 2, 1), date(2023, 2, 28)),
        ("2024-02", "2024-02", "M", date(2024, 2, 1), date(2024, 2, 29)),
        ("2023-12", "2023-12", "M", date(2023, 12, 1), date(2023, 12, 31)),
        ("31.12.2023", "2023-12-31", "D", date(2023, 12, 31), date(2023, 12, 31)),
        ("1.7.2023", "2023-07-01", "D", date(2023, 7, 1), date(2023, 7, 1)),
        ("2023-12-31", "2023-12-31", "D", date(2023, 12, 31), date(2023, 12, 31)),
        ("29.02.2024", "2024-02-29", "D", date(2024, 2, 29), date(2024, 2, 29)),
        ("2000-02-29", "2000-02-29", "D", date(2000, 2, 29), date(2000, 2, 29)),
        ("1990", "1990", "Y", date(1990, 1, 1), date(1990, 12, 31)),
        ("2100", "2100", "Y", date(2100, 1, 1), date(2100, 12, 31)),
    ],
)
def test_parse_period_accepts(text, label, kind, start, end):
    assert parse_period(text) == Period(label, kind, start, end)


@pytest.mark.parametrize(
    "text",
    [
        "",
        "   ",
        "2023-13",
        "2023-00",
        "13/2023",
        "0/2023",
        "Q5/2023",
        "Q0/2023",
        "2023-Q5",
        "5. Quartal 2023",
        "32.12.2023",
        "31.04.2023",
        "0.1.2023",
        "29.02.2023",
        "2023-02-29",
        "29.02.2100",  # 2100 is no leap year
        "2023-12-32",
        "letztes Jahr",
        "Mai 2023",
        "1989",
        "2101",
        "23",
        "31.12.23",
        "2023-Q",
        "2023.5",
        "20233",
        "2023-2024",
    ],
)
def test_parse_period_rejects(text):
    assert parse_period(text) is None


def test_quarter_and_month_bounds():
    ends = [quarter_period(2023, q).end for q in range(1, 5)]
    assert ends == [date(2023, 3, 31), date(2023, 6, 30), date(2023, 9, 30), date(2023, 12, 31)]
    starts = [quarter_period(2023, q).start for q in range(1, 5)]
    assert starts == [date(2023, m, 1) for m in (1, 4, 7, 10)]
    lengths = [month_period(2023, m).end.day for m in range(1, 13)]
    assert lengths == [31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31]
    assert month_period(2024, 2).end == date(2024, 2, 29)
    assert month_period(2000, 2).end == date(2000, 2, 29)
    assert month_period(2100, 2).end == date(2100, 2, 28)


def test_template_text_and_display():
    assert parse_period("Q2/2023").template_text == "2023-Q2"
    assert parse_period("Q2/2023").display == "Q2 2023"
    assert parse_period("2023-05").display == "Mai 2023"
    assert parse_period("2023-03").display == "März 2023"
    assert parse_period("2023-12-31").template_text == "31.12.2023"
    assert parse_period("2023").display == "2023"


@pytest.mark.parametrize(
    ("cell", "label"),
    [
        (datetime(2023, 12, 31, 0, 0), "2023-12-31"),
        (datetime(2023, 12, 31, 14, 30), "2023-12-31"),
        (date(2024, 2, 29), "2024-02-29"),
        (2023, "2023"),
        (2023.0, "2023"),
        ("Q2/2023", "2023-Q2"),
        ("2023-05", "2023-05"),
    ],
)
def test_period_from_cell(cell, label):
    period = period_from_cell(cell)
    assert period is not None
    assert period.label == label


@pytest.mark.parametrize("cell", [2023.5, 1989, 2101, True, "letztes Jahr", 45291.0])
def test_period_from_cell_rejects(cell):
    assert period_from_cell(cell) is None


def test_period_from_label_rejects_non_periods():
    with pytest.raises(ValueError, match="not a canonical period label"):
        period_from_label("letztes Jahr")


periods = st.one_of(
    st.integers(MIN_YEAR, MAX_YEAR).map(year_period),
    st.builds(quarter_period, st.integers(MIN_YEAR, MAX_YEAR), st.integers(1, 4)),
    st.builds(month_period, st.integers(MIN_YEAR, MAX_YEAR), st.integers(1, 12)),
    st.dates(date(MIN_YEAR, 1, 1), date(MAX_YEAR, 12, 31)).map(day_period),
)


@given(periods)
def test_period_label_and_template_text_round_trip(period):
    assert parse_period(period.label) == period
    assert parse_period(period.template_text) == period
    assert period_from_label(period.label) == period
    assert period.start <= period.end


@given(st.dates(date(MIN_YEAR, 1, 1), date(MAX_YEAR, 12, 31)))
def test_every_day_in_german_form(day):
    assert parse_period(f"{day.day}.{day.month}.{day.year}") == day_period(day)
    assert parse_period(day.strftime("%d.%m.%Y")) == day_period(day)


# -- numbers ------------------------------------------------------------------
def series(*texts: str) -> pd.Series:
    return pd.Series(list(texts), dtype="str")


def test_clean_number_text():
    cleaned = clean_number_text(
        series(" 1.234,5 ", "34,4 %", "41%", "12 €", "1 234 567", "19\u00a0100", "1 23", "-")
    )
    assert cleaned.tolist() == ["1.234,5", "34,4", "41", "12", "1234567", "19100", "1 23", "-"]


def test_is_missing():
    missing = ["", " ", "-", "–", "—", ".", "k.A.", "k. A.", "n/a", "NA", "nan", "x"]
    assert is_missing(series(*missing)).tolist() == [True] * len(missing)
    assert is_missing(series("0", "0,0", "-1", "xx", "1.234")).tolist() == [False] * 5


@pytest.mark.parametrize(
    ("texts", "delimiter", "convention"),
    [
        (("34,4", "1.234"), ";", "de"),  # 34,4 can only be German
        (("34.4", "1,234"), ";", "en"),  # 34.4 can only be English, whatever the delimiter
        (("1.234.567",), ",", "de"),
        (("1,234,567",), ";", "en"),
        (("1.234,5",), ",", "de"),
        (("1,234.5",), ";", "en"),
        (("1234,567",), ",", "de"),
        (("1234.567",), ";", "en"),
        (("1.234", "1,234", "12"), ";", "de"),  # nothing decisive: the delimiter decides
        (("1.234", "1,234", "12"), "\t", "de"),
        (("1.234", "1,234", "12"), ",", "en"),
        (("1.234", "1,234", "12"), "xlsx", "de"),
        ((), ",", "en"),
        (("34,4", "12,5", "34.4"), ",", "de"),  # the majority wins
        (("34.4", "12.5", "34,4"), ";", "en"),
    ],
)
def test_detect_convention(texts, delimiter, convention):
    assert detect_convention(series(*texts), delimiter) == convention


@pytest.mark.parametrize(
    ("text", "de", "en"),
    [
        ("1.234,5", 1234.5, None),
        ("1,234.5", None, 1234.5),
        ("1.234", 1234.0, 1.234),
        ("1,234", 1.234, 1234.0),
        ("1.234.567", 1234567.0, None),
        ("1,234,567", None, 1234567.0),
        ("1234,5", 1234.5, None),
        ("1234.5", None, 1234.5),
        ("0,35", 0.35, None),
        ("-3", -3.0, -3.0),
        ("+3", 3.0, 3.0),
        ("12", 12.0, 12.0),
        ("12.34", None, 12.34),
        ("1.23.456", None, None),
        ("1,2,3", None, None),
        ("ca. 80", None, None),
        ("1e5", None, None),
        ("inf", None, None),
        ("nan", None, None),
        ("0x10", None, None),
        ("", None, None),
    ],
)
def test_parse_numbers(text, de, en):
    for convention, want in (("de", de), ("en", en)):
        got = parse_numbers(series(text), convention).iloc[0]
        if want is None:
            assert math.isnan(got), (convention, text, got)
        else:
            assert got == want, (convention, text, got)


@pytest.mark.parametrize(
    ("value", "text"),
    [
        (1234.5, "1234,5"),
        (0.1, "0,1"),
        (100.0, "100"),
        (-2.5, "-2,5"),
        (1e16, "10000000000000000"),
        (0.30000000000000004, "0,30000000000000004"),
        (66600.0, "66600"),
    ],
)
def test_format_number_plain(value, text):
    assert format_number_plain(value) == text


@given(st.floats(allow_nan=False, allow_infinity=False))
def test_format_number_plain_round_trips(value):
    text = format_number_plain(value)
    assert parse_numbers(series(text), "de").iloc[0] == value
    # an exported file (';', decimal comma, no grouping) is always read as German
    assert detect_convention(series(text), ";") == "de"


@given(st.integers(-(10**12), 10**12))
def test_grouped_integers_parse_in_both_conventions(value):
    english = f"{value:,}"
    german = english.replace(",", ".")
    assert parse_numbers(series(german), "de").iloc[0] == value
    assert parse_numbers(series(english), "en").iloc[0] == value


# -- districts ----------------------------------------------------------------
@pytest.fixture(scope="module")
def matcher() -> DistrictMatcher:
    return DistrictMatcher(load_districts(SETTINGS.districts_path))


@pytest.mark.parametrize(
    ("text", "slug"),
    [
        ("Hörde", "hoerde"),
        ("hörde", "hoerde"),
        ("Hoerde", "hoerde"),
        ("HOERDE", "hoerde"),
        ("HÖRDE", "hoerde"),
        ("Horde", "hoerde"),
        ("hoerde", "hoerde"),
        ("Stadtbezirk Hörde", "hoerde"),
        ("Dortmund-Hörde", "hoerde"),
        ("Ho\u0308rde", "hoerde"),  # decomposed umlaut (macOS)
        ("Innenstadt-Nord", "innenstadt-nord"),
        ("Innenstadt Nord", "innenstadt-nord"),
        ("innenstadt-nord", "innenstadt-nord"),
        ("INNENSTADT NORD", "innenstadt-nord"),
        ("Innenstadt-West", "innenstadt-west"),
        ("Innenstadt-Ost", "innenstadt-ost"),
        ("Stadtbezirk Brackel", "brackel"),
        ("Bezirk Brackel", "brackel"),
        ("Lütgendortmund", "luetgendortmund"),
        ("Lutgendortmund", "luetgendortmund"),
        ("Luetgendortmund", "luetgendortmund"),
        ("LÜTGENDORTMUND", "luetgendortmund"),
        ("  Eving  ", "eving"),
        ("Mengede", "mengede"),
    ],
)
def test_district_spellings(matcher, text, slug):
    assert matcher.match(text) == slug


def test_every_name_and_slug_matches_itself(matcher):
    districts = load_districts(SETTINGS.districts_path)
    assert len(districts) == 12
    for district in districts:
        assert matcher.match(district.name) == district.slug
        assert matcher.match(district.slug) == district.slug


@pytest.mark.parametrize(
    "text",
    [
        "",
        "  ",
        "Dortmund",
        "dortmund",
        "DORTMUND",
        "gesamt",
        "Gesamtstadt",
        "Stadt Dortmund",
        "Dortmund gesamt",
        "insgesamt",
        "Stadt gesamt",
    ],
)
def test_city_aliases(matcher, text):
    assert matcher.match(text) == CITY


@pytest.mark.parametrize(
    "text",
    [
        "Innenstadt",
        "Dortmund-Mitte",
        "Westfalenhallen",
        "Nord",
        "Hörder",
        "Bochum",
        "Stadtbezirk",
        "13",
        "Hombruch-Barop",
        "gesamt Hörde",
    ],
)
def test_unknown_districts(matcher, text):
    assert matcher.match(text) is None


def test_district_suggestions(matcher):
    assert matcher.suggestion("Hord") == ["Hörde", "Huckarde", "Hombruch"]
    assert sorted(matcher.suggestion("Innenstadt")) == [
        "Innenstadt-Nord",
        "Innenstadt-Ost",
        "Innenstadt-West",
    ]
    assert matcher.suggestion("Aplerbek") == ["Aplerbeck"]
    assert matcher.suggestion("Westfalenhallen") == []


def test_valid_names_in_table_order(matcher):
    assert matcher.valid_names == (
        "Innenstadt-West, Innenstadt-Nord, Innenstadt-Ost, Eving, Scharnhorst, Brackel, "
        "Aplerbeck, Hörde, Hombruch, Lütgendortmund, Huckarde, Mengede"
    )


# -- catalog ------------------------------------------------------------------
@pytest.fixture(scope="module")
def catalog_document() -> dict:
    return yaml.safe_load(SETTINGS.catalog_path.read_text(encoding="utf-8"))


def broken(document: dict, change) -> dict:
    doc = copy.deepcopy(document)
    change(doc)
    return doc


def test_real_catalog_parses(catalog_document):
    catalog = parse_catalog(SETTINGS.catalog_path, catalog_document)
    assert [p.id for p in catalog.masterplans] == ["verwaltung", "wirtschaft", "bildung"]
    assert len(catalog.ids) == len(set(catalog.ids)) >= 24


def test_catalog_reads_the_same_with_libyaml(catalog_document):
    """load_catalog parses with libyaml when installed: the same document as PyYAML's."""
    from dortmund_kpi.catalog import _load_yaml

    text = SETTINGS.catalog_path.read_text(encoding="utf-8")
    assert _load_yaml(text) == catalog_document
    if getattr(yaml, "CSafeLoader", None) is not None:
        assert yaml.load(text, Loader=yaml.CSafeLoader) == catalog_document


PATH = Path("data/catalog.yaml")


def _set(index: int, key: str, value):
    def change(doc):
        doc["indicators"][index][key] = value

    return change


def _drop(index: int, key: str):
    def change(doc):
        del doc["indicators"][index][key]

    return change


def _duplicate(index: int):
    def change(doc):
        doc["indicators"].append(copy.deepcopy(doc["indicators"][index]))

    return change


@pytest.mark.parametrize(
    ("change", "message"),
    [
        (
            _set(0, "masterplan", "umwelt"),
            "indicator 'online_dienstleistungen': unbekannter Masterplan 'umwelt'",
        ),
        (_duplicate(2), "indicator 'online_antraege': doppelte id"),
        (_drop(3, "unit"), "indicator 'anteil_online_antraege': Pflichtfeld 'unit' fehlt"),
        (_set(3, "unit", ""), "indicator 'anteil_online_antraege': Pflichtfeld 'unit' fehlt"),
        (
            _set(1, "direction", "up"),
            "indicator 'ozg_leistungen': direction 'up' ungültig (erwartet: higher, lower)",
        ),
        (_drop(0, "id"), "indicator '#1': Pflichtfeld 'id' fehlt"),
        (
            _set(0, "id", "Online-Dienste"),
            "indicator 'Online-Dienste': id muss ein Slug sein (a-z, 0-9, _)",
        ),
        (_set(2, "min", 10**7), "indicator 'online_antraege': min ist größer als max"),
        (
            _set(2, "max", "viel"),
            "indicator 'online_antraege': max muss eine Zahl sein, nicht 'viel'",
        ),
    ],
)
def test_catalog_errors_name_file_and_entry(catalog_document, change, message):
    with pytest.raises(CatalogError) as raised:
        parse_catalog(PATH, broken(catalog_document, change))
    assert str(raised.value) == f"{PATH}: {message}"


def test_catalog_error_for_unknown_masterplan_in_masterplan_list(catalog_document):
    """The masterplans are whatever the file lists: renaming one leaves its indicators
    pointing at a plan that is not there (a fourth plan just works: test_catalog_fields)."""

    def change(doc):
        doc["masterplans"][1]["id"] = "umwelt"

    with pytest.raises(CatalogError) as raised:
        parse_catalog(PATH, broken(catalog_document, change))
    assert str(raised.value) == (
        f"{PATH}: indicator 'glasfaser_haushalte': unbekannter Masterplan 'wirtschaft'"
    )
