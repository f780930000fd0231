"""The regions of the comparison, read from official tables with the importers' readers.

``data/peers.yaml`` names the tables: every record's official key and region name give
the names (a municipality's Kreis is the name of its first five digits, its
Regierungsbezirk the name of its first three); the population table (value column and
filter as for ``dortmund-kpi import``) gives the inhabitants of Kreise and kreisfreie
Städte (a kreisfreie Stadt ``05913`` is the municipality ``05913000``). The boundary file
gives the area in km² of the municipalities it draws.
"""

from __future__ import annotations

import json
import math
import re
from pathlib import Path

import pandas as pd
from shapely.geometry import shape

from dortmund_kpi.ingest.mapping import fold
from dortmund_kpi.ingest.official import read_table, source_line
from dortmund_kpi.peer_groups import PeerConfig
from dortmund_kpi.periods import parse_period
from dortmund_kpi.settings import Settings

_EARTH_KM = 6371.0088
_CITY_KREIS = re.compile(r"kreisfreie stadt|krfr\. stadt|stadtkreis|^dortmund$")


def _names(settings: Settings, files: list[str]) -> tuple[dict[str, str], list[str]]:
    names: dict[str, str] = {}
    sources = []
    for name in files:
        table = read_table(settings.data_dir / name, settings)
        sources.append(source_line(table))
        for record in table.records:
            key = record.schluessel
            if key and key.isdigit() and key not in names:
                names[key] = " ".join(record.gebiet.split())
    for key, name in list(names.items()):
        # a kreisfreie Stadt listed as a Kreis is also its municipality (05913 = 05913000)
        if len(key) == 5 and _CITY_KREIS.search(fold(name)):
            names.setdefault(key + "000", name)
    return names, sources


def _population(settings: Settings, spec: dict) -> tuple[dict[str, tuple[float, str]], str]:
    table = read_table(settings.data_dir / str(spec["datei"]), settings)
    column, wanted = fold(str(spec.get("spalte", ""))), fold(str(spec.get("filter", "")))
    found: dict[str, tuple[float, str]] = {}
    for record in table.records:
        if record.wert is None or not record.schluessel or column not in fold(record.spalte):
            continue
        if wanted and not any(fold(v) == wanted for v in record.merkmale.values()):
            continue
        key = record.schluessel.ljust(8, "0") if len(record.schluessel) == 5 else record.schluessel
        found[key] = (record.wert, record.zeitraum)
        found.setdefault(record.schluessel, (record.wert, record.zeitraum))
    return found, source_line(table)


def polygon_area_km2(geometry: dict) -> float:
    """The area of a WGS84 polygon in km², on a local equirectangular projection (the
    municipalities are small: the error is far below the generalisation of VG250)."""
    geom = shape(geometry)
    lat0 = math.radians(geom.centroid.y)
    scale_x = math.radians(1) * _EARTH_KM * math.cos(lat0)
    scale_y = math.radians(1) * _EARTH_KM
    return geom.area * scale_x * scale_y


def _areas(path: Path) -> dict[str, float]:
    if not path.exists():
        return {}
    data = json.loads(path.read_text(encoding="utf-8"))
    return {
        str(f["properties"]["AGS"]): round(polygon_area_km2(f["geometry"]), 2)
        for f in data.get("features", [])
        if f.get("properties", {}).get("AGS")
    }


def _date(label: str) -> object:
    period = parse_period(label) if label else None
    return period.end if period is not None else None


def load_regions(settings: Settings, config: PeerConfig) -> pd.DataFrame:
    """One row per municipality or Kreis known by name (columns of ``db.peers.regions``)."""
    spec = config.raw.get("regionen") or {}
    names, sources = _names(settings, list(spec.get("namen") or []))
    population, pop_source = ({}, "")
    if spec.get("einwohner"):
        population, pop_source = _population(settings, spec["einwohner"])
    flaeche = config.raw.get("flaeche")
    areas = _areas(settings.data_dir / str(flaeche)) if flaeche else {}
    rows = []
    for key, name in names.items():
        if len(key) not in (5, 8):
            continue
        pop = population.get(key)
        credit = "; ".join(dict.fromkeys(s for s in [*sources, pop_source if pop else ""] if s))
        rows.append(
            {
                "ags": key,
                "name": name,
                "kreis": names.get(key[:5]) if len(key) == 8 else None,
                "regierungsbezirk": names.get(key[:3]),
                "population": int(pop[0]) if pop else None,
                "population_date": _date(pop[1]) if pop else None,
                "area_km2": areas.get(key),
                "source": credit,
            }
        )
    return pd.DataFrame(rows)
