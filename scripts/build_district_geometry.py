"""Build the SCHEMATIC district geometry: data/geo/stadtbezirke_schematisch.geojson.

No official public copy of the 12 district polygons was at hand, so we build a
clearly labelled stand-in: a power diagram (weighted Voronoi partition) of the
official city boundary, seeded at the districts' real reference points. The
weights are solved with Newton's method (the semi-discrete optimal-transport
formulation) until every cell's area equals the official district area, scaled
by the ratio of the boundary's area to the sum of the official areas. Areas are
computed in Lambert's cylindrical equal-area projection on the GRS80 ellipsoid.

Deterministic, no network. Run from anywhere:

    python scripts/build_district_geometry.py

Inputs: data/geo/stadtgrenze_dortmund.geojson (BKG VG250) and data/districts.csv
(``--districts CSV`` is read only when data/districts.csv does not exist; it may use
the columns ``flaeche_km2`` instead of ``area_km2``). ``--import-boundary FILE``
first refreshes data/geo/stadtgrenze_dortmund.geojson from a VG250 GeoJSON export.
"""

from __future__ import annotations

import argparse
import csv
import json
import math
from dataclasses import dataclass
from pathlib import Path

import numpy as np
import shapely
from shapely.geometry import LineString, Point, Polygon, mapping, shape
from shapely.geometry.polygon import orient

ROOT = Path(__file__).resolve().parent.parent
BOUNDARY = ROOT / "data" / "geo" / "stadtgrenze_dortmund.geojson"
DISTRICTS = ROOT / "data" / "districts.csv"
OUTPUT = ROOT / "data" / "geo" / "stadtbezirke_schematisch.geojson"

DECIMALS = 5  # about 1 m
MAX_AREA_ERROR = 0.01  # the build fails if a cell is further than 1 % from the official area
MIN_MARGIN_M = 100.0  # a district's point must lie at least this far inside its cell
NEWTON_STEPS = 50
NEWTON_TOLERANCE = 1e-7  # relative area error at which the weights count as solved

BOUNDARY_SOURCE = "© GeoBasis-DE / BKG (2023), VG250, Datenlizenz Deutschland – Namensnennung – 2.0"
SCHEMATIC_SOURCE = (
    "SCHEMATISCH, keine amtlichen Grenzen: Power-Diagramm (gewichtetes Voronoi-Diagramm) "
    "der Stadtgrenze (© GeoBasis-DE / BKG 2023, dl-de/by-2.0), gesetzt an den Lagepunkten "
    "der Stadtbezirke, Flächen an die amtlichen Flächen angepasst (Wikipedia, CC BY-SA 4.0, "
    "nach Dortmunder Statistik)"
)

# -- projection: Lambert cylindrical equal-area, GRS80, true scale at 51.51° N -----------
_A = 6378137.0
_F = 1 / 298.257222101
_E2 = _F * (2 - _F)
_E = math.sqrt(_E2)
_LAT0 = math.radians(51.51)
_LON0 = math.radians(7.47)
_K0 = math.cos(_LAT0) / math.sqrt(1 - _E2 * math.sin(_LAT0) ** 2)


def _authalic_q(phi: np.ndarray) -> np.ndarray:
    s = np.sin(phi)
    return (1 - _E2) * (s / (1 - _E2 * s * s) - np.log((1 - _E * s) / (1 + _E * s)) / (2 * _E))


_QP = float(_authalic_q(np.array(math.pi / 2)))


def to_plane(lonlat: np.ndarray) -> np.ndarray:
    """(lon, lat) degrees -> equal-area metres (Snyder, USGS PP 1395, eq. 10-15/10-16)."""
    lam, phi = np.radians(lonlat[:, 0]), np.radians(lonlat[:, 1])
    return np.column_stack((_A * _K0 * (lam - _LON0), _A * _authalic_q(phi) / (2 * _K0)))


def to_lonlat(xy: np.ndarray) -> np.ndarray:
    """Equal-area metres -> (lon, lat) degrees (authalic-latitude series, eq. 3-18)."""
    beta = np.arcsin(np.clip(2 * _K0 * xy[:, 1] / (_A * _QP), -1, 1))
    e4, e6 = _E2 * _E2, _E2 * _E2 * _E2
    phi = (
        beta
        + (_E2 / 3 + 31 * e4 / 180 + 517 * e6 / 5040) * np.sin(2 * beta)
        + (23 * e4 / 360 + 251 * e6 / 3780) * np.sin(4 * beta)
        + (761 * e6 / 45360) * np.sin(6 * beta)
    )
    return np.column_stack((np.degrees(xy[:, 0] / (_A * _K0) + _LON0), np.degrees(phi)))


