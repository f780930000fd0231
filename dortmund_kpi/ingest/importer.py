"""Import files: read -> validate -> write a new version -> publish. All or nothing.

Every file of one import is validated before anything is written; with any
problem, nothing is written and each problem is reported with file and line.
"""

from __future__ import annotations

import hashlib
import json
import os
import stat
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path
from typing import Any

import pandas as pd
import pyarrow as pa

from dortmund_kpi import clock
from dortmund_kpi.catalog import Catalog, load_catalog
from dortmund_kpi.db import measures as measure_db
from dortmund_kpi.db import trends as trend_db
from dortmund_kpi.db import write as loader
from dortmund_kpi.db.store import Store, scratch
from dortmund_kpi.db.write import LoadCounts
from dortmund_kpi.districts import DistrictMatcher, load_districts
from dortmund_kpi.formatting import number_text
from dortmund_kpi.ingest.fast_path import validate_fast
from dortmund_kpi.ingest.files import read_file
from dortmund_kpi.ingest.issues import ImportFailed, Issue
from dortmund_kpi.ingest.layouts import MEASURES, TRENDS
from dortmund_kpi.ingest.measures import stale_statuses, validate_measure_frames
from dortmund_kpi.ingest.observations import Context, Validated, validate_frames
from dortmund_kpi.ingest.readers import RawTable
from dortmund_kpi.ingest.trends import stale_assessments, unknown_measures, validate_trend_frames
from dortmund_kpi.settings import Settings

SHOWN_CHANGES = 20  # a dry run lists this many values (old → new), then counts the rest


@dataclass
class ImportResult:
    rows_read: int
    skipped_missing: int
    inserted: int = 0
    changed: int = 0
    unchanged: int = 0
    dry_run: bool = False
    files: list[tuple[str, str]] = field(default_factory=list)
    measures: LoadCounts | None = None  # when the import had measures files
    measure_rows: int = 0
    trends: LoadCounts | None = None  # when the import had trends files
    trend_rows: int = 0
    fast_path: bool = False  # checked by the fast path (fast_import), not by pandas
    # a dry run's first new and changed values (``db.write.preview_rows``)
    changes: pd.DataFrame | None = None

    @property
    def observation_rows(self) -> int:
        return self.rows_read - self.measure_rows - self.trend_rows


def load_context(settings: Settings, today: date | None = None) -> Context:
    catalog = load_catalog(settings.catalog_path)
    districts = load_districts(settings.districts_path)
    return Context(
        # Berlin's date, like "Stand" and overdue (a server may run on UTC)
        catalog=catalog,
        districts=DistrictMatcher(districts),
        today=today or clock.today(),
    )


def read_and_validate(
    paths: list[Path],
    settings: Settings,
    ctx: Context,
    progress: Callable[[str, int, int], None] | None = None,
) -> tuple[Validated, list[tuple[str, str]]]:
    """Read and validate all files; raise ImportFailed with every problem found.

    Observation, measures and trends files may come in one import: all are checked
    before anything is written, so the import stays all or nothing.
    """
    frames, measure_frames, trend_frames, issues, hashes = [], [], [], [], []
    for path in paths:
        result = read_file(
            path,
            settings.max_import_bytes,
            (lambda n, t, p=path: progress(str(p), n, t)) if progress else None,
        )
        if isinstance(result, RawTable):
            kind = result.layout.kind
            target = {MEASURES.kind: measure_frames, TRENDS.kind: trend_frames}.get(kind, frames)
            target.append((result.frame(), result.delimiter))
            hashes.append((path.name, hashlib.sha256(path.read_bytes()).hexdigest()))
        else:
            issues.extend(result)
    if issues:
        raise ImportFailed(issues)
    validated = validate_frames(frames, ctx)
    checked = validate_measure_frames(measure_frames, ctx) if measure_frames else None
    scouted = validate_trend_frames(trend_frames, ctx) if trend_frames else None
    problems = validated.issues + (checked.issues if checked else [])
    problems += scouted.issues if scouted else []
    if problems:
        raise ImportFailed(problems)
    validated.measures = checked.measures if checked else None
    validated.trends = scouted.trends if scouted else None
    return validated, hashes


