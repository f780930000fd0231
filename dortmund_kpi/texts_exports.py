"""German texts of the downloads (CSV, XLSX, chart pictures) and their metadata.

Part of ``texts.py``, which re-exports every name: use them as ``texts.NAME``.
"""

from __future__ import annotations

EXPORT_HEADER = "Export"
INTERACTIVE_CHART = "Interaktives Diagramm und Export"
EXPORT_PNG = "Als PNG (hohe Auflösung)"
EXPORT_SVG = "Als SVG (Vektorgrafik)"
EXPORT_NO_BROWSER = "Bildexport ist hier nicht verfügbar (Chromium fehlt)."
DOWNLOAD_XLSX = "XLSX mit Metadaten (angezeigt)"
DOWNLOAD_FULL_CSV = "Gesamter Indikator (CSV)"
DOWNLOAD_FULL_XLSX = "Gesamter Indikator (XLSX)"
METADATA_SHEET = "Metadaten"
METADATA_COLUMNS = ("Feld", "Wert")
METADATA_LABELS = {
    "definition": "Definition",
    "unit": "Einheit",
    "source": "Quelle",
    "stand": "Stand",
    "kind": "Datenart",
    "city_kind": "Datenart Gesamtstadt",
    "target": "Zielwert",
    "frequency": "Turnus",
    "aggregation": "Gesamtstadt aus Bezirken",
    "direction": "Bewertung",
    "licence": "Lizenz",
    "permalink": "Link zur Ansicht",
    "content": "Inhalt",
    "format": "Format",
}
# A list in the import format (measures, trends): what its "Metadaten" sheet says of it
EXPORT_TEMPLATE_FORMAT = (
    "Importvorlage: mit „dortmund-kpi import DATEI“ oder im Browser (Redaktion) wieder "
    "importierbar; das Blatt „Metadaten“ wird dabei übergangen"
)
EXPORT_KIND_MIXED = "amtliche Einträge und Demodaten (Spalte datenart)"
EXPORT_MEASURES_CONTENT = "Maßnahmen, {plan}"
EXPORT_TRENDS_CONTENT = "Technologiescout: Trends"
