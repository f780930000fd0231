"""Charts for a meeting-room projector (presentation mode): the page's finished figure,
every text larger, read from the back of the room."""

from __future__ import annotations

import plotly.graph_objects as go

from dortmund_kpi.views.charts import TITLE_CHARS, legend_below_title, title_lines

PROJECTOR_SCALE = 1.5  # fonts on a meeting-room projector, read from the back of the room


def for_projector(fig: go.Figure) -> go.Figure:
    """A copy of a finished figure with every text 1.5 times as large (title, axes, legend,
    source line and notes) and the margins grown with them, for presentation mode."""
    big = go.Figure(fig)
    layout = big.layout
    scale = PROJECTOR_SCALE
    size, height = (layout.title.font.size or 16) * scale, int((layout.height or 420) * 1.25)
    # Larger letters, shorter lines: the title still fits a phone's chart.
    old = (layout.title.text or "").split("<br>")
    title = title_lines(" ".join(old), int(TITLE_CHARS / scale))
    lines = len(title) - 1
    top = (layout.margin.t or 60) + 20 * (len(title) - len(old))
    big.update_layout(
        font_size=(layout.font.size or 12) * scale,
        title_text="<br>".join(title),
        title_font_size=size,
        title_y=0.98 - lines * 1.3 * size / height,  # as in _style
        height=height,
        margin_t=int(top * scale),
        margin_b=int((layout.margin.b or 62) * scale),
    )
    if layout.legend.yref == "container":  # hung below the title, as in charts._style
        big.update_layout(legend_y=legend_below_title(len(title), size, height))
    for note in layout.annotations:
        note.font.size = (note.font.size or 12) * scale
        if note.yshift:
            note.yshift = note.yshift * scale
    return big
