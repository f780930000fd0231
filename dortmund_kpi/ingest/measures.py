"""Validate the rows of measures files against the catalog and the district table.

Measures files are short (dozens of rows), so rows are checked one by one;
every problem becomes an Issue with file, line and column, like observations.
"""

from __future__ import annotations

import difflib
import re
from dataclasses import dataclass
from datetime import date, datetime

import pandas as pd

from dortmund_kpi.districts import CITY
from dortmund_kpi.ingest.issues import Issue
from dortmund_kpi.ingest.observations import KIND_OFFICIAL, MAX_TEXT, Context, _unescape_text
from dortmund_kpi.measures import STATUSES, normalise_status, split_list
from dortmund_kpi.trends import INTERNAL, VISIBILITIES, normalise_visibility

ID_RE = re.compile(r"^[a-z0-9][a-z0-9_-]{0,39}$")
MAX_TITLE = 200
DATE_FORMATS = ("%d.%m.%Y", "%Y-%m-%d", "%Y-%m-%d %H:%M:%S")
DATE_HINT = "TT.MM.JJJJ, z. B. 31.12.2025"
DATE_SHAPE = re.compile(r"^\s*(\d{1,2}\.\d{1,2}\.\d{4}|\d{4}-\d{2}-\d{2})\s*$")
MAX_NAMED = 20  # list cells: at most this many items, and as many problems named
COLUMNS = [
    "id",
    "masterplan",
    "title",
    "description",
    "owner",
    "start_date",
    "deadline",
    "status",
    "status_date",
    "indicators",
    "districts",
    "budget_eur",
    "is_official",
    "visibility",
    "keep",
    "file",
    "line",
]
ISSUE_ORDER = [
    "id",
    "masterplan",
    "titel",
    "beschreibung",
    "verantwortlich",
    "beginn",
    "frist",
    "status",
    "statusdatum",
    "indikatoren",
    "bezirke",
    "budget_eur",
    "datenart",
    "sichtbarkeit",
]


@dataclass
class ValidatedMeasures:
    measures: pd.DataFrame
    issues: list[Issue]


def parse_date(text: str) -> date | None:
    value = str(text).strip()
    for fmt in DATE_FORMATS:
        try:
            return datetime.strptime(value, fmt).date()
        except ValueError:
            pass
    return None


