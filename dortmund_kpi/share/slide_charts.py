"""A slide's native PowerPoint charts (python-pptx): lines on a time axis and ranked bars,
drawn as the page draws them (its colours, demo values hollow, the target path dashed),
German number formats that LibreOffice honours, too. ``slides`` places them on a slide.
"""

from __future__ import annotations

import math

import pandas as pd
import plotly.graph_objects as go
from pptx.chart.data import CategoryChartData
from pptx.dml.color import RGBColor
from pptx.enum.chart import (
    XL_CHART_TYPE,
    XL_LEGEND_POSITION,
    XL_MARKER_STYLE,
    XL_TICK_LABEL_POSITION,
)
from pptx.enum.dml import MSO_LINE_DASH_STYLE
from pptx.oxml.ns import qn
from pptx.util import Emu, Inches, Pt

from dortmund_kpi import texts
from dortmund_kpi.share import slide_layout as layout
from dortmund_kpi.views import chart_frame, charts

# The locale tag of German (Germany) in a number format: without it, LibreOffice writes a
# chart's numbers in its own locale's way ("80.0" on the axis in English). Checked with
# LibreOffice only.
GERMAN_NUMBERS = "[$-407]"


def number_format(decimals: int) -> str:
    """A PowerPoint number format with ``decimals`` decimals (thousands grouped), tagged
    German ("1.234,5" in LibreOffice, whatever its language)."""
    return GERMAN_NUMBERS + "#,##0" + ("." + "0" * decimals if decimals else "")


def target_path_rows(figure: go.Figure | None) -> pd.DataFrame:
    """The page chart's target path (baseline to target), as the slide's own line: the
    same points the page draws, not a second computation."""
    trace = next((t for t in (figure.data if figure else ()) if t.name == texts.TARGET_PATH), None)
    if trace is None:
        return pd.DataFrame(columns=["category", "when", "name", "value", "official"])
    when = [pd.Timestamp(x).date() for x in trace.x]
    return pd.DataFrame(
        {
            "category": [str(d.year) for d in when],
            "when": when,
            "name": texts.TARGET_PATH,
            "value": list(trace.y),
            "official": True,  # a plan, not a measured value: never drawn hollow
        }
    )


def line_chart(slide, data: pd.DataFrame, box, fmt: str, *, lower_is_up: bool = False) -> None:
    """Lines on a time axis (periods at their middle, as on the page), labelled by year
    so that 30 quarters do not crowd the axis with rotated labels."""
    key = "when" if "when" in data else "category"
    categories = sorted(set(data[key])) if key == "when" else list(dict.fromkeys(data[key]))
    chart_data = CategoryChartData(number_format=fmt)
    chart_data.categories = categories
    demo: list[list[int]] = []  # per line, the categories whose value is demo data
    for name, part in data.groupby("name", sort=False):
        values = dict(zip(part[key], part["value"], strict=True))
        chart_data.add_series(str(name), [_num(values.get(c)) for c in categories])
        official = part["official"] if "official" in part else pd.Series(True, part.index)
        late = set(part.loc[~official.astype(bool), key])
        demo.append([i for i, c in enumerate(categories) if c in late])
    chart = slide.shapes.add_chart(XL_CHART_TYPE.LINE_MARKERS, *inches(box), chart_data).chart
    for number, (series, points) in enumerate(zip(chart.plots[0].series, demo, strict=True)):
        # The page's colours; a marker's outline in the line's colour, or a hollow (white)
        # demo marker would read as a gap in the line.
        color = _line_color(str(series.name), number)
        series.format.line.color.rgb = color
        series.marker.style, series.marker.size = XL_MARKER_STYLE.CIRCLE, 6
        series.marker.format.fill.solid()
        series.marker.format.fill.fore_color.rgb = color
        series.marker.format.line.color.rgb = color
        for index in points:  # demo points hollow, as the page draws them
            marker = series.points[index].marker
            marker.style, marker.size = XL_MARKER_STYLE.CIRCLE, 6
            marker.format.fill.solid()
            marker.format.fill.fore_color.rgb = RGBColor(0xFF, 0xFF, 0xFF)
            marker.format.line.color.rgb = color
    chart.has_title = False  # the slide's title says it; the legend names the lines
    chart.has_legend = True
    chart.legend.position = XL_LEGEND_POSITION.BOTTOM
    chart.legend.include_in_layout = False
    chart.font.size, chart.font.name = Pt(12), layout.FONT
    if key == "when":
        _yearly(chart.category_axis, categories)
        # Lines run on over the dates of other lines (the target path has two points).
        blanks = chart._chartSpace.chart.find(qn("c:dispBlanksAs"))
        if blanks is not None:
            blanks.set("val", "span")
    for series in chart.plots[0].series:
        if series.name == texts.TARGET_PATH:  # dashed, as on the page
            series.format.line.dash_style = MSO_LINE_DASH_STYLE.DASH
            series.marker.style = XL_MARKER_STYLE.DIAMOND
    axis = chart.value_axis
    axis.tick_labels.number_format = fmt
    axis.tick_labels.number_format_is_linked = False
    if lower_is_up:  # a rank: 1 on top, as on the page; the years stay below
        axis.reverse_order = True
        _rank_axis(axis, data["value"])
        chart.category_axis.tick_label_position = XL_TICK_LABEL_POSITION.HIGH
    else:
        _value_axis(axis, data["value"])


