"""Wide tables: one header row, then a row per region, period or category, and the
values side by side in columns. Cities' own tables and open-data exports look so::

    Bezirk;Bezeichnung;Teilplanzeile;Ergebnis 2011;Plan 2012      periods in the columns
    1;Innenstadt;02 - Zuwendungen;9.577.207;5.699.552
    "Schuljahr","Anzahl Schulen","Lehrkräfte"                     measures in the columns
    "1990/91",17,1016

Every value cell becomes a ``Record`` (through ``genesis_table.records_of``). A column is
a label column or a value column by its header and its cells: region keys (``AGS``,
``stadtbezirk_nr``, a numbered ``Bezirk``), region names (``Stadtbezirk``,
``Bezeichnung``, ``Gebiet``), a period (``Jahr``, ``Schuljahr``, or cells that are all
periods), other text (an attribute named by its header); a column of numbers (and
GENESIS signs) holds values. A period in a value column's header (``Plan 2012``,
``2019``) is the period of its cells; the rest of the header is the column
(``spalte``: ``Plan``; ``Wert`` when nothing is left). A cell written ``82,3 %`` is 82,3
in a column of unit Prozent.

Regions: district numbers and names are Dortmund's only when every name of the table is
Dortmund or one of its Stadtbezirke; a table of another city's districts keeps them as
regions of their own (Cologne's ``1;Innenstadt`` is not Innenstadt-West). A table of
periods and values only (no region, no other text column) is the city's own: its
records are Dortmund's.

Families with more knowledge (Opendatasoft exports, the Breitbandatlas) pass a
``Family``: the number convention, the district numbering, a header splitter.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass, field

from dortmund_kpi.districts import CITY, CITY_NAME
from dortmund_kpi.ingest.sources.genesis_table import LabelColumns, ValueColumn, records_of
from dortmund_kpi.ingest.sources.model import SourceError, Table
from dortmund_kpi.ingest.sources.regions import Place, Regions, normal_key
from dortmund_kpi.ingest.sources.signs import choose_convention, is_value_text, read_cell
from dortmund_kpi.ingest.sources.table_shape import FOOTER_RULE, PERIOD_NAMES
from dortmund_kpi.ingest.sources.text import Row, trimmed
from dortmund_kpi.ingest.sources.times import When, read_period

PERCENT = "Prozent"
KIND = "Breite Tabelle"
_KEY_NAME = re.compile(
    r"^(ags|ars|rs|gkz|schl(ue|u)ssel|.*(gemeinde|kreis|regional|gebiets)schl(ue|u)ssel.*|"
    r"(stadt)?bezirk(s)?[ _-]?(nr|nummer|id|code)|sbz[ _-]?(nr)?|gebiet[ _-]?(nr|nummer))$"
)
_NAME_NAME = re.compile(
    r"^((stadt)?bezirk(sname)?|stadtbezirk[ _-]?name|bezeichnung|gebiet(sname)?|region|"
    r"gemeinde(name)?|kreis(name)?|ort|name|stadtteil|sozialraum|gebietseinheit|raum|"
    r"(bundes)?land|staat|kreisfreie stadt|stadt ?/ ?kreis)$"
)
_NUMBER_NAME = re.compile(r"^(nr\.?|nummer|bezirksnr\.?|sbz)$")
_CITY_NAME_NAME = re.compile(r"^(kommune|stadt|gemeinde_name|stadtname)$")
_PERIOD_NAME = re.compile(r"^(jahr|year|datum|date|stichtag|zeit|zeitraum|schuljahr|berichtsjahr)$")
_AGS_TEXT = re.compile(r"^0\d{4}(\d{3})?(\d{4})?$")
_SMALL_NUMBER = re.compile(r"^\d{1,3}(\.0)?$")
_PERIOD_TOKEN = re.compile(
    r"(\d{1,2}\.\d{1,2}\.\d{4}|\d{4}-\d{2}-\d{2}|\d{4}\s*/\s*\d{2,4}|(?<![\d.,])\d{4}(?![\d.,]))"
)
_SEPARATORS = " \t-–_:,;/|"
_COPYRIGHT = re.compile(r"^\s*(©|\(c\)\s)", re.I)


@dataclass(frozen=True)
class Family:
    """What a reader knows of the family of a wide table."""

    kind: str  # the layout shown: "Breite Tabelle"
    source: str
    licence: str | None = None
    convention: str | None = None  # "de" or "en"; None: decided from the values
    scheme: str | None = None  # the district numbering of the family ("nummer": 10 … 120)
    # header -> (spalte, merkmale, unit): how a value column's header is read
    split: Callable[[str], tuple[str, dict[str, str], str]] | None = None
    units: dict[int, str] = field(default_factory=dict)  # column -> unit (Excel % cells)


def _norm(header: str) -> str:
    text = " ".join(header.strip().lstrip("\ufeff").lower().split())
    return text.replace("ä", "ae").replace("ö", "oe").replace("ü", "ue").replace("ß", "ss")


def split_header(header: str) -> tuple[str, str | None]:
    """A value column's header: the column without its period, and the period text.
    ``Plan 2012`` -> ("Plan", "2012"); ``2019`` -> ("Wert", "2019")."""
    text = " ".join(header.split())
    if isinstance(read_period(text), When):
        return "Wert", text
    for match in reversed(list(_PERIOD_TOKEN.finditer(text))):
        if isinstance(read_period(match.group(1)), When):
            rest = (text[: match.start()] + " " + text[match.end() :]).strip(_SEPARATORS)
            rest = re.sub(r"\(\s*\)", "", " ".join(rest.split())).strip(_SEPARATORS)
            return rest or "Wert", match.group(1)
    return text or "Wert", None


@dataclass
class _Roles:
    key: int | None = None
    name: int | None = None
    period: int | None = None
    attributes: list[int] = field(default_factory=list)
    values: list[int] = field(default_factory=list)


def _is_number(text: str) -> bool:
    """A value cell in either number convention (``1.234,5`` or ``43.30281``) or a sign."""
    return is_value_text(text) or read_cell(text, "en").missing is None


def _kinds(header: str, column: list[str]) -> list[str]:
    """What a column may be, best first: period, key, name, city, value, attribute."""
    norm = _norm(header)
    texts = [c.strip() for c in column if c.strip()]
    if not texts:
        return []
    numeric = sum(map(_is_number, texts))
    kinds = []
    if norm in PERIOD_NAMES or _PERIOD_NAME.match(norm):
        kinds.append("period")
    if numeric < len(texts) and all(isinstance(read_period(t), When) for t in texts):
        kinds.append("period")
    if _KEY_NAME.match(norm) or all(map(_AGS_TEXT.match, texts)):
        kinds.append("key")
    if (_NAME_NAME.match(norm) or _NUMBER_NAME.match(norm)) and all(
        _SMALL_NUMBER.match(t) for t in texts
    ):
        kinds.append("key")  # "Bezirk" or "Nr." numbered 1 … 12 or 10 … 120
    if numeric < len(texts):
        kinds += ["name"] if _NAME_NAME.match(norm) else []
        kinds += ["city"] if _CITY_NAME_NAME.match(norm) else []
    kinds.append("value" if numeric * 2 >= len(texts) else "attribute")
    return kinds


def _roles(names: list[str], columns: list[list[str]], regions: Regions) -> _Roles:
    roles = _Roles()
    city_names: list[int] = []
    for i, (header, column) in enumerate(zip(names, columns, strict=True)):
        for kind in _kinds(header, column):
            if kind in ("period", "key", "name") and getattr(roles, kind) is None:
                setattr(roles, kind, i)
                break
            if kind == "city":
                city_names.append(i)
                break
            if kind in ("value", "attribute"):
                (roles.values if kind == "value" else roles.attributes).append(i)
                break
    if roles.name is None and city_names:
        roles.name = city_names.pop(0)
    if roles.name is None:
        for i in roles.attributes:
            if any(regions.place(None, c).bezirk for c in columns[i] if c.strip()):
                roles.name = i
                break
    roles.attributes = sorted(
        {*roles.attributes, *city_names} - {roles.name, roles.key, roles.period}
    )
    return roles


class _Places:
    """The place of each row, from its key and name cells."""

    def __init__(self, roles: _Roles, columns: list[list[str]], regions: Regions, scheme):
        self.regions = regions
        names = (
            [c.strip() for c in columns[roles.name] if c.strip()] if roles.name is not None else []
        )
        # a table of another city's districts: their numbers and names are not Dortmund's
        self.foreign = any(regions.place(None, n).bezirk is None for n in names)
        keys = [c for c in columns[roles.key] if c.strip()] if roles.key is not None else []
        small = bool(keys) and all(_SMALL_NUMBER.match(k.strip()) for k in keys)
        self.small = small
        self.scheme = None
        if small and not self.foreign:
            self.scheme = scheme or regions.numbering(keys)
        # only periods and values: the city's own table (a text column may name regions)
        self.city_wide = roles.key is None and roles.name is None and not roles.attributes

    def __call__(self, key: str | None, name: str) -> Place:
        if self.city_wide:
            return Place(CITY_NAME, None, CITY)
        key = (key or "").strip() or None
        if key is None and not name.strip():
            return Place("", None, None)
        if self.small and key is not None:
            code = key.removesuffix(".0")
            if self.scheme and not self.foreign:
                place = self.regions.place(code, name, self.scheme)
            else:
                place = self.regions.place(None, name) if name.strip() else Place(code, code, None)
                place = Place(place.gebiet, code, place.bezirk)
        else:
            place = self.regions.place(key, name)
        if self.foreign and place.bezirk not in (None, CITY):
            return Place(" ".join(name.split()) or (normal_key(key) or ""), normal_key(key), None)
        return place


def _rows(data: list[Row], width: int, name: str, header_line: int):
    """Data rows padded to the header's width, up to a footer (© line or rule)."""
    rows: list[Row] = []
    footer: list[str] = []
    for line, cells in data:
        cut = trimmed(cells)
        if footer or (cut and (FOOTER_RULE.match(cut[0]) or _COPYRIGHT.match(cut[0]))):
            footer.append(" ".join(c.strip() for c in cells if c.strip()))
            continue
        if not any(c.strip() for c in cut):
            continue
        if len(cut) > width:
            raise SourceError(
                name,
                line,
                f"{len(cut)} Felder statt {width} wie in der Kopfzeile (Zeile {header_line})",
            )
        rows.append((line, cut + [""] * (width - len(cut))))
    return rows, footer


