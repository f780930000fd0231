"""Stadtbezirke: the profile of the selected district equals the database, with ranks
among the 12 districts."""

from __future__ import annotations

import pandas as pd
import pytest

from dortmund_kpi import formatting, texts
from dortmund_kpi.db import read
from dortmund_kpi.periods import period_from_label
from dortmund_kpi.views.common import per_1000_series

from .conftest import array, assert_ok, figures, open_page, qp_all, text_tables

C = texts.COLUMNS


def _shown(at) -> pd.DataFrame:
    """The profile tables (those with a rank column; the comparison of several districts
    and the measures come after them)."""
    frames = [d for d in text_tables(at) if C["rank"] in d]
    return pd.concat(frames, ignore_index=True)


def _expected_rank(con, indicator_id: str, period: str, slug: str) -> int:
    """Rank computed from the districts' values of that period (1 = best)."""
    aggregation, direction = con.execute(
        "SELECT aggregation, direction FROM indicators WHERE id = ?", [indicator_id]
    ).fetchone()
    values = read.district_values(con, indicator_id, period)
    column = "per_1000" if aggregation == "sum" else "value"
    comparable = values.set_index("area")[column]
    mine = comparable[slug]
    better = comparable > mine if direction == "higher" else comparable < mine
    return int(better.sum()) + 1


@pytest.mark.parametrize(
    ("params", "slug", "years"),
    [
        ({"bezirk": "hoerde"}, "hoerde", (2018, 2025)),
        ({"bezirk": ["Mengede", "eving"], "zeitraum": ["2019", "2022"]}, "mengede", (2019, 2022)),
        ({"bezirk": "innenstadt-nord", "zeitraum": "2020"}, "innenstadt-nord", (2020, 2020)),
    ],
)
def test_profile_equals_database(fixture_con, params: dict, slug: str, years: tuple) -> None:
    at = open_page("bezirke", params)
    assert_ok(at)
    name = fixture_con.execute("SELECT name FROM districts WHERE slug = ?", [slug]).fetchone()[0]
    assert at.title[0].value == texts.PROFILE_TITLE.format(name=name)
    assert at.selectbox(key="_profile_district").value == slug

    profile = read.district_profile(fixture_con, slug, *years)
    assert not profile.empty
    order = {"verwaltung": 0, "wirtschaft": 1, "bildung": 2}
    profile = profile.sort_values("masterplan", key=lambda s: s.map(order), kind="stable")
    shown = _shown(at)
    assert shown[C["indicator"]].tolist() == profile["short_name"].tolist()

    for row, (_, want) in zip(shown.to_dict("records"), profile.iterrows(), strict=True):
        per_capita = want["aggregation"] == "sum"
        unit = f"{want['unit']} {texts.PER_1000}" if per_capita else want["unit"]
        decimals = 2 if per_capita else int(want["decimals"])
        assert row[C["period"]] == period_from_label(want["period"]).display
        assert row[C["value"]] == formatting.with_unit(want["comparable"], unit, decimals)
        assert row[C["city"]] == formatting.with_unit(want["city_comparable"], unit, decimals)
        rank, of = (int(part) for part in row[C["rank"]].split(" von "))
        assert 1 <= rank <= 12 and of == 12, row
        assert rank == want["rank"]
        assert rank == _expected_rank(fixture_con, want["indicator_id"], want["period"], slug)

    headings = [s.value for s in at.header]
    plans = [p for p in order if (profile["masterplan"] == p).any()]
    assert headings[: len(plans)] == [f"Masterplan {p.capitalize()}" for p in plans]
    assert qp_all(at).get("bezirk") == (
        [params["bezirk"]] if isinstance(params["bezirk"], str) else ["mengede", "eving"]
    )


def test_profile_without_selection_shows_the_first_district(fixture_con) -> None:
    at = open_page("bezirke")
    assert_ok(at)
    first = fixture_con.execute("SELECT name FROM districts ORDER BY sort_order LIMIT 1").fetchone()
    assert at.title[0].value == texts.PROFILE_TITLE.format(name=first[0])
    assert qp_all(at) == {}


def test_choosing_a_district_sets_the_filter_and_the_url() -> None:
    at = open_page("bezirke", {"zeitraum": ["2019", "2024"]})
    at.selectbox(key="_profile_district").select("luetgendortmund").run()
    assert_ok(at)
    assert at.title[0].value == texts.PROFILE_TITLE.format(name="Lütgendortmund")
    assert at.sidebar.multiselect[0].value == ["luetgendortmund"]
    assert qp_all(at) == {"bezirk": ["luetgendortmund"], "zeitraum": ["2019", "2024"]}


@pytest.mark.parametrize("slug", ["innenstadt-nord", "scharnhorst"])
def test_deviation_judgement_matches_the_shown_deviation(fixture_con, slug: str) -> None:
    """ "±0,00 (besser)" contradicts itself: a deviation that shows as zero is not judged;
    otherwise the judgement follows the indicator's direction."""
    at = open_page("bezirke", {"bezirk": slug})
    assert_ok(at)
    profile = read.district_profile(fixture_con, slug, 2018, 2025).set_index("short_name")
    for row in _shown(at).to_dict("records"):
        text = row[C["deviation"]]
        want = profile.loc[row[C["indicator"]]]
        # a share's deviation is in percentage points, as the tiles' changes
        assert (" Pp." in text) == (want["unit"] == "%" and want["aggregation"] != "sum"), text
        if text.startswith("±"):
            assert "besser" not in text and "schlechter" not in text, text
        else:
            better = (want["deviation"] > 0) == (want["direction"] == "higher")
            assert text.endswith("(besser)" if better else "(schlechter)"), text