def run_import(
    paths: list[Path],
    settings: Settings,
    *,
    dry_run: bool = False,
    user: str | None = None,
    progress: Callable[[str, int, int], None] | None = None,
    today: date | None = None,
) -> ImportResult:
    """Validate all files, then write them as one new published version.

    A rejected import leaves the database untouched; it is recorded in a log
    file beside the database (``rejected_log_path``) so the data page can list it.
    """
    ctx = load_context(settings, today)
    fast = validate_fast(paths, settings, ctx, progress)
    if fast is not None:
        validated = Validated(fast.observations, [], fast.skipped_missing)
        hashes = fast.hashes
    else:
        try:
            validated, hashes = read_and_validate(paths, settings, ctx, progress)
        except ImportFailed as failed:
            if not dry_run:
                log_rejected(settings, paths, failed.issues, user)
            raise
    measure_rows = 0 if validated.measures is None else len(validated.measures)
    trend_rows = 0 if validated.trends is None else len(validated.trends)
    result = ImportResult(
        rows_read=len(validated.observations)
        + validated.skipped_missing
        + measure_rows
        + trend_rows,
        measure_rows=measure_rows,
        trend_rows=trend_rows,
        skipped_missing=validated.skipped_missing,
        dry_run=dry_run,
        files=hashes,
        fast_path=fast is not None,
    )
    store = existing_store(settings)
    if dry_run:
        with store.connect_read(public=False) as con:
            _refuse_stale_statuses(con, validated)
            _refuse_demo_over_official(con, validated.observations)
        _preview(store, validated, result)
        return result
    try:
        with store.write() as con:
            # Under the writer lock, against the version this import changes: checked
            # before the lock, a concurrent import of a newer status could land between
            # the check and the write, and the older status would win.
            _refuse_stale_statuses(con, validated)
            _refuse_demo_over_official(con, validated.observations)
            _load(con, ctx.catalog, settings, validated, result, user)
            # The rows are in the database now: free them before the version's aggregates
            # are rebuilt as it is published, where the import peaks (about 25 MB less at
            # 1M rows; Arrow's pool keeps freed memory until asked to give it back).
            del validated, fast
            pa.default_memory_pool().release_unused()
    except ImportFailed as failed:
        log_rejected(settings, paths, failed.issues, user)
        raise
    return result


def write_checked(
    settings: Settings,
    catalog: Catalog,
    obs: pd.DataFrame,
    result: ImportResult,
    *,
    dry_run: bool,
    user: str | None,
    before: Callable[[Any], None] | None = None,
    after: Callable[[Any], None] | None = None,
) -> None:
    """The write path of ``run_import`` for observations checked elsewhere (official
    tables mapped onto an indicator): a dry run counts on an in-memory copy; otherwise one
    new version with revisions and the import log. ``before`` and ``after`` run in the same
    transaction (``before`` may raise ``ImportFailed``: nothing is published)."""
    store = Store(settings.db_path)
    if dry_run:
        _preview(store, Validated(obs, [], 0), result)
        return
    with store.write() as con:
        if before is not None:
            before(con)
        _load(con, catalog, settings, Validated(obs, [], 0), result, user)
        if after is not None:
            after(con)


def _load(
    con,
    catalog: Catalog,
    settings: Settings,
    validated: Validated,
    result: ImportResult,
    user: str | None,
) -> None:
    obs, measures = validated.observations, validated.measures
    started = loader.next_moment(con)
    loader.sync_reference(con, catalog, load_districts(settings.districts_path))
    import_id = loader.next_import_id(con)
    counts = loader.apply_observations(con, obs, import_id, started)
    result.inserted, result.changed, result.unchanged = (
        counts.inserted,
        counts.changed,
        counts.unchanged,
    )
    if measures is not None:
        result.measures = loader.apply_measures(con, measures, import_id, started)
        counts = _plus(counts, result.measures)
    if validated.trends is not None:
        result.trends = trend_db.apply_trends(con, validated.trends, import_id, started)
        counts = _plus(counts, result.trends)
    loader.log_import(
        con,
        import_id,
        started=started,
        files=result.files,
        rows_read=result.rows_read,
        counts=counts,
        user=user,
    )


def _refuse_stale_statuses(con, validated: Validated) -> None:
    """A measure's status report or a trend's assessment may not go back in time (see
    ``stale_statuses``); a trend links only to measures stored or in this import."""
    issues = []
    if validated.measures is not None:
        issues += stale_statuses(validated.measures, measure_db.measure_export_rows(con))
    if validated.trends is not None:
        issues += stale_assessments(validated.trends, trend_db.current_trends(con))
        known = trend_db.measure_ids(con)
        known |= set(validated.measures["id"]) if validated.measures is not None else set()
        issues += unknown_measures(validated.trends, known)
    if issues:
        raise ImportFailed(issues)


def _plus(a: LoadCounts, b: LoadCounts) -> LoadCounts:
    """Import-log totals over observations and measures."""
    return LoadCounts(a.inserted + b.inserted, a.changed + b.changed, a.unchanged + b.unchanged)


def _refuse_demo_over_official(con, obs: pd.DataFrame | pa.Table) -> None:
    """Demo values never replace official ones (an official value is replaced only by
    another official value)."""
    found = loader.demo_over_official(con, obs)
    if found.empty:
        return
    raise ImportFailed(
        [
            Issue(
                "" if pd.isna(r.file) else str(r.file),
                0 if pd.isna(r.line) else int(r.line),
                "datenart",
                f"Demodaten würden den amtlichen Wert {number_text(float(r.value))} von "
                f"{r.indicator_id} {r.area} {r.period} ({r.source or 'ohne Quelle'}) ersetzen: "
                "Demodaten ersetzen nie amtliche Werte (Zeile entfernen oder datenart amtlich)",
            )
            for r in found.itertuples(index=False)
        ]
    )


