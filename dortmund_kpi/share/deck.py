"""A dashboard view (page + URL values) as slides, without Streamlit.

Used by ``dortmund-kpi slides URL...`` and by the "Als Folie (PPTX)" button, so a
deck shows the same numbers as the view its link opens.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from urllib.parse import parse_qs, urlsplit

import duckdb
import pandas as pd

from dortmund_kpi import formatting, texts
from dortmund_kpi.db import read
from dortmund_kpi.districts import DistrictMatcher, districts_from_rows
from dortmund_kpi.share import urlstate
from dortmund_kpi.share.slides import Slide
from dortmund_kpi.views import common as views
from dortmund_kpi.views import measures as measure_views


class ViewError(ValueError):
    """A link that names no page of the dashboard."""


@dataclass(frozen=True)
class View:
    page: str
    values: dict
    link: str
    notices: list[urlstate.Notice]


def _matcher(con: duckdb.DuckDBPyConnection) -> DistrictMatcher:
    return DistrictMatcher(districts_from_rows(read.district_list(con).itertuples(index=False)))


def parse_view(con: duckdb.DuckDBPyConnection, url: str) -> View:
    """A permalink (absolute or relative) -> page and values, defaults filled in."""
    parts = urlsplit(url)
    path = parts.path.rstrip("/").rsplit("/", 1)[-1]
    pages = {v: k for k, v in urlstate.PAGES.items()}
    if path not in pages:
        raise ViewError(
            f"{url}: unbekannte Seite '/{path}' (erwartet: /, /masterplan, "
            "/indikator, /bezirke, /daten)"
        )
    page = pages[path]
    indicators = read.indicator_list(con)
    ctx = urlstate.UrlContext(
        tuple(read.masterplan_names(con)),
        tuple(indicators["id"]),
        _matcher(con),
        read.data_range(con),
        tuple(read.measures(con)["id"]),
    )
    params = parse_qs(parts.query, keep_blank_values=True)
    parsed = urlstate.parse(params, page, ctx)
    values = {
        "bezirk": [],
        "zeitraum": ctx.years,
        "masterplan": "verwaltung",
        "indikator": str(indicators["id"].iloc[0]),
        "stand": None,
        "massnahme": None,
    } | parsed.values
    return View(page, values, url, parsed.notices)


def slides_for(con: duckdb.DuckDBPyConnection, view: View) -> list[Slide]:
    """The page's slides, then the measures the view shows (and an opened measure first)."""
    builders = {
        "uebersicht": _overview,
        "masterplan": _masterplan,
        "indikator": _indicator,
        "bezirke": _districts,
        "daten": _data,
    }
    return _measure_detail(con, view) + builders[view.page](con, view) + _measures(con, view)


def _measure_frame(con: duckdb.DuckDBPyConnection, view: View) -> pd.DataFrame:
    as_of = _as_of(view)
    return measure_views.prepare(read.measures(con, as_of), measure_views.reference_day(as_of))


def _measure_slide(con, view: View, title: str, table: pd.DataFrame, demo: bool) -> Slide:
    stand = read.data_stand(con, _as_of(view))
    return Slide(
        title=title,
        subtitle=_measure_subtitle(view),
        source=texts.MEASURES_SOURCE,
        stand=formatting.timestamp(None if pd.isna(stand) else stand),
        demo=demo,
        link=view.link,
        table=table,
    )


def _measure_subtitle(view: View) -> str:
    """Measures are not filtered by period: the subtitle names the day they are judged on."""
    day = formatting.day(measure_views.reference_day(_as_of(view)))
    return f"{texts.MEASURES_TITLE} · {texts.MEASURES_PINNED_DAY.format(day=day)}"


def _measures(con: duckdb.DuckDBPyConnection, view: View) -> list[Slide]:
    """The measures each page shows: a masterplan's, an indicator's, a district's, counts."""
    frame = _measure_frame(con, view)
    plans = read.masterplan_names(con)
    if view.page == "uebersicht":
        today = measure_views.reference_day(_as_of(view))
        table = measure_views.overview_counts(frame, plans, today)
        title = texts.MEASURES_OVERVIEW
    elif view.page == "masterplan":
        frame = measure_views.for_masterplan(frame, view.values["masterplan"])
        title = f"{texts.MEASURES_TITLE}: Masterplan {plans[view.values['masterplan']]}"
        table = measure_views.slide_table(frame)
    elif view.page == "indikator":
        frame = measure_views.for_indicator(frame, view.values["indikator"])
        table, title = measure_views.slide_table(frame), texts.MEASURES_LINKED
    elif view.page == "bezirke":
        slugs = read.district_list(con)
        slug = (view.values["bezirk"] or [str(slugs["slug"].iloc[0])])[0]
        frame = measure_views.for_district(frame, slug)
        name = dict(zip(slugs["slug"], slugs["name"], strict=True))[slug]
        table, title = measure_views.slide_table(frame), f"{texts.MEASURES_TITLE}: {name}"
    else:
        return []
    if frame.empty:
        return []
    demo = not bool(frame["is_official"].all())
    return [_measure_slide(con, view, title, table, demo)]


