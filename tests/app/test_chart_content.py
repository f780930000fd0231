"""What the charts and tiles show equals the database; every chart names its title, unit,
source and Stand, uses German separators and marks demo values (and only those)."""

from __future__ import annotations

import re
from dataclasses import replace

import pandas as pd
import pytest

from dortmund_kpi import formatting, texts
from dortmund_kpi.db import read
from dortmund_kpi.periods import period_from_label
from dortmund_kpi.views import indicator, sparkline
from dortmund_kpi.views.common import Direct, View

from .conftest import (
    annotations,
    array,
    assert_ok,
    captions,
    chart_configs,
    data_table,
    data_traces,
    figures,
    footer,
    midpoints,
    open_page,
    tiles,
    title,
)

STAND = re.compile(r"Stand: (\d{2}\.\d{2}\.\d{4})")


def _meta(con, indicator_id: str) -> dict:
    row = con.execute(
        "SELECT name, short_name, unit, decimals, direction, source FROM indicators WHERE id = ?",
        [indicator_id],
    ).fetchone()
    keys = ("name", "short_name", "unit", "decimals", "direction", "source")
    return dict(zip(keys, row, strict=True))


def _latest_district_period(con, indicator_id: str, year_from: int, year_to: int) -> str:
    return con.execute(
        """SELECT period FROM current_observations
           WHERE indicator_id = ? AND area <> 'dortmund' AND year(period_end) BETWEEN ? AND ?
           ORDER BY period_end DESC, period DESC LIMIT 1""",
        [indicator_id, year_from, year_to],
    ).fetchone()[0]


def _assert_labelled(fig: dict, unit: str, demo: bool, source: str | None = None) -> None:
    """Title with unit, footer with source and Stand, German separators, demo marker."""
    assert title(fig).endswith(f"({unit})"), title(fig)
    note = footer(fig)
    assert note.startswith(f"{texts.SOURCE}: ")
    assert STAND.search(note), note
    if source is not None:
        assert note.startswith(f"{texts.SOURCE}: {source} · "), note
    assert fig["layout"]["separators"] == ",."
    notes = annotations(fig)
    marker = any(
        text.strip() == texts.DEMO_BADGE or f"<b>{texts.DEMO_BADGE}</b>" in text for text in notes
    )
    assert marker == demo, notes
    if not demo:
        assert all(texts.DEMO_BADGE not in text for text in notes), notes


# -- indicator page: time series ------------------------------------------------------------
SERIES_CASES = [
    ("glasfaser_haushalte", "hoerde", 2018, 2025),  # official city values among demo ones
    ("anteil_online_antraege", "innenstadt-nord", 2020, 2023),  # quarterly
    ("wlan_hotspots", "luetgendortmund", 2024, 2025),  # monthly
    ("online_antraege", "eving", 2019, 2022),  # official 2021 city value
]


@pytest.mark.parametrize(("indicator_id", "slug", "year_from", "year_to"), SERIES_CASES)
def test_indicator_series_equals_stored_values(
    fixture_con, indicator_id: str, slug: str, year_from: int, year_to: int
) -> None:
    at = open_page(
        "indikator",
        {"indikator": indicator_id, "bezirk": slug, "zeitraum": [str(year_from), str(year_to)]},
    )
    assert_ok(at)
    expected = read.series(fixture_con, [indicator_id], ["dortmund", slug], year_from, year_to)
    assert not expected.empty
    traces = {t["name"]: t for t in data_traces(figures(at)["series"])}
    assert len(traces) == 2
    for area, part in expected.groupby("area", sort=False):
        name = texts.CITY if area == "dortmund" else part["area_name"].iloc[0]
        trace = traces[name]
        assert array(trace["y"]) == pytest.approx(part["value"].tolist()), name
        assert [pd.Timestamp(x) for x in array(trace["x"])] == midpoints(part), name
        symbols = ["circle" if o else "circle-open" for o in part["is_official"]]
        assert trace["marker"]["symbol"] == symbols, "official filled, demo hollow"

    meta = _meta(fixture_con, indicator_id)
    table = data_table(at)
    assert len(table) == len(expected)
    decimals = int(meta["decimals"])
    assert table["Wert"].tolist() == [formatting.number(v, decimals) for v in expected["value"]]

    ranked = read.series(fixture_con, [indicator_id], ["dortmund"], year_from, year_to)
    _assert_labelled(figures(at)["series"], meta["unit"], demo=not ranked["is_official"].all())


