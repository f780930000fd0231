"""Round trip of every URL key: link -> widget value -> filtered content -> URL written back.

Shared keys (``bezirk``, ``zeitraum``) are written only when they differ from the default;
a page's own key (``masterplan``, ``indikator``) is always written on its page. German
district names and old key spellings (``KEY_MIGRATIONS``) become the current form.
"""

from __future__ import annotations

import pytest

from dortmund_kpi import texts

from .conftest import (
    assert_ok,
    data_table,
    data_traces,
    figures,
    go_to,
    open_page,
    qp,
    qp_all,
    tiles,
    title,
    trace_years,
    warnings,
)


def _catalog(con) -> dict[str, dict]:
    rows = con.execute(
        "SELECT id, masterplan, name, unit, level FROM indicators ORDER BY sort_order"
    ).fetchall()
    return {r[0]: {"masterplan": r[1], "name": r[2], "unit": r[3], "level": r[4]} for r in rows}


def _district_names(con) -> dict[str, str]:
    return dict(con.execute("SELECT slug, name FROM districts").fetchall())


# -- bezirk ---------------------------------------------------------------------------------
def test_bezirk_round_trip_on_masterplan_page(fixture_con) -> None:
    """Every chart of the plan: district lines for the selected districts (city-only
    indicators keep the city line only)."""
    catalog = _catalog(fixture_con)
    names = _district_names(fixture_con)
    slugs = ["innenstadt-nord", "hoerde"]
    at = open_page(
        "masterplan", {"bezirk": ["Innenstadt-Nord", "hoerde"], "masterplan": "verwaltung"}
    )
    assert_ok(at)
    assert warnings(at) == []
    assert at.sidebar.multiselect[0].value == slugs
    assert at.session_state["bezirk"] == slugs

    expected_district = {texts.CITY, *(names[s] for s in slugs)}
    charts = figures(at)
    assert charts
    for key, fig in charts.items():
        indicator_id = key.removeprefix("mp_")
        shown = {t["name"] for t in data_traces(fig)}
        if catalog[indicator_id]["level"] == "district":
            assert shown == expected_district, indicator_id
        else:
            assert shown == {texts.CITY}, indicator_id
    assert qp_all(at) == {"bezirk": slugs, "masterplan": ["verwaltung"]}


BEZIRK_LINKS = [
    ("umlaut-name", {"bezirk": "Hörde"}, ["hoerde"]),
    ("upper-transliterated", {"bezirk": "HOERDE"}, ["hoerde"]),
    ("with-prefix", {"bezirk": "Stadtbezirk Lütgendortmund"}, ["luetgendortmund"]),
    ("duplicates-collapse", {"bezirk": ["eving", "Eving", "EVING"]}, ["eving"]),
    ("key-case", {"Bezirk": "eving"}, ["eving"]),
    ("old-key-district", {"district": "hoerde"}, ["hoerde"]),
    ("old-key-bezirke", {"bezirke": ["Aplerbeck", "Mengede"]}, ["aplerbeck", "mengede"]),
]


@pytest.mark.parametrize(
    ("params", "slugs"), [c[1:] for c in BEZIRK_LINKS], ids=[c[0] for c in BEZIRK_LINKS]
)
def test_bezirk_link_forms(fixture_con, params: dict, slugs: list) -> None:
    names = _district_names(fixture_con)
    at = open_page("indikator", {**params, "indikator": "schulen_wlan"})
    assert_ok(at)
    assert warnings(at) == []
    assert at.sidebar.multiselect[0].value == slugs
    shown = {t["name"] for t in data_traces(figures(at)["series"])}
    assert shown == {texts.CITY, *(names[s] for s in slugs)}
    assert qp_all(at) == {"bezirk": slugs, "indikator": ["schulen_wlan"]}


def test_bezirk_round_trip_on_indicator_page(fixture_con) -> None:
    at = open_page(
        "indikator", {"bezirk": ["Lütgendortmund", "brackel"], "indikator": "mobilfunk_5g"}
    )
    assert_ok(at)
    fig = figures(at)["series"]
    assert [t["name"] for t in data_traces(fig)] == [texts.CITY, "Brackel", "Lütgendortmund"]
    assert qp(at, "bezirk") == ["luetgendortmund", "brackel"]


