"""DataFrame -> plotly Figure, styled once for the whole product. No Streamlit here.

Every figure carries its title (with unit) and a footer line with source,
"Stand" and a "Demodaten" marker where demo values are shown, inside the
figure itself, so exported PNG/SVG images keep them (``views.chart_frame``).
"""

from __future__ import annotations

import dataclasses
import json
from collections.abc import Iterable

import pandas as pd
import plotly.graph_objects as go
import plotly.io as pio

from dortmund_kpi import formatting, texts
from dortmund_kpi.periods import period_from_label
from dortmund_kpi.views.chart_frame import PALETTE, ChartMeta, style


class FrozenFigure(go.Figure):
    """A figure nobody changes any more (a cached one): its dict is computed once.

    Streamlit calls ``to_dict`` (a deep copy of every trace) and serialises the result
    whenever it shows a chart: 4 + 3.5 ms per chart on every run of a page of cached
    charts. The frozen dict is the figure's JSON read back: plain lists, strings and
    numbers, which the JSON encoder writes in one C call, to the same text.
    """

    _frozen_dict: dict | None = None

    def to_dict(self) -> dict:
        if self._frozen_dict is None:
            self._frozen_dict = json.loads(pio.to_json(super().to_dict(), validate=False))
        return self._frozen_dict


def freeze(fig: go.Figure | None) -> go.Figure | None:
    """Mark a finished figure as frozen (in place: no copy, no second validation)."""
    if fig is not None:
        fig.__class__ = FrozenFigure
    return fig


def serialise_frozen(value: object, depth: int = 3) -> None:
    """Compute the JSON of every frozen figure in ``value`` (page data: a dataclass whose
    fields, lists or dicts hold figures, ``depth`` levels deep) now, so the first run that
    shows them does not: a map's GeoJSON took 34 ms of the first visitor's run after an
    import (``ui.prebuild`` calls this in the background)."""
    if isinstance(value, FrozenFigure):
        value.to_dict()
        return
    if depth == 0 or isinstance(value, (str, bytes)):
        return
    if dataclasses.is_dataclass(value) and not isinstance(value, type):
        children: Iterable[object] = (getattr(value, f.name) for f in dataclasses.fields(value))
    elif isinstance(value, (list, tuple)):
        children = value
    elif isinstance(value, dict):
        children = value.values()
    else:
        return
    for child in children:
        serialise_frozen(child, depth - 1)


CITY_COLOR = "#332288"
TARGET_COLOR = "#117733"
TREND_COLOR = "#888888"
SEQUENTIAL = "Viridis"
AREA_NAMES = "area_names"  # layout.meta key of a map: where its areas' names go
KINDS = {True: texts.OFFICIAL, False: texts.DEMO}  # the origin of one value, as shown

PLOTLY_LOCALE_DE = {
    "moduleType": "locale",
    "name": "de",
    "dictionary": texts.PLOTLY_LABELS_DE,
    "format": {
        "days": list(formatting.DAYS),
        "shortDays": list(formatting.DAYS_SHORT),
        "months": list(formatting.MONTHS),
        "shortMonths": list(formatting.MONTHS_SHORT),
        "date": "%d.%m.%Y",
        "decimal": ",",
        "thousands": ".",
        "grouping": [3],
        "currency": ["", " €"],
    },
}
# Streamlit's bundled plotly.js has no locale modules: pass the definition inline.
PLOTLY_CONFIG = {
    "locale": "de",
    "locales": {"de": PLOTLY_LOCALE_DE},
    "displaylogo": False,
    "modeBarButtonsToRemove": ["lasso2d", "select2d"],
    "toImageButtonOptions": {"format": "png", "scale": 2},
}


def chart_config(filename: str) -> dict:
    config = dict(PLOTLY_CONFIG)
    config["toImageButtonOptions"] = {"format": "png", "scale": 2, "filename": filename}
    return config


def number_format(decimals: int) -> str:
    return f",.{decimals}f"


def axis_format(decimals: int) -> str:
    """An axis' ticks: round values without trailing zeros ("400", not "400,00"; "2,5");
    a value itself (hover, bar text) keeps its indicator's decimals."""
    return f",.{decimals}~f"


def period_midpoints(frame: pd.DataFrame) -> pd.Series:
    """Where a period sits on a time axis: the middle of it (a year at 1 July)."""
    if frame.empty:
        return pd.Series(dtype="datetime64[us]")
    return frame["period_start"] + (frame["period_end"] - frame["period_start"]) / 2


def period_labels(periods: pd.Series) -> pd.Series:
    return periods.map(lambda label: period_from_label(label).display)


