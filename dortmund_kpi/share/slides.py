"""PowerPoint slides (16:9) of dashboard views: one slide per chart or table.

Each slide carries its title, the chart (a native, editable PowerPoint chart for
time series and rankings; an image for the map), the source line, "Stand", the
official/demo marker, and the view's permalink with its QR code.
"""

from __future__ import annotations

import io
from dataclasses import dataclass, field

import pandas as pd
import plotly.graph_objects as go
from pptx import Presentation
from pptx.chart.data import CategoryChartData
from pptx.dml.color import RGBColor
from pptx.enum.chart import XL_CHART_TYPE, XL_LEGEND_POSITION, XL_MARKER_STYLE
from pptx.util import Emu, Inches, Pt

from dortmund_kpi import texts
from dortmund_kpi.share import qr as sharing

WIDTH, HEIGHT = Inches(13.333), Inches(7.5)
DARK, GREY, DEMO_FILL = (
    RGBColor(0x22, 0x22, 0x22),
    RGBColor(0x55, 0x55, 0x55),
    RGBColor(0xFF, 0xF3, 0xCD),
)


@dataclass
class Slide:
    """One slide's content; exactly one of ``series``, ``bars``, ``figure``, ``table``."""

    title: str
    subtitle: str
    source: str
    stand: str
    demo: bool
    link: str
    # Columns category, name, value (a line per name), and official (each value's origin).
    series: pd.DataFrame | None = None
    bars: pd.DataFrame | None = None  # columns: category, value, official
    figure: go.Figure | None = None  # drawn as an image (kaleido)
    table: pd.DataFrame | None = None
    number_format: str = "#,##0"
    notes: list[str] = field(default_factory=list)

    @property
    def kind(self) -> str:
        """The footer's origin: "mixed" where a chart's values mix both (demo ones hollow,
        as on the page), else the slide's one origin."""
        frame = self.series if self.series is not None else self.bars
        if frame is not None and "official" in frame and frame["official"].nunique() == 2:
            return texts.KIND_MIXED
        return texts.DEMO if self.demo else texts.OFFICIAL


def build_deck(slides: list[Slide]) -> bytes:
    deck = Presentation()
    deck.slide_width, deck.slide_height = WIDTH, HEIGHT
    for content in slides:
        _add_slide(deck, content)
    buffer = io.BytesIO()
    deck.save(buffer)
    return buffer.getvalue()


def _text(slide, left, top, width, height, text, size, *, bold=False, color=DARK):
    box = slide.shapes.add_textbox(left, top, width, height)
    frame = box.text_frame
    frame.word_wrap = True
    run = frame.paragraphs[0].add_run()
    run.text = text
    run.font.size, run.font.bold, run.font.color.rgb = Pt(size), bold, color
    return box


def _add_slide(deck: Presentation, content: Slide) -> None:
    slide = deck.slides.add_slide(deck.slide_layouts[6])  # blank
    _text(slide, Inches(0.4), Inches(0.25), Inches(10.6), Inches(0.8), content.title, 28, bold=True)
    _text(
        slide,
        Inches(0.4),
        Inches(0.95),
        Inches(10.6),
        Inches(0.5),
        content.subtitle,
        15,
        color=GREY,
    )
    if content.demo:
        badge = _text(
            slide,
            Inches(11.2),
            Inches(0.35),
            Inches(1.75),
            Inches(0.45),
            texts.DEMO_BADGE,
            14,
            bold=True,
        )
        badge.fill.solid()
        badge.fill.fore_color.rgb = DEMO_FILL
    body = (Inches(0.4), Inches(1.5), Inches(10.2), Inches(4.85))
    if content.series is not None:
        _line_chart(slide, content.series, body, content.number_format)
    elif content.bars is not None:
        _bar_chart(slide, content.bars, body, content.number_format)
    elif content.table is not None:
        _table(slide, content.table, body)
    elif content.figure is not None:
        _image(slide, content.figure, body)
    footer = f"{texts.SOURCE}: {content.source} · {texts.STAND}: {content.stand} · {content.kind}"
    _text(slide, Inches(0.4), Inches(6.45), Inches(10.2), Inches(0.45), footer, 11, color=GREY)
    link = _text(
        slide, Inches(0.4), Inches(6.9), Inches(10.2), Inches(0.4), content.link, 10, color=GREY
    )
    link.text_frame.paragraphs[0].runs[0].hyperlink.address = content.link or None
    qr = io.BytesIO(sharing.qr_png(content.link or texts.APP_TITLE, scale=10))
    slide.shapes.add_picture(qr, Inches(10.95), Inches(4.55), Inches(2.0), Inches(2.0))
    _text(
        slide,
        Inches(10.95),
        Inches(6.55),
        Inches(2.0),
        Inches(0.4),
        texts.SLIDE_QR_CAPTION,
        9,
        color=GREY,
    )


