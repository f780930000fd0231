"""Every shown value carries its own origin, on every page and its slides (issue 15).

The database: the fixture database with official values imported over its demo series by
the real importer (``mixed_settings``). Each page is opened like a link, with and without
a district and a pinned ``stand`` (before the official import: then demo again); the
expected values and origins are read from the database in the test, per area and moment,
and compared with what the page, its slides and its downloads show.
"""

from __future__ import annotations

import io
from typing import Any

import duckdb
import pandas as pd
import pytest

from dortmund_kpi import formatting, texts
from dortmund_kpi.db import read
from dortmund_kpi.periods import period_from_label
from dortmund_kpi.share import urlstate
from dortmund_kpi.share.deck import parse_view, slides_for
from dortmund_kpi.share.slides import Slide
from dortmund_kpi.share.stand import format_stand, parse_stand

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

C = texts.COLUMNS
KIND = {True: texts.OFFICIAL, False: texts.DEMO}
BADGE = f":orange-badge[{texts.DEMO_BADGE}]"  # a tile's demo marker (not a note's word)
# With a district, with a pinned moment before the official import, both, neither.
VARIANTS = [(), ("hoerde",), ("stand",), ("hoerde", "stand")]
IDS = ["stadt", "bezirk", "stand", "bezirk-stand"]


@pytest.fixture
def before_official(fixture_con: duckdb.DuckDBPyConnection) -> str:
    """A ``stand`` of the moment before the official values came (the fixture's data stand)."""
    return format_stand(read.data_stand(fixture_con))


def _params(variant: tuple[str, ...], stand: str, **page: str) -> dict[str, list[str]]:
    params = {key: [value] for key, value in page.items()}
    if "hoerde" in variant:
        params["bezirk"] = ["hoerde"]
    if "stand" in variant:
        params["stand"] = [stand]
    return params


def _as_of(params: dict[str, list[str]]) -> Any:
    return parse_stand(params["stand"][0]) if "stand" in params else None


def _slides(con: duckdb.DuckDBPyConnection, page: str, params: dict) -> list[Slide]:
    link = urlstate.url_for(page, params, "https://kpi.example")
    return slides_for(con, parse_view(con, link), details=True)


def _pick(rows: pd.DataFrame) -> pd.Series:
    """Of values ending on one day, the one a tile shows: official first, then period."""
    return rows.sort_values(["is_official", "period"]).iloc[-1]


def _latest_two(frame: pd.DataFrame) -> tuple[pd.Series, pd.Series | None]:
    """The latest value and the one of the period before it, as the tiles define them."""
    last = frame["period_end"].max()
    earlier = frame[frame["period_end"] < last]
    previous = None
    if len(earlier):
        previous = _pick(earlier[earlier["period_end"] == earlier["period_end"].max()])
    return _pick(frame[frame["period_end"] == last]), previous


def test_the_mixed_database_mixes_origins(mixed_con) -> None:
    """The premise: official values over demo series, in a city and in a district series."""
    city = read.series(mixed_con, ["servicekonten"], ["dortmund"], 2018, 2025)
    hoerde = read.series(mixed_con, ["glasfaser_haushalte"], ["hoerde"], 2018, 2025)
    for frame in (city, hoerde):
        assert frame["is_official"].iloc[-1] and not frame["is_official"].iloc[:-1].any()


