"""Validate the rows of trends files (Technologiescout) against the catalog.

Like measures files: short, checked row by row, every problem an Issue with file,
line and column; all rows of one import are checked together (duplicates span files).
Links to measures are checked against the database under the writer lock
(``unknown_measures``), since measures may come in the same import.
"""

from __future__ import annotations

import difflib
import re
from dataclasses import dataclass

import pandas as pd

from dortmund_kpi import trends
from dortmund_kpi.db.trends import TREND_COLUMNS
from dortmund_kpi.ingest.issues import Issue
from dortmund_kpi.ingest.measures import ID_RE, MAX_NAMED, MAX_TITLE, _Row, duplicate_ids
from dortmund_kpi.ingest.observations import MAX_TEXT, Context, _unescape_text
from dortmund_kpi.measures import split_list

COLUMNS = [*TREND_COLUMNS, "file", "line"]  # what the store keeps, and where it came from
ISSUE_ORDER = ["id", "name", "feld", "ring", "bewertet_am", "begruendung", "verantwortlich"]
ISSUE_ORDER += ["beschreibung", "masterplaene", "massnahmen", "indikatoren", "quellen"]
ISSUE_ORDER += ["sichtbarkeit", "datenart"]
MAX_SOURCE = 500


@dataclass
class ValidatedTrends:
    trends: pd.DataFrame
    issues: list[Issue]


class _TrendRow(_Row):
    """The checks of one trend row (text, dates and kind as for measures)."""

    def trend_id(self) -> str:
        value = self.cells["id"].lower()
        if not ID_RE.match(value):
            shown = self.cells["id"][:40]
            self.fail(
                "id",
                f"ungültige Kennung '{shown}' (erwartet a-z, 0-9, _ oder -, höchstens 40 "
                "Zeichen, z. B. t01_generative_ki)"
                if shown
                else "fehlt (Pflichtfeld, z. B. t01_generative_ki)",
            )
        return value

    def choice(self, column: str, normalise, expected: tuple[str, ...]) -> str:
        raw = self.cells[column]
        value = normalise(raw)
        if value is None:
            shown = f"'{raw[:40]}'" if raw.strip() else "leer"
            self.fail(column, f"unbekannter Wert {shown} (erwartet: {', '.join(expected)})")
        return value or ""

    def masterplans(self) -> list[str]:
        plans = self.ctx.catalog.masterplans
        aliases = {p.id: p.id for p in plans} | {p.short_name.lower(): p.id for p in plans}
        found: list[str] = []
        for item in split_list(self.cells["masterplaene"])[:MAX_NAMED]:
            plan = aliases.get(item.lower())
            if plan is None:
                expected = ", ".join(p.id for p in plans)
                self.fail("masterplaene", f"unbekannter Masterplan '{item[:40]}' ({expected})")
            elif plan not in found:
                found.append(plan)
        return found

    def indicators(self) -> list[str]:
        known = self.ctx.catalog.ids
        items = [i.lower().replace(" ", "_") for i in split_list(self.cells["indikatoren"])]
        for item in [i for i in dict.fromkeys(items) if i not in known][:MAX_NAMED]:
            close = difflib.get_close_matches(item, known, n=3, cutoff=0.5)
            hint = f"ähnlich: {', '.join(close)}" if close else "siehe: dortmund-kpi indicators"
            self.fail("indikatoren", f"unbekannter Indikator '{item[:60]}' ({hint})")
        return list(dict.fromkeys(items))

    def measures(self) -> list[str]:
        items = [i.lower() for i in split_list(self.cells["massnahmen"])]
        for item in items[:MAX_NAMED]:
            if not ID_RE.match(item):
                self.fail("massnahmen", f"ungültige Maßnahmen-Kennung '{item[:40]}'")
        return list(dict.fromkeys(items))

    def sources(self) -> list[str]:
        # Not split at commas: a source is often a title or a link holding one.
        items = [s.strip() for s in re.split(r"[|\n]", self.cells["quellen"]) if s.strip()]
        for item in items:
            if len(item) > MAX_SOURCE:
                message = f"Quelle zu lang ({len(item)} Zeichen, höchstens {MAX_SOURCE})"
                self.fail("quellen", message)
        return items


