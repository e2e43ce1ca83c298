"""The HTTP API (/api/v1) and the dashboard's static files. Read-only: every route is a GET over store/queries.py.

Bodies are plain JSON (JSONResponse: FastAPI's own encoder walks every value and took most of a 1,000-event
page's time). Errors are one line of JSON, `{"code": ..., "status": ..., "message": ...}`: a bad parameter is 400
`bad_parameter`, an unknown id 404 `not_found`, a database failure 503 `store_unavailable`.
"""
from __future__ import annotations

import csv
import io
import json
import logging
from pathlib import Path
from typing import Iterator, Optional

from fastapi import FastAPI, Query, Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import FileResponse, JSONResponse, Response, StreamingResponse
from fastapi.staticfiles import StaticFiles
from starlette.exceptions import HTTPException as StarletteHTTPException

from .. import __version__
from ..errors import ConfigError, StoreError
from ..output import EVENT_COLUMNS, csv_cell, flatten
from ..store import commitment_queries as C
from ..store import map_queries as M
from ..store import queries as Q
from .stores import StoreSource

LOGGER = logging.getLogger(__name__)

STATIC = Path(__file__).parent / "static"
FORMATS = ("json", "csv", "geojson", "points")
CSV_COLUMNS = [c for c, _ in EVENT_COLUMNS] + ["outlet", "published", "title", "url", "incident_id"]
LEAN_PROPERTIES = ("event_type", "fatalities", "date", "country")


class ApiError(Exception):
    """An error response: HTTP status, a stable code, a one-line message."""

    def __init__(self, status: int, code: str, message: str):
        super().__init__(message)
        self.status, self.code, self.message = status, code, message


def one_or_404(found: Optional[dict], kind: str, key: str) -> JSONResponse:
    """A record as JSON, or the API's one-line 404 naming what was asked for."""
    if found is None:
        raise ApiError(404, "not_found", f"no {kind} {key!r}")
    return JSONResponse(found)


def error_response(status: int, code: str, message: str) -> JSONResponse:
    message = " ".join(str(message).split())   # one line, whatever the cause said
    return JSONResponse({"code": code, "status": status, "message": message}, status_code=status)


def _validation_message(exc: RequestValidationError) -> str:
    parts = []
    for err in exc.errors()[:3]:
        where = ".".join(str(x) for x in err.get("loc", ()) if x not in ("query", "path"))
        parts.append(f"{where}: {err.get('msg', 'invalid')}")
    return "; ".join(parts) or "invalid parameter"


# Filter parameters shared by /events, /timeline, /stats and /changes (FastAPI reads them from the query string).
def _filters(
    country: Optional[str] = Query(None, description="ISO 3166-1 alpha-3 code(s) of the place, comma-separated",
                                   examples=["AFG"]),
    admin1: Optional[str] = Query(None, description="first-level division name, e.g. Nangarhar"),
    event_type: Optional[str] = Query(None, description="PLOVER type(s), comma-separated, e.g. ASSAULT,PROTEST"),
    acled_event_type: Optional[str] = Query(None, description="ACLED event type(s), e.g. Battles"),
    acled_sub_event_type: Optional[str] = Query(None, description="ACLED sub-event type(s), e.g. Armed clash"),
    actor: Optional[str] = Query(None, description="text in the actor's name (case-insensitive)"),
    recipient: Optional[str] = Query(None, description="text in the recipient's name (case-insensitive)"),
    since: Optional[str] = Query(None, description="events on or after this date, YYYY-MM-DD"),
    until: Optional[str] = Query(None, description="events on or before this date, YYYY-MM-DD"),
    fatalities_min: Optional[int] = Query(None, description="at least this many killed (best estimate)"),
    status: Optional[str] = Query(None, description="reported (default), negated, hypothetical, future, "
                                  "historical or all"),
    bbox: Optional[str] = Query(None, description="min_lon,min_lat,max_lon,max_lat"),
    q: Optional[str] = Query(None, description="text in the evidence sentence (case-insensitive)"),
    outlet: Optional[str] = Query(None, description="outlet name(s), comma-separated"),
) -> Q.EventQuery:
    return Q.EventQuery.build(
        country=country, admin1=admin1, event_type=event_type, acled_event_type=acled_event_type,
        acled_sub_event_type=acled_sub_event_type, actor=actor, recipient=recipient, since=since, until=until,
        fatalities_min=fatalities_min, status=status, bbox=bbox, q=q, outlet=outlet,
    )


