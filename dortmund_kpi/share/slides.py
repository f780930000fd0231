"""PowerPoint slides (16:9) of dashboard views: a chart, a table or a grid per slide.

Each slide carries its title, the chart (a native, editable PowerPoint chart for
time series and rankings; an image for the map), the source line, "Stand", the
official/demo marker, and the view's permalink with its QR code. The native charts are
drawn by ``slide_charts``, the boxes sized by ``slide_layout``.
"""

from __future__ import annotations

import io
from dataclasses import dataclass, field
from urllib.parse import parse_qs, urlsplit

import pandas as pd
import plotly.graph_objects as go
from pptx import Presentation
from pptx.dml.color import RGBColor
from pptx.enum.text import MSO_AUTO_SIZE
from pptx.util import Inches, Pt

from dortmund_kpi import texts
from dortmund_kpi.share import qr as sharing
from dortmund_kpi.share import slide_layout as layout
from dortmund_kpi.share.slide_charts import bar_chart, inches, line_chart

WIDTH, HEIGHT = Inches(13.333), Inches(7.5)
IMAGE_PX = 960  # a chart picture's width in pixels on a slide (its height: the body's proportion)


@dataclass
class Slide:
    """One slide's content; exactly one of ``series``, ``bars``, ``figure``, ``table``."""

    title: str
    subtitle: str
    source: str
    stand: str
    demo: bool
    link: str
    # Columns category, when (a date), name, value (a line per name), and official (each
    # value's origin).
    series: pd.DataFrame | None = None
    bars: pd.DataFrame | None = None  # columns: category, value, official
    figure: go.Figure | None = None  # drawn as an image (kaleido)
    table: pd.DataFrame | None = None
    number_format: str = "#,##0"
    lower_is_up: bool = False  # a rank: 1 is best and drawn on top
    notes: list[str] = field(default_factory=list)  # lines below the body, above the source
    # A summary table shows every row (smaller type, tighter cells) rather than leave
    # some off; ``fills`` colours its body cells (hex or None, the table's shape).
    whole: bool = False
    fills: pd.DataFrame | None = None

    @property
    def kind(self) -> str:
        """The footer's origin: "mixed" where a chart's values mix both (demo ones hollow,
        as on the page), else the slide's one origin."""
        frame = self.series if self.series is not None else self.bars
        if frame is not None and "name" in frame:
            frame = frame[frame["name"] != texts.TARGET_PATH]  # a plan, not a value
        if frame is not None and "official" in frame and frame["official"].nunique() == 2:
            return texts.KIND_MIXED
        return texts.DEMO if self.demo else texts.OFFICIAL


class TemplateError(ValueError):
    """The city's master template cannot be used; the message says why."""


def build_deck(slides: list[Slide], template: bytes | None = None) -> bytes:
    """The deck; on the masters of ``template`` (a .pptx of the city, 16:9) when given."""
    deck = _from_template(template) if template else Presentation()
    deck.slide_width, deck.slide_height = WIDTH, HEIGHT
    blank = _blank_layout(deck)
    for content in slides:
        _add_slide(deck, content, blank)
    buffer = io.BytesIO()
    deck.save(buffer)
    return buffer.getvalue()


def _from_template(template: bytes) -> Presentation:
    try:
        deck = Presentation(io.BytesIO(template))
    except Exception as exc:  # python-pptx raises zip, XML and key errors alike
        raise TemplateError(f"keine lesbare PowerPoint-Datei (.pptx): {exc}") from exc
    width, height = deck.slide_width or 0, deck.slide_height or 0
    if abs(width - WIDTH) > WIDTH * 0.01 or abs(height - HEIGHT) > HEIGHT * 0.01:
        cm = 360000
        raise TemplateError(
            f"Foliengröße {width / cm:.2f} × {height / cm:.2f} cm; die Folien sind für "
            "Breitbild 16:9 (33,87 × 19,05 cm) gesetzt"
        )
    slide_ids = deck.slides._sldIdLst  # the template's own slides are not part of the deck
    for slide_id in list(slide_ids):
        deck.part.drop_rel(slide_id.rId)
        slide_ids.remove(slide_id)
    return deck


