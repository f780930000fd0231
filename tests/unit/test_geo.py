"""District geometry: the schematic file and its builder, official exports, reprojection, map."""

from __future__ import annotations

import copy
import importlib.util
import itertools
import json
import math
import sys
from pathlib import Path

import numpy as np
import pytest
import shapely
from shapely.geometry import Point, Polygon, mapping, shape

from dortmund_kpi import geometry as geo
from dortmund_kpi.districts import load_districts
from dortmund_kpi.geometry import current_geometry, install_official_geometry
from dortmund_kpi.settings import Settings, get_settings

SETTINGS = get_settings()
DISTRICTS = load_districts(SETTINGS.districts_path)
PAIRS = [(d.slug, d.name) for d in DISTRICTS]
SCHEMATIC = SETTINGS.schematic_geometry_path
BOUNDARY = SETTINGS.geo_dir / "stadtgrenze_dortmund.geojson"
BUILDER = Path(__file__).resolve().parents[2] / "scripts" / "build_district_geometry.py"
AREA_TOLERANCE = 0.005  # achieved: -0.35 % … -0.40 % (the VG250 boundary is 0.37 % small)
DORTMUND_BBOX = (7.30, 51.41, 7.64, 51.60)

# GRS80, shared by ETRS89 and (to well under a metre) WGS84
A, F = 6378137.0, 1 / 298.257222101
E2 = F * (2 - F)


def raw_schematic() -> dict:
    return json.loads(SCHEMATIC.read_text(encoding="utf-8"))


def schematic() -> dict:
    return geo.load_district_geojson(SCHEMATIC)


def area_km2(geometry) -> float:
    """Ellipsoidal area through a sinusoidal projection with Dortmund's radii of curvature.

    Independent of the builder's cylindrical equal-area projection.
    """
    lat0 = math.radians(51.51)
    meridional = A * (1 - E2) / (1 - E2 * math.sin(lat0) ** 2) ** 1.5

    def project(lonlat: np.ndarray) -> np.ndarray:
        lam, phi = np.radians(lonlat[:, 0] - 7.47), np.radians(lonlat[:, 1])
        normal = A / np.sqrt(1 - E2 * np.sin(phi) ** 2)
        return np.column_stack((normal * np.cos(phi) * lam, meridional * (phi - lat0)))

    return shapely.transform(geometry, project).area / 1e6


def utm32_forward(lon: float, lat: float) -> tuple[float, float]:
    """WGS84 -> UTM 32N by Krüger's series (Karney 2011), independent of geo's Snyder inverse."""
    n = F / (2 - F)
    big_a = A / (1 + n) * (1 + n**2 / 4 + n**4 / 64)
    alpha = (n / 2 - 2 * n**2 / 3 + 5 * n**3 / 16, 13 * n**2 / 48 - 3 * n**3 / 5, 61 * n**3 / 240)
    phi, lam = math.radians(lat), math.radians(lon - 9)
    root = 2 * math.sqrt(n) / (1 + n)
    t = math.sinh(math.atanh(math.sin(phi)) - root * math.atanh(root * math.sin(phi)))
    xi, eta = math.atan(t / math.cos(lam)), math.atanh(math.sin(lam) / math.sqrt(1 + t * t))
    terms = list(enumerate(alpha, start=1))
    easting = eta + sum(a * math.cos(2 * j * xi) * math.sinh(2 * j * eta) for j, a in terms)
    northing = xi + sum(a * math.sin(2 * j * xi) * math.cosh(2 * j * eta) for j, a in terms)
    return 500000 + 0.9996 * big_a * easting, 0.9996 * big_a * northing


# -- the committed schematic file ---------------------------------------------------------
def test_schematic_file_has_the_12_districts_as_valid_ccw_polygons_around_their_points():
    collection = raw_schematic()  # the file itself, not the loader's normalised copy
    assert [f["properties"]["slug"] for f in collection["features"]] == [d.slug for d in DISTRICTS]
    for feature, district in zip(collection["features"], DISTRICTS, strict=True):
        polygon = shape(feature["geometry"])
        assert polygon.geom_type == "Polygon" and polygon.is_valid, district.name
        assert polygon.exterior.is_ccw, district.name  # RFC 7946 winding
        assert polygon.contains(Point(district.lon, district.lat)), district.name
        props = feature["properties"]
        assert props["name"] == district.name and props["schematisch"] is True
        assert props["flaeche_km2_amtlich"] == district.area_km2


