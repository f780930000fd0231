"""DataFrame -> plotly Figure, styled once for the whole product. No Streamlit here.

Every figure carries its title (with unit) and a footer line with source,
"Stand" and a "Demodaten" marker where demo values are shown, inside the
figure itself, so exported PNG/SVG images keep them.
"""

from __future__ import annotations

from dataclasses import dataclass

import pandas as pd
import plotly.express as px
import plotly.graph_objects as go

from dortmund_kpi import formatting, texts
from dortmund_kpi.periods import period_from_label

PALETTE = px.colors.qualitative.Safe  # colour-blind safe (Paul Tol), see PITFALLS 4.5
CITY_COLOR = "#332288"
TARGET_COLOR = "#117733"
TREND_COLOR = "#888888"
STATUS_COLORS = {"auf Kurs": "#117733", "gefährdet": "#DDAA33", "nicht auf Kurs": "#CC6677"}
SEQUENTIAL = "Viridis"
FONT = "Source Sans Pro, Arial, sans-serif"

PLOTLY_LOCALE_DE = {
    "moduleType": "locale",
    "name": "de",
    "dictionary": {
        "Download plot as a png": "Als PNG herunterladen",
        "Download plot": "Diagramm herunterladen",
        "Zoom": "Zoom",
        "Pan": "Verschieben",
        "Reset axes": "Achsen zurücksetzen",
        "Autoscale": "Automatisch skalieren",
        "Zoom in": "Hineinzoomen",
        "Zoom out": "Herauszoomen",
        "Toggle Spike Lines": "Hilfslinien ein/aus",
    },
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


@dataclass(frozen=True)
class ChartMeta:
    """What every chart must say about its data."""

    title: str
    unit: str
    source: str
    stand: str
    decimals: int = 0
    demo: bool = False

    def footer(self, extra: str = "") -> str:
        parts = [f"{texts.SOURCE}: {self.source}", f"{texts.STAND}: {self.stand}"]
        if extra:
            parts.append(extra)
        if self.demo:
            parts.append(f"<b>{texts.DEMO_BADGE}</b>")
        return " · ".join(parts)


def chart_config(filename: str) -> dict:
    config = dict(PLOTLY_CONFIG)
    config["toImageButtonOptions"] = {"format": "png", "scale": 2, "filename": filename}
    return config


def number_format(decimals: int) -> str:
    return f",.{decimals}f"


def _style(fig: go.Figure, meta: ChartMeta, height: int, extra: str = "") -> go.Figure:
    unit = "" if not meta.unit else f" ({meta.unit})"
    fig.update_layout(
        title={"text": f"{meta.title}{unit}", "x": 0, "xanchor": "left", "font": {"size": 16}},
        separators=",.",
        font={"family": FONT, "size": 12},
        colorway=PALETTE,
        height=height,
        margin={"l": 10, "r": 10, "t": 50, "b": 70},
        legend={"orientation": "h", "y": -0.18, "x": 0},
        hoverlabel={"namelength": -1},
        plot_bgcolor="white",
    )
    fig.add_annotation(
        text=meta.footer(extra),
        xref="paper",
        yref="paper",
        x=0,
        y=0,
        yshift=-62,
        showarrow=False,
        xanchor="left",
        yanchor="bottom",
        font={"size": 10, "color": "#555"},
    )
    if meta.demo:
        fig.add_annotation(
            text=f" {texts.DEMO_BADGE} ",
            xref="paper",
            yref="paper",
            x=1,
            y=1,
            yshift=30,
            showarrow=False,
            xanchor="right",
            bgcolor="#FFF3CD",
            bordercolor="#B58B00",
            font={"size": 11, "color": "#5C4400"},
        )
    return fig


def period_labels(periods: pd.Series) -> pd.Series:
    return periods.map(lambda label: period_from_label(label).display)


def time_series(
    frame: pd.DataFrame,
    meta: ChartMeta,
    *,
    target: tuple[list, list] | None = None,
    trend: tuple[list, list] | None = None,
    height: int = 420,
) -> go.Figure:
    """Lines per area ('Dortmund' first); demo points drawn hollow, official ones filled."""
    fig = go.Figure()
    yearly = frame["period_type"].eq("Y").all() if len(frame) else True
    for index, (area, part) in enumerate(frame.groupby("area", sort=False)):
        is_city = area == "dortmund"
        color = CITY_COLOR if is_city else PALETTE[index % len(PALETTE)]
        labels = period_labels(part["period"])
        kinds = part["is_official"].map({True: texts.OFFICIAL, False: texts.DEMO})
        fig.add_trace(
            go.Scatter(
                x=part["period_end"],
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
                name=texts.TREND,
                line={"color": TREND_COLOR, "dash": "dot"},
            )
        )
    fig.update_xaxes(tickformat="%Y" if yearly else "%b %Y", showgrid=False, ticks="outside")
    fig.update_yaxes(
        tickformat=number_format(meta.decimals),
        gridcolor="#e5e5e5",
        rangemode="tozero" if meta.unit != "Rang" else "normal",
        autorange="reversed" if meta.unit == "Rang" else True,
    )
    return _style(fig, meta, height)


def sparkline(frame: pd.DataFrame, color: str = CITY_COLOR) -> go.Figure:
    """A tiny line without axes, for KPI tiles."""
    fig = go.Figure(
        go.Scatter(
            x=frame["period_end"],
            y=frame["value"],
            mode="lines",
            line={"color": color, "width": 2},
            hoverinfo="skip",
        )
    )
    fig.update_layout(
        height=60,
        margin={"l": 0, "r": 0, "t": 0, "b": 0},
        showlegend=False,
        xaxis={"visible": False},
        yaxis={"visible": False},
        plot_bgcolor="rgba(0,0,0,0)",
        paper_bgcolor="rgba(0,0,0,0)",
    )
    return fig


def ranking(frame: pd.DataFrame, column: str, meta: ChartMeta, higher_is_better: bool) -> go.Figure:
    """Horizontal bars, best district on top."""
    ordered = frame.sort_values(column, ascending=not higher_is_better)
    fmt = number_format(meta.decimals)
    fig = go.Figure(
        go.Bar(
            x=ordered[column],
            y=ordered["area_name"],
            orientation="h",
            marker_color=PALETTE[4],
            text=ordered[column],
            texttemplate=f"%{{text:{fmt}}}",
            textposition="outside",
            hovertemplate=f"%{{y}}: %{{x:{fmt}}} {meta.unit}<extra></extra>",
        )
    )
    fig.update_yaxes(autorange="reversed")
    fig.update_xaxes(tickformat=fmt, gridcolor="#e5e5e5")
    return _style(fig, meta, height=460)


def district_map(
    frame: pd.DataFrame,
    column: str,
    geojson: dict,
    view: tuple[dict, float],
    meta: ChartMeta,
    schematic: bool,
) -> go.Figure:
    """Choropleth of the districts on a blank style: no tile or CDN request is needed."""
    center, zoom = view
    fmt = number_format(meta.decimals)
    fig = go.Figure(
        go.Choroplethmap(
            geojson=geojson,
            featureidkey="properties.slug",
            locations=frame["area"],
            z=frame[column],
            text=frame["area_name"],
            colorscale=SEQUENTIAL,
            marker={"line": {"color": "white", "width": 1.5}, "opacity": 0.9},
            colorbar={"title": {"text": meta.unit}, "tickformat": fmt},
            hovertemplate=f"%{{text}}: %{{z:{fmt}}} {meta.unit}<extra></extra>",
        )
    )
    fig.update_layout(map={"style": "white-bg", "center": center, "zoom": zoom})
    return _style(fig, meta, height=520, extra=texts.MAP_SCHEMATIC if schematic else "")


def status_badge_color(status: str | None) -> str:
    return STATUS_COLORS.get(status or "", "#888888")
