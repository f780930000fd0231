"""The URL contract as one declared table (``urlstate.KEYS``): the README says what the
table says, every key round-trips, old names keep working."""

from __future__ import annotations

import re
from datetime import UTC, date, datetime, time
from pathlib import Path
from urllib.parse import parse_qs, urlsplit

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from dortmund_kpi import clock
from dortmund_kpi.catalog import load_catalog
from dortmund_kpi.districts import CITY, DistrictMatcher, load_districts
from dortmund_kpi.settings import get_settings
from dortmund_kpi.share.url_values import MAX_CHART_PAGE, Read, UrlContext
from dortmund_kpi.share.urlstate import (
    CARRIED_KEYS,
    KEY_MIGRATIONS,
    KEYS,
    PAGE_KEYS,
    PAGES,
    RESERVED_KEYS,
    SHARED_KEYS,
    defaults,
    migrate_keys,
    parse,
    serialize,
    view_keys,
)

ROOT = Path(__file__).resolve().parents[2]
SECTION = "## Dashboard: pages and URLs"
DISTRICTS = load_districts(get_settings().districts_path)
CTX = UrlContext(
    masterplans=("verwaltung", "wirtschaft", "bildung"),
    indicators=("online_dienstleistungen", "glasfaser_haushalte"),
    districts=DistrictMatcher(DISTRICTS),
    years=(2018, 2025),
    measures=("v01_serviceportal", "v02_online_termine"),
    trends=("t01_generative_ki", "t04_urbane_datenplattform"),
    peer_groups=("ruhr", "nrw_kreisfrei", "stadtregion"),
)
NOW = datetime(2026, 1, 1, 12, 0)
BY_NAME = {key.name: key for key in KEYS}

# Steps of a presentation's list as the app writes them (share/sequence.py).
STEPS = [
    "/",
    "/indikator?indikator=glasfaser_haushalte",
    "/bezirke?bezirk=hoerde&zeitraum=2019&zeitraum=2024",
    "/masterplan?masterplan=bildung&seite=2",
]
# Valid values per key. A key added to the table needs its line here.
YEARS = st.integers(*CTX.years)
VALID = {
    "bezirk": st.lists(
        st.sampled_from([d.slug for d in DISTRICTS if d.slug != CITY]), unique=True, max_size=4
    ),
    "zeitraum": st.tuples(YEARS, YEARS).map(lambda pair: tuple(sorted(pair))),
    # a view holds instants (UTC): the end of a Berlin day, or any moment up to now
    "stand": st.one_of(
        st.dates(date(2000, 1, 1), NOW.date()).map(
            lambda day: clock.from_wall(datetime.combine(day, time.max))
        ),
        st.datetimes(datetime(2000, 1, 1), NOW, timezones=st.just(UTC)),
    ),
    "praesentation": st.booleans(),
    "massnahme": st.sampled_from(CTX.measures),
    "masterplan": st.sampled_from(CTX.masterplans),
    "seite": st.integers(1, MAX_CHART_PAGE),
    "indikator": st.sampled_from(CTX.indicators),
    "je1000": st.booleans(),
    "sektoren": st.sampled_from(["feld", "masterplan"]),
    "trend": st.sampled_from(CTX.trends),
    "vergleich": st.sampled_from(CTX.peer_groups),
    "folge": st.lists(st.sampled_from(STEPS), max_size=4).map(tuple),
    "schritt": st.integers(1, MAX_CHART_PAGE),
}
# Raw text a link might carry: valid spellings, near misses and junk.
PLAUSIBLE = [
    *(d.name for d in DISTRICTS),
    "Dortmund",
    "HOERDE",
    "2019",
    " 2024 ",
    "2031",
    "1",
    "0",
    "ja",
    "Nein",
    "2",
    "100",
    "Bildung",
    "glasfaser_haushalte",
    "V01_SERVICEPORTAL",
    "2025-03-31",
    "31.03.2025",
    "2025-03-31T14:05",
    "2025-03-31T23:59:59.999999",
    "2025-03-31T14:05:00+01:00",
    "",
]
# One valid, non-default value per key (for the old names).
SAMPLE = {
    "bezirk": ["hoerde", "eving"],
    "zeitraum": (2019, 2024),
    "stand": datetime(2025, 3, 31, 12, 5, tzinfo=UTC),  # 14:05 in Berlin
    "praesentation": True,
    "massnahme": "v01_serviceportal",
    "masterplan": "bildung",
    "seite": 2,
    "indikator": "glasfaser_haushalte",
    "je1000": True,
    "sektoren": "masterplan",
    "trend": "t01_generative_ki",
    "vergleich": "stadtregion",
    "folge": tuple(STEPS[1:3]),
    "schritt": 2,
}
RAW = st.lists(st.one_of(st.sampled_from(PLAUSIBLE), st.text(max_size=20)), max_size=4)


