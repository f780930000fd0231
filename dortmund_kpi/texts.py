"""All German UI texts in one place (code and identifiers stay English)."""

from __future__ import annotations

from dataclasses import dataclass

from dortmund_kpi.status import Change, Status

APP_TITLE = "Dortmund KPI"
APP_SUBTITLE = "Kennzahlen der Digitalisierungsstrategie DOgital der Stadt Dortmund"
PAGE_TITLES = {
    "uebersicht": "Übersicht",
    "masterplan": "Masterplan",
    "indikator": "Indikator",
    "bezirke": "Stadtbezirke",
    "daten": "Daten & Methodik",
    "trends": "Technologiescout",
    "vergleich": "Vergleich",
}
PAGE_ICONS = {
    "uebersicht": ":material/dashboard:",
    "masterplan": ":material/flag:",
    "indikator": ":material/show_chart:",
    "bezirke": ":material/map:",
    "daten": ":material/database:",
    "trends": ":material/radar:",
    "vergleich": ":material/leaderboard:",
}

# Filters
# Nouns in number, for counts: formatting.counted(n, *texts.ROWS) -> "1 Zeile", "2 Zeilen"
ROWS = ("Zeile", "Zeilen")
RECORDS = ("Datensatz", "Datensätze")
CELLS = ("Zelle", "Zellen")
FILES = ("Datei", "Dateien")
PROBLEMS = ("Problem", "Probleme")
VIEWS = ("Ansicht", "Ansichten")

FILTER_HEADER = "Filter"
FILTER_DISTRICTS = "Stadtbezirke"
FILTER_DISTRICTS_HELP = "Leer lassen für die Gesamtstadt; mehrere Bezirke möglich."
FILTER_DISTRICTS_PLACEHOLDER = "Gesamtstadt"
FILTER_PERIOD = "Zeitraum (Jahre)"
FILTER_NOT_HERE = "Auf dieser Seite ohne Wirkung; die Auswahl gilt für die anderen Seiten."
FILTER_MASTERPLAN = "Masterplan"
FILTER_INDICATOR = "Indikator"
FILTER_PER_CAPITA = "je 1.000 Einwohner"
FILTER_PROFILE_DISTRICT = "Stadtbezirk"
URL_NOTICE = (
    "Der Link enthält einen ungültigen Wert für „{key}“ ({value}); es gilt die Standardeinstellung."
)
URL_NOTICE_EMPTY = (
    "Der Link enthält einen leeren Wert für „{key}“; es gilt die Standardeinstellung."
)

# Markers and status
DEMO_BADGE = "Demodaten"
DEMO_EXPLAINED = (
    "Enthält **Demodaten**: erzeugte Beispielwerte, keine amtlichen Zahlen. "
    "Sie werden ersetzt, sobald die Fachbereiche echte Werte importieren."
)
OFFICIAL = "amtlich/veröffentlicht"
DEMO = "Demodaten"
NO_TARGET = "kein Zielwert"
NO_RATING = "ohne Bewertung"


@dataclass(frozen=True)
class Style:
    """How a status or change is shown: German label, icon (a glyph the UI fonts have),
    Streamlit colour name (badges, metric deltas) and chart colour (colour-blind safe,
    Paul Tol; None: not drawn in charts)."""

    label: str
    icon: str
    color: str
    chart: str | None = None


# One table each: every place that shows a target status or a change looks it up here.
STATUS_STYLE: dict[Status, Style] = {
    Status.ON_TRACK: Style("auf Kurs", "✓", "green", "#117733"),
    Status.AT_RISK: Style("gefährdet", "!", "orange", "#DDAA33"),
    Status.OFF_TRACK: Style("nicht auf Kurs", "✗", "red", "#CC6677"),
}
NO_STATUS_STYLE = Style(NO_TARGET, "–", "gray", "#888888")  # no target (or no value)
CHANGE_STYLE: dict[Change, Style] = {
    Change.BETTER: Style("besser", "▲", "green"),
    Change.WORSE: Style("schlechter", "▼", "red"),
    Change.UNCHANGED: Style("unverändert", "▶", "gray"),
}


def status_style(status: object) -> Style:
    """The style of a status; ``NO_STATUS_STYLE`` for None, NaN or anything else."""
    return STATUS_STYLE.get(status, NO_STATUS_STYLE) if isinstance(status, str) else NO_STATUS_STYLE


