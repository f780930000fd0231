"""Measures as files in the import format (``dortmund-kpi template --measures``): the
empty template, and the measures a view shows as CSV and XLSX that import again."""

from __future__ import annotations

import pandas as pd

from dortmund_kpi.formatting import BOM, format_number_plain, neutralise
from dortmund_kpi.ingest.layouts import MEASURES
from dortmund_kpi.share.downloads import rows_csv, rows_xlsx

HEADER = list(MEASURES.columns)


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
                m.visibility,
            ]
        )
    return rows


def to_csv(frame: pd.DataFrame, district_names: dict[str, str]) -> bytes:
    """Measures as German Excel CSV (UTF-8 with BOM, ``;``), readable by the importer."""
    return rows_csv(HEADER, template_rows(frame, district_names))


def to_xlsx(
    frame: pd.DataFrame,
    district_names: dict[str, str],
    metadata: list[tuple[str, str]] | None = None,
) -> bytes:
    return rows_xlsx("Maßnahmen", HEADER, template_rows(frame, district_names), metadata)


def template_csv() -> bytes:
    """The empty measures template (header only), German Excel CSV."""
    return (BOM + ";".join(HEADER) + "\r\n").encode("utf-8")
