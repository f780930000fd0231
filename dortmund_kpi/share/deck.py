"""A dashboard view (page + URL values) as slides, without Streamlit.

Used by ``dortmund-kpi slides URL...`` and by the "Als Folie (PPTX)" button. The deck
renders the same page data (``views.<page>.build``) as the page itself, so a slide
cannot show other numbers, areas or origins than the view its link opens.
"""

from __future__ import annotations

import os
from collections.abc import Callable
from dataclasses import dataclass
from functools import cached_property
from typing import Any
from urllib.parse import SplitResult, parse_qs, urlsplit

import duckdb
import pandas as pd

from dortmund_kpi import formatting, texts
from dortmund_kpi.db import measures as measure_db
from dortmund_kpi.db import read
from dortmund_kpi.db import trends as trend_db
from dortmund_kpi.districts import DistrictMatcher, districts_from_rows
from dortmund_kpi.peer_groups import group_ids
from dortmund_kpi.share import deck_comparison, deck_summary, trend_slides, url_values, urlstate
from dortmund_kpi.share.slide_charts import number_format, target_path_rows
from dortmund_kpi.share.slides import Slide, build_deck
from dortmund_kpi.views import data, districts, indicator, masterplan, overview, pages
from dortmund_kpi.views import measures as measure_views
from dortmund_kpi.views.charts import period_midpoints
from dortmund_kpi.views.common import (
    PER_1000_DECIMALS,
    Direct,
    Query,
    View,
    area_text,
    meta_for,
    per_1000_unit,
    period_text,
)

BUILDERS: dict[str, Callable[[Query, View], Any]] = {
    page: module.build for page, module in pages.MODULES.items()
}


MAX_LINKS = 50  # a deck of more views is not a presentation; say so instead of trying
MAX_LINK_LENGTH = 4_000  # the app's own links are a few hundred characters


class ViewError(ValueError):
    """A link that names no page of the dashboard."""


class BadLink(ValueError):
    """A link the deck cannot take as it is (scheme, host, length, values); the message
    names the link and the reason."""


def _checked_parts(url: str) -> SplitResult:
    """The parts of a link that may go into a slide's hyperlink and QR code: a relative
    link or http(s), to the dashboard's public host when one is configured."""
    shown = url[:80] + ("…" if len(url) > 80 else "")
    if len(url) > MAX_LINK_LENGTH:
        raise BadLink(f"{shown}: Link zu lang ({len(url)} Zeichen, höchstens {MAX_LINK_LENGTH})")
    if not url.isprintable():
        raise BadLink(f"{shown!r}: Link enthält Steuerzeichen")
    try:
        parts = urlsplit(url)
        parts.port  # noqa: B018 (raises for a malformed port or IPv6 address)
    except ValueError as exc:
        raise BadLink(f"{shown}: kein gültiger Link ({exc})") from exc
    if parts.scheme.lower() not in ("", "http", "https"):
        raise BadLink(
            f"{shown}: nur http(s)-Links oder Pfade wie /indikator?… (nicht {parts.scheme}:)"
        )
    public = os.environ.get("DORTMUND_KPI_PUBLIC_URL")
    if parts.netloc and public and parts.netloc.lower() != urlsplit(public).netloc.lower():
        raise BadLink(f"{shown}: Link zu einem anderen Server (erwartet {public})")
    return parts


@dataclass(frozen=True)
class LinkedView:
    """A parsed link: its page and URL values (defaults filled in), the link itself and
    the values it could not use."""

    page: str
    values: dict[str, Any]
    link: str
    notices: list[urlstate.Notice]
    indicator_chosen: bool = True  # the link names an indicator (``View.indicator_chosen``)

    @property
    def view(self) -> View:
        return View.from_values(self.page, self.values, indicator_chosen=self.indicator_chosen)


def url_context(query: Query) -> url_values.UrlContext:
    """What values a link may hold, from one database version (shared with the app)."""
    rows = query(read.district_list).itertuples(index=False)
    return url_values.UrlContext(
        masterplans=tuple(query(read.masterplan_names)),
        indicators=tuple(query(read.indicator_list)["id"]),
        districts=DistrictMatcher(districts_from_rows(rows)),
        years=query(read.data_range),
        # Live ids: a measure is never deleted, so every id of an older Stand is among them.
        measures=tuple(query(measure_db.measures, as_of=None)["id"]),
        trends=tuple(query(trend_db.trends, as_of=None)["id"]),
        peer_groups=group_ids(),
    )


def parse_view(con: duckdb.DuckDBPyConnection, url: str) -> LinkedView:
    """A permalink (absolute or relative) -> the view it opens, defaults filled in."""
    parts = _checked_parts(url)
    path = parts.path.rstrip("/").rsplit("/", 1)[-1]
    pages = {v: k for k, v in urlstate.PAGES.items()}
    if path not in pages:
        known = ", ".join("/" + p for p in urlstate.PAGES.values())
        raise ViewError(f"{url}: unbekannte Seite '/{path}' (erwartet: {known})")
    page = pages[path]
    ctx = url_context(Direct(con))
    parsed = urlstate.parse(parse_qs(parts.query, keep_blank_values=True), page, ctx)
    values = urlstate.defaults(ctx) | parsed.values
    return LinkedView(page, values, url, parsed.notices, "indikator" in parsed.values)


