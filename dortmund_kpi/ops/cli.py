"""The ``dortmund-kpi`` command.

Exit codes: 0 success, 1 invalid data (or a failed operation), 2 usage error, 141 (quietly)
when the reader of the output went away (``| head``), like a Unix tool ended by SIGPIPE.
Problems are printed as one line each; a traceback only with DORTMUND_KPI_DEBUG=1.
"""

from __future__ import annotations

import argparse
import json
import os
import sys
from collections.abc import Callable, Sequence
from pathlib import Path

from dortmund_kpi.ops.console import (
    EXIT_BROKEN_PIPE,
    EXIT_DATA,
    EXIT_OK,
    EXIT_USAGE,
    UsageError,
    print_err,
)
from dortmund_kpi.ops.german_args import GermanParser, path_text, whole_number
from dortmund_kpi.ops.present import cmd_serve, cmd_slides
from dortmund_kpi.settings import Settings, get_settings


def _progress_printer() -> Callable[[str, int, int], None] | None:
    if not sys.stderr.isatty():
        return None

    def show(name: str, done: int, total: int) -> None:
        share = min(done / total, 1.0) if total else 0.0
        bar = "#" * int(share * 30)
        sys.stderr.write(
            f"\r{Path(name).name[:30]:30} [{bar:<30}] {done:>10,} Zeilen ".replace(",", ".")
        )
        sys.stderr.flush()

    return show


# -- commands -----------------------------------------------------------------
def cmd_init(args: argparse.Namespace, settings: Settings) -> int:
    from dortmund_kpi.ingest.bootstrap import init_database

    result = init_database(settings, demo=args.demo, force=args.force)
    print(f"Datenbank angelegt: {settings.db_path}")
    print(f"  {result.indicators} Indikatoren, {result.districts} Stadtbezirke")
    print(f"  {result.official} veröffentlichte (reale) Werte, {result.demo} Demowerte")
    if result.measures:
        print(f"  {result.measures} Demo-Maßnahmen")
    if result.trends:
        print(f"  {result.trends} Demo-Trends")
    return EXIT_OK


def cmd_import(args: argparse.Namespace, settings: Settings) -> int:
    from dortmund_kpi import formatting, texts
    from dortmund_kpi.ingest.importer import run_import
    from dortmund_kpi.ingest.official import area_names
    from dortmund_kpi.ops.official_import import cmd_import_official
    from dortmund_kpi.views.importing import preview_lines

    code = cmd_import_official(args, settings)  # an official table (--indikator, remembered)
    if code is not None:
        return code
    paths = [Path(p) for p in args.files]
    result = run_import(
        paths, settings, dry_run=args.dry_run, user=args.user, progress=_progress_printer()
    )
    if sys.stderr.isatty():
        sys.stderr.write("\n")
    verb = "Prüfung ohne Schreiben (--dry-run)" if result.dry_run else "Import abgeschlossen"
    files = formatting.counted(len(paths), *texts.FILES)
    print(f"{verb}: {files}, {formatting.counted(result.rows_read, *texts.ROWS)}")
    if result.observation_rows or not (result.measures or result.trends):
        print(
            f"  neu: {result.inserted}, geändert: {result.changed}, "
            f"unverändert: {result.unchanged}, ohne Wert übersprungen: {result.skipped_missing}"
        )
    if result.changes is not None:  # a dry run: which values, old → new
        for line in preview_lines(result, area_names(settings)):
            print(line)
    if result.measures:
        m = result.measures
        print(f"  Maßnahmen neu: {m.inserted}, geändert: {m.changed}, unverändert: {m.unchanged}")
    if result.trends:
        t = result.trends
        print(f"  Trends neu: {t.inserted}, geändert: {t.changed}, unverändert: {t.unchanged}")
    return EXIT_OK


