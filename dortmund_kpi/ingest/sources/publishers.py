"""Who published a table: from its © line, else from the form of its table code.

IT.NRW's Landesdatenbank numbers tables ``22811-01i``, the Regionaldatenbank
Deutschland ("Regionalstatistik") ``12411-01-01-4``, Destatis' GENESIS-Online
``12411-0001``. A © line in the file ("© IT.NRW, Düsseldorf, 2025. Dieses Werk ist
lizenziert unter …") names the publisher and, often, the licence.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

# (pattern on the © text, short name, publisher and database)
_BY_COPYRIGHT = (
    (re.compile(r"IT\.?\s?NRW", re.I), "IT.NRW", "IT.NRW, Landesdatenbank NRW"),
    (
        re.compile(r"Statistische\s+Ämter\s+des\s+Bundes\s+und\s+der\s+Länder", re.I),
        "Regionalstatistik",
        "Statistische Ämter des Bundes und der Länder, Regionaldatenbank Deutschland",
    ),
    (
        re.compile(r"Destatis|Statistisches\s+Bundesamt", re.I),
        "Destatis",
        "Statistisches Bundesamt (Destatis), GENESIS-Online",
    ),
)
_BY_CODE = (
    (re.compile(r"^\d{5}-\d{2,3}[a-z]{1,3}$"), 0),
    (re.compile(r"^\d{5}-\d{2}-\d{2}-\d(-[A-Z]+)?$"), 1),
    (re.compile(r"^\d{5}-\d{4}$"), 2),
)
TABLE_CODE = re.compile(r"(?<![0-9A-Za-z-])(\d{5}-[0-9A-Za-z]+(?:-[0-9A-Za-z]+)*)")
_LICENCE = re.compile(r"lizen[sz]|licen[cs]e|dl-de|Datenlizenz|CC[ -]BY", re.I)


@dataclass(frozen=True)
class Publisher:
    short: str  # for the layout: "IT.NRW"
    name: str  # for the source line: "IT.NRW, Landesdatenbank NRW"


def by_copyright(text: str) -> Publisher | None:
    """The publisher named in a © line."""
    for pattern, short, name in _BY_COPYRIGHT:
        if pattern.search(text):
            return Publisher(short, name)
    match = re.search(r"(?:©|\(c\))\s*([^,|]+)", text, re.I)
    if match and match.group(1).strip():
        named = match.group(1).strip().rstrip(".")
        return Publisher(named, named)
    return None


def by_code(code: str | None) -> Publisher | None:
    """The publisher a table code's form points to (a guess: a © line wins)."""
    for pattern, index in _BY_CODE:
        if code and pattern.match(code):
            _, short, name = _BY_COPYRIGHT[index]
            return Publisher(short, name)
    return None


def code_in(text: str, statistic: str | None = None) -> str | None:
    """The first table code in a text (a file name, a title); it must belong to
    ``statistic`` (the five digits) when that is known."""
    for match in TABLE_CODE.finditer(text):
        code = match.group(1)
        if statistic is None or code.startswith(f"{statistic}-"):
            return code
    return None


def licence_in(lines: list[str]) -> str | None:
    """The footer line that states copyright and licence, as written."""
    for line in lines:
        if "©" in line and _LICENCE.search(line):
            return " ".join(line.split())
    for line in lines:
        if _LICENCE.search(line):
            return " ".join(line.split())
    return None


UNNAMED = "Herausgeber nicht angegeben"


def describe(kind: str, code: str | None, publisher: Publisher | None) -> tuple[str, str]:
    """The layout ("GENESIS-Tabelle 22811-01i (IT.NRW)") and the source line."""
    table = f" {code}" if code else ""
    layout = f"{kind}{table}" + (f" ({publisher.short})" if publisher else "")
    who = publisher.name if publisher else UNNAMED
    source = f"{who}, Tabelle {code}" if code else who
    return layout, source
