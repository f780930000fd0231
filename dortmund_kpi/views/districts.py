"""Stadtbezirke: one district's profile against the city average, with its rank, and the
measures for the district and the whole city."""

from __future__ import annotations

from dataclasses import dataclass

import pandas as pd

from dortmund_kpi import texts
from dortmund_kpi.db import read
from dortmund_kpi.views import measures as measure_views
from dortmund_kpi.views import tables
from dortmund_kpi.views.common import Query, View, demo_in, stand_of

# The profile is of one district: the first of the chosen ones (the page says so).
HONOURED = frozenset({"bezirk", "zeitraum", "stand", "praesentation", "massnahme"})


@dataclass(frozen=True)
class PlanProfile:
    plan: str
    plan_name: str
    table: pd.DataFrame
    demo: bool
    stand: str


@dataclass(frozen=True)
class DistrictsData:
    view: View
    district: str
    name: str
    names: dict[str, str]
    profiles: tuple[PlanProfile, ...]
    measures: pd.DataFrame
    honoured: frozenset[str] = HONOURED

    @property
    def title(self) -> str:
        return texts.PROFILE_TITLE.format(name=self.name)

    @property
    def demo(self) -> bool:
        return any(p.demo for p in self.profiles)

    @property
    def ignored_districts(self) -> tuple[str, ...]:
        """Chosen districts beyond the first, which the profile does not show."""
        return tuple(d for d in self.view.districts if d != self.district)


def build(query: Query, view: View) -> DistrictsData:
    names = query(read.district_names)
    slug = next((d for d in view.districts if d in names), next(iter(names)))
    (lo, hi), as_of = view.years, view.as_of
    profile = query(read.district_profile, slug, lo, hi, as_of=as_of)
    today = measure_views.reference_day(as_of)
    measures = measure_views.prepare(query(read.measures, as_of=as_of), today)
    return DistrictsData(
        view=view,
        district=slug,
        name=names[slug],
        names=names,
        profiles=_profiles(query, view, slug, profile),
        measures=measure_views.for_district(measures, slug),
    )


def _profiles(query: Query, view: View, slug: str, profile: pd.DataFrame) -> tuple:
    (lo, hi), as_of = view.years, view.as_of
    out = []
    for plan, plan_name in query(read.masterplan_names).items():
        part = profile[profile["masterplan"] == plan]
        if part.empty:
            continue
        values = query(read.series, list(part["indicator_id"]), [slug], lo, hi, as_of=as_of)
        out.append(
            PlanProfile(
                plan, plan_name, tables.profile_table(part), demo_in(part), stand_of(values)
            )
        )
    return tuple(out)
