// sitrep dashboard. One page; its whole state lives in the URL's query string, so a view can be shared.
// Everything it loads comes from this server: the API under /api/v1 and vendored files under /static/vendor.
import * as maplibregl from "/static/vendor/maplibre-gl/maplibre-gl.mjs";

const API = "/api/v1";
const TYPES = ["AGREE", "CONSULT", "SUPPORT", "CONCEDE", "COOPERATE", "AID", "RETREAT", "REQUEST", "ACCUSE",
  "REJECT", "THREATEN", "PROTEST", "SANCTION", "MOBILIZE", "COERCE", "ASSAULT"];
// One colour per PLOVER type: violent types warm, cooperative ones cool.
const COLOURS = {
  ASSAULT: "#d1242f", COERCE: "#e8590c", PROTEST: "#f59f00", THREATEN: "#ae3ec9", MOBILIZE: "#862e9c",
  SANCTION: "#5f3dc4", REJECT: "#c2255c", ACCUSE: "#e64980", REQUEST: "#1098ad", RETREAT: "#74b816",
  AID: "#2b8a3e", COOPERATE: "#087f5b", CONCEDE: "#0b7285", SUPPORT: "#1864ab", CONSULT: "#364fc7",
  AGREE: "#5c940d",
};
// Filters kept in the URL and sent to the API as they are.
const FILTERS = ["country", "event_type", "status", "actor", "recipient", "q", "since", "until", "fatalities_min",
  "outlet", "admin1", "acled_event_type", "acled_sub_event_type"];
// Table columns: [heading, value of an event, span field the value came from].
const COLUMNS = [
  ["date", (e) => e.date?.start || e.article?.published || "", "date"],
  ["type", (e) => e.event_type, "evidence.trigger"],
  ["ACLED sub-type", (e) => e.acled_sub_event_type || "", "evidence.trigger"],
  ["actor", (e) => e.actor?.name || e.actor?.text || "", "actor"],
  ["recipient", (e) => e.recipient?.name || e.recipient?.text || "", "recipient"],
  ["place", (e) => e.location?.name || e.location?.text || "", "location"],
  ["country", (e) => e.location?.country || "", "location"],
  ["killed", (e) => killed(e) ?? "", "fatalities"],
  ["source", (e) => (e.sources || []).map((s) => s.name).join("; "), "sources[0]"],
  ["outlet", (e) => e.article?.outlet || "", null],
];
// Span fields of an event: [field in the spans table, label, css class, value].
const FIELDS = [
  ["evidence.trigger", "trigger", "f-trigger", (e) => e.evidence?.trigger?.text],
  ["actor", "actor", "f-actor", (e) => e.actor?.name || e.actor?.text],
  ["recipient", "recipient", "f-recipient", (e) => e.recipient?.name || e.recipient?.text],
  ["location", "place", "f-location", (e) => [e.location?.name || e.location?.text, e.location?.country].filter(Boolean).join(", ")],
  ["date", "date", "f-date", (e) => e.date && [e.date.start, e.date.end].filter(Boolean).join(" .. ") + ` (${e.date.precision})`],
  ["fatalities", "killed", "f-fatalities", (e) => killed(e)],
  ["injuries", "wounded", "f-injuries", (e) => count(e.injuries)],
];

function count(c) {
  if (!c) return null;
  const t = c.total || {};
  if (t.best != null) return t.best;
  const groups = ["civilians", "security_forces", "militants", "unknown"].map((g) => c[g]?.best).filter((v) => v != null);
  return groups.length ? groups.reduce((a, b) => a + b, 0) : null;
}
const killed = (e) => count(e.fatalities);
// The span a table column's value came from, or null when the value was coded without one.
function spanOf(e, field) {
  if (field === "evidence.trigger") return e.evidence?.trigger?.span || null;
  if (field === "sources[0]") return e.sources?.[0]?.span || null;
  return e[field]?.span || null;
}
const $ = (sel, root = document) => root.querySelector(sel);

function el(tag, attrs = {}, ...children) {
  const node = document.createElement(tag);
  for (const [k, v] of Object.entries(attrs)) {
    if (v == null || v === false) continue;
    if (k === "class") node.className = v;
    else if (k.startsWith("on")) node.addEventListener(k.slice(2), v);
    else if (k === "dataset") Object.assign(node.dataset, v);
    else node.setAttribute(k, v === true ? "" : v);
  }
  for (const c of children.flat()) if (c != null) node.append(c instanceof Node ? c : String(c));
  return node;
}

// -- state ----------------------------------------------------------------------------------------------------
const state = Object.fromEntries(new URLSearchParams(location.search));
function saveState() {
  const clean = Object.fromEntries(Object.entries(state).filter(([, v]) => v != null && v !== ""));
  history.replaceState(null, "", "?" + new URLSearchParams(clean).toString());
}
function filterParams({ bbox = true } = {}) {
  const p = new URLSearchParams();
  for (const k of FILTERS) if (state[k]) p.set(k, state[k]);
  if (bbox && state.follow === "1" && state.bbox) p.set("bbox", state.bbox);
  return p;
}

// -- fetching -------------------------------------------------------------------------------------------------
let busy = 0;
function setBusy(delta) {
  busy += delta;
  document.body.dataset.busy = String(busy);
}
async function api(path, params) {
  const url = API + path + (params && [...params].length ? "?" + params : "");
  setBusy(1);
  try {
    const res = await fetch(url);
    const body = await res.json();
    if (!res.ok) throw new Error(body.message || res.statusText);
    $("#status").textContent = "";
    return body;
  } catch (err) {
    $("#status").textContent = "Error: " + err.message;
    throw err;
  } finally {
    setBusy(-1);
  }
}