def time_series(
    frame: pd.DataFrame,
    meta: ChartMeta,
    *,
    target: tuple[list, list] | None = None,
    trend: tuple[list, list, str] | None = None,  # x, y, name (views.figures)
    height: int = 420,
) -> go.Figure:
    """Lines per area ('Dortmund' first); demo points drawn hollow, official ones filled."""
    fig = go.Figure()
    frame = frame.assign(x=period_midpoints(frame))
    years = frame["x"].dt.year.nunique() if len(frame) else 0
    for index, (area, part) in enumerate(frame.groupby("area", sort=False)):
        is_city = area == "dortmund"
        color = CITY_COLOR if is_city else PALETTE[index % len(PALETTE)]
        labels = period_labels(part["period"])
        kinds = [KINDS[bool(o)] for o in part["is_official"]]
        fig.add_trace(
            go.Scatter(
                x=part["x"],
                y=part["value"],
                mode="lines+markers",
                name=texts.CITY if is_city else part["area_name"].iloc[0],
                line={"color": color, "width": 3 if is_city else 2},
                marker={
                    "size": 7,
                    "color": color,
                    "symbol": ["circle" if o else "circle-open" for o in part["is_official"]],
                },
                customdata=list(zip(labels, kinds, strict=True)),
                hovertemplate=f"%{{customdata[0]}}: %{{y:{number_format(meta.decimals)}}} "
                f"{meta.unit}<br>%{{customdata[1]}}<extra>%{{fullData.name}}</extra>",
            )
        )
    _demo_legend(fig, frame["is_official"])
    if target:
        fig.add_trace(
            go.Scatter(
                x=target[0],
                y=target[1],
                mode="lines+markers",
                name=texts.TARGET_PATH,
                line={"color": TARGET_COLOR, "dash": "dash"},
                marker={"symbol": "star", "size": 11},
            )
        )
    if trend:
        fig.add_trace(
            go.Scatter(
                x=trend[0],
                y=trend[1],
                mode="lines",
                name=trend[2],
                line={"color": TREND_COLOR, "dash": "dot"},
            )
        )
    # Yearly ticks sit where yearly values are drawn: in the middle of the year.
    first = int(frame["x"].dt.year.min()) if len(frame) else 2018
    fig.update_xaxes(
        tickformat="%Y" if years >= 3 else "%b %Y",
        showgrid=False,
        ticks="outside",
        dtick="M12" if years >= 3 else None,
        tick0=f"{first}-07-02" if years >= 3 else None,
    )
    fig.update_yaxes(
        tickformat=axis_format(meta.decimals),
        gridcolor="#e5e5e5",
        rangemode="tozero" if meta.unit != "Rang" else "normal",
        autorange="reversed" if meta.unit == "Rang" else True,
    )
    return style(fig, meta, height)


def _demo_legend(fig: go.Figure, official: pd.Series) -> None:
    """In a chart mixing origins, a legend entry (no point): hollow is demo data."""
    if official.nunique() == 2:
        hollow = {"symbol": "circle-open", "size": 7, "color": TREND_COLOR}
        legend = {"name": texts.DEMO_POINTS, "marker": hollow, "showlegend": True}
        fig.add_scatter(x=[None], y=[None], mode="markers", **legend)


def ranking(frame: pd.DataFrame, column: str, meta: ChartMeta, higher_is_better: bool) -> go.Figure:
    """Horizontal bars, best district on top."""
    ordered = frame.sort_values(column, ascending=not higher_is_better)
    fmt = number_format(meta.decimals)
    fig = go.Figure(
        go.Bar(
            x=ordered[column],
            y=ordered["area_name"],
            orientation="h",
            text=ordered[column],
            texttemplate=f"%{{text:{fmt}}}",
            textposition="outside",
            customdata=[KINDS[bool(o)] for o in ordered["is_official"]],
            # Demo bars hollow, as demo points are: each bar shows its own origin.
            marker={
                "color": [PALETTE[4] if o else "white" for o in ordered["is_official"]],
                "line": {"color": PALETTE[4], "width": 2},
            },
            hovertemplate=f"%{{y}}: %{{x:{fmt}}} {meta.unit}<br>%{{customdata}}<extra></extra>",
            cliponaxis=False,
            showlegend=False,
        )
    )
    _demo_legend(fig, ordered["is_official"])
    fig.update_yaxes(autorange="reversed")
    top = float(ordered[column].max()) if len(ordered) else 1.0
    fig.update_xaxes(
        tickformat=axis_format(meta.decimals), gridcolor="#e5e5e5", range=[0, top * 1.18]
    )
    return style(fig, meta, height=520, narrow=True)


def district_map(
    frame: pd.DataFrame,
    column: str,
    geojson: dict,
    view: tuple[dict, float],
    meta: ChartMeta,
    schematic: bool,
    names: dict[str, tuple[float, float]] | None = None,
) -> go.Figure:
    """Choropleth of the districts on a blank style: no tile or CDN request is needed.
    ``names`` (slug -> longitude, latitude: where each district's name goes) travels with
    the figure (``layout.meta``) to the drawings that write them (``views.map_svg``, the
    pictures of ``views.picture``); plotly's own map would hide names that collide."""
    center, zoom = view
    fmt = number_format(meta.decimals)
    fig = go.Figure(
        go.Choroplethmap(
            geojson=geojson,
            featureidkey="properties.slug",
            locations=frame["area"],
            z=frame[column],
            text=frame["area_name"],
            customdata=[KINDS[bool(o)] for o in frame["is_official"]],
            colorscale=SEQUENTIAL,
            marker={"line": {"color": "white", "width": 1.5}, "opacity": 0.9},
            colorbar={"title": {"text": meta.unit}, "tickformat": axis_format(meta.decimals)},
            hovertemplate=f"%{{text}}: %{{z:{fmt}}} {meta.unit}<br>%{{customdata}}<extra></extra>",
        )
    )
    fig.update_layout(map={"style": "white-bg", "center": center, "zoom": zoom})
    if names:
        fig.update_layout(meta={AREA_NAMES: {slug: list(at) for slug, at in names.items()}})
    return style(fig, meta, height=520, extra=texts.MAP_SCHEMATIC if schematic else "", narrow=True)