def cmd_template(args: argparse.Namespace, settings: Settings) -> int:
    from dortmund_kpi.share import measure_files, trend_files
    from dortmund_kpi.share import template_files as exporter

    if args.measures and args.trends:
        raise UsageError("--measures oder --trends, nicht beides")
    data = exporter.template_csv()
    if args.measures or args.trends:
        data = (measure_files if args.measures else trend_files).template_csv()
    if args.output:
        Path(args.output).write_bytes(data)
        print(f"Vorlage geschrieben: {args.output}")
    else:
        sys.stdout.write(data.decode("utf-8").lstrip("\ufeff"))
    return EXIT_OK


def cmd_indicators(args: argparse.Namespace, settings: Settings) -> int:
    from dortmund_kpi.catalog import load_catalog

    catalog = load_catalog(settings.catalog_path)
    if args.json:
        records = [
            {
                "id": i.id,
                "masterplan": i.masterplan,
                "name": i.name,
                "short_name": i.short_name,
                "unit": i.unit,
                "level": i.level,
                "direction": i.direction,
                "aggregation": i.aggregation,
                "frequency": i.frequency,
                "per_capita": i.per_capita,
                "target_value": i.target.value if i.target else None,
                "target_year": i.target.year if i.target else None,
                "source": i.source,
                "definition": i.definition,
                "visibility": i.visibility,
                "peers": i.peers,
            }
            for i in catalog.indicators
        ]
        print(json.dumps(records, ensure_ascii=False, indent=2))
        return EXIT_OK
    for plan in catalog.masterplans:
        print(f"{plan.name}")
        for ind in catalog.by_masterplan(plan.id):
            level = "Bezirke" if ind.has_districts else "Gesamtstadt"
            print(f"  {ind.id:34} {ind.name} [{ind.unit}; {level}]")
    return EXIT_OK


def cmd_export(args: argparse.Namespace, settings: Settings) -> int:
    from dortmund_kpi.db.read import export_rows
    from dortmund_kpi.db.store import Store
    from dortmund_kpi.share.template_files import to_csv, to_xlsx

    if args.format == "xlsx" and not args.output:
        raise UsageError("XLSX braucht --output DATEI")
    with Store(settings.db_path).connect_read() as con:
        if args.measures:
            data, what = _measures_export(args, con)
        elif args.trends:
            data, what = _trends_export(args, con)
        else:
            frame = export_rows(con)
            data = to_xlsx(frame) if args.format == "xlsx" else to_csv(frame)
            what = f"{len(frame)} Werte"
    if args.output:
        Path(args.output).write_bytes(data)
        print(f"{what} exportiert: {args.output}", file=sys.stderr)
    else:
        sys.stdout.buffer.write(data)
    return EXIT_OK


def _measures_export(args: argparse.Namespace, con) -> tuple[bytes, str]:
    from dortmund_kpi.db.measures import measure_export_rows
    from dortmund_kpi.db.read import district_names
    from dortmund_kpi.share import measure_files

    frame = measure_export_rows(con)
    names = district_names(con)
    write = measure_files.to_xlsx if args.format == "xlsx" else measure_files.to_csv
    return write(frame, names), f"{len(frame)} Maßnahmen"


def _trends_export(args: argparse.Namespace, con) -> tuple[bytes, str]:
    from dortmund_kpi.db.trends import current_trends
    from dortmund_kpi.share import trend_files

    frame = current_trends(con)
    write = trend_files.to_xlsx if args.format == "xlsx" else trend_files.to_csv
    return write(frame), f"{len(frame)} Trends"


def cmd_geometry(args: argparse.Namespace, settings: Settings) -> int:
    from dortmund_kpi.geometry import install_official_geometry

    target = install_official_geometry(Path(args.file), settings)
    print(f"Amtliche Bezirksgeometrie übernommen: {target}")
    return EXIT_OK


# -- parser -------------------------------------------------------------------
# Options every command takes, before or after the command's name (``--db X import f.csv``
# and ``import f.csv --db X``). After the name they land under ``<dest>_after``: a
# subparser's defaults would otherwise overwrite the value given before the name.
AFTER = "_after"


