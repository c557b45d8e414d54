#!/usr/bin/env bash
# Import of N generated parcels (default 1 000 000) from GeoPackage and from Shapefile: landgis's import (read,
# validate, publish) beside plain `ogr2ogr -f PostgreSQL` with PG_USE_COPY=YES of the same file, in the same run.
# Wall time and peak RSS from /usr/bin/time. Uses the database landgis_bench.
# Usage: bench/imports.sh [parcels]
set -euo pipefail
. "$(dirname "$0")/../scripts/env.sh"
cd "$LANDGIS_ROOT"
find_jdk25
apt_ensure time gdal-bin
N="${1:-1000000}"
export LANDGIS_DB_NAME=landgis_bench
scripts/db-up.sh >/dev/null
[ -f target/landgis.jar ] || mvn_cmd -q package -DskipTests
OUT=$(mktemp -d); trap 'rm -rf "$OUT"' EXIT
java -Xmx6g -jar target/landgis.jar generate --parcels "$N" --seed 5 --district 703 --format gpkg,shp --out "$OUT/d" 2> "$OUT/gen.log"
PG="PG:host=$LANDGIS_DB_HOST port=$LANDGIS_DB_PORT dbname=landgis_bench user=$LANDGIS_DB_USER password=$LANDGIS_DB_PASSWORD"
row() { printf '| %s | %s | %.1f | %.0f |\n' "$1" "$2" "$3" "$4"; }
measure() {  # label, file, command...
  local label=$1 file=$2; shift 2
  /usr/bin/time -f "%e %M" -o "$OUT/time" "$@" > "$OUT/$label.log" 2>&1 || { echo "$label failed: $(tail -3 "$OUT/$label.log")" >&2; }
  read -r secs kb < "$OUT/time"
  row "$label" "$file" "$secs" "$((kb / 1024))"
}
echo "| run | file | wall s | peak RSS MiB |"
echo "| --- | --- | --- | --- |"
for f in district.gpkg parcels.shp; do
  psql -X -q -h "$LANDGIS_DB_HOST" -U "$LANDGIS_DB_USER" -d landgis_bench -c "DROP TABLE IF EXISTS public.bench_ogr"
  measure "ogr2ogr PG_USE_COPY" "$f" env PG_USE_COPY=YES ogr2ogr -f PostgreSQL "$PG" "$OUT/d/$f" $( [ "$f" = district.gpkg ] && echo parcels ) \
    -nln bench_ogr -lco GEOMETRY_NAME=geom -lco SPATIAL_INDEX=GIST -nlt PROMOTE_TO_MULTI
  # a second landgis run of the same bytes would be a no-op (checksum): forget the earlier batch of this file
  psql -X -q -h "$LANDGIS_DB_HOST" -U "$LANDGIS_DB_USER" -d landgis_bench -c "DELETE FROM staging.import_batch WHERE district_code = '703'" 2>/dev/null || true
  measure "landgis import (read, validate, publish)" "$f" java -Xmx1g -jar target/landgis.jar import --district 703 "$OUT/d/$f" --logging.level.root=WARN
  tail -12 "$OUT/landgis import (read, validate, publish).log" | grep -v '^\[' >&2 || true
done
psql -X -q -h "$LANDGIS_DB_HOST" -U "$LANDGIS_DB_USER" -d landgis_bench -c "DROP TABLE IF EXISTS public.bench_ogr"
grep parcels "$OUT/gen.log" >&2
