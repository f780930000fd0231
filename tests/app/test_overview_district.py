"""The overview with a district: each tile shows the district's value where the indicator
has district values, the city's where it has not, and names its area; without a district
the tiles are the city's and name no area."""

from __future__ import annotations

import re

from dortmund_kpi import formatting, texts
from dortmund_kpi.db import read

from .conftest import assert_ok, drawings, open_page, tiles


def _expected(con, area: str | None) -> dict[str, tuple[str, str]]:
    """Short title -> (shown value, area label) from the database, as the tiles show them."""
    years = read.data_range(con)
    city = read.series_stats(con, *years).set_index("indicator_id")
    districts = read.series_stats(con, *years, city=False)
    own = districts[districts["area"] == area].set_index("indicator_id") if area else city.iloc[:0]
    names = read.district_names(con)
    out = {}
    for ind in read.indicator_list(con).itertuples(index=False):
        row, label = (own.loc[ind.id], names[area]) if ind.id in own.index else (None, "")
        if row is None:
            if ind.id not in city.index:
                continue
            row, label = city.loc[ind.id], texts.TILE_CITY
        value = (
            formatting.with_unit(row["latest"], "%", ind.decimals)
            if ind.unit == "%"
            else formatting.number(row["latest"], ind.decimals)
        )
        out[ind.short_name] = (value, label)
    return out


def test_tiles_show_the_district_where_it_has_values(fixture_con):
    at = open_page("uebersicht", {"bezirk": ["hoerde", "eving"]})
    assert_ok(at)
    expected = _expected(fixture_con, "hoerde")
    shown = {t["label"].strip("*"): t for t in tiles(at)}
    assert set(shown) == set(expected)
    areas = set()
    for title, tile in shown.items():
        value, area = expected[title]
        assert tile["value"] == value, title
        assert tile["captions"][0].startswith(f"{area} · "), title
        areas.add(area)
    assert areas == {"Hörde", texts.TILE_CITY}  # both kinds occur in the fixture
    notes = " ".join(c.value for c in at.caption)
    assert "**Hörde**" in notes and "den ersten gewählten (Hörde)" in notes


def test_without_a_district_the_tiles_are_the_citys(fixture_con):
    at = open_page("uebersicht")
    assert_ok(at)
    expected = _expected(fixture_con, None)
    shown = {t["label"].strip("*"): t for t in tiles(at)}
    assert {k: v["value"] for k, v in shown.items()} == {k: v[0] for k, v in expected.items()}
    assert not any(t["captions"][0].startswith(texts.TILE_CITY) for t in shown.values())


def test_every_status_explains_itself_with_its_numbers(fixture_con):
    """The "?" of a tile and of the status badges on the indicator and masterplan pages
    explain the method and give the indicator's own target, baseline and latest value."""
    ind = read.indicator_list(fixture_con).set_index("id").loc["glasfaser_haushalte"]
    target = formatting.with_unit(ind["target_value"], ind["unit"], int(ind["decimals"]))
    at = open_page("uebersicht")
    tile = next(t for t in tiles(at) if t["label"].strip("*") == ind["short_name"])
    assert "Wie wird der Zielstatus berechnet?" in tile["help"]
    assert f"Ziel {target} bis Ende {int(ind['target_year'])}" in tile["help"]
    assert "**Ergebnis: " in tile["help"]
    page = open_page("indikator", {"indikator": "glasfaser_haushalte"})
    helps = [m.help for m in page.markdown if m.help]
    assert any(f"Ziel {target}" in h for h in helps)
    plan = open_page("masterplan", {"masterplan": ind["masterplan"]})
    cards = [d for d in drawings(plan) if 'class="dkpi-card"' in d]  # "?" inside
    assert sum("Wie wird der Zielstatus berechnet?" in card for card in cards) >= 2


def test_the_explained_result_is_the_badge(fixture_con):
    for params in ({}, {"bezirk": ["hoerde"]}):
        for tile in tiles(open_page("uebersicht", params)):
            found = re.search(r"\*\*Ergebnis: (.+?)\.\*\*", tile["help"])
            if found:
                assert found[1] in tile["captions"][-1], tile["label"]


def test_masterplan_cards_beside_district_lines_say_the_status_is_the_citys():
    """The targets are the city's: drawn with district lines, a card's badge says whose
    status it is (as the tiles name their area); the slide's status column, too."""
    marker = f'<span class="dkpi-status-area">{texts.TILE_CITY}:</span>'
    params = {"masterplan": "wirtschaft"}
    alone = [d for d in drawings(open_page("masterplan", params)) if 'class="dkpi-card"' in d]
    assert alone and not any(marker in card for card in alone)
    with_district = open_page("masterplan", {**params, "bezirk": ["hoerde"]})
    cards = [d for d in drawings(with_district) if 'class="dkpi-card"' in d]
    badged = [c for c in cards if 'class="dkpi-badge' in c]
    assert badged and all(marker + " <span" in card for card in badged)
