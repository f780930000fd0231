"""A page and its slides hold the same values for the same link: on every page, with and
without districts. The page is run by AppTest through the real router, the slides are
made by the deck from the link (``dortmund-kpi slides``), on the same fixture database.
"""

from __future__ import annotations

import pandas as pd
import pytest

from dortmund_kpi import texts
from dortmund_kpi.db import read
from dortmund_kpi.db.read import district_names, indicator_list
from dortmund_kpi.share import urlstate
from dortmund_kpi.share.deck import parse_view, slides_for
from dortmund_kpi.share.slides import Slide

from .conftest import (
    array,
    assert_ok,
    data_table,
    data_traces,
    figures,
    open_page,
    text_tables,
    tiles,
)

LINKS = {
    "uebersicht": {},
    "masterplan": {"masterplan": "wirtschaft"},
    "indikator": {"indikator": "glasfaser_haushalte"},
    "bezirke": {},
    "daten": {},
    "trends": {"sektoren": "masterplan"},
    "vergleich": {"vergleich": "ruhr", "indikator": "gigabit_haushalte"},
}
DISTRICTS = [[], ["hoerde", "eving"]]


def _both(fixture_con, page: str, districts: list[str]):
    params: dict[str, list[str]] = {k: [v] for k, v in LINKS[page].items()}
    if districts:
        params["bezirk"] = districts
    at = open_page(page, params)
    assert_ok(at)
    link = urlstate.url_for(page, params, "https://kpi.example")
    slides = slides_for(fixture_con, parse_view(fixture_con, link), details=True)
    return at, slides


def _summary(fixture_con, page: str, districts: list[str]) -> Slide:
    """The one slide a view gives by default (``dortmund-kpi slides`` without details)."""
    params: dict[str, list[str]] = {k: [v] for k, v in LINKS[page].items()}
    if districts:
        params["bezirk"] = districts
    link = urlstate.url_for(page, params, "https://kpi.example")
    (slide,) = slides_for(fixture_con, parse_view(fixture_con, link))
    return slide


def _series(frame: pd.DataFrame) -> dict[str, list[float]]:
    return {
        str(name): [round(v, 6) for v in part["value"]]
        for name, part in frame.groupby("name", sort=False)
    }


def _traces(fig: dict) -> dict[str, list[float]]:
    """The page chart's lines: its values and its target path (the slide draws both)."""
    target = [t for t in fig["data"] if t.get("name") == texts.TARGET_PATH]
    return {t["name"]: [round(v, 6) for v in array(t["y"])] for t in [*data_traces(fig), *target]}


def _slide_markers(frame: pd.DataFrame) -> dict[str, list[bool]]:
    """Per value line of a slide's chart, which values are official (demo ones hollow)."""
    values = frame[frame["name"] != texts.TARGET_PATH]
    return {str(n): p["official"].tolist() for n, p in values.groupby("name", sort=False)}


def _chart_markers(fig: dict) -> dict[str, list[bool]]:
    """Per line of a page's chart, which points are filled (official), not hollow (demo)."""
    return {t["name"]: [s == "circle" for s in t["marker"]["symbol"]] for t in data_traces(fig)}


def _names(fixture_con, districts: list[str]) -> list[str]:
    names = district_names(fixture_con)
    return [names[d] for d in districts]


