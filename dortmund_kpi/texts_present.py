"""German UI texts of the page frame: tab titles, Streamlit's own labels in German, chart
text alternatives, the accessibility statement and the meeting-room mode; the overview's
status matrix.

Part of ``texts.py``, which re-exports every name: use them as ``texts.NAME``. A module of
its own only because ``texts.py`` reached the size limit of a module.
"""

from __future__ import annotations

# Browser tab: the page first, so tabs of several pages can be told apart.
TAB_TITLE = "{page} – Dortmund KPI"
STATEMENT_PAGE_KEY = "barrierefreiheit"
STATEMENT_TITLE = "Erklärung zur Barrierefreiheit"
STATEMENT_NAV = "Barrierefreiheit"
STATEMENT_ICON = ":material/accessibility:"
SHARE_QR_ALT = "QR-Code mit dem Link {link}"
OVERVIEW_SECTION = "{n} Kennzahlen"
FOOTER_STATEMENT = "Erklärung zur Barrierefreiheit"

# Streamlit writes some labels of its own widgets in English and offers no setting for
# them; the page frame replaces them in the browser (exact texts, then prefixes).
STREAMLIT_LABELS_DE = {
    "Help": "Hilfe",
    "Fullscreen": "Vollbild",
    "Close fullscreen": "Vollbild schließen",
    "Download as CSV": "Als CSV herunterladen",
    "Search": "Suchen",
    "Show/hide columns": "Spalten ein-/ausblenden",
    "Copy to clipboard": "In die Zwischenablage kopieren",
    "Copied": "Kopiert",
    "Main menu": "Hauptmenü",
    "Collapse sidebar": "Seitenleiste einklappen",
    "Expand sidebar": "Seitenleiste ausklappen",
    "Sidebar": "Seitenleiste",
    "App pages": "Seiten",
    "Open": "Öffnen",
    "Close": "Schließen",
    "Link to heading": "Link zu dieser Überschrift",
    "Print": "Drucken",
    "Rerun": "Neu laden",
    "Settings": "Einstellungen",
    "Record a screencast": "Bildschirmaufnahme",
    "About": "Über",
    "Clear": "Leeren",
    "Clear all": "Alle entfernen",
    "Remove": "Entfernen",
    "Select all": "Alle auswählen",
    "No results": "Keine Treffer",
    "Choose an option": "Bitte wählen",
    "Choose options": "Bitte wählen",
    "Browse files": "Datei auswählen",
    "Upload": "Hochladen",
    "file upload": "Datei hochladen",
    "Drag and drop file here": "Datei hierher ziehen",
    "Drag and drop a file here": "Datei hierher ziehen",
    "Drag and drop files here": "Dateien hierher ziehen",
    "Delete": "Löschen",
    "Running...": "Wird berechnet …",
    "Stop": "Anhalten",
}
STREAMLIT_PREFIXES_DE = {
    "Help for ": "Hilfe zu ",
    "Limit ": "Höchstens ",
    "Download plot as a ": "Herunterladen als ",
}
STREAMLIT_SUFFIXES_DE = {" — start": " — Anfang", " — end": " — Ende", " per file": " je Datei"}
# plotly's modebar (plotly.js locale "de", passed with each chart's config)
PLOTLY_LABELS_DE = {
    "Download plot as a png": "Als PNG herunterladen",
    "Download plot as a PNG": "Als PNG herunterladen",
    "Download plot as a svg": "Als SVG herunterladen",
    "Download plot": "Diagramm herunterladen",
    "Zoom": "Zoomen",
    "Pan": "Verschieben",
    "Reset axes": "Achsen zurücksetzen",
    "Reset view": "Ansicht zurücksetzen",
    "Autoscale": "Automatisch skalieren",
    "Zoom in": "Hineinzoomen",
    "Zoom out": "Herauszoomen",
    "Toggle Spike Lines": "Hilfslinien ein/aus",
    "Show closest data on hover": "Nächsten Wert anzeigen",
    "Compare data on hover": "Werte vergleichen",
    "Double-click to zoom back out": "Doppelklick zoomt zurück",
    "Taking snapshot - this may take a few seconds": "Bild wird erstellt …",
    "Preparing image - this may take a few seconds": "Bild wird erstellt …",
    "Image download succeeded": "Bild heruntergeladen",
    "Sorry, there was a problem downloading your image!": "Das Bild ließ sich nicht erstellen.",
}