# -- the README section ---------------------------------------------------------
def readme_section() -> str:
    text = (ROOT / "README.md").read_text(encoding="utf-8")
    start = text.index(SECTION)
    end = text.find("\n## ", start + len(SECTION))
    return text[start : end if end >= 0 else len(text)]


def readme_pages() -> dict[str, set[str]]:
    """The table ``| page | path | its own keys |``: path (without ``/``) -> own keys,
    each written as ``key`` = what it holds."""
    lines = readme_section().splitlines()
    header = next(i for i, line in enumerate(lines) if line.startswith("| page | path |"))
    pages: dict[str, set[str]] = {}
    for line in lines[header + 2 :]:
        if not line.startswith("|"):
            break
        _, path, own = (cell.strip() for cell in line.strip().strip("|").split("|"))
        pages[path.strip("`").removeprefix("/")] = set(re.findall(r"`([a-z][a-z_0-9]*)` =", own))
    return pages


def test_readme_pages_and_own_keys_are_the_declared_ones():
    declared = {path: set(PAGE_KEYS.get(page, ())) for page, path in PAGES.items()}
    assert readme_pages() == declared


def test_readme_names_every_shared_key_and_only_declared_keys():
    text = readme_section()
    named = set(re.findall(r"`([a-z][a-z_0-9]*)[`=]", text))
    assert set(SHARED_KEYS) <= named, set(SHARED_KEYS) - named
    # every key=value in the section (examples, links) is a key of the contract
    in_links = set(re.findall(r"[`?&]([a-z][a-z_0-9]*)=", text))
    assert in_links <= set(view_keys()) | set(RESERVED_KEYS), in_links
    # the listed "more shared keys" are shared keys
    bullets = set(re.findall(r"^- `([a-z][a-z_0-9]*)[`=]", text, re.MULTILINE))
    assert bullets and bullets <= set(SHARED_KEYS), bullets


def test_readme_old_names_are_migrated():
    sentence = re.search(r"Old or alternative key names\s+\(([^)]*)\)", readme_section())
    assert sentence, "the README names some old key names"
    old = re.findall(r"`([^`]+)`", sentence.group(1))
    assert old and set(old) <= set(KEY_MIGRATIONS), old


def test_readme_points_at_files_that_exist():
    files = re.findall(r"`([\w/]+\.py)`", readme_section())
    assert files and all((ROOT / f).is_file() for f in files), files


def test_readme_example_link_is_a_valid_view():
    example = re.search(r"Example: `([^`]+)`", readme_section())
    assert example, "the README has an example link"
    parts = urlsplit(example.group(1))
    page = {f"/{path}": name for name, path in PAGES.items()}[parts.path]
    params = parse_qs(parts.query, keep_blank_values=True)
    catalog = load_catalog(get_settings().catalog_path)
    ctx = UrlContext(
        tuple(p.id for p in catalog.masterplans),
        tuple(i.id for i in catalog.indicators),
        CTX.districts,
        (2000, 2030),
    )
    parsed = parse(params, page, ctx, NOW)
    assert parsed.notices == []
    assert serialize(parsed.values, page, defaults(ctx)) == params


# -- the table itself -----------------------------------------------------------
def test_names_are_unique_lowercase_and_not_streamlits():
    names = [key.name for key in KEYS]
    old = [name for key in KEYS for name in key.old_names]
    assert len(set(names + old)) == len(names) + len(old), "a name is declared twice"
    assert all(name == name.lower() for name in names + old), "keys are matched lowercased"
    assert not set(names + old) & set(RESERVED_KEYS)
    assert all(key.shared or set(key.pages) <= set(PAGES) for key in KEYS)


def test_derived_values_keep_every_historic_key():
    """Old links keep working: keys and old names are appended, never removed."""
    assert PAGES == {
        "uebersicht": "",
        "masterplan": "masterplan",
        "indikator": "indikator",
        "bezirke": "bezirke",
        "daten": "daten",
        "trends": "trends",
        "vergleich": "vergleich",
    }
    assert SHARED_KEYS[:5] == ("bezirk", "zeitraum", "stand", "praesentation", "massnahme")
    assert PAGE_KEYS == {
        "masterplan": ("masterplan", "seite"),
        "indikator": ("indikator", "je1000"),
        "bezirke": ("indikator",),
        "trends": ("sektoren", "trend"),
        "vergleich": ("indikator", "vergleich"),
    }
    assert (
        KEY_MIGRATIONS.items()
        >= {
            "asof": "stand",
            "as_of": "stand",
            "praesentationsmodus": "praesentation",
            "presentation": "praesentation",
            "district": "bezirk",
            "bezirke": "bezirk",
            "period": "zeitraum",
            "jahr": "zeitraum",
            "mp": "masterplan",
            "indicator": "indikator",
            "kpi": "indikator",
            "measure": "massnahme",
            "maßnahme": "massnahme",
            "page": "seite",
            "gruppe": "vergleich",
            "peers": "vergleich",
        }.items()
    )
    assert RESERVED_KEYS == ("embed", "embed_options")