class _Row:
    """Checks of one row; collects its issues."""

    def __init__(self, cells: dict[str, str], file: str, line: int, ctx: Context) -> None:
        self.cells, self.file, self.line, self.ctx = cells, file, line, ctx
        self.issues: list[Issue] = []

    def fail(self, column: str, message: str) -> None:
        self.issues.append(Issue(self.file, self.line, column, message))

    def text(self, column: str, *, required: bool, limit: int) -> str:
        value = self.cells[column]
        if required and not value:
            self.fail(column, "fehlt (Pflichtfeld)")
        elif len(value) > limit:
            self.fail(column, f"Text zu lang ({len(value)} Zeichen, erwartet höchstens {limit})")
        return value

    def identifier(self) -> str:
        value = self.cells["id"].lower()
        if not ID_RE.match(value):
            shown = self.cells["id"][:40]
            self.fail(
                "id",
                f"ungültige Kennung '{shown}' (erwartet a-z, 0-9, _ oder -, höchstens 40 "
                "Zeichen, z. B. v01_serviceportal)"
                if shown
                else "fehlt (Pflichtfeld, z. B. v01_serviceportal)",
            )
        return value

    def masterplan(self) -> str:
        plans = {p.id: p.id for p in self.ctx.catalog.masterplans}
        aliases = plans | {p.short_name.lower(): p.id for p in self.ctx.catalog.masterplans}
        raw = self.cells["masterplan"]
        value = aliases.get(raw.lower())
        if value is None:
            self.fail(
                "masterplan",
                f"unbekannter Masterplan '{raw[:40]}' (erwartet: {', '.join(plans.values())})",
            )
        return value or ""

    def day(self, column: str, *, not_after: date | None = None) -> date | None:
        raw = self.cells[column]
        value = parse_date(raw)
        if value is None and DATE_SHAPE.match(raw):
            self.fail(column, f"Datum '{raw.strip()}' gibt es nicht (erwartet ein Kalenderdatum)")
        elif value is None:
            self.fail(column, f"ungültiges Datum '{raw[:40]}' (erwartet {DATE_HINT})")
        elif value.year < 2000 or value.year > 2100:
            self.fail(column, f"Datum '{raw[:40]}' unplausibel (erwartet Jahr 2000 bis 2100)")
            return None
        elif not_after and value > not_after:
            self.fail(
                column,
                f"Datum {value:%d.%m.%Y} liegt in der Zukunft "
                f"(erwartet spätestens {not_after:%d.%m.%Y})",
            )
        return value

    def status(self) -> str:
        raw = self.cells["status"]
        value = normalise_status(raw)
        if value is None:
            expected = ", ".join(STATUSES)
            self.fail("status", f"unbekannter Status '{raw[:40]}' (erwartet: {expected})")
        return value or ""

    def indicators(self) -> list[str]:
        known = self.ctx.catalog.ids
        items = [
            i.lower().replace(" ", "_").replace("-", "_")
            for i in split_list(self.cells["indikatoren"])
        ]
        if not items:
            self.fail(
                "indikatoren", "fehlt (erwartet mindestens eine Indikator-ID aus dem Katalog)"
            )
        unknown = [item for item in dict.fromkeys(items) if item not in known]
        for item in unknown[:MAX_NAMED]:
            close = difflib.get_close_matches(item, known, n=3, cutoff=0.5)
            hint = f"ähnlich: {', '.join(close)}" if close else "siehe: dortmund-kpi indicators"
            self.fail("indikatoren", f"unbekannter Indikator '{item[:60]}' ({hint})")
        if len(unknown) > MAX_NAMED:
            self.fail("indikatoren", f"… und {len(unknown) - MAX_NAMED} weitere unbekannte")
        return list(dict.fromkeys(items))

    def districts(self) -> list[str]:
        slugs: list[str] = []
        items = split_list(self.cells["bezirke"])
        if not items and self.cells["bezirke"].strip():  # separators only: no spelling
            self.fail(
                "bezirke",
                f"'{self.cells['bezirke'].strip()[:60]}' nennt keinen Stadtbezirk (erwartet leer "
                f"für die Gesamtstadt oder: {self.ctx.districts.valid_names})",
            )
        for item in items[:MAX_NAMED]:
            slug = self.ctx.districts.match(item)
            if slug is None:
                close = self.ctx.districts.suggestion(item)
                hint = f"ähnlich: {', '.join(close)}; " if close else ""
                self.fail(
                    "bezirke",
                    f"unbekannter Stadtbezirk '{item[:60]}' ({hint}erwartet leer für die "
                    f"Gesamtstadt oder: {self.ctx.districts.valid_names})",
                )
            elif slug == CITY and len(items) > 1:
                self.fail(
                    "bezirke",
                    f"'{item[:60]}' (Gesamtstadt) zusammen mit Stadtbezirken (erwartet leer "
                    "für die Gesamtstadt oder nur Stadtbezirke)",
                )
            elif slug != CITY and slug not in slugs:
                slugs.append(slug)
        if len(items) > MAX_NAMED:
            self.fail("bezirke", f"{len(items)} Einträge (erwartet höchstens {MAX_NAMED})")
        # In the district table's order: the same districts written in another order are
        # the same measure, not a new version.
        order = {d.slug: n for n, d in enumerate(self.ctx.districts.districts)}
        return sorted(slugs, key=order.__getitem__)

    def visibility(self) -> str:
        """``oeffentlich`` or ``intern``; an empty cell is ``intern``."""
        raw = self.cells["sichtbarkeit"]
        value = normalise_visibility(raw)
        if value is None:
            expected = ", ".join(VISIBILITIES)
            self.fail("sichtbarkeit", f"unbekannter Wert '{raw[:40]}' (erwartet: {expected})")
        return value or INTERNAL

    def kind(self) -> bool:
        raw = self.cells["datenart"].lower()
        if raw not in KIND_OFFICIAL:
            self.fail("datenart", f"ungültige Datenart '{raw[:20]}' (erwartet amtlich oder demo)")
        return bool(KIND_OFFICIAL.get(raw, True))


# Money is written with thousands separators far more often than with three decimals, so
# a separator followed by groups of exactly three digits is read as thousands, per cell
# (a file's other cells never change how one cell is read).
_BUDGET_DE = re.compile(r"^\d{1,3}(\.\d{3})+(,\d+)?$")  # 250.000 / 1.234.567,50
_BUDGET_EN = re.compile(r"^\d{1,3}(,\d{3})+(\.\d+)?$")  # 250,000 / 1,234,567.50
_BUDGET_COMMA = re.compile(r"^\d+,\d+$")  # 1234,5
_BUDGET_POINT = re.compile(r"^\d+(\.\d+)?$")  # 1234 / 1234.5


def budget_value(text: str) -> float | None:
    """Euros from a cell: ``250.000``, ``1.234,5``, ``1,234.5``, ``2500.5``, ``250000 €``."""
    value = re.sub(r"(?i)\s*(€|eur|euro)$", "", text.strip())
    value = re.sub(r"(?<=\d)[\s\u00a0\u202f](?=\d{3}\b)", "", value)  # 250 000
    if _BUDGET_DE.match(value):
        return float(value.replace(".", "").replace(",", "."))
    if _BUDGET_EN.match(value):
        return float(value.replace(",", ""))
    if _BUDGET_COMMA.match(value):
        return float(value.replace(",", "."))
    if _BUDGET_POINT.match(value):
        return float(value)
    return None


