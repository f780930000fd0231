"""A view's key message on one slide, and the overview's tables per masterplan.

A deck has one slide per view by default (``share.deck``): for a page of many charts or
tables that is a summary made here from the same page data: the overview's tiles as a
grid, a masterplan's status table, a district's profile. Every value is a value the page
shows, with its origin; colour only repeats what the text says.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pandas as pd

from dortmund_kpi import formatting, texts
from dortmund_kpi.share.slides import Slide
from dortmund_kpi.views import districts, masterplan, overview
from dortmund_kpi.views.charts import period_midpoints
from dortmund_kpi.views.common import meta_for, period_text, stand_of
from dortmund_kpi.views.overview import overview_selection

COLUMNS = texts.SLIDE_SUMMARY_COLUMNS
CHANGE_ICONS = {style.label: style.icon for style in texts.CHANGE_STYLE.values()}
WHITE = "#FFFFFF"
PROFILE_COLUMNS = ["Indikator", "Zeitraum", "Wert", "Rang", "Abweichung", "Datenart"]


def tint(code: str | None, share: float = 0.22) -> str | None:
    """A light shade of a status colour, dark text stays readable on it."""
    if not code:
        return None
    rgb = [int(code.lstrip("#")[i : i + 2], 16) for i in (0, 2, 4)]
    return "#" + "".join(f"{round(255 - (255 - v) * share):02X}" for v in rgb)


def _status(status: object) -> str:
    style = texts.status_style(status)
    return f"{style.icon} {style.label}"


def _origin(official: pd.Series) -> str:
    if official.all():
        return texts.OFFICIAL
    return texts.DEMO if not official.any() else texts.SLIDE_ORIGIN_BOTH


def _tile_text(tile: overview.Tile) -> str:
    """Two lines: the tile's title and value, then target status, change and origin."""
    value = f"{tile.value} {tile.unit}".strip()
    first = f"{tile.title}: {value}" + (f" ({tile.area})" if tile.area else "")
    parts = [_status(tile.status)]
    if tile.change_word:
        parts.append(f"{CHANGE_ICONS.get(tile.change_word, '')} {tile.change_word}".strip())
    if tile.demo:
        parts.append(texts.DEMO)
    if tile.origin_note:
        parts.append(tile.origin_note)
    return f"{first}\n{' · '.join(parts)}"


def overview_grid(deck: Any, page: overview.OverviewData) -> Slide | None:
    """Every tile of the overview on one slide: a column per masterplan."""
    shown = {name: overview_selection(page.plan_tiles(plan)) for plan, name in page.plans.items()}
    shown = {name: own for name, own in shown.items() if own}
    if not shown:
        return None
    rows = max(len(own) for own in shown.values())
    cells = {
        name: ([_tile_text(t) for t in own] + [""] * rows)[:rows] for name, own in shown.items()
    }
    fills = {  # a shorter column ends in white, not in the table's banding
        name: ([tint(texts.status_style(t.status).chart) for t in own] + [WHITE] * rows)[:rows]
        for name, own in shown.items()
    }
    lead = texts.PAGE_TITLES["uebersicht"]
    if page.district:
        lead += " · " + texts.OVERVIEW_SLIDE_AREA.format(name=page.district)
    tiles = [t for own in shown.values() for t in own]
    return deck.slide(
        title=texts.SLIDE_OVERVIEW_TITLE,
        subtitle=deck.subtitle(lead, page.honoured, areas=page.district is None),
        source="siehe Daten & Methodik",
        stand=page.stand,
        demo=any(t.demo or t.origin_note for t in tiles),
        table=pd.DataFrame(cells),
        fills=pd.DataFrame(fills),
        whole=True,
    )


def _latest(frame: pd.DataFrame) -> pd.DataFrame:
    """Each line's latest value (the city's first), as the page's chart ends."""
    when = period_midpoints(frame)
    last = frame.loc[when.groupby(frame["area"]).idxmax()]
    last = last.assign(name=last["area_name"].where(last["area"] != "dortmund", texts.CITY))
    return last.sort_values("area", key=lambda a: a != "dortmund", kind="stable")


def _plan_row(chart: masterplan.Chart) -> dict[str, str]:
    ind, last = chart.indicator, _latest(chart.frame)
    period = str(last["period"].iloc[0])
    row = {
        COLUMNS["indicator"]: f"{ind['short_name']} ({ind['unit']})",
        COLUMNS["period"]: period_text(period),
    }
    for item in last.itertuples(index=False):
        value = formatting.number(item.value, int(ind["decimals"]))
        other = item.period != period  # a line ending earlier says when
        row[str(item.name)] = f"{value} ({period_text(item.period)})" if other else value
    row[COLUMNS["status"]] = _status(chart.status)
    row[COLUMNS["origin"]] = _origin(last["is_official"].astype(bool))
    return row


