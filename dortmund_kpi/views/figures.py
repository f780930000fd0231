"""The figures of an indicator: time series with target path and trend, map, ranking."""

from __future__ import annotations

import pandas as pd
import plotly.graph_objects as go

from dortmund_kpi import status, texts
from dortmund_kpi.views import charts
from dortmund_kpi.views.common import meta_for, period_text


def target_and_trend(
    stats_row: pd.Series | None, ind: pd.Series
) -> tuple[tuple | None, tuple | None]:
    """The planned path (baseline -> target) and the trend forecast to the target year."""
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
    trend = ([latest_x, end], [x.latest, forecast]) if forecast is not None else None
    if end <= x.latest_end:
        trend = None
    return target, trend


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
) -> tuple[str, charts.ChartMeta]:
    """Value column and chart meta for district values (per 1,000: two decimals)."""
    unit = f"{ind['unit']} {texts.PER_1000}" if per_capita else str(ind["unit"])
    meta = meta_for(ind, values, title=title, unit=unit)
    if per_capita:
        meta = charts.ChartMeta(meta.title, meta.unit, meta.source, meta.stand, 2, meta.demo)
    return "per_1000" if per_capita else "value", meta


def map_figure(
    values: pd.DataFrame,
    ind: pd.Series,
    geojson: dict,
    view: tuple[dict, float],
    per_capita: bool,
    schematic: bool,
    period_label: str,
) -> go.Figure:
    title = f"{ind['short_name']}, {period_text(period_label)}"
    column, meta = _district_meta(values, ind, per_capita, title)
    return charts.district_map(values, column, geojson, view, meta, schematic)


def ranking_figure(
    values: pd.DataFrame, ind: pd.Series, per_capita: bool, period_label: str
) -> go.Figure:
    title = f"{texts.RANKING_TITLE}, {period_text(period_label)}"
    column, meta = _district_meta(values, ind, per_capita, title)
    return charts.ranking(values, column, meta, ind["direction"] == "higher")