@pytest.mark.parametrize("districts", DISTRICTS, ids=["stadt", "bezirke"])
def test_overview_tiles_are_the_slide_rows(fixture_con, districts):
    at, slides = _both(fixture_con, "uebersicht", districts)
    shown = [(t["label"].strip("*"), t["value"]) for t in tiles(at)]
    rows = [
        (row["Kennzahl"], row["Wert"])
        for slide in slides
        if slide.table is not None and "Kennzahl" in slide.table
        for _, row in slide.table.iterrows()
    ]
    assert [title for title, _ in rows] == [title for title, _ in shown]
    for (_, value), (_, cell) in zip(shown, rows, strict=True):
        assert cell.startswith(value)
    # The same origin markers: a tile's demo badge is its row's Datenart, and a change
    # across origins says so on both.
    marked = {t["label"].strip("*"): t for t in tiles(at)}
    for row in (
        r
        for s in slides
        if s.table is not None and "Kennzahl" in s.table
        for _, r in s.table.iterrows()
    ):
        tile = marked[row["Kennzahl"]]
        first = tile["captions"][0].split("\n")[0]
        demo = f":orange-badge[{texts.DEMO_BADGE}]" in first
        assert row["Datenart"] == (texts.DEMO if demo else texts.OFFICIAL)
        for note in texts.CROSS_ORIGIN.values():
            assert (note in row["Veränderung"]) == (note in first)
    # With districts, the tiles show the first one where they can, and say so; so do the
    # slides (an area column and the subtitle), never the other chosen districts.
    names = _names(fixture_con, districts)
    for slide in (s for s in slides if s.table is not None and "Kennzahl" in s.table):
        if names:
            assert names[0] in slide.subtitle and names[1] not in slide.subtitle
            assert set(slide.table["Gebiet"]) <= {names[0], texts.TILE_CITY}
            assert names[0] in set(slide.table["Gebiet"])
        else:
            assert "Gebiet" not in slide.table


@pytest.mark.parametrize("districts", DISTRICTS, ids=["stadt", "bezirke"])
def test_masterplan_charts_are_the_slide_series(fixture_con, districts):
    at, slides = _both(fixture_con, "masterplan", districts)
    charts = figures(at)
    series = [s for s in slides if s.series is not None]
    assert len(series) == len([f for f in charts.values() if data_traces(f)])
    names = dict(zip(*indicator_list(fixture_con)[["id", "name"]].T.values, strict=True))
    by_title = {s.title: s for s in series}
    for key, fig in charts.items():
        if not data_traces(fig):
            continue
        name = names[key.removeprefix("mp_")]
        slide = next(s for t, s in by_title.items() if t.startswith(f"{name} ("))
        assert _series(slide.series) == _traces(fig)
        assert _slide_markers(slide.series) == _chart_markers(fig)
    for name in _names(fixture_con, districts):
        assert all(name in s.subtitle for s in series)


@pytest.mark.parametrize("districts", DISTRICTS, ids=["stadt", "bezirke"])
def test_indicator_chart_ranking_and_table_are_the_slides(fixture_con, districts):
    at, slides = _both(fixture_con, "indikator", districts)
    charts = figures(at)
    series = next(s for s in slides if s.series is not None)
    assert _series(series.series) == _traces(charts["series"])
    assert _slide_markers(series.series) == _chart_markers(charts["series"])
    bars = next(s for s in slides if s.bars is not None)
    ranking = charts["ranking"]["data"][0]
    shown = dict(zip(array(ranking["y"]), array(ranking["x"]), strict=True))
    assert dict(zip(bars.bars["category"], bars.bars["value"], strict=True)) == pytest.approx(shown)
    filled = [color != "white" for color in ranking["marker"]["color"]]  # demo bars hollow
    assert bars.bars["official"].tolist() == filled
    table = data_table(at)  # the data table (German number text)
    assert len(table) == (series.series["name"] != texts.TARGET_PATH).sum()  # values only
    for name in _names(fixture_con, districts):
        assert name in series.subtitle