def status_badge_parts(status: object) -> tuple[str, str]:
    """A status badge's colour and text ("✓ auf Kurs"; none: "kein Zielwert"), Markdown or HTML."""
    style = status_style(status)
    text = style.label if style is NO_STATUS_STYLE else f"{style.icon} {style.label}"
    return style.color, text


# Derived from the tables (older names, still used); keys are the members, equal to the
# German strings.
STATUS_ICONS = {s: style.icon for s, style in STATUS_STYLE.items()}
STATUS_COLORS = {s: style.color for s, style in STATUS_STYLE.items()}
CHANGE_TEXT = {c: style.label for c, style in CHANGE_STYLE.items()}
CHANGE_ARROW = {c: style.icon for c, style in CHANGE_STYLE.items()}
TARGET = "Ziel {value} bis {year}"
TARGET_DEMO = "Demo-Zielwert"
VS_PREVIOUS = "ggü. {period}"  # CROSS_ORIGIN: by the origin of the value compared with
CROSS_ORIGIN = {True: "Vergleich mit amtlichem Wert", False: "Vergleich mit Demodaten"}

# Charts
SOURCE = "Quelle"
STAND = "Stand"
CITY = "Dortmund (gesamt)"
OVERVIEW_DISTRICT = (
    "Kacheln für **{name}**, wo es Werte je Stadtbezirk gibt; sonst für die Gesamtstadt "
    "(jede Kachel nennt ihr Gebiet). Matrix und Maßnahmen zeigen die ganze Stadt."
)
OVERVIEW_FIRST_DISTRICT = "Die Übersicht zeigt einen Stadtbezirk: den ersten gewählten ({name})."
TILE_CITY = "Gesamtstadt"
DISTRICTS_COMPARED = "Stadtbezirke im Vergleich"
DISTRICTS_COMPARED_HELP = (
    "Die gewählten Stadtbezirke nebeneinander: der letzte Wert je Kennzahl und der Rang unter "
    "allen Stadtbezirken; liegt er in einem Bezirk in einem anderen Zeitraum, steht er in der "
    "Zeile seines Zeitraums. Anzahlen je 1.000 Einwohner."
)
DISTRICTS_CHART = "Im Zeitverlauf: Stadtbezirke und Gesamtstadt"
DISTRICTS_PICK = (
    "Wählen Sie in der Seitenleiste einen oder mehrere Stadtbezirke; gezeigt wird {name}."
)
STATUS_METHOD = (
    "**Wie wird der Zielstatus berechnet?** Der Zielpfad führt gerade vom Ausgangswert (dem "
    "ersten Wert seit 2018) zum Ziel am Ende des Zieljahres; der Trend ist die lineare "
    "Entwicklung der letzten drei Jahre. **auf Kurs:** das Ziel ist erreicht, oder der Trend "
    "erreicht es bis zum Ende des Zieljahres. **gefährdet:** der Trend schafft mindestens 75 % "
    "des verbleibenden Wegs, oder der letzte Wert liegt noch auf dem Zielpfad. **nicht auf "
    "Kurs:** sonst, oder das Zieljahr ist vorbei und das Ziel nicht erreicht."
)
STATUS_NUMBERS = (
    "**Hier:** Ausgangswert {base} ({base_date}), Ziel {target} bis Ende {year}. Letzter Wert "
    "{latest} ({period}); der Zielpfad erwartete dann {planned}. Trend bis Ende {year}: "
    "{projected}. **Ergebnis: {status}.**"
)
STATUS_NO_TREND = "kein Trend (zu wenige Werte in den letzten drei Jahren)"
STATUS_NOT_RATED = "Ohne Zielwert oder ohne Werte im Zeitraum gibt es keinen Zielstatus."
OVERVIEW_SLIDE_AREA = "{name}, wo Bezirkswerte vorliegen, sonst Gesamtstadt"
TARGET_PATH = "Zielpfad"
TREND = "Trend (Fortschreibung)"
VALUE = "Wert"
RANKING_TITLE = "Rangfolge der Stadtbezirke"
MAP_SCHEMATIC = "Bezirksgrenzen schematisch (keine amtliche Geometrie)"
PER_1000 = "je 1.000 Einw."
EMPTY = "Für diese Auswahl gibt es keine Daten. Bitte Zeitraum oder Stadtbezirke ändern."
BEFORE_FIRST_DATA = (
    "Zu diesem Stand ({stand}) lagen noch keine Werte vor. Der erste Import war am {first}; "
    "„Aktuelle Daten anzeigen“ oder ein späterer Stand zeigt die Werte."
)
EMPTY_DISTRICTS = "Für diesen Indikator gibt es keine Werte je Stadtbezirk."

