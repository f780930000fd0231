"""GENESIS flat files read column by column (``ffcsv_columns``) give exactly the table the
row-by-row reader (``ffcsv.read``) gives: the same records (region, key, period, attributes,
value to the last bit, sign, value column, line), the same skipped cells with line and
reason, the same layout, source and title; and ``Table``'s questions (periods, columns,
dimensions, Dortmund's records, regions, ``--zeitraum``) get the same answers from the
columns as from a list. Checked on the real Regionalstatistik file, on flat files written
here in every shape the reader knows, and on random ones (hypothesis)."""

from __future__ import annotations

from dataclasses import astuple
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from dortmund_kpi.ingest.sources import ffcsv
from dortmund_kpi.ingest.sources.model import RecordColumns, SourceError, Table
from dortmund_kpi.ingest.sources.read import assign_period, parse_assigned, read_source_bytes
from dortmund_kpi.ingest.sources.regions import regions_for
from dortmund_kpi.ingest.sources.text import decode, read_rows, sniff_delimiter, trimmed
from dortmund_kpi.settings import get_settings

OFFICIAL = Path(__file__).resolve().parents[1] / "fixtures" / "official"
REGIONAL = (OFFICIAL / "regionalstatistik_12411-01-01-4_ffcsv.csv").read_bytes()
DATA_DIR = get_settings().data_dir
LONG = (
    "statistics_code;statistics_label;time_code;time_label;time;1_variable_code;"
    "1_variable_label;1_variable_attribute_code;1_variable_attribute_label;2_variable_code;"
    "2_variable_label;2_variable_attribute_code;2_variable_attribute_label;value;value_unit;"
    "value_variable_code;value_variable_label;value_q"
)
WIDE = (
    "Statistik_Code;Statistik_Label;Zeit_Code;Zeit_Label;Zeit;1_Merkmal_Code;1_Merkmal_Label;"
    "1_Auspraegung_Code;1_Auspraegung_Label;2_Merkmal_Code;2_Merkmal_Label;2_Auspraegung_Code;"
    "2_Auspraegung_Label;BEV013__Zuzuege__Anzahl;BEV014__Fortzuege__Anzahl;"
    "BEV013__Zuzuege__Anzahl_q"
)


def by_rows(data: bytes, name: str) -> Table:
    """The row-by-row reading of a flat file, as ``read_source_bytes`` did it before."""
    text = decode(data, name, "")
    rows = read_rows(text, name, sniff_delimiter(text.splitlines()[:12]))
    start = next(i for i, (_, cells) in enumerate(rows) if trimmed(cells))
    return ffcsv.read(rows[start:], name, regions_for(DATA_DIR))


def exact(records) -> list[tuple]:
    """Records as tuples, the value by its repr (0.0 and -0.0 differ)."""
    return [(*astuple(r), repr(r.wert)) for r in records]


def assert_same(data: bytes, name: str = "12411-01-01-4_flat.csv") -> Table:
    try:
        expected = by_rows(data, name)
    except SourceError as exc:
        with pytest.raises(SourceError) as caught:
            read_source_bytes(data, name, DATA_DIR)
        assert str(caught.value) == str(exc)
        return Table("", "", None)
    table = read_source_bytes(data, name, DATA_DIR)
    assert isinstance(table.records, RecordColumns)  # the files here are all plain
    assert exact(table.records) == exact(expected.records)
    assert table.skipped == expected.skipped
    assert (table.layout, table.source, table.licence, table.title) == (
        expected.layout,
        expected.source,
        expected.licence,
        expected.title,
    )
    assert_same_answers(table, expected)
    return table


