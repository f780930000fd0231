"""Import an official table as published: read it, map its records onto indicators,
check them like a template file, show the change value by value and write it.

``run_official_import`` is all or nothing. The mapping comes from the command line
(``--indikator``, ``--spalte``, ``--filter``, ``--zeitraum``) or, for a table imported
before with ``--merken``, from the database (by table code, else by the file's shape).
Values are official (``amtlich``); their source names publisher and table, with the
licence the file states, else the one given (``--lizenz``) or remembered for the
table. A value that would replace an official value of a different source is a
conflict, refused unless ``replace`` (``--ersetzen``) is given; from the same source a
new value is an ordinary revision. A refusal (not of a dry run) is recorded in the
rejected-import log; the import itself in the import log, with the mapping.
"""

from __future__ import annotations

import hashlib
import math
from dataclasses import dataclass, field, replace
from datetime import date
from pathlib import Path

import pandas as pd

from dortmund_kpi import clock
from dortmund_kpi.db import mappings as stored
from dortmund_kpi.db import peers as peer_store
from dortmund_kpi.db.store import Store
from dortmund_kpi.db.write import current_user
from dortmund_kpi.districts import CITY, load_districts
from dortmund_kpi.formatting import number_text
from dortmund_kpi.ingest.importer import (
    ImportResult,
    existing_store,
    load_context,
    log_rejected,
    write_checked,
)
from dortmund_kpi.ingest.issues import ImportFailed, Issue
from dortmund_kpi.ingest.mapping import CONTAINING, Mapping, rows, shape, skip_reason, table_code
from dortmund_kpi.ingest.observations import Context, Validated, validate_frames
from dortmund_kpi.ingest.selection import Selection, peer_frame, peer_note, select
from dortmund_kpi.ingest.source_lines import (
    licence_notes,
    licensed,
    origin,
    same_origin,
    source_line,
)
from dortmund_kpi.ingest.sources.model import SourceError, Table
from dortmund_kpi.ingest.sources.read import read_source
from dortmund_kpi.ingest.sources.times import When
from dortmund_kpi.settings import Settings


@dataclass(frozen=True)
class Change:
    """One value of the import against what the database holds now."""

    indicator_id: str
    area: str
    period: str
    old_value: float | None
    new_value: float
    old_source: str | None
    new_source: str
    old_official: bool | None
    file: str
    line: int
    same_note: bool = True

    @property
    def kind(self) -> str:
        if self.old_value is None:
            return "neu"
        same = (self.old_value, self.old_source) == (self.new_value, self.new_source)
        if same and self.same_note and self.old_official:
            return "unverändert"
        return "Konflikt" if self.conflict else "geändert"

    @property
    def conflict(self) -> bool:
        """It would replace an official value of a different source."""
        return bool(self.old_official) and not same_origin(self.old_source, self.new_source)


@dataclass
class OfficialResult:
    result: ImportResult
    table: Table
    mappings: list[Mapping]
    changes: list[Change] = field(default_factory=list)
    skipped: list[tuple[str, int, str]] = field(default_factory=list)  # file, line, reason
    notes: list[str] = field(default_factory=list)
    remembered: bool = False  # --merken stored the mapping
    needs_period: bool = False  # a file without periods: its next edition needs --zeitraum
    from_memory: bool = False  # the mapping was remembered from an earlier import

    @property
    def conflicts(self) -> list[Change]:
        return [c for c in self.changes if c.conflict]


def conflict_issue(change: Change, names: dict[str, str]) -> Issue:
    area = names.get(change.area, change.area)
    return Issue(
        change.file,
        change.line,
        "quelle",
        f"Konflikt: {change.indicator_id} {area} {change.period} hat den amtlichen Wert "
        f"{number_text(change.old_value or 0)} aus „{origin(change.old_source) or 'ohne Quelle'}“;"
        f" die Datei bringt {number_text(change.new_value)} aus „{origin(change.new_source)}“ "
        "(ersetzen mit --ersetzen)",
    )


def read_table(path: Path, settings: Settings) -> Table:
    """The published file as its reader sees it; ``ImportFailed`` if it is none."""
    try:
        return read_source(path, settings.data_dir, settings.max_import_bytes)
    except SourceError as exc:
        raise ImportFailed([Issue(exc.file, exc.line, "datei", exc.message)]) from exc