def test_a_link_with_je1000_gives_page_and_slides_per_1000(fixture_con):
    """``je1000=1``: the page opens with its switch on, and the slides of the same link rank
    the same values per 1,000 inhabitants (the switch was not in links before)."""
    params = {"indikator": ["wlan_hotspots"], "zeitraum": ["2019", "2022"], "je1000": ["1"]}
    at = open_page("indikator", params)
    assert_ok(at)
    assert at.toggle(key="je1000").value is True
    link = urlstate.url_for("indikator", params, "https://kpi.example")
    assert "je1000=1" in link
    slides = slides_for(fixture_con, parse_view(fixture_con, link), details=True)
    bars = next(s for s in slides if s.bars is not None)
    ranking = figures(at)["ranking"]["data"][0]
    shown = dict(zip(array(ranking["y"]), array(ranking["x"]), strict=True))
    assert dict(zip(bars.bars["category"], bars.bars["value"], strict=True)) == pytest.approx(shown)
    period = read.district_periods(fixture_con, "wlan_hotspots", 2019, 2022)["period"].iloc[0]
    values = read.district_values(fixture_con, "wlan_hotspots", period)
    per_1000 = dict(zip(values["area_name"], values["per_1000"], strict=True))
    assert shown == pytest.approx(per_1000)
    series = next(s for s in slides if s.series is not None)  # the series per 1,000 too
    assert _series(series.series) == _traces(figures(at)["series"])
    assert texts.PER_1000 in series.title


@pytest.mark.parametrize("districts", DISTRICTS, ids=["stadt", "bezirke"])
def test_district_profile_tables_are_the_slide_tables(fixture_con, districts):
    at, slides = _both(fixture_con, "bezirke", districts)
    profiles = [
        s
        for s in slides
        if s.title.startswith(texts.PROFILE_TITLE.split("{")[0]) and not s.whole  # per plan
    ]
    shown = text_tables(at)[: len(profiles)]
    assert profiles, "the profile has slides"
    for frame, slide in zip(shown, profiles, strict=True):
        assert isinstance(slide, Slide) and slide.table is not None
        pd.testing.assert_frame_equal(frame.reset_index(drop=True), slide.table)
    name = _names(fixture_con, districts[:1])[0] if districts else None
    if name:
        assert all(name in s.title for s in profiles)
    compared = [s for s in slides if s.title.startswith(texts.DISTRICTS_COMPARED)]
    assert len(compared) == (len(profiles) if len(districts) > 1 else 0)
    shown = text_tables(at)[len(profiles) : len(profiles) + len(compared)]
    for frame, slide in zip(shown, compared, strict=True):
        pd.testing.assert_frame_equal(frame.reset_index(drop=True), slide.table)
    chart = next(s for s in slides if s.series is not None)
    assert _series(chart.series) == _traces(figures(at)["district_series"])
    assert _slide_markers(chart.series) == _chart_markers(figures(at)["district_series"])


@pytest.mark.parametrize("districts", DISTRICTS, ids=["stadt", "bezirke"])
def test_data_page_freshness_is_the_slide_table(fixture_con, districts):
    at, slides = _both(fixture_con, "daten", districts)
    table = slides[0].table
    freshness = next(f.value for f in at.dataframe if list(f.value.columns) == list(table.columns))
    pd.testing.assert_frame_equal(freshness.reset_index(drop=True), table)


def test_trends_radar_and_list_are_the_slides(trends_db, monkeypatch):
    """On a database with trends: the radar slide is the page's radar, the list slide the
    page's list (the fixture database has none)."""
    from dortmund_kpi.db.store import Store
    from dortmund_kpi.settings import ENV_DB

    monkeypatch.setenv(ENV_DB, str(trends_db.db_path))
    params = {k: [v] for k, v in LINKS["trends"].items()}
    at = open_page("trends", params)
    assert_ok(at)
    with Store(trends_db.db_path).connect_read() as con:
        linked = parse_view(con, urlstate.url_for("trends", params))
        slides = slides_for(con, linked, details=True)
        (summary,) = slides_for(con, linked)  # by default, the radar alone
    shown = figures(at)["trend_radar"]
    drawn = next(s.figure for s in slides if s.figure is not None)
    assert summary.figure is not None and summary.title == slides[0].title
    assert [(t["name"], array(t["r"]), array(t["theta"])) for t in shown["data"]] == [
        (t.name, list(t.r), list(t.theta)) for t in drawn.data
    ]
    table = next(s.table for s in slides if s.title == texts.TRENDS_LIST)
    assert len(table) == 6 and table.iloc[0, 1] == "Testtrend Netz"


