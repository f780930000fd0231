"""Which district geometry the map shows: the official one once loaded, else the schematic.

The official polygons (open-data portal, dataset ``stadtbezirke-dortmund``) are
loaded with ``dortmund-kpi geometry FILE``; they are stored beside the database,
so every deployment keeps its own, and the map switches to them at once.
"""

from __future__ import annotations

import json
import os
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

from dortmund_kpi import geo
from dortmund_kpi.districts import load_districts
from dortmund_kpi.settings import Settings


@dataclass(frozen=True)
class Geometry:
    geojson: dict
    view: tuple[dict, float]
    schematic: bool
    path: Path


@lru_cache(maxsize=4)
def _load(path: Path, mtime_ns: int) -> Geometry:
    del mtime_ns  # part of the cache key only: a replaced file is read again
    geojson = geo.load_district_geojson(path)
    # The map sits in a column of about 520 x 360 px of plot area (3/5 of a wide page).
    view = geo.map_view(geojson, width=520, height=360)
    return Geometry(geojson, view, geo.is_schematic(geojson), path)


def current_geometry(settings: Settings) -> Geometry:
    official = settings.official_geometry_path
    path = official if official.exists() else settings.schematic_geometry_path
    return _load(path, path.stat().st_mtime_ns)


def install_official_geometry(source: Path, settings: Settings) -> Path:
    """Validate the city's GeoJSON export and store it for the dashboard (atomically)."""
    try:
        raw = json.loads(source.read_text(encoding="utf-8-sig"))
    except OSError as exc:
        raise geo.GeometryError(f"{source}: nicht lesbar: {exc.strerror}") from exc
    except (UnicodeDecodeError, json.JSONDecodeError) as exc:
        raise geo.GeometryError(f"{source}: kein gültiges GeoJSON ({exc})") from exc
    districts = load_districts(settings.districts_path)
    normalised = geo.normalise_official_geojson(raw, [(d.slug, d.name) for d in districts])
    target = settings.official_geometry_path
    target.parent.mkdir(parents=True, exist_ok=True)
    tmp = target.with_name(target.name + ".tmp")
    tmp.write_text(json.dumps(normalised, ensure_ascii=False), encoding="utf-8")
    os.replace(tmp, target)
    return target
