#!/usr/bin/env bash
# Import of N generated parcels (default 1 000 000) from GeoPackage and from Shapefile: landgis's import (read,
# validate, publish) beside plain `ogr2ogr -f PostgreSQL` with PG_USE_COPY=YES of the same file, in the same run.
# Wall time and peak RSS from /usr/bin/time; landgis's step timings (ImportService/BatchValidator at INFO) after
# each import. Uses the database $LANDGIS_BENCH_DB (default landgis_bench_imports), dropped and created anew on
# every run so that earlier batches cannot slow the staging table down.
# The GeoPackage is imported into an empty register, then again (a re-import of the same district: every parcel
# gets a new version, the case of a corrected delivery); the Shapefile after it is a re-import too. A dry run of a
# small district first applies the migrations, so that no measured run pays for them.
# Usage: bench/imports.sh [parcels]
set -euo pipefail
. "$(dirname "$0")/../scripts/env.sh"
cd "$LANDGIS_ROOT"
find_jdk25
apt_ensure time gdal-bin
N="${1:-1000000}"
DB="${LANDGIS_BENCH_DB:-landgis_bench_imports}"
scripts/db-up.sh >/dev/null
psql_admin -d postgres -c "DROP DATABASE IF EXISTS \"$DB\" WITH (FORCE)"
scripts/db-up.sh "$DB" >/dev/null 2>&1
export LANDGIS_DB_NAME="$DB"
[ -f target/landgis.jar ] || mvn_cmd -q package -DskipTests
OUT=$(mktemp -d); trap 'rm -rf "$OUT"' EXIT
java -Xmx6g -jar target/landgis.jar generate --parcels "$N" --seed 5 --district 703 --format gpkg,shp --out "$OUT/d" 2> "$OUT/gen.log"
java -jar target/landgis.jar generate --parcels 1000 --seed 6 --district 703 --format gpkg --out "$OUT/warm" 2>/dev/null
java -jar target/landgis.jar import --district 703 --dry-run "$OUT/warm/district.gpkg" --logging.level.root=WARN >/dev/null 2>&1
PG="PG:host=$LANDGIS_DB_HOST port=$LANDGIS_DB_PORT dbname=$DB user=$LANDGIS_DB_USER password=$LANDGIS_DB_PASSWORD"
q() { psql -X -q -h "$LANDGIS_DB_HOST" -p "$LANDGIS_DB_PORT" -U "$LANDGIS_DB_USER" -d "$DB" "$@"; }
row() { printf '| %s | %s | %.1f | %.0f |\n' "$1" "$2" "$3" "$4"; }
measure() {  # label, file, command...
  local label=$1 file=$2; shift 2
  /usr/bin/time -f "%e %M" -o "$OUT/time" "$@" > "$OUT/run.log" 2>&1 || { echo "$label failed: $(tail -3 "$OUT/run.log")" >&2; }
  read -r secs kb < "$OUT/time"
  row "$label" "$file" "$secs" "$((kb / 1024))"
}
steps() {  # the import's own breakdown, to stderr
  grep -oE 'batch [0-9]+: .* took [0-9]+ ms' "$OUT/run.log" | sed 's/^batch [0-9]*: /    /' >&2 || true
  grep -E 'published|rejected|validated' "$OUT/run.log" | tail -1 >&2 || true
}
echo "| run | file | wall s | peak RSS MiB |"
echo "| --- | --- | --- | --- |"
for f in district.gpkg parcels.shp; do
  q -c "DROP TABLE IF EXISTS public.bench_ogr"
  measure "ogr2ogr PG_USE_COPY" "$f" env PG_USE_COPY=YES ogr2ogr -f PostgreSQL "$PG" "$OUT/d/$f" $( [ "$f" = district.gpkg ] && echo parcels ) \
    -nln bench_ogr -lco GEOMETRY_NAME=geom -lco SPATIAL_INDEX=GIST -nlt PROMOTE_TO_MULTI
  q -c "DROP TABLE IF EXISTS public.bench_ogr"
  passes="into an empty register|re-import of the district"; [ "$f" = parcels.shp ] && passes="re-import of the district"
  IFS='|'; for pass in $passes; do unset IFS
    # a second landgis run of the same bytes would be a no-op (checksum): forget the earlier batch of this file
    q -c "DELETE FROM staging.import_batch WHERE district_code = '703' AND status <> 'published'; UPDATE staging.import_batch SET checksum = checksum || '-seen' WHERE district_code = '703'" 2>/dev/null || true
    measure "landgis import, $pass" "$f" java -Xmx1g -jar target/landgis.jar import --district 703 "$OUT/d/$f" \
      --logging.level.root=WARN --logging.level.vn.landgis.imports=INFO
    steps
  done
done
grep parcels "$OUT/gen.log" >&2 || true
