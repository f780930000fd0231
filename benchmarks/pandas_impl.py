"""The dashboard's queries written the way many dashboards are: pandas on in-memory frames.

This is the baseline of the "speed-up vs pandas" ratios, so it is written to be fast
and idiomatic, not as a straw man: vectorised group-bys and merges, no Python loops
over rows, filters applied before joins where that gives the same answer, and the
current rows (``valid_to IS NULL``) split off once when the data is loaded (what a
dashboard that keeps a frame in memory would do). Each function returns the same rows
and columns as its counterpart in ``dortmund_kpi.db.read`` (checked by
``benchmarks.queries.check_equal`` on every run).
"""

from __future__ import annotations

from dataclasses import dataclass

import duckdb
import numpy as np
import pandas as pd

CITY = "dortmund"
YEAR_SECONDS = 31_557_600.0
DERIVED_SOURCE = "aggregiert aus den Werten der Stadtbezirke"
SERIES_COLUMNS = [
    "indicator_id",
    "area",
    "period",
    "period_type",
    "period_start",
    "period_end",
    "value",
    "is_official",
    "source",
    "note",
    "valid_from",
]
KEYS = ["indicator_id", "area"]


@dataclass
class Frames:
    """The same data as the database, in memory."""

    observations: pd.DataFrame  # every row, history included
    current: pd.DataFrame  # rows with valid_to NULL
    indicators: pd.DataFrame
    districts: pd.DataFrame


def load(con: duckdb.DuckDBPyConnection) -> Frames:
    observations = con.execute("SELECT * FROM observations").df()
    current = observations[observations["valid_to"].isna()].reset_index(drop=True)
    return Frames(
        observations=observations,
        current=current,
        indicators=con.execute("SELECT * FROM indicators ORDER BY sort_order").df(),
        districts=con.execute("SELECT * FROM districts ORDER BY sort_order").df(),
    )


def _obs(f: Frames, as_of: object) -> pd.DataFrame:
    if as_of is None:
        return f.current
    moment = pd.Timestamp(as_of)
    o = f.observations
    return o[(o["valid_from"] <= moment) & (o["valid_to"].isna() | (o["valid_to"] > moment))]


def _window(frame: pd.DataFrame, year_from: int, year_to: int) -> pd.DataFrame:
    return frame[frame["period_end"].dt.year.between(year_from, year_to)]


def _city_series(f: Frames, obs: pd.DataFrame) -> pd.DataFrame:
    """Stored city values plus city values derived from all districts (sum or mean_pop)."""
    city = obs.loc[obs["area"] == CITY, SERIES_COLUMNS].assign(derived=False)
    rules = f.indicators.loc[
        f.indicators["aggregation"].isin(["sum", "mean_pop"]), ["id", "aggregation"]
    ]
    parts = obs.merge(rules, left_on="indicator_id", right_on="id").merge(
        f.districts[["slug", "population"]], left_on="area", right_on="slug"
    )
    parts["weighted"] = parts["value"] * parts["population"]
    grouped = (
        parts.groupby(["indicator_id", "period"], sort=False)
        .agg(
            period_type=("period_type", "first"),
            period_start=("period_start", "first"),
            period_end=("period_end", "first"),
            aggregation=("aggregation", "first"),
            total=("value", "sum"),
            weighted=("weighted", "sum"),
            population=("population", "sum"),
            count=("value", "size"),
            is_official=("is_official", "all"),
            valid_from=("valid_from", "max"),
        )
        .reset_index()
    )
    grouped = grouped[grouped["count"] == len(f.districts)]
    stored = pd.MultiIndex.from_frame(city[["indicator_id", "period"]])
    grouped = grouped[~pd.MultiIndex.from_frame(grouped[["indicator_id", "period"]]).isin(stored)]
    derived = grouped.assign(
        area=CITY,
        value=np.where(
            grouped["aggregation"] == "sum",
            grouped["total"],
            grouped["weighted"] / grouped["population"],
        ),
        source=DERIVED_SOURCE,
        note=None,
        derived=True,
    )[[*SERIES_COLUMNS, "derived"]]
    return pd.concat([city, derived], ignore_index=True)


def _all_series(f: Frames, obs: pd.DataFrame) -> pd.DataFrame:
    districts = obs.loc[obs["area"] != CITY, SERIES_COLUMNS].assign(derived=False)
    return pd.concat([_city_series(f, obs), districts], ignore_index=True)