def test_current_key_wins_over_its_old_spelling() -> None:
    at = open_page("indikator", {"district": "hoerde", "bezirk": "eving"})
    assert_ok(at)
    assert at.session_state["bezirk"] == ["eving"]
    assert qp_all(at) == {"bezirk": ["eving"], "indikator": ["online_dienstleistungen"]}


def test_choosing_districts_in_the_sidebar_writes_the_url(fixture_con) -> None:
    at = open_page("indikator", {"indikator": "schulen_wlan"})
    assert qp(at, "bezirk") == []
    at.sidebar.multiselect[0].select("hoerde").run()
    assert_ok(at)
    assert qp(at, "bezirk") == ["hoerde"]
    assert {t["name"] for t in data_traces(figures(at)["series"])} == {texts.CITY, "Hörde"}
    at.sidebar.multiselect[0].select("innenstadt-nord").run()
    assert qp(at, "bezirk") == ["hoerde", "innenstadt-nord"]
    at.sidebar.multiselect[0].set_value([]).run()
    assert_ok(at)
    assert qp_all(at) == {"indikator": ["schulen_wlan"]}, "the default (no district) is omitted"
    assert [t["name"] for t in data_traces(figures(at)["series"])] == [texts.CITY]


# -- zeitraum ---------------------------------------------------------------------------------
ZEITRAUM_LINKS = [
    ("two-years", {"zeitraum": ["2020", "2023"]}, (2020, 2023)),
    ("reversed", {"zeitraum": ["2023", "2020"]}, (2020, 2023)),
    ("one-year", {"zeitraum": "2021"}, (2021, 2021)),
    ("spaces", {"zeitraum": [" 2019", "2022 "]}, (2019, 2022)),
    ("old-key-period", {"period": ["2019", "2024"]}, (2019, 2024)),
    ("old-key-jahr", {"jahr": ["2022", "2025"]}, (2022, 2025)),
]


@pytest.mark.parametrize(
    ("params", "years"), [c[1:] for c in ZEITRAUM_LINKS], ids=[c[0] for c in ZEITRAUM_LINKS]
)
def test_zeitraum_round_trip_on_indicator_page(params: dict, years: tuple) -> None:
    at = open_page("indikator", {**params, "indikator": "glasfaser_haushalte", "bezirk": "hoerde"})
    assert_ok(at)
    assert warnings(at) == []
    assert at.sidebar.slider[0].value == years
    fig = figures(at)["series"]
    traces = data_traces(fig)
    assert [t["name"] for t in traces] == [texts.CITY, "Hörde"]
    allowed = set(range(years[0], years[1] + 1))
    for trace in traces:
        assert trace_years(trace) and trace_years(trace) <= allowed, trace["name"]
    table = data_table(at)
    assert {int(p[-4:]) for p in table["Zeitraum"]} <= allowed
    assert str(years[1]) in title(figures(at)["map"])  # latest period within the years
    assert qp_all(at) == {
        "bezirk": ["hoerde"],
        "zeitraum": [str(years[0]), str(years[1])],
        "indikator": ["glasfaser_haushalte"],
    }


def test_full_range_is_the_default_and_omitted() -> None:
    at = open_page("masterplan", {"zeitraum": ["2018", "2025"], "masterplan": "bildung"})
    assert_ok(at)
    assert at.sidebar.slider[0].value == (2018, 2025)
    assert qp_all(at) == {"masterplan": ["bildung"]}
    years = set().union(*(trace_years(t) for f in figures(at).values() for t in data_traces(f)))
    assert years == set(range(2018, 2026))


def test_moving_the_slider_writes_the_url_and_filters() -> None:
    at = open_page("indikator", {"indikator": "mobilfunk_5g", "bezirk": "eving"})
    at.sidebar.slider[0].set_range(2019, 2021).run()
    assert_ok(at)
    assert qp_all(at) == {
        "bezirk": ["eving"],
        "zeitraum": ["2019", "2021"],
        "indikator": ["mobilfunk_5g"],
    }
    for trace in data_traces(figures(at)["series"]):
        assert trace_years(trace) == {2019, 2020, 2021}, trace["name"]
    at.sidebar.slider[0].set_range(2018, 2025).run()
    assert qp_all(at) == {"bezirk": ["eving"], "indikator": ["mobilfunk_5g"]}


