"""Page data of the Technologiescout (``/trends``): the radar, its text list, one trend's
detail (URL key ``trend``), as of the view's Stand (URL key ``stand``)."""

from __future__ import annotations

import html
from dataclasses import dataclass

import pandas as pd
import plotly.graph_objects as go

from dortmund_kpi import formatting, texts, trends
from dortmund_kpi.db import measures as measure_db
from dortmund_kpi.db import read
from dortmund_kpi.db import trends as trend_db
from dortmund_kpi.views import alt_text, chart_frame, charts, radar, radar_svg
from dortmund_kpi.views.common import Query, View, demo_in, depends_on

HONOURED = frozenset({"stand", "trend", "sektoren"})


@dataclass(frozen=True)
class TrendDetail:
    """One trend as the detail panel shows it."""

    id: str
    name: str
    description: str
    facts: list[tuple[str, str]]
    history: pd.DataFrame
    measures: list[tuple[str, str, str]]  # id, title, status ("" when unknown at the Stand)
    indicators: list[tuple[str, str]]  # id, name
    sources: list[str]
    demo: bool


@dataclass(frozen=True)
class TrendsData:
    view: View
    honoured: frozenset[str]
    sectors: str  # "feld" or "masterplan"
    frame: pd.DataFrame  # every trend with number, movement and display columns
    figure: go.Figure | None
    rings: list[tuple[str, list[tuple[str, str]]]]  # ring, (trend id, line): text alternative
    table: pd.DataFrame  # the list as shown (German headers)
    detail: TrendDetail | None
    demo: bool
    stand: str
    file_name: str
    svg: str = ""  # the radar as static SVG (views.radar_svg.markup)

    @property
    def empty(self) -> bool:
        return self.frame.empty


def prepare(current: pd.DataFrame, versions: pd.DataFrame, plans: dict[str, str]) -> pd.DataFrame:
    """Trends with movement, a number (inside out, then by name) and display columns."""
    frame = trends.with_movement(current, versions)
    if frame.empty:
        return frame.assign(number=pd.Series(dtype="int64"))
    order = frame["ring"].map(lambda r: -trends.ring_rank(r) if r in trends.RADAR_RINGS else 9)
    frame = frame.assign(_order=order).sort_values(["_order", "name", "id"]).drop(columns="_order")
    frame["number"] = range(1, len(frame) + 1)
    frame["label"] = frame["name"].astype("str").map(lambda t: html.escape(t, quote=False))
    frame["ring_text"] = frame["ring"].map(texts.TRENDS_RINGS)
    frame["plan_names"] = frame["masterplans"].map(
        lambda ids: [plans.get(i, i) for i in ids] or [texts.TRENDS_NO_MASTERPLAN]
    )
    frame["fields"] = frame["field"].map(lambda f: [f])
    return frame.reset_index(drop=True)


def _line(row: pd.Series) -> str:
    move = texts.TRENDS_MOVEMENT[row["movement"]] if row["movement"] else ""
    mark = f" ({texts.TRENDS_MOVEMENT_SYMBOLS[row['movement']]} {move})" if move else ""
    return f"{row['number']} · {row['name']} – {row['field']}{mark}"


def ring_lines(frame: pd.DataFrame) -> list[tuple[str, list[tuple[str, str]]]]:
    """The text alternative: every ring inside out, then verworfen, with its trends."""
    order = [*radar.BANDS, trends.DISCARDED]
    return [
        (
            texts.TRENDS_DISCARDED if ring == trends.DISCARDED else texts.TRENDS_RINGS[ring],
            [(row["id"], _line(row)) for _, row in frame[frame["ring"] == ring].iterrows()],
        )
        for ring in order
    ]


def table(frame: pd.DataFrame) -> pd.DataFrame:
    names = texts.TRENDS_COLUMNS
    return pd.DataFrame(
        {
            names["number"]: frame["number"],
            names["name"]: frame["name"],
            names["ring"]: frame["ring_text"],
            names["field"]: frame["field"],
            names["masterplans"]: frame["plan_names"].map(", ".join),
            names["movement"]: frame["movement"].map(texts.TRENDS_MOVEMENT),
            names["assessed_on"]: frame["assessed_on"].map(formatting.day),
            names["owner"]: frame["owner"],
        }
    ).reset_index(drop=True)


def sector_names(frame: pd.DataFrame, mode: str, plans: dict[str, str]) -> list[str]:
    if mode == "feld":
        return list(trends.FIELDS)
    used = {name for names in frame["plan_names"] for name in names}
    extra = [texts.TRENDS_NO_MASTERPLAN] if texts.TRENDS_NO_MASTERPLAN in used else []
    return [*plans.values(), *extra]