def test_schematic_areas_match_the_official_areas():
    for feature, district in zip(raw_schematic()["features"], DISTRICTS, strict=True):
        area = area_km2(shape(feature["geometry"]))
        assert abs(area / district.area_km2 - 1) < AREA_TOLERANCE, (district.name, area)
        assert feature["properties"]["flaeche_km2_schema"] == pytest.approx(area, rel=1e-3)


def test_schematic_cells_tile_the_city_without_overlaps():
    boundary = json.loads(BOUNDARY.read_text(encoding="utf-8"))
    city = shape(boundary["features"][0]["geometry"])
    cells = [shape(f["geometry"]) for f in raw_schematic()["features"]]
    union = shapely.union_all(cells)
    assert abs(area_km2(union) / area_km2(city) - 1) < 0.01
    assert area_km2(city.symmetric_difference(union)) < 0.01  # km²: rounding slivers only
    for a, b in itertools.combinations(cells, 2):
        assert area_km2(a.intersection(b)) < 0.001


def test_schematic_file_is_labelled_and_small():
    collection = raw_schematic()
    assert collection["schematisch"] is True
    assert "schematisch" in collection["name"] and "SCHEMATISCH" in collection["quelle"]
    assert geo.is_schematic(schematic())
    assert SCHEMATIC.stat().st_size < 80 * 1024
    assert BOUNDARY.stat().st_size < 40 * 1024
    coordinates = json.dumps(collection["features"][0]["geometry"]["coordinates"])
    assert max(len(c.split(".")[-1]) for c in coordinates.replace("]", "").split(",")) <= 5


def test_boundary_copy_is_clean_and_ccw():
    boundary = json.loads(BOUNDARY.read_text(encoding="utf-8"))
    feature = boundary["features"][0]
    assert set(feature["properties"]) == {"AGS", "GEN", "BEZ"}
    assert "GeoBasis-DE / BKG" in boundary["quelle"]
    city = shape(feature["geometry"])
    assert city.is_valid and all(p.exterior.is_ccw for p in city.geoms)
    assert area_km2(city) == pytest.approx(280.7, rel=0.01)


# -- the builder -----------------------------------------------------------------------------
@pytest.fixture(scope="module")
def builder():
    spec = importlib.util.spec_from_file_location("build_district_geometry", BUILDER)
    module = importlib.util.module_from_spec(spec)
    sys.modules[spec.name] = module  # dataclasses look their module up while it loads
    spec.loader.exec_module(module)
    yield module
    del sys.modules[spec.name]


def test_builder_reproduces_the_committed_file(builder, capsys):
    rebuilt = builder.build(
        builder.read_districts(SETTINGS.districts_path), builder.read_city(BOUNDARY)
    )
    capsys.readouterr()
    committed = raw_schematic()
    for new, old in zip(rebuilt["features"], committed["features"], strict=True):
        assert new["properties"] == old["properties"]
        assert np.allclose(
            shape(new["geometry"]).exterior.coords,
            shape(old["geometry"]).exterior.coords,
            atol=2e-5,
        ), "data/geo/stadtbezirke_schematisch.geojson is stale: run the build script"


def test_builder_solves_areas_on_a_square(builder, capsys):
    square = Polygon([(0, 0), (10_000, 0), (10_000, 10_000), (0, 10_000)])
    sites = np.array([[2000.0, 2000.0], [8000.0, 2500.0], [3000.0, 7000.0], [7500.0, 8000.0]])
    targets = np.array([0.1, 0.2, 0.3, 0.4]) * square.area
    cells = builder.solve_weights(sites, targets, square)
    capsys.readouterr()
    assert [c.area for c in cells] == pytest.approx(targets, rel=1e-6)
    assert builder.cell_problems(cells, sites) == []
    assert shapely.union_all(cells).area == pytest.approx(square.area)


def test_builder_projection_round_trip(builder):
    lonlat = np.array([[7.30, 51.41], [7.47, 51.51], [7.64, 51.60]])
    assert np.allclose(builder.to_lonlat(builder.to_plane(lonlat)), lonlat, atol=1e-9)
    cell = Polygon([(7.40, 51.45), (7.50, 51.45), (7.50, 51.55), (7.40, 51.55)])
    assert builder.plane_area_km2(cell) == pytest.approx(area_km2(cell), rel=1e-4)


