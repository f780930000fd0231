"""The import assistant's tables (Daten page, editors only): what a recognised official
table holds and what importing it would change, value by value.

No Streamlit and no second import: the page reads the file with ``ingest.recognise``
and runs ``ingest.official.run_official_import`` (the functions of ``dortmund-kpi
import``); this module only turns their results into the frames and lines it shows,
and into the command line that does the same.
"""

from __future__ import annotations

import shlex
from dataclasses import replace
from pathlib import Path
from typing import Any

import pandas as pd

from dortmund_kpi import texts
from dortmund_kpi.formatting import number, number_text
from dortmund_kpi.ingest.issues import Issue, visible
from dortmund_kpi.ingest.official import Change, Options, origin
from dortmund_kpi.ingest.sources.model import Record, Table

SHOWN_RECORDS = 500
SHOWN_SKIPPED = 20


def preview_records(table: Table) -> list[Record]:
    """The records an import can use: Dortmund's and its districts' (as ``inspect``
    shows them); every record of a file that names no region."""
    if not any(r.gebiet or r.schluessel for r in table.records):
        return list(table.records)
    return [r for r in table.records if r.is_dortmund]


def _value(record: Record) -> str:
    text = "–" if record.wert is None else number_text(record.wert)
    return f"{text} [{record.zeichen}]" if record.zeichen else text


def preview_frame(records: list[Record]) -> pd.DataFrame:
    """One row a record: region, key, period, dimensions, value column, value (as text,
    German, with its GENESIS sign), line of the file."""
    shown = records[:SHOWN_RECORDS]
    rows = [
        [
            visible(r.gebiet),
            r.schluessel or "–",
            r.zeitraum or "–",
            visible(", ".join(f"{k}: {v}" for k, v in r.merkmale.items())) or "–",
            visible(r.spalte),
            _value(r),
            r.line,
        ]
        for r in shown
    ]
    return pd.DataFrame(rows, columns=list(texts.ASSIST_PREVIEW_COLUMNS))


def filter_choices(records: list[Record]) -> dict[str, list[str]]:
    """The dimensions whose values differ among these records, with their values in the
    order of the file: one of them must be chosen (``--filter``) to get one value per
    area and period."""
    found: dict[str, dict[str, None]] = {}
    for record in records:
        for name, value in record.merkmale.items():
            found.setdefault(name, {})[value] = None
    return {name: list(values) for name, values in found.items() if len(values) > 1}


def change_frame(changes: list[Change], names: dict[str, str]) -> pd.DataFrame:
    """The dry run value by value: what changes (new, changed, unchanged, conflict), area,
    period, old → new value and source, indicator."""
    rows = [
        [
            change_kind(c),
            names.get(c.area, c.area),
            c.period,
            "–" if c.old_value is None else number_text(c.old_value),
            number_text(c.new_value),
            *_sources(c),
            c.indicator_id,
        ]
        for c in changes
    ]
    return pd.DataFrame(rows, columns=list(texts.ASSIST_CHANGE_COLUMNS))


def _sources(change: Change) -> tuple[str, str]:
    """Old and new source as publisher and table; whole lines (with the licence) when
    only the licence differs, so the reason for "neue Quellenangabe" can be seen."""
    if change.old_value is None:
        return "–", origin(change.new_source)
    old, new = change.old_source or "", change.new_source
    if origin(old) == origin(new) and old != new:
        return old, new
    return origin(old) or "–", origin(new)


def change_kind(change: Change) -> str:
    """The kind of a change, and for a value that stays the same what else changes (else
    the dry run would show "66,65 → 66,65 geändert" without saying why)."""
    if change.kind == "unverändert" or change.old_value != change.new_value:
        return change.kind
    differs = {
        "source": change.old_source != change.new_source,
        "note": not change.same_note,
        "origin": not change.old_official,
    }
    parts = [texts.ASSIST_DIFFERS[name] for name, yes in differs.items() if yes]
    return texts.ASSIST_SAME_VALUE.format(kind=change.kind, parts=", ".join(parts))


def describe_change(change: Change, names: dict[str, str]) -> str:
    """One line of ``dortmund-kpi import``'s report, with the assistant's wording:
    ``glasfaser_haushalte | Dortmund | 2021 | 6,45 → 6,45 | Quelle alt → Quelle neu |
    geändert (gleicher Wert; neue Quellenangabe)``."""
    old = "–" if change.old_value is None else number_text(change.old_value)
    old_source, new_source = _sources(change)
    return " | ".join(
        [
            change.indicator_id,
            names.get(change.area, change.area),
            change.period,
            f"{old} → {number_text(change.new_value)}",
            f"{old_source} → {new_source}",
            change_kind(change),
        ]
    )


def skipped_frame(skipped: list[tuple[str, int, str]]) -> pd.DataFrame:
    """The first cells without a value: file name, line, reason."""
    rows = [[Path(f).name, line, visible(why)] for f, line, why in skipped[:SHOWN_SKIPPED]]
    return pd.DataFrame(rows, columns=list(texts.ASSIST_SKIPPED_COLUMNS))


def without_folder(issue: Issue, folder: str) -> Issue:
    """An issue of an uploaded file as its editor knows it: by its name, not the
    temporary folder it was checked in."""
    prefix = str(Path(folder)) + "/"
    return replace(
        issue, file=issue.file.replace(prefix, ""), message=issue.message.replace(prefix, "")
    )


def cli_command(file_name: str, options: Options) -> str:
    """``dortmund-kpi import FILE …``: what the command line runs for the same mapping."""
    parts = ["dortmund-kpi", "import", Path(file_name).name]
    if options.indicator:
        parts += ["--indikator", options.indicator]
    if options.spalte:
        parts += ["--spalte", options.spalte]
    for text in options.filters:
        parts += ["--filter", text]
    if options.zeitraum is not None:
        parts += ["--zeitraum", options.zeitraum.label]
    if options.licence:
        parts += ["--lizenz", options.licence]
    flags = [
        (options.remember, "--merken"),
        (options.replace_official, "--ersetzen"),
        (options.dry_run, "--dry-run"),
    ]
    parts += [flag for wanted, flag in flags if wanted]
    return " ".join(shlex.quote(visible(p)) for p in parts)


def template_changes(result: Any, names: dict[str, str]) -> tuple[pd.DataFrame, int]:
    """A template import's dry run (``ingest.importer.ImportResult``) value by value, as an
    official table's: its first changed and new values (kind, indicator, area, period,
    old, new), and how many more it changes or adds."""
    changes, total = result.changes, result.inserted + result.changed
    rows = [
        [
            "neu" if pd.isna(row.old_value) else "geändert",
            row.indicator_id,
            names.get(row.area, row.area),
            row.period,
            "–" if pd.isna(row.old_value) else number_text(row.old_value),
            number_text(row.new_value),
        ]
        for row in (changes.itertuples(index=False) if changes is not None and total else [])
    ]
    return pd.DataFrame(rows, columns=list(texts.UPLOAD_CHANGE_COLUMNS)), total - len(rows)


def preview_lines(result: Any, names: dict[str, str]) -> list[str]:
    """``template_changes`` as the command line's dry run prints them."""
    frame, more = template_changes(result, names)
    if frame.empty:
        return []
    lines = ["  Indikator | Gebiet | Zeitraum | alt → neu"]
    for _, indicator, area, period, old, new in frame.itertuples(index=False):
        lines.append(f"  {indicator} | {area} | {period} | {old} → {new}")
    if more:
        lines.append(f"  {texts.UPLOAD_MORE_CHANGES.format(n=number(more))}")
    return lines