def _blank_layout(deck: Presentation):
    """The master's empty layout ("Leer"/"Blank"), else the one with fewest placeholders:
    the slides place their own boxes, the master gives background, logo and fonts."""
    layouts = list(deck.slide_layouts)
    named = [lay for lay in layouts if lay.name.strip().lower() in ("leer", "blank", "leere folie")]
    return named[0] if named else min(layouts, key=lambda lay: len(lay.placeholders))


LEFT, TEXT_WIDTH, BODY_WIDTH = 0.4, 10.6, 10.2  # inches; the QR code sits right of the body
FOOTER_BOTTOM, BODY_GAP = 7.35, 0.12


def _text(slide, left, top, width, height, text, size, *, bold=False, color=layout.DARK):
    box = slide.shapes.add_textbox(Inches(left), Inches(top), Inches(width), Inches(height))
    frame = box.text_frame
    frame.word_wrap = True
    frame.auto_size = MSO_AUTO_SIZE.NONE  # the box is sized from its text (slide_layout)
    run = frame.paragraphs[0].add_run()
    run.text = text
    run.font.size, run.font.bold, run.font.color.rgb = Pt(size), bold, color
    run.font.name = layout.FONT
    return box


def _add_slide(deck: Presentation, content: Slide, blank) -> None:
    slide = deck.slides.add_slide(blank)
    for placeholder in list(slide.placeholders):  # a template layout's empty boxes
        placeholder.element.getparent().remove(placeholder.element)
    title = layout.fit_text(content.title, TEXT_WIDTH, (28, 24, 20), 2, bold=True)
    _text(slide, LEFT, 0.25, TEXT_WIDTH, title.height, content.title, title.size, bold=True)
    top = 0.25 + title.height
    subtitle = layout.fit_text(content.subtitle, TEXT_WIDTH, (15, 13), 2)
    lead = content.subtitle
    _text(slide, LEFT, top, TEXT_WIDTH, subtitle.height, lead, subtitle.size, color=layout.GREY)
    top += subtitle.height + BODY_GAP
    if content.demo:
        badge = _text(slide, 11.2, 0.35, 1.75, 0.45, texts.DEMO_BADGE, 14, bold=True)
        badge.fill.solid()
        badge.fill.fore_color.rgb = layout.DEMO_FILL
    footer_top = _notes(slide, content.notes, _footer(slide, content))
    body = (LEFT, top, BODY_WIDTH, footer_top - BODY_GAP - top)
    if content.series is not None:
        line_chart(
            slide, content.series, body, content.number_format, lower_is_up=content.lower_is_up
        )
    elif content.bars is not None:
        bar_chart(slide, content.bars, body, content.number_format)
    elif content.table is not None:
        _table(slide, content, body)
    elif content.figure is not None:
        _image(slide, content.figure, body)
    _qr(slide, content.link)


def _footer(slide, content: Slide) -> float:
    """Source line and link at the bottom; returns where they begin (inches)."""
    text = f"{texts.SOURCE}: {content.source} · {texts.STAND}: {content.stand} · {content.kind}"
    footer = layout.fit_text(text, BODY_WIDTH, (11, 10), 2)
    shown = layout.shorten(content.link, BODY_WIDTH - 0.4, 10)  # the address stays whole
    link_top = FOOTER_BOTTOM - layout.text_height(1, 10)
    top = link_top - footer.height
    _text(slide, LEFT, top, BODY_WIDTH, footer.height, text, footer.size, color=layout.GREY)
    line = layout.text_height(1, 10)
    link = _text(slide, LEFT, link_top, BODY_WIDTH, line, shown, 10, color=layout.GREY)
    link.text_frame.paragraphs[0].runs[0].hyperlink.address = content.link or None
    return top


NOTE_LINES = 3  # a note longer than this is cut ("…"): the chart keeps its room