// -- filters form ---------------------------------------------------------------------------------------------
function initForm() {
  const form = $("#filters");
  const typeSelect = form.elements.event_type;
  for (const t of TYPES) typeSelect.append(el("option", { value: t }, t));
  for (const k of FILTERS) if (form.elements[k]) form.elements[k].value = state[k] || "";
  form.addEventListener("submit", (ev) => {
    ev.preventDefault();
    for (const k of FILTERS) if (form.elements[k]) state[k] = form.elements[k].value.trim();
    refresh({ map: true });
  });
  form.addEventListener("change", (ev) => {
    if (ev.target.tagName === "SELECT") form.requestSubmit();
  });
  $("#reset").addEventListener("click", () => {
    for (const k of FILTERS) delete state[k];
    for (const k of FILTERS) if (form.elements[k]) form.elements[k].value = "";
    refresh({ map: true });
  });
  $("#follow").checked = state.follow === "1";
  $("#follow").addEventListener("change", (ev) => {
    state.follow = ev.target.checked ? "1" : "";
    if (ev.target.checked) state.bbox = mapBbox();
    refresh({ map: false });
  });
  $("#interval").value = state.interval || "day";
  $("#interval").addEventListener("change", (ev) => { state.interval = ev.target.value; refresh({ map: false }); });
  for (const b of document.querySelectorAll("[data-window]")) {
    b.addEventListener("click", () => {
      // Relative windows end at the newest event in the store, so an archive of old news still has a "last week".
      if (!newest) return;
      const end = new Date(newest + "T00:00:00Z");
      const start = new Date(end.getTime() - (Number(b.dataset.window) - 1) * 86400000);
      setDates(start.toISOString().slice(0, 10), newest);
    });
  }
  $("#more").addEventListener("click", () => loadTable(nextPage));
  $("#close-evidence").addEventListener("click", closeEvidence);
}
function setDates(since, until) {
  state.since = since || "";
  state.until = until || "";
  $("#filters").elements.since.value = state.since;
  $("#filters").elements.until.value = state.until;
  refresh({ map: true });
}
function setFilter(key, value) {
  state[key] = state[key] === value ? "" : value;
  if ($("#filters").elements[key]) $("#filters").elements[key].value = state[key];
  refresh({ map: true });
}

