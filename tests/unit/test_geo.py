"""District geometry: the schematic file, official exports, reprojection, map framing."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from shapely.geometry import Point, shape

from dortmund_kpi import geo
from dortmund_kpi.districts import load_districts
from dortmund_kpi.geometry import current_geometry, install_official_geometry
from dortmund_kpi.settings import Settings, get_settings

SETTINGS = get_settings()
DISTRICTS = load_districts(SETTINGS.districts_path)
PAIRS = [(d.slug, d.name) for d in DISTRICTS]


def schematic() -> dict:
    return geo.load_district_geojson(SETTINGS.schematic_geometry_path)


def test_schematic_file_has_the_12_districts_in_place():
    collection = schematic()
    assert [f["properties"]["slug"] for f in collection["features"]] == [d.slug for d in DISTRICTS]
    assert geo.is_schematic(collection)
    for feature, district in zip(collection["features"], DISTRICTS, strict=True):
        polygon = shape(feature["geometry"])
        assert polygon.is_valid and polygon.geom_type == "Polygon"
        assert polygon.exterior.is_ccw  # RFC 7946 winding
        assert polygon.contains(Point(district.lon, district.lat)), district.name
        props = feature["properties"]
        error = abs(props["flaeche_km2_schema"] - district.area_km2) / district.area_km2
        assert error < 0.03, district.name


def test_schematic_cells_cover_the_city():
    boundary = json.loads((SETTINGS.geo_dir / "stadtgrenze_dortmund.geojson").read_text("utf-8"))
    city = shape(boundary["features"][0]["geometry"])
    union = shape(schematic()["features"][0]["geometry"])
    for feature in schematic()["features"][1:]:
        union = union.union(shape(feature["geometry"]))
    assert abs(union.area - city.area) / city.area < 0.01
    assert SETTINGS.schematic_geometry_path.stat().st_size < 200 * 1024


def test_utm_reprojection_matches_an_independent_forward_computation():
    # 393000 / 5707000 (UTM 32N) was checked against a forward transverse-Mercator
    # computation: (7.45832, 51.50399) maps back to it within a millimetre.
    lon, lat = geo.utm32_to_wgs84(393000, 5707000)
    assert lon == pytest.approx(7.45832, abs=1e-5)
    assert lat == pytest.approx(51.50399, abs=1e-5)
    lon, lat = geo.utm32_to_wgs84(500000, 5700000)  # central meridian
    assert lon == pytest.approx(9.0)
    assert lat == pytest.approx(51.45118, abs=1e-4)


def _to_utm_collection(collection: dict, name_field: str, rename=lambda n: n) -> dict:
    """A fake official export: projected to UTM with a forward formula, city field names."""
    import math

    a, f, k0 = 6378137.0, 1 / 298.257222101, 0.9996
    e2 = f * (2 - f)
    ep2 = e2 / (1 - e2)

    def forward(lon: float, lat: float) -> list[float]:
        phi, lam = math.radians(lat), math.radians(lon - 9)
        n = a / math.sqrt(1 - e2 * math.sin(phi) ** 2)
        t, c, aa = math.tan(phi) ** 2, ep2 * math.cos(phi) ** 2, lam * math.cos(phi)
        m = a * (
            (1 - e2 / 4 - 3 * e2**2 / 64) * phi
            - (3 * e2 / 8 + 3 * e2**2 / 32) * math.sin(2 * phi)
            + (15 * e2**2 / 256) * math.sin(4 * phi)
        )
        x = k0 * n * (aa + (1 - t + c) * aa**3 / 6) + 500000
        y = k0 * (m + n * math.tan(phi) * (aa * aa / 2 + (5 - t + 9 * c) * aa**4 / 24))
        return [x, y]

    features = []
    for number, feature in enumerate(collection["features"], start=1):
        ring = [forward(*pt) for pt in feature["geometry"]["coordinates"][0]]
        features.append(
            {
                "type": "Feature",
                "properties": {
                    name_field: rename(feature["properties"]["name"]),
                    "stadtbezirk_nr": str(number * 10),
                },
                "geometry": {"type": "Polygon", "coordinates": [ring]},
            }
        )
    return {"type": "FeatureCollection", "features": list(reversed(features))}


def test_official_export_in_utm_with_other_spellings_is_matched_by_name():
    raw = _to_utm_collection(
        schematic(),
        "stadtbezirk_bezeichnung",
        lambda n: n.upper().replace("Ö", "OE").replace("Ü", "UE"),
    )
    result = geo.normalise_official_geojson(raw, PAIRS)
    assert [f["properties"]["slug"] for f in result["features"]] == [p[0] for p in PAIRS]
    assert not geo.is_schematic(result)
    for feature, district in zip(result["features"], DISTRICTS, strict=True):
        polygon = shape(feature["geometry"])
        assert polygon.exterior.is_ccw
        assert polygon.contains(Point(district.lon, district.lat)), district.name
        west, south, east, north = polygon.bounds
        assert west >= 7.30 and east <= 7.64 and south >= 51.41 and north <= 51.60


def test_official_export_errors():
    valid = _to_utm_collection(schematic(), "name")
    with pytest.raises(geo.GeometryError, match="fehlen"):
        geo.normalise_official_geojson({**valid, "features": valid["features"][1:]}, PAIRS)
    with pytest.raises(geo.GeometryError, match="doppelt"):
        geo.normalise_official_geojson({**valid, "features": valid["features"] * 2}, PAIRS)
    with pytest.raises(geo.GeometryError, match="FeatureCollection"):
        geo.normalise_official_geojson({"type": "Feature"}, PAIRS)
    bad = json.loads(json.dumps(valid))
    bad["features"][0]["properties"]["name"] = "Atlantis"
    with pytest.raises(geo.GeometryError, match="Atlantis"):
        geo.normalise_official_geojson(bad, PAIRS)


def test_installed_official_geometry_replaces_the_schematic(tmp_path: Path):
    settings = Settings(SETTINGS.data_dir, tmp_path / "kpi.duckdb")
    assert current_geometry(settings).schematic
    source = tmp_path / "stadtbezirke-dortmund.geojson"
    source.write_text(json.dumps(_to_utm_collection(schematic(), "stadtbezirk_bezeichnung")))
    install_official_geometry(source, settings)
    assert not current_geometry(settings).schematic
    assert len(current_geometry(settings).geojson["features"]) == 12


def test_map_view_frames_dortmund():
    centre, zoom = geo.map_view(schematic())
    assert 7.4 < centre["lon"] < 7.55 and 51.48 < centre["lat"] < 51.53
    assert 8.5 < zoom < 10.5