def _mappings(
    table: Table,
    given: Mapping | None,
    found: list[stored.StoredMapping],
    file: str,
    zeitraum: When | None,
) -> tuple[list[Mapping], bool]:
    """The mapping of the command line, or the ones remembered for this table (True).

    ``--indikator`` alone takes the mapping remembered for that indicator, if there is one;
    with ``--spalte``, ``--filter`` or ``--zeitraum`` the command line is the mapping."""
    if given is not None and (given.spalte or given.filters or given.zeitraum):
        return [given], False
    remembered = [_as_mapping(m) for m in found]
    if given is not None:
        same = [m for m in remembered if m.indicator == given.indicator]
        return (same[:1], True) if same else ([given], False)
    if not remembered:
        raise ImportFailed(
            [
                Issue(
                    file,
                    1,
                    "datei",
                    f"{table.layout} erkannt, aber keine gemerkte Zuordnung: erst "
                    f"„dortmund-kpi inspect {file}“, dann „dortmund-kpi import {file} "
                    "--indikator ID [--spalte TEXT] [--filter TEXT] --merken“",
                )
            ]
        )
    if zeitraum is not None:
        remembered = [replace(m, zeitraum=zeitraum) for m in remembered]
    return remembered, True


def _found(table: Table, store: Store) -> list[stored.StoredMapping]:
    with store.connect_read(public=False) as con:
        return stored.find_mappings(con, table_code(table), shape(table))


def _as_mapping(found: stored.StoredMapping) -> Mapping:
    return Mapping(found.indicator_id, found.spalte, found.filters, None, found.zeitraum_rule)


def remembered_licence(found: list[stored.StoredMapping]) -> str | None:
    """The licence remembered for the table (``--lizenz`` with ``--merken``): one per
    table, whichever of its indicators' mappings was remembered last."""
    return next((m.licence for m in found if m.licence), None)


def remembered_mappings(table: Table, settings: Settings) -> tuple[list[Mapping], str | None]:
    """The mappings ``--merken`` stored for this table (by code, else shape): what
    ``dortmund-kpi import FILE`` alone would apply; and the licence remembered for it."""
    found = _found(table, existing_store(settings))
    return [_as_mapping(m) for m in found], remembered_licence(found)


def area_names(settings: Settings) -> dict[str, str]:
    """Area key -> German name, for the value-by-value tables."""
    names = {d.slug: d.name for d in load_districts(settings.districts_path)}
    return names | {CITY: "Dortmund"}


def _changes(con, obs: pd.DataFrame) -> list[Change]:
    ids = sorted(set(obs["indicator_id"]))
    current = stored.current_values(con, ids)
    known = {(r.indicator_id, r.area, r.period): r for r in current.itertuples(index=False)}
    changes = []
    for row in obs.itertuples(index=False):
        old = known.get((row.indicator_id, row.area, row.period))
        old_source = None if old is None or _missing(old.source) else str(old.source)
        old_note = None if old is None or _missing(old.note) else str(old.note)
        new_note = None if _missing(row.note) else str(row.note)
        changes.append(
            Change(
                indicator_id=row.indicator_id,
                area=row.area,
                period=row.period,
                old_value=None if old is None else float(old.value),
                new_value=float(row.value),
                old_source=old_source,
                new_source=str(row.source),
                old_official=None if old is None else bool(old.is_official),
                file=str(row.file),
                line=int(row.line),
                same_note=old_note == new_note,
            )
        )
    return changes


def _missing(value: object) -> bool:
    return value is None or (isinstance(value, float) and math.isnan(value)) or value is pd.NA


@dataclass(frozen=True)
class Options:
    """What the command line asks of an import of an official table."""

    indicator: str | None = None  # None: the mappings remembered for the table
    spalte: str | None = None
    filters: tuple[str, ...] = ()
    zeitraum: When | None = None
    dry_run: bool = False
    replace_official: bool = False  # --ersetzen
    remember: bool = False  # --merken
    user: str | None = None
    licence: str | None = None  # --lizenz: the table's licence where the file names none

    @property
    def mapping(self) -> Mapping | None:
        if self.indicator is None:
            return None
        return Mapping(self.indicator, self.spalte, self.filters, self.zeitraum)


def run_official_import(
    path: Path,
    settings: Settings,
    options: Options,
    *,
    table: Table | None = None,
    today: date | None = None,
) -> OfficialResult:
    """Import one official table (see the module text); ``ImportFailed`` on any refusal.
    ``table``: the file as ``recognise`` already read it."""
    try:
        return _run(path, settings, options, table, today)
    except ImportFailed as failed:
        if not options.dry_run:
            log_rejected(settings, [path], failed.issues, options.user)
        raise


@dataclass(frozen=True)
class Mapped:
    """The records of one table mapped onto indicators, as checked template rows."""

    frame: pd.DataFrame  # the rows in the template's columns (with file and line)
    validated: Validated  # checked like a template file: the observations to write
    selections: list[Selection]
    peers: pd.DataFrame  # the same mapping's values of other regions (``db.peers``)


