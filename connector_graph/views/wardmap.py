"""The ward map: wards coloured by a measure, drawn offline.

Two ways to draw a city:

- a **tile map** from ward grid positions, a ``name,row,col`` CSV (one tile
  per ward; ``seed_data/leeds_ward_grid.csv`` ships Leeds' 33 wards, placed
  roughly where they lie, north at the top; any city can supply its own);
- the **ward boundaries** from a GeoJSON ``FeatureCollection`` the user
  supplies, each feature naming its ward in a property (``name`` by
  default, or e.g. ``WD22NM`` as in the ONS boundary files).

Both are Vega-Lite charts (Altair) drawn in the browser from the data in
the page: no map tiles, nothing fetched from the internet. Each ward carries
its name in the field ``ward``, which is what a click selects.
"""

from __future__ import annotations

import csv
import io
import json
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Mapping, Sequence

from ..caching import LruCache
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


def _colour(measure: str, values: Mapping[str, float | None], low_is_bad: bool) -> Any:
    import altair as alt

    scheme = "reds" if not low_is_bad else "blues"
    return alt.condition(
        "isValid(datum.value)",
        alt.Color("value:Q", title=measure, scale=alt.Scale(scheme=scheme, reverse=False),
                  legend=alt.Legend(orient="bottom", direction="horizontal", gradientLength=220)),
        alt.value("#dddddd"),
    )


def _tooltip(measure: str) -> list[Any]:
    import altair as alt

    return [alt.Tooltip("ward:N", title="ward"), alt.Tooltip("value:Q", title=measure, format=",.2f")]


def tile_map(
    cells: Sequence[GridCell],
    values: Mapping[str, float | None],
    *,
    measure: str,
    low_is_bad: bool = True,
    selected: str | None = None,
) -> Any:
    """A tile map of the wards coloured by ``values`` (grey: no value), as an Altair chart.

    Tiles are drawn :data:`TILE` pixels square (the page may scale the
    drawing to fit a narrow screen); ``row`` 0 is at the top. Clicking a
    tile selects its ward (:data:`SELECTION`); the ward's name written on
    the tile does not take the click, so click beside it.
    """
    import altair as alt

    rows = [
        {"ward": c.ward, "row": c.row, "col": c.col, "value": values.get(c.ward),
         "label": c.ward.replace(" & ", " &\n").replace(" and ", " and\n"), "picked": c.ward == selected}
        for c in cells
    ]
    width = (max(c.col for c in cells) + 1) * TILE
    height = (max(c.row for c in cells) + 1) * TILE
    pick = alt.selection_point(name=SELECTION, fields=["ward"], on="click", clear=False)
    x = alt.X("col:Q", scale=alt.Scale(domain=[0, width / TILE]), axis=None)
    y = alt.Y("row:Q", scale=alt.Scale(domain=[0, height / TILE], reverse=True), axis=None)
    base = alt.Chart(alt.Data(values=rows)).transform_calculate(col2="datum.col + 0.97", row2="datum.row + 0.97")
    tiles = base.mark_rect(cornerRadius=4, cursor="pointer").encode(
        x=x, x2="col2:Q", y=y, y2="row2:Q",
        color=_colour(measure, values, low_is_bad),
        stroke=alt.condition("datum.picked", alt.value("#111111"), alt.value("#ffffff")),
        strokeWidth=alt.condition("datum.picked", alt.value(3), alt.value(1)),
        tooltip=_tooltip(measure),
    ).add_params(pick)
    known = [v for v in values.values() if v is not None]
    dark = f"datum.value > {min(known) + 0.6 * (max(known) - min(known))}" if known else "false"
    labels = base.transform_calculate(cx="datum.col + 0.485", cy="datum.row + 0.485").mark_text(
        fontSize=9, lineBreak="\n", baseline="middle"
    ).encode(
             color=alt.condition(f"isValid(datum.value) && {dark}", alt.value("#ffffff"), alt.value("#111111")),
             x=alt.X("cx:Q", scale=alt.Scale(domain=[0, width / TILE]), axis=None),
             y=alt.Y("cy:Q", scale=alt.Scale(domain=[0, height / TILE], reverse=True), axis=None),
             text="label:N", tooltip=_tooltip(measure))
    return (tiles + labels).properties(width=width, height=height, padding=0).configure_view(stroke=None)


#: Tile-map specs kept, as JSON text (each set of values, measure and selection is one).
_SPECS = LruCache(16)


def tile_map_spec(
    cells: Sequence[GridCell],
    values: Mapping[str, float | None],
    *,
    measure: str,
    low_is_bad: bool = True,
    selected: str | None = None,
) -> dict[str, Any]:
    """:func:`tile_map` as a Vega-Lite spec: made once per distinct map, a fresh dict for every caller.

    Building the Altair chart and converting it (with its schema check)
    costs more than the rest of the Gaps page, and Streamlit converts
    Altair charts one at a time for the whole server. The map changes only
    with its values, measure and selected ward, so the spec is kept as JSON
    text and every call gets its own copy to hand to
    ``st.vega_lite_chart`` (which takes the data out of the dict it is given).

    Examples
    --------
    >>> cells = [GridCell("Armley", 0, 0), GridCell("Pudsey", 0, 1)]
    >>> spec = tile_map_spec(cells, {"Armley": 1.0, "Pudsey": None}, measure="links")
    >>> spec["params"][0]["name"] == SELECTION, spec is tile_map_spec(cells, {"Armley": 1.0, "Pudsey": None}, measure="links")
    (True, False)
    """
    key = ("tile-map", tuple(cells), tuple(sorted(values.items())), measure, low_is_bad, selected)


    def make() -> str:
        spec = tile_map(cells, values, measure=measure, low_is_bad=low_is_bad, selected=selected).to_dict()
        for default in ("continuousWidth", "continuousHeight"):  # Altair's theme's, unused: the size is set
            spec.get("config", {}).get("view", {}).pop(default, None)
        return json.dumps(spec)

    return json.loads(_SPECS.get_or_make(key, make))


def boundary_map(
    features: Sequence[dict[str, Any]],
    values: Mapping[str, float | None],
    *,
    measure: str,
    low_is_bad: bool = True,
    width: int = 640,
    height: int = 560,
) -> Any:
    """The wards drawn from their boundaries (see :func:`read_geojson`), coloured by ``values``, as an Altair chart."""
    import altair as alt

    data = [{**f, "value": values.get(f["ward"])} for f in features]
    pick = alt.selection_point(name=SELECTION, fields=["ward"], on="click", clear=False)
    return alt.Chart(alt.Data(values=data)).mark_geoshape(stroke="#ffffff", strokeWidth=1, cursor="pointer").encode(
        color=_colour(measure, values, low_is_bad), tooltip=_tooltip(measure),
    ).add_params(pick).project(type="mercator").properties(width=width, height=height, padding=0).configure_view(
        stroke=None)
