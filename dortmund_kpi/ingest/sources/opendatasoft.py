"""Exports of an Opendatasoft open-data portal (Dortmund's ``open-data.dortmund.de``):
the CSV export and the JSON record export of a dataset.

The CSV export is ``;``-separated with technical field names (lower-case ASCII,
``stadtbezirk``, ``stadtbezirk_nr``, ``jahr``, ``minderjahrigenanteil``) and numbers
with a decimal point (``43.30281``). The JSON export is a list of records
(``[{"stadtbezirk": "Innenstadt-Ost", "stadtbezirk_nr": 30, …}, …]``), or the API's
``{"results": [...]}`` (``{"records": [{"fields": {...}}]}`` of the older API); fields
holding objects (geometries) are left out. Both are read as a wide table
(``wide.read``): ``stadtbezirk_nr`` numbers the Stadtbezirke 10 … 120 as the city does,
a ``jahr`` field is the period, every numeric field a value column named by its field.

A JSON file that is not such an export (GeoJSON, an object without records) is refused
with a message naming it as what it is.
"""

from __future__ import annotations

import json
import re
from decimal import Decimal

from dortmund_kpi.ingest.sources import wide
from dortmund_kpi.ingest.sources.model import SourceError, Table
from dortmund_kpi.ingest.sources.regions import LONG, Regions
from dortmund_kpi.ingest.sources.text import Row

KIND = "Opendatasoft-Export"
EXPECTED_JSON = 'erwartet eine Liste von Datensätzen oder {"results": [...]}'
_FIELD = re.compile(r"^[a-z][a-z0-9_]*$")
_KNOWN = re.compile(
    r"^(stadtbezirk\w*|bezirk\w*|statistischer_bezirk\w*|stadtteil\w*|sozialraum\w*|"
    r"jahr|stichtag|datum|ags|gemeinde\w*|kommune|kreis\w*|geo_point_2d|geo_shape)$"
)
_SPACE = re.compile(r"\s*")


def _family(name: str, form: str) -> wide.Family:
    stem = name.replace("\\", "/").rsplit("/", 1)[-1].rsplit(".", 1)[0]
    source = f"Open-Data-Portal (Opendatasoft), Datensatz {stem}"
    return wide.Family(f"{KIND} ({form})", source, convention="en", scheme=LONG)


def is_header(cells: list[str]) -> bool:
    """Technical field names, at least one of a place or a time."""
    names = [c.strip().lstrip("\ufeff").strip() for c in cells if c.strip()]
    if len(names) < 2 or not all(_FIELD.match(n) for n in names):
        return False
    return any(_KNOWN.match(n) for n in names)


def read_csv(rows: list[Row], name: str, regions: Regions) -> Table:
    """Read the CSV export (the first row is its header)."""
    return wide.read(rows[0], rows[1:], name, regions, _family(name, "CSV"))


def _lines(text: str, start: int, count: int) -> list[int]:
    """The line each element of the JSON array at ``start`` begins on."""
    decoder = json.JSONDecoder()
    lines: list[int] = []
    line, seen, i = 1 + text.count("\n", 0, start), start, start + 1
    while len(lines) < count:
        i = _SPACE.match(text, i).end()  # type: ignore[union-attr]
        if i >= len(text) or text[i] == "]":
            break
        if text[i] == ",":
            i += 1
            continue
        line += text.count("\n", seen, i)
        seen = i
        lines.append(line)
        try:
            _, i = decoder.raw_decode(text, i)
        except ValueError:
            break
    return lines if len(lines) == count else [1] * count


def _items(content: object, text: str, name: str) -> tuple[list[object], int]:
    """The records of an export and where their array starts in the text."""
    if isinstance(content, list):
        return content, text.index("[")
    if isinstance(content, dict):
        if content.get("type") in ("FeatureCollection", "Feature"):
            raise SourceError(
                name,
                1,
                f"ist eine GeoJSON-Datei (Geometrien), kein Datensatz-Export ({EXPECTED_JSON})",
            )
        for key in ("results", "records"):
            if isinstance(content.get(key), list):
                found = re.search(rf'"{key}"\s*:\s*\[', text)
                return content[key], found.end() - 1 if found else -1
    raise SourceError(name, 1, f"ist eine JSON-Datei ohne Datensätze ({EXPECTED_JSON})")


def _cell(value: object) -> str | None:
    """A field as table text (None: an object or list, not a table cell)."""
    if value is None:
        return ""
    if isinstance(value, bool):
        return "ja" if value else "nein"
    if isinstance(value, float):
        return format(Decimal(repr(value)), "f")  # never 1e-05: a decimal as written
    if isinstance(value, int | str):
        return str(value)
    return None


def read_json(text: str, name: str, regions: Regions) -> Table:
    """Read the JSON record export."""
    try:
        content = json.loads(text)
    except json.JSONDecodeError as exc:
        raise SourceError(name, exc.lineno, f"ist keine lesbare JSON-Datei: {exc.msg}") from exc
    items, start = _items(content, text, name)
    if not items:
        raise SourceError(name, 1, f"ist eine JSON-Datei ohne Datensätze ({EXPECTED_JSON})")
    lines = _lines(text, start, len(items)) if start >= 0 else [1] * len(items)
    fields: dict[str, None] = {}
    records: list[tuple[int, dict[str, str]]] = []
    for line, item in zip(lines, items, strict=True):
        if isinstance(item, dict) and isinstance(item.get("fields"), dict):
            item = item["fields"]
        if not isinstance(item, dict):
            raise SourceError(
                name, line, f"JSON-Datei: Eintrag ist kein Datensatz ({EXPECTED_JSON})"
            )
        cells = {str(k): c for k, v in item.items() if (c := _cell(v)) is not None}
        fields.update(dict.fromkeys(cells))
        records.append((line, cells))
    header = (1, list(fields))
    data = [(line, [cells.get(f, "") for f in fields]) for line, cells in records]
    try:
        return wide.read(header, data, name, regions, _family(name, "JSON"))
    except SourceError as exc:
        raise SourceError(
            name, exc.line, f"JSON-Datei (Opendatasoft-Export): {exc.message}"
        ) from exc
