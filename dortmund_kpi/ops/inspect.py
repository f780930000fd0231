"""``dortmund-kpi inspect FILE [--zeitraum P] [--alle] [--json]``: what the product
recognises in a published statistics table, before anything is imported.

Prints the layout, publisher and licence, the regions, periods, dimensions with their
values and the value columns, the cells without a value (first 20 with line and reason)
and the records of Dortmund and its Stadtbezirke (``--alle``: of every region).
``--json`` prints ``{"layout": str, "records": [{"gebiet", "schluessel", "zeitraum",
"merkmale", "wert", ...}]}``. ``--zeitraum`` supplies the period a file names only in
its title or file name (and selects it in a file with several). A file that is not a
recognised official table gets one German line saying what was expected, exit code 1.
Nothing is written; the database is not opened.
"""

from __future__ import annotations

import argparse
import json
import sys
from collections.abc import Sequence
from pathlib import Path

from dortmund_kpi import texts
from dortmund_kpi.formatting import counted, number, number_text
from dortmund_kpi.ingest.issues import visible
from dortmund_kpi.ingest.sources.model import Record, SourceError, Table
from dortmund_kpi.ingest.sources.read import assign_period, parse_assigned, read_source
from dortmund_kpi.settings import Settings

EXIT_OK, EXIT_DATA, EXIT_USAGE = 0, 1, 2
SHOWN_SKIPPED = 20
SHOWN_VALUES = 12


def register(
    subparsers: argparse._SubParsersAction[argparse.ArgumentParser],
    common_parent: argparse.ArgumentParser,
) -> None:
    """Add ``inspect`` to the ``dortmund-kpi`` parser."""
    p = subparsers.add_parser(
        "inspect",
        parents=[common_parent],
        help=(
            "amtliche Tabelle ansehen (GENESIS-Tabelle oder -Flatfile, Excel, breite Tabelle, "
            "Open-Data-Export): was erkannt wird"
        ),
    )
    p.add_argument("file", metavar="DATEI")
    p.add_argument(
        "--zeitraum", metavar="P", help="Zeitraum, wenn die Datei ihn nur im Titel oder Namen nennt"
    )
    p.add_argument("--alle", action="store_true", help="alle Gebiete, nicht nur Dortmund")
    p.add_argument("--json", action="store_true", help="Datensätze als JSON")
    p.set_defaults(handler=cmd_inspect)


def cmd_inspect(args: argparse.Namespace, settings: Settings) -> int:
    when = None
    if args.zeitraum is not None:
        when = parse_assigned(args.zeitraum)
        if when is None:
            print(
                f"dortmund-kpi: --zeitraum {visible(args.zeitraum)!s} ist kein Zeitraum "
                "(erwartet z. B. 2023, 2023-Q2, 2023-05, 31.12.2023, 2018/19)",
                file=sys.stderr,
            )
            return EXIT_USAGE
    try:
        table = read_source(Path(args.file), settings.data_dir, settings.max_import_bytes)
    except SourceError as exc:
        print(str(exc), file=sys.stderr)
        return EXIT_DATA
    if when is not None:
        found = table.periods
        table = assign_period(table, when)
        if not table.records:
            listed = ", ".join(found[:5]) or "keiner"
            print(
                f"{visible(args.file)}: keine Datensätze im Zeitraum {when.label} "
                f"(Zeiträume der Datei: {visible(listed)})",
                file=sys.stderr,
            )
            return EXIT_DATA
    shown = table.records if args.alle else table.dortmund()
    if not _named_regions(table):
        shown = table.records  # the file names no region: every record is shown
    if args.json:
        payload = {
            "layout": table.layout,
            "quelle": table.source,
            "lizenz": table.licence,
            "records": [r.as_json() for r in shown],
            "uebersprungen": [{"zeile": line, "grund": why} for line, why in table.skipped],
        }
        print(json.dumps(payload, ensure_ascii=False, indent=2))
        return EXIT_OK
    sys.stdout.write(summary(args.file, table, shown, args.alle))
    return EXIT_OK


def _values(values: list[str]) -> str:
    more = f" … (+{len(values) - SHOWN_VALUES})" if len(values) > SHOWN_VALUES else ""
    return ", ".join(values[:SHOWN_VALUES]) + more


def _named_regions(table: Table) -> bool:
    return any(gebiet or key for gebiet, key, _ in table.places())


def _regions(table: Table) -> str:
    if not _named_regions(table):
        return "keine in der Datei"
    places = table.places()
    ours = {bezirk for _, _, bezirk in places if bezirk}
    others = {(gebiet, key) for gebiet, key, bezirk in places if bezirk is None}
    city_text = "Dortmund erkannt" if "dortmund" in ours else "Dortmund nicht enthalten"
    districts = len(ours - {"dortmund"})
    total = len(ours) + len(others)
    return f"{total} ({city_text}, {districts} Stadtbezirke, {len(others)} weitere)"


def _periods(table: Table) -> str:
    kinds = table.period_kinds()
    if not kinds or set(kinds) == {""}:
        return "keiner in der Datei: mit --zeitraum angeben (z. B. --zeitraum 2023)"
    texts = [f"{p} ({kinds[p]})" if kinds[p] else p for p in sorted(kinds) if p]
    return _values(texts)


def _record_line(record: Record) -> str:
    wert = number_text(record.wert) if record.wert is not None else "–"
    if record.zeichen:
        wert = f"{wert} [{record.zeichen}]"
    attrs = ", ".join(f"{k}: {v}" for k, v in record.merkmale.items())
    key = record.schluessel or "–"
    parts = [f"  Zeile {record.line:>6}", record.gebiet, key, record.zeitraum or "–", wert]
    parts += [text for text in (record.spalte, attrs) if text]
    return " | ".join(parts)


def summary(file: str, table: Table, shown: Sequence[Record], every: bool) -> str:
    """The German text ``inspect`` prints (file content made visible, never raw)."""
    lines = [
        f"Datei:       {file}",
        f"Layout:      {table.layout}",
        f"Quelle:      {table.source}",
        f"Lizenz:      {table.licence or 'in der Datei nicht angegeben'}",
        f"Gebiete:     {_regions(table)}",
        f"Zeiträume:   {_periods(table)}",
    ]
    dims = table.dimensions()
    lines.append("Merkmale:    " + ("keine" if not dims else f"{len(dims)}"))
    lines += [f"  {name}: {_values(values)}" for name, values in dims.items()]
    lines.append(f"Wertspalten: {len(table.columns)}")
    lines += [f"  {column}" for column in table.columns[:SHOWN_VALUES]]
    with_value = table.with_value()
    lines.append(
        f"Werte:       {number(with_value)} mit Zahlenwert, "
        f"{counted(len(table.skipped), *texts.CELLS)} ohne Wert"
    )
    for line, why in table.skipped[:SHOWN_SKIPPED]:
        lines.append(f"  {file}:{line}: {why}")
    if len(table.skipped) > SHOWN_SKIPPED:
        lines.append(f"  … und {len(table.skipped) - SHOWN_SKIPPED} weitere")
    scope = "alle Gebiete" if every else "Dortmund und Stadtbezirke; --alle: alle Gebiete"
    lines.append(f"Datensätze ({scope}): {len(shown)}")
    lines += [_record_line(r) for r in shown]
    return "\n".join(visible(line) for line in lines) + "\n"