// -- map ------------------------------------------------------------------------------------------------------
let map;
let mapReady;
function mapBbox() {
  if (!map) return "";
  const b = map.getBounds();
  const clamp = (v, lo, hi) => Math.min(hi, Math.max(lo, v));
  let w = b.getWest(), e = b.getEast();
  if (e - w >= 360) { w = -180; e = 180; }
  const wrap = (x) => ((((x + 180) % 360) + 360) % 360) - 180;
  if (w !== -180 || e !== 180) { w = wrap(w); e = wrap(e); }
  return [w, clamp(b.getSouth(), -90, 90), e, clamp(b.getNorth(), -90, 90)].map((v) => v.toFixed(4)).join(",");
}
function typeColour() {
  const expr = ["match", ["get", "event_type"]];
  for (const t of TYPES) expr.push(t, COLOURS[t]);
  expr.push("#666");
  return expr;
}
function initMap() {
  const view = (state.view_map || "").split(",").map(Number);
  map = new maplibregl.Map({
    container: "map",
    style: { version: 8, sources: {}, layers: [{ id: "sea", type: "background", paint: { "background-color": "#dfe8f1" } }] },
    center: view.length === 3 && view.every(Number.isFinite) ? [view[0], view[1]] : [30, 25],
    zoom: view.length === 3 && view.every(Number.isFinite) ? view[2] : 1.3,
    attributionControl: { compact: true, customAttribution: "Natural Earth (public domain) via world-atlas" },
  });
  map.addControl(new maplibregl.NavigationControl({ showCompass: false }), "top-right");
  window.sitrepMap = map;   // for the browser tests and the console: read by them, never by this page
  // The 1:110m outlines (108 kB) are asked for at once, beside the map's own start-up.
  const coarse = fetchCountries("110m");
  mapReady = new Promise((resolve) => map.on("load", resolve)).then(async () => {
    addCountries("110m", await coarse, { maxzoom: DETAIL_ZOOM });
    if (map.getZoom() >= DETAIL_ZOOM) addDetailedCountries();   // a shared URL's close-up view
    // Clusters come grouped from the server (GET /map): the source only draws them, it does not cluster.
    map.addSource("events", { type: "geojson", data: { type: "FeatureCollection", features: [] } });
    map.addLayer({
      id: "clusters", type: "circle", source: "events", filter: ["has", "point_count"],
      paint: {
        "circle-color": "#1f2d3d", "circle-opacity": 0.75, "circle-stroke-color": "#fff", "circle-stroke-width": 1,
        "circle-radius": ["step", ["get", "point_count"], 12, 10, 16, 100, 21, 1000, 27, 10000, 33],
      },
    });
    map.addLayer({
      id: "points", type: "circle", source: "events", filter: ["!", ["has", "point_count"]],
      paint: {
        "circle-color": typeColour(), "circle-stroke-color": "#fff", "circle-stroke-width": 1, "circle-opacity": 0.9,
        // Sized by fatalities: a report without deaths is still visible; 100+ deaths is the largest dot.
        "circle-radius": ["interpolate", ["linear"], ["coalesce", ["get", "fatalities"], 0], 0, 5, 10, 9, 100, 18],
      },
    });
    map.on("click", "clusters", (ev) => zoomIntoCluster(ev.features[0].properties));
    map.on("click", "points", (ev) => {
      const f = ev.features[0];
      openEvidence(f.properties.event_id || f.id, "evidence.trigger");
    });
    for (const layer of ["clusters", "points"]) {
      map.on("mouseenter", layer, () => { map.getCanvas().style.cursor = "pointer"; });
      map.on("mouseleave", layer, () => { map.getCanvas().style.cursor = ""; });
    }
  });
  map.on("moveend", () => {
    if (map.getZoom() >= DETAIL_ZOOM) addDetailedCountries();
    // A new view needs the server's cells for it (a no-op when the zoom level and view asked for are unchanged).
    loadMap({ fit: false }).catch(() => {});   // an error is shown in the status line
    const c = map.getCenter();
    state.view_map = [c.lng.toFixed(3), c.lat.toFixed(3), map.getZoom().toFixed(2)].join(",");
    if (state.follow === "1") {
      state.bbox = mapBbox();
      refresh({ map: false, timeline: false });
    } else {
      saveState();
    }
  });
}
// The world view draws Natural Earth's 1:110m outlines; from DETAIL_ZOOM on, the 1:50m ones (757 kB, several times
// the work to parse and tile), loaded the first time the map gets there.
const DETAIL_ZOOM = 3;
async function fetchCountries(scale) {
  const topo = await (await fetch(`/static/vendor/world-atlas/countries-${scale}.json`)).json();
  return unwrapAntimeridian(window.topojson.feature(topo, topo.objects.countries));
}
function addCountries(scale, land, zooms) {
  const source = `countries-${scale}`;
  // Below the events' layers, whenever they are added.
  const before = map.getLayer("clusters") ? "clusters" : undefined;
  map.addSource(source, { type: "geojson", data: land });
  map.addLayer({ id: `land-${scale}`, type: "fill", source, ...zooms, paint: { "fill-color": "#fbfaf6" } }, before);
  map.addLayer({ id: `borders-${scale}`, type: "line", source, ...zooms, paint: { "line-color": "#b9b4a8", "line-width": 0.6 } }, before);
}
let detailed = null;
function addDetailedCountries() {
  detailed ??= Promise.all([fetchCountries("50m"), mapReady]).then(([land]) => addCountries("50m", land, { minzoom: DETAIL_ZOOM }));
  return detailed;
}
// world-atlas rings that cross the antimeridian (Russia's Chukotka, Fiji) jump from +180 to -180; MapLibre draws
// such a ring as a band across the whole map. Unwrapped (longitudes continued past 180) they draw where they are.
function unwrapAntimeridian(collection) {
  const unwrapRing = (ring) => {
    let shift = 0;
    return ring.map(([lon, lat], i) => {
      if (i > 0) {
        const prev = ring[i - 1][0];
        if (lon - prev > 180) shift -= 360;
        else if (prev - lon > 180) shift += 360;
      }
      return [lon + shift, lat];
    });
  };
  for (const f of collection.features) {
    const g = f.geometry;
    if (!g) continue;
    if (g.type === "Polygon") g.coordinates = g.coordinates.map(unwrapRing);
    else if (g.type === "MultiPolygon") g.coordinates = g.coordinates.map((poly) => poly.map(unwrapRing));
  }
  return collection;
}
// Cluster sizes as HTML labels: the map has no glyph server (it would be a network dependency), so text is drawn
// by the page, not by MapLibre. One marker per cluster of the server's answer.
let clusterLabels = [];
function setClusterLabels(clusters) {
  for (const m of clusterLabels) m.remove();
  clusterLabels = clusters.count.map((n, i) => new maplibregl.Marker({ element: el("div", { class: "cluster-label" }, String(n)) })
    .setLngLat([clusters.lon[i], clusters.lat[i]]).addTo(map));
}
// A click on a cluster frames its events, at least one zoom level deeper so that the cluster splits; events at
// a single place go straight to the zoom where every event is a point.
const GRID_MAX_ZOOM = 12;
function zoomIntoCluster(props) {
  const bounds = [[props.west, props.south], [props.east, props.north]];
  const deeper = Math.min(GRID_MAX_ZOOM, Math.floor(map.getZoom()) + 1);
  const single = props.west === props.east && props.south === props.north;
  const camera = single ? null : map.cameraForBounds(bounds, { padding: 60 });
  const center = camera ? camera.center : [props.west, props.south];
  const zoom = camera ? Math.min(GRID_MAX_ZOOM, Math.max(deeper, camera.zoom)) : GRID_MAX_ZOOM;
  map.easeTo({ center, zoom });
}
// What the server needs to know of the map's view: its integer zoom and, from zoom 4 on, the box in view
// (below that every cell of the world is asked for, so panning needs no new request).
function mapViewParams() {
  const zoom = Math.max(0, Math.floor(map.getZoom()));
  if (zoom < 4) return { zoom, view: null };
  const b = map.getBounds();
  if (b.getEast() - b.getWest() >= 360) return { zoom, view: null };
  const wrap = (x) => ((((x + 180) % 360) + 360) % 360) - 180;
  const clamp = (v) => Math.min(85.06, Math.max(-85.06, v));
  return { zoom, view: [wrap(b.getWest()), clamp(b.getSouth()), wrap(b.getEast()), clamp(b.getNorth())].map((v) => v.toFixed(4)).join(",") };
}
// The map answer a view needs: the filters, the integer zoom and the view (null: every cell of the world).
function wantedMap() {
  return { filters: filterParams({ bbox: false }).toString(), ...mapViewParams() };
}
// An answer serves a view when filters and zoom level agree and it covers the view.
function covers(answer, want) {
  return Boolean(answer) && answer.filters === want.filters && answer.zoom === want.zoom && (answer.view === null || answer.view === want.view);
}
// Columns as the server sends them, as GeoJSON features: clusters carry point_count and their events' box.
function mapFeatures(answer) {
  const features = [];
  const c = answer.clusters, p = answer.points;
  for (let i = 0; i < c.count.length; i++) {
    const [west, south, east, north] = c.bounds[i];
    features.push({ type: "Feature", geometry: { type: "Point", coordinates: [c.lon[i], c.lat[i]] },
      properties: { point_count: c.count[i], fatalities: c.fatalities[i], west, south, east, north } });
  }
  for (let i = 0; i < p.event_id.length; i++) {
    features.push({ type: "Feature", geometry: { type: "Point", coordinates: [p.lon[i], p.lat[i]] },
      properties: { event_id: p.event_id[i], event_type: p.event_type[i], fatalities: p.fatalities[i], date: p.date[i], country: p.country[i] } });
  }
  return { type: "FeatureCollection", features };
}
let fitDone = Boolean(state.view_map);   // a shared URL's map view wins over framing the data on first load
let shownMap = null;   // {filters, zoom, view} of the answer on the map, or on its way to it
async function fetchMap(params) {
  const res = await fetch(`${API}/map?${params}`);
  const body = await res.json();
  if (!res.ok) throw new Error(body.message || res.statusText);
  return body;
}
async function loadMap({ fit = true } = {}) {
  // A new selection is framed on the map, unless the map itself is the filter or the URL fixed the view.
  const box = map.getContainer();
  const frame = fit && state.follow !== "1" && !fitDone && box.clientWidth > 0 && box.clientHeight > 0;
  fitDone = false;
  const want = wantedMap();
  if (!fit && covers(shownMap, want)) return;
  // A selection being framed is drawn where the framing puts the map: a resize meanwhile changes nothing.
  if (!fit && shownMap && shownMap.zoom === null && shownMap.filters === want.filters) return;
  const params = new URLSearchParams(want.filters);
  if (frame) {
    // The server frames the selection itself (the zoom fitBounds will reach), so one request serves the view.
    params.set("fit", `${box.clientWidth}x${box.clientHeight}`);
  } else {
    params.set("zoom", String(want.zoom));
    if (want.view) params.set("view", want.view);
  }
  const request = frame ? { filters: want.filters, zoom: null, view: null } : want;
  shownMap = request;
  $("#map").dataset.idle = "0";
  setBusy(1);
  try {
    // asked for while the basemap loads, not after it
    const answer = await fetchMap(params);
    if (shownMap !== request) return;   // a newer view was asked for meanwhile; its answer will be drawn
    if (frame) {
      request.zoom = answer.zoom;
      if (answer.extent) {
        const [w, s, e, n] = answer.extent;
        // Its moveend asks for a new answer only if MapLibre's zoom level differs from the server's.
        map.fitBounds([[w, s], [e, n]], { padding: 60, maxZoom: 6, duration: 0 });
      }
    }
    await mapReady;
    if (shownMap !== request) return;
    map.once("idle", () => { if (shownMap === request) $("#map").dataset.idle = "1"; });
    map.getSource("events").setData(mapFeatures(answer));
    setClusterLabels(answer.clusters);
    $("#map-count").textContent = `${answer.located} located events on the map`;
    $("#map-count").dataset.count = String(answer.located);
    $("#map-count").title = `${answer.in_view} in this view${answer.truncated ? " (the newest shown)" : ""}`;
  } catch (err) {
    $("#status").textContent = "Error: " + err.message;
    throw err;
  } finally {
    setBusy(-1);
  }
}