def series(
    f: Frames,
    indicator_ids: list[str],
    areas: list[str],
    year_from: int,
    year_to: int,
    as_of: object = None,
) -> pd.DataFrame:
    obs = _obs(f, as_of)
    obs = _window(obs[obs["indicator_id"].isin(indicator_ids)], year_from, year_to)
    s = _all_series(f, obs)
    s = s[s["area"].isin(areas)].merge(
        f.districts[["slug", "name", "sort_order"]], left_on="area", right_on="slug", how="left"
    )
    s["area_name"] = s["name"].fillna("Dortmund")
    s["order"] = s["sort_order"].fillna(-1)
    s = s.sort_values(["indicator_id", "order", "period_end", "period"])
    return s[[*SERIES_COLUMNS, "derived", "area_name"]].reset_index(drop=True)


def series_stats(
    f: Frames, year_from: int, year_to: int, as_of: object = None, *, city: bool = True
) -> pd.DataFrame:
    obs = _window(_obs(f, as_of), year_from, year_to)
    s = _city_series(f, obs) if city else obs.loc[obs["area"] != CITY, SERIES_COLUMNS]
    s = s.sort_values(
        ["indicator_id", "area", "period_end", "is_official", "period"],
        ascending=[True, True, False, False, False],
    )
    latest = s.drop_duplicates(KEYS, keep="first").set_index(KEYS)
    last_end = latest["period_end"].rename("last_end")
    s = s.join(last_end, on=KEYS)
    groups = s.groupby(KEYS, sort=False)

    # Trend: least-squares slope per year over the last three years (regr_slope).
    cutoff = (last_end - pd.DateOffset(years=3)).rename("cutoff")
    recent = s.join(cutoff, on=KEYS)
    recent = recent[recent["period_end"] > recent["cutoff"]]
    x = recent["period_end"].astype("int64") / 1e6 / YEAR_SECONDS - 50.0  # microseconds
    sums = (
        pd.DataFrame({"x": x, "y": recent["value"], "xx": x * x, "xy": x * recent["value"]})
        .assign(indicator_id=recent["indicator_id"], area=recent["area"])
        .groupby(KEYS, sort=False)
        .agg(n=("x", "size"), x=("x", "sum"), y=("y", "sum"), xx=("xx", "sum"), xy=("xy", "sum"))
    )
    var = sums["xx"] / sums["n"] - (sums["x"] / sums["n"]) ** 2
    cov = sums["xy"] / sums["n"] - sums["x"] / sums["n"] * sums["y"] / sums["n"]
    slope = (cov / var).where(var > 1e-12)

    first = s.loc[groups["period_end"].idxmin()].set_index(KEYS)
    earlier = s[s["period_end"] < s["last_end"]]
    previous_end = earlier.groupby(KEYS, sort=False)["period_end"].max().rename("previous_end")
    previous = (
        earlier.join(previous_end, on=KEYS, how="inner")
        .query("period_end == previous_end")
        .drop_duplicates(KEYS, keep="first")  # already ordered: official first, then period
        .set_index(KEYS)
    )
    out = pd.DataFrame(
        {
            "slope_per_year": slope,
            "base_value": first["value"],
            "base_date": first["period_end"],
            "base_start": first["period_start"],
            "points": groups.size(),
            "has_demo": ~groups["is_official"].all(),
            "stand": groups["valid_from"].max(),
            "latest": latest["value"],
            "latest_period": latest["period"],
            "latest_type": latest["period_type"],
            "latest_end": latest["period_end"],
            "latest_start": latest["period_start"],
            "latest_official": latest["is_official"],
            "previous": previous["value"],
            "previous_period": previous["period"],
            "previous_type": previous["period_type"],
            "previous_official": previous["is_official"],
        }
    )
    return out.rename_axis(KEYS).reset_index()


def sparklines(f: Frames, year_from: int, year_to: int, as_of: object = None) -> pd.DataFrame:
    obs = _window(_obs(f, as_of), year_from, year_to)
    s = _city_series(f, obs).sort_values(["indicator_id", "period_end", "period"])
    return s[["indicator_id", "period", "period_end", "value", "is_official"]].reset_index(
        drop=True
    )


def district_periods(
    f: Frames, indicator_id: str, year_from: int, year_to: int, as_of: object = None
) -> pd.DataFrame:
    obs = _obs(f, as_of)
    obs = _window(
        obs[(obs["indicator_id"] == indicator_id) & (obs["area"] != CITY)], year_from, year_to
    )
    out = (
        obs.groupby("period")
        .agg(
            period_type=("period_type", "first"),
            period_end=("period_end", "max"),
            districts=("value", "size"),
        )
        .reset_index()
    )
    return out.sort_values(["period_end", "period"], ascending=False).reset_index(drop=True)


