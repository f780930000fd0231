"""District geometry: load, validate, reproject and frame GeoJSON for the map, and which
geometry the map shows (the official one once loaded, else the schematic).

No GIS dependencies beyond shapely: the city's open-data exports may come in
ETRS89 / UTM zone 32N (EPSG:25832), which is converted here with the standard
inverse transverse-Mercator series (GRS80; sub-metre accuracy in Dortmund).

The official polygons (open-data portal, dataset ``stadtbezirke-dortmund``) are
loaded with ``dortmund-kpi geometry FILE``; they are stored beside the database,
so every deployment keeps its own, and the map switches to them at once.
"""

from __future__ import annotations

import json
import math
import os
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path
from typing import Any

from shapely import affinity
from shapely.errors import GEOSException
from shapely.geometry import MultiPolygon, mapping, shape
from shapely.geometry.base import BaseGeometry
from shapely.geometry.polygon import orient
from shapely.ops import polylabel

from dortmund_kpi import os_text
from dortmund_kpi.districts import load_districts, name_keys
from dortmund_kpi.settings import Settings

NAME_FIELDS = ("stadtbezirk_bezeichnung", "bezeichnung", "name", "stadtbezirk", "bezirk", "slug")
GEOMETRY_FIELDS = ("geografische_polygone", "geo_shape", "geometry")


MAX_NESTING = 4  # a MultiPolygon: polygons > rings > positions > numbers
MAX_VERTICES = 25_000  # per district: a map needs no centimetres (12 x 25,000 ~ 8 MB)


class GeometryError(ValueError):
    """A district geometry file cannot be used; the message says why (in German)."""


# -- projection ---------------------------------------------------------------------
_A = 6378137.0  # GRS80
_F = 1 / 298.257222101
_K0 = 0.9996
_E2 = _F * (2 - _F)
_EP2 = _E2 / (1 - _E2)


def utm32_to_wgs84(easting: float, northing: float) -> tuple[float, float]:
    """ETRS89 / UTM 32N (EPSG:25832) -> (lon, lat) in degrees (Snyder, USGS PP 1395)."""
    e1 = (1 - math.sqrt(1 - _E2)) / (1 + math.sqrt(1 - _E2))
    m = northing / _K0
    mu = m / (_A * (1 - _E2 / 4 - 3 * _E2**2 / 64 - 5 * _E2**3 / 256))
    phi1 = (
        mu
        + (3 * e1 / 2 - 27 * e1**3 / 32) * math.sin(2 * mu)
        + (21 * e1**2 / 16 - 55 * e1**4 / 32) * math.sin(4 * mu)
        + (151 * e1**3 / 96) * math.sin(6 * mu)
        + (1097 * e1**4 / 512) * math.sin(8 * mu)
    )
    sin1, cos1, tan1 = math.sin(phi1), math.cos(phi1), math.tan(phi1)
    c1 = _EP2 * cos1**2
    t1 = tan1**2
    n1 = _A / math.sqrt(1 - _E2 * sin1**2)
    r1 = _A * (1 - _E2) / (1 - _E2 * sin1**2) ** 1.5
    d = (easting - 500000.0) / (n1 * _K0)
    lat = phi1 - (n1 * tan1 / r1) * (
        d**2 / 2
        - (5 + 3 * t1 + 10 * c1 - 4 * c1**2 - 9 * _EP2) * d**4 / 24
        + (61 + 90 * t1 + 298 * c1 + 45 * t1**2 - 252 * _EP2 - 3 * c1**2) * d**6 / 720
    )
    lon = (
        d
        - (1 + 2 * t1 + c1) * d**3 / 6
        + (5 - 2 * c1 + 28 * t1 - 3 * c1**2 + 8 * _EP2 + 24 * t1**2) * d**5 / 120
    ) / cos1
    return math.degrees(lon) + 9.0, math.degrees(lat)  # zone 32: central meridian 9° E


def _map_coords(coords: Any, fn: Any) -> Any:
    if isinstance(coords[0], int | float):
        return list(fn(coords[0], coords[1]))
    return [_map_coords(c, fn) for c in coords]


def _first_position(coords: Any) -> tuple[float, float]:
    while not isinstance(coords[0], int | float):
        coords = coords[0]
    return float(coords[0]), float(coords[1])