# -- inputs --------------------------------------------------------------------------
@dataclass(frozen=True)
class District:
    slug: str
    name: str
    area_km2: float
    lon: float
    lat: float


def read_districts(path: Path) -> list[District]:
    """The district table: data/districts.csv (area_km2) or the reference CSV (flaeche_km2)."""
    with path.open(encoding="utf-8", newline="") as handle:
        rows = list(csv.DictReader(handle))
    districts = [
        District(
            slug=row["slug"],
            name=row["name"],
            area_km2=float(row.get("area_km2") or row["flaeche_km2"]),
            lon=float(row["lon"]),
            lat=float(row["lat"]),
        )
        for row in rows
    ]
    if len(districts) != 12 or len({d.slug for d in districts}) != 12:
        raise SystemExit(f"{path}: expected 12 districts with distinct slugs")
    return districts


def import_boundary(source: Path, target: Path) -> None:
    """Copy the city boundary from a VG250 export: polygon only, 5 decimals, RFC 7946 winding."""
    raw = json.loads(source.read_text(encoding="utf-8"))
    feature = raw["features"][0]
    geometry = shapely.set_precision(shape(feature["geometry"]), 10.0**-DECIMALS)
    geometry = shapely.MultiPolygon([orient(p, sign=1.0) for p in shapely.get_parts(geometry)])
    keep = ("AGS", "GEN", "BEZ")
    collection = {
        "type": "FeatureCollection",
        "name": "stadtgrenze_dortmund",
        "quelle": BOUNDARY_SOURCE,
        "features": [
            {
                "type": "Feature",
                "properties": {k: feature["properties"][k] for k in keep},
                "geometry": _rounded(mapping(geometry)),
            }
        ],
    }
    _write_json(target, collection)


def read_city(path: Path) -> shapely.Geometry:
    """The city boundary, projected to equal-area metres."""
    raw = json.loads(path.read_text(encoding="utf-8"))
    city = shapely.union_all([shape(f["geometry"]) for f in raw["features"]])
    return shapely.transform(city, to_plane)


# -- power diagram -----------------------------------------------------------------------
def _clip(polygon: np.ndarray, normal: np.ndarray, offset: float) -> np.ndarray:
    """Sutherland-Hodgman: the part of a convex polygon where x·normal <= offset."""
    kept = []
    side = polygon @ normal - offset
    for k in range(len(polygon)):
        a, b, fa, fb = polygon[k], polygon[k - 1], side[k], side[k - 1]
        if fb * fa < 0:
            kept.append(b + fb / (fb - fa) * (a - b))
        if fa <= 0:
            kept.append(a)
    return np.array(kept).reshape(-1, 2)


def _bisector(sites: np.ndarray, weights: np.ndarray, i: int, j: int) -> tuple[np.ndarray, float]:
    """Power cell i lies on the side x·normal <= offset of its border with cell j."""
    normal = 2 * (sites[j] - sites[i])
    offset = sites[j] @ sites[j] - sites[i] @ sites[i] + weights[i] - weights[j]
    return normal, offset


def power_cell(sites: np.ndarray, weights: np.ndarray, i: int, frame: np.ndarray) -> np.ndarray:
    """The convex power cell of site i (|x - p|^2 - w smallest), cut to a frame."""
    polygon = frame
    for j in range(len(sites)):
        if j != i and len(polygon):
            polygon = _clip(polygon, *_bisector(sites, weights, i, j))
    return polygon


def _border_length(
    polygon: np.ndarray, normal: np.ndarray, offset: float, city: shapely.Geometry
) -> float:
    """Length, inside the city, of the polygon's edge on the line x·normal = offset."""
    scale = float(np.abs(polygon).max()) * float(np.linalg.norm(normal))
    on_line = polygon[np.abs(polygon @ normal - offset) <= 1e-9 * scale]
    if len(on_line) < 2:
        return 0.0
    return LineString(on_line[:2]).intersection(city).length


