"""Select the records of an official table that a ``Mapping`` makes values of an indicator.

``select`` keeps the records of Dortmund and its Stadtbezirke (only the city's for an
indicator without district values), picks the value column (``--spalte``), applies the
filters (``--filter``, all must match) and the period rule, and refuses, with file, line
and what to do, what cannot become exactly one value per area and period: a column or
filter that matches nothing, records that still differ in a dimension (listing the
dimensions and values, with ``--filter`` values to try), a period that does not fit the
indicator's frequency (with the ``--zeitraum`` that assigns it), an obvious unit mismatch
(only when the column's header states its unit).
"""

from __future__ import annotations

import re
import shlex
from dataclasses import dataclass, field

import pandas as pd

from dortmund_kpi import texts
from dortmund_kpi.catalog import Catalog, Indicator
from dortmund_kpi.db.peers import PEER_COLUMNS
from dortmund_kpi.districts import CITY
from dortmund_kpi.formatting import counted
from dortmund_kpi.ingest.issues import Issue
from dortmund_kpi.ingest.mapping import (
    FREQUENCY_KIND,
    FREQUENCY_NAME,
    Mapping,
    containing,
    fit_period,
    fold,
)
from dortmund_kpi.ingest.sources.model import Record, Table
from dortmund_kpi.ingest.sources.read import assign_period
from dortmund_kpi.periods import parse_period

SHOWN = 8
_TOTALS = ("insgesamt", "gesamt", "zusammen", "alle", "total")
_PERCENT = frozenset({"%", "prozent", "in %", "in prozent"})
_COUNTS = frozenset({"anzahl", "personen", "einwohner"})
_MONEY = frozenset({"eur", "euro", "tsd. eur", "tsd. euro", "1000 eur", "mio. eur", "mio. euro"})
_UNIT = re.compile(r"\(([^()]{1,40})\)\s*$")


@dataclass
class Selection:
    """The records of one mapping, one per area and period (``label``: the period stored)."""

    mapping: Mapping
    records: list[tuple[Record, str]] = field(default_factory=list)
    issues: list[Issue] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)
    own_periods: bool = True  # every record had its period in the file


def _issue(file: str, line: int, column: str, message: str) -> Issue:
    return Issue(file, line, column, message)


def _listed(values: list[str]) -> str:
    more = f" … (+{len(values) - SHOWN})" if len(values) > SHOWN else ""
    return ", ".join(values[:SHOWN]) + more


def _pick_column(records: list[Record], wanted: str | None) -> tuple[str | None, str | None]:
    """The value column ``--spalte`` names (an exact header wins over partial ones); the
    second item is why none could be chosen."""
    columns = list(dict.fromkeys(r.spalte for r in records))
    if wanted is None:
        return None, None
    key = fold(wanted)
    exact = [c for c in columns if fold(c) == key]
    found = exact or [c for c in columns if key in fold(c)]
    if len(found) == 1:
        return found[0], None
    shown = _listed([f"„{c}“" for c in columns]) or "keine"
    if not found:
        return None, f"--spalte {wanted!r} passt zu keiner Wertspalte (Wertspalten: {shown})"
    listed = _listed([f"„{c}“" for c in found])
    return None, f"--spalte {wanted!r} passt zu mehreren Wertspalten: {listed} (genauer angeben)"


def _matches(records: list[Record], text: str) -> list[Record]:
    """The records with a dimension value containing ``text``; in a dimension where a
    value equals it, only that value counts (``Insgesamt`` is not ``Insgesamt ohne …``)."""
    key = fold(text)
    allowed: dict[str, set[str]] = {}
    values: dict[str, set[str]] = {}
    for record in records:
        for name, value in record.merkmale.items():
            values.setdefault(name, set()).add(value)
    for name, seen in values.items():
        exact = {v for v in seen if fold(v) == key}
        allowed[name] = exact or {v for v in seen if key in fold(v)}
    return [r for r in records if any(v in allowed[n] for n, v in r.merkmale.items())]


def _suggestion(values: list[str]) -> str:
    total = next((v for v in values if any(t in fold(v) for t in _TOTALS)), values[0])
    return f"--filter {shlex.quote(total)}"


def _period_hint(label: str, frequency: str) -> str:
    period = parse_period(label) if label else None
    kind = FREQUENCY_KIND.get(frequency, "Y")
    outer = containing(period, kind) if period else None
    return f"--zeitraum {outer.label}" if outer else "--zeitraum mit dem Zeitraum der Werte"


class _Refused(Exception):
    def __init__(self, issues: list[Issue]) -> None:
        super().__init__("refused")
        self.issues = issues


def select(table: Table, mapping: Mapping, indicator: Indicator, file: str) -> Selection:
    """The records ``mapping`` makes values of ``indicator``; problems in ``issues``."""
    selection = Selection(mapping)
    try:
        _select(table, mapping, indicator, file, selection)
    except _Refused as refused:
        selection.records = []
        selection.issues = refused.issues
    return selection


