"""Indikator: one indicator's time series with target path and trend, the districts on a
map and ranked, the data table, metadata and the measures linked to it. With the page's
switch (URL key ``je1000``) an indicator that offers it is shown per 1,000 inhabitants:
series, table, map and ranking."""

from __future__ import annotations

from dataclasses import dataclass

import pandas as pd
import plotly.graph_objects as go

from dortmund_kpi import geometry
from dortmund_kpi.db import measures as measure_db
from dortmund_kpi.db import read
from dortmund_kpi.settings import get_settings
from dortmund_kpi.views import alt_text, bars_svg, charts, map_svg, small_svg, tables
from dortmund_kpi.views import measures as measure_views
from dortmund_kpi.views.common import (
    Query,
    View,
    demo_in,
    file_name,
    per_1000_series,
    status_explanation,
    statuses,
)
from dortmund_kpi.views.figures import indicator_chart, map_figure, ranking_figure

HONOURED = frozenset({"bezirk", "zeitraum", "stand", "praesentation", "massnahme", "indikator"})


@dataclass(frozen=True)
class DistrictCharts:
    """The districts in the latest period within the chosen years: map and ranking."""

    period: str
    values: pd.DataFrame
    map: go.Figure
    ranking: go.Figure
    ranking_svg: str = ""  # the ranking as static SVG (views.bars_svg)
    map_svg: str = ""  # the map as static SVG (views.map_svg)


@dataclass(frozen=True)
class IndicatorData:
    view: View
    indicator: pd.Series
    plan_name: str
    frame: pd.DataFrame  # the values drawn: the city and the chosen districts
    drawn: pd.Series  # the indicator as drawn: per 1,000 inhabitants (its unit) or as stored
    per_capita: bool  # the switch is on and the indicator offers it (series, map, ranking)
    figure: go.Figure | None
    status: str | None
    explanation: str  # how the status comes about, with the indicator's numbers
    table: pd.DataFrame  # as shown and downloaded (values stay numbers)
    districts: DistrictCharts | None
    linked: pd.DataFrame  # the measures meant to move this indicator
    file_name: str
    series_svg: str = ""  # the figure as static SVG (views.small_svg.series_markup)
    honoured: frozenset[str] = HONOURED

    @property
    def demo(self) -> bool:
        return demo_in(self.frame)

    @property
    def has_district_level(self) -> bool:
        return self.indicator["level"] == "district"


def build(query: Query, view: View) -> IndicatorData:
    indicators = query(read.indicator_list).set_index("id", drop=False)
    indicator_id = view.indicator if view.indicator in indicators.index else indicators.index[0]
    ind = indicators.loc[indicator_id]
    (lo, hi), as_of = view.years, view.as_of
    frame = query(read.series, [indicator_id], view.areas, lo, hi, as_of=as_of)
    stats = query(read.series_stats, lo, hi, as_of=as_of).set_index("indicator_id")
    row = stats.loc[indicator_id] if indicator_id in stats.index else None
    today = measure_views.reference_day(as_of)
    measures = measure_views.prepare(query(measure_db.measures, as_of=as_of), today)
    per_capita = view.per_capita and bool(ind["per_capita"])
    drawn, drawn_row = ind, row
    # With the switch, the series per 1,000 inhabitants too, as the map: in absolute numbers
    # the city's total dwarfed the chosen districts' lines.
    with_values = per_capita and not frame.empty
    relative = per_1000_series(frame, ind, query(read.district_list)) if with_values else None
    if relative is not None:  # no target path or trend: they are the city total's
        frame, drawn, drawn_row = *relative, None
    figure = None if frame.empty else charts.freeze(indicator_chart(frame, drawn, drawn_row))
    return IndicatorData(
        view=view,
        indicator=ind,
        plan_name=query(read.masterplan_names)[ind["masterplan"]],
        frame=frame,
        drawn=drawn,
        per_capita=per_capita,
        figure=figure,
        status=statuses(stats, query(read.indicator_list)).get(indicator_id),
        explanation=status_explanation(row, ind),
        table=tables.display_table(frame, drawn),
        districts=_districts(query, view, ind, per_capita) if ind["level"] == "district" else None,
        linked=measure_views.for_indicator(measures, indicator_id),
        # per 1,000 inhabitants: other numbers, another name (both land in one folder)
        file_name=file_name(ind, list(view.districts), lo, hi)
        + ("_je1000" if relative is not None else ""),
        series_svg=""
        if figure is None
        else small_svg.series_markup(figure, alt_text.describe(figure)),
    )


def _districts(query: Query, view: View, ind: pd.Series, per_capita: bool) -> DistrictCharts | None:
    (lo, hi), as_of = view.years, view.as_of
    periods = query(read.district_periods, str(ind["id"]), lo, hi, as_of=as_of)
    if periods.empty:
        return None
    period = str(periods["period"].iloc[0])
    values = query(read.district_values, str(ind["id"]), period, as_of=as_of)
    geo = geometry.current_geometry(get_settings())
    district_map = map_figure(values, ind, geo, per_capita, period)
    district_map = charts.freeze(district_map)
    ranking = charts.freeze(ranking_figure(values, ind, per_capita, period))
    return DistrictCharts(
        period,
        values,
        district_map,
        ranking,
        bars_svg.figure_svg(ranking, alt_text.describe(ranking)),
        map_svg.figure_svg(district_map, alt_text.describe(district_map)),
    )