def assert_same_answers(table: Table, expected: Table) -> None:
    assert table.periods == expected.periods
    assert table.columns == expected.columns
    assert table.dimensions() == expected.dimensions()
    assert list(table.dimensions()) == list(expected.dimensions())
    assert exact(table.dortmund()) == exact(expected.dortmund())
    assert table.places() == expected.places()
    assert table.period_kinds() == expected.period_kinds()
    assert table.with_value() == expected.with_value()
    for text in ("2024", "2023", "2014-03", "31.12.2024", "2024-Q4"):
        when = parse_assigned(text)
        assert exact(assign_period(table, when).records) == exact(
            assign_period(expected, when).records
        )


def test_the_real_file_is_read_in_columns_with_the_same_records():
    table = assert_same(REGIONAL, "regionalstatistik_12411-01-01-4_ffcsv.csv")
    assert len(table.records) == 1467
    [total] = [r for r in table.dortmund() if r.merkmale == {"Geschlecht": "Insgesamt"}]
    assert (total.wert, total.line, total.zeitraum) == (603462.0, 802, "2024-12-31")


def _long(rows: list[str], newline: str = "\n") -> bytes:
    return ("\ufeff" + newline.join([LONG, *rows]) + newline).encode("utf-8")


ROW = (
    "12411;Bevölkerung;STAG;Stichtag;{time};KREISE;Kreise;{key};{name};GES;Geschlecht;{sex};"
    "{value};Anzahl;BEVSTD;Bevölkerungsstand;{q}"
)


def row(value: str, key: str = "05913", name: str = "Dortmund, kreisfreie Stadt", **more) -> str:
    fields = {"time": "2024-12-31", "sex": "GESW;weiblich", "q": "", **more}
    return ROW.format(value=value, key=key, name=name, **fields)


@pytest.mark.parametrize(
    "value",
    [
        *("603462", "-12", "-0", "007", "280,71", "1.234.567", "1.234,5", "0,000001"),
        *("-", "–", ".", "x", "X", "/", "...", "…", "(12,3)", "12p", "12 r", "(7)s"),
        *(" 34 ", "1 234", "abc", "", "+5", "1e5", "１２", "12345678901234567,5"),
        *("123456789012345", "1234567890123456", "9" * 400, "12,3,4", ",5", "5,"),
    ],
)
def test_every_kind_of_value_cell(value):
    rows = [row(value), row("17", key="05111", name="Düsseldorf", q="p"), row(value, q="e")]
    assert_same(_long(rows))


def test_an_english_file_with_quality_flags_and_crlf():
    rows = [row(v, q=q) for v, q in [("1,234.5", "p"), ("12.5", " R "), ("3", "e"), (".", "q")]]
    assert_same(_long(rows, "\r\n"))


def test_periods_regions_and_attributes_of_every_form():
    rows = [
        row("1", time="2023"),
        row("2", time="31.12.2022", key="5913000", name="Dortmund, Stadt"),
        row("3", time="Januar 2014", key="", name="Hörde"),
        row("4", time="", key="05913", name="Dortmund"),
        row("5", time="irgendwann", key="059130000000", name="Dortmund, Stadt"),
        row("6", sex="MONAT03;März", time="2022"),
        row("7", sex=";Insgesamt", time="2022"),
        row("8", key="", name=""),
        ";;;;;;;;;;;;;;;;;",  # blank: skipped, its line counted
        row("9", key="05315", name="Köln, kreisfreie Stadt"),
    ]
    table = assert_same(_long(rows))
    assert [r.line for r in table.records][-1] == 11


def test_the_old_wide_form_with_german_headers_months_and_latin1():
    text = "\n".join(
        [
            WIDE,
            "12711;Wanderungen;JAHR;Jahr;2022;KREISE;Kreise;5913000;Dortmund, kreisfreie Stadt;"
            "MONAT;Monate;MONAT03;März;2.345;-;p",
            "12711;Wanderungen;JAHR;Jahr;2022;KREISE;Kreise;05111;Düsseldorf;MONAT;Monate;"
            "MONAT04;April;.;1.234;",
            "12711;Wanderungen;JAHR;Jahr;2023;KREISE;Kreise;05913;Dortmund;ALTX;Alter;A1;"
            "unter 18;;(5);e",
        ]
    )
    assert_same(text.encode("latin-1"), "12711-0004_flat.csv")


