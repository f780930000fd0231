"""Page data of "Vergleich": one indicator, Dortmund among a peer group.

For each period with values of other municipalities, every member of the group with a
value is ranked (competition ranks, 1 = best in the indicator's direction) on its
comparable value: as published, per 1,000 inhabitants or per km² (the catalog's
``peers``). Dortmund's value is the city value of ``observations`` for that period, the
others' come from ``peer_observations``; each keeps its source, Stand and origin.
"""

from __future__ import annotations

import functools
import math
from dataclasses import dataclass

import pandas as pd
import plotly.graph_objects as go

from dortmund_kpi import formatting, texts
from dortmund_kpi.db import peers, read
from dortmund_kpi.peer_groups import (
    DORTMUND_AGS,
    PeerConfig,
    PeerFileError,
    PeerGroup,
    comparable,
    peer_config,
    ranks,
    region_map,
)
from dortmund_kpi.views import alt_text, bars_svg, map_svg, rank_svg
from dortmund_kpi.views import comparison_charts as figures
from dortmund_kpi.views.common import Query, View, depends_on, period_text
from dortmund_kpi.views.comparison_charts import Standing

HONOURED = frozenset({"vergleich", "indikator", "stand"})


@dataclass(frozen=True)
class ComparisonData:
    view: View
    honoured: frozenset[str]
    title: str
    group: PeerGroup | None
    groups: dict[str, str]  # id -> name
    options: dict[str, str]  # comparable indicators: id -> name
    indicator: pd.Series | None
    notice: str  # why another indicator than the link's is shown ("" if none)
    mode_text: str
    unit: str
    ranked: pd.DataFrame  # every period: ags, name, period, value, compared, rank, …
    history: list[Standing]
    latest: Standing | None
    table: pd.DataFrame  # the latest period, German columns, ranked
    missing: list[str]  # members without a value in the latest period
    rank_figure: go.Figure | None
    bar_figure: go.Figure | None
    map_figure: go.Figure | None
    demo: bool
    decimals: int = 0  # of the compared values

    @property
    def standing_text(self) -> str:
        """Dortmund's place in the latest period in one line (rank, own value, median and
        best): the indicator page's panel and the ranking's slide say what the page's
        figures show; "" without a rank."""
        latest = self.latest
        if latest is None or latest.rank is None or self.group is None:
            return ""

        def shown(value: float | None) -> str:
            return value_text(value, self.unit, self.decimals)

        return texts.COMPARISON_PANEL_TEXT.format(
            period=period_text(latest.period),
            rank=latest.rank,
            n=latest.n,
            group=self.group.name,
            value=shown(latest.dortmund),
            median=shown(latest.median),
            best=shown(latest.best),
            best_name=latest.best_name,
        )

    @property
    def missing_text(self) -> str:
        """The members of the group without a value in the latest period ("" if none): a
        ranking of 5 of 15 must say who is left out, on the page and on its slide."""
        if not self.missing:
            return ""
        period = period_text(self.latest.period) if self.latest else "–"
        names = ", ".join(self.missing)
        members = formatting.counted(len(self.missing), *texts.MEMBERS)
        return texts.COMPARISON_MISSING.format(members=members, period=period, names=names)

    # Drawn by ``build`` (the comparison page), not by ``numbers`` (the indicator page's
    # panel never shows them), once per page data: cached_property writes past frozen.
    @functools.cached_property
    def bar_svg(self) -> str:
        """The bars as static SVG (``views.bars_svg.markup``)."""
        fig = self.bar_figure
        return bars_svg.markup(fig, alt_text.describe(fig)) if fig is not None else ""

    @functools.cached_property
    def rank_svg(self) -> str:
        """Dortmund's rank over time as static SVG (``views.rank_svg``)."""
        fig = self.rank_figure
        return rank_svg.figure_svg(fig, alt_text.describe(fig)) if fig is not None else ""

    @functools.cached_property
    def map_svg(self) -> str:
        """The regional map as static SVG (``views.map_svg``)."""
        fig = self.map_figure
        return map_svg.figure_svg(fig, alt_text.describe(fig)) if fig is not None else ""