def _sources(sources: list[str]) -> str:
    """The charts' sources, when few; a masterplan of many sources points to the methods."""
    distinct = list(dict.fromkeys(sources))
    return "; ".join(distinct) if len(distinct) <= 2 else "siehe Daten & Methodik"


def masterplan_table(deck: Any, page: masterplan.MasterplanData) -> Slide | None:
    """A row per chart of the page: its lines' latest values, target status, origin."""
    shown = [c for c in page.charts if not c.frame.empty]
    if not shown:
        return None
    table = pd.DataFrame([_plan_row(c) for c in shown]).fillna("–")  # no line for an area
    status = COLUMNS["status"]
    order = [c for c in table.columns if c not in (status, COLUMNS["origin"])]
    table = table[[*order, status, COLUMNS["origin"]]]
    if page.status_area:  # beside district lines: whose status it is, as on the cards
        named = f"{status} ({page.status_area})"
        table, status = table.rename(columns={status: named}), named
    fills = pd.DataFrame(None, index=table.index, columns=table.columns, dtype=object)
    fills[status] = [tint(texts.status_style(c.status).chart) for c in shown]
    return deck.slide(
        title=texts.SLIDE_PLAN_TITLE.format(name=page.plan_name),
        subtitle=deck.subtitle(f"Masterplan {page.plan_name}", page.honoured),
        source=_sources([meta_for(c.indicator, c.frame).source for c in shown]),
        stand=stand_of(pd.concat([c.frame for c in shown])),
        demo=page.demo,
        table=table,
        fills=fills,
        whole=True,
    )


def district_profile(deck: Any, page: districts.DistrictsData) -> Slide | None:
    """The district's profile over every masterplan: value, rank and distance to the city."""
    parts = [
        p.table[PROFILE_COLUMNS].assign(**{COLUMNS["plan"]: p.plan_name})
        for p in page.profiles
        if not p.table.empty
    ]
    if not parts:
        return None
    table = pd.concat(parts, ignore_index=True)
    table = table[[COLUMNS["plan"], *PROFILE_COLUMNS]]
    return deck.slide(
        title=page.title,
        subtitle=deck.subtitle(texts.PAGE_TITLES["bezirke"], page.honoured, areas=False),
        source="siehe Daten & Methodik",
        stand=page.profiles[0].stand,
        demo=any(p.demo for p in page.profiles),
        table=table,
        whole=True,
    )


def overview_tables(deck: Any, page: overview.OverviewData) -> list[Slide]:
    """The detail slides of the overview: a table of the tiles per masterplan."""
    slides = []
    lead = texts.PAGE_TITLES["uebersicht"]
    if page.district:  # the tiles show one district where they can, each names its area
        lead += " · " + texts.OVERVIEW_SLIDE_AREA.format(name=page.district)
    subtitle = deck.subtitle(lead, page.honoured, areas=page.district is None)
    for plan, name in page.plans.items():
        own = overview_selection(page.plan_tiles(plan))
        if not own:
            continue
        table = pd.DataFrame(
            {
                "Kennzahl": [t.title for t in own],
                "Wert": [f"{t.value} {t.unit}".strip() for t in own],
                "Zeitraum": [t.period for t in own],
                "Veränderung": [_change_text(t) for t in own],
                "Zielstatus": [t.status or texts.NO_TARGET for t in own],
                "Datenart": [texts.DEMO if t.demo else texts.OFFICIAL for t in own],
            }
        )
        if page.district:
            table.insert(1, "Gebiet", [t.area or texts.TILE_CITY for t in own])
        slides.append(
            deck.slide(
                title=f"Masterplan {name}: Kennzahlen im Überblick",
                subtitle=subtitle,
                source="siehe Daten & Methodik",
                stand=page.stand,
                demo=any(t.demo or t.origin_note for t in own),
                table=table,
            )
        )
    return slides


def _change_text(tile: overview.Tile) -> str:
    """A tile's change as its caption reads, with the note on a comparison across origins."""
    text = f"{tile.change} {tile.versus}".strip() or "–"
    return f"{text} · {tile.origin_note}" if tile.origin_note else text


# The pages whose view needs a summary of its own; every other page's first slide (its
# chart, ranking, radar or table) already is the view's key message.
SUMMARIES: dict[str, Callable[[Any, Any], Slide | None]] = {
    "uebersicht": overview_grid,
    "masterplan": masterplan_table,
    "bezirke": district_profile,
}
