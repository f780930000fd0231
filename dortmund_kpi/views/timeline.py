"""The measures timeline (Gantt bars per measure) as a plotly Figure. No Streamlit here."""

from __future__ import annotations

from datetime import date

import pandas as pd
import plotly.graph_objects as go

from dortmund_kpi import texts
from dortmund_kpi.views.chart_frame import ChartMeta, style

MEASURE_COLORS = {
    "geplant": "#88CCEE",
    "in Umsetzung": "#44AA99",
    "abgeschlossen": "#117733",
    "verzögert": "#DDAA33",
    "gestoppt": "#999999",
}
OVERDUE_COLOR = "#CC6677"
TODAY_STRIP = 0.75  # free space above the first bar for the day's label, in bar rows


def measure_timeline(
    frame: pd.DataFrame, meta: ChartMeta, today: date, today_label: str = texts.MEASURES_TODAY
) -> go.Figure:
    """Gantt bars from start to deadline, one colour per status. Overdue measures get a red
    outline and the label "⚠ überfällig" (their own legend entry), so the flag survives
    greyscale print and colour blindness; a dotted line marks the day shown."""
    fig = go.Figure()
    for status, color in MEASURE_COLORS.items():
        part = frame[frame["status"] == status]
        if len(part):
            fig.add_trace(_measure_bars(part, f"{texts.MEASURE_STATUS_ICONS[status]} {status}"))
            fig.data[-1].marker.color = color
    late = frame[frame["overdue"]]
    if len(late):
        fig.add_trace(_measure_bars(late, texts.MEASURE_OVERDUE))
        fig.data[-1].update(
            marker={"color": "rgba(0,0,0,0)", "line": {"color": OVERDUE_COLOR, "width": 3}},
            text=[texts.MEASURE_OVERDUE] * len(late),
            # Inside the bar, from its start: an overdue bar ends before the day line, so
            # its label never crosses that line; outside, it did, or ran off the right edge.
            textposition="inside",
            insidetextanchor="start",
            insidetextfont={"color": "#222"},
            constraintext="inside",
            hoverinfo="skip",
            hovertemplate=None,
        )
    fig.update_traces(cliponaxis=False)
    labels = list(frame["label"])
    # The day's label sits inside the plot, in a free strip above the first bar: above the
    # plot it ran into the legend. Categories count from the top (range reversed).
    top = -0.5 - TODAY_STRIP
    fig.update_yaxes(range=[len(labels) - 0.5, top], categoryorder="array", categoryarray=labels)
    fig.update_xaxes(type="date", tickformat="%Y", gridcolor="#e5e5e5")
    fig.add_vline(
        x=pd.Timestamp(today).timestamp() * 1000,
        line={"color": "#555", "dash": "dot"},
        annotation={"text": today_label, "font": {"size": 10, "color": "#555"}},
        annotation_position="top right",
    )
    fig.update_layout(barmode="overlay", bargap=0.35)
    return style(fig, meta, height=max(320, 150 + 34 * len(frame)))


def _measure_bars(part: pd.DataFrame, name: str) -> go.Bar:
    start = pd.to_datetime(part["start_date"])
    length = (pd.to_datetime(part["deadline"]) - start).dt.total_seconds() * 1000
    return go.Bar(
        base=start,
        x=length,
        y=part["label"],
        orientation="h",
        name=name,
        customdata=part[["start_text", "deadline_text", "owner_text", "status"]],
        hovertemplate="%{y}<br>%{customdata[0]} – %{customdata[1]}<br>%{customdata[2]}"
        "<extra>%{customdata[3]}</extra>",
    )