// -- timeline -------------------------------------------------------------------------------------------------
let buckets = [];
async function loadTimeline() {
  const p = filterParams({ bbox: false });
  // The timeline shows the whole period so the brush can widen a selection again.
  p.delete("since");
  p.delete("until");
  p.set("interval", state.interval || "day");
  p.set("by", "event_type");
  const data = await api("/timeline", p);
  const byBucket = new Map();
  for (const b of data.buckets) {
    if (!byBucket.has(b.bucket)) byBucket.set(b.bucket, {});
    byBucket.get(b.bucket)[b.group] = b.events;
  }
  buckets = fillGaps([...byBucket.entries()].sort(([a], [b]) => (a < b ? -1 : 1)), state.interval || "day");
  drawTimeline();
}
// Empty days or weeks become empty bars, so the axis is time and not a list of busy days.
function fillGaps(sorted, interval) {
  if (sorted.length < 2) return sorted;
  const step = interval === "week" ? 7 : 1;
  const first = new Date(sorted[0][0] + "T00:00:00Z"), last = new Date(sorted[sorted.length - 1][0] + "T00:00:00Z");
  if ((last - first) / 86400000 / step > 3000) return sorted;
  const have = new Map(sorted);
  const out = [];
  for (let d = first; d <= last; d = new Date(d.getTime() + step * 86400000)) {
    const key = d.toISOString().slice(0, 10);
    out.push([key, have.get(key) || {}]);
  }
  return out;
}
function drawTimeline() {
  const svg = $("#timeline");
  svg.replaceChildren();
  const NS = "http://www.w3.org/2000/svg";
  const node = (tag, attrs) => {
    const n = document.createElementNS(NS, tag);
    for (const [k, v] of Object.entries(attrs)) n.setAttribute(k, v);
    return n;
  };
  const width = svg.clientWidth || 600, height = 130, bottom = 16, top = 4;
  svg.dataset.width = String(svg.clientWidth);
  const n = buckets.length;
  svg.dataset.buckets = String(n);
  const legend = $("#legend");
  legend.replaceChildren();
  if (!n) return;
  const max = Math.max(1, ...buckets.map(([, g]) => Object.values(g).reduce((a, b) => a + b, 0)));
  const bw = width / n;
  const used = new Set();
  buckets.forEach(([day, groups], i) => {
    let y = height - bottom;
    const inSel = (!state.since || day >= bucketStart(state.since)) && (!state.until || day <= state.until);
    for (const t of TYPES) {
      const v = groups[t];
      if (!v) continue;
      used.add(t);
      const h = ((height - bottom - top) * v) / max;
      y -= h;
      const rect = node("rect", { x: i * bw + 1, y, width: Math.max(bw - 2, 1), height: h, fill: COLOURS[t],
        opacity: inSel ? 1 : 0.3, "data-bucket": day });
      const title = node("title", {});
      title.textContent = `${day} ${t}: ${v}`;
      rect.append(title);
      svg.append(rect);
    }
  });
  drawDateLabels(svg, node, width, height, bw);
  for (const t of TYPES) if (used.has(t)) legend.append(el("span", {}, el("span", { class: "swatch", style: `background:${COLOURS[t]}` }), t));
}
// Date labels under the bars: the first flush with the left edge, the last flush with the right edge, those
// between centred on their bar, each at least LABEL_GAP from its neighbours (a label that would touch one is left
// out), so the ends never overlap or run off the chart, whatever its width and number of bars.
const LABEL_GAP = 12;
function drawDateLabels(svg, node, width, height, bw) {
  const n = buckets.length;
  const label = (i, x, anchor) => {
    const t = node("text", { x, y: height - 3, "text-anchor": anchor, "data-bucket": buckets[i][0] });
    t.textContent = buckets[i][0];
    svg.append(t);
    return t;
  };
  const first = label(0, 1, "start");
  const size = first.getComputedTextLength() || 55;   // every label is a YYYY-MM-DD date: one width for all
  if (n < 2 || width < 2 * size + LABEL_GAP) return;
  label(n - 1, width - 1, "end");
  const lastLeft = width - 1 - size - LABEL_GAP;
  let free = 1 + size + LABEL_GAP;   // the leftmost x a next label may start at
  const slots = Math.floor(width / (size + LABEL_GAP)) - 2;
  for (let k = 1; k <= slots; k++) {
    const i = Math.round((k * (n - 1)) / (slots + 1));
    const x = (i + 0.5) * bw;
    if (i <= 0 || i >= n - 1 || x - size / 2 < free || x + size / 2 > lastLeft) continue;
    label(i, x, "middle");
    free = x + size / 2 + LABEL_GAP;
  }
}
function bucketStart(date) {
  // The bucket a date falls in, so a selection starting mid-week still lights its week.
  let found = date;
  for (const [day] of buckets) if (day <= date) found = day;
  return found;
}
function initBrush() {
  const svg = $("#timeline");
  // The chart is drawn in pixels: drawn again when its width changes (the evidence pane opening, a resize).
  new ResizeObserver(() => {
    if (buckets.length && String(svg.clientWidth) !== svg.dataset.width) drawTimeline();
  }).observe(svg);
  let start = null, rect = null;
  const index = (ev) => {
    const box = svg.getBoundingClientRect();
    const i = Math.floor(((ev.clientX - box.left) / box.width) * buckets.length);
    return Math.max(0, Math.min(buckets.length - 1, i));
  };
  svg.addEventListener("mousedown", (ev) => {
    if (!buckets.length) return;
    start = index(ev);
    rect = document.createElementNS("http://www.w3.org/2000/svg", "rect");
    rect.setAttribute("class", "brush");
    rect.setAttribute("y", 0);
    rect.setAttribute("height", 114);
    svg.append(rect);
    move(ev);
  });
  const move = (ev) => {
    if (start == null) return;
    const bw = svg.getBoundingClientRect().width / buckets.length;
    const [a, b] = [start, index(ev)].sort((x, y) => x - y);
    rect.setAttribute("x", a * bw);
    rect.setAttribute("width", (b - a + 1) * bw);
  };
  svg.addEventListener("mousemove", move);
  window.addEventListener("mouseup", (ev) => {
    if (start == null) return;
    const [a, b] = [start, index(ev)].sort((x, y) => x - y);
    start = null;
    const since = buckets[a][0];
    const last = buckets[b][0];
    setDates(since, bucketEnd(last));
  });
}
function bucketEnd(day) {
  const d = new Date(day + "T00:00:00Z");
  const interval = state.interval || "day";
  if (interval === "week") d.setUTCDate(d.getUTCDate() + 6);
  return d.toISOString().slice(0, 10);
}

