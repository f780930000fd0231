"""The Breitbandatlas (Gigabit-Grundbuch) of the Bundesnetzagentur: availability of
broadband for private households, in % of them, by technology and bandwidth::

    "AGS","alle Technologien ≥ 1 Mbit/s",…,"FTTH/B ≥ 1000 Mbit/s"
    "05913000",100.00,…,6.45

One row per region (AGS, leading zeros as text; Dortmund is ``05913000``), one column
per technology × bandwidth. Each value cell is a record with the attributes
``Technologie`` (``alle Technologien``, ``leitungsg. Technologien``, ``DSL``, ``CATV``,
``FTTH/B``, …) and ``Bandbreite`` (``≥ 1000 Mbit/s``), in the unit Prozent; numbers are
written with a decimal point. The file states no period (the download's name does:
``…_2021_mitte``): ``--zeitraum`` gives it.
"""

from __future__ import annotations

import re

from dortmund_kpi.ingest.sources import wide
from dortmund_kpi.ingest.sources.model import Table
from dortmund_kpi.ingest.sources.regions import Regions
from dortmund_kpi.ingest.sources.text import Row

KIND = "Breitbandatlas (Gigabit-Grundbuch), Verfügbarkeit in % der Haushalte"
SOURCE = "Bundesnetzagentur, Breitbandatlas | Gigabit-Grundbuch"
_COLUMN = re.compile(r"^(.+?)\s*(?:≥|>=|>|ab)\s*(\d+(?:[.,]\d+)?)\s*([MG]bit/s)$", re.I)
_KEY = re.compile(r"^(ags|ars|(gemeinde|regional|kreis)schl(ue|ü)ssel)$", re.I)


def is_header(cells: list[str]) -> bool:
    """A region key first, then (mostly) technology × bandwidth columns."""
    names = [c.strip().lstrip("\ufeff").strip() for c in cells if c.strip()]
    if len(names) < 3 or not _KEY.match(names[0]):
        return False
    return sum(bool(_COLUMN.match(n)) for n in names[1:]) * 2 > len(names) - 1


def split(header: str) -> tuple[str, dict[str, str], str]:
    """``alle Technologien ≥ 1000 Mbit/s`` -> its attributes, unit Prozent."""
    text = " ".join(header.split())
    match = _COLUMN.match(text)
    if not match:
        return text, {}, wide.PERCENT
    technology, bandwidth, unit = match.groups()
    return text, {"Technologie": technology, "Bandbreite": f"≥ {bandwidth} {unit}"}, wide.PERCENT


def read(rows: list[Row], name: str, regions: Regions) -> Table:
    """Read a Breitbandatlas table (the first row is its header)."""
    family = wide.Family(KIND, SOURCE, convention="en", split=split)
    return wide.read(rows[0], rows[1:], name, regions, family)
