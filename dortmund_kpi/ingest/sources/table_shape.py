"""The shape of a GENESIS table CSV: title block, column header, data rows, footer.

A GENESIS "Tabelle" export (IT.NRW's Landesdatenbank, the other Länder, Destatis, the
Regionaldatenbank) looks like this::

    Tabelle: 22811-01i                           title block: one cell a row
    Mindestsicherungsquote (Prozent);;
    ;;Jahr                                       column header: a dimension's name …
    ;;2023                                       … and its values (one per value column)
    05913;    Dortmund, krfr. Stadt;17,5         data: label columns, then value cells
    __________                                   footer: footnotes, © line, "Stand:"
    © IT.NRW, Düsseldorf, 2025. Dieses Werk ist lizenziert unter …

The label columns are those the header rows leave empty (and the leading cells of
data rows that are text, not values). A header row with a single name over a row of
values names that dimension; a row of units (``Anzahl``, ``%``) gives the unit of each
value column; a name written once over several columns spans them.
"""

from __future__ import annotations

import re
from collections import Counter
from dataclasses import dataclass, field

from dortmund_kpi.ingest.sources.model import SourceError
from dortmund_kpi.ingest.sources.signs import is_value_text
from dortmund_kpi.ingest.sources.text import Row, trimmed
from dortmund_kpi.ingest.sources.times import read_period

TITLE_CODE = re.compile(r"^(?:GENESIS-)?Tabelle\s*:?\s*(\d{5}-[0-9A-Za-z-]+)", re.I)
CODE_FIRST = re.compile(r"^(\d{5}-[0-9A-Za-z]+(?:-[0-9A-Za-z]+)*)\s*:")
FOOTER_RULE = re.compile(r"^\s*_{3,}\s*$")
_COPYRIGHT = re.compile(r"^\s*(©|\(c\)\s)", re.I)
_UNITS = re.compile(
    r"^(anzahl|%|prozent|euro?|eur|tsd\.?\s*(eur|euro)?|1\s?000(\s?eur)?|mill?\.?\s*(eur|euro)?|"
    r"mio\.?\s*(eur|euro)?|mrd\.?\s*(eur|euro)?|personen|jahre|ha|km2|km²|qkm|m2|m²|t|kg|"
    r"ew/qkm|je\s.+|in\s.+)$",
    re.I,
)
PERIOD_NAMES = frozenset(
    {"jahr", "jahre", "stichtag", "zeit", "zeitraum", "berichtsjahr", "schuljahr", "quartal"}
    | {"monat", "monate", "halbjahr", "berichtszeitraum"}
)
_UNIT_LINE = re.compile(r"^(.+?)\s*\(([^()]{1,40})\)\s*:?\s*$")


@dataclass
class Shape:
    """Where the parts of a table are."""

    title: list[str]
    header: list[list[str]]  # the header rows, cells as written
    data: list[Row]  # data rows (trailing empty cells removed)
    footer: list[str]  # footer lines, cells joined
    labels: int  # the number of label columns
    width: int  # label columns + value columns
    code: str | None = None
    value_label: str | None = None  # "Mindestsicherungsquote (Prozent)" from the title
    units: list[str] = field(default_factory=list)


def table_code(title: list[str]) -> str | None:
    for line in title[:3]:
        match = TITLE_CODE.match(line) or CODE_FIRST.match(line)
        if match:
            return match.group(1)
    return None


def looks_like_table(rows: list[Row]) -> bool:
    """A GENESIS table CSV: a table code in its first lines or a © line of a statistics
    office at its end."""
    firsts = [trimmed(cells)[0].strip() for _, cells in rows if trimmed(cells)][:3]
    if table_code(firsts):
        return True
    tail = [" ".join(cells) for _, cells in rows[-12:]]
    return any(_COPYRIGHT.match(t) and re.search(r"statisti|IT\.?NRW", t, re.I) for t in tail)


def _split(rows: list[Row]) -> tuple[list[str], list[Row], list[str]]:
    title: list[str] = []
    body: list[Row] = []
    footer: list[str] = []
    part = "title"
    for line, raw in rows:
        cells = trimmed(raw)
        if part == "footer":
            footer.append(" ".join(c.strip() for c in raw if c.strip()))
            continue
        if cells and (FOOTER_RULE.match(cells[0]) or _COPYRIGHT.match(cells[0])) and part == "body":
            part = "footer"
            footer.append(" ".join(c.strip() for c in cells))
            continue
        if not cells:
            continue
        if part == "title" and len(cells) == 1 and cells[0].strip():
            title.append(cells[0].strip())
            continue
        part = "body"
        body.append((line, cells))
    return title, body, footer


def _label_count(body: list[Row]) -> int:
    """Header rows leave the label columns empty; data rows hold text there."""
    width = max(len(cells) for _, cells in body)
    corner = [
        len(cells) - len(cells_left)
        for _, cells in body
        if not cells[0].strip()
        for cells_left in [_lstrip(cells)]
        if cells_left
    ]
    prefixes = Counter(
        max((i + 1 for i, c in enumerate(cells) if c.strip() and not is_value_text(c)), default=0)
        for _, cells in body
        if cells[0].strip()
    )
    from_data = max(prefixes, key=lambda n: (prefixes[n], n)) if prefixes else 0
    labels = max(max(corner, default=0), from_data)
    return max(1, min(labels, width - 1))


