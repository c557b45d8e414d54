#!/usr/bin/env bash
# The web map's first load and panning in headless Chromium on loopback (frontend/e2e/bench.mjs): bytes
# transferred (all, JavaScript, tiles), time from navigation to the first complete map render (all tiles of the
# view drawn), frames per second while the view pans 6 px per frame for 3 s. Cold browser context per run.
# Usage: bench/webapp.sh [parcels=20000] [runs=5]      Needs the built jar (mvn package) and chromium.
set -euo pipefail
. "$(dirname "$0")/../scripts/env.sh"
cd "$LANDGIS_ROOT"
find_jdk25
apt_ensure chromium
N="${1:-20000}"; RUNS="${2:-5}"; PORT=8098
export LANDGIS_DB_NAME="${LANDGIS_DB_NAME:-landgis_webbench}"
scripts/db-up.sh >/dev/null
[ -f target/landgis.jar ] || mvn_cmd -q package -DskipTests
[ -d frontend/node_modules/playwright-core ] || (cd frontend && npm ci --no-audit --no-fund)
PSQL=(psql -X -qtA -h "$LANDGIS_DB_HOST" -U "$LANDGIS_DB_USER" -d "$LANDGIS_DB_NAME")
have=$("${PSQL[@]}" -c "SELECT count(*) FROM cadastre.parcel WHERE valid_to IS NULL" 2>/dev/null || echo 0)
if [ "${have:-0}" -lt "$((N * 9 / 10))" ]; then
  log "loading $N generated parcels into $LANDGIS_DB_NAME"
  java -Xmx4g -jar target/landgis.jar demo-load --landgis.demo.parcels="$N" > /tmp/landgis-webbench-load.log 2>&1
fi
java -Xmx1g -jar target/landgis.jar --server.port=$PORT > /tmp/landgis-webbench.log 2>&1 &
PID=$!
trap 'kill $PID 2>/dev/null || true' EXIT
for _ in $(seq 1 90); do curl -sf "localhost:$PORT/actuator/health" >/dev/null && break; sleep 1; done
(cd frontend && node e2e/bench.mjs "http://localhost:$PORT" "$RUNS")
