"""Charts for a meeting-room projector (presentation mode): the page's finished figure,
every text larger, read from the back of the room."""

from __future__ import annotations

import plotly.graph_objects as go

from dortmund_kpi.views.chart_frame import TITLE_CHARS, TITLE_SIZE, footer_margin, rewrap_title

PROJECTOR_SCALE = 1.5  # fonts on a meeting-room projector, read from the back of the room


def for_projector(fig: go.Figure) -> go.Figure:
    """A copy of a finished figure with every text 1.5 times as large (title, axes, legend,
    source line and notes) and the margins grown with them, for presentation mode."""
    big = go.Figure(fig)
    layout = big.layout
    scale = PROJECTOR_SCALE
    size = (layout.title.font.size or TITLE_SIZE) * scale
    height = int((layout.height or 420) * 1.25)
    bottom = layout.margin.b or footer_margin(1)
    # Larger letters, shorter lines: the title still fits a phone's chart.
    top = rewrap_title(big, int(TITLE_CHARS / scale), size, height)
    big.update_layout(
        font_size=(layout.font.size or 12) * scale,
        title_font_size=size,
        height=height,
        margin_t=int(top * scale),
        margin_b=int(bottom * scale),
    )
    for note in layout.annotations:
        note.font.size = (note.font.size or 12) * scale
        if note.yshift:
            note.yshift = note.yshift * scale
    return big
