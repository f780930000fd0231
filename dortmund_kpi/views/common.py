"""What every page's data is made of: the view a link asks for, the query runner, the
origin and "Stand" of values, and the texts shared by several pages.

Each page has one ``build(query, view) -> <Page>Data`` in this package (Datasette's
data/render split): the Streamlit page and the slide deck both render that frozen
dataclass, so a page and its slide cannot show different numbers. No Streamlit and
no SQL here: ``query`` runs the read functions of ``dortmund_kpi.db.read`` (cached by
``ui.data`` in the app, directly on a connection in the deck).
"""

from __future__ import annotations

import dataclasses
import math
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from datetime import datetime
from typing import Any, Concatenate, ParamSpec, Protocol, TypeVar

import pandas as pd

from dortmund_kpi import formatting, status, texts
from dortmund_kpi.districts import CITY, CITY_NAME
from dortmund_kpi.periods import period_from_label
from dortmund_kpi.views import chart_frame

P = ParamSpec("P")
R = TypeVar("R")


class Query(Protocol):
    """Runs a read function of ``dortmund_kpi.db.read`` on one database version."""

    def __call__(
        self, fn: Callable[Concatenate[Any, P], R], /, *args: P.args, **kwargs: P.kwargs
    ) -> R: ...


@dataclass(frozen=True)
class Direct:
    """A ``Query`` on an open connection, uncached (the command line and the deck)."""

    con: Any

    def __call__(
        self, fn: Callable[Concatenate[Any, P], R], /, *args: P.args, **kwargs: P.kwargs
    ) -> R:
        return fn(self.con, *args, **kwargs)


@dataclass(frozen=True)
class View:
    """What a link asks for, with defaults filled in (``share.urlstate`` parses links).

    Frozen and hashable: ``ui.data`` caches each page's data per database version and view.
    ``per_capita`` is the indicator page's "je 1.000 Einwohner" switch (URL key ``je1000``).
    """

    page: str
    years: tuple[int, int]
    districts: tuple[str, ...] = ()
    as_of: datetime | None = None
    masterplan: str = ""
    indicator: str = ""
    group: int = 1
    measure: str | None = None
    per_capita: bool = False
    trend: str | None = None  # the Technologiescout's opened trend (URL key ``trend``)
    sectors: str = "feld"  # the radar's sectors: by field or by masterplan (``sektoren``)
    peer_group: str = ""
    # False when neither the link nor the session names an indicator: ``indicator`` is then
    # the default (the catalog's first), which the comparison page replaces without a word.
    indicator_chosen: bool = True

    @classmethod
    def from_values(cls, page: str, values: Mapping[str, Any], **extra: Any) -> View:
        """The view of URL values (keys as in ``share.urlstate``)."""
        years = values["zeitraum"]
        if page != "vergleich":  # the only page that reads it: other pages' views stay one
            extra.pop("indicator_chosen", None)
        return cls(
            page=page,
            years=(int(years[0]), int(years[1])),
            districts=tuple(values.get("bezirk") or ()),
            as_of=values.get("stand"),
            masterplan=str(values.get("masterplan") or ""),
            indicator=str(values.get("indikator") or ""),
            group=int(values.get("seite") or 1),
            measure=values.get("massnahme") or None,
            trend=values.get("trend") or None,
            sectors=str(values.get("sektoren") or "feld"),
            peer_group=str(values.get("vergleich") or ""),
            per_capita=page == "indikator" and bool(values.get("je1000")),
            **extra,
        )

    @property
    def areas(self) -> list[str]:
        """The city and the chosen districts, in the order the charts draw them."""
        return [CITY, *self.districts]

    def narrowed(self, fields: frozenset[str]) -> View:
        """This view with ``page``, ``years`` and ``fields`` kept and every other field at
        its default: for a page whose data depend on those fields alone (``depends_on``)."""
        kept = {name: getattr(self, name) for name in fields}
        return View(page=self.page, years=self.years, **kept)


B = TypeVar("B", bound=Callable[..., Any])
VIEW_FIELDS = frozenset(f.name for f in dataclasses.fields(View)) - {"page", "years"}


def depends_on(*fields: str) -> Callable[[B], B]:
    """Declare the view fields a page's ``build`` reads besides ``page`` and ``years``.

    The app then builds and caches its data once for every view that differs in other
    fields only (``View.narrowed``): the comparison page ignores the district filter, and
    was built again for each district chosen in the sidebar (``ui.data.page_data``).
    ``tests/unit/test_view_fields.py`` checks that a build reads no other field.
    """
    unknown = set(fields) - VIEW_FIELDS
    if unknown:
        raise ValueError(f"no such view fields: {sorted(unknown)}")

    def mark(build: B) -> B:
        build.view_fields = frozenset(fields)  # type: ignore[attr-defined]
        return build

    return mark


def area_text(view: View, names: Mapping[str, str], honoured: frozenset[str]) -> str:
    """The areas a page's numbers are for: the districts only where the page honours them."""
    shown = view.districts if "bezirk" in honoured else ()
    return ", ".join([CITY_NAME, *(names[s] for s in shown)])