def power_diagram(
    sites: np.ndarray, weights: np.ndarray, city: shapely.Geometry, frame: np.ndarray
) -> tuple[list[shapely.Geometry], np.ndarray]:
    """Cells clipped to the city, and the matrix of shared border lengths."""
    n = len(sites)
    cells, borders = [], np.zeros((n, n))
    for i in range(n):
        polygon = power_cell(sites, weights, i, frame)
        cells.append(Polygon(polygon).intersection(city) if len(polygon) >= 3 else Polygon())
        for j in range(n):
            if j != i and len(polygon) >= 3:
                borders[i, j] = _border_length(polygon, *_bisector(sites, weights, i, j), city)
    return cells, (borders + borders.T) / 2


def _area_jacobian(sites: np.ndarray, borders: np.ndarray) -> np.ndarray:
    """d area_i / d w_j: raising w_i by dw moves the border with j by dw / (2 |p_i - p_j|)."""
    distance = np.linalg.norm(sites[:, None, :] - sites[None, :, :], axis=2)
    np.fill_diagonal(distance, 1.0)
    coupling = borders / (2 * distance)
    return np.diag(coupling.sum(axis=1)) - coupling


def solve_weights(
    sites: np.ndarray, targets: np.ndarray, city: shapely.Geometry
) -> list[shapely.Geometry]:
    """Damped Newton on the weights until every cell has its target area."""
    minx, miny, maxx, maxy = city.buffer(1000).bounds
    frame = np.array([[minx, miny], [maxx, miny], [maxx, maxy], [minx, maxy]])
    weights = np.zeros(len(sites))
    cells, borders = power_diagram(sites, weights, city, frame)
    for step in range(NEWTON_STEPS):
        error = np.array([c.area for c in cells]) - targets
        worst = np.abs(error / targets).max()
        print(f"  Newton step {step}: largest area error {worst:.2e}")
        if worst < NEWTON_TOLERANCE:
            return cells
        delta = np.linalg.lstsq(_area_jacobian(sites, borders), -error, rcond=None)[0]
        damping = 1.0
        while True:  # halve the step until no cell vanishes and the error shrinks
            trial = weights + damping * delta
            new_cells, new_borders = power_diagram(sites, trial, city, frame)
            areas = np.array([c.area for c in new_cells])
            if areas.min() > 0 and np.abs(areas - targets).max() < np.abs(error).max():
                break
            damping /= 2
            if damping < 1e-4:
                raise SystemExit("the area weights do not converge")
        weights, cells, borders = trial, new_cells, new_borders
    raise SystemExit(f"the area weights did not converge in {NEWTON_STEPS} steps")


# -- checks and output -------------------------------------------------------------------
def cell_problems(cells: list[shapely.Geometry], sites: np.ndarray) -> list[str]:
    problems = []
    for index, (cell, site) in enumerate(zip(cells, sites, strict=True)):
        point = Point(site)
        if cell.geom_type != "Polygon":
            problems.append(f"cell {index} is {cell.geom_type}, not one polygon")
        elif not cell.contains(point) or cell.exterior.distance(point) < MIN_MARGIN_M:
            problems.append(f"cell {index} does not hold its point {MIN_MARGIN_M:.0f} m inside")
    return problems


def _rounded(geometry: dict) -> dict:
    def walk(coords: list) -> list:
        if isinstance(coords[0], float | int):
            return [round(float(c), DECIMALS) for c in coords]
        return [walk(c) for c in coords]

    return {"type": geometry["type"], "coordinates": walk(geometry["coordinates"])}


def to_output_polygon(cell: shapely.Geometry) -> Polygon:
    """Plane -> WGS84, rounded to 5 decimals, repeated points dropped, exterior ring CCW."""
    lonlat = shapely.transform(cell, to_lonlat)
    rounded = shapely.remove_repeated_points(shape(_rounded(mapping(lonlat))))
    if not rounded.is_valid or rounded.geom_type != "Polygon":
        raise SystemExit(f"rounding broke a cell: {shapely.is_valid_reason(rounded)}")
    return orient(rounded, sign=1.0)


def plane_area_km2(geometry: shapely.Geometry) -> float:
    return shapely.transform(geometry, to_plane).area / 1e6


