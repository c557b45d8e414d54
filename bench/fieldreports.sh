#!/usr/bin/env bash
# Sustained Open311 submission: POST /open311/v2/requests.json with geolocation (province check, old and new
# commune, district, parcel within 5 m, planning zone, routing, submission keys) by 16, then 4, concurrent wrk
# clients for DURATION seconds each (default 60), on a generated district of N parcels (default 100 000) in its own database.
# The rate limit is lifted for the run (all clients share one address). Prints a Markdown table.
# Usage: bench/fieldreports.sh [parcels] [duration]
set -euo pipefail
. "$(dirname "$0")/../scripts/env.sh"
cd "$LANDGIS_ROOT"
find_jdk25
apt_ensure wrk
N="${1:-100000}"; DURATION="${2:-60}"; PORT=8098
export LANDGIS_DB_NAME=landgis_fieldreports_bench
scripts/db-up.sh >/dev/null
[ -f target/landgis.jar ] || mvn_cmd -q package -DskipTests
q() { psql -X -qtA -F' ' -h "$LANDGIS_DB_HOST" -U "$LANDGIS_DB_USER" -d "$LANDGIS_DB_NAME" -c "$1"; }
have=$(q "SELECT count(*) FROM cadastre.parcel" 2>/dev/null || echo 0)
if [ "${have:-0}" -lt "$((N * 9 / 10))" ]; then
  log "loading $N generated parcels into $LANDGIS_DB_NAME (once)"
  java -Xmx4g -jar target/landgis.jar demo-load --landgis.demo.parcels="$N" --landgis.demo.seed=1 > /tmp/landgis-fr-bench-load.log 2>&1
  q "VACUUM ANALYZE cadastre.parcel" >/dev/null
fi
read -r WEST SOUTH EAST NORTH < <(q "SELECT ST_XMin(e), ST_YMin(e), ST_XMax(e), ST_YMax(e) FROM (SELECT ST_Transform(ST_SetSRID(
   ST_Extent(geom)::geometry, 9210), 4326) e FROM cadastre.parcel WHERE valid_to IS NULL) x")
export WEST SOUTH EAST NORTH
before=$(q "SELECT count(*) FROM fieldreports.report")

java -Xmx2g -jar target/landgis.jar --server.port=$PORT --logging.level.root=WARN \
  --landgis.fieldreports.rate-limit-requests=1000000000 > /tmp/landgis-fr-bench-server.log 2>&1 &
APP=$!; trap 'kill $APP 2>/dev/null || true' EXIT
for _ in $(seq 120); do curl -fs "localhost:$PORT/actuator/health" >/dev/null 2>&1 && break; sleep 1; done
wrk -t2 -c16 -d10s -s bench/fieldreports-wrk.lua "http://127.0.0.1:$PORT" >/dev/null   # warm-up
OUT=$(mktemp)
cpu() { awk '{print $14 + $15}' "/proc/$APP/stat"; }   # the service's CPU time so far, in clock ticks
# the CPU time of the service's PostgreSQL backends (Hikari keeps them open for the whole run)
pgcpu() {
  local t=0 p
  for p in $(q "SELECT pid FROM pg_stat_activity WHERE datname = current_database() AND application_name LIKE 'PostgreSQL JDBC%'"); do
    t=$((t + $(awk '{print $14 + $15}' "/proc/$p/stat" 2>/dev/null || echo 0)))
  done
  echo $t
}
HZ=$(getconf CLK_TCK)
echo "| clients | seconds | submissions /s | p50 ms | p90 ms | p99 ms | non-2xx | service CPU ms / report | PostgreSQL CPU ms / report | load avg before / after |"
echo "| --- | --- | --- | --- | --- | --- | --- | --- | --- | --- |"
for CLIENTS in 16 4; do
  mid=$(q "SELECT count(*) FROM fieldreports.report"); cpu0=$(cpu); pg0=$(pgcpu); load0=$(cut -d' ' -f1 /proc/loadavg)
  wrk -t2 -c$CLIENTS -d"${DURATION}s" --latency -s bench/fieldreports-wrk.lua "http://127.0.0.1:$PORT" > "$OUT"
  after=$(q "SELECT count(*) FROM fieldreports.report"); cpu1=$(cpu); pg1=$(pgcpu); load1=$(cut -d' ' -f1 /proc/loadavg)
  rps=$(awk '/^Requests\/sec/ {print $2}' "$OUT")
  read -r p50 p90 p99 < <(awk -F'[= ]' '/^p50_ms/ {print $2, $4, $6}' "$OUT")
  non2xx=$(awk '/Non-2xx/ {print $5}' "$OUT")
  per() { awk -v t="$1" -v n=$((after - mid)) -v hz="$HZ" 'BEGIN {printf "%.2f", 1000 * t / hz / n}'; }
  printf '| %s | %s | %s | %s | %s | %s | %s | %s | %s | %s / %s |\n' $CLIENTS "$DURATION" "$rps" "$p50" "$p90" "$p99" "${non2xx:-0}" \
    "$(per $((cpu1 - cpu0)))" "$(per $((pg1 - pg0)))" "$load0" "$load1"
done
echo
echo "parcels: $(q "SELECT count(*) FROM cadastre.parcel WHERE valid_to IS NULL") current; reports stored by warm-up and runs: $(( $(q "SELECT count(*) FROM fieldreports.report") - before ))"
echo "placed on a parcel: $(q "SELECT round(100.0 * count(parcel_id) / count(*), 1) FROM fieldreports.report") % (points uniform in the district's extent; 5 m tolerance)"
rm -f "$OUT"
