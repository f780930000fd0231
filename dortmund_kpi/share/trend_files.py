"""Trends as files in the import format (``dortmund-kpi template --trends``): the empty
template, and the trends a view shows as CSV and XLSX that import again."""

from __future__ import annotations

import pandas as pd

from dortmund_kpi.formatting import BOM, neutralise
from dortmund_kpi.ingest.layouts import TRENDS
from dortmund_kpi.share.downloads import rows_csv, rows_xlsx

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
    return rows_csv(HEADER, template_rows(frame))


def to_xlsx(frame: pd.DataFrame, metadata: list[tuple[str, str]] | None = None) -> bytes:
    return rows_xlsx("Trends", HEADER, template_rows(frame), metadata)


def template_csv() -> bytes:
    """The empty trends template (header only), German Excel CSV."""
    return (BOM + ";".join(HEADER) + "\r\n").encode("utf-8")
