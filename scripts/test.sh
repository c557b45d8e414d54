#!/usr/bin/env bash
# The README's test command: makes PostGIS ready (apt install and start if absent), installs the tools the tests
# call (PROJ's cs2cs/projinfo, GDAL's ogr2ogr, poppler's pdftoppm/pdftotext for the planning sheets), the map
# renderer's font (DejaVu Sans, for Vietnamese labels) and Chromium (headless, for the web map's browser tests,
# frontend/e2e), then runs every test with Maven against the real database.
# Extra arguments go to Maven (e.g. -Dtest=MigrationsTest).
set -euo pipefail
. "$(dirname "$0")/env.sh"
cd "$LANDGIS_ROOT"
find_jdk25
[[ " $* " == *" -Dfrontend.skip=true "* ]] || find_node20   # the web map is built unless skipped
apt_ensure proj-bin gdal-bin fonts-dejavu-core fontconfig poppler-utils chromium
"$LANDGIS_ROOT/scripts/db-up.sh"
# a fresh test database every run: migrations must apply to an empty one
psql_admin -d postgres -c "DROP DATABASE IF EXISTS \"${LANDGIS_DB_NAME}_test\" WITH (FORCE)"
"$LANDGIS_ROOT/scripts/db-up.sh" >/dev/null
mvn_cmd verify "$@"
