"""Rebuild data/map/east_azerbaijan_counties.json from the OpenStreetMap county boundaries.

    python data/map/build_county_map.py [../shared/data/iran-counties/IR-03_east_azerbaijan_counties.geojson]

The source (21 county MultiPolygons of East Azerbaijan, OSM admin_level 5) is matched to the project's
county slugs (data/seed/counties.csv) by Persian name («شهرستان ویژه مراغه» → مراغه, spaces and ZWNJ
ignored), projected (equirectangular at the province's mid-latitude, north up), simplified
(Douglas–Peucker, tolerance ``TOLERANCE`` in drawing units, rings smaller than ``MIN_AREA`` dropped)
and written as one SVG path per county in a 1000-unit-wide drawing. Standard library only.

The geometry is OpenStreetMap data: © OpenStreetMap contributors, Open Database License 1.0. The
derived file stays under the ODbL and the map must show the attribution (templates/macros/county_map.html).
"""

from __future__ import annotations

import csv
import json
import math
import sys
from pathlib import Path

HERE = Path(__file__).resolve().parent
ROOT = HERE.parents[1]
DEFAULT_SOURCE = ROOT.parent / "shared" / "data" / "iran-counties" / "IR-03_east_azerbaijan_counties.geojson"
OUT = HERE / "east_azerbaijan_counties.json"
WIDTH = 1000.0
TOLERANCE = 1.6
MIN_AREA = 40.0


def _key(name: str) -> str:
    name = name.replace("شهرستان", "").replace("ویژه", "")
    return "".join(ch for ch in name if ch not in " \u200c").replace("ي", "ی").replace("ك", "ک")


def _simplify(points: list[tuple[float, float]], tolerance: float) -> list[tuple[float, float]]:
    """Douglas–Peucker on an open polyline (iterative)."""
    if len(points) < 3:
        return points
    keep = [False] * len(points)
    keep[0] = keep[-1] = True
    stack = [(0, len(points) - 1)]
    while stack:
        a, b = stack.pop()
        (ax, ay), (bx, by) = points[a], points[b]
        dx, dy = bx - ax, by - ay
        norm = math.hypot(dx, dy) or 1e-12
        best, index = 0.0, -1
        for i in range(a + 1, b):
            px, py = points[i]
            d = abs(dy * (px - ax) - dx * (py - ay)) / norm
            if d > best:
                best, index = d, i
        if best > tolerance and index > 0:
            keep[index] = True
            stack += [(a, index), (index, b)]
    return [p for p, k in zip(points, keep, strict=True) if k]


def _simplify_ring(ring, tolerance):
    """A closed ring (first point = last) simplified as two halves, so its ends never collapse together."""
    mid = len(ring) // 2
    return _simplify(ring[: mid + 1], tolerance) + _simplify(ring[mid:], tolerance)[1:]


def _area(ring) -> float:
    return abs(sum(x1 * y2 - x2 * y1 for (x1, y1), (x2, y2) in zip(ring, ring[1:] + ring[:1], strict=True))) / 2


def build(source: Path) -> dict:
    data = json.loads(source.read_text(encoding="utf-8"))
    with (ROOT / "data" / "seed" / "counties.csv").open(encoding="utf-8") as fh:
        slugs = {_key(row["name_fa"]): row["slug"] for row in csv.DictReader(fh)}
    features = [f for f in data["features"] if f["geometry"]["type"] in ("Polygon", "MultiPolygon")]
    lons = [x for f in features for poly in _polygons(f) for ring in poly for x, _ in ring]
    lats = [y for f in features for poly in _polygons(f) for ring in poly for _, y in ring]
    lat0 = math.radians((min(lats) + max(lats)) / 2)
    x0, x1, y0, y1 = min(lons), max(lons), min(lats), max(lats)
    scale = WIDTH / ((x1 - x0) * math.cos(lat0))
    height = round((y1 - y0) * scale, 1)

    def project(lon, lat):
        return ((lon - x0) * math.cos(lat0) * scale, (y1 - lat) * scale)

    counties = {}
    for f in features:
        slug = slugs.get(_key(f["properties"]["tags"]["name"]))
        if slug is None:
            raise SystemExit(f"no county slug for {f['properties']['tags']['name']!r}")
        parts, cx, cy, total = [], 0.0, 0.0, 0.0
        for poly in _polygons(f):
            for ring in poly:
                pts = _simplify_ring([project(*p) for p in ring], TOLERANCE)
                area = _area(pts)
                if len(pts) < 4 or area < MIN_AREA:
                    continue
                parts.append("M" + "L".join(f"{x:.1f},{y:.1f}" for x, y in pts[:-1]) + "Z")
                cx += sum(x for x, _ in pts[:-1]) / (len(pts) - 1) * area
                cy += sum(y for _, y in pts[:-1]) / (len(pts) - 1) * area
                total += area
        counties[slug] = {"d": "".join(parts), "label": [round(cx / total, 1), round(cy / total, 1)]}
    missing = set(slugs.values()) - set(counties)
    if missing:
        raise SystemExit(f"counties without a shape: {sorted(missing)}")
    return {"attribution": "© OpenStreetMap contributors", "licence": "ODbL-1.0",
            "source": "hosseinhabibi2004/iran-geojson data/counties/IR-03/IR-03.all.min.geojson "
                      "@890ff6c107c54d852328bbf7f9472d146c151ebf (OpenStreetMap, admin_level 5)",
            "width": WIDTH, "height": height, "counties": dict(sorted(counties.items()))}


def _polygons(feature):
    g = feature["geometry"]
    return g["coordinates"] if g["type"] == "MultiPolygon" else [g["coordinates"]]


if __name__ == "__main__":
    source = Path(sys.argv[1]) if len(sys.argv) > 1 else DEFAULT_SOURCE
    OUT.write_text(json.dumps(build(source), ensure_ascii=False, separators=(",", ":")) + "\n", encoding="utf-8")
    print(f"wrote {OUT} ({OUT.stat().st_size} bytes)")
