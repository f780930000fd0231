"""The URL contract: parsing, migrations, serialisation; never an exception."""

from __future__ import annotations

from hypothesis import given, settings
from hypothesis import strategies as st

from dortmund_kpi.districts import DistrictMatcher, load_districts
from dortmund_kpi.settings import get_settings
from dortmund_kpi.share.url_values import UrlContext
from dortmund_kpi.share.urlstate import PAGES, parse, serialize, url_for

CTX = UrlContext(
    masterplans=("verwaltung", "wirtschaft", "bildung"),
    indicators=("online_dienstleistungen", "glasfaser_haushalte"),
    districts=DistrictMatcher(load_districts(get_settings().districts_path)),
    years=(2018, 2025),
)


def test_page_paths_are_the_contract():
    assert PAGES == {
        "uebersicht": "",
        "masterplan": "masterplan",
        "indikator": "indikator",
        "bezirke": "bezirke",
        "daten": "daten",
        "trends": "trends",
        "vergleich": "vergleich",
    }


def test_districts_by_slug_and_name():
    parsed = parse(
        {"bezirk": ["hoerde", "Innenstadt-Nord", "HOERDE", "Lütgendortmund"]}, "bezirke", CTX
    )
    assert parsed.values["bezirk"] == ["hoerde", "innenstadt-nord", "luetgendortmund"]
    assert parsed.notices == []


def test_districts_separated_by_commas_as_people_type_them():
    parsed = parse({"bezirk": ["eving,Hörde", "hoerde"]}, "bezirke", CTX)
    assert parsed.values["bezirk"] == ["eving", "hoerde"] and parsed.notices == []
    parsed = parse({"bezirk": ["eving,nowhere"]}, "uebersicht", CTX)
    assert parsed.values["bezirk"] == ["eving"] and [n.key for n in parsed.notices] == ["bezirk"]
    # a name with a comma stays one name; a trailing comma is no empty district
    parsed = parse({"bezirk": ["Dortmund, Innenstadt-West", "eving,"]}, "uebersicht", CTX)
    assert parsed.values["bezirk"] == ["innenstadt-west", "eving"] and parsed.notices == []


def test_bad_values_give_notices_and_keep_good_ones():
    parsed = parse(
        {"bezirk": ["nowhere", "eving"], "zeitraum": ["1900", "2024"], "masterplan": ["xyz"]},
        "masterplan",
        CTX,
    )
    assert parsed.values == {"bezirk": ["eving"]}
    assert {n.key for n in parsed.notices} == {"bezirk", "zeitraum", "masterplan"}


def test_key_migrations():
    parsed = parse(
        {"district": ["eving"], "mp": ["bildung"], "period": ["2020", "2022"]}, "masterplan", CTX
    )
    assert parsed.values == {"bezirk": ["eving"], "masterplan": "bildung", "zeitraum": (2020, 2022)}


def test_page_keys_only_on_their_page():
    assert parse({"masterplan": ["bildung"]}, "uebersicht", CTX).values == {}
    assert parse({"indikator": ["glasfaser_haushalte"]}, "indikator", CTX).values == {
        "indikator": "glasfaser_haushalte"
    }


def test_serialize_omits_shared_defaults_and_keeps_page_key():
    defaults = {"bezirk": [], "zeitraum": (2018, 2025)}
    values = {"bezirk": [], "zeitraum": (2018, 2025), "masterplan": "verwaltung"}
    assert serialize(values, "masterplan", defaults) == {"masterplan": ["verwaltung"]}
    values = {"bezirk": ["hoerde"], "zeitraum": (2019, 2024), "indikator": "x"}
    assert serialize(values, "indikator", defaults) == {
        "bezirk": ["hoerde"],
        "zeitraum": ["2019", "2024"],
        "indikator": ["x"],
    }


def test_url_for():
    assert url_for("uebersicht", {}) == "/"
    assert url_for(
        "indikator", {"indikator": ["a"], "bezirk": ["x", "y"]}, "https://kpi.example"
    ) == ("https://kpi.example/indikator?indikator=a&bezirk=x&bezirk=y")


@settings(max_examples=300, deadline=None)
@given(
    st.dictionaries(
        st.sampled_from(["bezirk", "zeitraum", "masterplan", "indikator", "mp", "district", "x"]),
        st.lists(st.text(max_size=30), max_size=4),
        max_size=5,
    ),
    st.sampled_from(list(PAGES)),
)
def test_parse_never_raises(params, page):
    parsed = parse(params, page, CTX)
    for key, value in parsed.values.items():
        assert key in ("bezirk", "zeitraum", "masterplan", "indikator")
        if key == "zeitraum":
            assert 2018 <= value[0] <= value[1] <= 2025


