"""Build the SCHEMATIC district geometry: data/geo/stadtbezirke_schematisch.geojson.

No official public copy of the 12 district polygons was at hand, so we build a
clearly labelled stand-in: a power diagram (weighted Voronoi partition) of the
official city boundary, seeded at the districts' real reference points, with
weights tuned until every cell's area is close to the official district area.
Deterministic, no network. Run from anywhere:

    python scripts/build_district_geometry.py

Inputs: data/geo/stadtgrenze_dortmund.geojson (BKG VG250) and data/districts.csv.
"""

from __future__ import annotations

import csv
import json
import math
from pathlib import Path

import shapely
from shapely.geometry import MultiPolygon, Point, Polygon, box, mapping, shape
from shapely.geometry.polygon import orient

ROOT = Path(__file__).resolve().parent.parent
BOUNDARY = ROOT / "data" / "geo" / "stadtgrenze_dortmund.geojson"
DISTRICTS = ROOT / "data" / "districts.csv"
OUTPUT = ROOT / "data" / "geo" / "stadtbezirke_schematisch.geojson"
LAT0, LON0 = 51.51, 7.47  # local equirectangular projection around Dortmund
KX = 111_320.0 * math.cos(math.radians(LAT0))
KY = 110_574.0
ITERATIONS = 400


def to_metres(lon: float, lat: float) -> tuple[float, float]:
    return (lon - LON0) * KX, (lat - LAT0) * KY


def project(geom):
    """Degrees -> metres (coordinate arrays, vectorised)."""
    return shapely.transform(geom, lambda xy: (xy - (LON0, LAT0)) * (KX, KY))


def unproject(geom):
    """Metres -> degrees, rounded to 5 decimals (about 1 m)."""
    return shapely.transform(geom, lambda xy: (xy / (KX, KY) + (LON0, LAT0)).round(5))


def power_cell(i: int, seeds: list[tuple[float, float]], weights: list[float], frame: Polygon):
    """Points closer to seed i than to any other in the power distance |x-p|^2 - w."""
    cell = frame
    px, py = seeds[i]
    for j, (qx, qy) in enumerate(seeds):
        if j == i:
            continue
        # half-plane: 2(q-p)·x <= |q|^2 - |p|^2 - w_j + w_i
        nx, ny = 2 * (qx - px), 2 * (qy - py)
        c = qx * qx + qy * qy - px * px - py * py - weights[j] + weights[i]
        cell = cell.intersection(_half_plane(nx, ny, c, frame))
        if cell.is_empty:
            break
    return cell


def _half_plane(nx: float, ny: float, c: float, frame: Polygon) -> Polygon:
    minx, miny, maxx, maxy = frame.bounds
    big = 4 * max(maxx - minx, maxy - miny)
    norm = math.hypot(nx, ny)
    ux, uy = nx / norm, ny / norm  # outward normal
    ox, oy = ux * c / norm, uy * c / norm  # a point on the line
    tx, ty = -uy, ux
    return Polygon(
        [
            (ox + tx * big, oy + ty * big),
            (ox - tx * big, oy - ty * big),
            (ox - tx * big - ux * big, oy - ty * big - uy * big),
            (ox + tx * big - ux * big, oy + ty * big - uy * big),
        ]
    )


def largest_part_with(seed: Point, geom):
    parts = list(geom.geoms) if isinstance(geom, MultiPolygon) else [geom]
    holding = [p for p in parts if p.contains(seed)]
    return holding[0] if holding else max(parts, key=lambda p: p.area)


def build() -> dict:
    boundary_raw = json.loads(BOUNDARY.read_text(encoding="utf-8"))
    city = project(shape(boundary_raw["features"][0]["geometry"]))
    with DISTRICTS.open(encoding="utf-8", newline="") as handle:
        districts = list(csv.DictReader(handle))
    seeds = [to_metres(float(d["lon"]), float(d["lat"])) for d in districts]
    official = [float(d["area_km2"]) for d in districts]
    scale = city.area / 1e6 / sum(official)  # the official areas sum to the city area
    targets = [a * scale * 1e6 for a in official]
    frame = box(*city.buffer(2000).bounds)
    weights = [0.0] * len(seeds)
    cells = []
    for step in range(ITERATIONS):
        cells = [power_cell(i, seeds, weights, frame).intersection(city) for i in range(len(seeds))]
        errors = [(t - c.area) / t for t, c in zip(targets, cells, strict=True)]
        if max(abs(e) for e in errors) < 0.01:
            break
        rate = 0.6 * (1 - step / ITERATIONS) + 0.1
        # Growing w_i pushes cell i's borders outwards; scale by the cell's size.
        weights = [
            w + rate * e * t / math.pi for w, e, t in zip(weights, errors, targets, strict=True)
        ]
    features = []
    for d, cell, target, seed in zip(districts, cells, official, seeds, strict=True):
        part = largest_part_with(Point(seed), cell).simplify(40, preserve_topology=True)
        geometry = unproject(part)
        features.append(
            {
                "type": "Feature",
                "id": d["slug"],
                "properties": {
                    "slug": d["slug"],
                    "name": d["name"],
                    "schematisch": True,
                    "flaeche_km2_schema": round(part.area / 1e6, 2),
                    "flaeche_km2_amtlich": target,
                },
                "geometry": mapping(orient(geometry, sign=1.0)),
            }
        )
    return {
        "type": "FeatureCollection",
        "name": "stadtbezirke_dortmund_schematisch",
        "schematisch": True,
        "quelle": (
            "SCHEMATISCH, keine amtlichen Grenzen: Power-Diagramm aus der Stadtgrenze "
            "(© GeoBasis-DE / BKG 2023, dl-de/by-2.0) und den Lagepunkten der Stadtbezirke "
            "(Wikipedia, CC BY-SA 4.0), Flächen an die amtlichen angenähert"
        ),
        "features": features,
    }


def main() -> None:
    collection = build()
    OUTPUT.write_text(
        json.dumps(collection, ensure_ascii=False, separators=(",", ":")) + "\n", encoding="utf-8"
    )
    for f in collection["features"]:
        p = f["properties"]
        error = (p["flaeche_km2_schema"] - p["flaeche_km2_amtlich"]) / p["flaeche_km2_amtlich"]
        print(
            f"{p['name']:18} {p['flaeche_km2_schema']:7.2f} km² (amtlich "
            f"{p['flaeche_km2_amtlich']:6.2f}, {error:+.1%})"
        )
    print(f"{OUTPUT.relative_to(ROOT)}: {OUTPUT.stat().st_size / 1024:.0f} KB")


if __name__ == "__main__":
    main()
