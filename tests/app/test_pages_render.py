"""Every page renders: default views, deep links combining all keys, every indicator and
district, and the German empty notices where a selection has no data."""

from __future__ import annotations

import gc

import pytest

from dortmund_kpi import texts
from dortmund_kpi.views import small_svg

from .conftest import (
    assert_ok,
    captions,
    data_table,
    drawings,
    figures,
    go_to,
    infos,
    open_page,
    qp,
    text_tables,
    title,
    warnings,
)

PAGE_TITLES = {
    "uebersicht": texts.PAGE_TITLES["uebersicht"],
    "daten": texts.PAGE_TITLES["daten"],
}

DEEP_LINKS = [
    ("uebersicht", {}),
    ("masterplan", {}),
    ("indikator", {}),
    ("bezirke", {}),
    ("daten", {}),
    ("uebersicht", {"bezirk": ["hoerde", "eving"], "zeitraum": ["2019", "2022"]}),
    (
        "masterplan",
        {
            "masterplan": "wirtschaft",
            "bezirk": ["Hörde", "innenstadt-nord"],
            "zeitraum": ["2020", "2024"],
        },
    ),
    ("masterplan", {"masterplan": "bildung", "zeitraum": "2025"}),
    (
        "indikator",
        {"indikator": "wlan_hotspots", "bezirk": ["mengede"], "zeitraum": ["2018", "2021"]},
    ),
    ("indikator", {"indikator": "smart_city_rang", "bezirk": "eving"}),
    ("indikator", {"indikator": "anteil_online_antraege", "zeitraum": ["2023", "2023"]}),
    (
        "indikator",
        {"indikator": "schul_endgeraete", "bezirk": ["HOERDE", "Brackel"], "zeitraum": "2024"},
    ),
    ("bezirke", {"bezirk": ["luetgendortmund", "hoerde"], "zeitraum": ["2018", "2019"]}),
    ("daten", {"bezirk": "aplerbeck", "zeitraum": ["2020", "2021"]}),
]


@pytest.mark.parametrize(
    ("page", "params"), DEEP_LINKS, ids=[f"{p}-{'&'.join(q) or 'default'}" for p, q in DEEP_LINKS]
)
def test_page_renders_without_exception(page: str, params: dict) -> None:
    at = open_page(page, params)
    assert_ok(at)
    assert warnings(at) == []
    assert len(at.title) == 1
    if page in PAGE_TITLES:
        assert at.title[0].value == PAGE_TITLES[page]
    if page == "masterplan":
        assert at.title[0].value.startswith("Masterplan ")
        assert figures(at), "the masterplan page shows its charts"
    if page == "indikator":
        assert "series" in figures(at)
    if page == "bezirke":
        assert at.title[0].value.startswith("Profil des Stadtbezirks ")
        assert len(text_tables(at)) >= 1


@pytest.mark.parametrize(
    ("page", "shown"),
    [
        ("uebersicht", False),
        ("indikator", False),
        ("daten", True),
        ("trends", True),
        ("vergleich", True),
    ],
)
def test_sidebar_says_where_the_shared_filters_do_not_apply(page: str, shown: bool) -> None:
    """Vergleich ranks the latest year with peer values whatever the slider says: the
    sidebar says the filters do nothing there (they stay set for the other pages)."""
    at = open_page(page, {"bezirk": ["hoerde"], "zeitraum": ["2018", "2020"]})
    assert_ok(at)
    assert (texts.FILTER_NOT_HERE in [c.value for c in at.sidebar.caption]) is shown
    assert list(at.session_state["zeitraum"]) == [2018, 2020]  # kept for the other pages


def test_every_indicator_page_renders(fixture_con) -> None:
    """Switch through the whole catalog with the indicator selectbox (one session)."""
    catalog = fixture_con.execute(
        "SELECT id, name, level FROM indicators ORDER BY sort_order"
    ).fetchall()
    at = open_page("indikator", {"bezirk": "hoerde"})
    assert_ok(at)
    for indicator_id, name, level in catalog:
        at.selectbox(key="indikator").set_value(indicator_id).run()
        assert_ok(at)
        assert at.title[0].value == name, indicator_id
        charts = figures(at)
        assert title(charts["series"]).startswith(name), indicator_id  # long titles wrap
        assert qp(at, "indikator") == [indicator_id]
        assert qp(at, "bezirk") == ["hoerde"]
        if level == "district":
            assert {"map", "ranking"} <= set(charts), indicator_id
        else:
            assert not {"map", "ranking"} & set(charts), indicator_id
            assert texts.EMPTY_DISTRICTS in captions(at)