def test_several_districts_side_by_side_and_over_time(fixture_con) -> None:
    """Several chosen districts: the profile of the first, a comparison of all (each value
    and rank from the database), and a chart of the districts against the city; choosing
    another district on the page replaces the first and keeps the others."""
    at = open_page("bezirke", {"bezirk": ["hoerde", "eving"], "indikator": "glasfaser_haushalte"})
    assert_ok(at)
    compared = [d for d in text_tables(at) if "Hörde" in d and "Eving" in d]
    assert compared, "a comparison table with a column per district"
    table = pd.concat(compared, ignore_index=True)
    years = read.data_range(fixture_con)
    for slug, name in (("hoerde", "Hörde"), ("eving", "Eving")):
        profile = read.district_profile(fixture_con, slug, *years).set_index("short_name")
        for row in table.to_dict("records"):
            want = profile.loc[row[C["indicator"]]]
            assert row[name].endswith(f"(Rang {int(want['rank'])})") or (
                f"(Rang {int(want['rank'])}, " in row[name]
            )
    traces = {t["name"] for t in figures(at)["district_series"]["data"]}
    assert {"Dortmund (gesamt)", "Hörde", "Eving"} <= traces
    at.selectbox(key="_profile_district").select("mengede").run()
    assert_ok(at)
    assert at.sidebar.multiselect[0].value == ["mengede", "eving"]
    assert qp_all(at)["bezirk"] == ["mengede", "eving"]


def test_a_count_over_time_is_per_1000_inhabitants_as_in_the_profile(fixture_con) -> None:
    """A count (aggregation ``sum``) over time is drawn per 1,000 inhabitants of each area,
    the city's of all districts together, as the profile compares counts: in absolute
    numbers the city's total dwarfed every district's line. A share keeps its values."""
    chosen = {"hoerde": "Hörde", "eving": "Eving", "dortmund": "Dortmund (gesamt)"}
    years = read.data_range(fixture_con)
    at = open_page("bezirke", {"bezirk": ["hoerde", "eving"], "indikator": "online_antraege"})
    assert_ok(at)
    spec = figures(at)["district_series"]
    assert texts.PER_1000 in spec["layout"]["title"]["text"].replace("<br>", " ")
    population = read.district_list(fixture_con).set_index("slug")["population"]
    population["dortmund"] = population.sum()
    stored = read.series(fixture_con, ["online_antraege"], list(chosen), *years)
    assert not stored.empty  # precondition
    drawn = {t["name"]: t for t in spec["data"]}
    assert set(drawn) <= {*chosen.values(), texts.DEMO_POINTS}
    for slug, name in chosen.items():
        want = stored[stored["area"] == slug]["value"] / population[slug] * 1000
        assert array(drawn[name]["y"]) == pytest.approx(list(want), rel=1e-9), name
    # A count with a target: no target path (nor trend) beside values per 1,000.
    ind = read.indicator_list(fixture_con).set_index("id").loc["wlan_hotspots"]
    assert not pd.isna(ind["target_value"])  # precondition
    hotspots = open_page("bezirke", {"bezirk": "hoerde", "indikator": "wlan_hotspots"})
    names = {t["name"] for t in figures(hotspots)["district_series"]["data"]}
    assert names <= {"Hörde", "Dortmund (gesamt)", texts.DEMO_POINTS}, names
    share = open_page("bezirke", {"bezirk": "hoerde", "indikator": "glasfaser_haushalte"})
    values = {t["name"]: array(t["y"]) for t in figures(share)["district_series"]["data"]}
    stored = read.series(fixture_con, ["glasfaser_haushalte"], ["hoerde"], *years)
    assert values["Hörde"] == pytest.approx(list(stored["value"]))


def test_choosing_the_charts_indicator_writes_the_link() -> None:
    at = open_page("bezirke", {"bezirk": "hoerde"})
    assert "indikator" not in qp_all(at)  # the fallback chart is not written
    at.selectbox(key="_district_chart").select("glasfaser_haushalte").run()
    assert_ok(at)
    assert qp_all(at)["indikator"] == ["glasfaser_haushalte"]
    again = open_page("bezirke", qp_all(at))
    assert at.selectbox(key="_district_chart").value == "glasfaser_haushalte"
    assert again.selectbox(key="_district_chart").value == "glasfaser_haushalte"


def test_a_count_is_drawn_as_stored_without_every_population(fixture_con) -> None:
    """Per 1,000 inhabitants only where every area shown has a population: a district
    file without one (or with 0) leaves the chart in the stored numbers."""
    ind = read.indicator_list(fixture_con).set_index("id").loc["wlan_hotspots"]
    frame = read.series(fixture_con, ["wlan_hotspots"], ["dortmund", "hoerde"], 2018, 2026)
    districts = read.district_list(fixture_con)
    assert per_1000_series(frame, ind, districts) is not None  # precondition
    districts.loc[districts["slug"] == "eving", "population"] = 0
    assert per_1000_series(frame, ind, districts) is None
    unknown = frame.assign(area="nirgendwo")
    assert per_1000_series(unknown, ind, read.district_list(fixture_con)) is None
