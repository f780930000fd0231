"""The published tables ``init`` loads as official values: ``data/official/sources.yaml``.

The manifest names, per table file (in ``official/sources/``, as its publisher ships it),
the mappings onto catalog indicators in the words of ``dortmund-kpi import FILE
--indikator ID [--spalte TEXT] [--filter TEXT]... [--zeitraum P]``::

    tabellen:
      - datei: sources/breitbandatlas_….csv
        quelle: "…"            # used where the file itself names no publisher
        lizenz: "…"            # used where the file itself names no licence
        zuordnungen:
          - indikator: gigabit_haushalte
            spalte: "leitungsg. Technologien ≥ 1000 Mbit/s"
            zeitraum: "2021"

Every table goes through ``official.map_table``, the path of ``import --indikator``, so
its values carry the publisher's source line and are ``amtlich``. A broken entry, a
file that is no official table or a mapping that does not fit it stops ``init`` with
the manifest's line and the file's own problems.
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass, replace
from pathlib import Path
from typing import Any

import pandas as pd
import yaml

from dortmund_kpi import os_text
from dortmund_kpi.ingest.issues import ImportFailed, Issue
from dortmund_kpi.ingest.mapping import Mapping
from dortmund_kpi.ingest.observations import Context, duplicates
from dortmund_kpi.ingest.official import map_table, read_table
from dortmund_kpi.ingest.sources.publishers import UNNAMED
from dortmund_kpi.ingest.sources.read import parse_assigned
from dortmund_kpi.settings import Settings

TABLE_KEYS = ("datei", "quelle", "lizenz", "zuordnungen")
MAPPING_KEYS = ("indikator", "spalte", "filter", "zeitraum")


@dataclass(frozen=True)
class Source:
    """One table of the manifest: its file and how its records become values."""

    path: Path
    licence: str | None
    mappings: tuple[Mapping, ...]
    line: int  # where the entry starts in the manifest
    publisher: str | None = None  # used where the file itself names no publisher


@dataclass(frozen=True)
class Loaded:
    """The checked observations of one table, with what the import log records."""

    observations: pd.DataFrame
    files: list[tuple[str, str]]  # (name, sha256)
    message: str
    peers: pd.DataFrame  # the values of other regions (``db.peers``)


class _Lined(dict):
    """A YAML mapping that knows the line it starts on and the line of each key."""

    line = 1
    lines: dict[str, int] = {}  # noqa: RUF012 (each instance sets its own)


class _Loader(yaml.SafeLoader):
    pass


def _lined(loader: _Loader, node: yaml.MappingNode) -> _Lined:
    found = _Lined(loader.construct_mapping(node, deep=True))
    found.line = node.start_mark.line + 1
    found.lines = {str(key.value): key.start_mark.line + 1 for key, _ in node.value}
    return found


def _at(entry: dict, key: str, line: int) -> int:
    """The line of ``key`` in ``entry`` (else the entry's)."""
    return getattr(entry, "lines", {}).get(key, line)


_Loader.add_constructor(yaml.resolver.BaseResolver.DEFAULT_MAPPING_TAG, _lined)


class _Broken(Exception):
    def __init__(self, line: int, column: str, message: str) -> None:
        super().__init__(message)
        self.issue = (line, column, message)


def _text(entry: dict, key: str, line: int, required: bool = False) -> str | None:
    value = entry.get(key)
    if key in entry:
        line = _at(entry, key, line)
    if value is None:
        if required:
            raise _Broken(line, key, f"„{key}“ fehlt")
        return None
    if isinstance(value, bool) or not isinstance(value, str | int | float):
        raise _Broken(line, key, f"„{key}“ muss ein Text sein, nicht {value!r}")
    text = str(value).strip()
    if not text:
        raise _Broken(line, key, f"„{key}“ ist leer")
    return text


def _unknown(entry: dict, allowed: tuple[str, ...], line: int) -> None:
    extra = [str(k) for k in entry if k not in allowed]
    if extra:
        raise _Broken(
            _at(entry, extra[0], line),
            extra[0],
            f"unbekanntes Feld „{extra[0]}“ (erlaubt: {', '.join(allowed)})",
        )


def _mapping(entry: Any, ids: list[str], line: int) -> Mapping:
    if not isinstance(entry, dict):
        raise _Broken(line, "zuordnungen", "jede Zuordnung ist ein Block mit „indikator: ID“ …")
    line = getattr(entry, "line", line)
    _unknown(entry, MAPPING_KEYS, line)
    indicator = _text(entry, "indikator", line, required=True)
    if indicator not in ids:
        raise _Broken(
            _at(entry, "indikator", line),
            "indikator",
            f"unbekannter Indikator {indicator!r} (siehe dortmund-kpi indicators)",
        )
    raw = entry.get("filter") or []
    filters = [raw] if isinstance(raw, str) else raw
    if not isinstance(filters, list) or not all(isinstance(f, str) and f for f in filters):
        message = "„filter“ ist ein Text oder eine Liste von Texten"
        raise _Broken(_at(entry, "filter", line), "filter", message)
    zeitraum = _text(entry, "zeitraum", line)
    when = parse_assigned(zeitraum) if zeitraum is not None else None
    if zeitraum is not None and when is None:
        raise _Broken(
            _at(entry, "zeitraum", line),
            "zeitraum",
            f"{zeitraum!r} ist kein Zeitraum (erwartet z. B. 2023, 2023-Q2, 2023-05, 31.12.2023)",
        )
    return Mapping(indicator, _text(entry, "spalte", line), tuple(filters), when)


def _source(entry: Any, base: Path, ids: list[str], line: int) -> Source:
    if not isinstance(entry, dict):
        message = "jede Tabelle ist ein Block mit „datei:“ und „zuordnungen:“"
        raise _Broken(line, "tabellen", message)
    line = getattr(entry, "line", line)
    _unknown(entry, TABLE_KEYS, line)
    name = _text(entry, "datei", line, required=True) or ""
    path = base / name
    if Path(name).is_absolute() or ".." in Path(name).parts or not path.is_file():
        raise _Broken(
            _at(entry, "datei", line),
            "datei",
            f"Datei {name!r} nicht gefunden (Pfad relativ zu {base})",
        )
    mappings = entry.get("zuordnungen")
    if not isinstance(mappings, list) or not mappings:
        raise _Broken(
            _at(entry, "zuordnungen", line),
            "zuordnungen",
            "keine Zuordnungen (mindestens eine: indikator, …)",
        )
    found = tuple(_mapping(m, ids, line) for m in mappings)
    licence, publisher = _text(entry, "lizenz", line), _text(entry, "quelle", line)
    return Source(path, licence, found, line, publisher)


def read_manifest(path: Path, ids: list[str]) -> list[Source]:
    """The tables of the manifest; none if there is no manifest. ``ImportFailed`` with
    the manifest's line for anything that is not a table entry as documented."""
    if not path.exists():
        return []
    try:
        data = yaml.load(path.read_text(encoding="utf-8"), Loader=_Loader)  # safe: a SafeLoader
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        line = mark.line + 1 if mark is not None else 1
        raise ImportFailed([Issue(str(path), line, "yaml", f"kein gültiges YAML ({exc})")]) from exc
    except (OSError, UnicodeDecodeError) as exc:
        raise ImportFailed(
            [Issue(str(path), 1, "datei", f"nicht lesbar: {os_text.describe(exc)}")]
        ) from exc
    if data is None:
        return []
    tables = data.get("tabellen") if isinstance(data, dict) else None
    if not isinstance(tables, list):
        message = "erwartet „tabellen:“ mit einer Liste von Tabellen (siehe Kopf der Datei)"
        raise ImportFailed([Issue(str(path), 1, "tabellen", message)])
    try:
        return [_source(entry, path.parent, ids, getattr(data, "line", 1)) for entry in tables]
    except _Broken as broken:
        raise ImportFailed([Issue(str(path), *broken.issue)]) from broken


def load_published(settings: Settings, ctx: Context) -> list[Loaded]:
    """Every table of the manifest, read and mapped like ``import --indikator`` does."""
    manifest = settings.official_sources_path
    loaded = []
    for source in read_manifest(manifest, ctx.catalog.ids):
        file = str(source.path)
        try:
            table = read_table(source.path, settings)
            if table.licence is None and source.licence:
                table = replace(table, licence=source.licence)
            if source.publisher and table.source == UNNAMED:
                table = replace(table, source=source.publisher)
            mapped = map_table(table, list(source.mappings), ctx, file)
        except ImportFailed as failed:
            where = Issue(
                str(manifest),
                source.line,
                "zuordnungen",
                f"{source.path.name} lässt sich so nicht laden (Spalten, Merkmale und "
                f"Zeiträume: dortmund-kpi inspect {file})",
            )
            raise ImportFailed([where, *failed.issues]) from failed
        digest = hashlib.sha256(source.path.read_bytes()).hexdigest()
        described = " | ".join(m.describe() for m in source.mappings)
        loaded.append(
            Loaded(
                mapped.validated.observations,
                [(source.path.name, digest)],
                f"{table.source}: {described}",
                mapped.peers,
            )
        )
    return loaded


def refuse_duplicates(parts: list[pd.DataFrame], manifest: Path) -> pd.DataFrame:
    """All official observations of ``init``; a value (indicator, area, period) given in
    two places stops it: no source silently wins over another."""
    frame = pd.concat(parts, ignore_index=True)
    found = duplicates(frame)
    if found:
        hint = Issue(
            str(manifest),
            1,
            "tabellen",
            "ein Wert darf nur an einer Stelle stehen: die Zeile der Kennzahlen-Datei "
            "entfernen oder die Zuordnung mit filter/zeitraum einschränken",
        )
        raise ImportFailed([*found, hint])
    return frame
