"""``ui.prebuild.Recent``: which cached calls are made again on a new data version."""

from __future__ import annotations

import logging

import pytest

from dortmund_kpi.ui.prebuild import Recent


class Clock:
    def __init__(self) -> None:
        self.now = 1000.0

    def __call__(self) -> float:
        return self.now


def _maker(made: list[tuple[str, str]], name: str):
    return lambda file: made.append((name, file))


def test_the_recent_calls_are_made_on_the_new_version_most_recent_first() -> None:
    clock, made = Clock(), []
    recent = Recent(size=8, within_s=60, now=clock)
    for name in ("overview", "masterplan", "overview"):  # the overview again: now the latest
        recent.remember(("page", name), _maker(made, name))
        clock.now += 1
    assert recent.prepare("v2.duckdb") == 2
    assert made == [("overview", "v2.duckdb"), ("masterplan", "v2.duckdb")]


def test_calls_not_used_lately_are_not_made() -> None:
    clock, made = Clock(), []
    recent = Recent(size=8, within_s=60, now=clock)
    recent.remember("old", _maker(made, "old"))
    clock.now += 61
    recent.remember("new", _maker(made, "new"))
    assert recent.prepare("v2") == 1
    assert made == [("new", "v2")]


def test_at_most_size_calls_are_kept() -> None:
    made: list[tuple[str, str]] = []
    recent = Recent(size=3, within_s=60, now=Clock())
    for index in range(5):
        recent.remember(index, _maker(made, str(index)))
    assert len(recent) == 3
    recent.prepare("v2")
    assert [name for name, _ in made] == ["4", "3", "2"]
    recent.clear()
    assert len(recent) == 0 and recent.prepare("v3") == 0


def test_a_failing_call_is_logged_and_the_others_are_still_made(
    caplog: pytest.LogCaptureFixture,
) -> None:
    made: list[tuple[str, str]] = []
    recent = Recent(size=8, within_s=60, now=Clock())
    recent.remember("fine", _maker(made, "fine"))

    def broken(file: str) -> None:
        raise ValueError("kaputt")

    recent.remember("broken", broken)
    with caplog.at_level(logging.WARNING, logger="dortmund_kpi.ui.prebuild"):
        assert recent.prepare("v2") == 1
    assert made == [("fine", "v2")]
    assert "v2" in caplog.text and "kaputt" in caplog.text


def test_the_frozen_figures_of_page_data_are_serialised_ahead() -> None:
    from dataclasses import dataclass

    import plotly.graph_objects as go

    from dortmund_kpi.views import charts

    @dataclass(frozen=True)
    class Card:
        figure: go.Figure | None

    @dataclass(frozen=True)
    class Page:
        title: str
        cards: list[Card]
        extra: dict[str, go.Figure]

    def figure() -> go.Figure:
        return charts.freeze(go.Figure(go.Scatter(x=[1, 2], y=[3, 4])))

    page = Page("Masterplan", [Card(figure()), Card(None)], {"map": figure()})
    unfrozen = go.Figure()  # not frozen: may still change, never serialised ahead
    charts.serialise_frozen(page)  # page data -> list -> card -> figure
    charts.serialise_frozen(unfrozen)
    shown = [page.cards[0].figure, page.extra["map"]]
    assert all(fig._frozen_dict is not None for fig in shown)
    assert shown[0]._frozen_dict["data"][0]["y"] == [3, 4]
    assert not hasattr(unfrozen, "_frozen_dict")
