"""A German sentence that says what a chart shows: its text alternative (WCAG 1.1.1).

Read from the finished figure itself (the figure the page and the exports show), so the
sentence can never disagree with the drawing: the title, the trend of the main line, its
last value, the target path and where the last value lies against it, the forecast; for
rankings, maps and measure timelines what a reader would look for first. No Streamlit.
"""

from __future__ import annotations

import math
import re
from collections.abc import Sequence

import pandas as pd
import plotly.graph_objects as go

from dortmund_kpi import formatting, texts
from dortmund_kpi.views import svg_parts

_TAGS = re.compile(r"<[^>]+>")


def describe(fig: go.Figure) -> str:
    """The text alternative of one of the product's figures."""
    title = _title(fig)
    traces = list(fig.data)
    if any(t.type == "scatterpolar" for t in traces):
        return _radar(title, fig)
    if fig.layout.yaxis.title.text == texts.COMPARISON_RANK_AXIS:
        return _rank(title, traces[0])
    if any(t.type == "choroplethmap" for t in traces):
        return _map(title, next(t for t in traces if t.type == "choroplethmap"), fig)
    bars = [t for t in traces if t.type == "bar"]
    if bars and bars[0].orientation == "h" and bars[0].base is not None:
        return _timeline(title, bars)
    if bars and bars[0].orientation == "h":
        return _ranking(title, bars[0], _decimals(fig, "x"))
    return _series(title, traces, _decimals(fig, "y"))


def _title(fig: go.Figure) -> str:
    text = fig.layout.title.text or ""
    return " ".join(_TAGS.sub(" ", text).split())


def _decimals(fig: go.Figure, axis: str) -> int:
    """Decimals of the axis' number format (",.1f" -> 1): values read as the axis shows them."""
    return svg_parts.decimals((fig.layout.yaxis if axis == "y" else fig.layout.xaxis).tickformat)


def _values(values: Sequence | None) -> list[float]:
    return [float(v) for v in (values if values is not None else ()) if _finite(v)]


def _finite(value: object) -> bool:
    try:
        return math.isfinite(float(value))  # type: ignore[arg-type]
    except (TypeError, ValueError):
        return False


def _year(x: object) -> str:
    return str(pd.Timestamp(x).year)


def _series(title: str, traces: list, decimals: int) -> str:
    lines = [t for t in traces if t.type == "scatter" and not _is_path(t)]
    points = (
        [(y, c[0]) for y, c in zip(lines[0].y, lines[0].customdata, strict=False) if _finite(y)]
        if lines and lines[0].y is not None and lines[0].customdata is not None
        else []
    )
    if not points:
        return texts.ALT_EMPTY.format(title=title)
    (first, first_period), (last, last_period) = points[0], points[-1]
    num = lambda v: formatting.number(float(v), decimals)  # noqa: E731
    if len(points) == 1:
        trend = texts.ALT_ONE_VALUE
    elif round(float(last), decimals) == round(float(first), decimals):
        trend = texts.ALT_FLAT.format(period=first_period)
    else:
        rose = float(last) > float(first)
        trend = (texts.ALT_ROSE if rose else texts.ALT_FELL).format(
            first=num(first), period=first_period
        )
    text = texts.ALT_SERIES.format(title=title, trend=trend, last=num(last), period=last_period)
    if len(lines) > 1:
        names = ", ".join(str(t.name) for t in lines[1:])
        text += texts.ALT_OTHER_AREAS.format(n=len(lines) - 1, names=names)
    target = next((t for t in traces if t.name == texts.TARGET_PATH), None)
    if target is not None and len(_values(target.y)) == 2:
        text += _target_sentence(target, lines[0], float(last), decimals)
    else:
        text += texts.ALT_NO_TARGET
    trend_trace = next((t for t in traces if _is_trend(t)), None)
    if trend_trace is not None and _values(trend_trace.y):
        value, year = num(_values(trend_trace.y)[-1]), _year(trend_trace.x[-1])
        if trend_trace.name == texts.TREND:
            text += texts.ALT_FORECAST.format(year=year, value=value)
        else:  # stopped at the indicator's bound (views.figures.bounded_trend)
            side = next(s for s in texts.TREND_BOUND_SIDES.values() if s in trend_trace.name)
            text += texts.ALT_FORECAST_BOUND.format(year=year, side=side, value=value)
    return text