def _select(
    table: Table, mapping: Mapping, indicator: Indicator, file: str, selection: Selection
) -> None:
    ours = table.dortmund()
    if not ours:
        regions = len({(gebiet, key) for gebiet, key, _ in table.places()})
        raise _Refused(
            [
                _issue(
                    file,
                    1,
                    "gebiet",
                    f"keine Datensätze für Dortmund oder seine Stadtbezirke ({regions} andere "
                    f"Gebiete erkannt; siehe dortmund-kpi inspect {file} --alle)",
                )
            ]
        )
    if not indicator.has_districts and any(r.bezirk != CITY for r in ours):
        dropped = sum(r.bezirk != CITY for r in ours)
        ours = [r for r in ours if r.bezirk == CITY]
        selection.notes.append(
            f"{counted(dropped, *texts.RECORDS)} der Stadtbezirke übergangen: "
            f"{indicator.id} hat nur "
            "gesamtstädtische Werte"
        )
        if not ours:
            raise _Refused(
                [_issue(file, 1, "gebiet", f"keine Datensätze der Gesamtstadt für {indicator.id}")]
            )
    column, why = _pick_column(ours, mapping.spalte)
    if why:
        raise _Refused([_issue(file, ours[0].line, "spalte", why)])
    if column is not None:
        ours = [r for r in ours if r.spalte == column]
    for text in mapping.filters:
        kept = _matches(ours, text)
        if not kept:
            dims = "; ".join(
                f"{name}: {_listed(values)}" for name, values in _dimensions(ours).items()
            )
            raise _Refused(
                [
                    _issue(
                        file,
                        ours[0].line,
                        "filter",
                        f"--filter {text!r} trifft keinen Datensatz von Dortmund "
                        f"(Merkmale: {dims or 'keine'})",
                    )
                ]
            )
        ours = kept
    _check_unit(ours, indicator, file)
    selection.own_periods = all(r.zeitraum for r in ours)
    labelled = _periods(ours, mapping, indicator, file)
    _refuse_ambiguous(labelled, file)
    selection.records = labelled


def _dimensions(records: list[Record]) -> dict[str, list[str]]:
    found: dict[str, dict[str, None]] = {}
    for record in records:
        for name, value in record.merkmale.items():
            found.setdefault(name, {})[value] = None
    return {name: list(values) for name, values in found.items()}


def _unit_of(column: str) -> str | None:
    found = _UNIT.search(column or "")
    return fold(found.group(1)) if found else None


def _check_unit(records: list[Record], indicator: Indicator, file: str) -> None:
    """Refuse only what is certain: the column states its unit (``… (Prozent)``,
    ``… (Anzahl)``) and a %-indicator gets counts, or another indicator percentages."""
    wants_percent = indicator.unit.strip() == "%"
    for column in dict.fromkeys(r.spalte for r in records):
        unit = _unit_of(column)
        if unit is None:
            continue
        if wants_percent and unit not in _COUNTS | _MONEY:
            continue
        if not wants_percent and unit not in _PERCENT:
            continue
        line = next(r.line for r in records if r.spalte == column)
        raise _Refused(
            [
                _issue(
                    file,
                    line,
                    "spalte",
                    f"Einheit passt nicht: die Spalte „{column}“ nennt die Einheit „{unit}“, "
                    f"{indicator.id} wird in „{indicator.unit}“ geführt (erkannt an der "
                    "Einheit in der Kopfzeile; andere Spalte mit --spalte wählen)",
                )
            ]
        )


def _periods(
    records: list[Record], mapping: Mapping, indicator: Indicator, file: str
) -> list[tuple[Record, str]]:
    frequency = indicator.frequency
    if mapping.zeitraum is not None:
        found = sorted({r.zeitraum for r in records if r.zeitraum})
        inner = assign_period(Table("", "", None, records=records), mapping.zeitraum).records
        if not inner:
            listed = _listed(found) or "keiner"
            raise _Refused(
                [
                    _issue(
                        file,
                        records[0].line,
                        "zeitraum",
                        f"keine Datensätze im Zeitraum {mapping.zeitraum.label} "
                        f"(Zeiträume der Datei: {listed})",
                    )
                ]
            )
        records = inner
    rule = mapping.rule if mapping.zeitraum is None else None
    labelled, issues, seen = [], [], set()
    for record in records:
        label = fit_period(record.zeitraum, frequency, rule)
        if label is not None:
            labelled.append((record, label))
            continue
        if record.zeitraum in seen:
            continue
        seen.add(record.zeitraum)
        issues.append(_period_issue(record, frequency, mapping, file))
    if issues:
        raise _Refused(issues)
    return labelled