def test_builder_reads_the_reference_table_columns(builder, tmp_path):
    rows = ["name,slug,flaeche_km2,einwohner,lat,lon"] + [
        f"{d.name},{d.slug},{d.area_km2},{d.population},{d.lat},{d.lon}" for d in DISTRICTS
    ]
    path = tmp_path / "stadtbezirke.csv"
    path.write_text("\n".join(rows) + "\n", encoding="utf-8")
    districts = builder.read_districts(path)
    assert [(d.slug, d.area_km2, d.lat) for d in districts] == [
        (d.slug, d.area_km2, d.lat) for d in DISTRICTS
    ]


# -- reprojection ---------------------------------------------------------------------------
def test_utm_reprojection_of_a_known_point():
    # Krüger's forward series (above) and pyproj-free spot checks agree: 393000 / 5707000 in
    # UTM 32N is 7.45832 E, 51.50399 N (Dortmund, just south-west of the main station).
    lon, lat = geo.utm32_to_wgs84(393000, 5707000)
    assert lon == pytest.approx(7.45832, abs=1e-5)
    assert lat == pytest.approx(51.50399, abs=1e-5)
    lon, lat = geo.utm32_to_wgs84(500000, 5700000)  # on the central meridian
    assert lon == pytest.approx(9.0)
    assert lat == pytest.approx(51.45118, abs=1e-5)


@pytest.mark.parametrize("lon,lat", [(7.30, 51.41), (7.4653, 51.5139), (7.64, 51.60), (6.0, 51.0)])
def test_utm_reprojection_inverts_an_independent_forward_series(lon, lat):
    easting, northing = utm32_forward(lon, lat)
    back_lon, back_lat = geo.utm32_to_wgs84(easting, northing)
    metres_per_degree = 111_200
    assert abs(back_lat - lat) * metres_per_degree < 0.01
    assert abs(back_lon - lon) * metres_per_degree * math.cos(math.radians(lat)) < 0.01


# -- official exports -------------------------------------------------------------------------
SPELLINGS = {
    "innenstadt-west": "INNENSTADT-WEST",
    "innenstadt-nord": "Innenstadt Nord",
    "innenstadt-ost": "innenstadt_ost",
    "eving": "Stadtbezirk Eving",
    "hoerde": "HOERDE",
    "luetgendortmund": "Lutgendortmund",
    "hombruch": " hombruch ",
}


def fake_export(to_utm: bool = False, geometry_in_property: bool = False) -> dict:
    """An Opendatasoft-style export: other spellings, shuffled order, numbers that mislead."""
    features = []
    for number, feature in enumerate(raw_schematic()["features"], start=1):
        slug = feature["properties"]["slug"]
        geometry = copy.deepcopy(feature["geometry"])
        ring = geometry["coordinates"][0][::-1]  # clockwise, as many exports have it
        geometry["coordinates"][0] = [list(utm32_forward(*p)) for p in ring] if to_utm else ring
        props = {
            "stadtbezirk_bezeichnung": SPELLINGS.get(slug, feature["properties"]["name"]),
            "stadtbezirk_nr": str(13 - number),
        }
        if geometry_in_property:
            props["geografische_polygone"] = {"type": "Feature", "geometry": geometry}
            geometry = None
        features.append({"type": "Feature", "properties": props, "geometry": geometry})
    return {"type": "FeatureCollection", "features": features[::2] + features[1::2]}


def assert_official(result: dict) -> None:
    assert [f["properties"]["slug"] for f in result["features"]] == [p[0] for p in PAIRS]
    assert [f["properties"]["name"] for f in result["features"]] == [p[1] for p in PAIRS]
    assert not geo.is_schematic(result)
    west, south, east, north = DORTMUND_BBOX
    for feature, district in zip(result["features"], DISTRICTS, strict=True):
        assert feature["properties"]["schematisch"] is False
        polygon = shape(feature["geometry"])
        assert polygon.exterior.is_ccw
        assert polygon.contains(Point(district.lon, district.lat)), district.name
        minx, miny, maxx, maxy = polygon.bounds
        assert west <= minx and maxx <= east and south <= miny and maxy <= north


def test_official_wgs84_export_is_matched_by_name_in_any_spelling():
    assert_official(geo.normalise_official_geojson(fake_export(), PAIRS))


def test_official_geometry_may_sit_in_the_geografische_polygone_property():
    assert_official(geo.normalise_official_geojson(fake_export(geometry_in_property=True), PAIRS))


