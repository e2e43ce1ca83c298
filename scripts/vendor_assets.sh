#!/usr/bin/env bash
# Copy the dashboard's third-party files from npm into src/sitrep/serve/static/vendor/, unmodified, with their
# licences. Run by hand when upgrading (the files are committed; nothing is fetched at run time).
#   maplibre-gl      BSD-3-Clause   the map (ES module build: maplibre-gl.mjs loads maplibre-gl-worker.mjs)
#   topojson-client  ISC            turns world-atlas TopoJSON into GeoJSON in the browser
#   world-atlas      ISC; the data  Natural Earth 1:110m and 1:50m country outlines (public domain)
set -euo pipefail
MAPLIBRE=6.20.0
TOPOJSON=3.1.0
WORLD_ATLAS=2.0.2

cd "$(dirname "$0")/.."
DEST=src/sitrep/serve/static/vendor
TMP=$(mktemp -d)
trap 'rm -rf "$TMP"' EXIT
(cd "$TMP" && npm pack --silent "maplibre-gl@$MAPLIBRE" "topojson-client@$TOPOJSON" "world-atlas@$WORLD_ATLAS" >/dev/null)
for pkg in maplibre-gl topojson-client world-atlas; do
  mkdir -p "$TMP/$pkg"
  tar xzf "$TMP"/"$pkg"-*.tgz -C "$TMP/$pkg"
done
rm -rf "$DEST"
mkdir -p "$DEST/maplibre-gl" "$DEST/topojson-client" "$DEST/world-atlas"
cp "$TMP/maplibre-gl/package/dist/maplibre-gl.mjs" "$TMP/maplibre-gl/package/dist/maplibre-gl-worker.mjs" \
   "$TMP/maplibre-gl/package/dist/maplibre-gl.css" "$TMP/maplibre-gl/package/LICENSE.txt" "$DEST/maplibre-gl/"
cp "$TMP/topojson-client/package/dist/topojson-client.min.js" "$TMP/topojson-client/package/LICENSE" \
   "$DEST/topojson-client/"
cp "$TMP/world-atlas/package/countries-110m.json" "$TMP/world-atlas/package/countries-50m.json" \
   "$TMP/world-atlas/package/LICENSE" "$DEST/world-atlas/"
cat > "$DEST/VERSIONS" <<VERSIONS
maplibre-gl $MAPLIBRE (npm; BSD-3-Clause, LICENSE.txt)
topojson-client $TOPOJSON (npm; ISC, LICENSE)
world-atlas $WORLD_ATLAS (npm; ISC; Natural Earth data, public domain)
VERSIONS
(cd "$DEST" && sha256sum */* > SHA256SUMS)
echo "vendored into $DEST:"
cat "$DEST/VERSIONS"