def _preview(store: Store, validated: Validated, result: ImportResult) -> None:
    """Counts a real import would produce: the same load, on an in-memory copy."""
    obs, measures, trends = validated.observations, validated.measures, validated.trends
    with store.connect_read(public=False) as src:
        current = loader.current_rows(src)
        current_measures = loader.current_measures(src) if measures is not None else None
        current_trends = trend_db.current_trends(src) if trends is not None else None
    with scratch() as con:
        loader.restore_rows(con, current)
        if measures is not None and current_measures is not None:
            loader.restore_measures(con, current_measures)
            result.measures = loader.apply_measures(con, measures, 0, loader.next_moment(con))
        if trends is not None and current_trends is not None:
            trend_db.restore_trends(con, current_trends)
            result.trends = trend_db.apply_trends(con, trends, 0, loader.next_moment(con))
        counts = loader.apply_observations(con, obs, 0, loader.next_moment(con))
        result.changes = loader.preview_rows(con, SHOWN_CHANGES)
    result.inserted, result.changed, result.unchanged = (
        counts.inserted,
        counts.changed,
        counts.unchanged,
    )


def rejected_log_path(settings: Settings) -> Path:
    return settings.db_path.parent / f"{settings.db_path.name}.abgelehnte-importe.jsonl"


def log_rejected(
    settings: Settings, paths: list[Path], issues: list[Issue], user: str | None
) -> None:
    """Append one line per rejected import (never touches the database)."""
    record = {
        "zeitpunkt": clock.now_local().isoformat(timespec="seconds"),  # with its offset
        "person": user or loader.current_user(),
        "dateien": [p.name for p in paths],
        "sha256": [_sha256(p, settings.max_import_bytes) for p in paths],
        "probleme": len(issues),
        "erstes_problem": str(issues[0]) if issues else "",
    }
    target = rejected_log_path(settings)
    try:
        with target.open("a", encoding="utf-8") as handle:
            handle.write(json.dumps(record, ensure_ascii=False) + "\n")
    except OSError:
        pass  # logging must never turn a clear data error into a crash


def rejected_imports(settings: Settings, limit: int = 50) -> pd.DataFrame:
    """The most recent rejected imports, newest first; none in public mode (their
    messages name what was imported, internal items too)."""
    target = rejected_log_path(settings)
    if settings.public or not target.exists():
        return pd.DataFrame(
            columns=["zeitpunkt", "person", "dateien", "probleme", "erstes_problem"]
        )
    lines = target.read_text(encoding="utf-8").splitlines()[-limit:]
    records = []
    for line in reversed(lines):
        try:
            records.append(json.loads(line))
        except json.JSONDecodeError:
            continue  # a line cut short by a crash
    columns = ["zeitpunkt", "person", "dateien", "probleme", "erstes_problem"]
    frame = pd.DataFrame(records).reindex(columns=columns)
    frame["dateien"] = frame["dateien"].map(lambda v: ", ".join(v) if isinstance(v, list) else "")
    return frame


HASH_CHUNK = 1024 * 1024


def _sha256(path: Path, limit: int) -> str:
    """SHA-256 of a regular file of at most ``limit`` bytes, else ``""``.

    The log of a refused import must not be the thing that hangs or runs out of memory:
    a FIFO, ``/dev/zero`` or a file past the size limit is not read. Opened without
    blocking (a FIFO without a writer) and judged on the opened file, in chunks.
    """
    try:
        fd = os.open(path, os.O_RDONLY | os.O_NONBLOCK)
    except OSError:
        return ""
    try:
        info = os.fstat(fd)
    except OSError:
        info = None
    if info is None or not stat.S_ISREG(info.st_mode) or info.st_size > limit:
        os.close(fd)  # a directory opens, too, but is no file to hash (fdopen refuses it)
        return ""
    with os.fdopen(fd, "rb") as handle:
        digest, seen = hashlib.sha256(), 0
        while chunk := handle.read(HASH_CHUNK):
            seen += len(chunk)
            if seen > limit:  # grew while being read
                return ""
            digest.update(chunk)
    return digest.hexdigest()


def existing_store(settings: Settings) -> Store:
    """The store to import into; an import never creates a database (``init`` does)."""
    store = Store(settings.db_path)
    if not store.exists():
        where = str(settings.db_path)
        message = "keine Datenbank vorhanden (erwartet: zuerst dortmund-kpi init)"
        raise ImportFailed([Issue(where, 1, "datenbank", message)])
    return store
