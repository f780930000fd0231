"""Übersicht: KPI tiles per masterplan, the masterplan x district matrix, measures counts."""

from __future__ import annotations

from dataclasses import dataclass

import pandas as pd

from dortmund_kpi import formatting, status, texts
from dortmund_kpi.db import measures as measure_db
from dortmund_kpi.db import read
from dortmund_kpi.views import measures as measure_views
from dortmund_kpi.views.common import (
    Query,
    View,
    period_text,
    stand_of,
    status_explanation,
    target_text,
)
from dortmund_kpi.views.sparkline import sparkline_svg

# With districts chosen the tiles show the first of them where an indicator has district
# values (each tile names its area); the matrix and the measures stay the city's.
HONOURED = frozenset({"bezirk", "zeitraum", "stand", "praesentation", "massnahme"})


@dataclass(frozen=True)
class OverviewData:
    """Everything the overview and its slides show."""

    view: View
    plans: dict[str, str]
    tiles: tuple[Tile, ...]
    matrix: pd.DataFrame
    measures: pd.DataFrame  # every measure as of the view's Stand
    measure_counts: pd.DataFrame
    overdue: pd.DataFrame
    stand: str
    district: str | None = None  # the district the tiles show where they can (its name)
    honoured: frozenset[str] = HONOURED

    @property
    def demo(self) -> bool:
        """Whether any value shown is demo data (a tile's own, its sparkline's)."""
        return any(t.demo or not all(t.sparkline_official) for t in self.tiles)

    def plan_tiles(self, plan: str) -> list[Tile]:
        return [t for t in self.tiles if t.masterplan == plan]


def build(query: Query, view: View) -> OverviewData:
    (lo, hi), as_of = view.years, view.as_of
    indicators = query(read.indicator_list)
    plans = query(read.masterplan_names)
    stats = query(read.series_stats, lo, hi, as_of=as_of)
    district_stats = query(read.series_stats, lo, hi, as_of=as_of, city=False)
    cells = matrix(stats, district_stats, indicators, query(read.district_list))
    today = measure_views.reference_day(as_of)
    frame = measure_views.prepare(query(measure_db.measures, as_of=as_of), today)
    sparks = query(read.sparklines, lo, hi, as_of=as_of)
    names = query(read.district_names)
    district = next((d for d in view.districts if d in names), None)
    areas: dict[str, str] = {}  # indicator id -> the district its tile shows
    if district is not None:
        own = district_stats[district_stats["area"] == district]
        stats, sparks = _district_tiles(query, view, own, stats, sparks, indicators)
        areas = dict.fromkeys(own["indicator_id"], names[district])
    return OverviewData(
        view=view,
        plans=plans,
        tiles=tuple(tiles(stats, indicators, sparks, areas)),
        matrix=matrix_table(cells, plans),
        measures=frame,
        measure_counts=measure_views.overview_counts(frame, plans, today),
        overdue=measure_views.overdue_only(frame),
        stand=stand_of(stats, "stand"),
        district=names[district] if district else None,
    )


def _district_tiles(
    query: Query,
    view: View,
    own: pd.DataFrame,
    stats: pd.DataFrame,
    sparks: pd.DataFrame,
    indicators: pd.DataFrame,
) -> tuple[pd.DataFrame, pd.DataFrame]:
    """The statistics (with their status) and small-chart values with the district's rows
    (``own``) where an indicator has district values in the period, the city's elsewhere.
    Assessed beside the city rows: a district's share of a count is judged against its
    share of the city's target."""
    ids = set(own["indicator_id"])
    if not ids:
        return stats, sparks
    (lo, hi), as_of = view.years, view.as_of
    district = str(own["area"].iloc[0])
    values = query(read.series, sorted(ids), [district], lo, hi, as_of=as_of)
    assessed = status.add_status(pd.concat([stats, own], ignore_index=True), indicators)
    keep = (assessed["area"] == district) | ~assessed["indicator_id"].isin(ids)
    stats = assessed[keep].reset_index(drop=True)
    sparks = pd.concat([sparks[~sparks["indicator_id"].isin(ids)], values], ignore_index=True)
    return stats, sparks


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
    demo: bool  # the origin of the tile's own value (its latest), never of another
    # The sparkline as our own SVG (views.sparkline), drawn with the cached page data,
    # not in every page run; "" with fewer than two values.
    sparkline_markup: str
    rising: bool | None
    area: str = ""  # the district whose value the tile shows; empty: the city's
    explanation: str = ""  # how its target status comes about, with its numbers
    origin_note: str = ""  # the change compares values of different origin: says so
    sparkline_official: tuple[bool, ...] = ()  # the origin of each sparkline point


def _origin_note(row: pd.Series) -> str:
    """ "Vergleich mit Demodaten" (or "mit amtlichem Wert") when the change compares
    values of different origin; "" when both are of one origin or there is no change."""
    previous = row.get("previous_official")
    if previous is None or pd.isna(previous) or pd.isna(row.get("previous")):
        return ""
    if bool(previous) == bool(row["latest_official"]):
        return ""
    return texts.CROSS_ORIGIN[bool(previous)]


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


def tiles(
    stats: pd.DataFrame,
    indicators: pd.DataFrame,
    sparks: pd.DataFrame,
    areas: dict[str, str] | None = None,
) -> list[Tile]:
    """One tile per indicator with data, in catalog order; ``areas`` names the district a
    tile shows (indicator id -> name), the others show the city."""
    areas = areas or {}
    if "status" not in stats:  # not yet assessed (the city's tiles)
        stats = status.add_status(stats, indicators)
    stats = stats.set_index("indicator_id")
    # Looked up once, not filtered per tile: at 100+ indicators the masks added up.
    metas = indicators.set_index("id", drop=False)
    grouped = sparks.groupby("indicator_id", sort=False)
    lines, origins = grouped["value"].agg(list), grouped["is_official"].agg(tuple)
    out = []
    for ind in indicators.itertuples(index=False):
        if ind.id not in stats.index:
            continue
        row = stats.loc[ind.id]
        meta = metas.loc[ind.id]
        change, versus, word = _change(row, meta)
        unit = "" if ind.unit == "%" else ind.unit
        line = [float(v) for v in lines.get(ind.id, [])]
        line_official = tuple(bool(o) for o in origins.get(ind.id, ()))
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
                demo=not bool(row["latest_official"]),
                sparkline_markup=sparkline_svg(line, word, texts.SPARKLINE_ALT, line_official),
                rising=None if word == "unverändert" else bool(row["latest"] > row["previous"]),
                area=areas.get(ind.id, ""),
                explanation=status_explanation(row, meta, row["status_target"]),
                origin_note=_origin_note(row),
                sparkline_official=line_official,
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
            text = _counts_text(counts) if total else "ohne Ziel"
            cells.append(MatrixCell(plan, d.slug, d.name, summary, text))
    return cells


def _counts_text(counts: dict[status.Status, int]) -> str:
    """A cell's indicators per status ("✓ 2 · ! 1 · ✗ 2"): with the on-track count alone,
    two cells of "2 von 5 auf Kurs" read as contradicting verdicts (the rest decides)."""
    return " · ".join(
        f"{style.icon} {counts[state]}"
        for state, style in texts.STATUS_STYLE.items()
        if counts.get(state)
    )


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
