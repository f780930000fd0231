"""German UI texts of the comparison with other municipalities (page "Vergleich").

Part of ``texts.py``, which re-exports every name: use them as ``texts.NAME``. A module of
its own only because ``texts.py`` reached the size limit of a module.
"""

from __future__ import annotations

COMPARISON_TITLE = "Vergleich: Dortmund und andere Städte"
COMPARISON_INTRO = (
    "Ein Indikator im Vergleich mit einer Gruppe von Städten und Gemeinden: Dortmunds Rang, "
    "die Rangfolge, Median und Bestwert der Gruppe und die Karte der Stadtregion. Nur "
    "veröffentlichte Werte aus amtlichen Tabellen; Quelle und Stand stehen bei jedem Wert."
)
COMPARISON_GROUP = "Vergleichsgruppe"
COMPARISON_INDICATOR = "Indikator"
COMPARISON_NONE = (
    "Für keinen Indikator liegen Werte anderer Städte vor. Amtliche Tabellen, die alle "
    "Gemeinden enthalten, bringen sie mit (dortmund-kpi import DATEI --indikator ID)."
)
COMPARISON_FALLBACK = (
    "Für „{asked}“ liegen keine Vergleichswerte vor; gezeigt wird „{shown}“. Vergleichbar "
    "sind: {options}."
)
COMPARISON_MODE = {
    "as_is": "Werte wie veröffentlicht (Anteile und Quoten sind direkt vergleichbar)",
    "per_1000": "je 1.000 Einwohner (Einwohnerzahl: {population})",
    "per_km2": "je km² Fläche (Fläche aus den Gemeindegrenzen {area})",
}
COMPARISON_PER_1000 = "je 1.000 Einwohner"
COMPARISON_PER_KM2 = "je km²"
COMPARISON_RANK = "Rang {rank} von {n}"
COMPARISON_NO_DORTMUND = "Für Dortmund liegt im Zeitraum {period} kein Wert vor."
COMPARISON_MISSING = "{members} der Gruppe ohne Wert für {period}: {names}"
MEMBERS = ("Mitglied", "Mitglieder")
COMPARISON_METRICS = {
    "dortmund": "Dortmund",
    "median": "Median der Gruppe",
    "best": "Bester Wert",
}
COMPARISON_BEST_BY = "{name}"
COMPARISON_RANK_TITLE = "Dortmunds Rang in der Gruppe"
COMPARISON_RANK_AXIS = "Rang (1 = bester Wert)"
COMPARISON_BARS_TITLE = "Rangfolge {period}"
COMPARISON_MAP_TITLE = "Stadtregion Dortmund {period}"
COMPARISON_MAP_NOTE = "Gemeindegrenzen: © GeoBasis-DE / BKG (VG250), dl-de/by-2.0"
COMPARISON_HISTORY = "Rang im Zeitverlauf"
COMPARISON_TABLE = "Werte der Gruppe"
COMPARISON_COLUMNS = {
    "rank": "Rang",
    "name": "Stadt / Gemeinde",
    "value": "Wert",
    "compared": "Vergleichswert",
    "period": "Zeitraum",
    "source": "Quelle",
    "stand": "Stand",
    "kind": "Datenart",
}
COMPARISON_HISTORY_COLUMNS = {
    "period": "Zeitraum",
    "rank": "Rang",
    "n": "von",
    "dortmund": "Dortmund",
    "median": "Median",
    "best": "Bester Wert",
    "best_name": "Beste Stadt",
}
COMPARISON_PANEL = "Im Vergleich"
COMPARISON_PANEL_TEXT = (
    "{period}: Rang {rank} von {n} ({group}); Dortmund {value}, Median {median}, "
    "bester Wert {best} ({best_name})."
)
COMPARISON_PANEL_LINK = "Zum Vergleich"
COMPARISON_SLIDE_TITLE = "Vergleich: {indicator}"
