"""Masterplan: every indicator of one plan as small multiples with target path and status,
shown in groups, and the plan's measures on a timeline."""

from __future__ import annotations

import functools
from dataclasses import dataclass

import pandas as pd
import plotly.graph_objects as go

from dortmund_kpi import formatting, texts
from dortmund_kpi.db import measures as measure_db
from dortmund_kpi.db import read
from dortmund_kpi.views import alt_text, charts, memo, small_svg, timeline_svg
from dortmund_kpi.views import measures as measure_views
from dortmund_kpi.views.common import (
    Query,
    View,
    demo_in,
    file_name,
    status_explanation,
    statuses,
)
from dortmund_kpi.views.figures import indicator_chart

HONOURED = frozenset(
    {"bezirk", "zeitraum", "stand", "praesentation", "massnahme", "masterplan", "seite"}
)


@dataclass(frozen=True)
class Chart:
    """One indicator's small multiple: its catalog row, the values drawn, the figure
    (None without data), its target status and its export file name; ``svg`` is the
    figure drawn as static SVG (the page shows it, the figure on demand)."""

    indicator: pd.Series
    frame: pd.DataFrame
    figure: go.Figure | None
    status: str | None
    file_name: str
    explanation: str = ""  # how the status comes about, with the indicator's numbers
    svg: str = ""


@dataclass(frozen=True)
class MasterplanData:
    view: View
    plan: str
    plan_name: str
    groups: list[tuple[int, int]]
    group: int  # 1-based, clamped to the groups there are
    charts: tuple[Chart, ...]  # the group shown
    measures: pd.DataFrame
    timeline: go.Figure | None
    timeline_svg: str = ""  # the timeline as static SVG (views.timeline_svg.markup)
    honoured: frozenset[str] = HONOURED

    @functools.cached_property  # asked on every run of the shared page data
    def empty(self) -> bool:
        return all(c.frame.empty for c in self.charts)

    @functools.cached_property  # asked on every run of the shared page data
    def demo(self) -> bool:
        return any(demo_in(c.frame) for c in self.charts)

    @property
    def measures_title(self) -> str:
        return f"{texts.MEASURES_TITLE}: Masterplan {self.plan_name}"

    @property
    def status_area(self) -> str:
        """Whose target status the cards show when districts are drawn, too: the city's
        (the targets are the city's); "" when the charts show the city alone."""
        return texts.TILE_CITY if self.view.districts else ""


def build(query: Query, view: View) -> MasterplanData:
    plans = query(read.masterplan_names)
    plan = view.masterplan if view.masterplan in plans else next(iter(plans))
    indicators = query(read.indicator_list)
    own = indicators[indicators["masterplan"] == plan]
    groups = chart_groups(len(own))
    group = min(max(view.group, 1), max(len(groups), 1))
    start, end = groups[group - 1] if groups else (0, 0)
    shown = own.iloc[start:end].set_index("id", drop=False)
    frame = _measures(query, view, plan)
    title = f"{texts.MEASURES_TITLE}: Masterplan {plans[plan]}"
    timeline, svg = _timeline(query, view, frame, title)
    return MasterplanData(
        view=view,
        plan=plan,
        plan_name=plans[plan],
        groups=groups,
        group=group,
        charts=_charts(query, view, shown),
        measures=frame,
        timeline=timeline,
        timeline_svg=svg,
    )


def _charts(query: Query, view: View, shown: pd.DataFrame) -> tuple[Chart, ...]:
    (lo, hi), as_of = view.years, view.as_of
    stats = query(read.series_stats, lo, hi, as_of=as_of).set_index("indicator_id")
    frame = query(read.series, list(shown["id"]), view.areas, lo, hi, as_of=as_of)
    parts = dict(tuple(frame.groupby("indicator_id", sort=False)))
    target_status = statuses(stats, query(read.indicator_list))
    out = []
    for indicator_id, ind in shown.iterrows():
        part = parts.get(indicator_id, frame.iloc[0:0])
        row = stats.loc[indicator_id] if indicator_id in stats.index else None
        figure, svg = (None, "") if part.empty else _drawn(part, ind, row)
        name = file_name(ind, list(view.districts), lo, hi)
        state = target_status.get(str(indicator_id))
        out.append(Chart(ind, part, figure, state, name, status_explanation(row, ind), svg))
    return tuple(out)


# The small multiples and the timeline outlive a data version (views.memo): after an
# import only the charts whose values, catalog row, statistics or measures changed are
# drawn again.
_DRAWN = memo.ContentMemo(size=512)


def _drawn(part: pd.DataFrame, ind: pd.Series, row: pd.Series | None) -> tuple[go.Figure, str]:
    """A small multiple's figure (frozen) and its SVG, drawn once per content."""

    def draw() -> tuple[go.Figure, str]:
        figure = charts.freeze(indicator_chart(part, ind, row, height=320))
        return figure, small_svg.figure_svg(figure, alt_text.describe(figure))

    return _DRAWN.get(memo.digest("small-multiple", part, ind, row), draw)


def _measures(query: Query, view: View, plan: str) -> pd.DataFrame:
    today = measure_views.reference_day(view.as_of)
    frame = measure_views.prepare(query(measure_db.measures, as_of=view.as_of), today)
    return measure_views.for_masterplan(frame, plan)


def _timeline(
    query: Query, view: View, frame: pd.DataFrame, title: str
) -> tuple[go.Figure | None, str]:
    """The timeline's figure (frozen) and its SVG, drawn once per content."""
    if frame.empty:
        return None, ""
    stand = query(read.data_stand, as_of=view.as_of)
    today = measure_views.reference_day(view.as_of)
    text = formatting.chart_timestamp(None if pd.isna(stand) else stand)
    pinned = view.as_of is not None

    def draw() -> tuple[go.Figure, str]:
        figure = measure_views.timeline(frame, title, text, today, pinned=pinned)
        figure = charts.freeze(figure)
        return figure, timeline_svg.markup(figure, alt_text.describe(figure))

    return _DRAWN.get(memo.digest("timeline", frame, title, text, today, pinned), draw)


# The masterplan page shows this many charts at a time (the shipped catalog has 13 per
# masterplan at most): each chart costs the browser and the server run a few ms.
CHARTS_PER_VIEW = 14


def chart_groups(count: int, size: int | None = None) -> list[tuple[int, int]]:
    """(start, end) of each group of ``size`` charts, in order (none for no charts)."""
    size = size or CHARTS_PER_VIEW
    return [(start, min(start + size, count)) for start in range(0, count, size)]
