"""German texts of the slides and their button: titles of the summary slides, columns,
the QR caption, the option of detail slides.

Part of ``texts.py``, which re-exports every name: use them as ``texts.NAME``. A module of
its own only because ``texts.py`` reached the size limit of a module.
"""

SLIDES_BUTTON = "Als Folie (PPTX)"
SLIDES_HELP = (
    "Eine PowerPoint-Folie mit der Kernaussage dieser Ansicht (Quelle, Datenstand, Link und "
    "QR-Code); mit „Detailfolien“ zusätzlich eine Folie je Diagramm und Tabelle"
)
SLIDES_DETAILS = "Detailfolien"
# The day a measures slide judges deadlines by (today, or a pinned link's day): not its
# "Stand" (the data's, in the slide's source line), so it has a name of its own.
SLIDE_MEASURES_DAY = "Fristen zum Stichtag {day}"
SLIDES_DETAILS_HELP = "Zur Folie der Ansicht eine Folie je Diagramm und Tabelle hinzufügen"
SLIDE_OVERVIEW_TITLE = "Alle Masterpläne: Kennzahlen im Überblick"
SLIDE_PLAN_TITLE = "Masterplan {name}: Zielstatus und letzte Werte"
SLIDE_SUMMARY_COLUMNS = {
    "indicator": "Kennzahl",
    "period": "Zeitraum",
    "status": "Zielstatus",
    "origin": "Datenart",
    "plan": "Masterplan",
}
SLIDE_ORIGIN_BOTH = "amtlich und Demodaten"
SLIDE_QR_CAPTION = "Live-Ansicht öffnen"
SLIDE_QR_PINNED = "Diese Ansicht mit ihrem Datenstand öffnen"
SLIDE_ROWS_LEFT_OFF = "… und {n} weitere Zeilen (vollständig in der Ansicht und im Download)"
