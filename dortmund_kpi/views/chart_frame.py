"""The frame every chart carries, whatever it draws: the title (with unit) above, the
legend hung below the title, and below the plot the footer (source, Stand, notes) with
the "Demodaten" badge, inside the figure itself, so exported PNG/SVG images and slides
keep them. No Streamlit here.

The title is wrapped for the narrowest box the page draws a figure in (a phone), the
footer for the figure's box (a phone's for maps and rankings); ``rewrap_title`` and
``footer_lines`` wrap them anew for another box (a projector, an exported picture:
``views.projector``, ``views.picture``). Both break between words only.
"""

from __future__ import annotations

import math
import textwrap
from dataclasses import dataclass
from typing import Any

import plotly.express as px
import plotly.graph_objects as go

from dortmund_kpi import texts

PALETTE = px.colors.qualitative.Safe  # colour-blind safe (Paul Tol), see PITFALLS 4.5
FONT = "Source Sans Pro, Arial, sans-serif"
TITLE_SIZE = 16  # px
# The names of the footer's and the badge's annotations: what an exported picture
# re-wraps and moves, and a static drawing (``views.svg_parts``) draws at its foot.
FOOTER, BADGE = "dkpi-footer", "dkpi-badge"


@dataclass(frozen=True)
class ChartMeta:
    """What every chart must say about its data."""

    title: str
    unit: str
    source: str
    stand: str
    decimals: int = 0
    demo: bool = False

    def footer(self, extra: str = "", width: int = 150) -> str:
        """Source, Stand (and a note), wrapped to lines of about ``width`` characters."""
        parts = [f"{texts.SOURCE}: {self.source}", f"{texts.STAND}: {self.stand}"]
        if extra:
            parts.append(extra)
        return footer_lines(" · ".join(parts), width)


TITLE_CHARS = 36  # a title line at 16 px in a 390 px wide phone's chart ...
TITLE_CHARS_PX = 350  # ... about 350 px: a title character takes about 9.7 px


def title_lines(title: str, width: int = TITLE_CHARS) -> list[str]:
    """A chart title in lines of at most ``width`` characters, broken between words only
    (a single longer word keeps its line)."""
    return _between_words(title, width)


def _between_words(text: str, width: int) -> list[str]:
    """Lines of at most ``width`` characters, broken at spaces only (never inside a word,
    nor at its hyphens: "Open-Data-Portal" stays whole)."""
    return textwrap.wrap(text, width=width, break_long_words=False, break_on_hyphens=False)


def title_y(lines: int, size: float, height: int) -> float:
    """Where (container fraction) the anchor of a title of ``lines`` lines sits: plotly
    draws the lines of a wrapped title upwards from it, so it is lowered for each."""
    return 0.98 - (lines - 1) * 1.3 * size / height


def legend_below_title(lines: int, size: float, height: int) -> float:
    """Where (container fraction) a legend hung below a title of ``lines`` lines starts:
    the title's anchor (``title_y``) plus its lines."""
    return title_y(lines, size, height) - (lines * size + 4) / height


def top_margin(legend_rows: int, lines: int) -> int:
    """The margin (px) above the plot for a title of ``lines`` lines at 16 px and
    ``legend_rows`` rows of legend below it (none for a map, a ranking)."""
    return 60 + 20 * (legend_rows + lines - 1)


def rewrap_title(fig: go.Figure, chars: int, size: float, height: int) -> int:
    """Wrap ``fig``'s title anew in lines of at most ``chars`` characters, for a figure
    ``height`` px tall with its title at ``size`` px (in place). The title's anchor and a
    legend hung below it follow; the top margin grows or shrinks by the lines gained or
    lost. Returns that top margin."""
    layout = fig.layout
    old = (layout.title.text or "").split("<br>")
    lines = title_lines(" ".join(old), chars)
    if not lines:  # a figure without a title keeps its layout
        return layout.margin.t or top_margin(0, 1)
    grown = top_margin(0, len(lines)) - top_margin(0, len(old))
    top = (layout.margin.t or top_margin(0, len(old))) + grown
    fig.update_layout(
        title_text="<br>".join(lines), title_y=title_y(len(lines), size, height), margin_t=top
    )
    if layout.legend.yref == "container":  # hung below the title (``style``)
        fig.update_layout(legend_y=legend_below_title(len(lines), size, height))
    return top


