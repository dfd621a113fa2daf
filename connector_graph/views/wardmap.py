"""The ward map: wards coloured by a measure, drawn offline.

Two ways to draw a city:

- a **tile map** from ward grid positions, a ``name,row,col`` CSV (one tile
  per ward; ``seed_data/leeds_ward_grid.csv`` ships Leeds' 33 wards, placed
  roughly where they lie, north at the top; any city can supply its own);
- the **ward boundaries** from a GeoJSON ``FeatureCollection`` the user
  supplies, each feature naming its ward in a property (``name`` by
  default, or e.g. ``WD22NM`` as in the ONS boundary files).

Both are Vega-Lite specs, written directly (no Altair on this path), drawn
in the browser from the data in the page: no map tiles, nothing fetched
from the internet. Each ward carries
its name in the field ``ward``, which is what a click selects.
"""

from __future__ import annotations

import csv
import io
import json
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Mapping, Sequence

from ..errors import InvalidInput

__all__ = [
    "DEFAULT_GRID",
    "GridCell",
    "load_grid",
    "read_grid",
    "read_geojson",
    "grid_neighbours",
    "tile_map",
    "boundary_map",
    "SELECTION",
]

DEFAULT_GRID = Path(__file__).resolve().parents[2] / "seed_data" / "leeds_ward_grid.csv"
#: The name of the chart's click selection (``event.selection[SELECTION]``).
SELECTION = "ward_pick"
#: Size in pixels of one tile of the tile map.
TILE = 92


@dataclass(frozen=True)
class GridCell:
    """Where one ward's tile sits: ``row`` 0 at the top (north), ``col`` 0 on the left (west)."""

    ward: str
    row: int
    col: int


def read_grid(text: str, *, source: str = "the grid file") -> list[GridCell]:
    """Ward tiles from ``name,row,col`` CSV text; a clear :class:`InvalidInput` for anything else.

    Examples
    --------
    >>> read_grid("name,row,col\\nArmley,0,1\\n")
    [GridCell(ward='Armley', row=0, col=1)]
    >>> read_grid("name,row\\nArmley,0\\n")
    Traceback (most recent call last):
    ...
    connector_graph.errors.InvalidInput: the grid file needs the columns name,row,col
    """
    rows = list(csv.DictReader(io.StringIO(text)))
    if not rows or not {"name", "row", "col"} <= set(rows[0]):
        raise InvalidInput(f"{source} needs the columns name,row,col")
    cells, seen, places = [], set(), set()
    for number, row in enumerate(rows, start=2):
        name = (row["name"] or "").strip()
        try:
            r, c = int(row["row"]), int(row["col"])
        except (TypeError, ValueError):
            raise InvalidInput(f"{source}, line {number}: row and col must be whole numbers") from None
        if not name or name.casefold() in seen or (r, c) in places or r < 0 or c < 0:
            raise InvalidInput(f"{source}, line {number}: each ward needs a name of its own and a free tile")
        seen.add(name.casefold())
        places.add((r, c))
        cells.append(GridCell(name, r, c))
    return cells


def load_grid(path: Path | str | None = None) -> list[GridCell]:
    """Ward tiles from a CSV file (default: Leeds' 33 wards)."""
    path = Path(path) if path is not None else DEFAULT_GRID
    try:
        text = path.read_text(encoding="utf-8")
    except OSError as exc:
        raise InvalidInput(f"cannot read the ward grid file {path}: {exc.strerror or exc}") from None
    return read_grid(text, source=str(path))


def grid_neighbours(cells: Sequence[GridCell]) -> dict[str, list[str]]:
    """Wards whose tiles touch (sides or corners), each list sorted.

    Examples
    --------
    >>> grid_neighbours([GridCell("A", 0, 0), GridCell("B", 1, 1), GridCell("C", 3, 3)])
    {'A': ['B'], 'B': ['A'], 'C': []}
    """
    at = {(c.row, c.col): c.ward for c in cells}
    return {
        c.ward: sorted(at[(c.row + dr, c.col + dc)] for dr in (-1, 0, 1) for dc in (-1, 0, 1)
                       if (dr or dc) and (c.row + dr, c.col + dc) in at)
        for c in cells
    }


