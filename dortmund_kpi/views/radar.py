"""The trend radar as a plotly figure: rings as bands, sectors as wedges, trends as points.

Readable without colour: rings and sectors are labelled on the axes, the bands are
shades of grey, a point's shape says how the trend moved since the last review, and a
number beside it refers to the text list of the page. ``verworfen`` is not drawn.
"""

from __future__ import annotations

import pandas as pd
import plotly.graph_objects as go

from dortmund_kpi import texts, trends
from dortmund_kpi.views import chart_frame, charts

# Inside out: einführen is the innermost band (radius 0..1), beobachten the outermost.
BANDS = tuple(reversed(trends.RADAR_RINGS))
BAND_FILLS = ("#d9d9d9", "#e6e6e6", "#f0f0f0", "#f8f8f8")
SYMBOLS = {
    trends.UNCHANGED: "circle",
    trends.NEW: "star",
    trends.MOVED_IN: "triangle-up",
    trends.MOVED_OUT: "triangle-down",
}
MARKER_COLORS = {
    trends.UNCHANGED: charts.CITY_COLOR,
    trends.NEW: "#117733",
    trends.MOVED_IN: "#88CCEE",
    trends.MOVED_OUT: "#CC6677",
}


def band_of(ring: str) -> int:
    """0 for the innermost band (einführen) … 3 for the outermost (beobachten)."""
    return BANDS.index(ring)


def positions(frame: pd.DataFrame, sectors: list[str], column: str) -> pd.DataFrame:
    """One row per trend and sector it is in (a trend naming two masterplans is drawn in
    both), with ``theta`` (degrees) and ``r``; deterministic, spread within each cell."""
    span = 360 / max(len(sectors), 1)
    rows = []
    for index, sector in enumerate(sectors):
        inside = frame[frame[column].map(lambda v, s=sector: s in v)]
        for ring, cell in inside.groupby("ring", sort=False):
            cell = cell.sort_values("number")
            count = len(cell)
            for n, trend in enumerate(cell.itertuples(index=False)):
                theta = index * span + span * (n + 1) / (count + 1)
                wobble = 0.0 if count == 1 else (0.22 if n % 2 else -0.22)
                rows.append(
                    {**trend._asdict(), "theta": theta, "r": band_of(str(ring)) + 0.5 + wobble}
                )
    return pd.DataFrame(rows)


def radar_figure(
    frame: pd.DataFrame, sectors: list[str], column: str, meta: chart_frame.ChartMeta
) -> go.Figure:
    """``frame``: trends on the radar with ``number``, ``movement`` and ``column`` (a list
    of sector names per trend); ``sectors``: the sector names in drawing order."""
    span = 360 / max(len(sectors), 1)
    middles = [index * span + span / 2 for index in range(len(sectors))]
    fig = go.Figure()
    for band, ring in enumerate(BANDS):
        fig.add_trace(
            go.Barpolar(
                r=[1] * len(sectors),
                base=[band] * len(sectors),
                theta=middles,
                width=[span] * len(sectors),
                marker={"color": BAND_FILLS[band], "line": {"color": "white", "width": 3}},
                name=texts.TRENDS_RINGS[ring],
                showlegend=False,
                hoverinfo="skip",
            )
        )
    placed = positions(frame, sectors, column)
    for move, symbol in SYMBOLS.items():
        part = placed[placed["movement"] == move] if len(placed) else placed
        if part.empty:
            continue
        fig.add_trace(
            go.Scatterpolar(
                r=part["r"],
                theta=part["theta"],
                mode="markers+text",
                text=part["number"].astype("str"),
                textposition="middle right",
                textfont={"size": 11, "color": "#222"},
                marker={
                    "symbol": symbol,
                    "size": 13,
                    "color": MARKER_COLORS[move],
                    "line": {"color": "#222", "width": 1},
                },
                name=texts.TRENDS_MOVEMENT[move],
                customdata=part[["label", "ring_text", "field"]],
                hovertemplate="%{text}. %{customdata[0]}<br>%{customdata[1]} · %{customdata[2]}"
                "<extra></extra>",
            )
        )
    fig.update_layout(
        polar={
            "bgcolor": "white",
            "radialaxis": {
                "range": [0, len(BANDS)],
                "tickvals": [band + 0.5 for band in range(len(BANDS))],
                "ticktext": [texts.TRENDS_RINGS[ring] for ring in BANDS],
                "showgrid": False,
                "showline": False,
                "angle": 90,
                "tickangle": 90,
                "tickfont": {"size": 11, "color": "#333"},
            },
            "angularaxis": {
                "tickvals": middles,
                "ticktext": [f"<b>{s}</b>" for s in sectors],
                "direction": "clockwise",
                "rotation": 90,
                "showgrid": False,
                "tickfont": {"size": 12},
            },
        },
        showlegend=True,
    )
    return chart_frame.style(fig, meta, height=640, extra=texts.TRENDS_LEGEND_HINT)
