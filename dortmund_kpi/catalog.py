"""The indicator catalog: the single source of truth for what is measured.

Adding an indicator is a change to ``data/catalog.yaml``, never to code. The
loader validates every entry and fails loudly, naming the file and the entry.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path
from typing import Any

import yaml

MASTERPLAN_IDS = ("verwaltung", "wirtschaft", "bildung")
DIRECTIONS = ("higher", "lower")
AGGREGATIONS = ("sum", "mean_pop", "none")
LEVELS = ("city", "district")
FREQUENCIES = ("yearly", "quarterly", "monthly")
SLUG_RE = re.compile(r"^[a-z][a-z0-9_]*$")
REQUIRED_FIELDS = ("id", "masterplan", "name", "short_name", "unit", "definition", "source")
REQUIRED_FIELDS += ("direction", "aggregation", "level", "frequency")


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


def _fail(path: Path, entry: str, message: str) -> CatalogError:
    return CatalogError(f"{path}: {entry}: {message}")


def _choice(path: Path, entry: str, raw: dict[str, Any], key: str, allowed: tuple[str, ...]) -> str:
    value = raw.get(key)
    if value not in allowed:
        raise _fail(path, entry, f"{key} '{value}' ungültig (erwartet: {', '.join(allowed)})")
    return str(value)


def _number(path: Path, entry: str, raw: dict[str, Any], key: str) -> float | None:
    value = raw.get(key)
    if value is None:
        return None
    if isinstance(value, bool) or not isinstance(value, int | float):
        raise _fail(path, entry, f"{key} muss eine Zahl sein, nicht '{value}'")
    return float(value)


def _target(path: Path, entry: str, raw: Any) -> Target | None:
    if raw is None:
        return None
    if not isinstance(raw, dict) or "value" not in raw or "year" not in raw:
        raise _fail(path, entry, "target braucht value und year")
    value = _number(path, entry, raw, "value")
    year = raw["year"]
    if not isinstance(year, int) or not 2000 <= year <= 2100:
        raise _fail(path, entry, f"target.year '{year}' ungültig (erwartet ein Jahr wie 2025)")
    official = bool(raw.get("official", False))
    source = str(raw.get("source") or "").strip()
    if official and not source:
        raise _fail(path, entry, "ein amtlicher Zielwert braucht target.source")
    return Target(value=float(value or 0), year=year, official=official, source=source)


def _indicator(path: Path, raw: Any, index: int, masterplans: set[str]) -> Indicator:
    if not isinstance(raw, dict):
        raise _fail(path, f"indicators[{index}]", "Eintrag muss ein Objekt sein")
    entry = f"indicator '{raw.get('id', f'#{index + 1}')}'"
    for key in REQUIRED_FIELDS:
        if raw.get(key) in (None, ""):
            raise _fail(path, entry, f"Pflichtfeld '{key}' fehlt")
    ind_id = str(raw["id"])
    if not SLUG_RE.match(ind_id):
        raise _fail(path, entry, "id muss ein Slug sein (a-z, 0-9, _)")
    if raw["masterplan"] not in masterplans:
        raise _fail(path, entry, f"unbekannter Masterplan '{raw['masterplan']}'")
    unit = str(raw["unit"])
    lo, hi = _number(path, entry, raw, "min"), _number(path, entry, raw, "max")
    if unit == "%":
        lo = 0.0 if lo is None else lo
        hi = 100.0 if hi is None else hi
    if lo is not None and hi is not None and lo > hi:
        raise _fail(path, entry, "min ist größer als max")
    demo = raw.get("demo") or {}
    return Indicator(
        id=ind_id,
        masterplan=str(raw["masterplan"]),
        name=str(raw["name"]),
        short_name=str(raw["short_name"]),
        unit=unit,
        definition=" ".join(str(raw["definition"]).split()),
        source=str(raw["source"]),
        source_url=raw.get("source_url"),
        direction=_choice(path, entry, raw, "direction", DIRECTIONS),
        aggregation=_choice(path, entry, raw, "aggregation", AGGREGATIONS),
        level=_choice(path, entry, raw, "level", LEVELS),
        per_capita=bool(raw.get("per_capita", False)),
        frequency=_choice(path, entry, raw, "frequency", FREQUENCIES),
        decimals=int(raw.get("decimals", 0)),
        min=lo,
        max=hi,
        target=_target(path, entry, raw.get("target")),
        demo_start=_number(path, entry, demo, "start"),
        demo_end=_number(path, entry, demo, "end"),
    )


def _masterplans(path: Path, raw: Any) -> tuple[Masterplan, ...]:
    if not isinstance(raw, list):
        raise _fail(path, "masterplans", "Liste der Masterpläne fehlt")
    plans = []
    for item in raw:
        if not isinstance(item, dict) or item.get("id") not in MASTERPLAN_IDS:
            got = item.get("id") if isinstance(item, dict) else item
            raise _fail(path, f"masterplan '{got}'", f"erwartet: {', '.join(MASTERPLAN_IDS)}")
        plans.append(
            Masterplan(
                id=item["id"],
                name=str(item.get("name") or item["id"]),
                short_name=str(item.get("short_name") or item["id"].capitalize()),
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
        raise CatalogError(f"{path}: Katalog nicht lesbar: {exc.strerror}") from exc
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


@lru_cache(maxsize=4)
def cached_catalog(path: Path, mtime_ns: int) -> Catalog:
    """Catalog cached per file version (the mtime is part of the key)."""
    del mtime_ns
    return load_catalog(path)
