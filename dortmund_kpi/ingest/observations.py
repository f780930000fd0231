"""Validate raw template rows against the catalog and district table.

Works column-wise on a DataFrame (fast for a million rows) and reports every
problem as an Issue with file, line and column. Nothing here touches the
database.
"""

from __future__ import annotations

import difflib
from collections.abc import Callable
from dataclasses import dataclass
from datetime import date
from typing import TYPE_CHECKING

import numpy as np
import pandas as pd

from dortmund_kpi.catalog import Catalog
from dortmund_kpi.districts import CITY, DistrictMatcher
from dortmund_kpi.formatting import number_text
from dortmund_kpi.ingest.issues import Issue
from dortmund_kpi.ingest.numbers import (
    clean_number_text,
    detect_convention,
    is_missing,
    parse_numbers,
)
from dortmund_kpi.periods import EXPECTED, parse_period

if TYPE_CHECKING:
    import pyarrow as pa

KIND_OFFICIAL = {"": True, "amtlich": True, "official": True, "demo": False, "demodaten": False}
FORMULA_PREFIXES = ("=", "+", "-", "@", "\t", "\r")
MAX_TEXT = 2000
OBS_COLUMNS = [
    "indicator_id",
    "area",
    "period",
    "period_type",
    "period_start",
    "period_end",
    "value",
    "note",
    "source",
    "is_official",
    "file",
    "line",
]


@dataclass
class Validated:
    # A pyarrow table when the import's fast path checked the file (``fast_import``).
    observations: pd.DataFrame | pa.Table
    issues: list[Issue]
    skipped_missing: int
    measures: pd.DataFrame | None = None  # rows of measures files in the same import
    trends: pd.DataFrame | None = None  # rows of trends files in the same import


@dataclass(frozen=True)
class Context:
    catalog: Catalog
    districts: DistrictMatcher
    today: date


def _issues(
    frame: pd.DataFrame, mask: pd.Series, column: str, messages: pd.Series | str
) -> list[Issue]:
    rows = frame.loc[mask]
    # ``messages`` may hold only the rows with a problem: messages are worded for those.
    texts = messages if isinstance(messages, str) else messages.loc[rows.index]
    if isinstance(texts, str):
        return [
            Issue(f, int(n), column, texts) for f, n in zip(rows["file"], rows["line"], strict=True)
        ]
    return [
        Issue(f, int(n), column, m)
        for f, n, m in zip(rows["file"], rows["line"], texts, strict=True)
    ]


def _per_value(
    raw: pd.Series, build: Callable[[pd.Series], pd.Series | pd.DataFrame]
) -> pd.Series | pd.DataFrame:
    """``build`` applied to the distinct values of ``raw`` only, spread back to every row.

    A million-row file has a few dozen indicators, districts and periods: string methods
    and dictionary lookups per distinct value instead of per row (same results)."""
    codes, uniques = pd.factorize(raw, use_na_sentinel=False)
    small = build(pd.Series(uniques, dtype=raw.dtype))
    spread = small.take(codes)
    spread.index = raw.index
    return spread


def _unescape_text(series: pd.Series) -> pd.Series:
    """Trimmed free text; drops the apostrophe our export puts before a formula sign."""
    text = series.fillna("").astype("str").str.strip()
    escaped = (
        text.str.len().gt(1)
        & text.str.startswith("'")
        & text.str.slice(1, 2).isin(FORMULA_PREFIXES)
    )
    return text.where(~escaped, text.str.slice(1))


def _long_texts(frame: pd.DataFrame) -> list[Issue]:
    """Notes and sources are kept whole: an over-long one is refused, never cut."""
    issues = []
    for column in ("anmerkung", "quelle"):
        text = frame[column].fillna("").astype("str")
        # Stripping only shortens a text: only texts longer than the limit can be too long.
        long = text[text.str.len() > MAX_TEXT].str.strip().str.len()
        long = long[long > MAX_TEXT]
        issues += _issues(
            frame,
            frame.index.isin(long.index),
            column,
            long.map(lambda n: f"Text zu lang ({n} Zeichen, erwartet höchstens {MAX_TEXT})"),
        )
    return issues


def normalise_ids(raw: pd.Series) -> pd.Series:
    """Indicator ids as written (``Anteil-EAkte ``) in catalog form (``anteil_eakte``)."""
    return raw.str.strip().str.lower().str.replace(r"[\s-]+", "_", regex=True)


def _indicators(frame: pd.DataFrame, ctx: Context) -> tuple[pd.Series, list[Issue]]:
    ids = _per_value(frame["indikator"], normalise_ids)
    known = set(ctx.catalog.ids)
    bad = ~ids.isin(known)
    messages = {}
    for raw in frame.loc[bad, "indikator"].unique():
        text = str(raw).strip()
        close = difflib.get_close_matches(text.lower(), sorted(known), n=3, cutoff=0.5)
        hint = f"ähnlich: {', '.join(close)}" if close else "siehe: dortmund-kpi indicators"
        messages[raw] = (
            "Indikator fehlt (erwartet eine ID aus dem Katalog)"
            if not text
            else f"unbekannter Indikator '{text[:60]}' ({hint})"
        )
    return ids.where(~bad), _issues(
        frame, bad, "indikator", frame.loc[bad, "indikator"].map(messages)
    )