def _lstrip(cells: list[str]) -> list[str]:
    start = 0
    while start < len(cells) and not cells[start].strip():
        start += 1
    return cells[start:]


def _is_data(cells: list[str], labels: int) -> bool:
    if not any(c.strip() for c in cells[:labels]):
        return False
    return any(is_value_text(c) for c in cells[labels:])


def shape_of(rows: list[Row], name: str, first_data: int | None = None) -> Shape:
    """The parts of a table; ``first_data``: the line of its first data row, when the
    reader knows it better (an Excel sheet, whose header rows may name label columns)."""
    title, body, footer = _split(rows)
    if not body:
        line = rows[-1][0] if rows else 1
        raise SourceError(name, line, "GENESIS-Tabelle ohne Kopf- und Datenzeilen")
    labels = _label_count(body)
    first = next((i for i, (_, cells) in enumerate(body) if _is_data(cells, labels)), None)
    if first_data is not None:
        first = next((i for i, (line, _) in enumerate(body) if line >= first_data), first)
    if first is None:
        raise SourceError(name, body[0][0], "GENESIS-Tabelle ohne Datenzeilen mit Zahlenwerten")
    header = [cells for _, cells in body[:first]]
    data = body[first:]
    width = max(len(cells) for _, cells in body)
    if width <= labels:
        raise SourceError(name, data[0][0], "keine Wertspalten erkannt")
    value_label = next(
        (line.rstrip(":") for line in reversed(title) if _UNIT_LINE.match(line)), None
    )
    return Shape(title, header, data, footer, labels, width, table_code(title), value_label)


def is_unit(text: str) -> bool:
    return bool(_UNITS.match(" ".join(text.split())))


def _candidate(row: list[str]) -> bool:
    """A row that only names a dimension: one text cell, in the first value column."""
    filled = [c for c in row if c.strip()]
    if len(filled) != 1 or not row or not row[0].strip():
        return False
    text = row[0].strip()
    return read_period(text) is None and not is_value_text(text) and not is_unit(text)


def _spread(row: list[str]) -> list[str]:
    """A name written once over several columns spans them (fill forward)."""
    out, last = [], ""
    for cell in row:
        last = cell.strip() or last
        out.append(last)
    return out


@dataclass(frozen=True)
class Columns:
    """The column header read: its dimensions (name, value per value column), which of
    them are periods, and the header of each value column (``spalte``)."""

    dims: list[tuple[str, list[str]]]
    periods: list[int]
    spalten: list[str]


def is_period_dimension(name: str, values: list[str]) -> bool:
    if name.lower() in PERIOD_NAMES:
        return True
    texts = [v.strip() for v in values if v.strip()]
    return bool(texts) and all(read_period(t) is not None for t in texts)


def _units_and_variables(rows: list[list[str]], count: int):
    """A row of units, and the row of value variables right above it (``Zuzüge``)."""
    units, variables, kept = [""] * count, None, []
    for row in rows:
        filled = [c for c in row if c.strip()]
        if filled and all(is_unit(c) for c in filled):
            units = _spread(row)
            if kept and not _candidate(kept[-1]) and not is_period_dimension("", kept[-1]):
                variables = _spread(kept.pop())
        elif filled:
            kept.append(row)
    return units, variables, kept


def _pair(kept: list[list[str]]) -> list[tuple[str | None, list[str]]]:
    """Name rows paired with the value rows below them."""
    alternate = len(kept) % 2 == 0 and all(_candidate(r) for r in kept[::2])
    out: list[tuple[str | None, list[str]]] = []
    i = 0
    while i < len(kept):
        named = i + 1 < len(kept) and _candidate(kept[i])
        if named and (alternate or not _candidate(kept[i + 1])):
            out.append((kept[i][0].strip(), _spread(kept[i + 1])))
            i += 2
            continue
        out.append((None, _spread(kept[i])))
        i += 1
    return out


def column_dimensions(shape: Shape) -> Columns:
    count = shape.width - shape.labels
    rows = [(cells[shape.labels :] + [""] * count)[:count] for cells in shape.header]
    units, variables, kept = _units_and_variables(rows, count)
    dims = []
    for n, (name, row) in enumerate(_pair(kept), 1):
        if name is None:
            name = "Zeit" if is_period_dimension("", row) else f"Spaltenmerkmal {n}"
        dims.append((name, row))
    periods = [i for i, (name, row) in enumerate(dims) if is_period_dimension(name, row)]
    spalten = []
    for j in range(count):
        unit = units[j] or (shape.units[j] if j < len(shape.units) else "")
        if variables:
            text = variables[j] or shape.value_label or "Wert"
        elif shape.value_label:
            text = shape.value_label
        else:
            parts = [row[j] for i, (_, row) in enumerate(dims) if i not in periods]
            text = " | ".join(p for p in parts if p) or "Wert"
        spalten.append(f"{text} ({unit})" if unit and unit not in text else text)
    return Columns(dims, periods, spalten)


def label_names(shape: Shape) -> list[str]:
    """Names the header gives the label columns ("" where it gives none)."""
    names = [""] * shape.labels
    for cells in shape.header:
        for i, cell in enumerate(cells[: shape.labels]):
            if cell.strip():
                names[i] = cell.strip()
    return names