# -- indicator page: map and ranking ----------------------------------------------------------
MAP_CASES = [
    ("glasfaser_haushalte", 2018, 2025),
    ("wlan_hotspots", 2019, 2022),
    ("schueler_je_geraet", 2020, 2021),  # lower is better
]


@pytest.mark.parametrize(("indicator_id", "year_from", "year_to"), MAP_CASES)
def test_map_and_ranking_equal_district_values(
    fixture_con, indicator_id: str, year_from: int, year_to: int
) -> None:
    at = open_page(
        "indikator", {"indikator": indicator_id, "zeitraum": [str(year_from), str(year_to)]}
    )
    assert_ok(at)
    meta = _meta(fixture_con, indicator_id)
    period = _latest_district_period(fixture_con, indicator_id, year_from, year_to)
    values = read.district_values(fixture_con, indicator_id, period)
    assert len(values) == 12
    charts = figures(at)
    shown_period = period_from_label(period).display

    choropleth = charts["map"]["data"][0]
    assert list(choropleth["locations"]) == values["area"].tolist()
    key = choropleth["featureidkey"].removeprefix("properties.")
    drawn = {f["properties"][key] for f in choropleth["geojson"]["features"]}
    assert drawn == set(values["area"]), "every district has a polygon"
    assert array(choropleth["z"]) == pytest.approx(values["value"].tolist())
    assert title(charts["map"]).startswith(f"{meta['short_name']}, {shown_period}")

    bars = charts["ranking"]["data"][0]
    shown = dict(zip(array(bars["y"]), array(bars["x"]), strict=True))
    assert shown == pytest.approx(dict(zip(values["area_name"], values["value"], strict=True)))
    ordered = array(bars["x"])
    best_first = sorted(ordered, reverse=meta["direction"] == "higher")
    assert ordered == best_first, "best district on top"
    assert shown_period in title(charts["ranking"])

    demo = not values["is_official"].all()
    _assert_labelled(charts["map"], meta["unit"], demo)
    assert texts.MAP_SCHEMATIC in footer(charts["map"])
    _assert_labelled(charts["ranking"], meta["unit"], demo)


def test_per_capita_toggle_shows_values_per_1000(fixture_con) -> None:
    at = open_page("indikator", {"indikator": "wlan_hotspots", "zeitraum": ["2019", "2022"]})
    at.toggle(key="je1000").set_value(True).run()
    assert_ok(at)
    assert at.query_params.get("je1000") == "1"  # the link holds the switch
    period = _latest_district_period(fixture_con, "wlan_hotspots", 2019, 2022)
    values = read.district_values(fixture_con, "wlan_hotspots", period)
    charts = figures(at)
    assert array(charts["map"]["data"][0]["z"]) == pytest.approx(values["per_1000"].tolist())
    bars = charts["ranking"]["data"][0]
    shown = dict(zip(array(bars["y"]), array(bars["x"]), strict=True))
    assert shown == pytest.approx(dict(zip(values["area_name"], values["per_1000"], strict=True)))
    unit = f"Hotspots {texts.PER_1000}"
    _assert_labelled(charts["map"], unit, demo=True)
    _assert_labelled(charts["ranking"], unit, demo=True)
    # The series too: the city's value per 1,000 inhabitants of all districts, and no
    # target path (the target is the city total's).
    population = read.district_list(fixture_con)["population"].sum()
    city = read.series(fixture_con, ["wlan_hotspots"], ["dortmund"], 2019, 2022)
    drawn = {t["name"]: t for t in charts["series"]["data"]}
    assert array(drawn[texts.CITY]["y"]) == pytest.approx(
        (city["value"] / population * 1000).tolist()
    )
    assert texts.TARGET_PATH not in drawn
    _assert_labelled(charts["series"], unit, demo=True)
    table = data_table(at)  # the data table: the values drawn, with their unit
    assert set(table[texts.COLUMNS["unit"]]) == {unit}
    # its downloads are named apart from the absolute values' (both land in one folder)
    view = View("indikator", (2019, 2022), indicator="wlan_hotspots", per_capita=True)
    assert indicator.build(Direct(fixture_con), view).file_name.endswith("_je1000")
    absolute = indicator.build(Direct(fixture_con), replace(view, per_capita=False))
    assert not absolute.file_name.endswith("_je1000")
    # Another indicator, a share: it has no switch, and its link no je1000.
    at.selectbox(key="indikator").set_value("anteil_online_antraege").run()
    assert_ok(at)
    assert not at.toggle and "je1000" not in at.query_params
    # Back to the address before the switch (same session): the switch is off again.
    at.query_params.clear()
    at.query_params.update({"indikator": "wlan_hotspots", "zeitraum": ["2019", "2022"]})
    at.run()
    assert_ok(at)
    assert at.toggle(key="je1000").value is False and "je1000" not in at.query_params
    assert texts.PER_1000 not in str(figures(at)["series"]["layout"]["title"]["text"])