def _utm_false_easting(geometry: dict) -> float | None:
    """500 000 m for UTM 32N (EPSG:25832), 32 500 000 m with the zone prefix (EPSG:4647)."""
    x, y = _first_position(geometry["coordinates"])
    if not 5_000_000 < y < 6_500_000:
        return None
    if 100_000 < x < 900_000:
        return 500_000.0
    if 32_100_000 < x < 32_900_000:
        return 32_500_000.0
    return None


# -- loading ---------------------------------------------------------------------------
def _to_wgs84(geometry: dict) -> dict:
    """UTM 32N coordinates (with or without zone prefix) -> WGS84; WGS84 passes through."""
    false_easting = _utm_false_easting(geometry)
    if false_easting is None:
        return geometry
    shift = false_easting - 500_000.0

    def unproject(x: float, y: float) -> tuple[float, float]:
        return utm32_to_wgs84(x - shift, y)

    return {
        "type": geometry["type"],
        "coordinates": _map_coords(geometry["coordinates"], unproject),
    }


def _check_coordinates(coords: Any, where: str) -> int:
    """Positions nested as (Multi)Polygons nest them, each two or three numbers; walked
    without recursion, so a string, a 200,000-deep nesting or a million vertices is a
    message, not a hang, a crash or 36 MB sent to every indicator page."""
    todo, count = [(coords, 0)], 0
    while todo:
        node, depth = todo.pop()
        if not isinstance(node, list | tuple) or not node or depth > MAX_NESTING:
            raise GeometryError(f"{where}: ungültige Koordinaten (erwartet Listen von Zahlen)")
        if all(isinstance(v, int | float) and not isinstance(v, bool) for v in node):
            if not 2 <= len(node) <= 3:
                raise GeometryError(f"{where}: ungültige Koordinaten (ein Punkt hat 2 Zahlen)")
            count += 1
            if count > MAX_VERTICES:
                raise GeometryError(
                    f"{where}: mehr als {MAX_VERTICES:,} Punkte; bitte vereinfacht "
                    "exportieren (die Karte braucht keine Zentimeter)".replace(",", ".")
                )
            continue
        todo.extend((child, depth + 1) for child in node)
    return count


def _polygonal(geometry: dict, where: str) -> BaseGeometry:
    _check_coordinates(geometry.get("coordinates"), where)
    try:
        shp = shape(_to_wgs84(geometry))
    except (IndexError, KeyError, TypeError, ValueError, GEOSException) as exc:
        raise GeometryError(f"{where}: ungültige Koordinaten ({exc})") from exc
    if not shp.is_valid:
        shp = shp.buffer(0)  # repairs self-touching rings of hand-edited exports
    if shp.is_empty or shp.geom_type not in ("Polygon", "MultiPolygon"):
        raise GeometryError(f"{where}: ungültige Fläche (leer oder nicht reparierbar)")
    return shp


def _clean_geometry(geometry: Any, where: str) -> dict:
    if not isinstance(geometry, dict) or geometry.get("type") not in ("Polygon", "MultiPolygon"):
        raise GeometryError(f"{where}: keine Fläche (erwartet Polygon oder MultiPolygon)")
    shp = _polygonal(geometry, where)
    lon, lat = shp.representative_point().coords[0]
    if not (5.5 < lon < 9.5 and 50.3 < lat < 52.6):
        raise GeometryError(f"{where}: liegt nicht in Nordrhein-Westfalen (Koordinaten prüfen)")
    if shp.geom_type == "Polygon":
        shp = orient(shp, sign=1.0)
    else:
        shp = MultiPolygon([orient(p, sign=1.0) for p in shp.geoms])
    return mapping(shp)


def _feature_collection(raw: Any, source: str) -> list[dict]:
    if isinstance(raw, list):  # Opendatasoft's JSON export: a list of records
        raw = {
            "type": "FeatureCollection",
            "features": [
                {"type": "Feature", "properties": r, "geometry": _record_geometry(r)}
                if isinstance(r, dict)
                else r
                for r in raw
            ],
        }
    if not isinstance(raw, dict) or raw.get("type") != "FeatureCollection":
        raise GeometryError(f"{source}: keine GeoJSON-FeatureCollection")
    features = raw.get("features")
    if not isinstance(features, list) or not features:
        raise GeometryError(f"{source}: enthält keine Flächen")
    for index, feature in enumerate(features, start=1):
        if not isinstance(feature, dict) or not isinstance(feature.get("properties") or {}, dict):
            raise GeometryError(f"{source}: Eintrag {index} ist kein GeoJSON-Feature")
    return features