def _strip_percent(rows: list[Row], width: int) -> set[int]:
    """Cells written ``82,3 %``: the number, and the columns they are in."""
    percent: set[int] = set()
    for _, cells in rows:
        for i in range(width):
            text = cells[i].strip()
            if text.endswith("%") and _is_number(text[:-1]):
                cells[i] = text[:-1].strip()
                percent.add(i)
    return percent


def read(
    header: Row, data: list[Row], name: str, regions: Regions, family: Family, title: str = ""
) -> Table:
    """Read a wide table: its header row and the rows below it."""
    header_line, raw = header
    names = [c.strip().lstrip("\ufeff").strip() for c in trimmed(raw)]
    width = len(names)
    if width < 2:
        raise SourceError(name, header_line, "Kopfzeile mit nur einer Spalte: keine Tabelle")
    rows, footer = _rows(data, width, name, header_line)
    if not rows:
        raise SourceError(name, header_line, "Tabelle ohne Datenzeilen unter der Kopfzeile")
    percent = _strip_percent(rows, width)
    columns = [[cells[i] for _, cells in rows] for i in range(width)]
    roles = _roles(names, columns, regions)
    if not roles.values:
        raise SourceError(
            name, header_line, "keine Spalte mit Zahlenwerten erkannt (Kopfzeile: Spaltennamen)"
        )
    values = []
    for i in roles.values:
        values.append(_value_column(names[i], family, percent, i))
    labels = [i for i in (roles.key, roles.name, roles.period) if i is not None]
    labels += roles.attributes
    cols = LabelColumns(
        labels.index(roles.key) if roles.key is not None else None,
        labels.index(roles.name) if roles.name is not None else None,
        labels.index(roles.period) if roles.period is not None else None,
        [(labels.index(i), names[i] or f"Spalte {i + 1}") for i in roles.attributes],
    )
    places = _Places(roles, columns, regions, family.scheme)
    texts = [cells[i] for _, cells in rows[:2000] for i in roles.values]
    convention = family.convention or choose_convention(texts)
    label_rows = [
        (line, [cells[i] for i in labels], [cells[i] for i in roles.values]) for line, cells in rows
    ]

    def place_of(cells: list[str]) -> Place:
        key = cells[cols.key] if cols.key is not None else None
        return places(key, cells[cols.name] if cols.name is not None else "")

    records, skipped = records_of(label_rows, cols, values, place_of, convention)
    layout = family.kind
    if places.city_wide:
        layout += ", ohne Gebietsspalte: Werte der Stadt Dortmund"
    licence = family.licence or next((f for f in footer if "©" in f or "lizen" in f.lower()), None)
    return Table(layout, family.source, licence, records, skipped, title)


def _value_column(header: str, family: Family, percent: set[int], index: int) -> ValueColumn:
    if family.split is not None:
        spalte, merkmale, unit = family.split(header)
        period: list[str] = []
    else:
        spalte, found = split_header(header)
        merkmale, unit = {}, ""
        period = [found] if found else []
    unit = family.units.get(index) or unit or (PERCENT if index in percent else "")
    lower = spalte.lower()
    if unit and unit.lower() not in lower and not (unit == PERCENT and "%" in spalte):
        spalte = f"{spalte} ({unit})"
    return ValueColumn(spalte, merkmale, period)