def _measure_detail(con: duckdb.DuckDBPyConnection, view: View) -> list[Slide]:
    """An opened measure (URL key ``massnahme``): its facts and status history."""
    measure_id = view.values.get("massnahme")
    frame = _measure_frame(con, view)
    match = frame[frame["id"] == measure_id] if measure_id else frame.iloc[0:0]
    if match.empty:
        return []
    row = match.iloc[0]
    names = read.district_names(con)
    inds = read.indicator_list(con)
    years = view.values["zeitraum"]
    stats = read.series_stats(con, years[0], years[1], _as_of(view)).set_index("indicator_id")
    info = measure_views.detail(
        row,
        read.measure_versions(con, str(measure_id), _as_of(view)),
        inds,
        views.statuses(stats, inds),
        names,
        read.masterplan_names(con),
    )
    table = pd.DataFrame(measure_views.detail_rows(info), columns=["Feld", "Wert"])
    title = f"{texts.MEASURE_DETAIL}: {info.title}"
    return [_measure_slide(con, view, title, table, info.demo)]


def _as_of(view: View) -> datetime | None:
    return view.values.get("stand")


def _subtitle(con: duckdb.DuckDBPyConnection, view: View, lead: str) -> str:
    names = read.district_names(con)
    areas = ", ".join(["Dortmund", *(names[s] for s in view.values["bezirk"])])
    years = view.values["zeitraum"]
    parts = [lead, areas, f"{years[0]}–{years[1]}"]
    if _as_of(view):
        parts.append(f"Datenstand {formatting.timestamp(_as_of(view))}")
    return " · ".join(p for p in parts if p)


def _series_slide(frame: pd.DataFrame, ind: pd.Series, view: View, subtitle: str) -> Slide:
    data = pd.DataFrame(
        {
            "category": frame["period"].map(views.period_text),
            "name": frame["area_name"].where(frame["area"] != "dortmund", texts.CITY),
            "value": frame["value"],
        }
    )
    meta = views.meta_for(ind, frame)
    return Slide(
        title=f"{ind['name']} ({ind['unit']})",
        subtitle=subtitle,
        source=meta.source,
        stand=meta.stand,
        demo=meta.demo,
        link=view.link,
        series=data,
        number_format=_number_format(int(ind["decimals"])),
    )


def _number_format(decimals: int) -> str:
    return "#,##0" + ("." + "0" * decimals if decimals else "")


def _indicator_rows(con: duckdb.DuckDBPyConnection, ids: list[str], view: View) -> pd.DataFrame:
    years = view.values["zeitraum"]
    areas = ["dortmund", *view.values["bezirk"]]
    return read.series(con, ids, areas, years[0], years[1], _as_of(view))


def _indicator(con: duckdb.DuckDBPyConnection, view: View) -> list[Slide]:
    inds = read.indicator_list(con).set_index("id", drop=False)
    ind = inds.loc[view.values["indikator"]]
    subtitle = _subtitle(con, view, f"Masterplan {read.masterplan_names(con)[ind['masterplan']]}")
    frame = _indicator_rows(con, [ind["id"]], view)
    slides = [_series_slide(frame, ind, view, subtitle)] if len(frame) else []
    years = view.values["zeitraum"]
    periods = read.district_periods(con, ind["id"], years[0], years[1], _as_of(view))
    if ind["level"] == "district" and len(periods):
        slides += _district_slides(con, ind, str(periods["period"].iloc[0]), view, subtitle)
    return slides


def _district_slides(con, ind, period: str, view: View, subtitle: str) -> list[Slide]:
    from dortmund_kpi.geometry import current_geometry
    from dortmund_kpi.settings import get_settings

    values = read.district_values(con, ind["id"], period, _as_of(view))
    meta = views.meta_for(ind, values)
    geo = current_geometry(get_settings())
    fig = views.map_figure(values, ind, geo.geojson, geo.view, False, geo.schematic, period)
    label = views.period_text(period)
    ranked = values.sort_values("value", ascending=ind["direction"] != "higher")
    common = {
        "subtitle": subtitle,
        "source": meta.source,
        "stand": meta.stand,
        "demo": meta.demo,
        "link": view.link,
        "number_format": _number_format(int(ind["decimals"])),
    }
    return [
        Slide(
            title=f"{ind['short_name']}: Stadtbezirke {label} ({ind['unit']})", figure=fig, **common
        ),
        Slide(
            title=f"{texts.RANKING_TITLE}: {ind['short_name']}, {label} ({ind['unit']})",
            bars=pd.DataFrame({"category": ranked["area_name"], "value": ranked["value"]}),
            **common,
        ),
    ]


