"""The comparison page (/vergleich): ranks as the database ranks, per-capita values as
computed by hand, links that reproduce the view."""

from __future__ import annotations

from pathlib import Path

import duckdb
import pytest

from dortmund_kpi import texts
from dortmund_kpi.db.store import Store
from dortmund_kpi.ingest.official import Options, run_official_import
from dortmund_kpi.peer_groups import peer_config
from dortmund_kpi.settings import ENV_DB, Settings
from tests.app.conftest import array, assert_ok, data_table, figures, infos, open_page, qp

ROOT = Path(__file__).resolve().parents[2]
TEST_TABLE = ROOT / "tests" / "fixtures" / "peers" / "it_beschaeftigte_testtabelle.csv"
COLUMNS = texts.COMPARISON_COLUMNS
PEER_INDICATORS = ("gigabit_haushalte", "glasfaser_haushalte", "beschaeftigtenquote")

# Every member's value and Dortmund's city value for a period, ranked by the database
# (RANK: equal values share a rank), for an indicator compared as published.
RANKED = """
WITH members AS (SELECT unnest($ags) AS ags),
vals AS (
  SELECT p.ags, p.value FROM peer_observations p JOIN members m USING (ags)
  WHERE p.indicator_id = $ind AND p.period = $period AND p.ags <> '05913000'
  UNION ALL
  SELECT '05913000', o.value FROM current_observations o
  WHERE o.indicator_id = $ind AND o.period = $period AND o.area = 'dortmund'
)
SELECT ags, rank() OVER (ORDER BY value DESC) AS rank FROM vals ORDER BY rank, ags
"""


def _page_ranks(at) -> list[int]:
    return [int(r) for r in data_table(at, texts.COMPARISON_TABLE)[COLUMNS["rank"]]]


def _db_ranks(con: duckdb.DuckDBPyConnection, ags: tuple[str, ...], ind: str) -> list[int]:
    (period,) = con.execute(
        "SELECT max(period) FROM peer_observations WHERE indicator_id = ?", [ind]
    ).fetchone()
    params = {"ags": list(ags), "ind": ind, "period": period}
    return [int(r[1]) for r in con.execute(RANKED, params).fetchall()]


@pytest.mark.parametrize("indicator", PEER_INDICATORS)
def test_ranks_on_the_page_are_the_ranks_in_the_database(
    indicator: str, fixture_con: duckdb.DuckDBPyConnection
) -> None:
    for group in peer_config().groups:
        at = open_page("vergleich", {"vergleich": group.id, "indikator": indicator})
        assert_ok(at)
        expected = _db_ranks(fixture_con, group.ags, indicator)
        assert len(expected) > 1, f"{group.id}: no peers in the fixture database"
        assert _page_ranks(at) == expected, f"{group.id}, {indicator}"
        shown = data_table(at, texts.COMPARISON_TABLE)
        own = shown[shown[COLUMNS["name"]] == "Dortmund"]
        assert len(own) == 1
        rank_line = figures(at)["peer_rank"]["data"][0]
        assert array(rank_line["y"])[-1] == int(own[COLUMNS["rank"]].iloc[0])


@pytest.fixture
def with_test_table(db_copy: Settings, monkeypatch: pytest.MonkeyPatch) -> Settings:
    """The fixture database plus an (invented) table of IT employees of four cities,
    imported like any official table."""
    result = run_official_import(TEST_TABLE, db_copy, Options(indicator="ikt_beschaeftigte"))
    assert "5 Werte von 3 weiteren Gebieten als Vergleichswerte übernommen" in result.notes
    monkeypatch.setenv(ENV_DB, str(db_copy.db_path))
    return db_copy


def test_counts_are_compared_per_1000_inhabitants(with_test_table: Settings) -> None:
    """Inhabitants 31.12.2024 (Regionalstatistik): Dortmund 603,462, Bochum 358,676, Essen
    574,682, Duisburg 502,270. Computed by hand: 2020 Essen 17,600 / 574.682 = 30.63,
    Dortmund 18,100 / 603.462 = 29.99, Bochum 7,350 / 358.676 = 20.49; Duisburg has no
    2020 value. 2019: Dortmund 28.9993, Essen 27.6675, Bochum 20.0738, Duisburg 12.1449."""
    at = open_page("vergleich", {"vergleich": "ruhr", "indikator": "ikt_beschaeftigte"})
    assert_ok(at)
    table = data_table(at, texts.COMPARISON_TABLE)
    rows = list(zip(table[COLUMNS["name"]], table[COLUMNS["compared"]], strict=True))
    assert rows == [("Essen", "30,63"), ("Dortmund", "29,99"), ("Bochum", "20,49")]
    assert list(table[COLUMNS["rank"]]) == ["1", "2", "3"]
    assert list(table[COLUMNS["value"]]) == ["17.600", "18.100", "7.350"]
    bars = figures(at)["peer_bars"]["data"][0]
    assert [round(v, 4) for v in array(bars["x"])] == [20.492, 29.9936, 30.6256]
    # Dortmund's rank over time: first of four in 2019, second of three in 2020
    line = figures(at)["peer_rank"]["data"][0]
    assert array(line["y"]) == [1, 2]
    assert list(line["text"]) == ["Rang 1 von 4", "Rang 2 von 3"]
    with Store(with_test_table.db_path).connect_read() as con:
        stored = con.execute(
            "SELECT ags, period, value FROM peer_observations "
            "WHERE indicator_id = 'ikt_beschaeftigte' ORDER BY ags, period"
        ).fetchall()
    assert stored == [
        ("05112000", "2019", 6100.0),
        ("05113000", "2019", 15900.0),
        ("05113000", "2020", 17600.0),
        ("05911000", "2019", 7200.0),
        ("05911000", "2020", 7350.0),
    ]


