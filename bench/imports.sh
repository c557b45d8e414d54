#!/usr/bin/env bash
# Import of N generated parcels (default 1 000 000) from GeoPackage and from Shapefile: landgis's import (read,
# validate, publish) beside plain `ogr2ogr -f PostgreSQL` with PG_USE_COPY=YES of the same file, in the same run.
# Wall time and peak RSS from /usr/bin/time; after each import, landgis's own step timings (ImportService and
# BatchValidator at INFO) and the most the heap held after a garbage collection (-Xlog:gc). Uses the database
# $LANDGIS_BENCH_DB (default landgis_bench_imports), dropped and created anew (migrated by a dry run of a small
# district, not measured) before each file, so that every file is imported into an empty register and no earlier
# batch weighs on the staging table: the first publish into an empty register builds the register's indexes after
# the rows (RegisterRebuild). The GeoPackage is then imported once more with nothing changed (a re-delivery: every
# parcel compared, none re-versioned), then a second district of the same size (794, seed 7) is imported into the
# register that holds the first: its publish maintains the indexes and keys row by row, as every later delivery does.
# Last, the GeoPackage's parcels in UTM 48N (a delivery from QGIS), beside ogr2ogr of that file.
# Usage: bench/imports.sh [parcels]
set -euo pipefail
. "$(dirname "$0")/../scripts/env.sh"
cd "$LANDGIS_ROOT"
find_jdk25
apt_ensure time gdal-bin
N="${1:-1000000}"
DB="${LANDGIS_BENCH_DB:-landgis_bench_imports}"
scripts/db-up.sh >/dev/null
[ -f target/landgis.jar ] || mvn_cmd -q package -DskipTests
OUT=$(mktemp -d); trap 'rm -rf "$OUT"' EXIT
java -Xmx6g -jar target/landgis.jar generate --parcels "$N" --seed 5 --district 703 --format gpkg,shp --out "$OUT/d" 2> "$OUT/gen.log"
java -jar target/landgis.jar generate --parcels 1000 --seed 6 --district 703 --format gpkg --out "$OUT/warm" 2>/dev/null
# a second district of the same size, delivered after the first: its publish goes into a register that is not empty
java -Xmx6g -jar target/landgis.jar generate --parcels "$N" --seed 7 --district 794 --format gpkg --out "$OUT/d794" 2>/dev/null
PG="PG:host=$LANDGIS_DB_HOST port=$LANDGIS_DB_PORT dbname=$DB user=$LANDGIS_DB_USER password=$LANDGIS_DB_PASSWORD"
q() { psql -X -q -h "$LANDGIS_DB_HOST" -p "$LANDGIS_DB_PORT" -U "$LANDGIS_DB_USER" -d "$DB" "$@"; }
fresh_db() {
  psql_admin -d postgres -c "DROP DATABASE IF EXISTS \"$DB\" WITH (FORCE)"
  scripts/db-up.sh "$DB" >/dev/null 2>&1
  LANDGIS_DB_NAME="$DB" java -jar target/landgis.jar import --district 703 --dry-run "$OUT/warm/district.gpkg" --logging.level.root=WARN >/dev/null 2>&1
}
row() { printf '| %s | %s | %.1f | %.0f |\n' "$1" "$2" "$3" "$4"; }
measure() {  # label, file, command...
  local label=$1 file=$2; shift 2
  /usr/bin/time -f "%e %M" -o "$OUT/time" "$@" > "$OUT/run.log" 2>&1 || { echo "$label failed: $(tail -3 "$OUT/run.log")" >&2; }
  read -r secs kb < <(tail -1 "$OUT/time")   # after "Command exited with non-zero status" when the run failed
  row "$label" "$file" "$secs" "$((kb / 1024))"
}
steps() {  # the import's own breakdown, to stderr
  grep -oE 'batch [0-9]+: .* took [0-9]+ ms' "$OUT/run.log" | sed 's/^batch [0-9]*: /    /' >&2 || true
  grep -E 'published|rejected|validated' "$OUT/run.log" | tail -1 >&2 || true
  # the most the heap held right after a collection: what the import keeps, not what the collector let pile up
  grep -oE -- '->[0-9]+M' "$OUT/gc.log" | tr -d '>M-' | sort -n | tail -1 | sed 's/^/    heap after GC, most: /; s/$/ MiB/' >&2 || true
}
landgis() {  # label, file [district [directory]]
  rm -f "$OUT/gc.log"
  measure "$1" "$2" env LANDGIS_DB_NAME="$DB" java -Xmx1g "-Xlog:gc:file=$OUT/gc.log" -jar target/landgis.jar import --district "${3:-703}" "$OUT/${4:-d}/$2" \
    --logging.level.root=WARN --logging.level.vn.landgis.imports=INFO --logging.threshold.console=INFO
  steps
}
echo "| run | file | wall s | peak RSS MiB |"
echo "| --- | --- | --- | --- |"
for f in district.gpkg parcels.shp; do
  fresh_db
  measure "ogr2ogr PG_USE_COPY" "$f" env PG_USE_COPY=YES ogr2ogr -f PostgreSQL "$PG" "$OUT/d/$f" $( [ "$f" = district.gpkg ] && echo parcels ) \
    -nln bench_ogr -lco GEOMETRY_NAME=geom -lco SPATIAL_INDEX=GIST -nlt PROMOTE_TO_MULTI
  q -c "DROP TABLE public.bench_ogr"
  landgis "landgis import into an empty register (read, validate, publish)" "$f"
  if [ "$f" = district.gpkg ]; then
    # the same content again (the checksum forgotten, or it would be refused unread): a re-delivery changing nothing
    q -c "UPDATE staging.import_batch SET checksum = checksum || '-seen' WHERE district_code = '703'"
    landgis "landgis re-import, nothing changed" "$f"
    # another district into the register that now holds the first: indexes and keys maintained row by row
    landgis "landgis import of district 794 into the register holding 703" "$f" 794 d794
    # the same first load through scripts/landgis (unpacked jar, AOT class cache; its training run not measured)
    LANDGIS_DB_NAME="$DB" scripts/landgis import --district 703 --dry-run "$OUT/warm/district.gpkg" --logging.level.root=WARN >/dev/null 2>&1
    fresh_db
    rm -f "$OUT/gc.log"
    measure "landgis import into an empty register, through scripts/landgis" "$f" env LANDGIS_DB_NAME="$DB" \
      JAVA_OPTS="-Xmx1g -Xlog:gc:file=$OUT/gc.log" scripts/landgis import --district 703 "$OUT/d/$f" \
      --logging.level.root=WARN --logging.level.vn.landgis.imports=INFO --logging.threshold.console=INFO
    steps
  fi
done
# the GeoPackage as a district working in QGIS sends it, in UTM 48N: PostGIS transforms it, the per-parcel checks are
# SQL passes over the staged batch and the overlaps and gaps are checked on the staged parcels read back sheet by sheet
ogr2ogr -f GPKG -t_srs EPSG:32648 "$OUT/d/utm.gpkg" "$OUT/d/district.gpkg" parcels
fresh_db
measure "ogr2ogr PG_USE_COPY" utm.gpkg env PG_USE_COPY=YES ogr2ogr -f PostgreSQL "$PG" "$OUT/d/utm.gpkg" \
  -nln bench_ogr -lco GEOMETRY_NAME=geom -lco SPATIAL_INDEX=GIST -nlt PROMOTE_TO_MULTI
q -c "DROP TABLE public.bench_ogr"
landgis "landgis import into an empty register (read, validate, publish)" utm.gpkg
grep parcels "$OUT/gen.log" >&2 || true