def slides_for(
    con: duckdb.DuckDBPyConnection, linked: LinkedView, details: bool = False
) -> list[Slide]:
    """One slide, the view's key message: an opened measure or trend, else the page's
    summary (``deck_summary``), else its first chart or table. With ``details`` that
    slide and then every chart and table of the page and the measures it shows."""
    query = Direct(con)
    page = linked.view.page
    page_data = BUILDERS[page](query, linked.view)
    deck = _Deck(query, linked.view, linked.link)
    summary = deck_summary.SUMMARIES.get(page, lambda _deck, _page: None)(deck, page_data)
    slides = [
        *deck.measure_detail(),
        *([summary] if summary else []),
        *_RENDER[page](deck, page_data),
        *_measures(deck, page_data),
    ]
    return slides if details else slides[:1]


@dataclass(frozen=True)
class _Deck:
    """What every slide of one view shares: its query, view and link."""

    query: Query
    view: View
    link: str

    @cached_property
    def names(self) -> dict[str, str]:
        """District names, read once per view (every slide's subtitle needs them)."""
        return self.query(read.district_names)

    def subtitle(self, lead: str, honoured: frozenset[str], areas: bool = True) -> str:
        names = self.names
        years = self.view.years
        parts = [lead, area_text(self.view, names, honoured) if areas else ""]
        if "zeitraum" in honoured:
            parts.append(f"{years[0]}–{years[1]}")
        if self.view.as_of:
            parts.append(f"Datenstand {formatting.timestamp(self.view.as_of)}")
        return " · ".join(p for p in parts if p)

    def slide(self, **fields: Any) -> Slide:
        return Slide(link=self.link, **fields)

    def measure_slide(self, title: str, table: pd.DataFrame, demo: bool) -> Slide:
        stand = self.query(read.data_stand, as_of=self.view.as_of)
        day = formatting.day(measure_views.reference_day(self.view.as_of))
        return self.slide(
            title=title,
            subtitle=f"{texts.MEASURES_TITLE} · {texts.SLIDE_MEASURES_DAY.format(day=day)}",
            source=texts.MEASURES_SOURCE,
            stand=formatting.timestamp(None if pd.isna(stand) else stand),
            demo=demo,
            table=table,
        )

    def measure_detail(self) -> list[Slide]:
        """An opened measure (URL key ``massnahme``): its facts and status history."""
        info = measure_views.open_detail(self.query, self.view)
        if info is None:
            return []
        table = pd.DataFrame(measure_views.detail_rows(info), columns=["Feld", "Wert"])
        return [self.measure_slide(f"{texts.MEASURE_DETAIL}: {info.title}", table, info.demo)]


def _series_slide(
    deck: _Deck, frame: pd.DataFrame, ind: pd.Series, subtitle: str, figure: Any = None
) -> Slide:
    series = pd.DataFrame(
        {
            "category": frame["period"].map(period_text),
            "when": period_midpoints(frame).dt.date,  # a time axis, as on the page
            "name": frame["area_name"].where(frame["area"] != "dortmund", texts.CITY),
            "value": frame["value"],
            "official": frame["is_official"].astype(bool),
        }
    )
    series = pd.concat([series, target_path_rows(figure)], ignore_index=True)
    meta = meta_for(ind, frame)
    return deck.slide(
        title=f"{ind['name']} ({ind['unit']})",
        subtitle=subtitle,
        source=meta.source,
        stand=meta.stand,
        demo=meta.demo,
        series=series,
        number_format=number_format(int(ind["decimals"])),
        lower_is_up=ind["unit"] == "Rang",  # as the page's chart (views.charts)
    )


def _masterplan(deck: _Deck, page: masterplan.MasterplanData) -> list[Slide]:
    subtitle = deck.subtitle(f"Masterplan {page.plan_name}", page.honoured)
    return [
        _series_slide(deck, chart.frame, chart.indicator, subtitle, chart.figure)
        for chart in page.charts
        if not chart.frame.empty
    ]