# Text alternatives of charts (views.alt_text)
ALT_SERIES = "{title}. {trend} Letzter Wert: {last} ({period})."
ALT_ROSE = "Von {first} ({period}) gestiegen."
ALT_FELL = "Von {first} ({period}) gesunken."
ALT_FLAT = "Seit {period} unverändert."
ALT_ONE_VALUE = "Bisher ein Wert."
ALT_OTHER_AREAS = " Dazu {n} weitere Linien: {names}."
ALT_TARGET = " Zielpfad bis {year}: {target}; der letzte Wert liegt {where} dem Zielpfad."
ALT_NO_TARGET = " Kein Zielwert."
ALT_ABOVE, ALT_BELOW, ALT_ON = "über", "unter", "auf"
ALT_FORECAST = " Trend bis {year}: {value}."
ALT_FORECAST_BOUND = " Trend erreicht {year} die {side} {value} und endet dort."
ALT_RANKING = (
    "{title}. Rangfolge von {n} Stadtbezirken: vorn {first} ({first_value}), "
    "hinten {last} ({last_value})."
)
ALT_MAP = (
    "{title}. Karte von {n} Stadtbezirken: höchster Wert {top} ({top_value}), "
    "niedrigster {low} ({low_value})."
)
ALT_TIMELINE = "{title}. Zeitplan von {n} Maßnahmen, davon {late} überfällig."
ALT_EMPTY = "{title}. Keine Werte."
ALT_RANK = "{title}. Zuletzt {last} ({period})."
ALT_RANK_FIRST = " Zuerst {first} ({period})."
ALT_RADAR = (
    "{title}. {n} Trends in {rings} Ringen ({ring_names}) und {sectors} Sektoren "
    "({sector_names}); Punkte: {moves}. Die Liste unter dem Radar nennt jeden Trend."
)

