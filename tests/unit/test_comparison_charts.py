"""The comparison page's rank chart (views.comparison_charts.rank_history): readable axis
labels in small and large peer groups."""

from __future__ import annotations

from dortmund_kpi.db.store import Store
from dortmund_kpi.settings import Settings
from dortmund_kpi.views import comparison
from dortmund_kpi.views.common import Direct, View

YEARS = (2018, 2026)


def test_rank_axis_labels_stay_apart_in_a_large_group(fixture_db: Settings) -> None:
    """The rank chart beside the bars: every rank among the 11 Ruhr cities, rank 1 and
    every fifth among the city region's 33 (all 33 ran into each other)."""
    with Store(fixture_db.db_path).connect_read() as con:
        region = comparison.build(Direct(con), View("vergleich", YEARS, peer_group="stadtregion"))
    assert region.rank_figure is not None
    worst = int(region.rank_figure.layout.yaxis.range[0] - 0.5)
    assert worst > 12, "precondition: the city region is a large group"
    assert list(region.rank_figure.layout.yaxis.tickvals) == [1, *range(5, worst + 1, 5)]
    assert comparison.figures.rank_ticks(11) == list(range(1, 12))
