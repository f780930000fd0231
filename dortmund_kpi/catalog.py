"""The indicator catalog: the single source of truth for what is measured.

Adding an indicator is a change to ``data/catalog.yaml``, never to code. The
loader validates every entry and fails loudly, naming the file and the entry.

An indicator's fields are declared once, in ``fields.FIELDS``; that declaration
drives the check of the YAML here (``parse_catalog``) and the insert into the
database (``stored_values``).

The masterplans are data as well: whatever ``masterplans`` the YAML lists, in its order.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import yaml

from dortmund_kpi import os_text
from dortmund_kpi.fields import (
    FIELDS,
    Field,
)

SLUG_RE = re.compile(r"^[a-z][a-z0-9_]*$")


class CatalogError(ValueError):
    """The catalog file is invalid; the message names the file and the entry."""


@dataclass(frozen=True)
class Masterplan:
    id: str
    name: str
    short_name: str
    description: str


@dataclass(frozen=True)
class Target:
    value: float
    year: int
    official: bool
    source: str


@dataclass(frozen=True)
class Indicator:
    id: str
    masterplan: str
    name: str
    short_name: str
    unit: str
    definition: str
    source: str
    source_url: str | None
    direction: str
    aggregation: str
    level: str
    per_capita: bool
    visibility: str
    peers: str
    frequency: str
    decimals: int
    min: float | None
    max: float | None
    target: Target | None
    demo_start: float | None
    demo_end: float | None

    @property
    def has_districts(self) -> bool:
        return self.level == "district"

    @property
    def higher_is_better(self) -> bool:
        return self.direction == "higher"


# The dataclass of each YAML block, built from its fields (an absent block is None).
BLOCKS: dict[str, type] = {"target": Target}


@dataclass(frozen=True)
class Catalog:
    path: Path
    masterplans: tuple[Masterplan, ...]
    indicators: tuple[Indicator, ...]

    def indicator(self, indicator_id: str) -> Indicator:
        for ind in self.indicators:
            if ind.id == indicator_id:
                return ind
        raise KeyError(indicator_id)

    def by_masterplan(self, masterplan_id: str) -> list[Indicator]:
        return [i for i in self.indicators if i.masterplan == masterplan_id]

    @property
    def ids(self) -> list[str]:
        return [i.id for i in self.indicators]

    @property
    def masterplan_ids(self) -> tuple[str, ...]:
        return tuple(p.id for p in self.masterplans)


def field_value(ind: Indicator, field: Field) -> Any:
    """The value of ``field`` in ``ind`` (None inside an absent block such as ``target``)."""
    value: Any = ind
    for part in field.name.split("."):
        value = getattr(value, part)
        if value is None:
            return None
    return value


def stored_values(ind: Indicator) -> dict[str, Any]:
    """Column -> value of the ``indicators`` row of ``ind`` (``INDICATOR_COLUMNS``)."""
    return {f.column: field_value(ind, f) for f in FIELDS if f.column}


# -- checking the YAML ---------------------------------------------------------------
def _fail(path: Path, entry: str, message: str) -> CatalogError:
    return CatalogError(f"{path}: {entry}: {message}")


def _empty(value: Any) -> bool:
    return value is None or (isinstance(value, str) and value == "")


_EXPECTED = {bool: "true oder false", int: "eine ganze Zahl", float: "eine Zahl", str: "ein Text"}


def _convert(field: Field, value: Any) -> Any:
    """``value`` (not empty) as the field's type; raise ValueError with the German reason."""
    if field.choices and value not in field.choices:
        allowed = ", ".join(field.choices)
        raise ValueError(f"{field.yaml_key} '{value}' ungültig (erwartet: {allowed})")
    if field.type is bool:
        fits = isinstance(value, bool)
    elif isinstance(value, bool):  # YAML's true/false is neither a number nor a text
        fits = False
    elif field.type is int:
        fits = isinstance(value, int)
    elif field.type is float:
        fits = isinstance(value, int | float)
    else:
        fits = not isinstance(value, dict | list)
    if not fits:
        raise ValueError(f"{field.yaml_key} muss {_EXPECTED[field.type]} sein, nicht '{value}'")
    if field.type is str:
        return " ".join(str(value).split())
    return float(value) if field.type is float else value


def _block(raw: dict[str, Any], name: str) -> dict[str, Any] | None:
    block = raw.get(name)
    if block is None:
        return None
    if not isinstance(block, dict):
        keys = ", ".join(f.key for f in FIELDS if f.block == name)
        raise ValueError(f"{name} muss ein Block mit {keys} sein, nicht '{block}'")
    return block


def _read_fields(raw: dict[str, Any]) -> dict[str, Any]:
    """Field name -> checked value of every declared field (the default when absent, None
    inside an absent block); raise ValueError with the German reason."""
    for f in FIELDS:  # missing required fields first, in declaration order
        if f.required and f.block is None and _empty(raw.get(f.key)):
            raise ValueError(f"Pflichtfeld '{f.key}' fehlt")
    values: dict[str, Any] = {}
    for f in FIELDS:
        source = raw if f.block is None else _block(raw, f.block)
        if source is None:  # an absent block
            values[f.name] = None
            continue
        value = source.get(f.key)
        if _empty(value):
            if f.required:
                raise ValueError(f"Pflichtfeld '{f.yaml_key}' fehlt")
            values[f.name] = f.default
        else:
            values[f.name] = _convert(f, value)
    return values