def read_geojson(text: str | bytes, *, name_property: str | None = None) -> list[dict[str, Any]]:
    """The features of a ward-boundary GeoJSON, each with its ward name in ``ward``.

    The ward name is read from ``name_property``, or the first of ``name``,
    ``ward``, ``WD24NM``, ``WD23NM``, ``WD22NM``, ``WD21NM`` the features have.

    Examples
    --------
    >>> square = {"type": "Polygon", "coordinates": [[[0, 0], [1, 0], [1, 1], [0, 1], [0, 0]]]}
    >>> doc = {"type": "FeatureCollection", "features": [{"type": "Feature", "properties": {"name": "A"}, "geometry": square}]}
    >>> [f["ward"] for f in read_geojson(json.dumps(doc))]
    ['A']
    >>> read_geojson("{}")
    Traceback (most recent call last):
    ...
    connector_graph.errors.InvalidInput: the ward boundaries must be a GeoJSON FeatureCollection with features
    """
    try:
        doc = json.loads(text)
    except (ValueError, UnicodeDecodeError):
        raise InvalidInput("the ward boundaries file is not valid JSON") from None
    features = doc.get("features") if isinstance(doc, dict) and doc.get("type") == "FeatureCollection" else None
    if not isinstance(features, list) or not features:
        raise InvalidInput("the ward boundaries must be a GeoJSON FeatureCollection with features")
    keys = [name_property] if name_property else ["name", "ward", "WD24NM", "WD23NM", "WD22NM", "WD21NM"]
    found = []
    for position, feature in enumerate(features, start=1):
        props = feature.get("properties") if isinstance(feature, dict) else None
        geometry = feature.get("geometry") if isinstance(feature, dict) else None
        key = next((k for k in keys if isinstance(props, dict) and props.get(k)), None)
        if key is None or not isinstance(geometry, dict) or geometry.get("type") not in ("Polygon", "MultiPolygon"):
            raise InvalidInput(f"ward boundary {position} needs a polygon and a ward name (property {keys[0]!r})")
        found.append({"type": "Feature", "geometry": geometry, "properties": {}, "ward": str(props[key]).strip()})
    return found


#: The Vega-Lite schema the maps (and the other hand-written charts) are written for.
SCHEMA = "https://vega.github.io/schema/vega-lite/v6.json"


def _colour(measure: str, low_is_bad: bool) -> dict[str, Any]:
    """Colour by ``value`` (reds when high is bad, blues when low is), grey where there is no value."""
    return {
        "condition": {
            "test": "isValid(datum.value)", "field": "value", "type": "quantitative", "title": measure,
            "scale": {"scheme": "blues" if low_is_bad else "reds", "reverse": False},
            "legend": {"orient": "bottom", "direction": "horizontal", "gradientLength": 220},
        },
        "value": "#dddddd",
    }


def _tooltip(measure: str) -> list[dict[str, Any]]:
    return [{"field": "ward", "type": "nominal", "title": "ward"},
            {"field": "value", "type": "quantitative", "title": measure, "format": ",.2f"}]


def _pick(view: str | None = None) -> dict[str, Any]:
    """The click selection of one ward (:data:`SELECTION`), on ``view`` when the chart has layers."""
    param: dict[str, Any] = {"name": SELECTION, "select": {"type": "point", "fields": ["ward"], "on": "click",
                                                           "clear": False}}
    if view:
        param["views"] = [view]
    return param


def _axis(field: str, extent: float, *, reverse: bool = False) -> dict[str, Any]:
    scale: dict[str, Any] = {"domain": [0, extent]}
    if reverse:
        scale["reverse"] = True
    return {"field": field, "type": "quantitative", "scale": scale, "axis": None}