# Pages
OVERVIEW_INTRO = (
    "Der Stand der Digitalisierung Dortmunds auf einen Blick: je Masterplan die Kennzahlen mit "
    "letztem Wert, Veränderung zum Vorzeitraum und Zielstatus."
)
SPARKLINE_ALT = "Verlauf im gewählten Zeitraum"
CHART_GROUPS = "Kennzahlen"
CHART_GROUP = "{first}–{last}"
TILES_SHOWN = (
    "{shown} von {total} Kennzahlen: zuerst die nicht auf Kurs und gefährdeten. "
    "Alle zeigt die Masterplan-Seite."
)
OPEN_INDICATOR = "Zum Indikator"
TILE_HELP = "Erläuterung"
INDICATOR_META = "Metadaten"
DATA_TABLE = "Datentabelle"
DOWNLOAD_CSV = "CSV herunterladen (Excel)"
DOWNLOAD_TEMPLATE = "Importvorlage herunterladen (CSV)"
PROFILE_TITLE = "Profil des Stadtbezirks {name}"
PROFILE_INTRO = (
    "Jede Kennzahl mit Bezirkswerten: der letzte Wert im Bezirk, der Durchschnitt der "
    "Gesamtstadt und der Rang unter den {n} Stadtbezirken (1 = bester Wert). Anzahlen werden "
    "je 1.000 Einwohner verglichen."
)
CATALOG = "Indikatorenkatalog"
FRESHNESS = "Aktualität der Daten"
IMPORT_LOG = "Importprotokoll"
LICENCES = "Lizenzen und Quellen der Referenzdaten"
OVERDUE = "überfällig"
CURRENT = "aktuell"

COLUMNS = {
    "area_name": "Gebiet",
    "period": "Zeitraum",
    "value": "Wert",
    "per_1000": "je 1.000 Einw.",
    "kind": "Datenart",
    "city_kind": "Datenart Gesamtstadt",
    "source": "Quelle",
    "note": "Anmerkung",
    "indicator": "Indikator",
    "masterplan": "Masterplan",
    "unit": "Einheit",
    "rank": "Rang",
    "city": "Gesamtstadt",
    "deviation": "Abweichung",
    "status": "Zielstatus",
    "last_period": "letzter Zeitraum",
    "due": "nächster Wert fällig",
    "updated": "zuletzt geändert",
    "freshness": "Aktualität",
    "population": "Einwohner",
}
FREQUENCY = {"yearly": "jährlich", "quarterly": "vierteljährlich", "monthly": "monatlich"}
DIRECTION = {"higher": "höher ist besser", "lower": "niedriger ist besser"}
AGGREGATION = {
    "sum": "Summe der Bezirke",
    "mean_pop": "einwohnergewichteter Mittelwert",
    "none": "nur gesamtstädtisch",
}
LEVEL = {"city": "Gesamtstadt", "district": "Gesamtstadt und Stadtbezirke"}