# -- overview ---------------------------------------------------------------------------
@pytest.mark.parametrize("variant", VARIANTS, ids=IDS)
def test_overview_tiles_carry_their_own_origin(mixed_con, before_official, variant) -> None:
    params = _params(variant, before_official)
    at = open_page("uebersicht", params)
    assert_ok(at)
    as_of, (lo, hi) = _as_of(params), read.data_range(mixed_con)
    indicators = read.indicator_list(mixed_con).set_index("short_name")
    shown = {t["label"].strip("*"): t for t in tiles(at)}
    assert shown
    notes = set()
    for short_name, tile in shown.items():
        ind = indicators.loc[short_name]
        own = read.series(mixed_con, [ind["id"]], list(variant[:1]), lo, hi, as_of=as_of)
        district = "hoerde" in variant and not own.empty
        frame = (
            own
            if district
            else read.series(mixed_con, [ind["id"]], ["dortmund"], lo, hi, as_of=as_of)
        )
        latest, previous = _latest_two(frame)
        decimals = int(ind["decimals"])
        value = (
            formatting.with_unit(latest["value"], "%", decimals)
            if ind["unit"] == "%"
            else formatting.number(latest["value"], decimals)
        )
        assert tile["value"] == value, short_name
        first = tile["captions"][0].split("\n")[0].strip()
        if "hoerde" in variant:
            assert first.startswith("Hörde · " if district else f"{texts.TILE_CITY} · "), first
        # The tile's main number is labelled by its own origin only.
        assert (BADGE in first) == (not latest["is_official"]), short_name
        # A change between values of different origin says so, and names the other's.
        crosses = previous is not None and previous["is_official"] != latest["is_official"]
        note = texts.CROSS_ORIGIN[bool(previous["is_official"])] if crosses else None
        assert all(n not in first for n in texts.CROSS_ORIGIN.values() if n != note)
        if note:
            assert first.endswith(f" · {note}"), short_name
            notes.add(note)
    # Live, the official 2025 Servicekonten are compared with demo 2024, and demo 2025
    # school devices with official 2024 ones (the city's, and Hörde's imported here).
    if "stand" not in variant:
        assert notes == set(texts.CROSS_ORIGIN.values())

    rows = [
        row
        for slide in _slides(mixed_con, "uebersicht", params)
        if slide.table is not None and "Kennzahl" in slide.table
        for _, row in slide.table.iterrows()
    ]
    assert [r["Kennzahl"] for r in rows] == list(shown)
    for row in rows:
        tile = shown[row["Kennzahl"]]
        first = tile["captions"][0].split("\n")[0].strip()
        assert row["Datenart"] == KIND[BADGE not in first]
        for note in texts.CROSS_ORIGIN.values():
            assert (note in row["Veränderung"]) == (note in first)


# -- charts: masterplan, indicator, district chart --------------------------------------
def _assert_series_origins(fig: dict, frame: pd.DataFrame) -> None:
    """Each line's values and, per point, hollow for demo and filled for official; a
    legend entry for the hollow points exactly when the chart mixes origins."""
    for trace in data_traces(fig):
        name = trace["name"]
        part = frame[frame["area_name"].where(frame["area"] != "dortmund", texts.CITY) == name]
        assert array(trace["y"]) == pytest.approx(part["value"].tolist()), name
        symbols = trace["marker"]["symbol"]
        assert symbols == ["circle" if o else "circle-open" for o in part["is_official"]]
        kinds = [k[1] for k in trace["customdata"]]
        assert kinds == [KIND[bool(o)] for o in part["is_official"]]
    mixed = frame["is_official"].nunique() == 2
    legend = [t for t in fig["data"] if t.get("name") == texts.DEMO_POINTS]
    assert len(legend) == (1 if mixed else 0)


def _assert_slide_series(slide: Slide, frame: pd.DataFrame) -> None:
    values = slide.series[slide.series["name"] != texts.TARGET_PATH]  # the plan is no value
    assert values["official"].tolist() == frame["is_official"].astype(bool).tolist()
    mixed = frame["is_official"].nunique() == 2
    assert slide.kind == (texts.KIND_MIXED if mixed else KIND[bool(frame["is_official"].all())])


@pytest.mark.parametrize("variant", VARIANTS, ids=IDS)
def test_masterplan_points_carry_their_own_origin(mixed_con, before_official, variant) -> None:
    params = _params(variant, before_official, masterplan="verwaltung")
    at = open_page("masterplan", params)
    assert_ok(at)
    as_of, (lo, hi) = _as_of(params), read.data_range(mixed_con)
    areas = ["dortmund", *variant[:1]]
    slides = {s.title: s for s in _slides(mixed_con, "masterplan", params) if s.series is not None}
    names = read.indicator_list(mixed_con).set_index("id")["name"]
    checked = 0
    for key, fig in figures(at).items():
        indicator_id = key.removeprefix("mp_")
        frame = read.series(mixed_con, [indicator_id], areas, lo, hi, as_of=as_of)
        if frame.empty:
            continue
        _assert_series_origins(fig, frame)
        slide = next(s for t, s in slides.items() if t.startswith(f"{names[indicator_id]} ("))
        _assert_slide_series(slide, frame)
        checked += 1
    assert checked
    if "stand" not in variant:  # the official 2025 Servicekonten over the demo series
        assert any(
            t.get("name") == texts.DEMO_POINTS for t in figures(at)["mp_servicekonten"]["data"]
        )


