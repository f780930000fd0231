"""Dortmund's rank over time drawn as static SVG (``views.rank_svg``) from the comparison
page's plotly figure: rank 1 at the top, every period on the axis (or every n-th where
they would collide), each point labelled and with the chart's hover as its tooltip."""

from __future__ import annotations

import itertools
import xml.etree.ElementTree as ET

import pandas as pd
import pytest

from dortmund_kpi import texts
from dortmund_kpi.views import alt_text, rank_svg
from dortmund_kpi.views.comparison_charts import Meta, Standing, rank_history

NS = "{http://www.w3.org/2000/svg}"
FRAME = pd.DataFrame(
    {"source": ["Breitbandatlas"], "loaded_at": [pd.Timestamp("2026-11-30")], "is_official": [True]}
)


def _figure(ranks: list[int | None], n: int = 11):
    history = [
        Standing(str(2014 + i), rank, n, None if rank is None else 1.0, 1.0, 2.0, "Münster")
        for i, rank in enumerate(ranks)
    ]
    return rank_history(history, FRAME, Meta("Glasfaser", "%", 1, True), "Ruhrgebiet")


def _drawn(fig) -> ET.Element:
    return ET.fromstring(rank_svg.figure_svg(fig, alt_text.describe(fig)))


def _texts(svg: ET.Element) -> list[str]:
    return [t.text or "" for t in svg.iter(f"{NS}text")]


def _points(svg: ET.Element) -> list[ET.Element]:
    tips = next(g for g in svg.iter(f"{NS}g") if g.get("class") == "tips")
    return list(tips.iter(f"{NS}circle"))


def test_rank_one_is_drawn_at_the_top_and_every_point_has_its_hover():
    fig = _figure([5, 2, None, 9])
    svg = _drawn(fig)
    points = _points(svg)
    assert len(points) == 3  # no point for the period without a Dortmund value
    heights = [float(p.get("cy")) for p in points]
    assert heights[1] < heights[0] < heights[2]  # rank 2 above rank 5 above rank 9
    tips = [p.find(f"{NS}title").text for p in points]
    assert tips == [
        f"2014: {texts.COMPARISON_RANK.format(rank=5, n=11)} (Ruhrgebiet)",
        f"2015: {texts.COMPARISON_RANK.format(rank=2, n=11)} (Ruhrgebiet)",
        f"2017: {texts.COMPARISON_RANK.format(rank=9, n=11)} (Ruhrgebiet)",
    ]
    drawn = _texts(svg)
    assert texts.COMPARISON_RANK.format(rank=2, n=11) in drawn  # labels as in the chart
    assert {"2014", "2015", "2017", texts.COMPARISON_RANK_AXIS} <= set(drawn)
    assert {str(r) for r in range(1, 12)} <= set(drawn)  # every rank of a small group
    assert any("Quelle: Breitbandatlas" in t for t in drawn)
    label = svg.get("aria-label")  # the text alternative: the last rank, then the first
    assert label.endswith("Zuletzt Rang 9 von 11 (2017). Zuerst Rang 5 von 11 (2014).")


@pytest.mark.parametrize("periods", [12, 30])
def test_many_periods_keep_their_labels_apart(periods: int):
    svg = _drawn(_figure([1 + i % 30 for i in range(periods)], n=33))
    years = [
        t
        for t in svg.iter(f"{NS}text")
        if (t.text or "").isdigit() and len(t.text or "") == 4 and t.get("text-anchor") == "middle"
    ]
    xs = [float(t.get("x")) for t in years]
    assert years and all(b - a >= 4 * 5.9 + 8 for a, b in itertools.pairwise(xs))
    assert len(_points(svg)) == periods  # every point keeps its tooltip


def test_the_latest_period_keeps_its_label_when_labels_are_thinned():
    svg = _drawn(_figure([1 + i % 30 for i in range(30)], n=33))
    years = [t for t in _texts(svg) if len(t) == 4 and t.startswith("20")]
    assert years[-1] == "2043" and "2014" not in years


def test_one_period_and_no_rank_at_all():
    one = _drawn(_figure([4]))
    assert len(_points(one)) == 1 and "2014" in _texts(one)
    assert one.get("aria-label").endswith("Zuletzt Rang 4 von 11 (2014).")
    none = _drawn(_figure([None, None]))
    assert not [g for g in none.iter(f"{NS}g") if g.get("class") == "tips"]
    assert none.get("aria-label").endswith(texts.ALT_EMPTY.format(title="").lstrip(". "))