def test_a_link_reproduces_the_view_and_a_choice_writes_it() -> None:
    link = {"vergleich": "stadtregion", "indikator": "beschaeftigtenquote"}
    at = open_page("vergleich", link)
    assert_ok(at)
    assert qp(at, "vergleich") == ["stadtregion"] and qp(at, "indikator") == ["beschaeftigtenquote"]
    first = data_table(at, texts.COMPARISON_TABLE)
    at.selectbox(key="_comparison_vergleich").set_value("ruhr").run()
    assert qp(at, "vergleich") == ["ruhr"]
    again = open_page("vergleich", {k: qp(at, k) for k in ("vergleich", "indikator")})
    assert data_table(again, texts.COMPARISON_TABLE).equals(data_table(at, texts.COMPARISON_TABLE))
    assert not data_table(again, texts.COMPARISON_TABLE).equals(first)
    old = open_page("vergleich", {"gruppe": "stadtregion", "indikator": "beschaeftigtenquote"})
    assert data_table(old, texts.COMPARISON_TABLE).equals(first)


def test_a_plain_link_opens_on_a_comparable_indicator_without_a_notice() -> None:
    """Nobody chose an indicator: the first comparable one, no word about a fallback; one
    chosen elsewhere without comparison values is named when another is shown."""
    plain = open_page("vergleich", {})
    assert_ok(plain)
    assert infos(plain) == []
    assert not data_table(plain, texts.COMPARISON_TABLE).empty
    carried = open_page("vergleich", {"indikator": "online_antraege"})
    assert [i for i in infos(carried) if "keine Vergleichswerte" in i]
    asked = open_page("vergleich", {"indikator": "online_dienstleistungen"})  # the default
    assert [i for i in infos(asked) if "keine Vergleichswerte" in i], "asked for: named"
    assert data_table(carried, texts.COMPARISON_TABLE).equals(
        data_table(plain, texts.COMPARISON_TABLE)
    )


@pytest.mark.parametrize("group", ["stadtregion", "ruhr"])
def test_the_regional_map_colours_the_municipalities_around_dortmund(group: str) -> None:
    """Whatever the group, the map shows every municipality it draws (33 have values)."""
    at = open_page("vergleich", {"vergleich": group, "indikator": "gigabit_haushalte"})
    fig = figures(at)["peer_map"]
    assert fig["layout"]["map"]["style"] == "white-bg"
    located = array(fig["data"][0]["locations"])
    assert len(located) == 33 and "05913000" in located


def test_the_indicator_page_shows_dortmund_im_vergleich() -> None:
    at = open_page("indikator", {"indikator": "beschaeftigtenquote"})
    assert_ok(at)
    texts_shown = [m.value for m in at.markdown]
    assert f"**{texts.COMPARISON_PANEL}**" in texts_shown
    line = next(t for t in texts_shown if t.startswith("2023: Rang "))
    assert "Ruhrgebietsstädte" in line
    plain = open_page("indikator", {"indikator": "online_dienstleistungen"})
    assert f"**{texts.COMPARISON_PANEL}**" not in [m.value for m in plain.markdown]


def test_a_link_pinned_before_the_peer_values_shows_none_of_them() -> None:
    """Peer values count from the moment they were loaded: a view pinned before shows no
    ranking (and no current values under an old Stand)."""
    link = {"vergleich": "ruhr", "indikator": "gigabit_haushalte"}
    pinned = open_page("vergleich", {**link, "stand": "2020-01-01"})
    assert_ok(pinned)
    assert "peer_bars" not in figures(pinned)
    assert data_table(pinned, texts.COMPARISON_TABLE).empty
    assert qp(pinned, "stand") == ["2020-01-01"]
    live = open_page("vergleich", link)
    assert "peer_bars" in figures(live) and not data_table(live, texts.COMPARISON_TABLE).empty
