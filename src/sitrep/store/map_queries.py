"""The dashboard map's data, aggregated in the database: events grouped into square cells of a Web Mercator grid
for the map's zoom level, so that the browser draws a few hundred circles instead of clustering 100,000 points
itself (MapLibre's supercluster over 93,334 points took about 1.5 s of a 4 s first view, plus 0.5 s building the
features and shipping 6 MB of JSON). A cell holding one event is sent as that event; from GRID_MAX_ZOOM on, every
event in view is sent as a point, as clusters of reports at one place (a town's coordinates) never split.

Cells are whole: the view is widened to the cells it touches before grouping, so a cluster's count does not
depend on where the map was panned. The SQL is plain (FLOOR, LN, TAN, RADIANS, GROUP BY) for DuckDB and PostgreSQL.
"""
from __future__ import annotations

import math
from dataclasses import dataclass
from typing import Optional

from ..errors import ConfigError
from .core import LATEST_JOIN, Store
from .queries import POINT_COLUMNS, EventQuery, parse_bbox

WORLD_PX = 512          # a MapLibre world at zoom 0 is one 512-pixel tile
CELL_PX = 48            # a cell's side on screen, at the integer zoom asked for
GRID_MAX_ZOOM = 12      # at and above this zoom every event in view is a point (MapLibre's clusterMaxZoom was 12)
MAX_ZOOM = 24
MAX_POINTS = 20_000     # points sent at most (newest first); beyond that the answer says `truncated`
MERCATOR_LAT = 85.0511  # Web Mercator's edge: latitudes beyond are drawn at it
FIT_PADDING = 60        # the dashboard frames a new selection with fitBounds(..., {padding: 60, maxZoom: 6})
FIT_MAX_ZOOM = 6
MERGE_PX = 36           # clusters of neighbouring cells closer than this on screen are drawn as one

CLUSTER_COLUMNS = ("lon", "lat", "count", "fatalities", "bounds")

# Grid cell of an event: x from its longitude, y from its Mercator-projected latitude, both in [0, 1) of the world,
# times the number of cells per side ({n}: an int of ours, not user text). LEAST keeps lon = 180 in the last cell.
_CELL_X = "LEAST(CAST(FLOOR((e.lon + 180.0) / 360.0 * {n}) AS INTEGER), {n} - 1)"
_CELL_Y = ("LEAST(CAST(FLOOR((1.0 - LN(TAN(PI() / 4.0 + RADIANS(GREATEST(LEAST(e.lat, 85.0511), -85.0511)) / 2.0)) "
           "/ PI()) / 2.0 * {n}) AS INTEGER), {n} - 1)")
# The map's columns of an event (POINT_COLUMNS); date is the event's start, else its article's publication.
_POINT_SQL = ("e.event_id, e.event_type, e.fatalities_best, COALESCE(e.date_start, a.published), e.country, "
              "e.lon, e.lat")


@dataclass
class GridView:
    """The cells per side at a zoom and the cell ranges the view covers (x may wrap past the antimeridian)."""

    cells: int
    x_ranges: list[tuple[int, int]]
    y_range: tuple[int, int]