def tile_map(
    cells: Sequence[GridCell],
    values: Mapping[str, float | None],
    *,
    measure: str,
    low_is_bad: bool = True,
    selected: str | None = None,
) -> dict[str, Any]:
    """A tile map of the wards coloured by ``values`` (grey: no value), as a Vega-Lite spec.

    Tiles are drawn :data:`TILE` pixels square (the page may scale the
    drawing to fit a narrow screen); ``row`` 0 is at the top. Clicking a
    tile selects its ward (:data:`SELECTION`); the ward's name written on
    the tile does not take the click, so click beside it. The spec is
    written directly, not through Altair: building and schema-checking an
    Altair chart cost more than the rest of the Gaps page, on every new
    set of values. Each call returns a new dict (``st.vega_lite_chart``
    takes the data out of the one it is given).

    Examples
    --------
    >>> spec = tile_map([GridCell("Armley", 0, 0), GridCell("Pudsey", 0, 1)], {"Armley": 1.0}, measure="links")
    >>> [(r["ward"], r["value"]) for r in spec["data"]["values"]], spec["width"], spec["params"][0]["name"]
    ([('Armley', 1.0), ('Pudsey', None)], 184, 'ward_pick')
    """
    rows = [
        {"ward": c.ward, "row": c.row, "col": c.col, "value": values.get(c.ward),
         "label": c.ward.replace(" & ", " &\n").replace(" and ", " and\n"), "picked": c.ward == selected}
        for c in cells
    ]
    columns = max(c.col for c in cells) + 1
    lines = max(c.row for c in cells) + 1
    corners = [{"calculate": "datum.col + 0.97", "as": "col2"}, {"calculate": "datum.row + 0.97", "as": "row2"}]
    known = [v for v in values.values() if v is not None]
    dark = f"datum.value > {min(known) + 0.6 * (max(known) - min(known))}" if known else "false"
    tiles = {
        "name": "tiles",
        "mark": {"type": "rect", "cornerRadius": 4, "cursor": "pointer"},
        "transform": corners,
        "encoding": {
            "x": _axis("col", columns), "x2": {"field": "col2"},
            "y": _axis("row", lines, reverse=True), "y2": {"field": "row2"},
            "color": _colour(measure, low_is_bad),
            "stroke": {"condition": {"test": "datum.picked", "value": "#111111"}, "value": "#ffffff"},
            "strokeWidth": {"condition": {"test": "datum.picked", "value": 3}, "value": 1},
            "tooltip": _tooltip(measure),
        },
    }
    labels = {
        "mark": {"type": "text", "fontSize": 9, "lineBreak": "\n", "baseline": "middle"},
        "transform": [{"calculate": "datum.col + 0.485", "as": "cx"}, {"calculate": "datum.row + 0.485", "as": "cy"}],
        "encoding": {
            "x": _axis("cx", columns), "y": _axis("cy", lines, reverse=True),
            "color": {"condition": {"test": f"isValid(datum.value) && {dark}", "value": "#ffffff"},
                      "value": "#111111"},
            "text": {"field": "label", "type": "nominal"},
            "tooltip": _tooltip(measure),
        },
    }
    return {"$schema": SCHEMA, "data": {"values": rows}, "layer": [tiles, labels], "params": [_pick("tiles")],
            "width": columns * TILE, "height": lines * TILE, "padding": 0, "config": {"view": {"stroke": None}}}


def boundary_map(
    features: Sequence[dict[str, Any]],
    values: Mapping[str, float | None],
    *,
    measure: str,
    low_is_bad: bool = True,
    width: int = 640,
    height: int = 560,
) -> dict[str, Any]:
    """The wards drawn from their boundaries (see :func:`read_geojson`), coloured by ``values``, as a Vega-Lite spec."""
    data = [{**f, "value": values.get(f["ward"])} for f in features]
    return {
        "$schema": SCHEMA, "data": {"values": data},
        "mark": {"type": "geoshape", "stroke": "#ffffff", "strokeWidth": 1, "cursor": "pointer"},
        "encoding": {"color": _colour(measure, low_is_bad), "tooltip": _tooltip(measure)},
        "params": [_pick()], "projection": {"type": "mercator"},
        "width": width, "height": height, "padding": 0, "config": {"view": {"stroke": None}},
    }
