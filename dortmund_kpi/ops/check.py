"""``dortmund-kpi check``: the consistency checks of the published database (schema
version, referential integrity, revision history, finite values within the catalog
bounds, measures, trends), worded as findings with an exit code.

What is checked and how it is worded lives here; each check's query is in
``db.checks`` (one row per problem).
"""

from __future__ import annotations

import argparse
from dataclasses import dataclass

import duckdb

from dortmund_kpi.db import checks, materialise
from dortmund_kpi.db.schema import LATEST_VERSION, schema_version
from dortmund_kpi.db.store import Store, first_line
from dortmund_kpi.settings import Settings

EXAMPLES = 5


def cmd_check(args: argparse.Namespace, settings: Settings) -> int:
    store = Store(settings.db_path)
    with store.read_published() as (con, file):
        findings = run_checks(con)
    print(f"Prüfung der Datenbank {settings.db_path} (Version {file.name})")
    for finding in findings:
        print(f"  {finding}")
    failed = [f for f in findings if not f.ok]
    if failed:
        print(f"Ergebnis: {len(failed)} von {len(findings)} Prüfungen mit Fehlern.")
        return 1
    print(f"Ergebnis: in Ordnung ({len(findings)} Prüfungen).")
    return 0


@dataclass(frozen=True)
class Finding:
    name: str
    problems: int = 0
    examples: tuple[str, ...] = ()
    detail: str = ""

    @property
    def ok(self) -> bool:
        return self.problems == 0

    def __str__(self) -> str:
        if self.ok:
            return f"ok      {self.name}"
        more = f" (z. B. {'; '.join(self.examples)})" if self.examples else ""
        return f"FEHLER  {self.name}: {self.detail}{more}"


@dataclass(frozen=True)
class Check:
    name: str
    detail: str  # {n} = number of problems
    query: str  # key of its query in dortmund_kpi.db.checks (one row per problem)


CHECKS: tuple[Check, ...] = (
    Check(
        "jeder Wert gehört zu einem Indikator des Katalogs",
        "{n} Zeile(n) mit unbekanntem Indikator",
        "unknown_indicator",
    ),
    Check(
        "jedes Gebiet ist 'dortmund' oder ein Stadtbezirk",
        "{n} Zeile(n) mit unbekanntem Gebiet",
        "unknown_area",
    ),
    Check(
        "gesamtstädtische Indikatoren nur für 'dortmund'",
        "{n} Zeile(n) eines gesamtstädtischen Indikators für einen Stadtbezirk",
        "city_indicator_in_district",
    ),
    Check(
        "jede Zeile stammt aus einem protokollierten Import",
        "{n} Zeile(n) mit import_id ohne Eintrag im Importprotokoll",
        "unlogged_import",
    ),
    Check(
        "jeder Indikator gehört zu einem Masterplan",
        "{n} Indikator(en) mit unbekanntem Masterplan",
        "unknown_masterplan",
    ),
    Check(
        "höchstens ein aktueller Wert je Indikator, Gebiet und Zeitraum",
        "{n} Schlüssel mit mehreren aktuellen Werten",
        "several_current_values",
    ),
    Check(
        "Gültigkeit: valid_from liegt vor valid_to",
        "{n} Revision(en) mit valid_to nicht nach valid_from",
        "validity_reversed",
    ),
    Check(
        "Revisionen eines Schlüssels überschneiden sich nicht",
        "{n} Paar(e) sich überschneidender Gültigkeitszeiträume",
        "overlapping_revisions",
    ),
    Check(
        "alle Werte sind endliche Zahlen",
        "{n} Zeile(n) mit NaN oder unendlichem Wert",
        "non_finite_value",
    ),
    Check(
        "aktuelle Werte liegen im zulässigen Bereich des Katalogs",
        "{n} Wert(e) außerhalb des zulässigen Bereichs",
        "value_out_of_bounds",
    ),
    Check(
        "Zeiträume sind gültig (Art Y/Q/M/D, Beginn nicht nach Ende)",
        "{n} Zeile(n) mit ungültigem Zeitraum",
        "invalid_period",
    ),
)