@pytest.mark.parametrize("districts", DISTRICTS, ids=["stadt", "bezirke"])
def test_comparison_ranking_is_the_slide_ranking(fixture_con, districts):
    at, slides = _both(fixture_con, "vergleich", districts)
    bars = figures(at)["peer_bars"]["data"][0]
    # the page draws the best on top (last bar); names of the page, Dortmund in bold
    page = [n.replace("<b>", "").replace("</b>", "") for n in reversed(array(bars["y"]))]
    slide = next(s for s in slides if s.bars is not None)
    named = [c.replace("► ", "") for c in slide.bars["category"]]
    assert named == page
    assert list(slide.bars["value"]) == pytest.approx(list(reversed(array(bars["x"]))))
    table = next(s for s in slides if s.table is not None).table
    shown = data_table(at, texts.COMPARISON_TABLE)
    own = shown[shown[texts.COMPARISON_COLUMNS["name"]] == "Dortmund"]
    rank = str(own[texts.COMPARISON_COLUMNS["rank"]].iloc[0])
    assert list(table[texts.COMPARISON_HISTORY_COLUMNS["rank"]])[-1] == rank


@pytest.mark.parametrize("group", ["ruhr", "grossstaedte"])
def test_comparison_slide_says_what_the_page_says_beside_its_ranking(fixture_con, group):
    """Dortmund's standing and the members left out (10 of 15 big cities have no value):
    a ranking of 5 bars under the group's name, without them, looks like the whole group."""
    params = {"vergleich": [group], "indikator": ["gigabit_haushalte"]}
    at = open_page("vergleich", params)
    assert_ok(at)
    link = urlstate.url_for("vergleich", params, "https://kpi.example")
    slides = slides_for(fixture_con, parse_view(fixture_con, link))
    slide = next(s for s in slides if s.bars is not None)
    missing = [c.value for c in at.caption if "der Gruppe ohne Wert" in c.value]
    assert len(missing) == (group == "grossstaedte") and slide.notes[1:] == missing
    rank, *values = [m.value for m in at.metric]  # rank, Dortmund, median, best
    assert f": {rank} (" in slide.notes[0] and all(v in slide.notes[0] for v in values)


@pytest.mark.parametrize("districts", DISTRICTS, ids=["stadt", "bezirke"])
def test_overview_summary_holds_every_tile_with_its_origin(fixture_con, districts):
    """The overview's one slide: every tile of the page, its value, area and demo marker."""
    at = open_page("uebersicht", {"bezirk": districts} if districts else {})
    assert_ok(at)
    slide = _summary(fixture_con, "uebersicht", districts)
    cells = [c for column in slide.table.columns for c in slide.table[column] if c]
    shown = tiles(at)
    assert len(cells) == len(shown)
    by_title = {c.split(": ", 1)[0]: c for c in cells}
    for tile in shown:
        cell = by_title[tile["label"].strip("*")]
        first, second = cell.split("\n")
        assert first.split(": ", 1)[1].startswith(tile["value"])
        demo = f":orange-badge[{texts.DEMO_BADGE}]" in tile["captions"][0].split("\n")[0]
        assert (texts.DEMO in second.split(" · ")) == demo
    names = _names(fixture_con, districts)
    if names:  # the tiles show the first district where they can, and say so
        assert names[0] in slide.subtitle and names[1] not in slide.subtitle
        assert any(f"({names[0]})" in c.split("\n")[0] for c in cells)


def _number(value: float, decimals: int) -> str:
    from dortmund_kpi.formatting import number

    return number(value, decimals)