def _common_options(parser: argparse.ArgumentParser, *, after: bool) -> None:
    parser.add_argument(
        "--db",
        type=path_text,
        dest="db" + (AFTER if after else ""),
        default=argparse.SUPPRESS if after else None,
        metavar="DATEI",
        help="Datenbankdatei (Standard: $DORTMUND_KPI_DB oder data/dortmund_kpi.duckdb)",
    )


def common_option_names() -> list[str]:
    """The destinations of the options every command takes (``db``)."""
    probe = GermanParser(add_help=False)
    _common_options(probe, after=False)
    return [action.dest for action in probe._actions]


def _merge_common(parser: argparse.ArgumentParser, args: argparse.Namespace) -> None:
    """One value per common option, wherever it was given; two different values: exit 2."""
    for dest in common_option_names():
        if not hasattr(args, dest + AFTER):
            continue
        before, after = getattr(args, dest), getattr(args, dest + AFTER)
        delattr(args, dest + AFTER)
        if before is not None and before != after:
            option = "--" + dest.replace("_", "-")
            parser.error(f"{option} zweimal mit verschiedenen Werten ({before!r}, {after!r})")
        setattr(args, dest, after)


def build_parser() -> argparse.ArgumentParser:
    parser = GermanParser(
        prog="dortmund-kpi",
        description="Kennzahlen der Digitalisierungsstrategie der Stadt Dortmund (DOgital).",
    )
    _common_options(parser, after=False)
    common = GermanParser(add_help=False)
    _common_options(common, after=True)
    sub = parser.add_subparsers(dest="command", required=True, metavar="BEFEHL")

    p = sub.add_parser("init", parents=[common], help="Datenbank anlegen")
    p.add_argument(
        "--demo",
        action=argparse.BooleanOptionalAction,
        default=True,
        help="Demodaten erzeugen (Standard: ja; klar als Demodaten markiert)",
    )
    p.add_argument("--force", action="store_true", help="vorhandene Datenbank ersetzen")
    p.set_defaults(handler=cmd_init)

    p = sub.add_parser("import", parents=[common], help="CSV/XLSX-Dateien importieren")
    p.add_argument("files", nargs="+", metavar="DATEI")
    p.add_argument("--dry-run", action="store_true", help="nur prüfen, nichts schreiben")
    p.add_argument("--user", metavar="NAME", help="Name im Importprotokoll (Standard: Anmeldename)")
    from dortmund_kpi.ops.official_import import add_options

    add_options(p)
    p.set_defaults(handler=cmd_import)

    p = sub.add_parser("template", parents=[common], help="Importvorlage (CSV) schreiben")
    p.add_argument("--output", "-o", metavar="DATEI", help="Zieldatei (Standard: Ausgabe)")
    p.add_argument("--measures", action="store_true", help="Vorlage für Maßnahmen")
    p.add_argument("--trends", action="store_true", help="Vorlage für Trends (Technologiescout)")
    p.set_defaults(handler=cmd_template)

    p = sub.add_parser("indicators", parents=[common], help="Indikatorenkatalog anzeigen")
    p.add_argument("--json", action="store_true", help="als JSON-Liste")
    p.set_defaults(handler=cmd_indicators)

    p = sub.add_parser("export", parents=[common], help="aktuelle Werte exportieren")
    p.add_argument("--format", choices=("csv", "xlsx"), default="csv")
    p.add_argument("--output", "-o", metavar="DATEI", help="Zieldatei (Standard: Ausgabe)")
    p.add_argument("--measures", action="store_true", help="Maßnahmen statt Werte exportieren")
    p.add_argument("--trends", action="store_true", help="Trends statt Werte exportieren")
    p.set_defaults(handler=cmd_export)

    p = sub.add_parser(
        "geometry",
        parents=[common],
        help="amtliche Stadtbezirksgrenzen (GeoJSON, Datensatz stadtbezirke-dortmund) übernehmen",
    )
    p.add_argument("file", metavar="GEOJSON")
    p.set_defaults(handler=cmd_geometry)

    p = sub.add_parser(
        "slides", parents=[common], help="Foliensatz (PPTX) aus Links zu Ansichten erzeugen"
    )
    p.add_argument("urls", nargs="+", metavar="URL", help="Link zu einer Ansicht (Permalink)")
    p.add_argument("--output", "-o", metavar="DATEI", required=True, help="Zieldatei (.pptx)")
    p.add_argument(
        "--vorlage",
        metavar="DATEI.pptx",
        help="Masterfolien der Stadt (PowerPoint-Vorlage, 16:9) für Hintergrund, Logo, Schrift",
    )
    p.add_argument(
        "--details",
        "--detailfolien",
        action="store_true",
        help="zur Folie je Ansicht (ihrer Kernaussage) eine Folie je Diagramm und Tabelle",
    )
    p.set_defaults(handler=cmd_slides)

    p = sub.add_parser("serve", parents=[common], help="Dashboard starten")
    p.add_argument("--port", type=whole_number, default=8501, help="Port (Standard: 8501)")
    p.add_argument(
        "--address", metavar="ADRESSE", help="Adresse, an die der Server bindet (Standard: alle)"
    )
    p.add_argument(
        "--oeffentlich",
        action="store_true",
        help="öffentlicher Modus: nur öffentliche Indikatoren, Maßnahmen und Trends, kein Upload",
    )
    p.add_argument(
        "--replicas",
        type=whole_number,
        metavar="N",
        help="N Dashboard-Prozesse auf PORT+1 … PORT+N hinter nginx auf PORT "
        "(Sitzungsbindung per Cookie, siehe docs/deployment.md)",
    )
    p.set_defaults(handler=cmd_serve)

    from dortmund_kpi.ops import backup as maintenance

    maintenance.register(sub, common)
    from dortmund_kpi.ops import inspect as inspection

    inspection.register(sub, common)
    return parser


