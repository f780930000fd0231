"""Backup, restore and consistency check of the published database.

* ``backup DIR`` copies the published version (versions are immutable, so no
  lock is needed) plus the official district geometry and the rejected-import
  log, and writes ``manifest.json`` last: format, schema version, source version,
  row counts per table and the SHA-256 of every file. A directory with a
  manifest is a complete backup.
* ``restore DIR`` verifies sizes, checksums, schema version and row counts, then
  publishes the backup as a new version through ``Store.write(fresh=True)``: under
  the writer lock, checked before it is published, by the same atomic symlink
  swap as every import. The previous version stays in the versions folder.
* ``check`` verifies the published database (``ops.check``); restore runs the same
  checks on the restored copy before publishing it.

``register`` adds the three subcommands to the ``dortmund-kpi`` parser.

This module decides what is checked, words the findings and sets exit codes; it
runs no SQL itself. The checks' queries are in ``db.checks``; counting tables,
attaching a backup and copying it into a fresh version are in ``db.store``, with
the backup's path bound as a parameter, never pasted into SQL text.
"""

from __future__ import annotations

import argparse
import contextlib
import hashlib
import json
import os
import shutil
import tempfile
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import duckdb

from dortmund_kpi import __version__, clock, os_text, texts
from dortmund_kpi.db.schema import LATEST_VERSION, schema_version
from dortmund_kpi.db.store import (
    Store,
    StoreError,
    connect_file,
    first_line,
    fsync_dir,
    load_backup,
    table_counts,
    upgrade_copy,
)
from dortmund_kpi.formatting import counted
from dortmund_kpi.ops.check import cmd_check, count_text, run_checks
from dortmund_kpi.settings import Settings

MANIFEST = "manifest.json"
FORMAT = "dortmund-kpi-backup"
FORMAT_VERSION = 1
DB_FILE = "dortmund_kpi.duckdb"
GEOMETRY_FILE = "stadtbezirke.geojson"
RESTORE_PREFIX = ".restore-"  # + pid of the restoring process + random
REJECTED_LOG_FILE = "abgelehnte-importe.jsonl"
CHUNK = 1024 * 1024


# -- command line ---------------------------------------------------------------
def register(
    subparsers: argparse._SubParsersAction[argparse.ArgumentParser],
    common_parent: argparse.ArgumentParser,
) -> None:
    """Add ``backup``, ``restore`` and ``check`` to the ``dortmund-kpi`` parser."""
    p = subparsers.add_parser(
        "backup", parents=[common_parent], help="Sicherung der veröffentlichten Datenbank"
    )
    p.add_argument("directory", metavar="VERZEICHNIS", help="Zielverzeichnis (leer oder neu)")
    p.add_argument("--force", action="store_true", help="nicht leeres Verzeichnis überschreiben")
    p.set_defaults(handler=cmd_backup)

    p = subparsers.add_parser(
        "restore", parents=[common_parent], help="Sicherung prüfen und als neue Version einspielen"
    )
    p.add_argument("directory", metavar="VERZEICHNIS", help="Verzeichnis einer Sicherung")
    p.set_defaults(handler=cmd_restore)

    p = subparsers.add_parser(
        "check", parents=[common_parent], help="veröffentlichte Datenbank auf Konsistenz prüfen"
    )
    p.set_defaults(handler=cmd_check)


def cmd_backup(args: argparse.Namespace, settings: Settings) -> int:
    manifest = backup(settings, Path(args.directory), force=args.force)
    rows = manifest["tables"].get("observations", 0)
    size = next(f["bytes"] for f in manifest["files"] if f["role"] == "database")
    print(f"Sicherung geschrieben: {args.directory}")
    print(
        f"  Version {manifest['source']['version']}, Schema-Version "
        f"{manifest['schema_version']}, {count_text(rows)} Zeilen in observations, {_mb(size)}"
    )
    print(f"  {counted(len(manifest['files']), *texts.FILES)} mit SHA-256 in {MANIFEST}")
    return 0