@pytest.mark.parametrize("variant", VARIANTS, ids=IDS)
def test_indicator_chart_table_map_ranking_and_exports_carry_each_origin(
    mixed_con, before_official, variant, downloads
) -> None:
    params = _params(variant, before_official, indikator="glasfaser_haushalte")
    at = open_page("indikator", params)
    assert_ok(at)
    as_of, (lo, hi) = _as_of(params), read.data_range(mixed_con)
    frame = read.series(
        mixed_con, ["glasfaser_haushalte"], ["dortmund", *variant[:1]], lo, hi, as_of=as_of
    )
    charts = figures(at)
    _assert_series_origins(charts["series"], frame)
    # The data table: a row per value with that value's origin.
    table = data_table(at)
    assert table[C["kind"]].tolist() == [KIND[bool(o)] for o in frame["is_official"]]
    # Map and ranking: each district in the latest period with its own origin.
    period = read.district_periods(mixed_con, "glasfaser_haushalte", lo, hi, as_of=as_of)
    values = read.district_values(
        mixed_con, "glasfaser_haushalte", str(period["period"].iloc[0]), as_of=as_of
    )
    own = dict(zip(values["area_name"], values["is_official"].astype(bool), strict=True))
    area_map = charts["map"]["data"][0]
    assert dict(zip(array(area_map["text"]), array(area_map["customdata"]), strict=True)) == {
        name: KIND[o] for name, o in own.items()
    }
    bars = charts["ranking"]["data"][0]
    fills = dict(zip(array(bars["y"]), bars["marker"]["color"], strict=True))
    assert {name: fill != "white" for name, fill in fills.items()} == own
    legend = [t for t in charts["ranking"]["data"] if t.get("name") == texts.DEMO_POINTS]
    assert len(legend) == (1 if len(set(own.values())) == 2 else 0)
    assert ("stand" in variant) == (not any(own.values()))  # Hörde, Eving official live
    # The displayed CSV: the same rows, each with its origin.
    button = next(b for b in at.get("download_button") if b.proto.label == texts.DOWNLOAD_CSV)
    csv = pd.read_csv(io.BytesIO(downloads(button.proto).content), sep=";", encoding="utf-8-sig")
    assert csv[C["kind"]].tolist() == table[C["kind"]].tolist()
    assert csv[C["area_name"]].tolist() == frame["area_name"].tolist()
    button = next(b for b in at.get("download_button") if b.proto.label == texts.DOWNLOAD_XLSX)
    sheet = pd.read_excel(io.BytesIO(downloads(button.proto).content), sheet_name="Daten")
    assert sheet[C["kind"]].tolist() == table[C["kind"]].tolist()
    assert sheet[C["value"]].tolist() == pytest.approx(frame["value"].tolist(), abs=1e-6)
    # The slides of the same link: the series and the ranking with the same markers.
    slides = _slides(mixed_con, "indikator", params)
    _assert_slide_series(next(s for s in slides if s.series is not None), frame)
    ranked = next(s for s in slides if s.bars is not None).bars
    assert dict(zip(ranked["category"], ranked["official"], strict=True)) == own


# -- district page -----------------------------------------------------------------------
@pytest.mark.parametrize("variant", [("hoerde",), ("hoerde", "stand")], ids=IDS[1::2])
def test_district_profile_marks_each_value_and_the_city_value(
    mixed_con, before_official, variant
) -> None:
    params = _params(variant, before_official)
    at = open_page("bezirke", params)
    assert_ok(at)
    as_of, (lo, hi) = _as_of(params), read.data_range(mixed_con)
    indicators = read.indicator_list(mixed_con).set_index("short_name")
    slides = [s for s in _slides(mixed_con, "bezirke", params) if s.table is not None]
    profiles = [f for f in text_tables(at) if C["city_kind"] in f.columns]
    assert profiles
    seen = set()
    for table in profiles:
        for row in table.to_dict("records"):
            ind = indicators.loc[row[C["indicator"]]]
            district = read.series(mixed_con, [ind["id"]], ["hoerde"], lo, hi, as_of=as_of)
            city = read.series(mixed_con, [ind["id"]], ["dortmund"], lo, hi, as_of=as_of)
            latest, _ = _latest_two(district)
            assert row[C["period"]] == period_from_label(latest["period"]).display
            at_period = city[city["period"] == latest["period"]]
            city_official = bool(at_period["is_official"].all())
            assert row[C["kind"]] == KIND[bool(latest["is_official"])], row
            assert row[C["city_kind"]] == KIND[city_official], row
            crosses = bool(latest["is_official"]) != city_official
            note = texts.CROSS_ORIGIN[city_official]
            assert (note in row[C["deviation"]]) == crosses, row
            seen.add((bool(latest["is_official"]), city_official))
        # The slide of this table shows the same cells.
        assert any(s.table.equals(table.reset_index(drop=True)) for s in slides)
    # Live, Hörde's official fibre share stands against the city's demo value.
    assert ((True, False) in seen) == ("stand" not in variant)