def _areas(frame: pd.DataFrame, ctx: Context, ids: pd.Series) -> tuple[pd.Series, list[Issue]]:
    areas = _per_value(frame["bezirk"], lambda raw: raw.map(ctx.districts.match))
    bad = areas.isna()
    messages = {}
    for raw in frame.loc[bad, "bezirk"].unique():
        close = ctx.districts.suggestion(raw)
        hint = f"ähnlich: {', '.join(close)}; " if close else ""
        messages[raw] = (
            f"unbekannter Stadtbezirk '{str(raw).strip()[:60]}' ({hint}erwartet "
            f"Dortmund/gesamt oder: {ctx.districts.valid_names})"
        )
    issues = _issues(frame, bad, "bezirk", frame.loc[bad, "bezirk"].map(messages))
    city_only = {i.id for i in ctx.catalog.indicators if not i.has_districts}
    wrong_level = ids.isin(city_only) & areas.notna() & (areas != CITY)
    issues += _issues(
        frame,
        wrong_level,
        "bezirk",
        "Indikator hat nur gesamtstädtische Werte (erwartet Dortmund/gesamt oder leer)",
    )
    return areas.where(~bad & ~wrong_level), issues


def _periods(frame: pd.DataFrame, ctx: Context) -> tuple[pd.DataFrame, list[Issue]]:
    """Period columns (label, kind, start, end), parsed once per distinct text."""
    raw = frame["zeitraum"]
    parsed = {text: parse_period(text) for text in raw.unique()}
    bad = raw.isin([t for t, p in parsed.items() if p is None])
    issues = _issues(
        frame,
        bad,
        "zeitraum",
        raw[bad].map(
            lambda text: f"ungültiger Zeitraum '{str(text).strip()[:40]}' (erwartet {EXPECTED})"
        ),
    )
    future_texts = {t for t, p in parsed.items() if p is not None and p.start > ctx.today}
    future = raw.isin(future_texts)
    issues += _issues(
        frame,
        future,
        "zeitraum",
        raw[future].map(
            lambda text: (
                f"Zeitraum '{str(text).strip()}' liegt in der Zukunft "
                f"(erwartet spätestens {ctx.today:%d.%m.%Y})"
            )
        ),
    )
    good = {t: p for t, p in parsed.items() if p is not None and t not in future_texts}
    columns = _per_value(
        raw,
        lambda texts: pd.DataFrame(
            {
                "period": texts.map({t: p.label for t, p in good.items()}).astype("str"),
                "period_type": texts.map({t: p.kind for t, p in good.items()}).astype("str"),
                "period_start": pd.to_datetime(texts.map({t: p.start for t, p in good.items()})),
                "period_end": pd.to_datetime(texts.map({t: p.end for t, p in good.items()})),
            }
        ),
    )
    return columns, issues


def _values(frame: pd.DataFrame, delimiter: str) -> tuple[pd.Series, pd.Series, list[Issue]]:
    text = clean_number_text(frame["wert"])
    missing = is_missing(text)
    voters = ~missing
    if "wert_num" in frame:  # spreadsheet number cells are no evidence for the text format
        voters &= frame["wert_num"].isna()
    convention = detect_convention(text[voters], delimiter)
    values = parse_numbers(text, convention)
    if "wert_num" in frame:
        values = frame["wert_num"].where(frame["wert_num"].notna(), values)
        missing = missing & frame["wert_num"].isna()
    bad = values.isna() & ~missing
    issues = _issues(frame, bad, "wert", _not_a_number(frame.loc[bad, "wert"], text, convention))
    return values, missing, issues


_CONVENTIONS = {"de": ("deutsch", "1.234,5"), "en": ("englisch", "1,234.5")}


def _not_a_number(raw: pd.Series, text: pd.Series, convention: str) -> pd.Series:
    """Why each of these cells is no number; a number written in the other convention
    than the file's (``41.5`` among ``34,4``) is told so, not just "keine Zahl"."""
    other = "en" if convention == "de" else "de"
    (name, example), (other_name, _) = _CONVENTIONS[convention], _CONVENTIONS[other]
    readable = parse_numbers(text[raw.index], other).notna()

    def message(cell: object, mixed: bool) -> str:
        shown = str(cell).strip()[:40]
        if mixed:
            return (
                f"'{shown}' ist {other_name} geschrieben, die Datei {name} (z. B. {example}): "
                "bitte alle Werte einer Datei gleich schreiben"
            )
        return f"keine Zahl: '{shown}' (erwartet z. B. {example}; fehlend: - oder leer)"

    return pd.Series(
        [message(c, m) for c, m in zip(raw, readable, strict=True)], index=raw.index, dtype=object
    )