def _known_errors() -> tuple[type[BaseException], ...]:
    from dortmund_kpi.catalog import CatalogError
    from dortmund_kpi.db.store import StoreError
    from dortmund_kpi.editors import EditorConfigError
    from dortmund_kpi.geometry import GeometryError
    from dortmund_kpi.share.template_files import TooManyRows

    return (CatalogError, StoreError, GeometryError, EditorConfigError, TooManyRows)


def main(argv: Sequence[str] | None = None) -> int:
    parser = build_parser()
    args = parser.parse_args(argv)  # exits with 2 on usage errors
    _merge_common(parser, args)
    from dortmund_kpi.ingest.issues import ImportFailed

    try:
        code = args.handler(args, get_settings(args.db))
        sys.stdout.flush()  # a closed pipe shows here, where it is handled, not at exit
        return code
    except ImportFailed as failed:
        for issue in failed.issues:
            print_err(str(issue))
        print_err(f"Abgebrochen: {failed.problems_text}, nichts wurde geschrieben.")
        return EXIT_DATA
    except UsageError as exc:
        print_err(f"dortmund-kpi: {exc}")
        return EXIT_USAGE
    except _known_errors() as exc:
        print_err(f"dortmund-kpi: {exc}")
        return EXIT_DATA
    except KeyboardInterrupt:
        print_err("Abgebrochen, nichts wurde geschrieben.")
        return 130
    except BrokenPipeError:
        return _reader_gone()
    except Exception as exc:
        if os.environ.get("DORTMUND_KPI_DEBUG"):
            raise
        print_err(
            f"dortmund-kpi: unerwarteter Fehler ({type(exc).__name__}: {exc}). "
            "Details mit DORTMUND_KPI_DEBUG=1."
        )
        return EXIT_DATA


def _reader_gone() -> int:
    """The reader of our output left (``dortmund-kpi indicators --json | head``): stop
    quietly, like a Unix tool ended by SIGPIPE (exit 128 + 13)."""
    try:  # the interpreter flushes stdout at exit: into nothing, not into the closed pipe
        devnull = os.open(os.devnull, os.O_WRONLY)
        os.dup2(devnull, sys.stdout.fileno())
    except (OSError, ValueError):
        pass
    return EXIT_BROKEN_PIPE


if __name__ == "__main__":
    sys.exit(main())