def _csv_lines(rows: Iterator[tuple[dict, dict]]) -> Iterator[str]:
    buf = io.StringIO()
    writer = csv.DictWriter(buf, fieldnames=CSV_COLUMNS, extrasaction="ignore")
    writer.writeheader()
    n = 0
    for record, _row in rows:
        item = flatten(record)
        art = record.get("article") or {}
        item.update(outlet=art.get("outlet"), published=art.get("published"), title=art.get("title"),
                    url=art.get("url"), incident_id=record.get("incident_id"))
        writer.writerow({k: csv_cell(v) for k, v in item.items()})
        n += 1
        if n % 500 == 0:
            yield buf.getvalue()
            buf.seek(0)
            buf.truncate()
    yield buf.getvalue()


def _features(rows: Iterator[tuple[dict, dict]]) -> Iterator[dict]:
    """A GeoJSON feature of each event with coordinates: its flat columns, article and incident as properties."""
    for record, row in rows:
        if row.get("lat") is None or row.get("lon") is None:
            continue
        flat = flatten(record)
        art = record.get("article") or {}
        props = {**flat, "fatalities": Q.casualty_best(record.get("fatalities")), "outlet": art.get("outlet"),
                 "published": art.get("published"), "title": art.get("title"), "url": art.get("url"),
                 "incident_id": record.get("incident_id")}
        props.pop("lat", None)
        props.pop("lon", None)
        yield {"type": "Feature", "id": record["event_id"], "properties": props,
               "geometry": {"type": "Point", "coordinates": [row["lon"], row["lat"]]}}


def _lean_features(points: dict[str, list]) -> Iterator[str]:
    """What the map draws (LEAN_PROPERTIES and the id), from Q.map_points, as JSON text written directly."""
    dumps = json.dumps
    for ident, event_type, killed, date, country, lon, lat in zip(*(points[c] for c in Q.POINT_COLUMNS)):
        ident = dumps(ident)
        yield (f'{{"type":"Feature","id":{ident},"properties":{{"event_type":{dumps(event_type)},'
               f'"fatalities":{dumps(killed)},"date":{dumps(date)},"country":{dumps(country)},'
               f'"event_id":{ident}}},"geometry":{{"type":"Point","coordinates":[{lon},{lat}]}}}}')


def _geojson_chunks(features: Iterator) -> Iterator[str]:
    """A FeatureCollection streamed 500 features at a time; features are dicts or ready JSON text."""
    yield '{"type":"FeatureCollection","features":['
    first, parts = True, []
    for feat in features:
        text = feat if isinstance(feat, str) else json.dumps(feat, ensure_ascii=False, separators=(",", ":"))
        parts.append(("" if first else ",") + text)
        first = False
        if len(parts) >= 500:
            yield "".join(parts)
            parts = []
    yield "".join(parts) + "]}\n"


