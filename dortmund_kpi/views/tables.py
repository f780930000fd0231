"""Tables as pages show and export them: German headers and texts, values kept as numbers."""

from __future__ import annotations

import math
from collections.abc import Iterable
from datetime import date, datetime, timedelta
from typing import Any

import pandas as pd

from dortmund_kpi import formatting, texts
from dortmund_kpi.formatting import format_number_plain, neutralise
from dortmund_kpi.views.common import (
    PER_1000_DECIMALS,
    per_1000_unit,
    period_text,
    stand_of,
    target_text,
)


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
        unit = per_1000_unit(r.unit) if r.aggregation == "sum" else r.unit
        decimals = PER_1000_DECIMALS if r.aggregation == "sum" else int(r.decimals)
        shown = formatting.signed(r.deviation, decimals)
        if formatting.change_unit(unit) == "Prozentpunkte":  # as the tiles' changes
            shown += " Pp."
        judgement = (
            ""
            if shown.startswith("±")
            else " (besser)"
            if (r.deviation > 0) == (r.direction == "higher")
            else " (schlechter)"
        )
        city = _city_official(r.city_official)
        rows.append(
            {
                c["indicator"]: r.short_name,
                c["period"]: period_text(r.period),
                # Each value beside its own origin: the district's, and the city's it is
                # set against (in view without scrolling the table sideways).
                c["value"]: formatting.with_unit(r.comparable, unit, decimals),
                c["kind"]: texts.OFFICIAL if r.is_official else texts.DEMO,
                c["city"]: formatting.with_unit(r.city_comparable, unit, decimals),
                c["city_kind"]: texts.OFFICIAL if city else texts.DEMO,
                c["deviation"]: shown + judgement + _across(bool(r.is_official), city),
                c["rank"]: f"{int(r.rank)} von {int(r.ranked_of)}",
            }
        )
    return pd.DataFrame(rows)


def _city_official(value: object) -> bool:
    """A city value's origin (no city value at all: nothing demo to flag)."""
    return True if value is None or pd.isna(value) else bool(value)


def _across(official: bool, other: bool) -> str:
    """' · Vergleich mit Demodaten' (or '… amtlichem Wert') when two compared values
    differ in origin, '' when they share it."""
    return "" if official == other else f" · {texts.CROSS_ORIGIN[other]}"


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
            "Zeitpunkt": rejected["zeitpunkt"].map(_logged_moment),
            "Person": rejected["person"],
            "Dateien": rejected["dateien"],
            "Probleme": rejected["probleme"],
            "Erstes Problem": rejected["erstes_problem"],
        }
    )


def origin_kind(frame: pd.DataFrame, mixed: str = texts.KIND_MIXED) -> str:
    """Official, demo or both (``mixed``: the words for both), from the rows'
    ``is_official`` ("–" without rows)."""
    if not len(frame):
        return "–"
    official = frame["is_official"]
    if official.all():
        return texts.OFFICIAL
    return texts.DEMO if not official.any() else mixed


def list_metadata(
    content: str, source: str, frame: pd.DataFrame, permalink: str
) -> list[tuple[str, str]]:
    """What the "Metadaten" sheet of a list in the import format (measures, trends) says:
    its content, source, Stand, origin, that it imports again, the view's link."""
    labels = texts.METADATA_LABELS
    return [
        (labels["content"], content),
        (labels["source"], source),
        (labels["stand"], stand_of(frame)),
        (labels["kind"], origin_kind(frame, texts.EXPORT_KIND_MIXED)),
        (labels["format"], texts.EXPORT_TEMPLATE_FORMAT),
        (labels["permalink"], permalink),
    ]


def indicator_metadata(
    ind: pd.Series, frame: pd.DataFrame, permalink: str = ""
) -> list[tuple[str, str]]:
    """What every export and the metadata panel say about an indicator's data."""
    labels, kind = texts.METADATA_LABELS, origin_kind(frame)
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


def comparison_table(profiles: dict[str, pd.DataFrame], names: dict[str, str]) -> pd.DataFrame:
    """Several districts side by side: a row per indicator and period that is the latest
    of any of them (an indicator can have a year and a month ending on the same day, and
    a district can lack the latest period of another), the city's value of that period
    and each district's with its rank ("–" where the district has none)."""
    c = texts.COLUMNS
    keys = ["indicator_id", "period"]
    by_district = {slug: p.set_index(keys) for slug, p in profiles.items()}
    rows = []
    for r in _union_rows(profiles.values()):
        unit = per_1000_unit(r.unit) if r.aggregation == "sum" else r.unit
        decimals = PER_1000_DECIMALS if r.aggregation == "sum" else int(r.decimals)
        city = formatting.with_unit(r.city_comparable, unit, decimals)
        demo_city = "" if _city_official(r.city_official) else f" ({texts.DEMO})"
        row = {
            c["indicator"]: r.short_name,
            c["period"]: period_text(r.period),
            c["city"]: city + demo_city,
        }
        for slug, frame in by_district.items():
            if (r.indicator_id, r.period) not in frame.index:
                row[names[slug]] = "–"
                continue
            d = frame.loc[(r.indicator_id, r.period)]
            value = formatting.with_unit(d["comparable"], unit, decimals)
            kind = "" if d["is_official"] else f", {texts.DEMO}"
            row[names[slug]] = f"{value} (Rang {int(d['rank'])}{kind})"
        rows.append(row)
    return pd.DataFrame(rows)


def _union_rows(profiles: Iterable[pd.DataFrame]) -> list:
    """One profile row per (indicator, period) of any profile, the first district's
    first; an indicator's rows together, in the order the indicators first appear."""
    found: dict[tuple, Any] = {}
    for profile in profiles:
        for r in profile.itertuples(index=False):
            found.setdefault((r.indicator_id, r.period), r)
    order: dict[str, int] = {}
    for indicator, _period in found:
        order.setdefault(indicator, len(order))
    return [found[k] for k in sorted(found, key=lambda k: order[k[0]])]  # stable sort


def _logged_moment(text: object) -> str:
    """A rejected import's moment as shown: a line with its offset (written since moments
    are instants) or without (older lines: Berlin wall-clock time); unreadable: '–'."""
    try:
        return formatting.timestamp(datetime.fromisoformat(str(text)))
    except ValueError:
        return "–"
