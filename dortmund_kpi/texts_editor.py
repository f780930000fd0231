"""German UI texts of the editors' upload and the import assistant (Daten page).

Part of ``texts.py``, which re-exports every name: use them as ``texts.NAME``. A module of
its own only because ``texts.py`` reached the size limit of a module.
"""

from __future__ import annotations

# Editor upload (only with sign-in configured)
UPLOAD_TITLE = "Daten importieren (Redaktion)"
UPLOAD_SIGN_IN_HINT = (
    "Das Hochladen von Daten ist angemeldeten Redakteurinnen und Redakteuren vorbehalten."
)
UPLOAD_SIGN_IN = "Als Redaktion anmelden"
UPLOAD_SIGN_OUT = "Abmelden"
UPLOAD_SIGNED_IN = "Angemeldet als {name}."
UPLOAD_NOT_EDITOR = "Dieses Konto ist nicht für den Datenimport freigeschaltet."
EDITORS_MALFORMED = (
    "Das Dashboard startet nicht: die Liste der Redaktion ist fehlerhaft ({problem}). "
    "Bitte .streamlit/secrets.toml korrigieren."
)
UPLOAD_LABEL = (
    "Datei im Vorlagenformat (CSV, XLSX) oder amtliche Tabelle, wie veröffentlicht "
    "(GENESIS-Tabelle oder -Flatfile, Excel, breite Tabelle, Opendatasoft-Export, Breitbandatlas)"
)
UPLOAD_TYPE = (
    "„{name}“: Dateityp nicht erlaubt (erwartet .csv, .txt, .xlsx, .xls oder .json). Eine "
    "Tabelle aus LibreOffice (.ods) bitte als Excel-Datei (.xlsx) speichern."
)
UPLOAD_SIZE = "Datei zu groß (erlaubt {mb} MB)."
UPLOAD_INVALID = "Die Datei hat {problems}; nichts wurde importiert:"
UPLOAD_PREVIEW = "Prüfung bestanden: {rows} – {counts}. Jetzt importieren?"
UPLOAD_CONFIRM = "Importieren"
UPLOAD_VALUES = "Werte neu: {new}, geändert: {changed}, unverändert: {same}"
UPLOAD_MEASURES = "Maßnahmen neu: {new}, geändert: {changed}, unverändert: {same}"
UPLOAD_DONE = "Import abgeschlossen ({counts}). Die Ansicht zeigt die neuen Daten."
UPLOAD_NOTHING = (
    "Nichts zu importieren: die Datei entspricht den gespeicherten Daten ({rows} – {counts})."
)
ASSIST_NOTHING = "Nichts zu importieren: die Werte sind so gespeichert."
UPLOAD_CHANGES = "Was der Import ändert"
UPLOAD_CHANGE_COLUMNS = ("Änderung", "Indikator", "Gebiet", "Zeitraum", "alt", "neu")
UPLOAD_MORE_CHANGES = "… und {n} weitere"
EDITOR_WELCOME = "Angemeldet als Redaktion: Daten importieren unter „Daten & Methodik“."

