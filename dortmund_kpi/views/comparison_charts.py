"""The figures of the comparison page: rank over time, bar ranking, regional map.

Like every chart, each states source and Stand below the plot (``chart_frame.ChartMeta``),
and the map is drawn on a blank style from local GeoJSON: no tile or font request.
"""

from __future__ import annotations

from dataclasses import dataclass

import pandas as pd
import plotly.graph_objects as go

from dortmund_kpi import formatting, texts
from dortmund_kpi.peer_groups import DORTMUND_AGS
from dortmund_kpi.views import chart_frame, charts
from dortmund_kpi.views.common import period_text

DORTMUND_COLOR = "#CC3311"
OTHER_COLOR = "#8DA0CB"


@dataclass(frozen=True)
class Standing:
    """Dortmund in the group in one period."""

    period: str
    rank: int | None  # None: no Dortmund value for the period
    n: int  # members with a value
    dortmund: float | None
    median: float
    best: float
    best_name: str


@dataclass(frozen=True)
class Meta:
    title: str
    unit: str
    decimals: int
    higher_is_better: bool


def _chart_meta(meta: Meta, title: str, frame: pd.DataFrame) -> chart_frame.ChartMeta:
    sources = list(dict.fromkeys(str(s) for s in frame["source"].dropna())) if len(frame) else []
    stand = formatting.day(frame["loaded_at"].max()) if len(frame) else "–"
    demo = bool(len(frame)) and not bool(frame["is_official"].all())
    return chart_frame.ChartMeta(
        title, meta.unit, "; ".join(sources) or "–", stand, meta.decimals, demo
    )


def rank_ticks(worst: int) -> list[int]:
    """Every rank in a small group; in a large one (the city region's 33) rank 1 and every
    fifth, so the labels of a 320 px chart do not run into each other."""
    return list(range(1, worst + 1)) if worst <= 12 else [1, *range(5, worst + 1, 5)]


def rank_history(
    history: list[Standing], frame: pd.DataFrame, meta: Meta, group_name: str
) -> go.Figure:
    """Dortmund's rank per period (1 at the top), with the group size in the labels;
    the group is named in the hover (the title stays short enough for half a page)."""
    sources = _chart_meta(meta, "", frame)
    source, stand = sources.source, sources.stand
    shown = [s for s in history if s.rank is not None]
    labels = [period_text(s.period) for s in shown]
    fig = go.Figure(
        go.Scatter(
            x=labels,
            y=[s.rank for s in shown],
            mode="lines+markers+text",
            text=[texts.COMPARISON_RANK.format(rank=s.rank, n=s.n) for s in shown],
            textposition="top center",
            marker={"color": DORTMUND_COLOR, "size": 10},
            line={"color": DORTMUND_COLOR},
            name="Dortmund",
            hovertemplate=f"%{{x}}: %{{text}} ({group_name})<extra></extra>",
        )
    )
    worst = max((s.n for s in shown), default=1)
    fig.update_yaxes(
        autorange=False,
        range=[worst + 0.5, 0.5],
        title=texts.COMPARISON_RANK_AXIS,
        tickvals=rank_ticks(worst),
    )
    fig.update_xaxes(type="category")
    info = chart_frame.ChartMeta(f"{texts.COMPARISON_RANK_TITLE} ({meta.title})", "", source, stand)
    return charts.freeze(chart_frame.style(fig, info, height=320))


def bars(part: pd.DataFrame, meta: Meta, period: str) -> go.Figure:
    """Horizontal bars, best on top, Dortmund highlighted (colour and bold label)."""
    ordered = part.sort_values(["rank", "name"], ascending=[False, False])
    is_own = ordered["ags"] == DORTMUND_AGS
    names = [f"<b>{n}</b>" if own else n for n, own in zip(ordered["name"], is_own, strict=True)]
    fmt = charts.number_format(meta.decimals)
    fig = go.Figure(
        go.Bar(
            x=ordered["compared"],
            y=names,
            orientation="h",
            marker={"color": [DORTMUND_COLOR if own else OTHER_COLOR for own in is_own]},
            customdata=ordered["rank"],
            text=[formatting.number(v, meta.decimals) for v in ordered["compared"]],
            textposition="outside",
            hovertemplate=f"%{{y}}: %{{x:{fmt}}} {meta.unit} (Rang %{{customdata}})<extra></extra>",
        )
    )
    title = f"{meta.title}: " + texts.COMPARISON_BARS_TITLE.format(period=period_text(period))
    height = max(320, 90 + 24 * len(ordered))
    return charts.freeze(chart_frame.style(fig, _chart_meta(meta, title, part), height=height))


def region_map(
    frame: pd.DataFrame, period: str, meta: Meta, geojson: dict, view: tuple[dict, float]
) -> go.Figure:
    """The municipalities around Dortmund coloured by their comparable value."""
    keys = {str(f["properties"]["AGS"]) for f in geojson["features"]}
    part = frame[(frame["period"] == period) & frame["ags"].isin(keys)]
    center, zoom = view
    fmt = charts.number_format(meta.decimals)
    fig = go.Figure(
        go.Choroplethmap(
            geojson=geojson,
            featureidkey="properties.AGS",
            locations=part["ags"],
            z=part["compared"],
            text=part["name"],
            colorscale=charts.SEQUENTIAL,
            reversescale=not meta.higher_is_better,
            marker={"line": {"color": "white", "width": 1}, "opacity": 0.9},
            colorbar={
                "title": {"text": meta.unit},
                "tickformat": charts.axis_format(meta.decimals),
            },
            hovertemplate=f"%{{text}}: %{{z:{fmt}}} {meta.unit}<extra></extra>",
        )
    )
    own = [f for f in geojson["features"] if f["properties"]["AGS"] == DORTMUND_AGS]
    if own:  # Dortmund's outline on top, so the city stands out in any colour
        fig.add_trace(
            go.Choroplethmap(
                geojson={"type": "FeatureCollection", "features": own},
                featureidkey="properties.AGS",
                locations=[DORTMUND_AGS],
                z=[0],
                colorscale=[[0, "rgba(0,0,0,0)"], [1, "rgba(0,0,0,0)"]],
                showscale=False,
                marker={"line": {"color": DORTMUND_COLOR, "width": 3}},
                hoverinfo="skip",
            )
        )
    fig.update_layout(map={"style": "white-bg", "center": center, "zoom": zoom})
    title = texts.COMPARISON_MAP_TITLE.format(period=period_text(period))
    info = _chart_meta(meta, f"{meta.title}, {title}", part)
    return charts.freeze(
        chart_frame.style(fig, info, height=520, extra=texts.COMPARISON_MAP_NOTE, narrow=True)
    )