def test_blank_lines_before_the_header_and_a_file_without_table_code():
    data = b"\n;;\n" + _long([row("1"), row("2", sex="GESM;m\xc3\xa4nnlich")])
    table = assert_same(data, "download.csv")
    assert table.layout == "GENESIS-Flatfile, Statistik 12411"


def test_a_file_without_a_region_a_period_or_an_attribute_code():
    header = (
        "statistics_code;time;1_variable_code;1_variable_label;1_variable_attribute_label;value"
    )
    rows = ["1000A;;GES;Geschlecht;weiblich;5", "1000A;;GES;Geschlecht;männlich;.", "1000A;;;;;"]
    assert_same("\n".join([header, *rows]).encode("utf-8"), "1000A_flat.csv")


def test_the_same_attribute_name_in_two_dimensions_and_no_data_rows():
    header = LONG.replace("2_variable_label", "2_variable_label_x").replace(
        "1_variable_label", "2_variable_label"
    )
    rows = [row("1"), row("2", sex="GESM;männlich")]
    assert_same(("\n".join([header, *rows]) + "\n").encode("utf-8"))
    assert_same(_long([";;;;;;;;;;;;;;;;;"]))


def test_files_that_are_not_plain_are_read_row_by_row_with_the_same_messages():
    quoted = _long([row('"5"'), row("6")])
    short = _long([row("5"), "12411;Bevölkerung;STAG"])
    empty_line = _long([row("5"), "", row("6")])
    for data in (quoted, short, empty_line):
        try:
            expected = by_rows(data, "f.csv")
        except SourceError as exc:
            with pytest.raises(SourceError) as caught:
                read_source_bytes(data, "f.csv", DATA_DIR)
            assert str(caught.value) == str(exc) and "Felder statt" in str(exc)
            continue
        table = read_source_bytes(data, "f.csv", DATA_DIR)
        assert isinstance(table.records, list)
        assert exact(table.records) == exact(expected.records)


NUMBERS = st.one_of(
    st.integers(-(10**18), 10**18).map(str),
    st.tuples(st.integers(0, 10**9), st.integers(0, 10**7)).map(lambda t: f"{t[0]},{t[1]}"),
    st.tuples(st.integers(0, 10**9), st.integers(0, 10**7)).map(lambda t: f"{t[0]}.{t[1]}"),
    st.integers(0, 10**13).map(lambda n: f"{n:,}".replace(",", ".")),
    st.integers(0, 10**13).map(lambda n: f"{n:,}"),
    st.sampled_from(["-", "–", ".", "x", "/", "...", "(12,3)", "12p", " 4 r", "", "ab", "1 234"]),
)
ROWS = st.lists(
    st.tuples(
        NUMBERS,
        st.sampled_from(["2024-12-31", "2023", "31.12.2022", "", "Januar 2014", "1. Quartal"]),
        st.sampled_from(["05913", "5913000", "05111", "", " 059130000000 "]),
        st.sampled_from(["Dortmund, kreisfreie Stadt", "Hörde", "Düsseldorf", "", "Essen"]),
        st.sampled_from(["GESW;weiblich", "GESM;männlich", ";Insgesamt", "MONAT03;März", ";"]),
        st.sampled_from(["", "e", "p", " P "]),
    ),
    min_size=1,
    max_size=30,
)


@settings(max_examples=120, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(ROWS, st.sampled_from(["\n", "\r\n"]), st.sampled_from(["utf-8", "cp1252"]))
def test_random_flat_files_give_the_same_table(rows, newline, encoding):
    lines = [
        row(value, key=key, name=name, time=time, sex=sex, q=q)
        for value, time, key, name, sex, q in rows
    ]
    assert_same(newline.join([LONG, *lines]).encode(encoding, "replace"))
