"""The overview's KPI tiles as HTML (``ui.tile_markup``): every field a tile showed as a
metric and caption is there, text from files stays text, and the link opens the indicator."""

from __future__ import annotations

import ast
import json
from html.parser import HTMLParser
from pathlib import Path

from dortmund_kpi import texts
from dortmund_kpi.status import Status
from dortmund_kpi.ui import tile_markup
from dortmund_kpi.views.overview import Tile
from dortmund_kpi.views.sparkline import sparkline_svg
from tests.app.tile_reader import read_tiles


def _tile(**changes: object) -> Tile:
    fields: dict = {
        "indicator_id": "glasfaser_haushalte",
        "masterplan": "wirtschaft",
        "title": "Glasfaser",
        "name": "Haushalte mit Glasfaseranschluss",
        "value": "51,2 %",
        "unit": "%",
        "period": "2025",
        "change": "+3,1 Pp.",
        "versus": "ggü. 2024",
        "change_word": "besser",
        "status": Status.AT_RISK,
        "target": "Ziel 90,0 % bis 2030",
        "demo": True,
        "sparkline_markup": sparkline_svg([40.0, 48.1, 51.2], "besser", texts.SPARKLINE_ALT),
        "rising": True,
        "explanation": "**Wie?** Zielpfad.\n\n**Ergebnis: gefährdet.**",
    }
    return Tile(**(fields | changes))


def test_a_tile_reads_back_as_the_metric_and_caption_it_replaced() -> None:
    tile = _tile(area="Hörde", origin_note=texts.CROSS_ORIGIN[False])
    (shown,) = read_tiles(tile_markup.tiles_html((tile,), show_area=True))
    assert shown["id"] == "glasfaser_haushalte"
    assert shown["label"] == "**Glasfaser**" and shown["value"] == "51,2 %"
    assert shown["help"] == f"{tile.name}\n\n{tile.explanation}"
    assert shown["delta"] == "+3,1 Pp." and shown["delta_description"] == "ggü. 2024, besser"
    assert shown["sparkline"] == tile.sparkline_markup  # the image is the SVG, unchanged
    assert shown["captions"] == [
        f"Hörde · % · 2025 · :orange-badge[{texts.DEMO_BADGE}] · {texts.CROSS_ORIGIN[False]}"
        "  \n:orange-badge[! gefährdet] Ziel 90,0 % bis 2030"
    ]
    assert shown["href"] == "indikator?indikator=glasfaser_haushalte"
    assert shown["link_label"] == f"{texts.OPEN_INDICATOR} „{tile.name}“"


def test_change_colour_and_arrow_follow_the_tile() -> None:
    worse = tile_markup.tile_html(_tile(change="−2", change_word="schlechter", rising=False))
    assert '<span class="dkpi-delta dkpi-red">↓ −2</span> ggü. 2024, schlechter' in worse
    flat = tile_markup.tile_html(_tile(change="±0", change_word="unverändert", rising=None))
    assert '<span class="dkpi-delta dkpi-gray">±0</span>' in flat
    assert "dkpi-delta" not in tile_markup.tile_html(_tile(change="", versus=""))


def test_city_tile_without_target_sparkline_or_rating() -> None:
    plain = _tile(demo=False, sparkline_markup="", target=texts.NO_TARGET, status=None)
    (shown,) = read_tiles(tile_markup.tiles_html((plain,)))
    assert shown["captions"] == [f"% · 2025  \n:gray-badge[{texts.NO_TARGET}]"]
    assert shown["sparkline"] == ""
    assert '<div class="dkpi-spark-space"></div>' in tile_markup.tile_html(plain)
    unrated = _tile(status=None)
    assert (
        f":gray-badge[{texts.NO_RATING}] Ziel 90,0"
        in read_tiles(tile_markup.tile_html(unrated))[0]["captions"][0]
    )


def test_text_from_files_stays_text() -> None:
    hostile = '<img src=x onerror="alert(1)"> **fett**'
    markup = tile_markup.tile_html(
        _tile(title=hostile, name=hostile, value="<b>1</b>", indicator_id='x"><script>')
    )

    found: list[str] = []

    class Tags(HTMLParser):
        def handle_starttag(self, tag: str, attrs: list) -> None:
            found.append(tag)

    Tags().feed(markup)
    assert "script" not in found and "b" not in found
    assert found.count("img") == 1  # the sparkline only
    # The name is a title, not Markdown: its asterisks are not made bold.
    assert "<strong>fett</strong>" not in markup.split("<details")[0]
    assert read_tiles(markup)[0]["label"] == f"**{hostile}**"


def test_sparkline_image_is_a_self_contained_svg() -> None:
    markup = tile_markup.tile_html(_tile())
    source = markup.split('src="', 1)[1].split('"', 1)[0]
    assert source.startswith("data:image/svg+xml,%3Csvg")
    assert "#" not in source and "<" not in source and '"' not in source
    assert 'xmlns="http://www.w3.org/2000/svg"' in read_tiles(markup)[0]["sparkline"]
    assert f'alt="{texts.SPARKLINE_ALT}"' in markup