def _period_issue(record: Record, frequency: str, mapping: Mapping, file: str) -> Issue:
    name = FREQUENCY_NAME.get(frequency, frequency)
    if not record.zeitraum:
        text = "die Datei nennt keinen Zeitraum: mit --zeitraum angeben (z. B. --zeitraum 2023)"
    elif mapping.zeitraum is not None:
        text = (
            f"--zeitraum {mapping.zeitraum.label} passt nicht zur Häufigkeit des Indikators "
            f"({name}): einen Zeitraum dieser Art angeben"
        )
    else:
        kind = f" ({record.zeitart})" if record.zeitart else ""
        text = (
            f"Zeitraum {record.zeitraum}{kind} passt nicht zur Häufigkeit des Indikators "
            f"{mapping.indicator} ({name}); mit {_period_hint(record.zeitraum, frequency)} "
            "zuordnen"
        )
    return _issue(file, record.line, "zeitraum", text)


def _refuse_ambiguous(labelled: list[tuple[Record, str]], file: str) -> None:
    groups: dict[tuple[str, str], list[Record]] = {}
    for record, label in labelled:
        groups.setdefault((record.bezirk or "", label), []).append(record)
    issues: dict[str, tuple[Issue, int]] = {}
    for (_, label), records in groups.items():
        if len(records) < 2:
            continue
        differ, hints = [], []
        for name in _dimensions(records):
            values = list(dict.fromkeys(r.merkmale.get(name, "") for r in records))
            if len(values) > 1:
                differ.append(f"{name}: {_listed([v or '(ohne)' for v in values])}")
                hints.append(_suggestion([v for v in values if v]))
        columns = list(dict.fromkeys(r.spalte for r in records))
        if len(columns) > 1:
            differ.append("Wertspalte: " + _listed([f"„{c}“" for c in columns]))
            hints.append(f"--spalte {shlex.quote(columns[0])}")
        periods = list(dict.fromkeys(r.zeitraum for r in records))
        if not differ and len(periods) > 1:
            differ.append("Zeitraum in der Datei: " + _listed(periods))
            hints.append(f"--zeitraum {periods[-1]}")
        what = "; ".join(differ) or "nichts (doppelte Zeilen)"
        hint = f" (z. B. {' '.join(dict.fromkeys(hints))})" if hints else ""
        key = what
        if key in issues:
            issues[key] = (issues[key][0], issues[key][1] + 1)
            continue
        message = (
            f"{records[0].gebiet} {label}: {len(records)} Datensätze nach Spalte und Filtern, "
            f"sie unterscheiden sich in {what}; mit --filter oder --spalte einen "
            f"auswählen{hint}"
        )
        issues[key] = (_issue(file, records[0].line, "filter", message), 1)
    if issues:
        found = []
        for issue, count in issues.values():
            more = f" (ebenso {count - 1} weitere Gebiete/Zeiträume)" if count > 1 else ""
            found.append(Issue(issue.file, issue.line, issue.column, issue.message + more))
        raise _Refused(found)


def select_peers(
    table: Table, selection: Selection, indicator: Indicator
) -> list[tuple[str, str, float]]:
    """The same mapping applied to every other region with an official key: (key, period,
    value) of the records with the chosen value column, filters and period rule. A region
    whose records stay ambiguous, or lie outside the indicator's periods, is left out:
    peers never stop an import of Dortmund's values."""
    if not selection.records:
        return []
    mapping = selection.mapping
    columns = {record.spalte for record, _ in selection.records}
    others = [
        r
        for r in table.records
        if r.bezirk is None and r.schluessel and r.wert is not None and r.spalte in columns
    ]
    for text in mapping.filters:
        others = _matches(others, text) if others else []
    if mapping.zeitraum is not None:
        others = assign_period(Table("", "", None, records=others), mapping.zeitraum).records
    rule = mapping.rule if mapping.zeitraum is None else None
    found: dict[tuple[str, str], list[float]] = {}
    for record in others:
        label = fit_period(record.zeitraum, indicator.frequency, rule)
        if label is not None and record.wert is not None:
            found.setdefault((str(record.schluessel), label), []).append(float(record.wert))
    return [(key, label, vals[0]) for (key, label), vals in found.items() if len(vals) == 1]


def peer_frame(
    table: Table, selections: list[Selection], catalog: Catalog, source: str
) -> pd.DataFrame:
    """The values of other regions that the mappings select (columns of
    ``db.peers.PEER_COLUMNS``), for indicators whose catalog entry says they compare."""
    rows = []
    for selection in selections:
        indicator = catalog.indicator(selection.mapping.indicator)
        if indicator.peers == "none":
            continue
        for key, period, value in select_peers(table, selection, indicator):
            rows.append((indicator.id, key, period, value, source, True))
    return pd.DataFrame(rows, columns=list(PEER_COLUMNS))


def peer_note(peers: pd.DataFrame) -> list[str]:
    """What the import says about the other regions' values it keeps."""
    if peers.empty:
        return []
    regions = peers["ags"].nunique()
    return [f"{len(peers)} Werte von {regions} weiteren Gebieten als Vergleichswerte übernommen"]