def build_features(districts: list[District], cells: list[shapely.Geometry]) -> list[dict]:
    features = []
    for district, cell in zip(districts, cells, strict=True):
        polygon = to_output_polygon(cell)
        features.append(
            {
                "type": "Feature",
                "id": district.slug,
                "properties": {
                    "slug": district.slug,
                    "name": district.name,
                    "schematisch": True,
                    "flaeche_km2_schema": round(plane_area_km2(polygon), 3),
                    "flaeche_km2_amtlich": district.area_km2,
                },
                "geometry": _rounded(mapping(polygon)),
            }
        )
    return features


def check_output(features: list[dict], city: shapely.Geometry) -> None:
    """Fail on cells that miss the official area or break the coverage of the city."""
    polygons = [shape(f["geometry"]) for f in features]
    coverage = shapely.union_all([shapely.transform(p, to_plane) for p in polygons])
    overlap_km2 = (sum(shapely.transform(p, to_plane).area for p in polygons) - coverage.area) / 1e6
    gap_km2 = city.difference(coverage).area / 1e6
    print(f"  coverage: overlaps {overlap_km2:.6f} km², gaps {gap_km2:.6f} km²")
    if overlap_km2 > 0.001 or gap_km2 > 0.001:
        raise SystemExit("the cells do not tile the city")
    for feature in features:
        p = feature["properties"]
        error = p["flaeche_km2_schema"] / p["flaeche_km2_amtlich"] - 1
        print(
            f"  {p['name']:16} {p['flaeche_km2_schema']:8.3f} km²"
            f"  (amtlich {p['flaeche_km2_amtlich']:7.3f} km², {error:+.2%})"
        )
        if abs(error) > MAX_AREA_ERROR:
            raise SystemExit(f"{p['name']}: area error {error:+.1%} exceeds {MAX_AREA_ERROR:.0%}")


def build(districts: list[District], city: shapely.Geometry) -> dict:
    sites = to_plane(np.array([[d.lon, d.lat] for d in districts]))
    official = np.array([d.area_km2 for d in districts])
    # The official areas sum to the official city area; the generalised VG250 boundary is a
    # little smaller, so each district gets its share of the boundary's area.
    targets = official / official.sum() * city.area
    print(f"boundary {city.area / 1e6:.3f} km², official districts {official.sum():.3f} km²")
    cells = solve_weights(sites, targets, city)
    problems = cell_problems(cells, sites)
    if problems:
        raise SystemExit("; ".join(problems))
    features = build_features(districts, cells)
    check_output(features, city)
    return {
        "type": "FeatureCollection",
        "name": "stadtbezirke_dortmund_schematisch",
        "title": "Stadtbezirke Dortmund – SCHEMATISCHE Geometrie, keine amtlichen Grenzen",
        "schematisch": True,
        "quelle": SCHEMATIC_SOURCE,
        "features": features,
    }


def _write_json(path: Path, data: dict) -> None:
    text = json.dumps(data, ensure_ascii=False, separators=(",", ":")) + "\n"
    path.write_text(text, encoding="utf-8")
    shown = path.relative_to(ROOT) if path.is_relative_to(ROOT) else path
    print(f"wrote {shown} ({path.stat().st_size / 1024:.1f} KB)")


def district_table(fallback: Path | None) -> Path:
    """data/districts.csv when it exists, else the table given with --districts."""
    if DISTRICTS.exists():
        if fallback is not None:
            print(f"note: {DISTRICTS.relative_to(ROOT)} exists, --districts {fallback} is ignored")
        return DISTRICTS
    if fallback is None:
        raise SystemExit(f"{DISTRICTS} is missing: pass the district table with --districts CSV")
    return fallback


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument(
        "--districts",
        type=Path,
        help="district table (slug, name, area_km2 or flaeche_km2, lat, lon), "
        "read only when data/districts.csv does not exist",
    )
    parser.add_argument(
        "--import-boundary",
        type=Path,
        metavar="GEOJSON",
        help="first refresh data/geo/stadtgrenze_dortmund.geojson from this VG250 export",
    )
    parser.add_argument("--output", type=Path, default=OUTPUT)
    args = parser.parse_args(argv)
    if args.import_boundary:
        import_boundary(args.import_boundary, BOUNDARY)
    districts = read_districts(district_table(args.districts))
    collection = build(districts, read_city(BOUNDARY))
    _write_json(args.output.resolve(), collection)


if __name__ == "__main__":
    main()