// -- facets, table, changes -----------------------------------------------------------------------------------
let newest = null;
async function loadFacets() {
  const stats = await api("/stats", (() => { const p = filterParams(); p.set("top", "8"); return p; })());
  const box = $("#facets");
  box.replaceChildren();
  const facets = [["event_type", "type"], ["country", "country"], ["actor", "actor"], ["status", "status"], ["outlet", "outlet"]];
  for (const [key, label] of facets) {
    const items = stats.facets[key] || [];
    const div = el("div", { class: "facet", dataset: { facet: key } }, el("h4", {}, label));
    for (const item of items) {
      div.append(el("button", {
        type: "button", class: state[key] === String(item.value) ? "on" : null,
        dataset: { value: item.value }, onclick: () => setFilter(key, String(item.value)),
      }, el("span", {}, item.value), el("span", { class: "n" }, item.count)));
    }
    box.append(div);
  }
}
let nextPage = null;
async function loadTable(cursorUrl) {
  const body = $("#events tbody");
  let data;
  if (cursorUrl) {
    const u = new URL(cursorUrl, location.href);
    data = await api("/events", u.searchParams);
  } else {
    body.replaceChildren();
    const p = filterParams();
    p.set("limit", "100");
    data = await api("/events", p);
    $("#table-count").textContent = `${data.total} events`;
    $("#table-count").dataset.total = String(data.total);
  }
  for (const e of data.events) {
    const tr = el("tr", { dataset: { eventId: e.event_id }, class: state.event === e.event_id ? "selected" : null });
    for (const [, value, field] of COLUMNS) {
      const v = value(e);
      tr.append(field && v !== "" && spanOf(e, field)
        ? el("td", { class: "v", dataset: { field }, title: "show where this came from", onclick: () => openEvidence(e.event_id, field) }, v)
        : el("td", {}, v));
    }
    tr.append(el("td", {}, e.incident_id ? el("a", { href: `?incident=${encodeURIComponent(e.incident_id)}`, onclick: (ev) => { ev.preventDefault(); openIncident(e.incident_id); } }, e.incident_id) : ""));
    body.append(tr);
  }
  nextPage = data.next;
  $("#more").hidden = !data.next;
}
async function loadChanges() {
  const p = filterParams({ bbox: false });
  p.delete("since");
  p.delete("until");
  const [byCountry, byType] = await Promise.all([
    api("/changes", new URLSearchParams([...p, ["by", "country"]])),
    api("/changes", new URLSearchParams([...p, ["by", "event_type"]])),
  ]);
  const box = $("#changes");
  box.replaceChildren();
  if (!byCountry.week_end) return;
  const table = el("table", {}, el("thead", {}, el("tr", {}, el("th", {}, `week ${byCountry.week_start} .. ${byCountry.week_end}`), el("th", {}, "events"), el("th", {}, "weekly mean, 4 weeks before"), el("th", {}, "change"))));
  const tbody = el("tbody");
  for (const r of [...byCountry.rows.slice(0, 5), ...byType.rows.slice(0, 5)]) {
    tbody.append(el("tr", {}, el("td", {}, r.group ?? "(none)"), el("td", {}, r.this_week), el("td", {}, r.weekly_mean_before), el("td", {}, (r.change > 0 ? "+" : "") + r.change)));
  }
  table.append(tbody);
  box.append(table);
}
function updateExports() {
  for (const fmt of ["csv", "geojson"]) {
    const p = filterParams();
    p.set("format", fmt);
    $(`#export-${fmt}`).href = `${API}/events?${p}`;
  }
}