@pytest.mark.parametrize("districts", DISTRICTS, ids=["stadt", "bezirke"])
def test_masterplan_summary_holds_each_lines_last_value(fixture_con, districts):
    """The masterplan's one slide: a row per chart, each line's latest value as the chart
    ends it, the origin of those values as the chart marks them."""
    at = open_page(
        "masterplan",
        {k: [v] for k, v in LINKS["masterplan"].items()}
        | ({"bezirk": districts} if districts else {}),
    )
    assert_ok(at)
    slide = _summary(fixture_con, "masterplan", districts)
    catalog = indicator_list(fixture_con).set_index("id")
    rows = {r["Kennzahl"]: r for _, r in slide.table.iterrows()}
    charts = {k: f for k, f in figures(at).items() if data_traces(f)}
    assert len(rows) == len(charts)
    for key, fig in charts.items():
        ind = catalog.loc[key.removeprefix("mp_")]
        row = rows[f"{ind['short_name']} ({ind['unit']})"]
        official = []
        for trace in data_traces(fig):
            x, y = array(trace["x"]), array(trace["y"])
            last = max(range(len(x)), key=lambda i: x[i])
            assert row[trace["name"]].split(" (")[0] == _number(y[last], int(ind["decimals"]))
            official.append(trace["marker"]["symbol"][last] == "circle")
        expected = texts.OFFICIAL if all(official) else texts.DEMO if not any(official) else None
        assert row["Datenart"] == (expected or texts.SLIDE_ORIGIN_BOTH)
    for name in _names(fixture_con, districts):
        assert name in slide.subtitle and name in slide.table.columns


@pytest.mark.parametrize("districts", DISTRICTS, ids=["stadt", "bezirke"])
def test_district_summary_is_the_profile_tables(fixture_con, districts):
    at, slides = _both(fixture_con, "bezirke", districts)
    slide = _summary(fixture_con, "bezirke", districts)
    profiles = [
        s
        for s in slides
        if s.title.startswith(texts.PROFILE_TITLE.split("{")[0]) and not s.whole  # per plan
    ]
    shown = text_tables(at)[: len(profiles)]
    columns = [c for c in slide.table.columns if c != "Masterplan"]
    page = pd.concat([f[columns] for f in shown], ignore_index=True)
    pd.testing.assert_frame_equal(page, slide.table[columns])


@pytest.mark.parametrize("page", ["indikator", "vergleich", "daten"])
def test_other_views_give_their_first_chart_or_table(fixture_con, page):
    """Where the page's first chart or table is its key message, that is the one slide."""
    _at, slides = _both(fixture_con, page, [])
    summary = _summary(fixture_con, page, [])
    assert summary.title == slides[0].title and summary.kind == slides[0].kind


def test_every_page_is_covered():
    assert set(LINKS) == set(urlstate.PAGES)


def _deck_titles(at, downloads) -> list[str]:
    import io

    from pptx import Presentation

    button = next(
        b.proto for b in at.get("download_button") if b.proto.label == texts.SLIDES_BUTTON
    )
    deck = Presentation(io.BytesIO(downloads(button).content))
    return [
        next(s.text_frame.text for s in slide.shapes if s.has_text_frame) for slide in deck.slides
    ]


def test_the_slides_button_gives_the_views_slide_or_with_details_all(fixture_con, downloads):
    """ "Als Folie (PPTX)" in the sidebar: the view's one slide; with "Detailfolien" ticked
    that slide and then every chart of the masterplan and its measures."""
    at = open_page("masterplan", {"masterplan": ["bildung"]})
    assert_ok(at)
    box = next(c for c in at.sidebar.checkbox if c.label == texts.SLIDES_DETAILS)
    assert box.value is False
    assert _deck_titles(at, downloads) == [texts.SLIDE_PLAN_TITLE.format(name="Bildung")]
    box.check().run()
    assert_ok(at)
    titles = _deck_titles(at, downloads)
    charts = [f for f in figures(at).values() if data_traces(f)]
    assert titles[0] == texts.SLIDE_PLAN_TITLE.format(name="Bildung")
    assert len(titles) == 1 + len(charts) + 1  # the summary, each chart, the measures
    assert "detail" not in " ".join(at.query_params.keys())  # not part of the link
