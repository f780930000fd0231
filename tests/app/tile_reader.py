"""Reads the overview's KPI tiles back from their HTML (``ui.tile_markup``) into the fields
the tests compare: what a person reads on a tile, in the words the tile was made of.

Badges come back in Streamlit's Markdown form (``:orange-badge[Demodaten]``), bold text
as ``**…**`` and the line break before the target as Markdown's (two spaces, newline),
so the assertions written when a tile was a metric and a caption still read the same."""

from __future__ import annotations

from html.parser import HTMLParser
from typing import Any
from urllib.parse import unquote

from dortmund_kpi.ui import tile_markup

SVG_PREFIX = "data:image/svg+xml,"
ARROWS = tuple(f"{a} " for a in tile_markup.ARROWS.values() if a)


class _TileParser(HTMLParser):
    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.tiles: list[dict[str, Any]] = []
        self.stack: list[tuple[str, str]] = []  # (tag, class) of open elements
        self.badge: str | None = None  # colour of the badge being read

    @property
    def tile(self) -> dict[str, Any]:
        return self.tiles[-1]

    def _inside(self, css: str) -> bool:
        return any(css in cls.split() for _, cls in self.stack)

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        a = {k: v or "" for k, v in attrs}
        cls = a.get("class", "")
        if "dkpi-tile" in cls.split():
            fields = ("label", "value", "delta", "delta_description", "sparkline", "note")
            tile: dict[str, Any] = dict.fromkeys(fields, "")
            tile.update(id=a.get("data-indicator"), help=[], href="", link_label="")
            self.tiles.append(tile)
        elif tag == "img" and "dkpi-spark" in cls:
            self.tile["sparkline"] = unquote(a["src"].removeprefix(SVG_PREFIX))
        elif tag == "a" and "dkpi-tile-link" in cls:
            self.tile["href"], self.tile["link_label"] = a["href"], a.get("aria-label", "")
        elif tag == "p" and self._inside("dkpi-tile-help"):
            self.tile["help"].append("")
        elif tag == "strong" and self._inside("dkpi-tile-help"):
            self.tile["help"][-1] += "**"
        elif tag == "br" and self._inside("dkpi-tile-note"):
            self.tile["note"] += "  \n"
        elif tag == "span" and "dkpi-badge" in cls:
            self.badge = next(c.removeprefix("dkpi-") for c in cls.split() if c != "dkpi-badge")
            self.tile["note"] += f":{self.badge}-badge["
        if tag not in ("img", "br"):
            self.stack.append((tag, cls))

    def handle_endtag(self, tag: str) -> None:
        _, cls = self.stack.pop()
        if tag == "strong" and self._inside("dkpi-tile-help"):
            self.tile["help"][-1] += "**"
        elif tag == "span" and "dkpi-badge" in cls:
            self.tile["note"] += "]"
            self.badge = None

    def handle_data(self, data: str) -> None:
        if not self.tiles or not self.stack:
            return
        tag, cls = self.stack[-1]
        if self._inside("dkpi-tile-help"):
            if self.tile["help"]:
                self.tile["help"][-1] += data
        elif tag == "h3":
            self.tile["label"] += data
        elif "dkpi-tile-value" in cls:
            self.tile["value"] += data
        elif "dkpi-delta" in cls:
            self.tile["delta"] += data
        elif "dkpi-tile-change" in cls:
            self.tile["delta_description"] += data
        elif self._inside("dkpi-tile-note"):
            self.tile["note"] += data


def read_tiles(markup: str) -> list[dict[str, Any]]:
    """Every tile in ``markup``, as the AppTest helper ``tiles`` returns them."""
    parser = _TileParser()
    parser.feed(markup)
    out = []
    for t in parser.tiles:
        delta = t["delta"]
        for arrow in ARROWS:
            delta = delta.removeprefix(arrow)
        out.append(
            {
                "id": t["id"],
                "label": f"**{t['label']}**",
                "value": t["value"],
                "help": "\n\n".join(t["help"]),
                "delta": delta,
                "delta_description": t["delta_description"].strip(),
                "sparkline": t["sparkline"],
                "captions": [t["note"]],
                "href": t["href"],
                "link_label": t["link_label"],
            }
        )
    return out