def _line_chart(slide, data: pd.DataFrame, box, number_format: str) -> None:
    categories = list(dict.fromkeys(data["category"]))
    chart_data = CategoryChartData(number_format=number_format)
    chart_data.categories = categories
    demo: list[list[int]] = []  # per line, the categories whose value is demo data
    for name, part in data.groupby("name", sort=False):
        values = dict(zip(part["category"], part["value"], strict=True))
        chart_data.add_series(str(name), [_num(values.get(c)) for c in categories])
        official = part["official"] if "official" in part else pd.Series(True, part.index)
        late = set(part.loc[~official.astype(bool), "category"])
        demo.append([i for i, c in enumerate(categories) if c in late])
    chart = slide.shapes.add_chart(XL_CHART_TYPE.LINE_MARKERS, *box, chart_data).chart
    for series, points in zip(chart.plots[0].series, demo, strict=True):
        for index in points:  # demo points hollow, as the page draws them
            marker = series.points[index].marker
            marker.style = XL_MARKER_STYLE.CIRCLE
            marker.format.fill.solid()
            marker.format.fill.fore_color.rgb = RGBColor(0xFF, 0xFF, 0xFF)
    chart.has_legend = True
    chart.legend.position = XL_LEGEND_POSITION.BOTTOM
    chart.legend.include_in_layout = False
    chart.value_axis.tick_labels.number_format = number_format
    chart.value_axis.tick_labels.number_format_is_linked = False


def _bar_chart(slide, data: pd.DataFrame, box, number_format: str) -> None:
    chart_data = CategoryChartData(number_format=number_format)
    chart_data.categories = list(data["category"])
    chart_data.add_series(texts.VALUE, [_num(v) for v in data["value"]])
    chart = slide.shapes.add_chart(XL_CHART_TYPE.BAR_CLUSTERED, *box, chart_data).chart
    chart.has_legend = False
    chart.category_axis.reverse_order = True
    plot = chart.plots[0]
    official = data["official"] if "official" in data else pd.Series(True, data.index)
    for index, own in enumerate(official.astype(bool)):
        if not own:  # demo bars hollow, as the page draws them
            point = plot.series[0].points[index]
            point.format.fill.solid()
            point.format.fill.fore_color.rgb = RGBColor(0xFF, 0xFF, 0xFF)
            point.format.line.color.rgb = GREY
    plot.has_data_labels = True
    plot.data_labels.number_format = number_format
    plot.data_labels.number_format_is_linked = False


def _table(slide, table: pd.DataFrame, box) -> None:
    rows, cols = min(len(table), 14) + 1, len(table.columns)
    left, top, width, _ = box
    shape = slide.shapes.add_table(rows, cols, left, top, width, Emu(int(Inches(0.33) * rows)))
    for c, name in enumerate(table.columns):
        shape.table.cell(0, c).text = str(name)
    for r, row in enumerate(table.head(rows - 1).itertuples(index=False), start=1):
        for c, value in enumerate(row):
            cell = shape.table.cell(r, c)
            cell.text = "" if value is None else str(value)
            # Paragraph font, not the first run's: an empty cell has no run.
            cell.text_frame.paragraphs[0].font.size = Pt(11)


def _image(slide, fig: go.Figure, box) -> None:
    from dortmund_kpi.share import downloads as exports

    left, top, width, _ = box
    try:
        png = exports.figure_image(fig, "png", 1200, 570)
    except exports.ExportError as exc:
        _text(slide, left, top, width, Inches(1), str(exc), 14, color=GREY)
        return
    slide.shapes.add_picture(io.BytesIO(png), left, top, width=width)


def _num(value: object) -> float | None:
    return None if value is None or pd.isna(value) else float(value)