# -- masterplan -------------------------------------------------------------------------------
MASTERPLAN_LINKS = [
    ("verwaltung", {"masterplan": "verwaltung"}, "verwaltung"),
    ("wirtschaft-capitalised", {"masterplan": "Wirtschaft"}, "wirtschaft"),
    ("bildung-old-key-mp", {"mp": "bildung"}, "bildung"),
]


@pytest.mark.parametrize(
    ("params", "plan"), [c[1:] for c in MASTERPLAN_LINKS], ids=[c[0] for c in MASTERPLAN_LINKS]
)
def test_masterplan_round_trip(fixture_con, params: dict, plan: str) -> None:
    catalog = _catalog(fixture_con)
    at = open_page("masterplan", params)
    assert_ok(at)
    assert warnings(at) == []
    assert at.selectbox(key="masterplan").value == plan
    assert at.title[0].value == f"Masterplan {plan.capitalize()}"
    own = {i for i, meta in catalog.items() if meta["masterplan"] == plan}
    charts = figures(at)
    assert {k.removeprefix("mp_") for k in charts} == own, "one chart per indicator of the plan"
    for key, fig in charts.items():
        meta = catalog[key.removeprefix("mp_")]
        assert title(fig) == f"{meta['name']} ({meta['unit']})"
    assert qp_all(at) == {"masterplan": [plan]}


def test_masterplan_page_always_writes_its_key() -> None:
    at = open_page("masterplan")
    assert_ok(at)
    assert at.selectbox(key="masterplan").value == "verwaltung"
    assert qp_all(at) == {"masterplan": ["verwaltung"]}
    at.selectbox(key="masterplan").select("bildung").run()
    assert_ok(at)
    assert at.title[0].value == "Masterplan Bildung"
    assert qp_all(at) == {"masterplan": ["bildung"]}


# -- indikator --------------------------------------------------------------------------------
INDIKATOR_LINKS = [
    ("id", {"indikator": "glasfaser_haushalte"}, "glasfaser_haushalte"),
    ("city-level", {"indikator": "smart_city_punkte"}, "smart_city_punkte"),
    ("upper-case", {"indikator": "WLAN_Hotspots"}, "wlan_hotspots"),
    ("old-key-indicator", {"indicator": "schulen_wlan"}, "schulen_wlan"),
    ("old-key-kpi", {"kpi": "ikt_unternehmen"}, "ikt_unternehmen"),
]


@pytest.mark.parametrize(
    ("params", "indicator_id"),
    [c[1:] for c in INDIKATOR_LINKS],
    ids=[c[0] for c in INDIKATOR_LINKS],
)
def test_indikator_round_trip(fixture_con, params: dict, indicator_id: str) -> None:
    meta = _catalog(fixture_con)[indicator_id]
    at = open_page("indikator", {**params, "zeitraum": ["2020", "2024"]})
    assert_ok(at)
    assert warnings(at) == []
    assert at.selectbox(key="indikator").value == indicator_id
    assert at.title[0].value == meta["name"]
    charts = figures(at)
    assert title(charts["series"]) == f"{meta['name']} ({meta['unit']})"
    assert ("map" in charts) == (meta["level"] == "district")
    assert qp_all(at) == {"zeitraum": ["2020", "2024"], "indikator": [indicator_id]}


def test_indicator_page_always_writes_its_key() -> None:
    at = open_page("indikator")
    assert_ok(at)
    assert qp_all(at) == {"indikator": ["online_dienstleistungen"]}
    at.selectbox(key="indikator").select("mobilfunk_5g").run()
    assert_ok(at)
    assert qp_all(at) == {"indikator": ["mobilfunk_5g"]}