// -- evidence -------------------------------------------------------------------------------------------------
// The article's text cut at every span boundary: each piece knows which fields cover it, so overlapping spans
// (a place inside the evidence sentence, a number inside the trigger phrase) are all shown.
function segments(text, spans) {
  const cuts = new Set([0, text.length]);
  for (const s of spans) { cuts.add(s.start); cuts.add(s.end); }
  const points = [...cuts].filter((x) => x >= 0 && x <= text.length).sort((a, b) => a - b);
  const out = [];
  for (let i = 0; i + 1 < points.length; i++) {
    const [a, b] = [points[i], points[i + 1]];
    out.push({ start: a, end: b, fields: spans.filter((s) => s.start <= a && s.end >= b).map((s) => s.field) });
  }
  return out;
}
function fieldClass(field) {
  if (field === "evidence") return "in-evidence";
  if (field.startsWith("sources[")) return "f-source";
  const f = FIELDS.find(([name]) => name === field);
  return f ? f[2] : "";
}
async function openEvidence(eventId, field) {
  state.event = eventId;
  state.field = field || "evidence.trigger";
  saveState();
  for (const tr of document.querySelectorAll("#events tr.selected")) tr.classList.remove("selected");
  const row = document.querySelector(`#events tr[data-event-id="${CSS.escape(eventId)}"]`);
  if (row) row.classList.add("selected");
  const event = await api(`/events/${encodeURIComponent(eventId)}`);
  const article = await api(`/articles/${encodeURIComponent(event.article_id)}`);
  const spans = article.spans.filter((s) => s.event_id === eventId);
  const pane = $("#evidence");
  const body = $("#evidence-body");
  body.replaceChildren();
  body.append(
    el("h2", {}, article.title || article.article_id),
    el("div", { class: "meta" }, [article.outlet, article.published, event.status, event.incident_id ? "incident " : null].filter(Boolean).join(" · "),
      event.incident_id ? el("a", { href: `?incident=${encodeURIComponent(event.incident_id)}`, onclick: (ev) => { ev.preventDefault(); openIncident(event.incident_id); } }, event.incident_id) : null,
      article.url ? el("div", {}, el("span", {}, "url: "), el("span", { class: "url" }, article.url)) : null),
  );
  const fields = el("div", { class: "fields" });
  const rows = [...FIELDS];
  (event.sources || []).forEach((s, i) => rows.push([`sources[${i}]`, "source", "f-source", () => [s.name, s.role, s.channel].filter(Boolean).join(", ")]));
  for (const [name, label, , value] of rows) {
    const v = value(event);
    if (v == null || v === "") continue;
    const span = spans.find((s) => s.field === name);
    fields.append(el("span", {}, label));
    fields.append(span
      ? el("a", { class: "field-link", dataset: { field: name }, onclick: () => highlight(name) }, String(v))
      : el("span", { class: "nospan", title: "not found in the text (coded from elsewhere)" }, `${v} (no span)`));
  }
  fields.append(el("span", {}, "type"), el("span", {}, [event.event_type, event.mode, event.acled_sub_event_type].filter(Boolean).join(" · ")));
  fields.append(el("span", {}, "confidence"), el("span", {}, event.confidence));
  body.append(fields);
  const textBox = el("div", { class: "article-text", id: "article-text" });
  for (const seg of segments(article.text, spans)) {
    const piece = article.text.slice(seg.start, seg.end);
    if (!seg.fields.length) { textBox.append(piece); continue; }
    textBox.append(el("span", {
      class: ["seg", ...seg.fields.map(fieldClass)].join(" "), dataset: { fields: seg.fields.join(" ") },
    }, piece));
  }
  body.append(textBox);
  pane.hidden = false;
  document.body.classList.add("evidence-open");
  highlight(state.field);
}
function highlight(field) {
  state.field = field;
  saveState();
  for (const s of document.querySelectorAll("#article-text .seg.active")) s.classList.remove("active");
  const hits = [...document.querySelectorAll("#article-text .seg")].filter((s) => s.dataset.fields.split(" ").includes(field));
  for (const s of hits) s.classList.add("active");
  if (hits.length) hits[0].scrollIntoView({ block: "center" });
  $("#evidence").dataset.active = field;
}
function closeEvidence() {
  $("#evidence").hidden = true;
  document.body.classList.remove("evidence-open");
  delete state.event;
  delete state.field;
  saveState();
}