def _indicator(deck: _Deck, page: indicator.IndicatorData) -> list[Slide]:
    ind = page.indicator
    subtitle = deck.subtitle(f"Masterplan {page.plan_name}", page.honoured)
    drawn = page.drawn  # per 1,000 inhabitants with the page's switch, as the page draws it
    slides = (
        [] if page.frame.empty else [_series_slide(deck, page.frame, drawn, subtitle, page.figure)]
    )
    if page.districts is None:
        return slides
    values = page.districts.values
    per_capita = page.per_capita
    column = "per_1000" if per_capita else "value"  # as the page's switch shows them
    unit = per_1000_unit(ind["unit"]) if per_capita else str(ind["unit"])
    meta = meta_for(ind, values)
    label = period_text(page.districts.period)
    ranked = values.sort_values(column, ascending=ind["direction"] != "higher")
    common = {
        "subtitle": subtitle,
        "source": meta.source,
        "stand": meta.stand,
        "demo": meta.demo,
        "number_format": number_format(PER_1000_DECIMALS if per_capita else int(ind["decimals"])),
    }
    return [
        *slides,
        deck.slide(
            title=f"{ind['short_name']}: Stadtbezirke {label} ({unit})",
            figure=page.districts.map,
            **common,
        ),
        deck.slide(
            title=f"{texts.RANKING_TITLE}: {ind['short_name']}, {label} ({unit})",
            bars=pd.DataFrame(
                {
                    "category": ranked["area_name"],
                    "value": ranked[column],
                    "official": ranked["is_official"].astype(bool),
                }
            ),
            **common,
        ),
    ]


def _districts(deck: _Deck, page: districts.DistrictsData) -> list[Slide]:
    # The title names the district; the subtitle does not list other chosen districts.
    subtitle = deck.subtitle(texts.PAGE_TITLES["bezirke"], page.honoured, areas=False)
    slides = [
        deck.slide(
            title=f"{page.title}: {profile.plan_name}",
            subtitle=subtitle,
            source="siehe Daten & Methodik",
            stand=profile.stand,
            demo=profile.demo,
            table=profile.table,
        )
        for profile in page.profiles
    ]
    slides += [
        deck.slide(
            title=f"{texts.DISTRICTS_COMPARED}: {profile.plan_name}",
            subtitle=deck.subtitle(texts.PAGE_TITLES["bezirke"], page.honoured),
            source="siehe Daten & Methodik",
            stand=page.profiles[0].stand if page.profiles else "–",
            demo=profile.demo,
            table=profile.table,
        )
        for profile in page.comparison
    ]
    chart = page.chart
    if chart is not None and not chart.frame.empty:
        lead = f"{texts.DISTRICTS_CHART}"
        slides.append(
            _series_slide(
                deck, chart.frame, chart.indicator, deck.subtitle(lead, page.honoured), chart.figure
            )
        )
    return slides


def _data(deck: _Deck, page: data.DataPageData) -> list[Slide]:
    return [
        deck.slide(
            title=texts.FRESHNESS,
            subtitle=texts.PAGE_TITLES["daten"],
            source="Importprotokoll",
            stand=page.freshness_stand,
            demo=page.freshness_demo,
            table=page.freshness,
        )
    ]


_RENDER: dict[str, Callable[[_Deck, Any], list[Slide]]] = {
    "uebersicht": deck_summary.overview_tables,
    "masterplan": _masterplan,
    "indikator": _indicator,
    "bezirke": _districts,
    "daten": _data,
    "trends": trend_slides.render,
    "vergleich": deck_comparison.render,
}


def _measures(deck: _Deck, page: Any) -> list[Slide]:
    """The measures each page shows: a masterplan's, an indicator's, a district's, counts."""
    if isinstance(page, overview.OverviewData):
        frame, table, title = page.measures, page.measure_counts, texts.MEASURES_OVERVIEW
    elif isinstance(page, masterplan.MasterplanData):
        frame, title = page.measures, page.measures_title
        table = measure_views.slide_table(frame)
    elif isinstance(page, indicator.IndicatorData):
        frame, title = page.linked, texts.MEASURES_LINKED
        table = measure_views.slide_table(frame)
    elif isinstance(page, districts.DistrictsData):
        frame, title = page.measures, f"{texts.MEASURES_TITLE}: {page.name}"
        table = measure_views.slide_table(frame)
    else:
        return []
    if frame.empty:
        return []
    return [deck.measure_slide(title, table, not bool(frame["is_official"].all()))]


def deck_for_urls(
    con: duckdb.DuckDBPyConnection,
    urls: list[str],
    template: bytes | None = None,
    details: bool = False,
) -> tuple[bytes, list[str]]:
    """One deck from several permalinks, in order, on the city's master ``template`` if
    given: a slide per view, with ``details`` also every chart and table; returns (pptx
    bytes, notices)."""
    if len(urls) > MAX_LINKS:
        raise BadLink(f"{len(urls)} Links: höchstens {MAX_LINKS} Ansichten je Foliensatz")
    views = [parse_view(con, url) for url in urls]  # every link checked before any slide
    problems = [
        f"{linked.link}: ungültiger Wert für {n.key} ({n.value})"
        for linked in views
        for n in linked.notices
    ]
    if problems:  # a slide of another view than the link asks for would mislead
        raise BadLink("; ".join(problems))
    slides = [slide for linked in views for slide in slides_for(con, linked, details)]
    return build_deck(slides, template), []
