#!/usr/bin/env bash
# The README's run command: builds landgis, makes PostGIS ready (installing and starting it if absent),
# loads the generated demo district (about 20 000 parcels) on first start, and serves on :8080.
# Extra arguments go to the service (e.g. --server.port=9090).
set -euo pipefail
. "$(dirname "$0")/env.sh"
cd "$LANDGIS_ROOT"
find_jdk25
find_node20
apt_ensure proj-bin gdal-bin fonts-dejavu-core fontconfig
"$LANDGIS_ROOT/scripts/db-up.sh"
log "building target/landgis.jar"
mvn_cmd -q package -DskipTests
log "starting landgis on :${LANDGIS_PORT:-8080} (demo district loads on first start; health: /actuator/health)"
exec java ${LANDGIS_JAVA_OPTS:--Xmx2g} --enable-native-access=ALL-UNNAMED -jar target/landgis.jar \
  --landgis.demo.load-on-start=true "$@"