def _check_rules(values: dict[str, Any], masterplans: set[str]) -> None:
    """The rules beyond a single field's type (after each field is checked on its own);
    fills in the bounds of a percentage."""
    if not SLUG_RE.match(values["id"]):
        raise ValueError("id muss ein Slug sein (a-z, 0-9, _)")
    if values["masterplan"] not in masterplans:
        raise ValueError(f"unbekannter Masterplan '{values['masterplan']}'")
    if values["unit"] == "%":
        values["min"] = 0.0 if values["min"] is None else values["min"]
        values["max"] = 100.0 if values["max"] is None else values["max"]
    if values["min"] is not None and values["max"] is not None and values["min"] > values["max"]:
        raise ValueError("min ist größer als max")
    year = values["target.year"]
    if year is not None and not 2000 <= year <= 2100:
        raise ValueError(f"target.year '{year}' ungültig (erwartet ein Jahr wie 2025)")
    if values["target.official"] and not values["target.source"]:
        raise ValueError("ein amtlicher Zielwert braucht target.source")
    # Per 1,000 inhabitants divides a count; a share or a mean divided so means nothing.
    if values["per_capita"] and values["aggregation"] != "sum":
        raise ValueError("per_capita: true nur für Anzahlen (aggregation: sum)")


def _build(values: dict[str, Any]) -> Indicator:
    """The Indicator of checked field values: top-level names as they are, each block's
    fields as its dataclass (None when the block is absent)."""
    attrs = {name: value for name, value in values.items() if "." not in name}
    for block, cls in BLOCKS.items():
        parts = {n.split(".", 1)[1]: v for n, v in values.items() if n.startswith(block + ".")}
        given = any(v is not None for v in parts.values())
        attrs[block] = cls(**parts) if given else None
    return Indicator(**attrs)


def _indicator(path: Path, raw: Any, index: int, masterplans: set[str]) -> Indicator:
    if not isinstance(raw, dict):
        raise _fail(path, f"indicators[{index}]", "Eintrag muss ein Objekt sein")
    entry = f"indicator '{raw.get('id', f'#{index + 1}')}'"
    try:
        values = _read_fields(raw)
        _check_rules(values, masterplans)
    except ValueError as exc:
        raise _fail(path, entry, str(exc)) from None
    return _build(values)


def _masterplans(path: Path, raw: Any) -> tuple[Masterplan, ...]:
    if not isinstance(raw, list) or not raw:
        raise _fail(path, "masterplans", "Liste der Masterpläne fehlt oder ist leer")
    plans = []
    for index, item in enumerate(raw):
        got = item.get("id") if isinstance(item, dict) else item
        entry = f"masterplan '{got if got is not None else f'#{index + 1}'}'"
        if not isinstance(item, dict) or _empty(got):
            raise _fail(path, entry, "braucht eine id")
        if not isinstance(got, str) or not SLUG_RE.match(got):
            raise _fail(path, entry, "id muss ein Slug sein (a-z, 0-9, _)")
        plans.append(
            Masterplan(
                id=got,
                name=str(item.get("name") or got),
                short_name=str(item.get("short_name") or got.capitalize()),
                description=" ".join(str(item.get("description") or "").split()),
            )
        )
    if len({p.id for p in plans}) != len(plans):
        raise _fail(path, "masterplans", "doppelte Masterplan-ID")
    return tuple(plans)


def parse_catalog(path: Path, document: Any) -> Catalog:
    """Validate a parsed catalog document; raise CatalogError on the first problem."""
    if not isinstance(document, dict):
        raise _fail(path, "Datei", "erwartet ein Objekt mit 'masterplans' und 'indicators'")
    plans = _masterplans(path, document.get("masterplans"))
    raw_indicators = document.get("indicators")
    if not isinstance(raw_indicators, list) or not raw_indicators:
        raise _fail(path, "indicators", "Liste der Indikatoren fehlt oder ist leer")
    known = {p.id for p in plans}
    indicators: list[Indicator] = []
    seen: set[str] = set()
    for index, raw in enumerate(raw_indicators):
        ind = _indicator(path, raw, index, known)
        if ind.id in seen:
            raise _fail(path, f"indicator '{ind.id}'", "doppelte id")
        seen.add(ind.id)
        indicators.append(ind)
    return Catalog(path=path, masterplans=plans, indicators=tuple(indicators))


def load_catalog(path: Path) -> Catalog:
    """Load and validate the catalog YAML file."""
    try:
        document = _load_yaml(path.read_text(encoding="utf-8"))
    except OSError as exc:
        raise CatalogError(f"{path}: Katalog nicht lesbar: {os_text.reason(exc)}") from exc
    except yaml.YAMLError as exc:
        raise CatalogError(f"{path}: kein gültiges YAML: {exc}") from exc
    return parse_catalog(path, document)


def _load_yaml(text: str) -> object:
    """libyaml's parser when installed (a tenth of the time of every import; the same
    constructors, so the same values). A document it refuses is parsed again by the
    pure-Python parser, whose error message the catalog check has always shown."""
    fast = getattr(yaml, "CSafeLoader", None)
    if fast is not None:
        try:
            return yaml.load(text, Loader=fast)
        except yaml.YAMLError:
            pass
    return yaml.safe_load(text)