def _masterplan(con: duckdb.DuckDBPyConnection, view: View) -> list[Slide]:
    plan = view.values["masterplan"]
    inds = read.indicator_list(con)
    own = inds[inds["masterplan"] == plan]
    frame = _indicator_rows(con, list(own["id"]), view)
    subtitle = _subtitle(con, view, f"Masterplan {read.masterplan_names(con)[plan]}")
    return [
        _series_slide(frame[frame["indicator_id"] == ind["id"]], ind, view, subtitle)
        for _, ind in own.iterrows()
        if (frame["indicator_id"] == ind["id"]).any()
    ]


def _overview(con: duckdb.DuckDBPyConnection, view: View) -> list[Slide]:
    years, as_of = view.values["zeitraum"], _as_of(view)
    inds = read.indicator_list(con)
    stats = read.series_stats(con, years[0], years[1], as_of)
    tiles = views.tiles(stats, inds, read.sparklines(con, years[0], years[1], as_of))
    slides = []
    for plan, name in read.masterplan_names(con).items():
        own = [t for t in tiles if t.masterplan == plan]
        if not own:
            continue
        table = pd.DataFrame(
            {
                "Kennzahl": [t.title for t in own],
                "Wert": [f"{t.value} {t.unit}".strip() for t in own],
                "Zeitraum": [t.period for t in own],
                "Veränderung": [f"{t.change} {t.versus}".strip() or "–" for t in own],
                "Zielstatus": [t.status or texts.NO_TARGET for t in own],
                "Datenart": [texts.DEMO if t.demo else texts.OFFICIAL for t in own],
            }
        )
        slides.append(
            Slide(
                title=f"Masterplan {name}: Kennzahlen im Überblick",
                subtitle=_subtitle(con, view, texts.PAGE_TITLES["uebersicht"]),
                source="siehe Daten & Methodik",
                stand=views.stand_of(stats, "stand"),
                demo=any(t.demo for t in own),
                link=view.link,
                table=table,
            )
        )
    return slides


def _districts(con: duckdb.DuckDBPyConnection, view: View) -> list[Slide]:
    slugs = read.district_list(con)
    slug = (view.values["bezirk"] or [str(slugs["slug"].iloc[0])])[0]
    name = dict(zip(slugs["slug"], slugs["name"], strict=True))[slug]
    years = view.values["zeitraum"]
    profile = read.district_profile(con, slug, years[0], years[1], _as_of(view))
    slides = []
    for plan, plan_name in read.masterplan_names(con).items():
        part = profile[profile["masterplan"] == plan]
        if len(part):
            slides.append(
                Slide(
                    title=f"{texts.PROFILE_TITLE.format(name=name)}: {plan_name}",
                    subtitle=_subtitle(con, view, texts.PAGE_TITLES["bezirke"]),
                    source="siehe Daten & Methodik",
                    stand="–"
                    if part.empty
                    else views.stand_of(
                        read.series(
                            con,
                            list(part["indicator_id"]),
                            [slug],
                            years[0],
                            years[1],
                            _as_of(view),
                        )
                    ),
                    demo=not bool(part["is_official"].all()),
                    link=view.link,
                    table=views.profile_table(part),
                )
            )
    return slides


def _data(con: duckdb.DuckDBPyConnection, view: View) -> list[Slide]:
    from datetime import date

    fresh = read.freshness(con, _as_of(view))
    table = views.freshness_table(fresh, date.today())
    return [
        Slide(
            title=texts.FRESHNESS,
            subtitle=texts.PAGE_TITLES["daten"],
            source="Importprotokoll",
            stand=views.stand_of(fresh, "updated"),
            demo=bool(fresh["any_demo"].fillna(False).any()),
            link=view.link,
            table=table,
        )
    ]


def deck_for_urls(con: duckdb.DuckDBPyConnection, urls: list[str]) -> tuple[bytes, list[str]]:
    """One deck from several permalinks, in order; returns (pptx bytes, notices)."""
    from dortmund_kpi.share.slides import build_deck

    slides, notes = [], []
    for url in urls:
        view = parse_view(con, url)
        notes += [
            f"{url}: ungültiger Wert für {n.key} ({n.value}), Standard verwendet"
            for n in view.notices
        ]
        slides += slides_for(con, view)
    return build_deck(slides), notes