def district_values(
    f: Frames, indicator_id: str, period: str, as_of: object = None
) -> pd.DataFrame:
    obs = _obs(f, as_of)
    obs = obs[(obs["indicator_id"] == indicator_id) & (obs["period"] == period)]
    d = f.districts.merge(obs, left_on="slug", right_on="area").sort_values("sort_order")
    return pd.DataFrame(
        {
            "area": d["slug"],
            "area_name": d["name"],
            "population": d["population"],
            "value": d["value"],
            "per_1000": d["value"] / d["population"] * 1000,
            "is_official": d["is_official"],
            "source": d["source"],
            "valid_from": d["valid_from"],
            "period": d["period"],
            "period_type": d["period_type"],
        }
    ).reset_index(drop=True)


def district_profile(
    f: Frames, slug: str, year_from: int, year_to: int, as_of: object = None
) -> pd.DataFrame:
    obs = _obs(f, as_of)
    ind = f.indicators
    d = (
        _window(obs[obs["area"] != CITY], year_from, year_to)
        .merge(ind[["id", "direction", "aggregation"]], left_on="indicator_id", right_on="id")
        .merge(f.districts[["slug", "population"]], left_on="area", right_on="slug")
    )
    d["comparable"] = np.where(
        d["aggregation"] == "sum", d["value"] / d["population"] * 1000, d["value"]
    )
    own = d[d["area"] == slug]
    latest = own.groupby("indicator_id", as_index=False)["period_end"].max()
    mine = own.merge(latest, on=["indicator_id", "period_end"])
    # Rank only in the (indicator, period) groups the profile shows.
    groups = mine[["indicator_id", "period"]].drop_duplicates()
    peers = d.merge(groups, on=["indicator_id", "period"])
    peers["key"] = np.where(
        peers["direction"] == "higher", -peers["comparable"], peers["comparable"]
    )
    by_group = peers.groupby(["indicator_id", "period"], sort=False)["key"]
    peers["rank"] = by_group.rank(method="min").astype("int64")
    peers["ranked_of"] = by_group.transform("size")
    r = peers[peers["area"] == slug]
    city = _city_series(f, obs[obs["indicator_id"].isin(r["indicator_id"].unique())])
    r = r.merge(
        city[["indicator_id", "period", "value", "is_official"]].rename(
            columns={"value": "city_value", "is_official": "city_official"}
        ),
        on=["indicator_id", "period"],
        how="left",
    ).merge(
        ind[["id", "masterplan", "short_name", "name", "unit", "decimals", "sort_order"]],
        left_on="indicator_id",
        right_on="id",
    )
    total = f.districts["population"].sum()
    r["city_comparable"] = np.where(
        r["aggregation"] == "sum", r["city_value"] / total * 1000, r["city_value"]
    )
    r = r.sort_values("sort_order")
    out = r[
        [
            "indicator_id",
            "masterplan",
            "short_name",
            "name",
            "unit",
            "decimals",
            "direction",
            "aggregation",
            "period",
            "period_type",
            "value",
            "comparable",
            "city_comparable",
            "rank",
            "ranked_of",
            "is_official",
            "city_official",
        ]
    ].reset_index(drop=True)
    out["deviation"] = out["comparable"] - out["city_comparable"]
    return out


def freshness(f: Frames, as_of: object = None) -> pd.DataFrame:
    obs = _obs(f, as_of)
    ordered = obs.sort_values("period_end")
    groups = ordered.groupby("indicator_id", sort=False)
    last = ordered.drop_duplicates("indicator_id", keep="last").set_index("indicator_id")
    per_indicator = pd.DataFrame(
        {
            "last_period_end": groups["period_end"].max(),
            "last_period": last["period"],
            "last_period_type": last["period_type"],
            "updated": groups["valid_from"].max(),
            "any_official": groups["is_official"].any(),
            "any_demo": ~groups["is_official"].all(),
        }
    )
    out = f.indicators[["id", "masterplan", "short_name", "frequency"]].merge(
        per_indicator, left_on="id", right_index=True, how="left"
    )
    return out.rename(columns={"id": "indicator_id"}).reset_index(drop=True)


FUNCTIONS = {
    "series": series,
    "series_stats": series_stats,
    "sparklines": sparklines,
    "district_periods": district_periods,
    "district_values": district_values,
    "district_profile": district_profile,
    "freshness": freshness,
}