// -- incident page --------------------------------------------------------------------------------------------
async function openIncident(id) {
  state.incident = id;
  saveState();
  const inc = await api(`/incidents/${encodeURIComponent(id)}`);
  $("#dashboard").hidden = true;
  const page = $("#incident-page");
  page.hidden = false;
  page.replaceChildren();
  const place = [inc.location_name, inc.admin1, inc.country].filter(Boolean).join(", ");
  const rec = inc.record;
  const toll = (c) => (c ? [c.low, c.best, c.high].map((v) => v ?? "–").join(" / ") : "–");
  page.append(
    el("p", {}, el("a", { href: "?", onclick: (ev) => { ev.preventDefault(); closeIncident(); } }, "← back to the dashboard")),
    el("h2", {}, `${inc.event_type}${inc.mode ? ` (${inc.mode})` : ""} · ${inc.date_start || "date unknown"} · ${place || "place unknown"}`),
    el("div", { class: "meta" }, `incident ${inc.incident_id} · actor ${inc.actor_name || "–"} · recipient ${inc.recipient_name || "–"}`),
    el("p", {}, `Reported by ${inc.n_articles} article(s) from ${inc.n_outlets} outlet(s): `, el("strong", { id: "outlets" }, inc.outlets || "–"),
      `. Killed low / best / high: ${toll(rec.fatalities)}; wounded: ${toll(rec.injuries)}. `, el("em", {}, rec.reconcile_rule || "")),
    el("h3", {}, "Claims, side by side"),
  );
  const claims = el("div", { class: "claims" });
  for (const c of rec.claims) {
    claims.append(el("div", { class: "claim", dataset: { eventId: c.event_id } },
      el("div", {}, el("strong", {}, c.outlet || "no outlet"), ` · ${c.published || ""}`),
      el("div", { class: "toll" }, `killed ${c.fatalities?.best ?? "–"}`, c.injuries?.best != null ? `, wounded ${c.injuries.best}` : ""),
      el("div", {}, c.sources ? `according to ${c.sources}` : "no source named"),
      el("blockquote", {}, c.sentence || ""),
      el("a", { onclick: () => { closeIncident(); openEvidence(c.event_id, "evidence.trigger"); }, href: "#" }, "show in the article"),
    ));
  }
  page.append(claims, el("h3", {}, "Why these reports were merged"));
  if (!rec.links.length) page.append(el("p", {}, "A single report: nothing was merged."));
  for (const link of rec.links) {
    const list = el("ul", { class: "merge" });
    for (const c of link.criteria) list.append(el("li", { class: c.ok ? "crit-ok" : "crit-no" }, `${c.ok ? "✓" : "✗"} ${c.criterion}: ${c.detail}`));
    page.append(el("div", {}, el("strong", {}, `${link.event_a} + ${link.event_b}`), ` (evidence score ${link.score})`, list));
  }
  page.append(el("h3", {}, "As `sitrep incident` prints it"), el("pre", { class: "explain" }, inc.explanation));
}
function closeIncident() {
  delete state.incident;
  saveState();
  $("#incident-page").hidden = true;
  $("#dashboard").hidden = false;
  map?.resize();
}