def _rank_axis(axis, values: pd.Series) -> None:
    """Ranks on round ticks (5, 10, 15 …): from 1 with PowerPoint's own step the ticks
    read 1, 6, 11, 16. The axis starts at the round tick at or below the best rank; a "0"
    there is left blank (no rank 0)."""
    ranks = pd.to_numeric(values, errors="coerce").dropna()
    _, high, step, _ = layout.value_axis(ranks)
    step = max(1.0, math.ceil(step))  # whole ranks: "1, 1,5, 2" would read "1, 2, 2"
    best, worst = (float(ranks.min()), float(ranks.max())) if len(ranks) else (1.0, 1.0)
    low = math.floor(best / step) * step
    high = max(math.ceil(worst / step) * step, low + step)  # one rank throughout: a span
    axis.minimum_scale, axis.maximum_scale, axis.major_unit = low, high, step
    axis.tick_labels.number_format = GERMAN_NUMBERS + "#,##0;-#,##0;"


def _value_axis(axis, values: pd.Series) -> None:
    """Round ticks from zero as on the page, German and without needless decimals ("0,2";
    "350", not "350,00"); unset, a bar chart's axis said "0.2"."""
    low, high, step, decimals = layout.value_axis(pd.to_numeric(values, errors="coerce").dropna())
    axis.minimum_scale, axis.maximum_scale, axis.major_unit = low, high, step
    axis.tick_labels.number_format = number_format(decimals)
    axis.tick_labels.number_format_is_linked = False


def _line_color(name: str, number: int) -> RGBColor:
    """The colour the page gives this line (views.charts)."""
    if name == texts.TARGET_PATH:
        code = charts.TARGET_COLOR
    elif name == texts.CITY:
        code = charts.CITY_COLOR
    else:
        code = chart_frame.PALETTE[number % len(chart_frame.PALETTE)]
    if code.startswith("rgb("):  # plotly's palettes are written as rgb(r, g, b)
        return RGBColor(*(int(v) for v in code[4:-1].split(",")))
    return RGBColor.from_string(code.lstrip("#"))


def _yearly(axis, days: list) -> None:
    """A date axis with a label per year (per month when the series spans a year or two)."""
    years = len({d.year for d in days})
    axis.tick_labels.number_format = "YYYY" if years >= 3 else "MM/YYYY"
    axis.tick_labels.number_format_is_linked = False
    element = axis._element  # python-pptx has no API for the date axis' units
    for tag, value in (
        ("c:baseTimeUnit", "days"),
        ("c:majorUnit", "1"),
        ("c:majorTimeUnit", "years" if years >= 3 else "months"),
    ):
        old = element.find(qn(tag))
        if old is not None:
            element.remove(old)
        element.append(element.makeelement(qn(tag), {"val": value}))


def bar_chart(slide, data: pd.DataFrame, box, fmt: str) -> None:
    chart_data = CategoryChartData(number_format=fmt)
    chart_data.categories = list(data["category"])
    chart_data.add_series(texts.VALUE, [_num(v) for v in data["value"]])
    chart = slide.shapes.add_chart(XL_CHART_TYPE.BAR_CLUSTERED, *inches(box), chart_data).chart
    chart.has_title = chart.has_legend = False  # the slide title names it (not "Wert")
    chart.font.size, chart.font.name = Pt(12), layout.FONT
    chart.category_axis.reverse_order = True
    _value_axis(chart.value_axis, data["value"])  # bars start at zero, or differences look larger
    plot = chart.plots[0]
    official = data["official"] if "official" in data else pd.Series(True, data.index)
    for index, own in enumerate(official.astype(bool)):
        if not own:  # demo bars hollow, as the page draws them
            point = plot.series[0].points[index]
            point.format.fill.solid()
            point.format.fill.fore_color.rgb = RGBColor(0xFF, 0xFF, 0xFF)
            point.format.line.color.rgb = layout.GREY
    plot.has_data_labels = True
    plot.data_labels.number_format = fmt
    plot.data_labels.number_format_is_linked = False


def inches(box: tuple[float, float, float, float]) -> tuple[Emu, ...]:
    return tuple(Emu(Inches(v)) for v in box)


def _num(value: object) -> float | None:
    return None if value is None or pd.isna(value) else float(value)
