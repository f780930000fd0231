"""The figures of an indicator: time series with target path and trend, map, ranking."""

from __future__ import annotations

import pandas as pd
import plotly.graph_objects as go

from dortmund_kpi import status, texts
from dortmund_kpi.geometry import Geometry
from dortmund_kpi.views import chart_frame, charts
from dortmund_kpi.views.common import (
    PER_1000_DECIMALS,
    meta_for,
    per_1000_unit,
    period_text,
    possible_range,
)


def target_and_trend(
    stats_row: pd.Series | None, ind: pd.Series
) -> tuple[tuple | None, tuple | None]:
    """The planned path (baseline -> target) and the trend forecast to the target year,
    stopped where it would leave the indicator's possible range (``bounded_trend``)."""
    if stats_row is None or pd.isna(ind["target_value"]) or pd.isna(stats_row["latest"]):
        return None, None
    x = status.target_input(
        stats_row, ind["target_value"], ind["target_year"], ind["direction"] == "higher"
    )
    end = status.target_end(x.target_year)
    # Drawn where the series draws its points: in the middle of each period.
    base_x = _midpoint(stats_row["base_start"], stats_row["base_date"])
    latest_x = _midpoint(stats_row["latest_start"], stats_row["latest_end"])
    target = ([base_x, end], [x.base_value, x.target])
    forecast = status.forecast_value(x, end)
    if forecast is None or end <= x.latest_end:
        return target, None
    return target, bounded_trend(latest_x, x.latest, pd.Timestamp(end), forecast, ind)


def bounded_trend(
    x0: pd.Timestamp, y0: float, x1: pd.Timestamp, y1: float, ind: pd.Series
) -> tuple[list, list, str]:
    """The trend line from (x0, y0) to (x1, y1) and its name. A line running past the
    indicator's possible range (pupils per device below zero) claims a value that cannot
    occur: it ends where it meets the bound, and its name says so."""
    lo, hi = possible_range(ind)
    side, bound = ("min", lo) if y1 < lo else ("max", hi) if y1 > hi else (None, y1)
    if side is None or not lo <= y0 <= hi or y1 == y0:
        return [x0, x1], [y0, y1], texts.TREND
    x_end = x0 + (x1 - x0) * ((bound - y0) / (y1 - y0))
    name = texts.TREND_BOUNDED.format(side=texts.TREND_BOUND_SIDES[side])
    return [x0, x_end], [y0, bound], name


def _midpoint(start: pd.Timestamp, end: pd.Timestamp) -> pd.Timestamp:
    return start + (end - start) / 2


def indicator_chart(
    frame: pd.DataFrame,
    ind: pd.Series,
    stats_row: pd.Series | None,
    *,
    height: int = 420,
    title: str | None = None,
) -> go.Figure:
    target, trend = target_and_trend(stats_row, ind)
    return charts.time_series(
        frame, meta_for(ind, frame, title=title), target=target, trend=trend, height=height
    )


def _district_meta(
    values: pd.DataFrame, ind: pd.Series, per_capita: bool, title: str
) -> tuple[str, chart_frame.ChartMeta]:
    """Value column and chart meta for district values (per 1,000: two decimals)."""
    unit = per_1000_unit(ind["unit"]) if per_capita else str(ind["unit"])
    meta = meta_for(ind, values, title=title, unit=unit)
    if per_capita:
        meta = chart_frame.ChartMeta(
            meta.title, meta.unit, meta.source, meta.stand, PER_1000_DECIMALS, meta.demo
        )
    return "per_1000" if per_capita else "value", meta


def map_figure(
    values: pd.DataFrame, ind: pd.Series, geo: Geometry, per_capita: bool, period_label: str
) -> go.Figure:
    title = f"{ind['short_name']}, {period_text(period_label)}"
    column, meta = _district_meta(values, ind, per_capita, title)
    return charts.district_map(
        values, column, geo.geojson, geo.view, meta, geo.schematic, geo.labels
    )


def ranking_figure(
    values: pd.DataFrame, ind: pd.Series, per_capita: bool, period_label: str
) -> go.Figure:
    title = f"{texts.RANKING_TITLE}, {period_text(period_label)}"
    column, meta = _district_meta(values, ind, per_capita, title)
    return charts.ranking(values, column, meta, ind["direction"] == "higher")
