"""Stadtbezirke: one district's profile against the city average, with its rank, and the
measures for the district and the whole city."""

from __future__ import annotations

from dataclasses import dataclass

import pandas as pd
import plotly.graph_objects as go

from dortmund_kpi import texts
from dortmund_kpi.db import measures as measure_db
from dortmund_kpi.db import read
from dortmund_kpi.views import alt_text, charts, small_svg, tables
from dortmund_kpi.views import measures as measure_views
from dortmund_kpi.views.common import (
    CITY,
    Query,
    View,
    demo_in,
    file_name,
    per_1000_series,
    stand_of,
)
from dortmund_kpi.views.figures import indicator_chart

# The profile is of the first chosen district; with several, a comparison of all of
# them and a chart of the chosen districts against the city (indicator: URL key).
HONOURED = frozenset({"bezirk", "zeitraum", "stand", "praesentation", "massnahme", "indikator"})


@dataclass(frozen=True)
class PlanProfile:
    plan: str
    plan_name: str
    table: pd.DataFrame
    demo: bool
    stand: str


@dataclass(frozen=True)
class DistrictChart:
    """One district-level indicator over time: the chosen districts against the city."""

    indicator: pd.Series
    options: dict[str, str]  # the district-level indicators to choose from (id -> name)
    frame: pd.DataFrame
    figure: go.Figure | None
    file_name: str
    svg: str = ""  # the figure as static SVG (views.small_svg.series_markup)


@dataclass(frozen=True)
class DistrictsData:
    view: View
    district: str
    name: str
    names: dict[str, str]
    profiles: tuple[PlanProfile, ...]
    measures: pd.DataFrame
    districts: tuple[str, ...] = ()  # every chosen district (the first is profiled)
    comparison: tuple[PlanProfile, ...] = ()  # with several districts: side by side
    chart: DistrictChart | None = None
    honoured: frozenset[str] = HONOURED

    @property
    def title(self) -> str:
        return texts.PROFILE_TITLE.format(name=self.name)

    @property
    def demo(self) -> bool:
        return any(p.demo for p in self.profiles)


def build(query: Query, view: View) -> DistrictsData:
    names = query(read.district_names)
    chosen = tuple(d for d in view.districts if d in names) or (next(iter(names)),)
    slug = chosen[0]
    (lo, hi), as_of = view.years, view.as_of
    profile = query(read.district_profile, slug, lo, hi, as_of=as_of)
    today = measure_views.reference_day(as_of)
    measures = measure_views.prepare(query(measure_db.measures, as_of=as_of), today)
    return DistrictsData(
        view=view,
        district=slug,
        name=names[slug],
        names=names,
        profiles=_profiles(query, view, slug, profile),
        measures=measure_views.for_district(measures, slug),
        districts=chosen,
        comparison=_comparison(query, view, chosen, names) if len(chosen) > 1 else (),
        chart=_chart(query, view, chosen),
    )


def _comparison(
    query: Query, view: View, chosen: tuple[str, ...], names: dict[str, str]
) -> tuple[PlanProfile, ...]:
    (lo, hi), as_of = view.years, view.as_of
    profiles = {d: query(read.district_profile, d, lo, hi, as_of=as_of) for d in chosen}
    out = []
    for plan, plan_name in query(read.masterplan_names).items():
        parts = {d: p[p["masterplan"] == plan] for d, p in profiles.items()}
        if parts[chosen[0]].empty:
            continue
        demo = any(_demo(p) for p in parts.values())
        table = tables.comparison_table(parts, names)
        out.append(PlanProfile(plan, plan_name, table, demo, "–"))
    return tuple(out)


def _chart(query: Query, view: View, chosen: tuple[str, ...]) -> DistrictChart | None:
    indicators = query(read.indicator_list)
    own = indicators[indicators["level"] == "district"].set_index("id", drop=False)
    if own.empty:
        return None
    options = dict(zip(own["id"], own["name"], strict=True))
    indicator_id = view.indicator if view.indicator in own.index else own.index[0]
    ind = own.loc[indicator_id]
    (lo, hi), as_of = view.years, view.as_of
    frame = query(read.series, [indicator_id], [CITY, *chosen], lo, hi, as_of=as_of)
    stats = query(read.series_stats, lo, hi, as_of=as_of).set_index("indicator_id")
    row = stats.loc[indicator_id] if indicator_id in stats.index else None
    # A count per 1,000 inhabitants, as the profile compares counts: in absolute numbers the
    # city's total dwarfed every district.
    count = ind["aggregation"] == "sum"
    relative = per_1000_series(frame, ind, query(read.district_list)) if count else None
    if relative is not None:  # no target path or trend: they are the city total's
        frame, ind, row = *relative, None
    figure = None if frame.empty else charts.freeze(indicator_chart(frame, ind, row))
    name = file_name(ind, list(chosen), lo, hi)
    svg = "" if figure is None else small_svg.series_markup(figure, alt_text.describe(figure))
    return DistrictChart(ind, options, frame, figure, name, svg)


def _profiles(query: Query, view: View, slug: str, profile: pd.DataFrame) -> tuple:
    (lo, hi), as_of = view.years, view.as_of
    out = []
    for plan, plan_name in query(read.masterplan_names).items():
        part = profile[profile["masterplan"] == plan]
        if part.empty:
            continue
        values = query(read.series, list(part["indicator_id"]), [slug], lo, hi, as_of=as_of)
        out.append(
            PlanProfile(plan, plan_name, tables.profile_table(part), _demo(part), stand_of(values))
        )
    return tuple(out)


def _demo(profile: pd.DataFrame) -> bool:
    """Whether a profile shows any demo value: a district's or the city's it is set against."""
    return demo_in(profile) or not bool(profile["city_official"].fillna(True).all())