def cmd_restore(args: argparse.Namespace, settings: Settings) -> int:
    result = restore(settings, Path(args.directory))
    print(f"Sicherung geprüft: {args.directory} (Prüfsummen, Schema-Version, Zeilenzahlen)")
    print(f"  wiederhergestellt als neue Version {result.version}")
    if result.previous:
        print(f"  vorherige Version bleibt vorerst erhalten: {result.previous}")
    for note in result.notes:
        print(f"  {note}")
    return 0


# -- backup ---------------------------------------------------------------------
def backup(settings: Settings, target: Path, *, force: bool = False) -> dict[str, Any]:
    """Copy the published version (and the files beside it) into ``target``."""
    store = Store(settings.db_path)
    _prepare_target(target, force)
    partial = target / f".{DB_FILE}.partial"
    try:
        version = store.copy_published(partial)
        schema, tables = _describe(partial)
        os.replace(partial, target / DB_FILE)
    finally:
        _unlink(partial)
    files = [_file_entry(target, DB_FILE, "database")]
    for source, name, role in _extra_files(settings):
        if source.is_file():
            _copy_atomic(source, target / name)
            files.append(_file_entry(target, name, role))
    manifest = {
        "format": FORMAT,
        "format_version": FORMAT_VERSION,
        "tool": "dortmund-kpi",
        "tool_version": __version__,
        "created_at": clock.now_local().isoformat(timespec="seconds"),
        "schema_version": schema,
        "source": {"database": str(settings.db_path), "version": version},
        "tables": tables,
        "files": files,
    }
    _write_json_atomic(target / MANIFEST, manifest)
    return manifest


def _extra_files(settings: Settings) -> list[tuple[Path, str, str]]:
    from dortmund_kpi.ingest.importer import rejected_log_path

    return [
        (settings.official_geometry_path, GEOMETRY_FILE, "geometry"),
        (rejected_log_path(settings), REJECTED_LOG_FILE, "rejected_log"),
    ]


def _prepare_target(target: Path, force: bool) -> None:
    if target.exists() and not target.is_dir():
        raise StoreError(f"{target} ist eine Datei (erwartet ein Verzeichnis für die Sicherung)")
    if target.is_dir() and any(target.iterdir()):
        if not force:
            raise StoreError(
                f"Verzeichnis {target} ist nicht leer. Zum Überschreiben einer älteren "
                f"Sicherung: dortmund-kpi backup {target} --force"
            )
        # the manifest goes first: an interrupted backup must not look complete
        for name in (MANIFEST, DB_FILE, GEOMETRY_FILE, REJECTED_LOG_FILE):
            _unlink(target / name)
    target.mkdir(parents=True, exist_ok=True)


def _describe(file: Path) -> tuple[int, dict[str, int]]:
    """Schema version and row count per table of a database file."""
    try:
        con = connect_file(file)
    except duckdb.Error as exc:
        raise StoreError(f"{file}: keine lesbare DuckDB-Datenbank ({first_line(exc)})") from exc
    with con:
        counts = table_counts(con)
        return schema_version(con), counts


def _file_entry(folder: Path, name: str, role: str) -> dict[str, Any]:
    path = folder / name
    return {"name": name, "role": role, "bytes": path.stat().st_size, "sha256": sha256(path)}


# -- restore --------------------------------------------------------------------
@dataclass(frozen=True)
class RestoreResult:
    version: str
    previous: str | None
    notes: list[str]


def restore(settings: Settings, source: Path) -> RestoreResult:
    """Verify the backup in ``source`` and publish it as a new version."""
    manifest = read_manifest(source)
    store = Store(settings.db_path)
    # a plain database file (not a versions folder) is replaced, not kept
    previous = store.current_file().name if store.db_path.is_symlink() else None
    prefix = f"{RESTORE_PREFIX}{os.getpid()}-"  # the owner's pid: see _remove_abandoned
    with tempfile.TemporaryDirectory(prefix=prefix, dir=_work_dir(settings)) as work:
        # verify a private copy: the backup folder could change after it was checked
        copy = Path(work) / DB_FILE
        _copy_verified(source, _entry(manifest, "database"), copy)
        schema, tables = _describe(copy)
        _require_matching(manifest, schema, tables)
        upgrade_copy(copy)  # a backup of an older version, brought up to this schema
        # Every file is verified before anything is published: a damaged geometry must not
        # leave the data restored and the command saying nothing was changed.
        geometry = _verified_geometry(source, manifest, Path(work))
        with store.write(fresh=True, verify=lambda con: _verify_restored(con, manifest)) as con:
            load_backup(con, copy)
        notes = _install_geometry(settings, geometry)
    return RestoreResult(store.current_file().name, previous, notes)


