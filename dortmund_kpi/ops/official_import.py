"""``dortmund-kpi import FILE --indikator ID [--spalte TEXT] [--filter TEXT]...
[--zeitraum P] [--lizenz TEXT] [--merken] [--dry-run] [--ersetzen]``: an official table as
published.

The options of ``import`` for official tables and what the command prints: the table
and its source, the mapping, every value with old → new and old source → new source
(``--dry-run`` writes nothing), the counts, the cells without a value (first 20 with
file, line and reason) and whether the mapping was remembered. A file in the import
template format is imported as before; with ``--indikator`` only one file at a time.
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from dortmund_kpi import texts
from dortmund_kpi.catalog import load_catalog
from dortmund_kpi.formatting import counted
from dortmund_kpi.ingest.issues import visible
from dortmund_kpi.ingest.official import (
    OfficialResult,
    Options,
    area_names,
    conflict_issue,
    run_official_import,
)
from dortmund_kpi.ingest.recognise import recognise
from dortmund_kpi.ingest.sources.model import Table
from dortmund_kpi.ingest.sources.read import parse_assigned
from dortmund_kpi.settings import Settings
from dortmund_kpi.views.importing import describe_change

EXIT_OK, EXIT_DATA, EXIT_USAGE = 0, 1, 2
SHOWN_SKIPPED = 20
MAPPING_ONLY = ("spalte", "filter", "merken")


def add_options(p: argparse.ArgumentParser) -> None:
    """The mapping options of ``import`` (official tables)."""
    p.add_argument("--indikator", metavar="ID", help="amtliche Tabelle: Werte für diesen Indikator")
    p.add_argument("--spalte", metavar="TEXT", help="Wertspalte (Teil ihrer Überschrift)")
    p.add_argument(
        "--filter",
        metavar="TEXT",
        action="append",
        default=[],
        help="nur Datensätze mit diesem Merkmalswert (mehrfach: alle müssen passen)",
    )
    p.add_argument(
        "--zeitraum", metavar="P", help="Zeitraum zuordnen (z. B. 2024 für den 31.12.2024)"
    )
    p.add_argument(
        "--lizenz",
        metavar="TEXT",
        help="Lizenz der Tabelle, wenn die Datei keine nennt (Teil der Quellenangabe)",
    )
    p.add_argument(
        "--merken",
        action="store_true",
        help="Zuordnung (und --lizenz) für die nächste Tabelle merken",
    )
    p.add_argument(
        "--ersetzen",
        action="store_true",
        help="amtliche Werte einer anderen Quelle ersetzen (sonst Abbruch)",
    )


def _usage(text: str) -> int:
    print(f"dortmund-kpi: {text}", file=sys.stderr)
    return EXIT_USAGE


def official_table(args: argparse.Namespace, settings: Settings) -> tuple[bool, Table | None]:
    """Whether this import is one of an official table (and the table, if already read)."""
    if args.indikator:
        return True, None
    if len(args.files) != 1:
        return False, None
    table = recognise(Path(args.files[0]), settings)
    return table is not None, table


def cmd_import_official(args: argparse.Namespace, settings: Settings) -> int | None:
    """Run the import if it is one of an official table; None: a template import."""
    is_official, table = official_table(args, settings)
    if not is_official:
        given = [o for o in (*MAPPING_ONLY, "zeitraum", "ersetzen", "lizenz") if getattr(args, o)]
        if given:
            return _usage(
                f"--{given[0]} gilt nur für amtliche Tabellen (eine Datei, mit --indikator "
                "oder einer gemerkten Zuordnung)"
            )
        return None
    if len(args.files) != 1:
        return _usage("mit --indikator genau eine Datei angeben")
    if not args.indikator and any(getattr(args, o) for o in MAPPING_ONLY):
        return _usage("--spalte, --filter und --merken nur zusammen mit --indikator ID")
    if args.indikator:
        ids = load_catalog(settings.catalog_path).ids
        if args.indikator not in ids:
            return _usage(
                f"--indikator {visible(args.indikator)!s}: unbekannter Indikator "
                "(siehe dortmund-kpi indicators)"
            )
    when = None
    if args.zeitraum is not None:
        when = parse_assigned(args.zeitraum)
        if when is None:
            return _usage(
                f"--zeitraum {visible(args.zeitraum)!s} ist kein Zeitraum "
                "(erwartet z. B. 2023, 2023-Q2, 2023-05, 31.12.2023)"
            )
    options = Options(
        indicator=args.indikator,
        spalte=args.spalte,
        filters=tuple(args.filter),
        zeitraum=when,
        dry_run=args.dry_run,
        replace_official=args.ersetzen,
        remember=args.merken,
        user=args.user,
        licence=args.lizenz,
    )
    outcome = run_official_import(Path(args.files[0]), settings, options, table=table)
    names = area_names(settings)
    sys.stdout.write(summary(args.files[0], outcome, names, remember=args.merken))
    if outcome.conflicts and not args.ersetzen:  # a dry run: shown, and refused
        for change in outcome.conflicts:
            print(str(conflict_issue(change, names)), file=sys.stderr)
        print(
            f"Abgebrochen: {len(outcome.conflicts)} Konflikt(e), nichts wurde geschrieben.",
            file=sys.stderr,
        )
        return EXIT_DATA
    return EXIT_OK


def summary(
    file: str, outcome: OfficialResult, names: dict[str, str], *, remember: bool = False
) -> str:
    """What the import did (or, with --dry-run, would do), value by value."""
    result, table = outcome.result, outcome.table
    origin = " (gemerkte Zuordnung)" if outcome.from_memory else ""
    lines = [
        f"Amtliche Tabelle: {table.layout}",
        f"Quelle:           {table.source}",
        f"Lizenz:           {_licence_line(table)}",
    ]
    lines += [f"Zuordnung{origin}: {m.describe()}" for m in outcome.mappings]
    lines += [f"Hinweis: {note}" for note in outcome.notes]
    verb = "Prüfung ohne Schreiben (--dry-run)" if result.dry_run else "Import abgeschlossen"
    lines.append(f"{verb}: {file}, {counted(result.rows_read, *texts.RECORDS)}")
    lines.append("  Indikator | Gebiet | Zeitraum | alt → neu | Quelle alt → neu | Änderung")
    lines += [f"  {describe_change(c, names)}" for c in outcome.changes]
    lines.append(
        f"  neu: {result.inserted}, geändert: {result.changed}, unverändert: "
        f"{result.unchanged}, ohne Wert übersprungen: {result.skipped_missing}"
    )
    if outcome.skipped:
        lines.append(f"Ohne Wert übersprungen: {len(outcome.skipped)}")
        lines += [f"  {f}:{n}: {why}" for f, n, why in outcome.skipped[:SHOWN_SKIPPED]]
        if len(outcome.skipped) > SHOWN_SKIPPED:
            lines.append(f"  … und {len(outcome.skipped) - SHOWN_SKIPPED} weitere")
    if outcome.remembered:
        period = " --zeitraum P" if outcome.needs_period else ""  # the file names none
        lines.append(f"Zuordnung gemerkt: nächstes Mal genügt „dortmund-kpi import {file}{period}“")
    elif result.dry_run and remember:
        lines.append("Zuordnung würde gemerkt (--merken; bei --dry-run nicht gespeichert)")
    return "\n".join(visible(line) for line in lines) + "\n"


def _licence_line(table: Table) -> str:
    """The table's licence: the file's, the one given with --lizenz, or how to give it."""
    if table.licence is None:
        return "in der Datei nicht angegeben (--lizenz TEXT gibt sie an)"
    return table.licence
