"""Measures (Maßnahmen): the projects meant to move the KPIs, and their status.

A measure has an owner, a start, a deadline and a status; it names the
indicators it should move and the districts it concerns (none = the whole
city). Measures are imported like observations and keep their history: a
changed status closes the old row, so a pinned view shows the status of its day.
This module holds the domain rules and the file format; nothing here touches
the database or Streamlit.
"""

from __future__ import annotations

import csv
import io
from datetime import date

import pandas as pd

from dortmund_kpi.formatting import BOM, format_number_plain, neutralise
from dortmund_kpi.ingest.layouts import MEASURES

STATUSES = ("geplant", "in Umsetzung", "abgeschlossen", "verzögert", "gestoppt")
# Open measures can be overdue; finished or stopped ones cannot.
OPEN_STATUSES = ("geplant", "in Umsetzung", "verzögert")
STATUS_ALIASES = {
    "in_umsetzung": "in Umsetzung",
    "in-umsetzung": "in Umsetzung",
    "umsetzung": "in Umsetzung",
    "laufend": "in Umsetzung",
    "verzoegert": "verzögert",
    "verzogert": "verzögert",
    "geplant": "geplant",
    "abgeschlossen": "abgeschlossen",
    "erledigt": "abgeschlossen",
    "gestoppt": "gestoppt",
    "eingestellt": "gestoppt",
}
LIST_SEPARATORS = (",", "|", "\n")
HEADER = list(MEASURES.columns)


def normalise_status(text: str) -> str | None:
    """The canonical status for a spelling from a file, or None."""
    key = " ".join(str(text).split()).lower()
    for status in STATUSES:
        if key == status.lower():
            return status
    return STATUS_ALIASES.get(key.replace(" ", "_"))


def split_list(text: str) -> list[str]:
    """``a, b | c`` -> ``["a", "b", "c"]`` (empty items dropped)."""
    value = str(text)
    for sep in LIST_SEPARATORS[1:]:
        value = value.replace(sep, LIST_SEPARATORS[0])
    return [item.strip() for item in value.split(LIST_SEPARATORS[0]) if item.strip()]


def overdue(frame: pd.DataFrame, today: date) -> pd.Series:
    """Open measures whose deadline has passed (``today`` = the day the view shows)."""
    if frame.empty:
        return pd.Series(dtype="bool", index=frame.index)
    deadline = pd.to_datetime(frame["deadline"]).dt.date
    return frame["status"].isin(OPEN_STATUSES) & (deadline < today)


def status_counts(frame: pd.DataFrame, today: date) -> pd.DataFrame:
    """Per masterplan: how many measures have each status, and how many are overdue."""
    late = overdue(frame, today)
    rows = []
    for plan, part in frame.groupby("masterplan", sort=False):
        counts = part["status"].value_counts()
        rows.append(
            {
                "masterplan": plan,
                **{status: int(counts.get(status, 0)) for status in STATUSES},
                "überfällig": int(late.loc[part.index].sum()),
                "gesamt": len(part),
            }
        )
    columns = ["masterplan", *STATUSES, "überfällig", "gesamt"]
    return pd.DataFrame(rows, columns=columns)


def status_history(versions: pd.DataFrame) -> pd.DataFrame:
    """Every status a measure had, oldest first: one row per change of status or its date."""
    if versions.empty:
        return pd.DataFrame(columns=["status", "status_date", "valid_from"])
    ordered = versions.sort_values("valid_from")
    key = ordered["status"].astype("str") + "|" + ordered["status_date"].astype("str")
    changed = key.ne(key.shift())
    return ordered.loc[changed, ["status", "status_date", "valid_from"]].reset_index(drop=True)


def concerns_district(frame: pd.DataFrame, slug: str) -> pd.Series:
    """Measures for one district: those naming it, and those for the whole city."""
    return frame["districts"].map(lambda areas: len(areas) == 0 or slug in list(areas))


def links_indicator(frame: pd.DataFrame, indicator_id: str) -> pd.Series:
    return frame["indicators"].map(lambda ids: indicator_id in list(ids))


# -- file format ---------------------------------------------------------------------
def _date_text(value: object) -> str:
    return pd.Timestamp(value).strftime("%d.%m.%Y")  # type: ignore[arg-type]


def template_rows(frame: pd.DataFrame, district_names: dict[str, str]) -> list[list[str]]:
    """Measures in template order; districts by name, lists comma-separated."""
    rows = []
    for m in frame.itertuples(index=False):
        budget = m.budget_eur
        rows.append(
            [
                m.id,
                m.masterplan,
                neutralise(m.title),
                neutralise(m.owner),
                _date_text(m.start_date),
                _date_text(m.deadline),
                m.status,
                _date_text(m.status_date),
                ", ".join(m.indicators),
                neutralise(m.description),
                ", ".join(district_names.get(d, d) for d in m.districts),
                "" if budget is None or pd.isna(budget) else format_number_plain(float(budget)),
                "amtlich" if m.is_official else "demo",
            ]
        )
    return rows


def to_csv(frame: pd.DataFrame, district_names: dict[str, str]) -> bytes:
    """Measures as German Excel CSV (UTF-8 with BOM, ``;``), readable by the importer."""
    buffer = io.StringIO()
    writer = csv.writer(buffer, delimiter=";", lineterminator="\r\n")
    writer.writerow(HEADER)
    writer.writerows(template_rows(frame, district_names))
    return (BOM + buffer.getvalue()).encode("utf-8")


def to_xlsx(frame: pd.DataFrame, district_names: dict[str, str]) -> bytes:
    from openpyxl import Workbook

    book = Workbook(write_only=True)
    sheet = book.create_sheet("Maßnahmen")
    sheet.append(HEADER)
    for row in template_rows(frame, district_names):
        sheet.append(row)
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()


def template_csv() -> bytes:
    """The empty measures template (header only), German Excel CSV."""
    return (BOM + ";".join(HEADER) + "\r\n").encode("utf-8")
