"""Text alternatives of charts (WCAG 1.1.1): the German sentence says what the figure the
page builds from the fixture database shows: trend, last value, target status."""

from __future__ import annotations

import pandas as pd
import pytest

from dortmund_kpi import formatting, texts
from dortmund_kpi.db.store import Store
from dortmund_kpi.settings import Settings
from dortmund_kpi.views import alt_text, charts, indicator, masterplan, projector
from dortmund_kpi.views.common import Direct, View

YEARS = (2018, 2026)


@pytest.fixture(scope="module")
def pages(fixture_db: Settings) -> dict:
    """Page data of the real builds: indicators with and without target, and a masterplan."""
    with Store(fixture_db.db_path).connect_read() as con:
        query = Direct(con)
        out = {
            ind: indicator.build(
                query, View("indikator", YEARS, districts=("hoerde", "eving"), indicator=ind)
            )
            for ind in ("wlan_hotspots", "schueler_je_geraet", "online_antraege")
        }
        out["plan"] = masterplan.build(query, View("masterplan", YEARS))
    return out


def _city(page: indicator.IndicatorData) -> pd.DataFrame:
    return page.frame[page.frame["area"] == "dortmund"].sort_values("period_start")


@pytest.mark.parametrize("ind", ["wlan_hotspots", "schueler_je_geraet"])
def test_series_sentence_says_trend_last_value_and_target(pages: dict, ind: str) -> None:
    page = pages[ind]
    info, city = page.indicator, _city(page)
    decimals = int(info["decimals"])
    first, last = float(city["value"].iloc[0]), float(city["value"].iloc[-1])
    sentence = alt_text.describe(page.figure)

    assert sentence.startswith(f"{info['name']} ({info['unit']}).")
    period = charts.period_labels(city["period"]).iloc[-1]
    assert f"Letzter Wert: {formatting.number(last, decimals)} ({period})." in sentence
    assert ("gestiegen" if last > first else "gesunken") in sentence
    assert f"Zielpfad bis {int(info['target_year'])}: " in sentence
    assert formatting.number(float(info["target_value"]), decimals) in sentence
    assert any(f"liegt {w} dem Zielpfad" in sentence for w in ("über", "unter", "auf"))
    assert "Dazu 2 weitere Linien: " in sentence  # the two chosen districts
    assert "nan" not in sentence.lower()


def test_series_without_target_says_so(pages: dict) -> None:
    page = pages["online_antraege"]
    assert pd.isna(page.indicator["target_value"])
    assert alt_text.describe(page.figure).endswith(texts.ALT_NO_TARGET.strip())


def test_last_value_against_the_target_path_follows_the_drawn_path(pages: dict) -> None:
    """Above or below: the last value against the planned path at the last value's date."""
    fig = pages["wlan_hotspots"].figure
    path = next(t for t in fig.data if t.name == texts.TARGET_PATH)
    line = fig.data[0]
    x0, x1 = (pd.Timestamp(x) for x in path.x)
    at = pd.Timestamp(line.x[-1])
    planned = path.y[0] + (path.y[1] - path.y[0]) * ((at - x0) / (x1 - x0))
    where = "über" if line.y[-1] > planned else "unter"
    assert f"liegt {where} dem Zielpfad" in alt_text.describe(fig)


def test_ranking_and_map_name_the_best_and_the_extremes(pages: dict) -> None:
    page = pages["schueler_je_geraet"]  # lower is better: the lowest value leads
    values = page.districts.values.dropna(subset=["value"])
    best = values.loc[values["value"].idxmin(), "area_name"]
    worst = values.loc[values["value"].idxmax(), "area_name"]
    ranking = alt_text.describe(page.districts.ranking)
    assert f"Rangfolge von {len(values)} Stadtbezirken: vorn {best} (" in ranking
    assert f"hinten {worst} (" in ranking
    district_map = alt_text.describe(page.districts.map)
    assert f"höchster Wert {worst} (" in district_map
    assert f"niedrigster {best} (" in district_map


def test_timeline_counts_measures_and_overdue_ones(pages: dict) -> None:
    plan = pages["plan"]
    sentence = alt_text.describe(plan.timeline)
    overdue = int(plan.measures["overdue"].sum())
    assert f"Zeitplan von {len(plan.measures)} Maßnahmen, davon {overdue} überfällig." in sentence


def test_every_masterplan_chart_has_a_sentence_with_its_title(pages: dict) -> None:
    for chart in pages["plan"].charts:
        sentence = alt_text.describe(chart.figure)
        assert sentence.startswith(str(chart.indicator["name"]))
        assert "Letzter Wert: " in sentence


def test_projector_copy_keeps_the_figure_and_enlarges_its_text(pages: dict) -> None:
    fig = pages["wlan_hotspots"].figure
    big = projector.for_projector(fig)
    assert big.layout.title.font.size == fig.layout.title.font.size * projector.PROJECTOR_SCALE
    assert [a.font.size for a in big.layout.annotations] == [
        a.font.size * projector.PROJECTOR_SCALE for a in fig.layout.annotations
    ]
    assert alt_text.describe(big) == alt_text.describe(fig)  # same data, same sentence