DATA_INTRO = (
    "Woher die Zahlen kommen und wie aktuell sie sind. Jede Kennzahl ist im Katalog "
    "definiert (Einheit, Definition, Quelle, Zielwert). Werte werden als CSV oder XLSX im "
    "Vorlagenformat importiert (`dortmund-kpi import`); jede Änderung bleibt als Revision "
    "erhalten. Werte ohne öffentliche Quelle sind **Demodaten** und überall so markiert."
)
GEOMETRY_SCHEMATIC = (
    "**Hinweis zur Karte:** Die Grenzen der Stadtbezirke sind **schematisch** (aus der "
    "amtlichen Stadtgrenze und den Bezirksmittelpunkten konstruiert, Flächen an die amtlichen "
    "angenähert). Sie sind keine amtlichen Grenzen, bis die amtliche Geometrie aus dem "
    "Open-Data-Portal (Datensatz `stadtbezirke-dortmund`) mit `dortmund-kpi geometry DATEI` "
    "geladen ist."
)
GEOMETRY_OFFICIAL = "Die Karte zeigt die amtlichen Grenzen der Stadtbezirke (Open-Data-Portal)."
TEMPLATE_TITLE = "Importvorlage"
TEMPLATE_HELP = (
    "Langformat mit der Kopfzeile `indikator;bezirk;zeitraum;wert` und optional `anmerkung`, "
    "`quelle`, `datenart` (`amtlich` oder `demo`). Trennzeichen `;`, `,` oder Tab; "
    "Dezimalkomma oder -punkt; `-` oder leer für fehlende Werte. Bezirk: Name oder Kürzel, "
    "`Dortmund`/`gesamt`/leer für die Gesamtstadt. Zeitraum: `2023`, `2023-Q2`, `Q2/2023`, "
    "`2023-05` oder `31.12.2023`. Import: `dortmund-kpi import DATEI` (erst prüfen mit "
    "`--dry-run`)."
)
MEASURES_TEMPLATE_HELP = (
    "Maßnahmen: eine Zeile je Maßnahme mit `id`, `masterplan`, `titel`, `verantwortlich`, "
    "`beginn`, `frist`, `status` (`geplant`, `in Umsetzung`, `abgeschlossen`, `verzögert`, "
    "`gestoppt`), `statusdatum`, `indikatoren` (IDs, mit Komma getrennt) und optional "
    "`beschreibung`, `bezirke` (leer = Gesamtstadt), `budget_eur`, `datenart`. Ein neuer Status "
    "ersetzt den alten nicht: Der Verlauf bleibt sichtbar."
)
DOWNLOAD_MEASURES_TEMPLATE = "Vorlage für Maßnahmen herunterladen (CSV)"
LICENCE_TEXT = """
- **Stadtgrenze:** © GeoBasis-DE / BKG (2023), VG250, Lizenz
  [Datenlizenz Deutschland – Namensnennung – 2.0](https://www.govdata.de/dl-de/by-2-0).
- **Stadtbezirke (Fläche, Einwohner, Lagepunkte):** Wikipedia-Artikel „Stadtbezirk …“
  ([CC BY-SA 4.0](https://creativecommons.org/licenses/by-sa/4.0/deed.de)), die auf die
  Dortmunder Statistik verweisen. Die Bevölkerungsstände haben unterschiedliche Stichtage.
- **Veröffentlichte Kennzahlen:** Pressemitteilungen der Stadt Dortmund und Berichte der
  Lokalpresse; die Adresse jeder Zahl steht in der Spalte Quelle.
- **Bitkom Smart City Index:** Presseberichte zu den Ergebnissen des Bitkom e. V.
- **Demodaten:** deterministisch erzeugt (fester Startwert), keine amtlichen Zahlen.
- **Software:** Dortmund KPI, Open Source (MIT-Lizenz).
"""
KIND_MIXED = "amtliche Werte und Demodaten (Demodaten hohl dargestellt)"
DEMO_POINTS = "Demodaten (hohle Punkte)"
REJECTED_IMPORTS = (
    "**Abgelehnte Importe** (die Datenbank blieb unverändert; Details zeigt "
    "`dortmund-kpi import --dry-run DATEI`):"
)

# Sharing and pinned views
SHARE_BUTTON = "Link teilen"
SHARE_TITLE = "Link teilen"
SHARE_LIVE = "**Live-Link**: zeigt immer die neuesten Daten dieser Ansicht."
SHARE_PINNED = (
    "**Link mit festem Datenstand** ({stand}): zeigt genau die Zahlen von jetzt, auch "
    "nach späteren Importen – für Präsentationen und Protokolle."
)
SHARE_QR_FOR = "QR-Code für"
SHARE_QR_CHOICES = ("Link mit festem Datenstand", "Live-Link")
SHARE_QR_CAPTION = "QR-Code für Folien und Ausdrucke"
SHARE_QR_PNG = "QR-Code als PNG"
SHARE_QR_SVG = "QR-Code als SVG"
DATA_STAND_SIDEBAR = "Datenstand: {stand}"
PINNED_SIDEBAR = "Fester Datenstand: {stand}"
PINNED_BANNER = "Diese Ansicht zeigt den **Datenstand vom {stand}**."
PINNED_NEWER = "Es gibt neuere Daten (Stand {live}): [zur aktuellen Ansicht]({link})."
SHOW_LIVE = "Aktuelle Daten anzeigen"
DATA_LICENCE = (
    "Veröffentlichte Kennzahlen: Quelle wie angegeben; Demodaten: erzeugt, keine amtlichen "
    "Zahlen; Referenzdaten siehe „Daten & Methodik“"
)
# Slides (the deck and its button): texts_slides.py, re-exported below