def read_manifest(source: Path) -> dict[str, Any]:
    """The backup's manifest, checked for format and well-formed file entries."""
    path = source / MANIFEST
    if not source.is_dir():
        raise StoreError(f"{source}: kein Verzeichnis (erwartet das Verzeichnis einer Sicherung)")
    try:
        manifest = json.loads(path.read_text(encoding="utf-8"))
    except FileNotFoundError as exc:
        raise StoreError(
            f"{path} fehlt: keine vollständige Sicherung (erwartet von dortmund-kpi backup)"
        ) from exc
    except (OSError, UnicodeDecodeError, json.JSONDecodeError) as exc:
        raise StoreError(f"{path}: nicht lesbar ({os_text.describe(exc)})") from exc
    _check_manifest(manifest, path)
    return manifest


def _check_manifest(manifest: Any, path: Path) -> None:
    if not isinstance(manifest, dict) or manifest.get("format") != FORMAT:
        raise StoreError(f"{path}: keine Sicherung von dortmund-kpi (Feld format fehlt)")
    if manifest.get("format_version") != FORMAT_VERSION:
        raise StoreError(
            f"{path}: Sicherungsformat {manifest.get('format_version')!r} unbekannt "
            f"(erwartet {FORMAT_VERSION})"
        )
    files = manifest.get("files")
    tables = manifest.get("tables")
    if not isinstance(files, list) or not isinstance(tables, dict):
        raise StoreError(f"{path}: Dateiliste oder Zeilenzahlen fehlen")
    for entry in files:
        name = entry.get("name") if isinstance(entry, dict) else None
        if not isinstance(name, str) or Path(name).name != name or name in ("", ".", ".."):
            raise StoreError(f"{path}: ungültiger Dateiname {name!r} in der Dateiliste")
    _entry(manifest, "database")


def _entry(manifest: dict[str, Any], role: str) -> dict[str, Any]:
    for entry in manifest["files"]:
        if entry.get("role") == role:
            return entry
    raise StoreError(f"{MANIFEST}: keine Datei mit der Rolle {role!r}")


def _copy_verified(source: Path, entry: dict[str, Any], destination: Path) -> None:
    """Copy one backup file and verify size and SHA-256 of the copy."""
    origin = source / entry["name"]
    try:
        shutil.copyfile(origin, destination)
    except OSError as exc:
        raise StoreError(f"{origin}: fehlt oder nicht lesbar ({os_text.reason(exc)})") from exc
    size, digest = destination.stat().st_size, sha256(destination)
    if size != entry.get("bytes") or digest != entry.get("sha256"):
        raise StoreError(
            f"{origin}: Prüfsumme stimmt nicht (SHA-256 {digest[:12]}…, {size} Bytes; "
            f"laut {MANIFEST} {str(entry.get('sha256'))[:12]}…, {entry.get('bytes')} Bytes): "
            "Sicherung beschädigt, nichts wurde geändert"
        )


def _require_matching(manifest: dict[str, Any], schema: int, tables: dict[str, int]) -> None:
    if schema != manifest.get("schema_version"):
        raise StoreError(
            f"Schema-Version der Sicherung {schema} passt nicht zu {MANIFEST} "
            f"({manifest.get('schema_version')})"
        )
    if not 1 <= schema <= LATEST_VERSION:
        raise StoreError(
            f"Sicherung hat Schema-Version {schema}; dieses Programm kennt 1 bis "
            f"{LATEST_VERSION} (bitte dortmund-kpi aktualisieren)"
        )
    if tables != manifest["tables"]:
        raise StoreError(f"Zeilenzahlen der Sicherung passen nicht zu {MANIFEST}: {tables}")


