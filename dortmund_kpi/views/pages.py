"""Each page's views module: its data function (``build``, for the page and its slides)
and the view keys its data follow (``HONOURED``). No Streamlit here."""

from __future__ import annotations

from types import ModuleType

from dortmund_kpi.views import comparison, data, districts, indicator, masterplan, overview
from dortmund_kpi.views import trends as trend_views

MODULES: dict[str, ModuleType] = {
    "uebersicht": overview,
    "masterplan": masterplan,
    "indikator": indicator,
    "bezirke": districts,
    "daten": data,
    "trends": trend_views,
    "vergleich": comparison,
}


def honoured(page: str) -> frozenset[str]:
    """The view keys ``page`` shows its data by (``bezirk``, ``zeitraum``, …)."""
    return frozenset(MODULES[page].HONOURED)