# Comparison with other municipalities (texts_comparison.py), editor upload and import
# assistant (texts_editor.py), exports and their metadata (texts_exports.py): re-exported
from dortmund_kpi.texts_comparison import *  # noqa: E402, F403
from dortmund_kpi.texts_editor import *  # noqa: E402, F403
from dortmund_kpi.texts_exports import *  # noqa: E402, F403

# Page frame, chart text alternatives, accessibility statement: texts_present.py
from dortmund_kpi.texts_present import *  # noqa: E402, F403

# Technologiescout and public mode: texts_trends.py (re-exported here)
from dortmund_kpi.texts_trends import *  # noqa: E402, F403

# Measures (Maßnahmen)
MEASURES_TITLE = "Maßnahmen"
MEASURES_TIMELINE = "Maßnahmen im Zeitverlauf"
MEASURES_TIMELINE_HELP = (
    "Balken von Beginn bis Frist, Farbe nach Status. ⚠ markiert überfällige Maßnahmen "
    "(Frist verstrichen, nicht abgeschlossen oder gestoppt)."
)
MEASURES_LINKED = "Maßnahmen zu diesem Indikator"
MEASURES_DISTRICT = "Maßnahmen in diesem Stadtbezirk (einschließlich gesamtstädtischer)"
MEASURES_OVERVIEW = "Stand der Maßnahmen je Masterplan"
MEASURES_OVERVIEW_HELP = (
    "Anzahl der Maßnahmen je Status; überfällig: Frist verstrichen, noch offen."
)
MEASURES_NONE = "Keine Maßnahmen erfasst."
MEASURES_NONE_LINKED = "Diesem Indikator ist keine Maßnahme zugeordnet."
MEASURES_NONE_OVERDUE = "Keine überfälligen Maßnahmen."
MEASURES_OVERDUE_LIST = "Überfällig"
MEASURE_STATUS_ICONS = {
    "geplant": "○",
    "in Umsetzung": "▶",
    "abgeschlossen": "✓",
    # a clock's quarter: ◐ showed as a bare half-disc in Chromium with Debian's fonts (its
    # outline missing), ⏸ not at all; DejaVu Sans draws ◷ whole
    "verzögert": "◷",
    "gestoppt": "■",
}
MEASURE_OVERDUE = "⚠ überfällig"
MEASURE_OVERDUE_SINCE = "⚠ überfällig seit {deadline}"
MEASURE_CITYWIDE = "Gesamtstadt"
MEASURE_DETAIL = "Maßnahme"
MEASURE_OPEN = "Details"
MEASURE_CLOSE = "Schließen"
MEASURE_UNKNOWN = "Die Maßnahme „{id}“ ist zu diesem Stand nicht erfasst."
MEASURE_HISTORY = "Statusverlauf"
MEASURE_DESCRIPTION = "Beschreibung"
MEASURE_INDICATOR = "Indikator (Zielstatus)"
MEASURE_LINKED_INDICATORS = "Zugeordnete Indikatoren und ihr Zielstatus"
MEASURE_FIELDS = {
    "masterplan": "Masterplan",
    "owner": "Verantwortlich",
    "start_date": "Beginn",
    "deadline": "Frist",
    "status": "Status",
    "status_date": "Statusmeldung vom",
    "districts": "Stadtbezirke",
    "budget_eur": "Budget",
    "kind": "Datenart",
    "city_kind": "Datenart Gesamtstadt",
}
MEASURE_COLUMNS = {
    "title": "Maßnahme",
    "masterplan_name": "Masterplan",
    "owner": "Verantwortlich",
    "start": "Beginn",
    "deadline": "Frist",
    "status": "Status",
    "late": "Überfällig",
    "districts": "Stadtbezirke",
    "indicators": "Indikatoren",
}
MEASURE_HISTORY_COLUMNS = {
    "status": "Status",
    "status_date": "Statusmeldung vom",
    "known": "Erfasst am",
}
MEASURES_DEMO = "Demo-Maßnahmen: Beispiele, keine beschlossenen Maßnahmen der Stadt Dortmund."
MEASURES_SOURCE = "Maßnahmenliste (Import)"
MEASURES_TODAY = "heute"
MEASURES_PINNED_DAY = "Stand {day}"
# Slides: texts_slides.py
from dortmund_kpi.texts_slides import *  # noqa: E402, F403