def _is_trend(trace: go.Scatter) -> bool:
    name = str(trace.name)
    return name == texts.TREND or name.startswith(texts.TREND_BOUNDED.split("{")[0])


def _is_path(trace: go.Scatter) -> bool:
    """The target path or the trend: lines of the chart, not of an area."""
    return trace.name == texts.TARGET_PATH or _is_trend(trace)


def _target_sentence(target: go.Scatter, line: go.Scatter, last: float, decimals: int) -> str:
    """The target at the end of the path, and the last value against the path at its date."""
    (x0, x1), (y0, y1) = list(target.x), _values(target.y)
    at = pd.Timestamp(line.x[-1])
    start, end = pd.Timestamp(x0), pd.Timestamp(x1)
    share = (at - start) / (end - start) if end > start else 1.0
    planned = y0 + (y1 - y0) * min(max(share, 0.0), 1.0)
    gap = round(last - planned, decimals)
    where = texts.ALT_ON if gap == 0 else texts.ALT_ABOVE if gap > 0 else texts.ALT_BELOW
    target_text = formatting.number(y1, decimals)
    return texts.ALT_TARGET.format(year=_year(x1), target=target_text, where=where)


def _ranking(title: str, bar: go.Bar, decimals: int) -> str:
    pairs = [(n, v) for n, v in zip(bar.y, bar.x, strict=False) if _finite(v)]
    if not pairs:
        return texts.ALT_EMPTY.format(title=title)
    (first, first_value), (last, last_value) = pairs[0], pairs[-1]
    return texts.ALT_RANKING.format(
        title=title,
        n=len(pairs),
        first=first,
        first_value=formatting.number(float(first_value), decimals),
        last=last,
        last_value=formatting.number(float(last_value), decimals),
    )


def _map(title: str, trace: go.Choroplethmap, fig: go.Figure) -> str:
    pairs = [(n, float(z)) for n, z in zip(trace.text, trace.z, strict=False) if _finite(z)]
    if not pairs:
        return texts.ALT_EMPTY.format(title=title)
    decimals = svg_parts.decimals(trace.colorbar.tickformat)
    top, low = max(pairs, key=lambda p: p[1]), min(pairs, key=lambda p: p[1])
    return texts.ALT_MAP.format(
        title=title,
        n=len(pairs),
        top=top[0],
        top_value=formatting.number(top[1], decimals),
        low=low[0],
        low_value=formatting.number(low[1], decimals),
    )


def _timeline(title: str, bars: list) -> str:
    late = next((b for b in bars if b.name == texts.MEASURE_OVERDUE), None)
    shown = [b for b in bars if b is not late]
    count = sum(len(b.y) for b in shown if b.y is not None)
    late_count = len(late.y) if late is not None and late.y is not None else 0
    return texts.ALT_TIMELINE.format(title=title, n=count, late=late_count)


def _rank(title: str, trace: go.Scatter) -> str:
    """Dortmund's last rank in its group (and its first, where there are more periods)."""
    labels = [] if trace.text is None else [str(t) for t in trace.text]
    if not labels:
        return texts.ALT_EMPTY.format(title=title)
    text = texts.ALT_RANK.format(title=title, last=labels[-1], period=trace.x[-1])
    if len(labels) > 1:
        text += texts.ALT_RANK_FIRST.format(first=labels[0], period=trace.x[0])
    return text


def _radar(title: str, fig: go.Figure) -> str:
    """How many trends in which rings and sectors, and the points per movement (a trend
    in two sectors, two masterplans, is one trend and two points)."""
    points = [t for t in fig.data if t.type == "scatterpolar"]
    numbers = {str(n) for t in points for n in (() if t.text is None else t.text)}
    rings = [_TAGS.sub("", str(r)) for r in fig.layout.polar.radialaxis.ticktext or ()]
    sectors = [_TAGS.sub("", str(s)) for s in fig.layout.polar.angularaxis.ticktext or ()]
    return texts.ALT_RADAR.format(
        title=title,
        n=len(numbers),
        rings=len(rings),
        ring_names=", ".join(rings),
        sectors=len(sectors),
        sector_names=", ".join(sectors),
        moves=", ".join(f"{len(t.r)} {t.name}" for t in points),
    )
