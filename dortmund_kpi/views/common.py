"""View models: query results -> what a page shows. Pure (no Streamlit, no SQL).

Pages pass in the DataFrames from ``ui.query`` and render what comes back, so
everything a page shows can be tested without running a page.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from datetime import date, timedelta
from typing import Any

import pandas as pd
import plotly.graph_objects as go

from dortmund_kpi import formatting, status, texts
from dortmund_kpi.ingest.numbers import format_number_plain
from dortmund_kpi.periods import period_from_label
from dortmund_kpi.share.template_files import neutralise
from dortmund_kpi.views import charts


def period_text(label: str | None) -> str:
    return period_from_label(label).display if label else "–"


def stand_of(frame: pd.DataFrame, column: str = "valid_from") -> str:
    """'Stand' of what a chart shows: when its newest value was imported."""
    if frame.empty or column not in frame or frame[column].isna().all():
        return "–"
    return formatting.day(frame[column].max())


def meta_for(
    ind: pd.Series, frame: pd.DataFrame, *, title: str | None = None, unit: str | None = None
) -> charts.ChartMeta:
    demo = bool(len(frame)) and not bool(frame["is_official"].all())
    return charts.ChartMeta(
        title=title or str(ind["name"]),
        unit=str(ind["unit"]) if unit is None else unit,
        source=_source_text(ind, frame),
        stand=stand_of(frame),
        decimals=int(ind["decimals"]),
        demo=demo,
    )


def _source_text(ind: pd.Series, frame: pd.DataFrame) -> str:
    sources = {str(s) for s in frame.get("source", pd.Series(dtype="str")).dropna()}
    official = str(ind["source"])
    demo = any(s.startswith("Demodaten") for s in sources)
    if demo and len(frame) and frame["is_official"].any():
        return f"{official}; ergänzt um Demodaten"
    return "Demodaten (generiert)" if demo else official


# -- tiles ----------------------------------------------------------------------
@dataclass(frozen=True)
class Tile:
    indicator_id: str
    masterplan: str
    title: str
    name: str
    value: str
    unit: str
    period: str
    change: str
    versus: str
    change_word: str
    status: str | None
    target: str
    demo: bool
    sparkline: list[float]
    rising: bool | None


def _change(row: pd.Series, ind: pd.Series) -> tuple[str, str, str]:
    """(signed change, "ggü. <previous period>", besser/schlechter/unverändert)."""
    previous = row.get("previous")
    if previous is None or pd.isna(previous):
        return "", "", "unverändert"
    decimals = int(ind["decimals"])
    if round(row["latest"] - previous, decimals) == 0:  # judged as shown, not on hidden digits
        word = "unverändert"
    else:
        word = status.change_direction(row["latest"], previous, ind["direction"] == "higher")
    delta = formatting.signed(row["latest"] - previous, decimals)
    unit = formatting.change_unit(str(ind["unit"]))
    delta = f"{delta} Pp." if unit == "Prozentpunkte" else delta
    versus = texts.VS_PREVIOUS.format(period=period_text(row["previous_period"]))
    return delta, versus, word


def target_text(ind: pd.Series) -> str:
    if pd.isna(ind["target_value"]):
        return texts.NO_TARGET
    value = formatting.with_unit(ind["target_value"], str(ind["unit"]), int(ind["decimals"]))
    text = texts.TARGET.format(value=value, year=int(ind["target_year"]))
    return text if ind["target_official"] else f"{text} ({texts.TARGET_DEMO})"


def tiles(stats: pd.DataFrame, indicators: pd.DataFrame, sparks: pd.DataFrame) -> list[Tile]:
    """One tile per indicator with data, in catalog order."""
    stats = status.add_status(stats, indicators).set_index("indicator_id")
    # Looked up once, not filtered per tile: at 100+ indicators the masks added up.
    metas = indicators.set_index("id", drop=False)
    lines = sparks.groupby("indicator_id", sort=False)["value"].agg(list)
    out = []
    for ind in indicators.itertuples(index=False):
        if ind.id not in stats.index:
            continue
        row = stats.loc[ind.id]
        meta = metas.loc[ind.id]
        change, versus, word = _change(row, meta)
        unit = "" if ind.unit == "%" else ind.unit
        out.append(
            Tile(
                indicator_id=ind.id,
                masterplan=ind.masterplan,
                title=ind.short_name,
                name=ind.name,
                value=formatting.with_unit(row["latest"], "%", ind.decimals)
                if ind.unit == "%"
                else formatting.number(row["latest"], ind.decimals),
                unit=unit,
                period=period_text(row["latest_period"]),
                change=change,
                versus=versus,
                change_word=word,
                status=row["status"] if isinstance(row["status"], str) else None,
                target=target_text(meta),
                demo=bool(row["has_demo"]) or not bool(row["latest_official"]),
                sparkline=[float(v) for v in lines.get(ind.id, [])],
                rising=None if word == "unverändert" else bool(row["latest"] > row["previous"]),
            )
        )
    return out


# The overview shows at most this many tiles per masterplan (the shipped catalog has 13
# at most, so all of them); with more, those that need attention come first and the
# masterplan page has the rest. A hundred tiles are neither "at a glance" nor fast.
TILES_PER_PLAN = 16
ATTENTION = {status.OFF_TRACK: 0, status.AT_RISK: 1}


def overview_selection(plan_tiles: list[Tile], limit: int | None = None) -> list[Tile]:
    """The tiles the overview shows for one masterplan, in catalog order when all fit;
    else first those not on track, then at risk, then the rest (catalog order within)."""
    limit = limit or TILES_PER_PLAN
    if len(plan_tiles) <= limit:
        return plan_tiles
    ranked = sorted(
        enumerate(plan_tiles), key=lambda it: (ATTENTION.get(it[1].status or "", 2), it[0])
    )
    return [tile for _, tile in ranked[:limit]]


# -- masterplan x district matrix ----------------------------------------------------
@dataclass(frozen=True)
class MatrixCell:
    masterplan: str
    district: str
    district_name: str
    status: str | None
    text: str


def matrix(
    city_stats: pd.DataFrame,
    district_stats: pd.DataFrame,
    indicators: pd.DataFrame,
    districts: pd.DataFrame,
) -> list[MatrixCell]:
    """Status of each masterplan in each district, from its indicators with targets."""
    both = pd.concat([city_stats, district_stats], ignore_index=True)
    assessed = status.add_status(both, indicators)
    assessed = assessed[assessed["area"] != "dortmund"].merge(
        indicators[["id", "masterplan"]], left_on="indicator_id", right_on="id"
    )
    # Counted in one group-by instead of a boolean mask per (masterplan, district) cell.
    counted = assessed.dropna(subset=["status"]).groupby(["masterplan", "area", "status"]).size()
    by_cell: dict[tuple[str, str], dict[str, int]] = {}
    for (plan, area, state), count in counted.items():
        by_cell.setdefault((plan, area), {})[state] = int(count)
    cells = []
    for plan in indicators["masterplan"].unique():  # the plans of the catalog, in its order
        for d in districts.itertuples(index=False):
            summary, counts = status.summarise_counts(by_cell.get((plan, d.slug), {}))
            total = sum(counts.values())
            text = f"{counts[status.ON_TRACK]} von {total} auf Kurs" if total else "ohne Ziel"
            cells.append(MatrixCell(plan, d.slug, d.name, summary, text))
    return cells


def matrix_table(cells: list[MatrixCell], plans: dict[str, str]) -> pd.DataFrame:
    """The matrix as one table: a row per district (table order), a column per masterplan
    (its short name), each cell the status icon, status and count."""
    rows: dict[str, dict[str, str]] = {}
    for cell in cells:
        row = rows.setdefault(cell.district, {texts.MATRIX_DISTRICT: cell.district_name})
        icon = texts.STATUS_ICONS.get(cell.status or "", "–")
        row[plans[cell.masterplan]] = f"{icon} {cell.status or texts.NO_TARGET} ({cell.text})"
    return pd.DataFrame(list(rows.values()), index=list(rows))


def matrix_link(
    table: pd.DataFrame, plans: dict[str, str], row: int, column: str
) -> dict[str, list[str]] | None:
    """The masterplan-page link params of a clicked matrix cell (None: the district column)."""
    plan = next((pid for pid, name in plans.items() if name == column), None)
    if plan is None or not 0 <= row < len(table):
        return None
    return {"masterplan": [plan], "bezirk": [str(table.index[row])]}


# -- indicator charts -----------------------------------------------------------------
def target_and_trend(
    stats_row: pd.Series | None, ind: pd.Series
) -> tuple[tuple | None, tuple | None]:
    """The planned path (baseline -> target) and the trend forecast to the target year."""
    if stats_row is None or pd.isna(ind["target_value"]) or pd.isna(stats_row["latest"]):
        return None, None
    x = status.target_input(
        stats_row, ind["target_value"], ind["target_year"], ind["direction"] == "higher"
    )
    end = status.target_end(x.target_year)
    # Drawn where the series draws its points: in the middle of each period.
    base_x = _midpoint(stats_row["base_start"], stats_row["base_date"])
    latest_x = _midpoint(stats_row["latest_start"], stats_row["latest_end"])
    target = ([base_x, end], [x.base_value, x.target])
    forecast = status.forecast_value(x, end)
    trend = ([latest_x, end], [x.latest, forecast]) if forecast is not None else None
    if end <= x.latest_end:
        trend = None
    return target, trend


def _midpoint(start: pd.Timestamp, end: pd.Timestamp) -> pd.Timestamp:
    return start + (end - start) / 2


def indicator_chart(
    frame: pd.DataFrame,
    ind: pd.Series,
    stats_row: pd.Series | None,
    *,
    height: int = 420,
    title: str | None = None,
) -> go.Figure:
    target, trend = target_and_trend(stats_row, ind)
    return charts.time_series(
        frame, meta_for(ind, frame, title=title), target=target, trend=trend, height=height
    )


def _district_meta(
    values: pd.DataFrame, ind: pd.Series, per_capita: bool, title: str
) -> tuple[str, charts.ChartMeta]:
    """Value column and chart meta for district values (per 1,000: two decimals)."""
    unit = f"{ind['unit']} {texts.PER_1000}" if per_capita else str(ind["unit"])
    meta = meta_for(ind, values, title=title, unit=unit)
    if per_capita:
        meta = charts.ChartMeta(meta.title, meta.unit, meta.source, meta.stand, 2, meta.demo)
    return "per_1000" if per_capita else "value", meta


def map_figure(
    values: pd.DataFrame,
    ind: pd.Series,
    geojson: dict,
    view: tuple[dict, float],
    per_capita: bool,
    schematic: bool,
    period_label: str,
) -> go.Figure:
    title = f"{ind['short_name']}, {period_text(period_label)}"
    column, meta = _district_meta(values, ind, per_capita, title)
    return charts.district_map(values, column, geojson, view, meta, schematic)


def ranking_figure(
    values: pd.DataFrame, ind: pd.Series, per_capita: bool, period_label: str
) -> go.Figure:
    title = f"{texts.RANKING_TITLE}, {period_text(period_label)}"
    column, meta = _district_meta(values, ind, per_capita, title)
    return charts.ranking(values, column, meta, ind["direction"] == "higher")


# -- tables and downloads ---------------------------------------------------------------
def display_table(frame: pd.DataFrame, ind: pd.Series) -> pd.DataFrame:
    """The data table as shown (German column names and texts; values stay numbers)."""
    c = texts.COLUMNS
    return pd.DataFrame(
        {
            c["area_name"]: frame["area_name"],
            c["period"]: frame["period"].map(period_text),
            c["value"]: frame["value"].round(int(ind["decimals"]) + 2),
            c["unit"]: str(ind["unit"]),
            c["kind"]: frame["is_official"].map({True: texts.OFFICIAL, False: texts.DEMO}),
            c["source"]: frame["source"].fillna(""),
            c["note"]: frame["note"].fillna(""),
        }
    ).reset_index(drop=True)


def german_csv(table: pd.DataFrame) -> bytes:
    """CSV for German Excel: UTF-8 with BOM, ';', decimal comma; formulas neutralised."""
    lines = [";".join(_csv_cell(h) for h in table.columns)]
    for row in table.itertuples(index=False):
        lines.append(";".join(_csv_cell(v) for v in row))
    return ("\ufeff" + "\r\n".join(lines) + "\r\n").encode("utf-8")


def _csv_cell(value: object) -> str:
    if isinstance(value, float | int) and not isinstance(value, bool):
        if isinstance(value, float) and math.isnan(value):
            return ""
        return format_number_plain(float(value))
    text = neutralise(value)
    if any(ch in text for ch in ';"\r\n'):
        text = '"' + text.replace('"', '""') + '"'
    return text


def profile_table(profile: pd.DataFrame) -> pd.DataFrame:
    c = texts.COLUMNS
    rows = []
    for r in profile.itertuples(index=False):
        unit = f"{r.unit} {texts.PER_1000}" if r.aggregation == "sum" else r.unit
        decimals = 2 if r.aggregation == "sum" else int(r.decimals)
        shown = formatting.signed(r.deviation, decimals)
        judgement = (
            ""
            if shown.startswith("±")
            else " (besser)"
            if (r.deviation > 0) == (r.direction == "higher")
            else " (schlechter)"
        )
        rows.append(
            {
                c["indicator"]: r.short_name,
                c["period"]: period_text(r.period),
                c["value"]: formatting.with_unit(r.comparable, unit, decimals),
                c["city"]: formatting.with_unit(r.city_comparable, unit, decimals),
                c["deviation"]: shown + judgement,
                c["rank"]: f"{int(r.rank)} von {int(r.ranked_of)}",
                c["kind"]: texts.OFFICIAL if r.is_official else texts.DEMO,
            }
        )
    return pd.DataFrame(rows)


FREQUENCY_DAYS = {"yearly": 365, "quarterly": 92, "monthly": 31}
GRACE_DAYS = {"yearly": 180, "quarterly": 60, "monthly": 30}


def freshness_table(fresh: pd.DataFrame, today: date) -> pd.DataFrame:
    """Last period per indicator, when the next value is due, and whether it is overdue."""
    c = texts.COLUMNS
    rows = []
    for r in fresh.itertuples(index=False):
        if pd.isna(r.last_period_end):
            due, state = None, texts.OVERDUE
        else:
            freq = r.frequency
            due = r.last_period_end.date() + timedelta(days=FREQUENCY_DAYS[freq] + GRACE_DAYS[freq])
            state = texts.OVERDUE if due < today else texts.CURRENT
        rows.append(
            {
                c["indicator"]: r.short_name,
                c["masterplan"]: r.masterplan.capitalize(),
                "Turnus": texts.FREQUENCY[r.frequency],
                c["last_period"]: period_text(r.last_period),
                c["due"]: formatting.day(due),
                c["updated"]: formatting.day(r.updated),
                c["freshness"]: ("⚠ " if state == texts.OVERDUE else "✓ ") + state,
            }
        )
    return pd.DataFrame(rows)


def catalog_table(indicators: pd.DataFrame) -> pd.DataFrame:
    return pd.DataFrame(
        {
            "ID": indicators["id"],
            texts.COLUMNS["masterplan"]: indicators["masterplan"].str.capitalize(),
            "Name": indicators["name"],
            texts.COLUMNS["unit"]: indicators["unit"],
            "Definition": indicators["definition"],
            "Quelle": indicators["source"],
            "Richtung": indicators["direction"].map(texts.DIRECTION),
            "Ebene": indicators["level"].map(texts.LEVEL),
            "Turnus": indicators["frequency"].map(texts.FREQUENCY),
            "Ziel": [target_text(r) for _, r in indicators.iterrows()],
        }
    )


def statuses(stats: pd.DataFrame, indicators: pd.DataFrame) -> dict[str, str | None]:
    """City target status per indicator id (``stats`` indexed by indicator_id)."""
    assessed = status.add_status(stats.reset_index(), indicators)
    return dict(zip(assessed["indicator_id"], assessed["status"], strict=True))


# The masterplan page shows this many charts at a time (the shipped catalog has 13 per
# masterplan at most): each chart costs the browser and the server run a few ms.
CHARTS_PER_VIEW = 14


def chart_groups(count: int, size: int | None = None) -> list[tuple[int, int]]:
    """(start, end) of each group of ``size`` charts, in order (none for no charts)."""
    size = size or CHARTS_PER_VIEW
    return [(start, min(start + size, count)) for start in range(0, count, size)]


def file_name(ind: Any, districts: list[str], year_from: int, year_to: int) -> str:
    """Meaningful export names: indicator (anything with ``ind["id"]``), districts, period."""
    areas = (
        "-".join(districts[:4]) + ("-u-a" if len(districts) > 4 else "")
        if districts
        else "dortmund"
    )
    return f"{ind['id']}_{areas}_{year_from}-{year_to}"


def formatted_table(table: pd.DataFrame, decimals: int) -> pd.DataFrame:
    """The same table with German number text, for display independent of the browser."""
    column = texts.COLUMNS["value"]
    return table.assign(**{column: table[column].map(lambda v: formatting.number(v, decimals))})


def import_log_table(log: pd.DataFrame) -> pd.DataFrame:
    return pd.DataFrame(
        {
            "Nr.": log["import_id"],
            "Zeitpunkt": log["finished_at"].map(formatting.timestamp),
            "Person": log["user_name"],
            "Dateien": log["files"],
            "Zeilen": log["rows_read"],
            "neu": log["inserted"],
            "geändert": log["changed"],
            "unverändert": log["unchanged"],
            "Ergebnis": log["outcome"].map({"ok": "erfolgreich"}).fillna(log["outcome"]),
            "Hinweis": log["message"].fillna(""),
            "SHA-256": log["sha256"].str.slice(0, 16),
        }
    )


def rejected_table(rejected: pd.DataFrame) -> pd.DataFrame:
    return pd.DataFrame(
        {
            "Zeitpunkt": pd.to_datetime(rejected["zeitpunkt"]).map(formatting.timestamp),
            "Person": rejected["person"],
            "Dateien": rejected["dateien"],
            "Probleme": rejected["probleme"],
            "Erstes Problem": rejected["erstes_problem"],
        }
    )


def indicator_metadata(
    ind: pd.Series, frame: pd.DataFrame, permalink: str = ""
) -> list[tuple[str, str]]:
    """What every export and the metadata panel say about an indicator's data."""
    labels = texts.METADATA_LABELS
    official = frame["is_official"] if len(frame) else pd.Series(dtype=bool)
    if not len(frame):
        kind = "–"
    elif official.all():
        kind = texts.OFFICIAL
    elif not official.any():
        kind = texts.DEMO
    else:
        kind = texts.KIND_MIXED
    source = str(ind["source"]) + (f" ({ind['source_url']})" if ind["source_url"] else "")
    rows = [
        (texts.COLUMNS["indicator"], f"{ind['name']} ({ind['id']})"),
        (labels["definition"], str(ind["definition"])),
        (labels["unit"], str(ind["unit"])),
        (labels["source"], source),
        (labels["stand"], stand_of(frame)),
        (labels["kind"], kind),
        (labels["target"], target_text(ind)),
        (labels["frequency"], texts.FREQUENCY[ind["frequency"]]),
        (labels["aggregation"], texts.AGGREGATION[ind["aggregation"]]),
        (labels["direction"], texts.DIRECTION[ind["direction"]]),
        (labels["licence"], texts.DATA_LICENCE),
    ]
    if permalink:
        rows.append((labels["permalink"], permalink))
    return rows