def _budgets(frame: pd.DataFrame) -> tuple[pd.Series, list[Issue]]:
    raw = frame["budget_eur"].fillna("").astype("str").str.strip()
    values = raw.map(lambda text: budget_value(text) if text else None).astype("float64")
    if "wert_num" in frame:  # spreadsheet number cells are taken as they are
        values = frame["wert_num"].where(frame["wert_num"].notna(), values)
    bad = raw.ne("") & (values.isna() | (values < 0))
    issues = [
        Issue(
            str(frame.at[idx, "file"]),
            int(frame.at[idx, "line"]),
            "budget_eur",
            f"ungültiges Budget '{raw[idx][:40]}' (erwartet einen Betrag in Euro ≥ 0, "
            "z. B. 250.000, 1.234,50 oder leer)",
        )
        for idx in frame.index[bad]
    ]
    return values, issues


def _row(cells: dict[str, str], file: str, line: int, ctx: Context) -> tuple[dict, list[Issue]]:
    row = _Row(cells, file, line, ctx)
    start = row.day("beginn")
    deadline = row.day("frist")
    if start and deadline and deadline < start:
        row.fail("frist", f"Frist {deadline:%d.%m.%Y} liegt vor dem Beginn {start:%d.%m.%Y}")
    record = {
        "id": row.identifier(),
        "masterplan": row.masterplan(),
        "title": row.text("titel", required=True, limit=MAX_TITLE),
        "description": row.text("beschreibung", required=False, limit=MAX_TEXT),
        "owner": row.text("verantwortlich", required=True, limit=MAX_TITLE),
        "start_date": start,
        "deadline": deadline,
        "status": row.status(),
        "status_date": row.day("statusdatum", not_after=ctx.today),
        "indicators": row.indicators(),
        "districts": row.districts(),
        "is_official": row.kind(),
        "visibility": row.visibility(),
        "file": file,
        "line": line,
    }
    return record, row.issues


def duplicate_ids(records: list[dict], noun: str) -> list[Issue]:
    """Each record whose id an earlier one of the import already has (``noun``: what the
    records are, for the message: "Maßnahme", "Trend")."""
    seen: dict[str, dict] = {}
    issues = []
    for record in records:
        first = seen.setdefault(record["id"], record)
        if first is not record and record["id"]:
            where = f"{first['file']}:{first['line']}"
            message = f"{noun} '{record['id']}' doppelt (schon in {where})"
            issues.append(Issue(record["file"], record["line"], "id", message))
    return issues


# Optional columns a file leaves out keep the measure's stored value: a short status
# update must not wipe the description, budget or districts, nor turn demo into official.
KEPT_WHEN_ABSENT = {
    "beschreibung": "description",
    "bezirke": "districts",
    "budget_eur": "budget_eur",
    "datenart": "is_official",
    "sichtbarkeit": "visibility",
}


def validate_measure_frames(
    frames: list[tuple[pd.DataFrame, str]], ctx: Context
) -> ValidatedMeasures:
    """Validate all measures rows of one import together (duplicates span files)."""
    records: list[dict] = []
    issues: list[Issue] = []
    for frame, _ in frames:
        present = frame.attrs.get("present", tuple(frame.columns))
        keep = [field for column, field in KEPT_WHEN_ABSENT.items() if column not in present]
        frame = frame.reset_index(drop=True)
        text = {
            column: _unescape_text(frame[column])
            for column in frame.columns
            if column not in ("file", "line", "wert_num")
        }
        budgets, found = _budgets(frame)
        issues += found
        for idx in frame.index:
            cells = {column: str(values[idx]) for column, values in text.items()}
            record, found = _row(cells, str(frame.at[idx, "file"]), int(frame.at[idx, "line"]), ctx)
            record["budget_eur"] = None if pd.isna(budgets[idx]) else float(budgets[idx])
            record["keep"] = keep
            records.append(record)
            issues += found
    issues += duplicate_ids(records, "Maßnahme")  # reported with the rest: one round of corrections
    measures = pd.DataFrame(records, columns=COLUMNS)
    return ValidatedMeasures(measures=measures, issues=sorted(issues, key=_issue_order))


def _issue_order(issue: Issue) -> tuple[str, int, int]:
    rank = ISSUE_ORDER.index(issue.column) if issue.column in ISSUE_ORDER else -1
    return (issue.file, issue.line, rank)


def stale_statuses(measures: pd.DataFrame, current: pd.DataFrame) -> list[Issue]:
    """Rows whose status report is older than the stored one: importing last month's list
    again would silently turn statuses back, so such a row is refused."""
    if measures.empty or current.empty:
        return []
    stored = current.set_index("id")[["status", "status_date"]]
    known = measures[measures["id"].isin(stored.index)]
    issues = []
    for row in known.itertuples(index=False):
        before = stored.loc[row.id]
        stored_day = pd.Timestamp(before["status_date"]).date()
        if row.status_date is not None and row.status_date < stored_day:
            issues.append(
                Issue(
                    row.file,
                    row.line,
                    "statusdatum",
                    f"{row.status_date:%d.%m.%Y} ist älter als der gespeicherte Stand vom "
                    f"{stored_day:%d.%m.%Y} („{before['status']}“) (erwartet die aktuelle "
                    "Liste: dortmund-kpi export --measures)",
                )
            )
    return issues