# The import assistant: official tables as published (the same import as the CLI)
ASSIST_RECOGNISED = "Erkannt: **{layout}**"
ASSIST_SOURCE = "Quelle: {source} · Lizenz: {licence}"
ASSIST_NO_LICENCE = "in der Datei nicht angegeben"
ASSIST_LICENCE = "Lizenz (die Datei nennt keine)"
ASSIST_LICENCE_HELP = (
    "Wird Teil der Quellenangabe jedes Werts (wie --lizenz bei dortmund-kpi import), z. B. "
    "„Datenlizenz Deutschland – Namensnennung – Version 2.0“. Leer lassen, wenn unbekannt."
)
ASSIST_LICENCE_REMEMBERED = "gemerkt: {licence}"  # the field's placeholder
ASSIST_COUNTS_READ = (
    "{records} gelesen, {ours} davon für Dortmund und seine Stadtbezirke; {skipped} ohne Wert."
)
ASSIST_PREVIEW = "Datensätze für Dortmund und seine Stadtbezirke"
ASSIST_PREVIEW_NO_REGION = "Datensätze (die Datei nennt kein Gebiet: Werte der Stadt)"
ASSIST_PREVIEW_CUT = "Die ersten {shown} von {total} Datensätzen."
ASSIST_PREVIEW_COLUMNS = (
    "Gebiet",
    "Schlüssel",
    "Zeitraum",
    "Merkmale",
    "Wertspalte",
    "Wert",
    "Zeile",
)
ASSIST_NOT_DORTMUND = (
    "Die Datei enthält keine Datensätze für Dortmund oder seine Stadtbezirke "
    "({regions} andere Gebiete): nichts zu importieren."
)
ASSIST_MAPPING = "Zuordnung"
ASSIST_REMEMBERED = "Gemerkte Zuordnung angewandt: {mapping}"
ASSIST_OVERRIDE = "Zuordnung neu festlegen"
ASSIST_INDICATOR = "Indikator"
ASSIST_INDICATOR_PLACEHOLDER = "Indikator wählen"
ASSIST_CHOOSE_INDICATOR = (
    "Indikator wählen: dann zeigt der Probelauf jeden Wert, den der Import ändert."
)
ASSIST_COLUMN = "Wertspalte"
ASSIST_COLUMN_ALL = "alle Wertspalten (über die Merkmale wählen)"
ASSIST_FILTER = "Merkmal „{name}“"
ASSIST_FILTER_ALL = "alle Werte (nicht filtern)"
ASSIST_PERIOD = "Zeitraum"
ASSIST_PERIOD_PLACEHOLDER = "z. B. 2023"
ASSIST_PERIOD_HELP = (
    "Nur nötig, wenn die Datei keinen Zeitraum nennt oder ihr Stichtag einem Zeitraum des "
    "Indikators zugeordnet werden soll (z. B. 2024 für den 30.06.2024)."
)
ASSIST_PERIOD_NEEDED = "Die Datei nennt keinen Zeitraum: bitte den Zeitraum ihrer Werte angeben."
ASSIST_PERIOD_INVALID = (
    "„{text}“ ist kein Zeitraum (erwartet z. B. 2023, 2023-Q2, 2023-05, 31.12.2023)."
)
ASSIST_DRY_RUN = "Probelauf: was der Import ändert"
ASSIST_REFUSED = "So nicht importierbar ({problems}), nichts wurde geschrieben:"
ASSIST_CLI_HINT = (
    "Die Meldungen nennen die Optionen der Kommandozeile: --spalte ist die Wertspalte, "
    "--filter ein Merkmal, --zeitraum das Feld Zeitraum, --ersetzen das Kästchen „Ersetzen“."
)
ASSIST_CHANGE_COLUMNS = (
    "Änderung",
    "Gebiet",
    "Zeitraum",
    "alt",
    "neu",
    "Quelle alt",
    "Quelle neu",
    "Indikator",
)
# A value that stays the same but changes in another way, e.g. "geändert (gleicher Wert;
# neue Quellenangabe)".
ASSIST_SAME_VALUE = "{kind} (gleicher Wert; {parts})"
ASSIST_DIFFERS = {
    "source": "neue Quellenangabe",
    "note": "neuer Hinweis",
    "origin": "amtlich statt Demodaten",
}
ASSIST_COUNTS = "Neu: {new}, geändert: {changed}, unverändert: {same}, Konflikte: {conflicts}."
ASSIST_SKIPPED = "{n} Zellen ohne Wert übersprungen (die ersten {shown} mit Zeile und Grund)"
ASSIST_SKIPPED_COLUMNS = ("Datei", "Zeile", "Grund")
ASSIST_CONFLICTS = (
    "{n} Konflikt(e): der Import ersetzt amtliche Werte einer anderen Quelle. Nur mit "
    "„Ersetzen“ (die alten Werte bleiben in der Versionsgeschichte)."
)
ASSIST_REPLACE = "Ersetzen"
ASSIST_REPLACE_HELP = "Amtliche Werte einer anderen Quelle durch die Werte dieser Datei ersetzen."
ASSIST_REMEMBER = "Zuordnung merken"
ASSIST_REMEMBER_HELP = (
    "Die nächste Ausgabe dieser Tabelle wird dann ohne Zuordnung importiert, im Browser und "
    "mit „dortmund-kpi import DATEI“ (bei einer Datei ohne Zeitraum mit --zeitraum P); eine "
    "angegebene Lizenz wird mit gemerkt."
)
ASSIST_COMMAND = "Derselbe Import auf der Kommandozeile:"
ASSIST_DONE = "Import abgeschlossen: {counts} Die Ansicht zeigt die neuen Werte."
ASSIST_REMEMBERED_DONE = (
    "Zuordnung gemerkt: die nächste Ausgabe dieser Tabelle wird ohne Zuordnung importiert."
)
ASSIST_SHOW_INDICATOR = "Zum Indikator „{name}“"
