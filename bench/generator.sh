#!/usr/bin/env bash
# Times the synthetic cadastre generator: wall time and peak RSS to generate N parcels (default 1 000 000) and
# write them as GeoPackage, GeoJSON and Shapefile. Writes nothing into the repository but its report.
# Usage: bench/generator.sh [parcels] [seed]
set -euo pipefail
. "$(dirname "$0")/../scripts/env.sh"
cd "$LANDGIS_ROOT"
find_jdk25
apt_ensure time
N="${1:-1000000}"; SEED="${2:-1}"
[ -f target/landgis.jar ] || mvn_cmd -q package -DskipTests
OUT="$(mktemp -d)"; trap 'rm -rf "$OUT"' EXIT
run() {  # label, formats
  /usr/bin/time -f "%e %M" -o "$OUT/time" java -Xmx6g --enable-native-access=ALL-UNNAMED -jar target/landgis.jar generate \
    --parcels "$N" --seed "$SEED" --format "$2" --out "$OUT/$1" 2> "$OUT/$1.log"
  read -r secs kb < "$OUT/time"
  printf '| %s | %s | %.1f | %.0f | %s |\n' "$1" "$2" "$secs" "$((kb / 1024))" "$(du -sh "$OUT/$1" | cut -f1)"
}
echo "| run | formats | wall s | peak RSS MiB | output |"
echo "| --- | --- | --- | --- | --- |"
run gpkg gpkg
run geojson geojson
run shp shp
# the peer: GDAL writing the same parcels (read from the generated GeoPackage) as GeoJSON and Shapefile
peer() {  # label, driver, target
  /usr/bin/time -f "%e %M" -o "$OUT/time" ogr2ogr -f "$2" "$OUT/$3" "$OUT/gpkg/district.gpkg" parcels -lco ENCODING=UTF-8 2>/dev/null \
    || /usr/bin/time -f "%e %M" -o "$OUT/time" ogr2ogr -f "$2" "$OUT/$3" "$OUT/gpkg/district.gpkg" parcels
  read -r secs kb < "$OUT/time"
  printf '| %s | ogr2ogr gpkg -> %s (peer) | %.1f | %.0f | %s |\n' "$1" "$2" "$secs" "$((kb / 1024))" "$(du -sh "$OUT/$3" | cut -f1)"
}
peer ogr2ogr-geojson GeoJSON parcels.geojson
peer ogr2ogr-shp "ESRI Shapefile" peer-shp
grep -E "parcels,|^  [a-z]+ " "$OUT/gpkg.log" "$OUT/geojson.log" "$OUT/shp.log" | sed 's/^/    /' >&2