def _bounds(frame: pd.DataFrame, ctx: Context, ids: pd.Series, values: pd.Series) -> list[Issue]:
    limits = _per_value(
        ids,
        lambda known: pd.DataFrame(
            {
                "lo": known.map({i.id: i.min for i in ctx.catalog.indicators}).astype("float64"),
                "hi": known.map({i.id: i.max for i in ctx.catalog.indicators}).astype("float64"),
                "unit": known.map({i.id: i.unit for i in ctx.catalog.indicators}),
            }
        ),
    )
    lo, hi, units = limits["lo"], limits["hi"], limits["unit"]
    outside = (values < lo) | (values > hi)

    def message(row: pd.Series) -> str:
        kind = "Anteil" if row["unit"] == "%" else "Wert"
        return (
            f"{kind} {number_text(row['value'])} außerhalb des zulässigen Bereichs "
            f"(erwartet {number_text(row['lo'])} bis {number_text(row['hi'])} {row['unit']})"
        )

    detail = pd.DataFrame({"value": values, "lo": lo, "hi": hi, "unit": units})[outside]
    messages = detail.apply(message, axis=1) if len(detail) else pd.Series(dtype="str")
    return _issues(frame, outside, "wert", messages.reindex(frame.index))


def kind_columns(raw: pd.Series) -> pd.DataFrame:
    kind = raw.fillna("").astype("str").str.strip().str.lower()
    return pd.DataFrame({"kind": kind, "official": kind.map(KIND_OFFICIAL)})


def _kinds(frame: pd.DataFrame) -> tuple[pd.Series, list[Issue]]:
    kinds = _per_value(frame["datenart"], kind_columns)
    kind, official = kinds["kind"], kinds["official"]
    bad = official.isna()
    issues = _issues(
        frame,
        bad,
        "datenart",
        kind[bad].map(lambda raw: f"ungültige Datenart '{raw[:20]}' (erwartet amtlich oder demo)"),
    )
    return official, issues


def duplicates(obs: pd.DataFrame) -> list[Issue]:
    """A second row of the same (indicator, area, period), naming where the first is."""
    keys = obs[["indicator_id", "area", "period"]]
    dup = keys.duplicated(keep="first")
    if not dup.any():
        return []
    first = obs.loc[~dup].set_index(["indicator_id", "area", "period"])[["file", "line"]]
    issues = []
    for idx in obs.index[dup]:
        key = tuple(keys.loc[idx])
        where = first.loc[key]
        issues.append(
            Issue(
                obs.at[idx, "file"],
                int(obs.at[idx, "line"]),
                "zeitraum",
                f"doppelter Eintrag für {key[0]}/{key[1]}/{key[2]} "
                f"(schon in {where['file']}:{int(where['line'])})",
            )
        )
    return issues


def validate_frames(frames: list[tuple[pd.DataFrame, str]], ctx: Context) -> Validated:
    """Validate the rows of all files of one import together (duplicates span files)."""
    parts, issues, skipped = [], [], 0
    for frame, delimiter in frames:
        frame = frame.reset_index(drop=True)
        ids, found = _indicators(frame, ctx)
        areas, more = _areas(frame, ctx, ids)
        periods, more2 = _periods(frame, ctx)
        values, missing, more3 = _values(frame, delimiter)
        official, more4 = _kinds(frame)
        issues += found + more + more2 + more3 + more4 + _bounds(frame, ctx, ids, values)
        issues += _long_texts(frame)
        keep = ~missing
        skipped += int(missing.sum())
        parts.append(
            _observations(
                frame[keep], ids[keep], areas[keep], periods[keep], values[keep], official[keep]
            )
        )
    obs = pd.concat(parts, ignore_index=True) if parts else _empty()
    if not issues:
        issues = duplicates(obs)
    return Validated(
        observations=obs, issues=sorted(issues, key=_issue_order), skipped_missing=skipped
    )


def _issue_order(issue: Issue) -> tuple[str, int, int]:
    order = [
        "datei",
        "kopfzeile",
        "zeile",
        "indikator",
        "bezirk",
        "zeitraum",
        "wert",
        "anmerkung",
        "quelle",
        "datenart",
    ]
    rank = order.index(issue.column) if issue.column in order else len(order)
    return (issue.file, issue.line, rank)


def _observations(frame, ids, areas, periods, values, official) -> pd.DataFrame:
    return pd.concat(
        [
            pd.DataFrame({"indicator_id": ids.astype("str"), "area": areas.astype("str")}),
            periods,
            pd.DataFrame(
                {
                    "value": values.astype("float64"),
                    "note": _per_value(frame["anmerkung"], free_text),
                    "source": _per_value(frame["quelle"], free_text),
                    "is_official": official.astype("boolean"),
                    "file": frame["file"],
                    "line": frame["line"],
                }
            ),
        ],
        axis=1,
    )


def free_text(series: pd.Series) -> pd.Series:
    return _unescape_text(series).replace("", np.nan)


def _empty() -> pd.DataFrame:
    return pd.DataFrame({name: pd.Series(dtype="object") for name in OBS_COLUMNS})