def _verify_restored(con: duckdb.DuckDBPyConnection, manifest: dict[str, Any]) -> None:
    """Runs on the new version before it is published."""
    # names from the new version's catalog, not the manifest's text; a table the
    # manifest names but the version lacks counts as None, so the comparison fails
    restored = table_counts(con)
    counts = {name: restored.get(name) for name in manifest["tables"] if name != "schema_meta"}
    expected = {k: v for k, v in manifest["tables"].items() if k != "schema_meta"}
    if counts != expected:
        raise StoreError(f"wiederhergestellte Zeilenzahlen {counts} ≠ Sicherung {expected}")
    failed = [f for f in run_checks(con) if not f.ok]
    if failed:
        details = "; ".join(str(f).removeprefix("FEHLER  ") for f in failed)
        raise StoreError(f"Sicherung ist nicht konsistent, nicht eingespielt: {details}")


def _verified_geometry(source: Path, manifest: dict[str, Any], work: Path) -> Path | None:
    """The backup's official geometry, copied and checked (size, SHA-256), or None."""
    entries = [e for e in manifest["files"] if e.get("role") == "geometry"]
    if not entries:
        return None
    copy = work / GEOMETRY_FILE
    _copy_verified(source, entries[0], copy)
    return copy


def _install_geometry(settings: Settings, geometry: Path | None) -> list[str]:
    """Put the verified geometry in place (atomically, beside the target)."""
    target = settings.official_geometry_path
    if geometry is None:
        if target.exists():
            return ["Sicherung ohne amtliche Bezirksgeometrie: vorhandene Geometrie unverändert"]
        return []
    tmp = target.with_name(target.name + ".restore.tmp")
    try:
        shutil.copyfile(geometry, tmp)
        os.replace(tmp, target)
    finally:
        _unlink(tmp)
    return [f"amtliche Bezirksgeometrie wiederhergestellt: {target}"]


def _work_dir(settings: Settings) -> Path:
    folder = settings.db_path.parent
    folder.mkdir(parents=True, exist_ok=True)
    _remove_abandoned(folder)
    return folder


def _remove_abandoned(folder: Path) -> None:
    """Delete the working copies of restores whose process is gone (a killed restore
    leaves a full copy of its backup behind; nothing else would ever remove it)."""
    for work in folder.glob(f"{RESTORE_PREFIX}*"):
        pid = work.name.removeprefix(RESTORE_PREFIX).split("-", 1)[0]
        if work.is_dir() and pid.isdigit() and not _alive(int(pid)):
            shutil.rmtree(work, ignore_errors=True)


def _alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:  # another user's process: alive
        return True
    return True


# -- helpers --------------------------------------------------------------------
def sha256(path: Path) -> str:
    digest = hashlib.sha256()
    with open(path, "rb") as handle:
        while block := handle.read(CHUNK):
            digest.update(block)
    return digest.hexdigest()


def _copy_atomic(source: Path, target: Path) -> None:
    tmp = target.with_name(f".{target.name}.partial")
    try:
        shutil.copyfile(source, tmp)
        os.replace(tmp, target)
    finally:
        _unlink(tmp)


def _write_json_atomic(path: Path, data: dict[str, Any]) -> None:
    tmp = path.with_name(f".{path.name}.partial")
    with open(tmp, "w", encoding="utf-8") as handle:
        json.dump(data, handle, ensure_ascii=False, indent=2)
        handle.write("\n")
        handle.flush()
        os.fsync(handle.fileno())
    os.replace(tmp, path)
    fsync_dir(path.parent)


def _unlink(path: Path) -> None:
    with contextlib.suppress(FileNotFoundError):
        path.unlink()


def _mb(size: int) -> str:
    return f"{size / 2**20:.1f} MB".replace(".", ",")
