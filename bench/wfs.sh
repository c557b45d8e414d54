#!/usr/bin/env bash
# WFS 2.0 GetFeature by BBOX, landgis beside MapServer 8 on the SAME rows of landgis_bench, same run (the kit's
# bench.sh): pages of 100 features (zoom-16 tiles) and of up to 5 000 features (zoom-14 tiles), as GeoJSON and as
# GML 3.2, output in EPSG:3857; then a GetFeature of every parcel with a 256 MB heap (streaming).
# Usage: bench/wfs.sh [parcels=200000] [duration=15s]      Needs the data and peer view that bench/wms.sh makes.
set -euo pipefail
. "$(dirname "$0")/../scripts/env.sh"
cd "$LANDGIS_ROOT"
find_jdk25
N="${1:-200000}"; DURATION="${2:-15s}"; PORT=8097
KIT="${PEER_KIT:-$LANDGIS_ROOT/../shared/peers/mapserver}"
export LANDGIS_DB_NAME=landgis_bench
[ -f target/landgis.jar ] || mvn_cmd -q package -DskipTests
PSQL=(psql -X -qtA -h "$LANDGIS_DB_HOST" -U "$LANDGIS_DB_USER" -d landgis_bench)
have=$("${PSQL[@]}" -c "SELECT count(*) FROM cadastre.parcel WHERE valid_to IS NULL" 2>/dev/null || echo 0)
[ "${have:-0}" -ge "$((N * 9 / 10))" ] || die "landgis_bench lacks the data: run bench/wms.sh $N first"
"${PSQL[@]}" -c "SELECT 1 FROM peer.parcels LIMIT 1" >/dev/null || die "no peer.parcels view: run bench/wms.sh first"
OUT="${BENCH_OUT:-/tmp/landgis-bench-wfs/$(date -u +%Y%m%dT%H%M%SZ)}"; mkdir -p "$OUT"
export PGDATABASE=landgis_bench PGUSER="$LANDGIS_DB_ADMIN_USER" PARCELS_TABLE=peer.parcels ZONES_TABLE=none REPORTS_TABLE=none \
       PEER_STATE=/tmp/mapserver-peer-landgis PEER_PORT=8181 PEER_PROCS=2
"$KIT/stop.sh" >/dev/null 2>&1 || true
"$KIT/start.sh" > "$OUT/peer-start.log" 2>&1 || { cat "$OUT/peer-start.log"; exit 1; }
java -Xmx2g -jar target/landgis.jar --server.port=$PORT --logging.level.root=WARN > "$OUT/landgis.log" 2>&1 &
APP=$!; trap 'kill $APP 2>/dev/null || true; "$KIT/stop.sh" >/dev/null 2>&1 || true' EXIT
for _ in $(seq 120); do curl -fs "localhost:$PORT/actuator/health" >/dev/null 2>&1 && break; sleep 1; done
"$KIT/bench/make_tiles.sh" 16 > "$OUT/tiles-z16.txt"
TILE_MIN_FEATURES=1000 "$KIT/bench/make_tiles.sh" 14 > "$OUT/tiles-z14.txt"

for size in 100 5000; do
  tiles="$OUT/tiles-z16.txt"; [ "$size" = 5000 ] && tiles="$OUT/tiles-z14.txt"
  # GeoJSON: the kit's bench.sh (smoke run, warm-up, interleaved runs)
  name="count${size}-geojson"
  BENCH_OUT="$OUT/$name" BENCH_TESTS=wfs TILE_FILE="$tiles" WFS_COUNT=$size BENCH_DURATION="$DURATION" \
    BENCH_CONNECTIONS="${BENCH_CONNECTIONS:-2 4}" \
    "$KIT/bench.sh" peer=http://127.0.0.1:8181/ows landgis=http://127.0.0.1:$PORT/ows > "$OUT/$name.txt" 2>&1 \
    || { cat "$OUT/$name.txt"; exit 1; }
  echo "## $name"; cut -f1-9 "$OUT/$name/summary.tsv"; echo
  # GML 3.2: the kit's script wants JSON, so our own wrk script, same tiles, both targets in turn
  echo "## count${size}-gml"
  printf 'conns\ttarget\trps\tp50_ms\tp99_ms\trequests\terrors\tbad\n'
  for url in http://127.0.0.1:8181/ows http://127.0.0.1:$PORT/ows; do
    wrk -t2 -c2 -d5s -s bench/wfs-gml-wrk.lua "$url" -- "$tiles" $size > /dev/null
  done
  for c in ${BENCH_CONNECTIONS:-2 4}; do
    for t in peer=http://127.0.0.1:8181/ows landgis=http://127.0.0.1:$PORT/ows; do
      r=$(wrk -t2 -c$c -d"$DURATION" -s bench/wfs-gml-wrk.lua "${t#*=}" -- "$tiles" $size | awk '/^RESULT/')
      echo "$r" | awk -v c=$c -v t="${t%%=*}" '{for (i=2;i<=NF;i++){split($i,a,"="); v[a[1]]=a[2]}
        printf "%s\t%s\t%s\t%s\t%s\t%s\t%s\t%s\n", c, t, v["rps"], v["p50_ms"], v["p99_ms"], v["requests"], v["errors"], v["bad"]}'
    done
  done
  echo
done

# every parcel in one answer, with a 256 MB heap: the answer streams
kill $APP; wait $APP 2>/dev/null || true
java -Xmx256m -jar target/landgis.jar --server.port=$PORT --logging.level.root=WARN > "$OUT/landgis-256m.log" 2>&1 &
APP=$!
for _ in $(seq 120); do curl -fs "localhost:$PORT/actuator/health" >/dev/null 2>&1 && break; sleep 1; done
for format in application/json "application/gml%2Bxml;%20version%3D3.2"; do
  curl -s -o /dev/null -w "all parcels, $format: HTTP %{http_code}, %{size_download} bytes in %{time_total} s\n" \
    "http://127.0.0.1:$PORT/ows?SERVICE=WFS&VERSION=2.0.0&REQUEST=GetFeature&TYPENAMES=parcels&OUTPUTFORMAT=$format"
done
echo "peak RSS of the 256 MB-heap JVM: $(awk '/VmHWM/ {print $2/1024 " MB"}' /proc/$APP/status)"
grep -c OutOfMemory "$OUT/landgis-256m.log" | sed 's/^/OutOfMemoryError lines in its log: /'
echo "raw results: $OUT"