def test_every_district_profile_renders(fixture_con) -> None:
    districts = fixture_con.execute(
        "SELECT slug, name FROM districts ORDER BY sort_order"
    ).fetchall()
    at = open_page("bezirke")
    assert_ok(at)
    assert at.title[0].value == texts.PROFILE_TITLE.format(name=districts[0][1])
    assert qp(at, "bezirk") == [], "the default profile is not a filter"
    for slug, name in [*districts[1:], districts[0]]:
        at.selectbox(key="_profile_district").set_value(slug).run()
        assert_ok(at)
        assert at.title[0].value == texts.PROFILE_TITLE.format(name=name)
        assert at.session_state["bezirk"] == [slug]
        assert qp(at, "bezirk") == [slug]


def test_navigating_through_all_pages_keeps_working() -> None:
    at = open_page("uebersicht", {"bezirk": "hoerde", "zeitraum": ["2020", "2024"]})
    for page in ("masterplan", "indikator", "bezirke", "daten", "uebersicht"):
        go_to(at, page)
        assert_ok(at)
        assert warnings(at) == []
        assert qp(at, "bezirk") == ["hoerde"]
        assert qp(at, "zeitraum") == ["2020", "2024"]


# -- empty states (official-only database: no demo series) ---------------------------------
def test_indicator_without_values_shows_empty_notice(official_db) -> None:
    at = open_page("indikator", {"indikator": "anteil_eakte", "bezirk": "hoerde"})
    assert_ok(at)
    assert texts.EMPTY in infos(at)
    assert figures(at) == {}
    assert data_table(at).empty


def test_district_indicator_without_district_values_has_no_map(official_db) -> None:
    at = open_page("indikator", {"indikator": "glasfaser_haushalte", "bezirk": "hoerde"})
    assert_ok(at)
    charts = figures(at)
    assert set(charts) == {"series"}, "city values exist, district values do not"
    assert texts.EMPTY_DISTRICTS in captions(at)


def test_masterplan_period_without_values_shows_empty_notice(official_db) -> None:
    at = open_page("masterplan", {"masterplan": "bildung", "zeitraum": ["2019", "2020"]})
    assert_ok(at)
    assert warnings(at) == []
    assert texts.EMPTY in infos(at)
    assert figures(at) == {}


def test_district_profile_without_district_values_shows_empty_notice(official_db) -> None:
    at = open_page("bezirke", {"bezirk": "hoerde"})
    assert_ok(at)
    assert texts.EMPTY in infos(at)
    assert len(at.dataframe) == 0 and text_tables(at) == []


def test_masterplan_small_multiples_sized_for_the_projector_when_presenting() -> None:
    """Presentation mode draws each small multiple narrower (its text larger on the
    projector), on every run the same drawing; otherwise the page data's own SVG."""

    def widths(at) -> list[str]:
        svgs = [d for d in drawings(at) if "dkpi-small-multiple" in d]
        assert svgs, "the page shows small multiples"
        return [s.split('viewBox="0 0 ', 1)[1].split(" ", 1)[0] for s in svgs]

    normal = widths(open_page("masterplan", {}))
    presenting = open_page("masterplan", {"praesentation": "1"})
    assert_ok(presenting)
    assert set(widths(presenting)) == {str(small_svg.PROJECTOR_WIDTH)}
    assert str(small_svg.PROJECTOR_WIDTH) not in set(normal)
    first = [d for d in drawings(presenting) if "dkpi-small-multiple" in d]
    assert first == [d for d in drawings(presenting.run()) if "dkpi-small-multiple" in d]


def test_start_up_objects_frozen_once_per_process() -> None:
    """The first page run freezes what the process holds then (modules, classes), so a
    full garbage collection no longer scans it; later runs freeze nothing more (their
    objects would never be collected)."""
    open_page("uebersicht", {})
    frozen = gc.get_freeze_count()
    assert frozen > 50_000  # Streamlit, pandas, plotly and ours
    open_page("masterplan", {})  # its page data alone are some 10,000 objects
    assert gc.get_freeze_count() < frozen + 2_000  # (frozen objects may still die)
