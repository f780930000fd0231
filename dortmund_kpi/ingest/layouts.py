"""The import layouts: the one declaration of the columns an import file has.

Observations: the header ``indikator;bezirk;zeitraum;wert`` plus the optional
columns ``anmerkung``, ``quelle`` and ``datenart``. Measures (Maßnahmen): the
header of ``dortmund-kpi template --measures``; trends: that of ``template --trends``.
A file is of the layout whose columns its header matches most. The CSV and
XLSX readers both judge their header row here, so a header means the same in
either format.
"""

from __future__ import annotations

from dataclasses import dataclass

from dortmund_kpi.ingest.issues import Issue

REQUIRED = ("indikator", "bezirk", "zeitraum", "wert")
OPTIONAL = ("anmerkung", "quelle", "datenart")
COLUMNS = REQUIRED + OPTIONAL
HEADER_HINT = "indikator;bezirk;zeitraum;wert[;anmerkung;quelle;datenart]"
HEADER_ALIASES = {
    "indicator": "indikator",
    "kennzahl": "indikator",
    "indikator_id": "indikator",
    "stadtbezirk": "bezirk",
    "district": "bezirk",
    "period": "zeitraum",
    "periode": "zeitraum",
    "value": "wert",
    "bemerkung": "anmerkung",
    "note": "anmerkung",
    "hinweis": "anmerkung",
    "source": "quelle",
}


@dataclass(frozen=True)
class Layout:
    """The columns of one kind of import file."""

    kind: str
    required: tuple[str, ...]
    optional: tuple[str, ...]
    aliases: dict[str, str]
    hint: str
    value_column: str | None = None  # spreadsheet number cells are kept for this column

    @property
    def columns(self) -> tuple[str, ...]:
        return self.required + self.optional


OBSERVATIONS = Layout("observations", REQUIRED, OPTIONAL, HEADER_ALIASES, HEADER_HINT, "wert")
MEASURE_REQUIRED = ("id", "masterplan", "titel", "verantwortlich", "beginn", "frist", "status")
MEASURE_REQUIRED += ("statusdatum", "indikatoren")
MEASURE_OPTIONAL = ("beschreibung", "bezirke", "budget_eur", "datenart", "sichtbarkeit")
MEASURES = Layout(
    "measures",
    MEASURE_REQUIRED,
    MEASURE_OPTIONAL,
    {
        "massnahme": "id",
        "maßnahme": "id",
        "massnahme_id": "id",
        "title": "titel",
        "description": "beschreibung",
        "owner": "verantwortlich",
        "verantwortung": "verantwortlich",
        "start": "beginn",
        "deadline": "frist",
        "stand": "statusdatum",
        "status_datum": "statusdatum",
        "letzte_aktualisierung": "statusdatum",
        "indikator": "indikatoren",
        "indicators": "indikatoren",
        "bezirk": "bezirke",
        "districts": "bezirke",
        "budget": "budget_eur",
    },
    ";".join(MEASURE_REQUIRED) + "[;" + ";".join(MEASURE_OPTIONAL) + "]",
    "budget_eur",
)
TREND_REQUIRED = ("id", "name", "feld", "ring", "bewertet_am", "begruendung", "verantwortlich")
TREND_OPTIONAL = ("beschreibung", "masterplaene", "massnahmen", "indikatoren", "quellen")
TREND_OPTIONAL += ("sichtbarkeit", "datenart")
TRENDS = Layout(
    "trends",
    TREND_REQUIRED,
    TREND_OPTIONAL,
    {
        "trend": "id",
        "trend_id": "id",
        "titel": "name",
        "bereich": "feld",
        "bewertet": "bewertet_am",
        "bewertet am": "bewertet_am",
        "bewertungsdatum": "bewertet_am",
        "begründung": "begruendung",
        "grund": "begruendung",
        "owner": "verantwortlich",
        "masterpläne": "masterplaene",
        "maßnahmen": "massnahmen",
        "pilote": "massnahmen",
        "indikator": "indikatoren",
        "quelle": "quellen",
        "visibility": "sichtbarkeit",
    },
    ";".join(TREND_REQUIRED) + "[;" + ";".join(TREND_OPTIONAL) + "]",
)
MAX_COLUMNS = 50  # header cells looked at: a wider CSV header is refused, an XLSX row cut


def _header_key(cell: object) -> str:
    return str(cell or "").strip().strip('"').lstrip("\ufeff").strip().lower()


def _score(layout: Layout, cells: list[str]) -> int:
    """How many of a layout's columns a header names (aliases count)."""
    keys = {_header_key(cell) for cell in cells}
    return len({layout.aliases.get(k, k) for k in keys} & set(layout.columns))


def detect_layout(cells: list[str]) -> Layout:
    """The layout whose columns the header matches best; observations on a tie (so an
    observations file with one stray column is still judged as one), then measures."""
    return max((OBSERVATIONS, MEASURES, TRENDS), key=lambda layout: _score(layout, cells))


def meant_as_template(cells: list[str]) -> bool:
    """A header naming at least two template columns is a template file, even a broken
    one: its import says which column is missing, rather than reading it as some other
    kind of table."""
    return _score(detect_layout(cells), cells) >= 2


def header_columns(
    cells: list[str], name: str, layout: Layout = OBSERVATIONS
) -> tuple[dict[str, int], list[Issue]]:
    """Map template column names to their positions; report missing or unknown columns."""
    positions: dict[str, int] = {}
    issues: list[Issue] = []
    for pos, cell in enumerate(cells):
        key = _header_key(cell)
        key = layout.aliases.get(key, key)
        if not key:
            continue
        if key not in layout.columns:
            issues.append(
                Issue(
                    name, 1, "kopfzeile", f"unbekannte Spalte '{key[:40]}' (erwartet {layout.hint})"
                )
            )
        elif key in positions:
            issues.append(Issue(name, 1, "kopfzeile", f"Spalte '{key}' doppelt"))
        else:
            positions[key] = pos
    for key in layout.required:
        if key not in positions and not issues:
            issues.append(
                Issue(name, 1, "kopfzeile", f"Spalte '{key}' fehlt (erwartet {layout.hint})")
            )
    return positions, issues
