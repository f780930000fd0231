"""Source lines of official values: ``publisher, table; licence``.

An official table's values carry one source line: who published which table (its
origin) and, after ``; ``, the licence. The licence is the file's own, or the one its
importer gives where the file names none (``--lizenz``, remembered with the table's
mapping by ``--merken``, ``init``'s manifest).
"""

from __future__ import annotations

import shlex
from collections.abc import Iterable
from dataclasses import replace

from dortmund_kpi.ingest.sources.model import Table


def origin(source: str | None) -> str:
    """Publisher and table of a source line, without the licence that follows ``; ``."""
    return (source or "").split("; ", 1)[0].strip()


def same_origin(old: str | None, new: str) -> bool:
    return origin(old) == origin(new)


def licence_of(source: str | None) -> str | None:
    """The licence that follows ``; `` in a source line, if any."""
    parts = (source or "").split("; ", 1)
    return (parts[1].strip() or None) if len(parts) == 2 else None


def source_line(table: Table) -> str:
    return f"{table.source}; {table.licence}" if table.licence else table.source


def with_licence(table: Table, licence: str | None) -> tuple[Table, list[str]]:
    """The table with ``licence`` (``--lizenz``) where the file names none, as ``init``'s
    manifest does; the file's own licence wins, and a note says so. Runs of white space
    (a line break typed into the field) become one space: a source is one line."""
    licence = " ".join((licence or "").split())
    if not licence:
        return table, []
    if table.licence is None:
        return replace(table, licence=licence), []
    own = f"Die Datei nennt ihre Lizenz selbst („{table.licence}“); --lizenz nicht verwendet"
    return table, [own]


def licensed(
    table: Table, given: str | None, kept: str | None
) -> tuple[Table, list[str], str | None]:
    """The table with the licence given (``--lizenz``), else the one remembered for it,
    where the file names none; the notes; the licence so added (None: the file's own, or
    none), which ``--merken`` remembers. A blank ``given`` is none."""
    given = " ".join((given or "").split()) or None
    if table.licence is not None and not given:  # the file's own; nothing was typed
        return table, [], None
    found, notes = with_licence(table, given or kept)
    if table.licence is not None or found.licence is None:
        return found, notes, None
    if not given:
        note = f"Lizenz aus der gemerkten Zuordnung: „{found.licence}“ (die Datei nennt keine)"
        notes = [*notes, note]
    return found, notes, found.licence


def licence_notes(lines: Iterable[tuple[str | None, str]]) -> list[str]:
    """What an import would lose of its stored values' source lines (pairs of stored and
    new line): the licence they name where the new line, of the same publisher and
    table, names none because the file does not state it."""
    dropped = {
        licence: None
        for old, new in lines
        if same_origin(old, new) and licence_of(new) is None and (licence := licence_of(old))
    }
    return [
        f"Die bisherige Quellenangabe nennt die Lizenz „{licence}“, die Datei keine; als "
        f"Lizenz angegeben (--lizenz {shlex.quote(licence)}) bleibt sie Teil der Quellenangabe"
        for licence in dropped
    ]