def short_name(name: str) -> str:
    """ "Duisburg, krfr. Stadt" -> "Duisburg" (the official suffix after the comma)."""
    return str(name).split(",", 1)[0].strip()


def unit_of(ind: pd.Series) -> str:
    extra = {"per_1000": texts.COMPARISON_PER_1000, "per_km2": texts.COMPARISON_PER_KM2}
    suffix = extra.get(str(ind["peers"]))
    return f"{ind['unit']} {suffix}" if suffix else str(ind["unit"])


def group_frame(
    others: pd.DataFrame,
    city: pd.DataFrame,
    regions: pd.DataFrame,
    ind: pd.Series,
    group: PeerGroup,
) -> pd.DataFrame:
    """Every member's value per period of the peers, with comparable value and rank."""
    facts = regions.set_index("ags") if len(regions) else pd.DataFrame()
    own = facts.loc[DORTMUND_AGS] if DORTMUND_AGS in facts.index else None
    periods = sorted(set(others["period"]))
    mine = city[city["period"].isin(periods)].assign(
        ags=DORTMUND_AGS,
        name="Dortmund",
        population=None if own is None else own["population"],
        area_km2=None if own is None else own["area_km2"],
        loaded_at=city["valid_from"],
    )
    columns = ["ags", "name", "period", "value", "source", "is_official", "loaded_at"]
    columns += ["population", "area_km2"]
    members = others[others["ags"].isin(group.ags) & (others["ags"] != DORTMUND_AGS)]
    frame = pd.concat([members[columns], mine[columns]], ignore_index=True)
    mode, higher = str(ind["peers"]), str(ind["direction"]) == "higher"
    frame["compared"] = [
        comparable(float(v), mode, _num(p), _num(a))
        for v, p, a in zip(frame["value"], frame["population"], frame["area_km2"], strict=True)
    ]
    frame = frame[frame["compared"].notna()].copy()
    frame["name"] = frame["name"].map(short_name)
    frame["rank"] = 0
    for _, part in frame.groupby("period"):
        frame.loc[part.index, "rank"] = ranks(list(part["compared"]), higher)
    return frame.sort_values(["period", "rank", "name"]).reset_index(drop=True)


def _num(value: object) -> float | None:
    return None if value is None or pd.isna(value) else float(value)


def standings(frame: pd.DataFrame, higher: bool) -> list[Standing]:
    found = []
    for period, part in frame.groupby("period", sort=True):
        best = part.sort_values("compared", ascending=not higher).iloc[0]
        own = part[part["ags"] == DORTMUND_AGS]
        found.append(
            Standing(
                str(period),
                int(own["rank"].iloc[0]) if len(own) else None,
                len(part),
                float(own["compared"].iloc[0]) if len(own) else None,
                float(part["compared"].median()),
                float(best["compared"]),
                str(best["name"]),
            )
        )
    return found


def _table(part: pd.DataFrame, decimals: int, shown: int) -> pd.DataFrame:
    c = texts.COMPARISON_COLUMNS
    return pd.DataFrame(
        {
            c["rank"]: part["rank"].astype(int),
            c["name"]: part["name"],
            c["value"]: [formatting.number(v, decimals) for v in part["value"]],
            c["compared"]: [formatting.number(v, shown) for v in part["compared"]],
            c["period"]: part["period"].map(period_text),
            c["source"]: part["source"],
            c["stand"]: part["loaded_at"].map(formatting.day),
            c["kind"]: part["is_official"].map({True: texts.OFFICIAL, False: texts.DEMO}),
        }
    )


def _choose(query: Query, view: View) -> tuple[str, str, dict[str, str]]:
    indicators = query(read.indicator_list).set_index("id")
    options = {i: str(indicators.loc[i, "name"]) for i in query(peers.peer_indicators)}
    asked = view.indicator
    if asked in options or not options:
        return asked, "", options
    shown = next(iter(options))
    if not view.indicator_chosen:  # a plain /vergleich: open on a comparable one, no word
        return shown, "", options
    name = str(indicators.loc[asked, "name"]) if asked in indicators.index else asked
    notice = texts.COMPARISON_FALLBACK.format(
        asked=name, shown=options[shown], options=", ".join(options.values())
    )
    return shown, notice, options