def _row(cells: dict[str, str], file: str, line: int, ctx: Context) -> tuple[dict, list[Issue]]:
    row = _TrendRow(cells, file, line, ctx)
    record = {
        "id": row.trend_id(),
        "name": row.text("name", required=True, limit=MAX_TITLE),
        "description": row.text("beschreibung", required=False, limit=MAX_TEXT),
        "field": row.choice("feld", trends.normalise_field, trends.FIELDS),
        "masterplans": row.masterplans(),
        "ring": row.choice("ring", trends.normalise_ring, trends.RINGS),
        "assessed_on": row.day("bewertet_am", not_after=ctx.today),
        "reason": row.text("begruendung", required=True, limit=MAX_TEXT),
        "owner": row.text("verantwortlich", required=True, limit=MAX_TITLE),
        "measures": row.measures(),
        "indicators": row.indicators(),
        "sources": row.sources(),
        "visibility": row.visibility(),
        "is_official": row.kind(),
        "file": file,
        "line": line,
    }
    return record, row.issues


def validate_trend_frames(frames: list[tuple[pd.DataFrame, str]], ctx: Context) -> ValidatedTrends:
    """Validate all trends rows of one import together."""
    records: list[dict] = []
    issues: list[Issue] = []
    for frame, _ in frames:
        frame = frame.reset_index(drop=True)
        text = {
            column: _unescape_text(frame[column])
            for column in frame.columns
            if column not in ("file", "line", "wert_num")
        }
        for idx in frame.index:
            cells = {column: str(values[idx]) for column, values in text.items()}
            record, found = _row(cells, str(frame.at[idx, "file"]), int(frame.at[idx, "line"]), ctx)
            records.append(record)
            issues += found
    issues += duplicate_ids(records, "Trend")
    table = pd.DataFrame(records, columns=COLUMNS)
    return ValidatedTrends(trends=table, issues=sorted(issues, key=_issue_order))


def _issue_order(issue: Issue) -> tuple[str, int, int]:
    rank = ISSUE_ORDER.index(issue.column) if issue.column in ISSUE_ORDER else -1
    return (issue.file, issue.line, rank)


def unknown_measures(table: pd.DataFrame, known: set[str]) -> list[Issue]:
    """Links to measures the database (with this import) does not hold."""
    issues = []
    for row in table.itertuples(index=False):
        for item in [m for m in row.measures if m not in known][:MAX_NAMED]:
            close = difflib.get_close_matches(item, sorted(known), n=3, cutoff=0.5)
            hint = "siehe: dortmund-kpi export --measures"
            hint = f"ähnlich: {', '.join(close)}" if close else hint
            message = f"unbekannte Maßnahme '{item[:40]}' ({hint})"
            issues.append(Issue(row.file, row.line, "massnahmen", message))
    return issues


def stale_assessments(table: pd.DataFrame, current: pd.DataFrame) -> list[Issue]:
    """Rows whose assessment is older than the stored one: importing last year's list
    again would silently move trends back, so such a row is refused."""
    if table.empty or current.empty:
        return []
    stored = current.set_index("id")[["ring", "assessed_on"]]
    issues = []
    for row in table[table["id"].isin(stored.index)].itertuples(index=False):
        before = stored.loc[row.id]
        day = pd.Timestamp(before["assessed_on"]).date()
        if row.assessed_on is not None and row.assessed_on < day:
            issues.append(
                Issue(
                    row.file,
                    row.line,
                    "bewertet_am",
                    f"{row.assessed_on:%d.%m.%Y} ist älter als die gespeicherte Bewertung vom "
                    f"{day:%d.%m.%Y} („{before['ring']}“) (erwartet die aktuelle Liste: "
                    "dortmund-kpi export --trends)",
                )
            )
    return issues