def _record_geometry(record: dict) -> Any:
    """The polygon kept in a property (Opendatasoft: a Feature or geometry, maybe as text)."""
    for key in GEOMETRY_FIELDS:
        value = record.get(key)
        if isinstance(value, str) and value.lstrip().startswith("{"):
            try:
                value = json.loads(value)
            except json.JSONDecodeError:
                continue
        if isinstance(value, dict):
            return value.get("geometry", value)
    return None


def load_district_geojson(path: Path) -> dict:
    """Load a district FeatureCollection, normalised.

    Every feature keeps its properties and has ``slug`` and ``name`` (the slug if the name is
    missing); UTM 32N coordinates become WGS84; exterior rings run counter-clockwise (RFC 7946).
    """
    try:
        raw = json.loads(Path(path).read_text(encoding="utf-8-sig"))
    except (UnicodeDecodeError, json.JSONDecodeError) as exc:
        raise GeometryError(f"{path}: kein gültiges GeoJSON ({exc})") from exc
    features = []
    for index, feature in enumerate(_feature_collection(raw, str(path))):
        props = dict(feature.get("properties") or {})
        if not props.get("slug"):
            raise GeometryError(f"{path}: Fläche {index + 1} ohne 'slug'")
        props.setdefault("name", props["slug"])
        geometry = _clean_geometry(feature.get("geometry"), f"{path}: {props['slug']}")
        features.append(
            {"type": "Feature", "id": props["slug"], "properties": props, "geometry": geometry}
        )
    collection = {"type": "FeatureCollection", "features": features}
    for key in ("name", "title", "schematisch", "quelle"):
        if key in raw:
            collection[key] = raw[key]
    return collection


def _feature_name(props: dict, geometry_holder: dict) -> str:
    for key in NAME_FIELDS:
        if props.get(key):
            return str(props[key])
    return str(geometry_holder.get("id") or "")


def normalise_official_geojson(raw: Any, districts: list[tuple[str, str]]) -> dict:
    """The city's export of ``stadtbezirke-dortmund`` -> our FeatureCollection.

    Matches each polygon to a district by name (never by number: the city's
    datasets number districts inconsistently) and reprojects UTM 32N to WGS84.
    """
    index: dict[str, str] = {}
    for slug, name in districts:
        for key in name_keys(name) | name_keys(slug):
            index[key] = slug
    expected = ", ".join(name for _, name in districts)
    found: dict[str, dict] = {}
    for number, feature in enumerate(_feature_collection(raw, "GeoJSON"), start=1):
        props = feature.get("properties") or {}
        name = _feature_name(props, feature)
        if not name.strip():
            raise GeometryError(f"Fläche {number} hat keinen Namen (stadtbezirk_bezeichnung)")
        slug = next(
            (index[k] for k in sorted(name_keys(name), key=len, reverse=True) if k in index), None
        )
        if slug is None:
            raise GeometryError(
                f"Fläche '{name[:40]}' passt zu keinem Stadtbezirk (erwartet: {expected})"
            )
        if slug in found:
            raise GeometryError(f"Stadtbezirk '{name[:40]}' kommt doppelt vor")
        geometry = feature.get("geometry") or _record_geometry(props)
        found[slug] = {
            "type": "Feature",
            "id": slug,
            "properties": {"slug": slug, "name": dict(districts)[slug], "schematisch": False},
            "geometry": _clean_geometry(geometry, name),
        }
    missing = [name for slug, name in districts if slug not in found]
    if missing:
        raise GeometryError(f"Stadtbezirke fehlen in der Datei: {', '.join(missing)}")
    return {
        "type": "FeatureCollection",
        "name": "stadtbezirke_dortmund_amtlich",
        "schematisch": False,
        "quelle": "Stadt Dortmund, Open-Data-Portal, Datensatz stadtbezirke-dortmund",
        "features": [found[slug] for slug, _ in districts],
    }