def test_stand_forms_and_rounding():
    from datetime import UTC, datetime
    from zoneinfo import ZoneInfo

    from dortmund_kpi.share.stand import format_stand, parse_stand

    berlin = ZoneInfo("Europe/Berlin")
    # a date is the end of that day in Berlin; a time is Berlin wall-clock time
    assert parse_stand("2025-03-31") == datetime(2025, 3, 31, 21, 59, 59, 999999, tzinfo=UTC)
    assert parse_stand("31.03.2025") == parse_stand("2025-03-31")
    assert parse_stand("2025-03-31T14:05:00") == datetime(2025, 3, 31, 14, 5, tzinfo=berlin)
    assert parse_stand("2025-03-31T14:05") == datetime(2025, 3, 31, 14, 5, tzinfo=berlin)
    assert parse_stand("2025-01-31T14:05") == datetime(2025, 1, 31, 13, 5, tzinfo=UTC)
    assert parse_stand("gestern") is None
    assert format_stand(parse_stand("2025-03-31")) == "2025-03-31"
    # exact: the version a link was made from is in, an import a moment later is not
    moment = datetime(2025, 3, 31, 14, 5, 0, 1, tzinfo=berlin)
    assert format_stand(moment) == "2025-03-31T14:05:00.000001"
    assert parse_stand("2025-03-31T14:05:00.000001") == moment
    # an instant from the database (UTC) is written as Berlin time
    assert format_stand(datetime(2025, 3, 31, 12, 5, tzinfo=UTC)) == "2025-03-31T14:05:00"


def test_stand_in_the_repeated_hour_carries_its_offset():
    """02:30 happens twice on 25.10.2026: a link names which, and survives the URL."""
    from datetime import UTC, datetime
    from urllib.parse import parse_qs, urlencode

    from dortmund_kpi.share.stand import format_stand, parse_stand

    first = datetime(2026, 10, 25, 0, 30, tzinfo=UTC)  # 02:30 CEST
    second = datetime(2026, 10, 25, 1, 30, tzinfo=UTC)  # 02:30 CET
    assert format_stand(first) == "2026-10-25T02:30:00+02:00"
    assert format_stand(second) == "2026-10-25T02:30:00+01:00"
    for moment in (first, second):
        text = parse_qs(urlencode({"stand": format_stand(moment)}))["stand"][0]
        assert parse_stand(text) == moment
    assert parse_stand("2026-10-25T02:30:00 02:00") == first  # "+" decoded to a space
    assert parse_stand("2026-10-25T02:30:00") == second  # no offset: the second pass
    # the hour skipped in spring: 02:30 is read as 03:30 CEST
    assert parse_stand("2026-03-29T02:30") == datetime(2026, 3, 29, 1, 30, tzinfo=UTC)


def test_stand_in_the_future_or_malformed_gives_a_notice():
    from datetime import datetime

    now = datetime(2026, 1, 1)
    assert parse({"stand": ["2025-06-30"]}, "uebersicht", CTX, now).values["stand"].date() == (
        datetime(2025, 6, 30).date()
    )
    assert "stand" in parse({"stand": ["2026-01-01"]}, "uebersicht", CTX, now).values  # today
    for bad in ("2027-01-01", "2026-01-02T00:00:00", "1999-12-31", "morgen", ""):
        parsed = parse({"stand": [bad]}, "uebersicht", CTX, now)
        assert "stand" not in parsed.values
        assert [n.key for n in parsed.notices] == ["stand"]


def test_presentation_flag():
    assert parse({"praesentation": ["1"]}, "daten", CTX).values == {"praesentation": True}
    assert parse({"praesentation": ["0"]}, "daten", CTX).values == {"praesentation": False}
    assert [n.key for n in parse({"praesentation": ["vielleicht"]}, "daten", CTX).notices] == [
        "praesentation"
    ]
    defaults = {"bezirk": [], "zeitraum": (2018, 2025), "stand": None, "praesentation": False}
    values = {**defaults, "praesentation": True, "indikator": "x"}
    assert serialize(values, "indikator", defaults) == {"praesentation": ["1"], "indikator": ["x"]}


def test_seite_on_the_masterplan_page_only():
    parsed = parse({"seite": ["2"], "masterplan": ["bildung"]}, "masterplan", CTX)
    assert parsed.values == {"seite": 2, "masterplan": "bildung"}
    assert parse({"seite": ["2"]}, "indikator", CTX).values == {}
    assert parse({"page": ["3"]}, "masterplan", CTX).values == {"seite": 3}  # migrated


def test_seite_invalid_values_give_notices():
    for value in ["0", "-1", "abc", "2.5", "100", "", "１"]:
        parsed = parse({"seite": [value]}, "masterplan", CTX)
        assert "seite" not in parsed.values, value
        assert [n.key for n in parsed.notices] == ["seite"], value


def test_seite_written_only_beyond_the_first_group():
    defaults = {"masterplan": "verwaltung", "seite": 1}
    first = serialize({"masterplan": "bildung", "seite": 1}, "masterplan", defaults)
    assert first == {"masterplan": ["bildung"]}
    second = serialize({"masterplan": "bildung", "seite": 2}, "masterplan", defaults)
    assert second == {"masterplan": ["bildung"], "seite": ["2"]}
    assert serialize({"seite": 2}, "uebersicht", defaults) == {}