def map_table(table: Table, chosen: list[Mapping], ctx: Context, file: str) -> Mapped:
    """Select each mapping's records, make them template rows (source: publisher, table
    and licence; ``amtlich``) and check them like a template file. This is the whole
    path from a table to observations, for ``import`` and for ``init`` alike;
    ``ImportFailed`` with every problem found."""
    source = source_line(table)
    selections: list[Selection] = []
    issues: list[Issue] = []
    for each in chosen:
        if each.indicator not in ctx.catalog.ids:
            issues.append(Issue(file, 1, "indikator", f"unbekannter Indikator {each.indicator!r}"))
            continue
        selection = select(table, each, ctx.catalog.indicator(each.indicator), file)
        selections.append(selection)
        issues += selection.issues
    if issues:
        raise ImportFailed(issues)
    parts = [rows(s.mapping.indicator, s.records, source, file) for s in selections]
    frame = pd.concat(parts, ignore_index=True)
    validated = validate_frames([(frame, ";")], ctx)
    if validated.issues:
        raise ImportFailed(validated.issues)
    return Mapped(frame, validated, selections, peer_frame(table, selections, ctx.catalog, source))


def _run(
    path: Path, settings: Settings, options: Options, table: Table | None, today: date | None
) -> OfficialResult:
    file = str(path)
    dry_run, user = options.dry_run, options.user
    store = existing_store(settings)
    ctx = load_context(settings, today)
    table = table or read_table(path, settings)
    found = _found(table, store)
    chosen, from_memory = _mappings(table, options.mapping, found, file, options.zeitraum)
    table, given, licence = licensed(table, options.licence, remembered_licence(found))
    mapped = map_table(table, chosen, ctx, file)
    frame, validated, selections = mapped.frame, mapped.validated, mapped.selections
    obs = validated.observations
    digest = hashlib.sha256(path.read_bytes()).hexdigest()
    outcome = OfficialResult(
        result=ImportResult(
            rows_read=len(frame),
            skipped_missing=validated.skipped_missing,
            dry_run=dry_run,
            files=[(path.name, digest)],
        ),
        table=table,
        mappings=[s.mapping for s in selections],
        skipped=[
            (file, r.line, skip_reason(r))
            for s in selections
            for r, _ in s.records
            if r.wert is None
        ],
        notes=[n for s in selections for n in s.notes] + peer_note(mapped.peers) + given,
        from_memory=from_memory,
    )
    names = {d.slug: d.name for d in ctx.districts.districts} | {"dortmund": "Dortmund"}

    def check(con) -> None:
        outcome.changes = _changes(con, obs)
        outcome.notes += licence_notes(_stored_and_new(outcome.changes))
        if outcome.conflicts and not options.replace_official:
            raise ImportFailed([conflict_issue(c, names) for c in outcome.conflicts])

    if dry_run:
        with store.connect_read(public=False) as con:
            outcome.changes = _changes(con, obs)
        outcome.notes += licence_notes(_stored_and_new(outcome.changes))
        if outcome.conflicts and not options.replace_official:
            kinds = [c.kind for c in outcome.changes]
            result = outcome.result
            result.inserted, result.unchanged = kinds.count("neu"), kinds.count("unverändert")
            result.changed = len(kinds) - result.inserted - result.unchanged
            return outcome  # shown value by value; the caller reports the refusal
    to_remember = [_stored(s, table, licence) for s in selections] if options.remember else []

    def after(con) -> None:
        peer_store.put_peer_values(con, mapped.peers, clock.now())
        stored.note_last_import(
            con, f"{table.source}: " + " | ".join(m.describe() for m in outcome.mappings)
        )
        for entry in to_remember:
            stored.save_mapping(con, entry, clock.now(), user or current_user())

    write_checked(
        settings,
        ctx.catalog,
        obs,
        outcome.result,
        dry_run=dry_run,
        user=user,
        before=check,
        after=after,
    )
    outcome.remembered = bool(to_remember) and not dry_run
    outcome.needs_period = not all(s.own_periods for s in selections)
    return outcome


def _stored_and_new(changes: list[Change]) -> list[tuple[str | None, str]]:
    """Stored and new source line of each value the database holds already."""
    return [(c.old_source, c.new_source) for c in changes if c.old_value is not None]


def _stored(selection: Selection, table: Table, licence: str | None) -> stored.StoredMapping:
    """What ``--merken`` keeps: a period given with ``--zeitraum`` for periods the file
    has becomes the rule ``containing``; for a file without periods none is kept (next
    year's file needs its own ``--zeitraum``)."""
    mapping = selection.mapping
    rule = mapping.rule
    if mapping.zeitraum is not None:
        rule = CONTAINING if selection.own_periods else None
    return stored.StoredMapping(
        table_code=table_code(table),
        shape=shape(table),
        indicator_id=mapping.indicator,
        spalte=mapping.spalte,
        filters=mapping.filters,
        zeitraum_rule=rule,
        layout=table.layout,
        source=table.source,
        licence=licence,
    )