@depends_on("as_of", "indicator", "indicator_chosen", "peer_group")
def build(query: Query, view: View) -> ComparisonData:
    """The comparison page's data with its drawings made: a view the server builds on a
    new version before anyone asks (``ui.prebuild``) is complete, so the first visitor
    after an import pays what a warm run costs."""
    page = numbers(query, view)
    _ = (page.bar_svg, page.rank_svg, page.map_svg)  # drawn now, kept on the page data
    return page


@depends_on("as_of", "indicator", "indicator_chosen", "peer_group")
def numbers(query: Query, view: View) -> ComparisonData:
    """The comparison's data, nothing drawn as SVG yet (the indicator page's panel)."""
    chosen, notice, options = _choose(query, view)
    try:
        config = peer_config()
    except PeerFileError as broken:
        config, notice, options = PeerConfig((), {}), str(broken), {}
    groups = {g.id: g.name for g in config.groups}
    group = config.group(view.peer_group) if config.groups else None
    empty = ComparisonData(
        view, HONOURED, texts.COMPARISON_TITLE, group, groups, options, None, notice, "", "",
        pd.DataFrame(), [], None, pd.DataFrame(), [], None, None, None, False,
    )  # fmt: skip
    if not options or group is None:
        return empty
    ind = query(read.indicator_list).set_index("id").loc[chosen].copy()
    ind["id"] = chosen
    regions = query(peers.regions)
    others = query(peers.peer_values, chosen, as_of=view.as_of)
    city = query(peers.city_values, chosen, as_of=view.as_of)
    frame = group_frame(others, city, regions, ind, group)
    history = standings(frame, str(ind["direction"]) == "higher")
    latest = next((s for s in reversed(history) if s.rank is not None), None)
    latest = latest or (history[-1] if history else None)
    part = frame[frame["period"] == latest.period] if latest else frame.iloc[0:0]
    decimals = int(ind["decimals"])
    shown = decimals if str(ind["peers"]) == "as_is" else max(decimals, 2)
    names = dict(zip(regions["ags"], regions["name"].map(short_name), strict=True))
    missing = [names.get(a, a) for a in group.ags if a not in set(part["ags"])]
    unit = unit_of(ind)
    meta = figures.Meta(str(ind["short_name"]), unit, shown, str(ind["direction"]) == "higher")
    geo = region_map()
    area = group_frame(others, city, regions, ind, _around(geo)) if geo else frame
    return ComparisonData(
        view=view,
        honoured=HONOURED,
        title=texts.COMPARISON_TITLE,
        group=group,
        groups=groups,
        options=options,
        indicator=ind,
        notice=notice,
        mode_text=_mode_text(ind, regions),
        unit=unit,
        ranked=frame,
        history=history,
        latest=latest,
        table=_table(part, decimals, shown),
        missing=missing,
        rank_figure=figures.rank_history(history, frame, meta, group.name) if history else None,
        bar_figure=figures.bars(part, meta, latest.period) if latest else None,
        map_figure=(
            figures.region_map(area, latest.period, meta, *geo) if latest and geo else None
        ),
        demo=bool(len(part)) and not bool(part["is_official"].all()),
        decimals=shown,
    )


def _around(geo: tuple[dict, tuple[dict, float]]) -> PeerGroup:
    """The map shows every municipality it draws, whichever group is chosen."""
    keys = tuple(str(f["properties"]["AGS"]) for f in geo[0]["features"])
    return PeerGroup("karte", "", keys)


def _mode_text(ind: pd.Series, regions: pd.DataFrame) -> str:
    mode = str(ind["peers"])
    text = texts.COMPARISON_MODE.get(mode, "")
    if mode == "per_1000":
        own = regions[regions["ags"] == DORTMUND_AGS]
        date = own["population_date"].iloc[0] if len(own) else None
        stand = formatting.day(date) if date is not None and not pd.isna(date) else "–"
        return text.format(population=f"{texts.STAND} {stand}")
    return text.format(area="VG250") if mode == "per_km2" else text


def value_text(value: float | None, unit: str, decimals: int) -> str:
    if value is None or (isinstance(value, float) and math.isnan(value)):
        return "–"
    return formatting.with_unit(value, unit, decimals)