def test_official_utm_export_is_reprojected():
    raw = fake_export(to_utm=True)
    assert raw["features"][0]["geometry"]["coordinates"][0][0][0] > 300_000
    result = geo.normalise_official_geojson(raw, PAIRS)
    assert_official(result)
    for new, old in zip(result["features"], raw_schematic()["features"], strict=True):
        # back where they started, to about a centimetre (1e-7 degrees)
        assert shape(new["geometry"]).hausdorff_distance(shape(old["geometry"])) < 1e-7


def test_official_utm_export_with_zone_prefix_is_reprojected():
    raw = fake_export(to_utm=True)
    for feature in raw["features"]:
        ring = feature["geometry"]["coordinates"][0]
        feature["geometry"]["coordinates"][0] = [[x + 32_000_000, y] for x, y in ring]
    assert_official(geo.normalise_official_geojson(raw, PAIRS))


def test_official_export_horde_without_umlaut_or_e_matches():
    raw = fake_export()
    hoerde = next(
        f for f in raw["features"] if f["properties"]["stadtbezirk_bezeichnung"] == "HOERDE"
    )
    hoerde["properties"]["stadtbezirk_bezeichnung"] = "Horde"
    assert_official(geo.normalise_official_geojson(raw, PAIRS))


def test_official_export_errors():
    valid = fake_export()
    with pytest.raises(geo.GeometryError, match=r"fehlen.*Hörde"):
        features = [f for f in valid["features"] if "OERDE" not in json.dumps(f)]
        geo.normalise_official_geojson({**valid, "features": features}, PAIRS)
    with pytest.raises(geo.GeometryError, match="doppelt"):
        geo.normalise_official_geojson({**valid, "features": valid["features"] * 2}, PAIRS)
    with pytest.raises(geo.GeometryError, match="FeatureCollection"):
        geo.normalise_official_geojson({"type": "Feature", "geometry": None}, PAIRS)
    with pytest.raises(geo.GeometryError, match="FeatureCollection"):
        geo.normalise_official_geojson("Hörde", PAIRS)
    with pytest.raises(geo.GeometryError, match="keine Flächen"):
        geo.normalise_official_geojson({"type": "FeatureCollection", "features": []}, PAIRS)


def test_official_export_errors_name_the_feature():
    bad = fake_export()
    bad["features"][0]["properties"]["stadtbezirk_bezeichnung"] = "Atlantis"
    with pytest.raises(geo.GeometryError, match=r"Atlantis.*erwartet: Innenstadt-West"):
        geo.normalise_official_geojson(bad, PAIRS)
    point = fake_export()
    point["features"][3]["geometry"] = mapping(Point(7.47, 51.51))
    with pytest.raises(geo.GeometryError, match="keine Fläche"):
        geo.normalise_official_geojson(point, PAIRS)
    far = fake_export()
    far["features"][0]["geometry"] = mapping(Point(13.4, 52.5).buffer(0.01))  # Berlin
    with pytest.raises(geo.GeometryError, match="Nordrhein-Westfalen"):
        geo.normalise_official_geojson(far, PAIRS)


def test_installed_official_geometry_replaces_the_schematic(tmp_path: Path):
    settings = Settings(SETTINGS.data_dir, tmp_path / "kpi.duckdb")
    assert current_geometry(settings).schematic
    source = tmp_path / "stadtbezirke-dortmund.geojson"
    source.write_text(json.dumps(fake_export(to_utm=True)), encoding="utf-8")
    install_official_geometry(source, settings)
    assert not current_geometry(settings).schematic
    assert len(current_geometry(settings).geojson["features"]) == 12


# -- loading and map framing --------------------------------------------------------------
def test_load_rewinds_and_requires_slugs(tmp_path: Path):
    collection = raw_schematic()
    for feature in collection["features"]:
        feature["geometry"]["coordinates"][0].reverse()
        del feature["properties"]["name"]
    path = tmp_path / "cw.geojson"
    path.write_text(json.dumps(collection), encoding="utf-8")
    loaded = geo.load_district_geojson(path)
    assert all(shape(f["geometry"]).exterior.is_ccw for f in loaded["features"])
    assert loaded["features"][0]["properties"]["name"] == "innenstadt-west"
    assert geo.is_schematic(loaded)
    del collection["features"][2]["properties"]["slug"]
    path.write_text(json.dumps(collection), encoding="utf-8")
    with pytest.raises(geo.GeometryError, match="Fläche 3 ohne 'slug'"):
        geo.load_district_geojson(path)
    path.write_text("{not json", encoding="utf-8")
    with pytest.raises(geo.GeometryError, match="kein gültiges GeoJSON"):
        geo.load_district_geojson(path)