def cells_per_side(zoom: int) -> int:
    return max(1, (WORLD_PX << zoom) // CELL_PX)


def _cell_x(lon: float, cells: int) -> int:
    return min(cells - 1, max(0, math.floor((lon + 180.0) / 360.0 * cells)))


def _cell_y(lat: float, cells: int) -> int:
    lat = max(-MERCATOR_LAT, min(MERCATOR_LAT, lat))
    y = (1.0 - math.log(math.tan(math.pi / 4 + math.radians(lat) / 2)) / math.pi) / 2.0
    return min(cells - 1, max(0, math.floor(y * cells)))


def grid_view(zoom: int, view: Optional[tuple[float, float, float, float]]) -> GridView:
    """The cells of the grid at `zoom` that the view (w, s, e, n; w > e crosses the antimeridian) touches."""
    cells = cells_per_side(zoom)
    if view is None:
        return GridView(cells, [(0, cells - 1)], (0, cells - 1))
    w, s, e, n = view
    y_range = (_cell_y(n, cells), _cell_y(s, cells))   # y grows southwards
    if w <= e:
        x_ranges = [(_cell_x(w, cells), _cell_x(e, cells))]
    else:
        x_ranges = [(_cell_x(w, cells), cells - 1), (0, _cell_x(e, cells))]
    return GridView(cells, x_ranges, y_range)


def _world_xy(lon: float, lat: float) -> tuple[float, float]:
    """A point's Web Mercator position in pixels of the zoom-0 world (WORLD_PX square)."""
    lat = max(-MERCATOR_LAT, min(MERCATOR_LAT, lat))
    y = (1.0 - math.log(math.tan(math.pi / 4 + math.radians(lat) / 2)) / math.pi) / 2.0
    return (lon + 180.0) / 360.0 * WORLD_PX, y * WORLD_PX


def fit_zoom(extent: list[float], width: int, height: int) -> int:
    """The integer zoom level at which MapLibre's fitBounds(extent, {padding: FIT_PADDING, maxZoom: FIT_MAX_ZOOM})
    leaves a map of width x height pixels: the largest scale at which the extent fits inside the padding."""
    w, s, e, n = extent
    x0, y0 = _world_xy(w, n)
    x1, y1 = _world_xy(e, s)
    room_x, room_y = max(1.0, width - 2 * FIT_PADDING), max(1.0, height - 2 * FIT_PADDING)
    scales = [room / span for room, span in ((room_x, x1 - x0), (room_y, y1 - y0)) if span > 0]
    zoom = min(FIT_MAX_ZOOM, math.log2(min(scales))) if scales else FIT_MAX_ZOOM
    return max(0, math.floor(zoom))


def parse_size(value: Optional[str]) -> Optional[tuple[int, int]]:
    """'WIDTHxHEIGHT' in pixels, each 1-100000."""
    if value is None or not value.strip():
        return None
    parts = value.strip().lower().split("x")
    if len(parts) != 2 or not all(p.isdigit() and 0 < int(p) <= 100_000 for p in parts):
        raise ConfigError("fit: expected the map's size in pixels as WIDTHxHEIGHT, e.g. 800x500")
    return int(parts[0]), int(parts[1])


@dataclass
class Cell:
    """The events of one grid cell (x, y): how many, killed, where drawn (their mean), their box, and the map's
    columns of its event when it has one."""

    x: int
    y: int
    count: int
    killed: int
    lon: float
    lat: float
    bounds: list[float]
    point: tuple


def merge_close_neighbours(cells: list[Cell], zoom: int) -> list[Cell]:
    """Cells whose clusters would be drawn less than MERGE_PX apart, across a cell edge (one town's reports split
    by it), drawn as one: each cell, largest first, takes at most one untaken edge neighbour, the closest. Only
    pairs of edge neighbours, so that a merged cluster's box holds no other cell's events (a click frames them)."""
    scale = 2 ** zoom
    at = {(c.x, c.y): c for c in cells}
    taken: set[tuple[int, int]] = set()
    out = []
    for c in cells:   # largest first
        if (c.x, c.y) in taken:
            continue
        taken.add((c.x, c.y))
        cx, cy = _world_xy(c.lon, c.lat)
        best, best_px = None, MERGE_PX
        for dx, dy in ((1, 0), (-1, 0), (0, 1), (0, -1)):
            other = at.get((c.x + dx, c.y + dy))
            if other is None or (other.x, other.y) in taken:
                continue
            ox, oy = _world_xy(other.lon, other.lat)
            px = math.hypot(ox - cx, oy - cy) * scale
            if px < best_px:
                best, best_px = other, px
        if best is not None:
            taken.add((best.x, best.y))
            n = c.count + best.count
            c = Cell(c.x, c.y, n, c.killed + best.killed, (c.lon * c.count + best.lon * best.count) / n,
                     (c.lat * c.count + best.lat * best.count) / n,
                     [min(c.bounds[0], best.bounds[0]), min(c.bounds[1], best.bounds[1]),
                      max(c.bounds[2], best.bounds[2]), max(c.bounds[3], best.bounds[3])], ())
        out.append(c)
    return sorted(out, key=lambda c: -c.count)


def check_zoom(zoom: Optional[int]) -> int:
    if zoom is None:
        return 0
    if not 0 <= zoom <= MAX_ZOOM:
        raise ConfigError(f"zoom must be between 0 and {MAX_ZOOM}")
    return zoom


def map_view(store: Store, query: EventQuery, zoom: int = 0, view: Optional[str] = None,
             fit: Optional[str] = None) -> dict:
    """What the map shows of the matching events with coordinates at `zoom` inside `view` ('w,s,e,n'; None: the
    whole world): {located, extent, in_view, zoom, clusters: columns CLUSTER_COLUMNS, points: columns
    POINT_COLUMNS, truncated}. `located` and `extent` are over every matching event, whatever the view; a cluster's
    lon/lat is the mean of its events' (where it is drawn), `bounds` their box (where a click zooms to).

    With `fit` ('WIDTHxHEIGHT' of the map), zoom and view are those of the map once it has framed the extent:
    the zoom of fit_zoom() and the whole world (the extent fills the map, so that is about a screen of cells).
    The dashboard frames every new selection, so one request serves it instead of one before and one after."""
    zoom = check_zoom(zoom)
    box = parse_bbox(view, "view")
    size = parse_size(fit)
    where, params = query.where()
    located = f"FROM events e {LATEST_JOIN} WHERE {where} AND e.lat IS NOT NULL AND e.lon IS NOT NULL"
    summary = None
    if size is not None:
        summary = store.backend.execute(f"SELECT COUNT(*), MIN(e.lon), MIN(e.lat), MAX(e.lon), MAX(e.lat) {located}",
                                        params)[0]
        box = None
        zoom = fit_zoom([float(v) for v in summary[1:]], *size) if summary[0] else 0
    grid = grid_view(zoom, box)
    cell_x, cell_y = _CELL_X.format(n=int(grid.cells)), _CELL_Y.format(n=int(grid.cells))
    in_x = " OR ".join(f"{cell_x} BETWEEN ? AND ?" for _ in grid.x_ranges)
    in_view = f" AND ({in_x}) AND {cell_y} BETWEEN ? AND ?" if box is not None else ""
    view_params = [v for pair in grid.x_ranges for v in pair] + list(grid.y_range) if box is not None else []
    answer = {"zoom": zoom, "located": 0, "extent": None, "in_view": 0, "truncated": False,
              "clusters": {c: [] for c in CLUSTER_COLUMNS}, "points": {c: [] for c in POINT_COLUMNS}}
    points, clusters = answer["points"], answer["clusters"]
    if zoom >= GRID_MAX_ZOOM:
        rows = store.backend.execute(
            f"SELECT {_POINT_SQL} {located}{in_view} ORDER BY COALESCE(e.date_start, e.date_end, a.published) "
            f"DESC NULLS LAST, e.event_id DESC LIMIT {MAX_POINTS + 1}", params + view_params)
        answer["truncated"] = len(rows) > MAX_POINTS
        for row in rows[:MAX_POINTS]:
            for column, value in zip(POINT_COLUMNS, row):
                points[column].append(value)
    else:
        # With one event in a cell, MIN() of a column is that event's value: such cells are sent as points.
        rows = store.backend.execute(
            "SELECT COUNT(*), SUM(COALESCE(e.fatalities_best, 0)), AVG(e.lon), AVG(e.lat), MIN(e.lon), MIN(e.lat), "
            "MAX(e.lon), MAX(e.lat), MIN(e.event_id), MIN(e.event_type), MIN(e.fatalities_best), "
            f"MIN(COALESCE(e.date_start, a.published)), MIN(e.country), {cell_x}, {cell_y} {located}{in_view} "
            f"GROUP BY {cell_x}, {cell_y} ORDER BY 1 DESC, 9", params + view_params)
        cells = [Cell(x, y, int(count), int(killed or 0), float(lon), float(lat), [float(v) for v in (w, s, e, n)],
                      (ident, event_type, best, date, country, w, s))
                 for count, killed, lon, lat, w, s, e, n, ident, event_type, best, date, country, x, y in rows]
        for c in merge_close_neighbours(cells, zoom):
            if c.count == 1:
                for column, value in zip(POINT_COLUMNS, c.point):
                    points[column].append(value)
            else:
                for column, value in zip(CLUSTER_COLUMNS, (c.lon, c.lat, c.count, c.killed, c.bounds)):
                    clusters[column].append(value)
    answer["in_view"] = sum(int(c) for c in clusters["count"]) + len(points["event_id"])
    if summary is not None:
        total, w, s, e, n = summary
        answer["located"] = int(total)
        answer["extent"] = [w, s, e, n] if total else None
    elif box is None and not answer["truncated"]:
        # Every located event is in a cluster or a point: the totals need no query of their own.
        answer["located"] = answer["in_view"]
        boxes = clusters["bounds"] + [[x, y, x, y] for x, y in zip(points["lon"], points["lat"])]
        if boxes:
            answer["extent"] = [min(b[0] for b in boxes), min(b[1] for b in boxes),
                                max(b[2] for b in boxes), max(b[3] for b in boxes)]
    else:
        total, w, s, e, n = store.backend.execute(
            f"SELECT COUNT(*), MIN(e.lon), MIN(e.lat), MAX(e.lon), MAX(e.lat) {located}", params)[0]
        answer["located"] = int(total)
        answer["extent"] = [w, s, e, n] if total else None
    _tidy(answer)
    return answer


def _tidy(answer: dict) -> None:
    """JSON-ready numbers: coordinates to 5 decimals (about a metre), counts as ints."""
    pts, cl = answer["points"], answer["clusters"]
    pts["fatalities"] = [int(v) if v is not None else None for v in pts["fatalities"]]
    pts["date"] = [v.isoformat() if hasattr(v, "isoformat") else v for v in pts["date"]]
    pts["lon"] = [round(float(v), 5) for v in pts["lon"]]
    pts["lat"] = [round(float(v), 5) for v in pts["lat"]]
    cl["lon"] = [round(float(v), 5) for v in cl["lon"]]
    cl["lat"] = [round(float(v), 5) for v in cl["lat"]]
    cl["fatalities"] = [int(v or 0) for v in cl["fatalities"]]
    cl["count"] = [int(v) for v in cl["count"]]
    cl["bounds"] = [[round(float(v), 5) for v in b] for b in cl["bounds"]]
    if answer["extent"]:
        answer["extent"] = [round(float(v), 5) for v in answer["extent"]]