# -- across pages -----------------------------------------------------------------------------
def test_shared_keys_follow_the_user_and_page_keys_stay_on_their_page() -> None:
    at = open_page("masterplan", {"masterplan": "bildung", "bezirk": "Hörde", "zeitraum": "2022"})
    assert qp_all(at) == {
        "bezirk": ["hoerde"],
        "zeitraum": ["2022", "2022"],
        "masterplan": ["bildung"],
    }
    go_to(at, "indikator")
    assert_ok(at)
    assert qp_all(at) == {
        "bezirk": ["hoerde"],
        "zeitraum": ["2022", "2022"],
        "indikator": ["online_dienstleistungen"],
    }
    go_to(at, "uebersicht")
    assert qp_all(at) == {"bezirk": ["hoerde"], "zeitraum": ["2022", "2022"]}
    go_to(at, "masterplan")
    assert_ok(at)
    assert qp(at, "bezirk") == ["hoerde"]
    assert qp(at, "zeitraum") == ["2022", "2022"]
    assert qp(at, "masterplan") == [at.selectbox(key="masterplan").value]


def test_new_link_in_the_same_session_replaces_the_view() -> None:
    at = open_page("indikator", {"indikator": "schulen_wlan", "bezirk": "eving"})
    at.query_params.clear()
    at.query_params.update({"indikator": "mobilfunk_5g", "bezirk": "mengede"})
    at.run()
    assert_ok(at)
    assert at.selectbox(key="indikator").value == "mobilfunk_5g"
    assert at.session_state["bezirk"] == ["mengede"]
    assert qp_all(at) == {"bezirk": ["mengede"], "indikator": ["mobilfunk_5g"]}


def test_embed_parameters_pass_through() -> None:
    at = open_page("indikator", {"indikator": "schulen_wlan", "bezirk": "eving", "embed": "true"})
    assert_ok(at)
    assert qp_all(at) == {"bezirk": ["eving"], "indikator": ["schulen_wlan"], "embed": ["true"]}


def test_overview_links_carry_the_view(fixture_con) -> None:
    """Tile links point to the indicator (AppTest cannot click a link, so check their
    targets: the tiles' are HTML, ``tests/e2e/test_links.py`` clicks one); the matrix names
    every district under every masterplan."""
    at = open_page("uebersicht")
    links = [(el.proto.page, el.proto.query_string) for el in at.get("page_link")]
    links += [tuple(t["href"].split("?", 1)) for t in tiles(at)]
    ids = {r[0] for r in fixture_con.execute("SELECT id FROM indicators").fetchall()}
    to_indicator = {q.removeprefix("indikator=") for p, q in links if p == "indikator"}
    assert to_indicator == ids
    names = _district_names(fixture_con)
    table = at.dataframe(key="matrix").value
    assert list(table.columns) == [texts.MATRIX_DISTRICT, "Verwaltung", "Wirtschaft", "Bildung"]
    assert sorted(table[texts.MATRIX_DISTRICT]) == sorted(names.values())


@pytest.mark.parametrize(
    ("row", "column", "plan"),
    [(0, "Verwaltung", "verwaltung"), (5, "Wirtschaft", "wirtschaft"), (11, "Bildung", "bildung")],
)
def test_matrix_cell_opens_the_filtered_masterplan(fixture_con, row, column, plan) -> None:
    """A click on a matrix cell (its selection) opens the masterplan page of that column,
    filtered to that row's district, and the URL says so."""
    rows = fixture_con.execute("SELECT slug FROM districts ORDER BY sort_order").fetchall()
    slugs = [r[0] for r in rows]
    at = open_page("uebersicht")
    at.session_state["matrix"] = {
        "selection": {"rows": [], "columns": [], "cells": [(row, column)]}
    }
    at.run()
    assert_ok(at)
    assert at.title[0].value == f"Masterplan {column}"
    assert at.session_state["bezirk"] == [slugs[row]]
    assert qp_all(at) == {"masterplan": [plan], "bezirk": [slugs[row]]}


def test_matrix_district_column_is_no_link() -> None:
    at = open_page("uebersicht")
    at.session_state["matrix"] = {
        "selection": {"rows": [], "columns": [], "cells": [(0, texts.MATRIX_DISTRICT)]}
    }
    at.run()
    assert_ok(at)
    assert at.title[0].value == texts.PAGE_TITLES["uebersicht"]
