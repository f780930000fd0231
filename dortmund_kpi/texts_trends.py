"""German texts of the Technologiescout (trend radar) and of public mode; re-exported by
``texts`` (all UI texts are reached as ``texts.NAME``)."""

from __future__ import annotations

TRENDS_TITLE = "Technologiescout"
TRENDS_INTRO = (
    "Die digitalen Trends, die das Chief Information/Innovation Office für die Stadt "
    "beobachtet, bewertet, erprobt und einführt. Innen stehen die Trends, bei denen die "
    "Stadt am weitesten ist; verworfene Trends stehen unter dem Radar."
)
TRENDS_RADAR = "Trendradar"
TRENDS_SOURCE = "Bewertungen des Chief Information/Innovation Office"
TRENDS_DEMO = "Demo-Trends: Beispiele, keine Bewertungen der Stadt."
TRENDS_NONE = "Noch keine Trends. Import: dortmund-kpi import DATEI (Vorlage: template --trends)."
TRENDS_SECTORS = "Sektoren nach"
TRENDS_SECTOR_MODES = {"feld": "Technologiefeld", "masterplan": "Masterplan"}
TRENDS_NO_MASTERPLAN = "ohne Masterplan"
TRENDS_RINGS = {
    "beobachten": "Beobachten",
    "bewerten": "Bewerten",
    "erproben": "Erproben",
    "einführen": "Einführen",
    "verworfen": "Verworfen",
}
TRENDS_MOVEMENT = {
    "": "unverändert",
    "neu": "neu",
    "nach innen": "nach innen gerückt",
    "nach außen": "nach außen gerückt",
}
# Shapes carry the movement (readable without colour and in greyscale print).
TRENDS_MOVEMENT_SYMBOLS = {"": "●", "neu": "★", "nach innen": "▲", "nach außen": "▼"}
TRENDS_LEGEND_HINT = (
    "Form des Punkts: ● unverändert, ★ neu, ▲ nach innen, ▼ nach außen gerückt "
    "(seit der letzten Bewertungsrunde). Zahlen verweisen auf die Liste."
)
TRENDS_LIST = "Trends je Ring (Textfassung des Radars)"
TRENDS_DISCARDED = "Verworfen (nicht im Radar)"
TRENDS_RING_EMPTY = "keine"
TRENDS_OPEN = "Details zu diesem Trend"
TRENDS_COLUMNS = {
    "number": "Nr.",
    "name": "Trend",
    "ring": "Ring",
    "field": "Technologiefeld",
    "masterplans": "Masterpläne",
    "movement": "Seit letzter Bewertung",
    "assessed_on": "Bewertet am",
    "owner": "Verantwortlich",
}
TREND_DETAIL = "Trend"
TREND_FIELDS = {
    "field": "Technologiefeld",
    "masterplans": "Masterpläne",
    "ring": "Ring",
    "movement": "Seit letzter Bewertung",
    "assessed_on": "Bewertet am",
    "owner": "Verantwortlich",
    "visibility": "Sichtbarkeit",
    "kind": "Datenart",
}
TREND_VISIBILITY = {"oeffentlich": "öffentlich", "intern": "intern"}
TREND_DESCRIPTION = "Beschreibung"
TREND_HISTORY = "Bewertungen"
TREND_HISTORY_COLUMNS = {
    "ring": "Ring",
    "assessed_on": "Bewertet am",
    "reason": "Begründung",
    "known": "Erfasst am",
}
TREND_MEASURES = "Maßnahmen (Pilotprojekte)"
TREND_INDICATORS = "Indikatoren"
TREND_SOURCES = "Quellen"
TREND_NONE_LINKED = "keine"
TREND_UNKNOWN = "Trend „{id}“ nicht gefunden (unbekannt oder zu diesem Stand noch nicht erfasst)."
TREND_CLOSE = "Trend schließen"
TRENDS_DOWNLOAD_NAME = "technologiescout"