# -- overview tiles -------------------------------------------------------------------------------
@pytest.mark.parametrize(("year_from", "year_to"), [(2018, 2025), (2019, 2021)])
def test_overview_tiles_show_latest_city_values(fixture_con, year_from: int, year_to: int) -> None:
    full = (year_from, year_to) == (2018, 2025)
    at = open_page("uebersicht", {} if full else {"zeitraum": [str(year_from), str(year_to)]})
    assert_ok(at)
    catalog = fixture_con.execute(
        "SELECT id, name, short_name, unit, decimals FROM indicators ORDER BY sort_order"
    ).fetchall()
    city = read.series(fixture_con, [c[0] for c in catalog], ["dortmund"], year_from, year_to)
    expected = {}
    for indicator_id, name, short_name, unit, decimals in catalog:
        part = city[city["indicator_id"] == indicator_id]
        if part.empty:
            continue
        latest = part["value"].iloc[-1]
        expected[short_name] = {
            "name": name,
            "value": formatting.with_unit(latest, unit, int(decimals)),
            "period": period_from_label(part["period"].iloc[-1]).display,
            # The tile's own value's origin, not any other point's (issue 15).
            "demo": not part["is_official"].iloc[-1],
            "sparkline": part["value"].tolist(),
            "mixed": part["is_official"].nunique() == 2,
        }
    shown = {t["label"].strip("*"): t for t in tiles(at)}
    assert set(shown) == set(expected)
    for short_name, tile in shown.items():
        want = expected[short_name]
        # The "?" names the indicator and explains its status (issue 15: it only repeated
        # the name).
        name, _, explanation = tile["help"].partition("\n\n")
        assert name == want["name"]
        assert explanation.startswith("**Wie wird der Zielstatus berechnet?**")
        # The number on the tile, its unit in the caption below ("1.234" + "Anträge · 2025").
        first = tile["captions"][0].split("\n")[0].strip()
        unit = first.split(" · ")[0] if not tile["value"].endswith("%") else ""
        assert " ".join(p for p in (tile["value"], unit) if p) == want["value"], short_name
        assert want["period"] in first.split(" · "), short_name
        badge = f":orange-badge[{texts.DEMO_BADGE}]"  # not "Vergleich mit Demodaten"
        assert (badge in first) == want["demo"], short_name
        # The sparkline: an inline SVG drawn from exactly these values; where they mix
        # origins, the stretches at demo values dashed.
        points = sparkline.sparkline_points(want["sparkline"])
        svg = tile["sparkline"]
        if want["mixed"]:
            assert 'class="demo"' in svg and "stroke-dasharray" in svg, short_name
            assert all(p.replace(",", " ") in svg.replace(",", " ") for p in points.split())
        else:
            assert f'points="{points}"' in svg and "stroke-dasharray" not in svg
    assert any(texts.DEMO_BADGE in c for c in captions(at)), "page-level demo notice"