def create_app(target: str) -> FastAPI:
    """The API and dashboard over the store at `target` (opened read-only now: StoreError if it cannot be)."""
    source = StoreSource(target)
    app = FastAPI(
        title="sitrep", version=__version__, docs_url=None, redoc_url=None, openapi_url="/openapi.json",
        description="Read-only access to a sitrep store: events with the spans they came from, articles, "
        "incidents, timelines and counts. Errors are one line of JSON with a `code`.",
    )
    app.state.stores = source

    @app.exception_handler(ConfigError)
    async def _bad_parameter(request: Request, exc: ConfigError):
        return error_response(400, "bad_parameter", str(exc))

    @app.exception_handler(RequestValidationError)
    async def _invalid(request: Request, exc: RequestValidationError):
        return error_response(400, "bad_parameter", _validation_message(exc))

    @app.exception_handler(ApiError)
    async def _api_error(request: Request, exc: ApiError):
        return error_response(exc.status, exc.code, exc.message)

    @app.exception_handler(StoreError)
    async def _store_error(request: Request, exc: StoreError):
        LOGGER.error("store error on %s: %s", request.url.path, exc)
        return error_response(503, "store_unavailable", str(exc))

    @app.exception_handler(StarletteHTTPException)
    async def _http_error(request: Request, exc: StarletteHTTPException):
        codes = {404: "not_found", 405: "method_not_allowed"}
        detail = exc.detail if isinstance(exc.detail, str) else "error"
        if exc.status_code == 404 and detail == "Not Found":
            detail = f"no such path {request.url.path}"
        return error_response(exc.status_code, codes.get(exc.status_code, "http_error"), detail)

    @app.exception_handler(Exception)
    async def _internal(request: Request, exc: Exception):
        LOGGER.exception("internal error on %s", request.url.path)
        return error_response(500, "internal_error", f"{type(exc).__name__}: {exc}")

    def store():
        return source.get()

    # -- events ----------------------------------------------------------------------------------------------
    @app.get("/api/v1/events", summary="Events matching the filters, newest first",
             description="format=json pages with a keyset `cursor` (follow `next`); csv and geojson stream every "
             "matching event (or `limit` of them). `lean=true` keeps only what the map draws (geojson); "
             "format=points gives the same as columns (event_id, event_type, fatalities, date, country, lon, lat).")
    def events(request: Request,
               format: str = Query("json", description="json | csv | geojson | points"),
               limit: Optional[int] = Query(None, description="json: page size 1-1000 (default 100); "
                                            "csv/geojson: at most this many events (default all)"),
               cursor: Optional[str] = Query(None, description="from a previous page's `next`"),
               lean: bool = Query(False, description="geojson: only event_type, fatalities, date, country"),
               flt: Q.EventQuery = _depends(_filters)):
        if format not in FORMATS:
            raise ConfigError(f"format {format!r}: choose json, csv, geojson or points")
        if format == "json":
            page, total, next_cursor = Q.event_page_json(store(), flt, cursor, 100 if limit is None else limit)
            next_url = str(request.url.include_query_params(cursor=next_cursor)) if next_cursor else None
            head = json.dumps({"total": total, "count": len(page), "next": next_url}, separators=(",", ":"))
            return Response(head[:-1] + ',"events":[' + ",".join(page) + "]}", media_type="application/json")
        if cursor is not None:
            raise ConfigError("cursor applies to format=json only")
        Q.check_count("limit", limit, 1, Q.MAX_COUNT)
        if format == "points":
            return JSONResponse(Q.map_points(store(), flt, limit))

        def rows():
            with source.dedicated() as own:
                yield from Q.iter_events(own, flt, limit)

        if format == "csv":
            return StreamingResponse(_csv_lines(rows()), media_type="text/csv; charset=utf-8",
                                     headers={"Content-Disposition": 'attachment; filename="sitrep-events.csv"'})
        features = _lean_features(Q.map_points(store(), flt, limit)) if lean else _features(rows())
        return StreamingResponse(_geojson_chunks(features), media_type="application/geo+json",
                                 headers={"Content-Disposition": 'attachment; filename="sitrep-events.geojson"'})

    @app.get("/api/v1/map", summary="The map's clusters and points at a zoom level, grouped in the database",
             description="Matching events with coordinates grouped into square cells of a Web Mercator grid "
             f"({M.CELL_PX} px at the integer `zoom`); a cell of one event is a point. From zoom {M.GRID_MAX_ZOOM} "
             f"every event in `view` is a point (at most {M.MAX_POINTS:,}, newest first). `located` and `extent` "
             "count every matching event with coordinates, whatever the view.")
    def map_route(zoom: int = Query(0, description=f"integer zoom 0-{M.MAX_ZOOM}"),
                  view: Optional[str] = Query(None, description="the map's view, min_lon,min_lat,max_lon,max_lat "
                                              "(default the whole world)"),
                  fit: Optional[str] = Query(None, description="the map's size, WIDTHxHEIGHT pixels: answer for "
                                             "the zoom at which the map frames every matching event "
                                             f"(padding {M.FIT_PADDING} px, zoom at most {M.FIT_MAX_ZOOM}); "
                                             "zoom and view are then ignored"),
                  flt: Q.EventQuery = _depends(_filters)):
        return JSONResponse(M.map_view(store(), flt, zoom, view, fit))

    @app.get("/api/v1/events/{event_id}", summary="One event (any status) with its article and incident")
    def event(event_id: str):
        return one_or_404(Q.event_by_id(store(), Q.check_text("event_id", event_id) or ""), "event", event_id)

    @app.get("/api/v1/articles/{article_id:path}", summary="An article's cleaned text, events and every span")
    def article(article_id: str):
        return one_or_404(Q.article_with_spans(store(), Q.check_text("article_id", article_id) or ""), "article", article_id)

    # -- incidents -------------------------------------------------------------------------------------------
    @app.get("/api/v1/incidents", summary="Incidents (reports merged across articles), newest first")
    def incidents(country: Optional[str] = Query(None, description="ISO 3166-1 alpha-3 code"),
                  admin1: Optional[str] = Query(None), event_type: Optional[str] = Query(None),
                  actor: Optional[str] = Query(None, description="text in the actor's or recipient's name"),
                  since: Optional[str] = Query(None), until: Optional[str] = Query(None),
                  fatalities_min: Optional[int] = Query(None),
                  min_articles: int = Query(1, description="reported by at least this many articles"),
                  limit: int = Query(100, description="1-1000"), offset: int = Query(0)):
        from ..store import EventFilter

        flt = EventFilter.build(
            types=Q._split("event_type", event_type), country=Q.check_text("country", country),
            admin1=Q.check_text("admin1", admin1), actor=Q.check_text("actor", actor),
            since=Q.check_text("since", since), until=Q.check_text("until", until),
            min_fatalities=Q.check_count("fatalities_min", fatalities_min),
        )
        if flt.country and not (flt.country.isascii() and flt.country.isalpha()):
            raise ConfigError(f"country {flt.country!r}: expected an ISO 3166-1 alpha-3 code such as AFG")
        rows, total = Q.incident_page(store(), flt, min_articles, limit, offset)
        return JSONResponse({"total": total, "count": len(rows), "offset": offset, "incidents": rows})

    @app.get("/api/v1/incidents/{incident_id}", summary="An incident: members, outlets, claims, why merged")
    def incident(incident_id: str):
        return one_or_404(Q.incident_detail(store(), Q.check_text("incident_id", incident_id) or ""), "incident", incident_id)

    # -- commitments -----------------------------------------------------------------------------------------
    @app.get("/api/v1/commitments", summary="The commitment ledger: pledges and ceasefires merged across articles")
    def commitments(holder: Optional[str] = Query(None, description="holder code (AFGREB, or AFG) or text in "
                                                  "the holder's name"),
                    status: Optional[str] = Query(None, description=", ".join(C.STATUSES)),
                    kind: Optional[str] = Query(None, description="ceasefire, reduce_violence, release_prisoners, "
                                                "withdraw, allow_access, negotiate or other"),
                    limit: int = Query(100, description="1-1000")):
        C.check_listing(Q.check_text("holder", holder), status, limit)
        if limit > 1000:
            raise ConfigError("limit must be between 1 and 1000")
        db = store()
        rows = C.list_commitments(db, holder=holder, status=status, kind=kind, limit=limit) \
            if C.has_ledger_table(db) else []
        return JSONResponse({"count": len(rows), "commitments": C.jsonable(rows)})

    @app.get("/api/v1/commitments/{commitment_id}",
             summary="One commitment: statements side by side, events held against it, counts, status history")
    def commitment(commitment_id: str):
        db = store()
        found = C.get_commitment(db, Q.check_text("commitment_id", commitment_id) or "") \
            if C.has_ledger_table(db) else None
        if found is not None:
            found["daily"] = C.daily_counts(found)
        return one_or_404(C.jsonable(found) if found else None, "commitment", commitment_id)

    # -- aggregates ------------------------------------------------------------------------------------------
    @app.get("/api/v1/timeline", summary="Event counts per day, week or month, by type or country")
    def timeline_route(interval: str = Query("week", description="day | week | month"),
                       by: str = Query("event_type", description=", ".join(Q.TIMELINE_BY)),
                       flt: Q.EventQuery = _depends(_filters)):
        return JSONResponse({"interval": interval, "by": by, "buckets": Q.timeline(store(), flt, interval, by)})

    @app.get("/api/v1/stats", summary="Totals and counts by facet of the matching events")
    def stats_route(top: int = Query(20, description="values per facet, 1-500"),
                    flt: Q.EventQuery = _depends(_filters)):
        return JSONResponse(Q.stats(store(), flt, top))

    @app.get("/api/v1/changes", summary="The newest week against the weekly mean of the four weeks before")
    def changes_route(by: str = Query("country", description=", ".join(Q.TIMELINE_BY)),
                      flt: Q.EventQuery = _depends(_filters)):
        return JSONResponse(Q.changes(store(), flt, by))

    # -- pages -----------------------------------------------------------------------------------------------
    @app.get("/", include_in_schema=False)
    def index():
        return FileResponse(STATIC / "index.html")

    @app.get("/docs", include_in_schema=False)
    def docs():
        return FileResponse(STATIC / "docs.html")

    @app.get("/favicon.ico", include_in_schema=False)
    def favicon():
        return Response(status_code=204)

    app.mount("/static", StaticFiles(directory=STATIC), name="static")
    return app


def _depends(func):
    from fastapi import Depends

    return Depends(func)
