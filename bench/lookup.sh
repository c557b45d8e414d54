#!/usr/bin/env bash
# Point look-up on N parcels (default 1 000 000): landgis over HTTP (wrk) beside the same SQL straight into
# PostgreSQL (pgbench), in the same run, 16 concurrent clients each for DURATION seconds (default 60).
# Uses its own database (landgis_bench); loads the generated district once. Prints a Markdown table.
# Usage: bench/lookup.sh [parcels] [duration]
set -euo pipefail
. "$(dirname "$0")/../scripts/env.sh"
cd "$LANDGIS_ROOT"
find_jdk25
apt_ensure wrk
N="${1:-1000000}"; DURATION="${2:-60}"; CLIENTS=16; PORT=8097
export LANDGIS_DB_NAME=landgis_bench
scripts/db-up.sh >/dev/null
[ -f target/landgis.jar ] || mvn_cmd -q package -DskipTests
have=$(psql -X -qtA -h "$LANDGIS_DB_HOST" -U "$LANDGIS_DB_USER" -d landgis_bench -c "SELECT count(*) FROM cadastre.parcel" 2>/dev/null || echo 0)
if [ "${have:-0}" -lt "$((N * 9 / 10))" ]; then
  log "loading $N generated parcels into landgis_bench (once)"
  java -Xmx8g -jar target/landgis.jar demo-load --landgis.demo.parcels="$N" --landgis.demo.seed=1 > /tmp/landgis-bench-load.log 2>&1
  psql -X -q -h "$LANDGIS_DB_HOST" -U "$LANDGIS_DB_USER" -d landgis_bench -c "VACUUM ANALYZE cadastre.parcel"
fi
read -r WEST SOUTH EAST NORTH < <(psql -X -qtA -F' ' -h "$LANDGIS_DB_HOST" -U "$LANDGIS_DB_USER" -d landgis_bench -c \
  "SELECT ST_XMin(e), ST_YMin(e), ST_XMax(e), ST_YMax(e) FROM (SELECT ST_Transform(ST_SetSRID(ST_Extent(geom)::geometry, 9210), 4326) e
   FROM cadastre.parcel WHERE valid_to IS NULL) x")
export WEST SOUTH EAST NORTH
COUNT=$(psql -X -qtA -h "$LANDGIS_DB_HOST" -U "$LANDGIS_DB_USER" -d landgis_bench -c "SELECT count(*) FROM cadastre.parcel WHERE valid_to IS NULL")

java -Xmx2g -jar target/landgis.jar --server.port=$PORT --logging.level.root=WARN > /tmp/landgis-bench-server.log 2>&1 &
APP=$!; trap 'kill $APP 2>/dev/null || true' EXIT
for _ in $(seq 120); do curl -fs "localhost:$PORT/actuator/health" >/dev/null 2>&1 && break; sleep 1; done
# warm up both sides
wrk -t2 -c$CLIENTS -d10s -s bench/lookup-wrk.lua "http://127.0.0.1:$PORT" >/dev/null
OUT=$(mktemp -d)
echo "| side | clients | seconds | throughput /s | p50 ms | p99 ms |"
echo "| --- | --- | --- | --- | --- | --- |"
for CLIENTS in 16 4; do
  wrk -t2 -c$CLIENTS -d"${DURATION}s" --latency -s bench/lookup-wrk.lua "http://127.0.0.1:$PORT" > "$OUT/wrk.txt"
  rm -f "$OUT"/pgb*
  pgbench -n -h "$LANDGIS_DB_HOST" -U "$LANDGIS_DB_USER" -c$CLIENTS -j2 -T"$DURATION" -f bench/lookup-pgbench.sql \
    -D west="$WEST" -D south="$SOUTH" -D east="$EAST" -D north="$NORTH" -l --log-prefix="$OUT/pgb" landgis_bench > "$OUT/pgbench.txt" 2>&1
  pg_tps=$(awk '/^tps/ {print $3; exit}' "$OUT/pgbench.txt")
  read -r pg_p50 pg_p99 < <(cat "$OUT"/pgb* | awk '{print $3/1000}' | sort -n | awk '{a[NR]=$1} END {print a[int(NR*0.5)], a[int(NR*0.99)]}')
  wrk_rps=$(awk '/^Requests\/sec/ {print $2}' "$OUT/wrk.txt")
  read -r p50 p99 < <(awk -F'[= ]' '/^p50_ms/ {print $2, $6}' "$OUT/wrk.txt")
  non2xx=$(awk '/Non-2xx/ {print $5}' "$OUT/wrk.txt")
  printf '| landgis GET /api/parcels/at (wrk) | %s | %s | %s | %s | %s |\n' $CLIENTS "$DURATION" "$wrk_rps" "$p50" "$p99"
  printf '| same SQL in PostgreSQL (pgbench) | %s | %s | %.1f | %s | %s |\n' $CLIENTS "$DURATION" "$pg_tps" "$pg_p50" "$pg_p99"
  printf '| ratio landgis / raw SQL, %s clients | | | %s | | |\n' $CLIENTS "$(awk -v a="$wrk_rps" -v b="$pg_tps" 'BEGIN {printf "%.2f", a / b}')"
  # the same SQL prepared once with a generic plan, as the service's hot-path pool runs it (vn.landgis.platform.HotPathJdbc)
  rm -f "$OUT"/pgb*
  PGOPTIONS='-c plan_cache_mode=force_generic_plan' pgbench -n -M prepared -h "$LANDGIS_DB_HOST" -U "$LANDGIS_DB_USER" -c$CLIENTS -j2 -T"$DURATION" \
    -f bench/lookup-pgbench.sql -D west="$WEST" -D south="$SOUTH" -D east="$EAST" -D north="$NORTH" -l --log-prefix="$OUT/pgb" landgis_bench > "$OUT/pgbench.txt" 2>&1
  gen_tps=$(awk '/^tps/ {print $3; exit}' "$OUT/pgbench.txt")
  read -r gen_p50 gen_p99 < <(cat "$OUT"/pgb* | awk '{print $3/1000}' | sort -n | awk '{a[NR]=$1} END {print a[int(NR*0.5)], a[int(NR*0.99)]}')
  printf '| same SQL prepared, generic plan (pgbench -M prepared) | %s | %s | %.1f | %s | %s |\n' $CLIENTS "$DURATION" "$gen_tps" "$gen_p50" "$gen_p99"
  printf '| ratio landgis / prepared generic SQL, %s clients | | | %s | | |\n' $CLIENTS "$(awk -v a="$wrk_rps" -v b="$gen_tps" 'BEGIN {printf "%.2f", a / b}')"
  echo "$CLIENTS clients: ${non2xx:-0} of the wrk answers were 404 (no parcel within 5 m)" >> "$OUT/notes"
done
echo
echo "parcels: $COUNT current; points: uniform in the district's extent ($WEST $SOUTH $EAST $NORTH)"
cat "$OUT/notes"
rm -rf "$OUT"