@pytest.mark.parametrize(("year_from", "year_to"), [(2018, 2021), (2018, 2023)])
def test_tile_change_is_against_the_period_before(fixture_con, year_from, year_to) -> None:
    """ "Veränderung zum Vorzeitraum": the tile compares the latest value with the one of the
    period before it (not with an overlapping period ending on the same day, such as the
    published year 2023 next to Q4 2023), and a change that shows as ±0 is "unverändert"."""
    at = open_page("uebersicht", {"zeitraum": [str(year_from), str(year_to)]})
    assert_ok(at)
    catalog = fixture_con.execute("SELECT id, short_name FROM indicators").fetchall()
    city = read.series(fixture_con, [c[0] for c in catalog], ["dortmund"], year_from, year_to)
    previous = {}
    for indicator_id, short_name in catalog:
        part = city[city["indicator_id"] == indicator_id]
        earlier = part[part["period_end"] < part["period_end"].max()]
        if len(earlier):
            previous[short_name] = period_from_label(earlier["period"].iloc[-1]).display
    for tile in tiles(at):
        name = tile["label"].strip("*")
        if name not in previous:
            continue
        versus, _, word = tile["delta_description"].partition(", ")
        assert versus == f"ggü. {previous[name]}", name
        if tile["delta"].startswith("±"):
            assert word == texts.CHANGE_TEXT["unverändert"], f"{name}: {tile['delta']} {word}"


# -- labels on every chart -----------------------------------------------------------------------
def test_every_masterplan_chart_is_labelled(fixture_con) -> None:
    at = open_page("masterplan", {"bezirk": "hoerde", "zeitraum": ["2019", "2024"]})
    for plan in ("verwaltung", "wirtschaft", "bildung"):
        at.selectbox(key="masterplan").set_value(plan).run()
        assert_ok(at)
        charts = figures(at)
        assert charts, plan
        for key, fig in charts.items():
            indicator_id = key.removeprefix("mp_")
            meta = _meta(fixture_con, indicator_id)
            shown = read.series(fixture_con, [indicator_id], ["dortmund", "hoerde"], 2019, 2024)
            _assert_labelled(fig, meta["unit"], demo=not shown["is_official"].all())
            stand = formatting.day(shown["valid_from"].max())
            assert STAND.search(footer(fig)).group(1) == stand, indicator_id
        for config in chart_configs(at):
            assert config["locale"] == "de"
            assert config["locales"]["de"]["format"]["decimal"] == ","


def test_mixed_official_and_demo_names_both(fixture_con) -> None:
    at = open_page("indikator", {"indikator": "glasfaser_haushalte"})
    meta = _meta(fixture_con, "glasfaser_haushalte")
    note = footer(figures(at)["series"])
    assert note.startswith(f"{texts.SOURCE}: {meta['source']}; ergänzt um Demodaten")
    assert texts.DEMO_BADGE in note


def test_official_only_period_has_no_demo_marker(fixture_con) -> None:
    """smart_city_punkte 2019-2020: the fixture has only the published city values there."""
    shown = read.series(fixture_con, ["smart_city_punkte"], ["dortmund"], 2019, 2020)
    assert len(shown) == 2 and shown["is_official"].all(), "precondition: only official values"
    at = open_page("indikator", {"indikator": "smart_city_punkte", "zeitraum": ["2019", "2020"]})
    assert_ok(at)
    meta = _meta(fixture_con, "smart_city_punkte")
    fig = figures(at)["series"]
    _assert_labelled(fig, meta["unit"], demo=False, source=meta["source"])
    assert all(texts.DEMO_BADGE not in text for text in annotations(fig))
    assert array(data_traces(fig)[0]["y"]) == pytest.approx(shown["value"].tolist())
    assert not any(texts.DEMO_BADGE in c for c in captions(at)), "no demo notice on the page"
    assert set(data_table(at)["Datenart"]) == {texts.OFFICIAL}
    assert (
        f"**{texts.METADATA_LABELS['kind']}:** {texts.OFFICIAL}" in at.expander[0].markdown[0].value
    )


def test_official_database_shows_no_demo_marker(official_con) -> None:
    at = open_page("masterplan")
    for plan in ("verwaltung", "wirtschaft", "bildung"):
        at.selectbox(key="masterplan").set_value(plan).run()
        assert_ok(at)
        charts = figures(at)
        assert charts, f"{plan}: every masterplan has published figures"
        for key, fig in charts.items():
            meta = _meta(official_con, key.removeprefix("mp_"))
            _assert_labelled(fig, meta["unit"], demo=False, source=meta["source"])
        assert not any(texts.DEMO_BADGE in c for c in captions(at)), plan


def test_official_database_overview_has_no_demo_badges(official_con) -> None:
    at = open_page("uebersicht")
    assert_ok(at)
    assert len(tiles(at)) > 0
    assert not any(texts.DEMO_BADGE in c for c in captions(at))