def demo_in(frame: pd.DataFrame) -> bool:
    """Whether any value of a frame with an ``is_official`` column is demo data."""
    return bool(len(frame)) and not bool(frame["is_official"].all())


def period_text(label: str | None) -> str:
    # an indicator without values (yet) has no label: None, or NaN from a string column
    return "–" if formatting.missing(label) or not label else period_from_label(label).display


PER_1000_DECIMALS = 2  # a value per 1,000 inhabitants: small numbers, two decimals


def per_1000_unit(unit: object) -> str:
    """The unit of a value per 1,000 inhabitants ("Anträge je 1.000 Einw.")."""
    return f"{unit} {texts.PER_1000}"


def per_1000_series(
    frame: pd.DataFrame, ind: pd.Series, districts: pd.DataFrame
) -> tuple[pd.DataFrame, pd.Series] | None:
    """Values over time per 1,000 inhabitants of each area, the city's of all districts
    together (the profile's rule, ``db.read.PROFILES_SQL``), and the indicator as drawn
    so: its unit per 1,000, two decimals, no target (a target is the city total's). None
    without a population for every area shown: drawn as stored, then."""
    population = districts.set_index("slug")["population"].astype("float64")
    if population.isna().any() or (population <= 0).any():
        return None
    population[CITY] = population.sum()
    if not frame["area"].isin(population.index).all():
        return None
    out = frame.copy()
    out["value"] = out["value"] / out["area"].map(population) * 1000
    per = ind.copy()
    per["unit"], per["decimals"] = per_1000_unit(ind["unit"]), PER_1000_DECIMALS
    per["target_value"] = float("nan")
    return out, per


def stand_of(frame: pd.DataFrame, column: str = "valid_from") -> str:
    """'Stand' of what a chart shows: when its newest value was imported."""
    if frame.empty or column not in frame or frame[column].isna().all():
        return "–"
    return formatting.day(frame[column].max())


def meta_for(
    ind: pd.Series, frame: pd.DataFrame, *, title: str | None = None, unit: str | None = None
) -> chart_frame.ChartMeta:
    demo = bool(len(frame)) and not bool(frame["is_official"].all())
    return chart_frame.ChartMeta(
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


def target_text(ind: pd.Series) -> str:
    if pd.isna(ind["target_value"]):
        return texts.NO_TARGET
    value = formatting.with_unit(ind["target_value"], str(ind["unit"]), int(ind["decimals"]))
    text = texts.TARGET.format(value=value, year=int(ind["target_year"]))
    return text if ind["target_official"] else f"{text} ({texts.TARGET_DEMO})"


def statuses(stats: pd.DataFrame, indicators: pd.DataFrame) -> dict[str, str | None]:
    """City target status per indicator id (``stats`` indexed by indicator_id)."""
    assessed = status.add_status(stats.reset_index(), indicators)
    # None, not NaN, where there is no status: NaN is truthy and was printed as "nan".
    return {
        i: None if pd.isna(s) else str(s)
        for i, s in zip(assessed["indicator_id"], assessed["status"], strict=True)
    }


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


def possible_range(ind: pd.Series) -> tuple[float, float]:
    """The values an indicator can take: its catalog bounds (an import refuses values
    outside them); without a lower bound 0, since every indicator counts something or
    relates counts (one that can fall below zero declares its ``min``)."""
    lo, hi = ind.get("min_value"), ind.get("max_value")
    return (0.0 if pd.isna(lo) else float(lo), math.inf if pd.isna(hi) else float(hi))


def status_explanation(
    stats_row: pd.Series | None, ind: pd.Series, target: float | None = None
) -> str:
    """How the target status of one indicator (and area) comes about, in German, with its
    own numbers: the method, then baseline, target, planned and latest value, the trend.
    ``target`` overrides the catalog target (a district's share of a city count)."""
    goal = ind["target_value"] if target is None else target
    if stats_row is None or pd.isna(goal) or pd.isna(stats_row["latest"]):
        return f"{texts.STATUS_METHOD}\n\n{texts.STATUS_NOT_RATED}"
    higher = ind["direction"] == "higher"
    x = status.target_input(stats_row, goal, ind["target_year"], higher)
    unit, decimals = str(ind["unit"]), int(ind["decimals"])

    def shown(value: float | None) -> str:
        return formatting.with_unit(value, unit, decimals) if value is not None else "–"

    projected = status.forecast_value(x, status.target_end(x.target_year))
    if projected is not None:  # as drawn: never past the possible range (views.figures)
        lo, hi = possible_range(ind)
        projected = min(max(projected, lo), hi)
    numbers = texts.STATUS_NUMBERS.format(
        base=shown(x.base_value),
        base_date=formatting.day(x.base_date),
        target=shown(x.target),
        year=x.target_year,
        latest=shown(x.latest),
        period=period_text(stats_row.get("latest_period")),
        planned=shown(status.planned_value(x, x.latest_end)),
        projected=texts.STATUS_NO_TREND if projected is None else shown(projected),
        status=status.assess(x),
    )
    return f"{texts.STATUS_METHOD}\n\n{numbers}"