// -- commitments page -----------------------------------------------------------------------------------------
const STATUS_CLASS = { broken: "st-broken", compromised: "st-compromised", kept: "st-kept", in_progress: "st-progress" };
async function openCommitments() {
  state.commitments = "1";
  saveState();
  $("#dashboard").hidden = true;
  $("#incident-page").hidden = true;
  $("#commitments-page").hidden = false;
  const data = await api("/commitments", new URLSearchParams([["limit", "1000"]]));
  const body = $("#commitments tbody");
  body.replaceChildren();
  for (const c of data.commitments) {
    body.append(el("tr", { dataset: { id: c.commitment_id }, onclick: () => openCommitment(c.commitment_id) },
      el("td", {}, c.holder_name || "no named holder", c.holder_code ? ` (${c.holder_code})` : ""),
      el("td", {}, `${c.kind} (${c.polarity})`), el("td", {}, c.threshold || ""),
      el("td", {}, c.record.check?.window ? `${c.record.check.window.start} .. ${c.record.check.window.end}` : "–"),
      el("td", { class: STATUS_CLASS[c.status] || "" }, c.status),
      el("td", {}, c.in_count ?? ""), el("td", {}, c.baseline_count ?? ""), el("td", {}, c.n_statements)));
  }
  if (!data.commitments.length) body.append(el("tr", {}, el("td", { colspan: 8 }, "No commitments in this store.")));
  if (state.commitment) await openCommitment(state.commitment);
}
// The events held against a commitment per day: a line over the baseline and the window, the window shaded.
function drawCommitmentLine(daily) {
  const ns = "http://www.w3.org/2000/svg";
  const svg = document.createElementNS(ns, "svg");
  svg.setAttribute("id", "commitment-line");
  svg.setAttribute("width", "700");
  svg.setAttribute("height", "120");
  if (!daily.length) return svg;
  const w = 700, h = 120, pad = 18;
  const max = Math.max(1, ...daily.map((d) => d.events));
  const x = (i) => pad + (i * (w - 2 * pad)) / Math.max(1, daily.length - 1);
  const y = (v) => h - pad - (v * (h - 2 * pad)) / max;
  const first = daily.findIndex((d) => d.period === "in");
  const shade = document.createElementNS(ns, "rect");
  shade.setAttribute("class", "window");
  shade.setAttribute("x", String(x(Math.max(first, 0))));
  shade.setAttribute("y", "0");
  shade.setAttribute("width", String(x(daily.length - 1) - x(Math.max(first, 0)) + 1));
  shade.setAttribute("height", String(h - pad));
  shade.setAttribute("fill", "#fff3bf");
  svg.append(shade);
  const line = document.createElementNS(ns, "polyline");
  line.setAttribute("points", daily.map((d, i) => `${x(i)},${y(d.events)}`).join(" "));
  line.setAttribute("fill", "none");
  line.setAttribute("stroke", "#d1242f");
  line.setAttribute("stroke-width", "2");
  svg.append(line);
  for (const [i, label] of [[0, daily[0].day], [Math.max(first, 0), "window " + daily[Math.max(first, 0)].day], [daily.length - 1, daily[daily.length - 1].day]]) {
    const t = document.createElementNS(ns, "text");
    t.setAttribute("x", String(Math.min(x(i), w - 120)));
    t.setAttribute("y", String(h - 4));
    t.setAttribute("font-size", "10");
    t.textContent = label;
    svg.append(t);
  }
  return svg;
}
async function openCommitment(id) {
  state.commitment = id;
  saveState();
  const c = await api(`/commitments/${encodeURIComponent(id)}`);
  const box = $("#commitment-detail");
  const rec = c.record;
  const st = rec.statement;
  const check = rec.check || {};
  const counts = (k) => (check[k] ? `${check[k].events} events, killed ${check[k].fatalities?.best ?? "–"}` : "–");
  box.replaceChildren(
    el("h3", {}, `${c.holder_name || "no named holder"}: ${c.kind} (${c.polarity}) · `,
      el("span", { class: "status " + (STATUS_CLASS[c.status] || "") }, c.status), ` (rule ${c.status_rule || "–"})`),
    el("blockquote", {}, st.sentence),
    el("p", { class: "meta" }, `said by ${st.source.said_by || "the outlet"} (${st.source.mode}); `,
      `threshold ${c.threshold}; ${rec.testable ? "testable" : "not testable: " + (rec.untestable_reason || "")}`),
    el("p", {}, `In window: ${counts("in_window")} · baseline of the same length before: ${counts("baseline")}`),
    drawCommitmentLine(c.daily || []),
    el("h4", {}, "Statements, side by side"),
    el("ul", { class: "claims-list" }, rec.claims.map((x) => el("li", {}, el("strong", {}, x.statement), ` · ${x.published || ""} ${x.outlet || ""} · ${x.said_by || "narration"}: `, el("em", {}, x.sentence)))),
    el("h4", {}, "Breaches and other events held against it"),
  );
  const list = el("ul", { id: "breach-list" });
  for (const link of c.links) {
    list.append(el("li", { dataset: { relation: link.relation, period: link.period } },
      el("strong", {}, link.relation), ` [${link.period}] ${link.event_type} ${link.date_start || ""} ${link.actor_name || "(actor unknown)"} · rule ${link.rule}: `,
      el("a", { href: "#", onclick: (ev) => { ev.preventDefault(); closeCommitments(); openEvidence(link.event_id, "evidence.trigger"); } }, (link.sentence || "").trim())));
  }
  if (!c.links.length) list.append(el("li", {}, "No events held against it."));
  box.append(list, el("h4", {}, "Status history"),
    el("ol", { id: "status-history" }, c.history.map((h) => el("li", {}, `${h.checked_at.slice(0, 19)} ${h.status} (rule ${h.rule || "–"}; ${h.in_count ?? "–"} in window, ${h.baseline_count ?? "–"} in baseline)`))));
}
function closeCommitments() {
  delete state.commitments;
  delete state.commitment;
  saveState();
  $("#commitments-page").hidden = true;
  $("#dashboard").hidden = false;
  map?.resize();
}

// -- refresh --------------------------------------------------------------------------------------------------
async function refresh({ map: withMap = true, timeline = true } = {}) {
  saveState();
  updateExports();
  // The map's request first: the server answers in the order requests arrive. (Holding the other panels back
  // until the map's answer came made the map no faster: bench/bench_map.py.)
  const jobs = withMap ? [loadMap()] : [];
  jobs.push(loadTable(), loadFacets());
  if (timeline) jobs.push(loadTimeline(), loadChanges());
  try {
    await Promise.all(jobs);
  } catch (err) {
    // already shown in the status line
  }
}

async function start() {
  initForm();
  initBrush();
  initMap();
  // The newest date only matters once a relative window is clicked: fetch it beside the first view, not before.
  const newestDate = api("/stats", new URLSearchParams([["top", "1"], ["status", "all"]])).then((all) => { newest = all.last_date; });
  await Promise.all([newestDate, refresh({ map: true })]);
  if (state.event) openEvidence(state.event, state.field);
  if (state.incident) openIncident(state.incident);
  $("#open-commitments").addEventListener("click", (ev) => { ev.preventDefault(); openCommitments(); });
  $("#close-commitments").addEventListener("click", (ev) => { ev.preventDefault(); closeCommitments(); });
  if (state.commitments) await openCommitments();
  document.body.dataset.ready = "1";
}
start();
