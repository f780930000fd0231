"""Views built for many indicators: the masterplan page shows its charts in groups (URL key
``seite``), the overview at most a number of tiles per masterplan, those needing
attention first. The fixture catalog is small, so the limits are lowered here; the code
paths are the ones a city with a hundred indicators gets."""

from __future__ import annotations

from collections.abc import Iterator

import pytest

from dortmund_kpi import texts
from dortmund_kpi.db import read
from dortmund_kpi.ui import data as ui_data
from dortmund_kpi.views import masterplan
from dortmund_kpi.views import overview as views

from .conftest import assert_ok, figures, go_to, open_page, qp_all, tiles, warnings


@pytest.fixture
def groups_of_five(monkeypatch: pytest.MonkeyPatch) -> Iterator[None]:
    monkeypatch.setattr(masterplan, "CHARTS_PER_VIEW", 5)
    ui_data.clear()  # the masterplan page's data are cached per view, not per group size
    yield
    ui_data.clear()


def _plan_ids(con, plan: str) -> list[str]:
    rows = con.execute(
        "SELECT id FROM indicators WHERE masterplan = ? ORDER BY sort_order", [plan]
    ).fetchall()
    return [r[0] for r in rows]


def _shown(at) -> list[str]:
    return [key.removeprefix("mp_") for key in figures(at)]


def _group_control(at):
    return at.get("button_group")[0]


def test_charts_in_groups_with_a_choice(fixture_con, groups_of_five) -> None:
    ids = _plan_ids(fixture_con, "verwaltung")
    assert len(ids) > 10, "the fixture catalog needs three groups for this test"
    at = open_page("masterplan", {"masterplan": "verwaltung"})
    assert_ok(at)
    with_data = set(_shown(at))
    assert with_data and with_data <= set(ids[:5])
    control = _group_control(at)
    labels = [option.content for option in control.proto.options]
    last = len(ids)
    assert labels == ["1–5", "6–10", f"11–{last}"]
    assert "seite" not in qp_all(at)

    control.set_value(2).run()
    assert_ok(at)
    assert set(_shown(at)) <= set(ids[5:10]) and _shown(at)
    assert qp_all(at) == {"masterplan": ["verwaltung"], "seite": ["2"]}


def test_seite_link_opens_that_group(fixture_con, groups_of_five) -> None:
    ids = _plan_ids(fixture_con, "verwaltung")
    at = open_page("masterplan", {"masterplan": "verwaltung", "seite": "3"})
    assert_ok(at)
    assert warnings(at) == []
    assert set(_shown(at)) <= set(ids[10:]) and _shown(at)
    assert qp_all(at)["seite"] == ["3"]


def test_seite_beyond_the_last_group_shows_the_last(fixture_con, groups_of_five) -> None:
    ids = _plan_ids(fixture_con, "verwaltung")
    at = open_page("masterplan", {"masterplan": "verwaltung", "seite": "9"})
    assert_ok(at)
    assert set(_shown(at)) <= set(ids[10:]) and _shown(at)
    assert qp_all(at)["seite"] == ["3"]


@pytest.mark.parametrize("value", ["abc", "0", "-1", "2.5", "１"])
def test_invalid_seite_is_named_and_the_first_group_shown(fixture_con, groups_of_five, value):
    ids = _plan_ids(fixture_con, "verwaltung")
    at = open_page("masterplan", {"masterplan": "verwaltung", "seite": value})
    assert_ok(at)
    assert any("seite" in w for w in warnings(at))
    assert set(_shown(at)) <= set(ids[:5])
    assert "seite" not in qp_all(at)


def test_other_masterplan_or_page_starts_at_the_first_group(fixture_con, groups_of_five) -> None:
    at = open_page("masterplan", {"masterplan": "verwaltung", "seite": "2"})
    at.selectbox(key="masterplan").set_value("bildung").run()
    assert_ok(at)
    assert set(_shown(at)) <= set(_plan_ids(fixture_con, "bildung")[:5])
    assert "seite" not in qp_all(at)

    at = open_page("masterplan", {"masterplan": "verwaltung", "seite": "2"})
    go_to(at, "uebersicht")
    assert "seite" not in qp_all(at)
    go_to(at, "masterplan")
    assert "seite" not in qp_all(at)


def test_a_plan_that_fits_has_no_group_choice() -> None:
    at = open_page("masterplan", {"masterplan": "bildung"})
    assert_ok(at)
    assert len(at.get("button_group")) == 0
    assert "seite" not in qp_all(at)


# -- overview tiles -------------------------------------------------------------------
def _expected_tiles(con) -> list[views.Tile]:
    years = read.data_range(con)
    return views.tiles(
        read.series_stats(con, *years), read.indicator_list(con), read.sparklines(con, *years)
    )


def test_overview_caps_tiles_and_shows_attention_first(fixture_con, monkeypatch) -> None:
    monkeypatch.setattr(views, "TILES_PER_PLAN", 4)
    catalog_tiles = _expected_tiles(fixture_con)
    at = open_page("uebersicht")
    assert_ok(at)
    shown = [t["label"] for t in tiles(at)]
    expected = []
    for plan in ("verwaltung", "wirtschaft", "bildung"):
        own = [t for t in catalog_tiles if t.masterplan == plan]
        chosen = views.overview_selection(own, 4)
        assert len(chosen) == min(4, len(own))
        expected += [f"**{t.title}**" for t in chosen]
    assert shown == expected
    caps = [c.value for c in at.caption if c.value.startswith("4 von ")]
    assert len(caps) == sum(
        1
        for plan in ("verwaltung", "wirtschaft", "bildung")
        if len([t for t in catalog_tiles if t.masterplan == plan]) > 4
    )


def test_overview_shows_every_tile_in_catalog_order_when_they_fit(fixture_con) -> None:
    catalog_tiles = _expected_tiles(fixture_con)
    at = open_page("uebersicht")
    assert [t["label"] for t in tiles(at)] == [
        f"**{t.title}**"
        for plan in ("verwaltung", "wirtschaft", "bildung")
        for t in catalog_tiles
        if t.masterplan == plan
    ]
    assert not [c for c in at.caption if texts.TILES_SHOWN.split("}")[-1] in c.value]