def test_is_schematic_reads_collection_then_feature_flags():
    official = {"type": "FeatureCollection", "features": [{"properties": {"schematisch": False}}]}
    assert not geo.is_schematic(official)
    assert geo.is_schematic({**official, "schematisch": True})
    assert geo.is_schematic({"type": "FeatureCollection", "features": [{"properties": {}}]})


@pytest.mark.parametrize("width,height", [(700, 500), (520, 360)])
def test_map_view_fits_dortmund_into_the_map(width: int, height: int):
    centre, zoom = geo.map_view(schematic(), width=width, height=height)
    assert 7.4 < centre["lon"] < 7.55 and 51.48 < centre["lat"] < 51.53
    west, south, east, north = shapely.union_all(
        [shape(f["geometry"]) for f in raw_schematic()["features"]]
    ).bounds

    def pixel_y(lat: float) -> float:
        world = 512 * 2**zoom
        return world * math.log(math.tan(math.pi / 4 + math.radians(lat) / 2)) / (2 * math.pi)

    world = 512 * 2**zoom
    span_x, span_y = world * (east - west) / 360, pixel_y(north) - pixel_y(south)
    assert span_x <= width and span_y <= height  # everything visible ...
    assert span_x > 0.6 * width or span_y > 0.6 * height  # ... and not lost in the middle


def test_builder_prefers_data_districts_csv(builder, tmp_path, monkeypatch, capsys):
    fallback = tmp_path / "stadtbezirke.csv"
    assert builder.district_table(None) == builder.DISTRICTS
    assert builder.district_table(fallback) == builder.DISTRICTS
    assert "ignored" in capsys.readouterr().out
    monkeypatch.setattr(builder, "DISTRICTS", tmp_path / "missing.csv")
    assert builder.district_table(fallback) == fallback
    with pytest.raises(SystemExit, match="--districts"):
        builder.district_table(None)


def _nested(depth: int) -> list:
    node: list = [7.4, 51.5]
    for _ in range(depth):
        node = [node]
    return node


@pytest.mark.parametrize(
    ("coordinates", "message"),
    [
        ("7.4,51.5", "ungültige Koordinaten"),  # looped forever
        ([["7.4", "51.5"]], "ungültige Koordinaten"),
        ([[[True, False]]], "ungültige Koordinaten"),
        (_nested(200_000), "ungültige Koordinaten"),  # "unerwarteter Fehler" before
        ([[[7.4 + i * 1e-7, 51.5] for i in range(geo.MAX_VERTICES + 1)]], "Punkte"),
    ],
    ids=["string", "string-numbers", "booleans", "deep-nesting", "too-many-vertices"],
)
def test_hostile_coordinates_are_refused_with_a_message(coordinates, message):
    hostile = fake_export()
    hostile["features"][0]["geometry"] = {"type": "Polygon", "coordinates": coordinates}
    with pytest.raises(geo.GeometryError, match=message):
        geo.normalise_official_geojson(hostile, PAIRS)


def test_label_points_lie_well_inside_their_district():
    """A name is written where its district has room as the map draws it: inside it,
    farther from its border than its centroid is (the centroid of a bent district can sit
    near or on a border), including a district of two parts (the larger one takes it)."""
    collection = schematic()
    two_parts = copy.deepcopy(collection)
    first = two_parts["features"][0]["geometry"]
    islet = shapely.affinity.scale(shape(first), 0.05, 0.05).buffer(0)
    two_parts["features"][0]["geometry"] = mapping(
        shapely.geometry.MultiPolygon([shape(first), shapely.affinity.translate(islet, 0.3)])
    )
    for geojson in (collection, two_parts):
        labels = geo.label_points(geojson)
        assert set(labels) == {slug for slug, _ in PAIRS}
        for feature in geojson["features"]:
            polygon = shape(feature["geometry"])
            largest = max(getattr(polygon, "geoms", [polygon]), key=lambda p: p.area)
            point = Point(labels[feature["properties"]["slug"]])
            assert largest.contains(point), feature["properties"]["slug"]
            # room measured as the map draws it (longitude shortened by cos(latitude))
            shrink = math.cos(math.radians(largest.centroid.y))
            drawn = shapely.affinity.scale(largest, shrink, 1.0, origin=(0, 0))
            at = shapely.affinity.scale(point, shrink, 1.0, origin=(0, 0))
            centre = shapely.affinity.scale(largest.centroid, shrink, 1.0, origin=(0, 0))
            assert drawn.exterior.distance(at) >= drawn.exterior.distance(centre) - 0.0005
