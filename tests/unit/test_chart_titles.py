"""Chart titles wrap by words to lines a phone's chart (390 px) can show, and the plot
area moves down below them. Built from the fixture database through the page builders."""

from __future__ import annotations

import re

import pytest

from dortmund_kpi.db import read
from dortmund_kpi.db.store import Store
from dortmund_kpi.settings import Settings
from dortmund_kpi.views import chart_frame, indicator, masterplan, projector
from dortmund_kpi.views.common import Direct, View

YEARS = (2018, 2026)
# A title line at 16 px that still fits a 390 px wide phone's chart (about 350 px).
PHONE_TITLE_CHARS = 36


@pytest.fixture(scope="module")
def figures(fixture_db: Settings) -> list:
    """Every indicator page's figures (time series, map, ranking) and every timeline."""
    out = []
    with Store(fixture_db.db_path).connect_read() as con:
        query = Direct(con)
        for indicator_id in query(read.indicator_list)["id"]:
            data = indicator.build(query, View("indikator", YEARS, indicator=indicator_id))
            out.append(data.figure)
            if data.districts is not None:
                out += [data.districts.map, data.districts.ranking]
        for plan in ("verwaltung", "wirtschaft", "bildung"):
            out.append(masterplan.build(query, View("masterplan", YEARS, masterplan=plan)).timeline)
    return [f for f in out if f is not None]


def _lines(fig) -> list[str]:
    return fig.layout.title.text.split("<br>")


def test_title_lines_fit_a_phone_and_no_word_is_cut(figures) -> None:
    assert any(len(_lines(f)) > 1 for f in figures), "precondition: a title long enough to wrap"
    for fig in figures:
        lines = _lines(fig)
        for line in lines:
            assert len(line) <= PHONE_TITLE_CHARS or " " not in line, lines
        # only spaces between words became line breaks: the words are all there, whole
        words = " ".join(lines).split()
        assert all(line == line.strip() and line for line in lines)
        assert re.sub(r"\s+", " ", " ".join(lines)) == " ".join(words)
        # the plot area moves down: the first line at the top, each further one ~21 px,
        # and a row for the legend where plotly draws one (two or more named traces)
        legend = 20 if len([t for t in fig.data if t.name]) > 1 else 0
        assert fig.layout.margin.t >= 40 + 20 * len(lines) + legend, (lines, fig.layout.margin.t)


def test_a_chart_without_legend_keeps_no_room_for_one(figures) -> None:
    """A map or a ranking (one trace, no legend): its plot begins below its title, without
    an empty legend row between (in an exported map it was a blank band)."""
    single = [f for f in figures if len(f.data) == 1]
    assert {f.data[0].type for f in single} >= {"choroplethmap", "bar"}  # precondition
    for fig in single:
        assert fig.layout.margin.t == 40 + 20 * len(_lines(fig)), _lines(fig)


def test_projector_titles_wrap_shorter_for_their_larger_letters(figures) -> None:
    """Presentation mode draws titles 1.5 times as large: their lines are shorter."""
    for fig in figures:
        big = projector.for_projector(fig)
        lines = _lines(big)
        assert " ".join(lines) == " ".join(_lines(fig))
        for line in lines:
            assert len(line) <= PHONE_TITLE_CHARS / 1.5 or " " not in line, lines
        assert big.layout.margin.t >= 1.5 * (40 + 20 * len(lines)), lines


def test_timeline_footer_keeps_the_stand_time_together(figures) -> None:
    """The masterplan timelines' footer: "Uhr" never alone on a line (no-break spaces)."""
    timelines = [f for f in figures if f.layout.title.text.startswith("Maßnahmen")]
    assert len(timelines) == 3
    for fig in timelines:
        footer = next(a.text for a in fig.layout.annotations if "Stand:" in a.text)
        stand = re.search(r"Stand:\s*([\d.,:\s]+Uhr)", footer.replace("<br>", "\n"))
        assert stand and re.fullmatch(r"\d\d\.\d\d\.\d{4},\xa0\d\d:\d\d\xa0Uhr", stand[1])


def test_wrapping_keeps_every_word_of_a_long_title() -> None:
    title = "Schülerinnen und Schüler je digitalem Endgerät (Schüler je Gerät)"
    lines = chart_frame.title_lines(title)
    assert " ".join(lines) == title
    assert all(len(line) <= PHONE_TITLE_CHARS for line in lines)