@depends_on("as_of", "sectors", "trend")
def build(query: Query, view: View) -> TrendsData:
    plans = query(read.masterplan_names)
    current = query(trend_db.trends, as_of=view.as_of)
    versions = query(trend_db.trend_versions, as_of=view.as_of)
    frame = prepare(current, versions, plans)
    stand = formatting.timestamp(versions["valid_from"].max()) if len(versions) else "–"
    demo = demo_in(frame)
    on_radar = frame[frame["ring"] != trends.DISCARDED] if len(frame) else frame
    mode = view.sectors if view.sectors in trends.SECTOR_MODES else trends.SECTOR_MODES[0]
    figure = None
    if len(on_radar):
        column = "fields" if mode == "feld" else "plan_names"
        meta = chart_frame.ChartMeta(
            title=f"{texts.TRENDS_TITLE}: {texts.TRENDS_RADAR}",
            unit="",
            source=texts.TRENDS_SOURCE,
            stand=stand,
            demo=demo,
        )
        figure = radar.radar_figure(on_radar, sector_names(frame, mode, plans), column, meta)
    return TrendsData(
        view=view,
        honoured=HONOURED,
        sectors=mode,
        frame=frame,
        figure=charts.freeze(figure),
        svg="" if figure is None else radar_svg.markup(figure, alt_text.describe(figure)),
        rings=ring_lines(frame),
        table=table(frame) if len(frame) else pd.DataFrame(columns=list(texts.TRENDS_COLUMNS)),
        detail=_detail(query, view, frame, plans, versions),
        demo=demo,
        stand=stand,
        file_name=texts.TRENDS_DOWNLOAD_NAME + (f"_{view.as_of:%Y-%m-%d}" if view.as_of else ""),
    )


def _detail(
    query: Query, view: View, frame: pd.DataFrame, plans: dict[str, str], versions: pd.DataFrame
) -> TrendDetail | None:
    """The trend a link opens (URL key ``trend``); None when none or unknown at the Stand."""
    match = frame[frame["id"] == view.trend] if view.trend and len(frame) else frame.iloc[0:0]
    if match.empty:
        return None
    row = match.iloc[0]
    fields = texts.TREND_FIELDS
    facts = [
        (fields["field"], str(row["field"])),
        (fields["masterplans"], ", ".join(row["plan_names"])),
        (fields["ring"], str(row["ring_text"])),
        (fields["movement"], texts.TRENDS_MOVEMENT[row["movement"]]),
        (fields["assessed_on"], formatting.day(row["assessed_on"])),
        (fields["owner"], str(row["owner"])),
        (fields["visibility"], texts.TREND_VISIBILITY.get(row["visibility"], row["visibility"])),
        (fields["kind"], "amtlich" if row["is_official"] else texts.DEMO_BADGE),
    ]
    history = trends.assessment_history(versions[versions["id"] == row["id"]])
    names = texts.TREND_HISTORY_COLUMNS
    shown = pd.DataFrame(
        {
            names["ring"]: history["ring"].map(texts.TRENDS_RINGS),
            names["assessed_on"]: history["assessed_on"].map(formatting.day),
            names["reason"]: history["reason"],
            names["known"]: history["valid_from"].map(formatting.timestamp),
        }
    )
    measures = query(measure_db.measures, as_of=view.as_of)
    titles = dict(zip(measures["id"], measures["title"], strict=True))
    statuses = dict(zip(measures["id"], measures["status"], strict=True))
    indicators = query(read.indicator_list)
    ind_names = dict(zip(indicators["id"], indicators["name"], strict=True))
    return TrendDetail(
        id=str(row["id"]),
        name=str(row["name"]),
        description=str(row["description"]),
        facts=facts,
        history=shown,
        measures=[(m, titles.get(m, m), statuses.get(m, "")) for m in row["measures"]],
        indicators=[(i, ind_names.get(i, i)) for i in row["indicators"]],
        sources=list(row["sources"]),
        demo=not bool(row["is_official"]),
    )


def detail_rows(info: TrendDetail) -> list[tuple[str, str]]:
    """A trend's detail as label/value rows (a slide table)."""
    rows = [(texts.TREND_DESCRIPTION, info.description or "–"), *info.facts]
    for _, r in info.history.iterrows():
        rows.append((texts.TREND_HISTORY, f"{r.iloc[1]}: {r.iloc[0]} – {r.iloc[2]}"))
    rows += [(texts.TREND_MEASURES, title) for _, title, _ in info.measures]
    rows += [(texts.TREND_INDICATORS, name) for _, name in info.indicators]
    rows += [(texts.TREND_SOURCES, source) for source in info.sources]
    return rows