def test_links_are_relative_carry_the_view_and_are_marked_for_the_page_change_script() -> None:
    assert tile_markup.page_href("indikator", (("indikator", ("a b&c",)),)) == (
        "indikator?indikator=a+b%26c"
    )
    assert tile_markup.page_href("uebersicht", ()) == "./"  # the main page's own path
    view = (("bezirk", ("hoerde", "eving")), ("zeitraum", ("2020", "2024")))
    (shown,) = read_tiles(tile_markup.tiles_html((_tile(),), False, view))
    assert shown["href"] == (
        "indikator?bezirk=hoerde&bezirk=eving&zeitraum=2020&zeitraum=2024"
        "&indikator=glasfaser_haushalte"
    )
    assert f'class="{tile_markup.NAV_CLASS} dkpi-tile-link"' in tile_markup.tile_html(_tile())


def test_the_markup_module_is_streamlit_free() -> None:
    """The tiles' HTML is made (and tested) without Streamlit, like the views."""
    tree = ast.parse(Path(tile_markup.__file__).read_text(encoding="utf-8"))
    imported = {a.name for n in ast.walk(tree) if isinstance(n, ast.Import) for a in n.names}
    imported |= {n.module or "" for n in ast.walk(tree) if isinstance(n, ast.ImportFrom)}
    assert not any(name.split(".")[0] == "streamlit" for name in imported)


def test_a_masterplan_card_holds_title_badge_explanation_body_and_link() -> None:
    card = tile_markup.card_html(
        "glasfaser_haushalte",
        "Haushalte mit <Glasfaser>",
        "Glasfaser & Co",
        Status.OFF_TRACK,
        "Wie wird der Zielstatus berechnet?\n\n**Ergebnis: nicht auf Kurs.**",
        '<div class="dkpi-small-multiple"><svg></svg></div>',
    )
    assert card.startswith('<div class="dkpi-card" data-indicator="glasfaser_haushalte">')
    assert "<strong>Glasfaser &amp; Co</strong>" in card  # text from files stays text
    assert tile_markup.status_badge(Status.OFF_TRACK) in card
    assert "<p>Haushalte mit &lt;Glasfaser&gt;</p><p>Wie wird der Zielstatus berechnet?</p>" in card
    assert "<strong>Ergebnis: nicht auf Kurs.</strong>" in card
    assert '<div class="dkpi-small-multiple"><svg></svg></div>' in card
    link = (
        f'<a class="{tile_markup.NAV_CLASS}" href="indikator?indikator=glasfaser_haushalte" '
        f'aria-label="{texts.OPEN_INDICATOR} „Haushalte mit &lt;Glasfaser&gt;“">'
    )
    assert link in card


class _Scripts(HTMLParser):
    def __init__(self) -> None:
        super().__init__()
        self.tags: list[str] = []
        self.scripts: list[str] = []

    def handle_starttag(self, tag: str, attrs: list) -> None:
        self.tags.append(tag)

    def handle_data(self, data: str) -> None:
        if self.tags and self.tags[-1] == "script":
            self.scripts.append(data)


def test_a_drawing_travels_as_one_script_that_sets_its_markup() -> None:
    """What the sanitiser of ``st.html`` sees: an empty holder and one script, whose text
    holds no ``<`` (the sanitiser drops a script whose text reads as markup); the
    script sets the markup, unchanged, even one that tries to end the script."""
    markup = '<svg role="img"><title>Ärger & „Zahlen“</title></svg></script><script>x()'
    html = tile_markup.drawing_html(markup)
    parsed = _Scripts()
    parsed.feed(html)
    assert parsed.tags == ["div", "script"] and len(parsed.scripts) == 1
    script = parsed.scripts[0]
    assert "<" not in script
    prefix = "document.currentScript.previousElementSibling.innerHTML="
    assert script.startswith(prefix) and script.endswith(";")
    assert json.loads(script[len(prefix) : -1]) == markup
    assert html.startswith(f'<div class="{tile_markup.DRAWING_CLASS}"></div>')


def test_a_measure_links_its_title_and_writes_its_facts_as_text() -> None:
    line = tile_markup.measure_html(
        "bezirke?bezirk=hoerde&massnahme=v01",
        'Portal "neu" <b>&</b>',
        "Verwaltung · ▶ in Umsetzung · Frist 31.12.2026",
        overdue=True,
        demo=True,
    )
    link = f'<a class="{tile_markup.NAV_CLASS}" href="bezirke?bezirk=hoerde&amp;massnahme=v01">'
    assert line.startswith(f"<li>{link}") and "<b>" not in line
    assert f'{link}Portal "neu" &lt;b&gt;&amp;&lt;/b&gt;</a>' in line
    assert f"<strong>{texts.MEASURE_OVERDUE}</strong>" in line
    assert tile_markup.badge("orange", texts.DEMO_BADGE) in line
    plain = tile_markup.measure_html("?massnahme=v02", "B", "Bildung", overdue=False, demo=False)
    assert "<strong>" not in plain and "dkpi-orange" not in plain
    whole = tile_markup.measure_list_html([line, plain])
    assert whole == f'<ul class="{tile_markup.MEASURES_CLASS}" role="list">{line}{plain}</ul>'


def test_a_link_to_the_overview_is_its_query_alone() -> None:
    """The overview's path is empty: its links are relative to the page they are on."""
    assert tile_markup.page_href("uebersicht", (("massnahme", ("v01",)),)) == "?massnahme=v01"
    assert tile_markup.page_href("uebersicht", ()) == "./"
