"""A presentation's list of views in a link (``folge``): which links are steps, how they
are written, and the link of a step (its view plus the presentation and its place)."""

from __future__ import annotations

from dortmund_kpi.districts import DistrictMatcher, load_districts
from dortmund_kpi.settings import get_settings
from dortmund_kpi.share import sequence
from dortmund_kpi.share.url_values import UrlContext
from dortmund_kpi.share.urlstate import PAGES, Notice, parse

PATHS = tuple(PAGES.values())
CTX = UrlContext(
    masterplans=("verwaltung", "bildung"),
    indicators=("glasfaser_haushalte",),
    districts=DistrictMatcher(load_districts(get_settings().districts_path)),
    years=(2018, 2025),
)


def test_share_links_become_steps_and_other_links_are_refused() -> None:
    absolute = "https://kpi.dortmund.de/dashboard/indikator?indikator=glasfaser_haushalte"
    assert sequence.item(absolute, PATHS) == "/indikator?indikator=glasfaser_haushalte"
    assert sequence.item(" /bezirke/?bezirk=hoerde ", PATHS) == "/bezirke?bezirk=hoerde"
    assert sequence.item("/uebersicht", PATHS) == sequence.item("/", PATHS) == "/"
    # The presentation's own keys are not part of a step (no list inside a list).
    nested = "/daten?praesentation=1&folge=%2F&schritt=3&stand=2025-03-31"
    assert sequence.item(nested, PATHS) == "/daten?stand=2025-03-31"
    for bad in (
        "javascript:alert(1)",
        "//evil.example/indikator",
        "/admin",
        "indikator?x=1",  # relative to what: a step starts at the app's root
        "ftp://kpi.example/indikator",
        "/" + "x" * sequence.MAX_ITEM_CHARS,
        "",
    ):
        assert sequence.item(bad, PATHS) is None, bad


def test_parse_keeps_the_steps_in_order_and_names_what_it_dropped() -> None:
    raw = {"folge": ["/indikator", "/elsewhere", "/", "/indikator"], "schritt": ["2"]}
    parsed = parse(raw, "daten", CTX)
    assert parsed.values["folge"] == ("/indikator", "/", "/indikator")
    assert parsed.values["schritt"] == 2
    assert parsed.notices == [Notice("folge", "/elsewhere")]


def test_a_steps_link_is_its_view_with_the_presentation_and_its_place() -> None:
    steps = ("/bezirke?bezirk=hoerde&zeitraum=2019&zeitraum=2024", "/")
    page, params = sequence.step_params(steps, 1, PAGES)
    assert page == "bezirke"
    assert params == {
        "bezirk": ["hoerde"],
        "zeitraum": ["2019", "2024"],
        "praesentation": ["1"],
        "folge": list(steps),
        "schritt": ["1"],
    }
    assert sequence.step_params(steps, 2, PAGES)[0] == "uebersicht"