# Accessibility statement (BITV 2.0, Barrierefreie-Informationstechnik-Verordnung NRW)
STATEMENT_INTRO = (
    "Die Stadt Dortmund ist bemüht, dieses Dashboard im Einklang mit der "
    "Barrierefreie-Informationstechnik-Verordnung (BITV 2.0) und der BITV NRW barrierefrei "
    "zugänglich zu machen. Diese Erklärung gilt für das Kennzahlen-Dashboard {app}."
)
STATEMENT_STATUS_HEADER = "Stand der Vereinbarkeit mit den Anforderungen"
STATEMENT_STATUS = (
    "Das Dashboard ist **teilweise barrierefrei**. Jede Seite wird bei jeder Änderung "
    "automatisch mit axe-core nach WCAG 2.1 AA geprüft (keine schwerwiegenden Befunde in "
    "eigenen Inhalten). Jedes Diagramm hat eine Textbeschreibung; Farben tragen nie allein "
    "eine Bedeutung (Symbole und Beschriftungen ergänzen sie); alle Werte gibt es auch als "
    "Tabelle und zum Herunterladen (CSV, XLSX)."
)
STATEMENT_GAPS_HEADER = "Nicht barrierefreie Inhalte"
STATEMENT_GAPS = (
    "- Die interaktiven Diagramme (Zoomen, Verschieben) sind nur mit der Maus bedienbar. "
    "Die Werte stehen in den Tabellen der Seiten und in den Downloads.\n"
    "- Karten und Rangfolgen sind Grafiken mit einer Textbeschreibung; jeden einzelnen "
    "Wert zeigt die Tabelle der Seite als Text.\n"
    "- Einige Bedienelemente der eingesetzten Software (Streamlit) haben Schwächen, die "
    "wir nicht selbst beheben können (z. B. Tabellen, die auf einer Zeichenfläche "
    "gezeichnet werden). Sie sind dem Hersteller gemeldet."
)
STATEMENT_MADE_HEADER = "Erstellung dieser Erklärung"
STATEMENT_MADE = (
    "Diese Erklärung beruht auf einer Selbstbewertung (automatische Prüfung mit axe-core "
    "und Prüfung von Hand mit Tastatur und bei 390 Pixel Bildschirmbreite)."
)
STATEMENT_FEEDBACK_HEADER = "Feedback und Kontakt"
STATEMENT_FEEDBACK = (
    "Sind Ihnen Mängel beim barrierefreien Zugang aufgefallen, oder brauchen Sie Inhalte "
    "in einer anderen Form? Schreiben Sie uns: {contact}"
)
STATEMENT_NO_CONTACT = (
    "Für dieses Dashboard ist noch keine Kontaktadresse eingerichtet (Betrieb: Variable "
    "`DORTMUND_KPI_FEEDBACK`). Wenden Sie sich bis dahin an die Stadt Dortmund."
)
STATEMENT_ENFORCEMENT_HEADER = "Durchsetzungsverfahren"
STATEMENT_ENFORCEMENT = (
    "Haben Sie über den Kontakt keine zufriedenstellende Antwort erhalten, können Sie "
    "sich an die Ombudsstelle für barrierefreie Informationstechnik des Landes "
    "Nordrhein-Westfalen wenden. Das Verfahren ist kostenlos."
)

# Meeting-room mode (praesentation=1)
PRESENT_EXIT = "Präsentation beenden"
PRESENT_KEYS = "← → wechselt die Ansicht"
PRESENT_PREVIOUS = "Vorige Ansicht"
PRESENT_NEXT = "Nächste Ansicht"
PRESENT_POSITION = "Ansicht {number}/{total}"

# A trend that would leave the indicator's possible range stops at its bound (views.figures)
TREND_BOUND_SIDES = {"min": "Untergrenze", "max": "Obergrenze"}
TREND_BOUNDED = "Trend (endet an der {side})"  # short: a phone's legend cuts off

# The share dialog's list of views for a presentation (ui.present_list, URL key folge)
PRESENT_LIST_HEADER = "Präsentation aus mehreren Ansichten"
PRESENT_LIST_HELP = (
    "Sammeln Sie Ansichten (Seite mit ihren Filtern) in der Reihenfolge, in der Sie sie zeigen "
    "wollen. Der Link öffnet die erste im Präsentationsmodus; ← → wechseln innerhalb der Liste."
)
PRESENT_LIST_ADD = "Diese Ansicht hinzufügen"
PRESENT_LIST_CLEAR = "Liste leeren"
PRESENT_LIST_EMPTY = "Noch keine Ansicht in der Liste."
PRESENT_LIST_LINK = "Link zur Präsentation ({n} Ansichten):"

# The overview's status matrix (masterplan x district)
MATRIX_TITLE = "Zielstatus nach Masterplan und Stadtbezirk"
MATRIX_HELP = (
    "Je Zelle: das Urteil über die Kennzahlen des Masterplans mit Zielwert im Bezirk, in "
    "Klammern ihre Zahl je Status (✓ auf Kurs, ! gefährdet, ✗ nicht auf Kurs). Nicht auf "
    "Kurs, wenn mindestens ein Drittel nicht auf Kurs ist; gefährdet, wenn mindestens ein "
    "Drittel gefährdet oder nicht auf Kurs ist; sonst auf Kurs. Ein Klick auf eine Zelle "
    "öffnet den Masterplan gefiltert auf den Bezirk."
)
MATRIX_DISTRICT = "Stadtbezirk"