def footer_lines(text: str, width: int) -> str:
    """A footer's text in lines of about ``width`` characters (``<br>`` between them).

    A word (a date-time from formatting.chart_timestamp is one) is never cut, nor at its
    hyphens: the lines joined by a space give the text back (``views.picture``)."""
    return "<br>".join(_between_words(text, width))


def footer_margin(lines: int) -> int:
    """The bottom margin (px) below the plot that holds a footer of ``lines`` lines."""
    return 62 + 13 * (lines - 1)


def footer_shift(bottom: int) -> int:
    """Where the footer and the badge hang (``yshift`` from the plot's foot), for a
    bottom margin of ``bottom`` px."""
    return -bottom + 4


def legend_names(fig: go.Figure) -> list[str]:
    """The names plotly shows in ``fig``'s legend: none for a map or a ranking, whose
    single trace plotly leaves out of a legend unless told (so no room is kept for it)."""
    if fig.layout.showlegend is False:
        return []
    shown = [t for t in fig.data if t.showlegend is not False and t.name]
    told = fig.layout.showlegend is True or any(t.showlegend is True for t in shown)
    return [t.name for t in shown] if len(shown) > 1 or told else []


def footer_note(fig: go.Figure) -> Any:
    """The footer's annotation of a figure ``style`` framed (source, Stand, notes), or None."""
    return next((a for a in fig.layout.annotations if a.name == FOOTER), None)


def badges(fig: go.Figure) -> list[Any]:
    """The badges ``style`` hung at the footer's right end (the "Demodaten" marker)."""
    return [a for a in fig.layout.annotations if a.name == BADGE]


def style(
    fig: go.Figure, meta: ChartMeta, height: int, extra: str = "", narrow: bool = False
) -> go.Figure:
    """Title and legend above the plot; below it the footer (source, Stand) and the
    "Demodaten" badge, so both are part of every exported image."""
    unit = "" if not meta.unit else f"\u00a0({meta.unit})"  # a wrapped unit keeps its word
    small = height < 400 or narrow
    footer = meta.footer(extra, width=45 if narrow else 60 if small else 130)
    bottom = footer_margin(footer.count("<br>") + 1)
    # Legend above the plot: estimate its rows so it never runs into the title.
    names = legend_names(fig)
    legend_rows = math.ceil(sum(len(n) + 8 for n in names) / (60 if small else 140))
    # Long titles wrap by words (plotly cuts a line off at the right edge): the same figure
    # is drawn on a desk and on a phone, so lines fit the narrowest chart (390 px wide).
    title = title_lines(f"{meta.title}{unit}")
    fig.update_layout(
        title={
            "text": "<br>".join(title),
            "x": 0,
            "xanchor": "left",
            "y": title_y(len(title), TITLE_SIZE, height),
            "yanchor": "top",
            "font": {"size": TITLE_SIZE},
        },
        separators=",.",
        font={"family": FONT, "size": 12},
        colorway=PALETTE,
        height=height,
        margin={
            "l": 10,
            "r": 10,
            "t": top_margin(legend_rows, len(title)),
            "b": bottom,
            "autoexpand": True,
        },
        # The legend hangs below the title (container coordinates): where it wraps to more
        # rows than estimated (a phone), it pushes the plot down instead of covering the title.
        legend={
            "orientation": "h",
            "yref": "container",
            "y": legend_below_title(len(title), TITLE_SIZE, height),
            "yanchor": "top",
            "x": 0,
            "xanchor": "left",
        },
        hoverlabel={"namelength": -1},
        plot_bgcolor="white",
    )
    fig.update_yaxes(automargin=True)
    fig.update_xaxes(automargin=True)
    fig.add_annotation(
        text=footer,
        xref="paper",
        yref="paper",
        x=0,
        y=0,
        yshift=footer_shift(bottom),
        align="left",
        showarrow=False,
        xanchor="left",
        yanchor="bottom",
        font={"size": 10, "color": "#555"},
        name=FOOTER,
    )
    if meta.demo:
        fig.add_annotation(
            text=f" {texts.DEMO_BADGE} ",
            xref="paper",
            yref="paper",
            x=1,
            y=0,
            yshift=footer_shift(bottom),
            showarrow=False,
            xanchor="right",
            yanchor="bottom",
            bgcolor="#FFF3CD",
            bordercolor="#B58B00",
            font={"size": 11, "color": "#5C4400"},
            name=BADGE,
        )
    return fig