def _notes(slide, notes: list[str], bottom: float) -> float:
    """What the page says beside the slide's chart (a comparison's standing, the members
    left out), a paragraph each above the source line; returns where they begin."""
    for note in reversed(notes):
        fitted, text = layout.fit_text(note, BODY_WIDTH, (12, 11), NOTE_LINES), note
        if len(fitted.lines) > NOTE_LINES:
            last = layout.shorten(fitted.lines[NOTE_LINES - 1] + " …", BODY_WIDTH, fitted.size)
            fitted = layout.Fitted(fitted.size, [*fitted.lines[: NOTE_LINES - 1], last])
            text = " ".join(fitted.lines)
        bottom -= fitted.height
        _text(slide, LEFT, bottom, BODY_WIDTH, fitted.height, text, fitted.size)
    return bottom - (BODY_GAP if notes else 0)


def _qr(slide, link: str) -> None:
    qr = io.BytesIO(sharing.qr_png(link or texts.APP_TITLE, scale=10))
    slide.shapes.add_picture(qr, Inches(10.95), Inches(4.45), Inches(2.0), Inches(2.0))
    pinned = "stand" in parse_qs(urlsplit(link).query)
    caption = texts.SLIDE_QR_PINNED if pinned else texts.SLIDE_QR_CAPTION
    fitted = layout.fit_text(caption, 2.0, (9,), 3)
    _text(slide, 10.95, 6.45, 2.0, fitted.height, caption, 9, color=layout.GREY)


def _table(slide, content: Slide, box) -> None:
    left, top, width, height = box
    table = content.table
    assert table is not None
    header = [str(c) for c in table.columns]
    body = [[_cell(v) for v in row] for row in table.itertuples(index=False)]
    margin = layout.COMPACT_MARGIN_Y if content.whole else layout.CELL_MARGIN_Y
    fitted = layout.table_layout(header, body, width, height, whole=content.whole)
    rows = fitted.rows + 1
    shape = slide.shapes.add_table(
        rows, len(header), Inches(left), Inches(top), Inches(width), Inches(sum(fitted.heights))
    )
    grid = shape.table
    for c, column_width in enumerate(fitted.widths):
        grid.columns[c].width = Inches(column_width)
    for r in range(rows):  # rows grow with their text; the estimate only chose how many
        grid.rows[r].height = Inches(layout.text_height(1, fitted.size))
    for r, row in enumerate([header, *body[: fitted.rows]]):
        for c, value in enumerate(row):
            cell = grid.cell(r, c)
            cell.text = value
            cell.margin_top = cell.margin_bottom = Inches(margin / 2)
            for paragraph in cell.text_frame.paragraphs:  # an empty cell has no run
                paragraph.font.size, paragraph.font.name = Pt(fitted.size), layout.FONT
            fill = None if r == 0 or content.fills is None else content.fills.iat[r - 1, c]
            if isinstance(fill, str):  # a status colour behind the text naming the status
                cell.fill.solid()
                cell.fill.fore_color.rgb = RGBColor.from_string(fill.lstrip("#"))
    left_off = len(body) - fitted.rows
    if left_off:
        note = texts.SLIDE_ROWS_LEFT_OFF.format(n=left_off)
        line = layout.text_height(1, 10)  # at the bottom of the body, below any taller row
        _text(slide, left, top + height - line, width, line, note, 10, color=layout.GREY)


def _cell(value: object) -> str:
    """A table cell's text: empty for missing values (never "nan" or "None")."""
    if value is None or (not isinstance(value, str) and pd.isna(value)):
        return ""
    return str(value)


def _image(slide, fig: go.Figure, box) -> None:
    from dortmund_kpi.share import downloads as exports

    left, top, width, height = box
    # Drawn at the body's proportions and 960 px wide, the picture fills the body and its
    # text reads near the slide's own sizes (at 1200 x 570 a radar was a small disc).
    px_width, px_height = IMAGE_PX, round(IMAGE_PX * height / width)
    try:
        png = exports.figure_image(fig, "png", px_width, px_height)
    except exports.ExportError as exc:
        _text(slide, left, top, width, 1.0, str(exc), 14, color=layout.GREY)
        return
    slide.shapes.add_picture(io.BytesIO(png), *inches(box))
