"""Trends as files in the import format (``dortmund-kpi template --trends``): the empty
template, and the trends a view shows as CSV and XLSX that import again."""

from __future__ import annotations

import csv
import io

import pandas as pd

from dortmund_kpi.formatting import BOM, neutralise
from dortmund_kpi.ingest.layouts import TRENDS
from dortmund_kpi.share.template_files import check_xlsx_rows

HEADER = list(TRENDS.columns)


def template_rows(frame: pd.DataFrame) -> list[list[str]]:
    """Trends in template order; lists comma-separated, sources separated by ``|``."""
    return [
        [
            t.id,
            neutralise(t.name),
            t.field,
            t.ring,
            pd.Timestamp(t.assessed_on).strftime("%d.%m.%Y"),
            neutralise(t.reason),
            neutralise(t.owner),
            neutralise(t.description),
            ", ".join(t.masterplans),
            ", ".join(t.measures),
            ", ".join(t.indicators),
            neutralise(" | ".join(t.sources)),
            t.visibility,
            "amtlich" if t.is_official else "demo",
        ]
        for t in frame.itertuples(index=False)
    ]


def to_csv(frame: pd.DataFrame) -> bytes:
    """Trends as German Excel CSV (UTF-8 with BOM, ``;``), readable by the importer."""
    buffer = io.StringIO()
    writer = csv.writer(buffer, delimiter=";", lineterminator="\r\n")
    writer.writerow(HEADER)
    writer.writerows(template_rows(frame))
    return (BOM + buffer.getvalue()).encode("utf-8")


def to_xlsx(frame: pd.DataFrame) -> bytes:
    from openpyxl import Workbook

    check_xlsx_rows(len(frame))
    book = Workbook(write_only=True)
    sheet = book.create_sheet("Trends")
    sheet.append(HEADER)
    for row in template_rows(frame):
        sheet.append(row)
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()


def template_csv() -> bytes:
    """The empty trends template (header only), German Excel CSV."""
    return (BOM + ";".join(HEADER) + "\r\n").encode("utf-8")