def is_schematic(geojson: dict) -> bool:
    """Whether the map must say "schematisch": the collection's flag, else any feature's.

    A feature without the flag counts as schematic: only a checked official import sets false.
    """
    if "schematisch" in geojson:
        return bool(geojson["schematisch"])
    return any(f["properties"].get("schematisch", True) for f in geojson["features"])


def map_view(geojson: dict, width: int = 700, height: int = 500) -> tuple[dict, float]:
    """Centre and zoom that fit the features into a map of width x height px.

    MapLibre (plotly's `choropleth_map`) uses 512 px tiles: the world is 512 * 2**zoom px wide.
    """
    bounds = [shape(f["geometry"]).bounds for f in geojson["features"]]
    west, south = min(b[0] for b in bounds), min(b[1] for b in bounds)
    east, north = max(b[2] for b in bounds), max(b[3] for b in bounds)

    def merc(lat: float) -> float:
        return math.log(math.tan(math.pi / 4 + math.radians(lat) / 2))

    zoom_x = math.log2(360 * width / (512 * max(east - west, 1e-6)))
    zoom_y = math.log2(2 * math.pi * height / (512 * max(merc(north) - merc(south), 1e-9)))
    centre = {
        "lon": (west + east) / 2,
        "lat": math.degrees(math.atan(math.sinh((merc(north) + merc(south)) / 2))),
    }
    return centre, round(min(zoom_x, zoom_y) - 0.25, 2)


def label_points(geojson: dict) -> dict[str, tuple[float, float]]:
    """Where the map writes each district's name (slug -> longitude, latitude): the point
    of its largest part farthest from its border. A centroid can fall outside a bent
    district or onto a neighbour's border; this point is inside with room around it."""
    points = {}
    for feature in geojson["features"]:
        shp = shape(feature["geometry"])
        part = max(getattr(shp, "geoms", [shp]), key=lambda polygon: polygon.area)
        # As the map draws it: a degree of longitude is shorter than one of latitude here
        # (by the cosine of the latitude), so the room around a point is measured so too.
        shrink = math.cos(math.radians(part.centroid.y))
        drawn = affinity.scale(part, xfact=shrink, yfact=1.0, origin=(0, 0))
        point = polylabel(drawn, tolerance=0.0005)  # about 50 m: finer than the map shows
        points[str(feature["properties"]["slug"])] = (point.x / shrink, point.y)
    return points


@dataclass(frozen=True)
class Geometry:
    geojson: dict
    view: tuple[dict, float]
    schematic: bool
    path: Path
    labels: dict[str, tuple[float, float]]  # where each district's name is written


@lru_cache(maxsize=4)
def _load(path: Path, mtime_ns: int) -> Geometry:
    del mtime_ns  # part of the cache key only: a replaced file is read again
    geojson = load_district_geojson(path)
    # The map sits in a column of about 520 x 360 px of plot area (3/5 of a wide page).
    view = map_view(geojson, width=520, height=360)
    return Geometry(geojson, view, is_schematic(geojson), path, label_points(geojson))


def current_geometry(settings: Settings) -> Geometry:
    official = settings.official_geometry_path
    path = official if official.exists() else settings.schematic_geometry_path
    return _load(path, path.stat().st_mtime_ns)


def install_official_geometry(source: Path, settings: Settings) -> Path:
    """Validate the city's GeoJSON export and store it for the dashboard (atomically)."""
    try:
        raw = json.loads(source.read_text(encoding="utf-8-sig"))
    except OSError as exc:
        raise GeometryError(f"{source}: nicht lesbar: {os_text.reason(exc)}") from exc
    except (UnicodeDecodeError, json.JSONDecodeError) as exc:
        raise GeometryError(f"{source}: kein gültiges GeoJSON ({exc})") from exc
    districts = load_districts(settings.districts_path)
    normalised = normalise_official_geojson(raw, [(d.slug, d.name) for d in districts])
    target = settings.official_geometry_path
    target.parent.mkdir(parents=True, exist_ok=True)
    tmp = target.with_name(target.name + ".tmp")
    tmp.write_text(json.dumps(normalised, ensure_ascii=False), encoding="utf-8")
    os.replace(tmp, target)
    return target