def test_defaults_from_the_context():
    assert defaults(CTX) == {
        "bezirk": [],
        "zeitraum": (2018, 2025),
        "stand": None,
        "praesentation": False,
        "massnahme": None,
        "masterplan": "verwaltung",
        "seite": 1,
        "indikator": "online_dienstleistungen",
        "je1000": False,
        "sektoren": "feld",
        "trend": None,
        "vergleich": "ruhr",
        "folge": (),
        "schritt": None,
    }
    empty = UrlContext((), (), CTX.districts, (2020, 2021))
    assert defaults(empty)["masterplan"] is None and defaults(empty)["indikator"] is None
    assert defaults(CTX)["bezirk"] is not defaults(CTX)["bezirk"], "a fresh list each time"


def test_default_choices_are_the_first_of_the_catalog():
    catalog = load_catalog(get_settings().catalog_path)
    ctx = UrlContext(
        tuple(p.id for p in catalog.masterplans),
        tuple(i.id for i in catalog.indicators),
        CTX.districts,
        (2018, 2025),
    )
    assert defaults(ctx)["masterplan"] == "verwaltung"  # what ui and deck wrote by hand
    assert defaults(ctx)["indikator"] == catalog.indicators[0].id


def test_view_keys_and_carried_keys():
    assert view_keys("masterplan") == (*SHARED_KEYS, "masterplan", "seite")
    assert view_keys("indikator") == (*SHARED_KEYS, "indikator", "je1000")
    assert view_keys("daten") == SHARED_KEYS
    assert view_keys("trends") == (*SHARED_KEYS, "sektoren", "trend")
    assert view_keys("vergleich") == (*SHARED_KEYS, "indikator", "vergleich")
    own = {"masterplan", "indikator", "je1000", "seite", "sektoren", "trend", "vergleich"}
    assert set(view_keys()) == set(SHARED_KEYS) | own
    assert set(view_keys()) - set(CARRIED_KEYS) == {"massnahme", "seite", "trend"}


# -- round trips ----------------------------------------------------------------
def test_every_key_has_valid_sample_values():
    assert set(VALID) == set(SAMPLE) == set(view_keys())


@pytest.mark.parametrize("name", list(BY_NAME))
@settings(max_examples=60, deadline=None)
@given(data=st.data())
def test_write_then_read_gives_the_value(name, data):
    key = BY_NAME[name]
    value = data.draw(VALID[name])
    written = key.write(value)
    if written:
        assert key.read(written, CTX, NOW) == Read(value)
    else:
        assert value == key.default(CTX), "only the default is written as nothing"


@pytest.mark.parametrize("name", list(BY_NAME))
@settings(max_examples=60, deadline=None)
@given(raw=RAW)
def test_what_is_read_is_written_back_unchanged(name, raw):
    key = BY_NAME[name]
    value = key.read(raw, CTX, NOW).value
    if value is None:
        return
    written = key.write(value)
    if written:
        assert key.read(written, CTX, NOW) == Read(value)
    else:
        assert value == key.default(CTX)


@settings(max_examples=150, deadline=None)
@given(st.sampled_from(list(PAGES)), st.fixed_dictionaries(VALID))
def test_a_view_survives_its_url(page, values):
    view = {k: values[k] for k in view_keys(page)}
    query = serialize(view, page, defaults(CTX))
    assert set(query) <= set(view_keys(page))
    parsed = parse(query, page, CTX, NOW)
    assert parsed.notices == []
    assert {k: defaults(CTX)[k] for k in view_keys(page)} | parsed.values == view


@pytest.mark.parametrize("old", list(KEY_MIGRATIONS))
def test_old_names_migrate(old):
    new = KEY_MIGRATIONS[old]
    assert migrate_keys({old: ["a"]}) == {new: ["a"]}
    assert migrate_keys({old.upper(): ["a"]}) == {new: ["a"]}
    # the current key wins over its old spelling, in either order
    assert migrate_keys({old: ["a"], new: ["b"]}) == {new: ["b"]}
    assert migrate_keys({new: ["b"], old: ["a"]}) == {new: ["b"]}
    page = next(p for p in PAGES if BY_NAME[new].on(p))
    raw = BY_NAME[new].write(SAMPLE[new])
    via_old = parse({old: raw}, page, CTX, NOW)
    assert via_old == parse({new: raw}, page, CTX, NOW)
    assert via_old.values == {new: SAMPLE[new]} and via_old.notices == []