MEASURE_CHECKS: tuple[Check, ...] = (
    Check(
        "jede Maßnahme nennt nur Indikatoren des Katalogs",
        "{n} Verknüpfung(en) mit unbekanntem Indikator",
        "measure_unknown_indicator",
    ),
    Check(
        "jede Maßnahme nennt nur bekannte Stadtbezirke",
        "{n} Verknüpfung(en) mit unbekanntem Stadtbezirk",
        "measure_unknown_district",
    ),
    Check(
        "jede Maßnahme gehört zu einem Masterplan, Frist nicht vor Beginn",
        "{n} Maßnahme(n) mit unbekanntem Masterplan oder Frist vor Beginn",
        "measure_masterplan_or_deadline",
    ),
    Check(
        "höchstens ein aktueller Stand je Maßnahme, Verlauf lückenlos datiert",
        "{n} Maßnahme(n) mit mehreren aktuellen Ständen oder valid_to nicht nach valid_from",
        "measure_history",
    ),
    Check(
        "jeder Maßnahmenstand stammt aus einem protokollierten Import",
        "{n} Stand/Stände mit import_id ohne Eintrag im Importprotokoll",
        "measure_unlogged_import",
    ),
)
CHECKS += MEASURE_CHECKS

TREND_CHECKS: tuple[Check, ...] = (
    Check(
        "jeder Trend nennt nur bekannte Indikatoren, Maßnahmen und Masterpläne",
        "{n} Verknüpfung(en) mit unbekanntem Ziel",
        "trend_unknown_link",
    ),
    Check(
        "jeder Trend hat einen gültigen Ring, ein gültiges Feld und eine Sichtbarkeit",
        "{n} Trend(s) mit unbekanntem Ring, Feld oder unbekannter Sichtbarkeit",
        "trend_values",
    ),
    Check(
        "höchstens ein aktueller Stand je Trend, Verlauf lückenlos datiert",
        "{n} Trend(s) mit mehreren aktuellen Ständen oder valid_to nicht nach valid_from",
        "trend_history",
    ),
    Check(
        "jeder Trendstand stammt aus einem protokollierten Import",
        "{n} Stand/Stände mit import_id ohne Eintrag im Importprotokoll",
        "trend_unlogged_import",
    ),
)
CHECKS += TREND_CHECKS


def run_checks(con: duckdb.DuckDBPyConnection) -> list[Finding]:
    """Every check on an open database; a check that cannot run is a finding too."""
    findings = [_schema_finding(con)]
    for check in CHECKS:
        findings.append(_run_check(con, check))
    findings.append(_aggregates_finding(con))
    return findings


AGGREGATES = "vorberechnete Kennzahlen entsprechen den gespeicherten Werten"


def _aggregates_finding(con: duckdb.DuckDBPyConnection) -> Finding:
    """The aggregates published with the version (``db.materialise``) against the same
    statements computed live: a file changed outside ``dortmund-kpi`` shows here."""
    try:
        stale = materialise.stale(con)
    except duckdb.Error as exc:
        return Finding(AGGREGATES, 1, (), f"Prüfung nicht möglich ({first_line(exc)})")
    detail = (
        f"{count_text(len(stale))} Tabelle(n) passen nicht zu den Werten; die nächste "
        "Version (etwa der nächste Import) berechnet sie neu"
    )
    return Finding(AGGREGATES, len(stale), tuple(stale), detail)


def _schema_finding(con: duckdb.DuckDBPyConnection) -> Finding:
    name = f"Schema-Version {LATEST_VERSION} (aktuell)"
    try:
        version = schema_version(con)
    except duckdb.Error as exc:
        return Finding(name, 1, (), f"nicht lesbar ({first_line(exc)})")
    if version == LATEST_VERSION:
        return Finding(name)
    return Finding(name, 1, (), f"Datenbank hat Schema-Version {version}")


def _run_check(con: duckdb.DuckDBPyConnection, check: Check) -> Finding:
    try:
        found = checks.problems(con, check.query, examples=EXAMPLES)
    except duckdb.Error as exc:
        return Finding(check.name, 1, (), f"Prüfung nicht möglich ({first_line(exc)})")
    return Finding(
        check.name, found.count, found.examples, check.detail.format(n=count_text(found.count))
    )


def count_text(value: int) -> str:
    return f"{value:,}".replace(",", ".")
