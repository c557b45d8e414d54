#!/usr/bin/env bash
# Planning overlay of parcels on a province-size data set: N generated parcels (default 1 000 000, the same
# landgis_bench as bench/lookup.sh) under the demo zoning plan plus a plan of 20 000 zones (Voronoi cells of random
# points of the district, clipped to it, made once), with the demo's planned roads; 16 concurrent clients for
# DURATION seconds (default 60) on GET /api/parcels/{id}/planning at random parcels, beside pgbench running the
# overlay's two statements (zones cut by the parcel, road reserves cut by it) straight in PostgreSQL.
# Usage: bench/planning.sh [parcels] [duration]
set -euo pipefail
. "$(dirname "$0")/../scripts/env.sh"
cd "$LANDGIS_ROOT"
find_jdk25
apt_ensure wrk
N="${1:-1000000}"; DURATION="${2:-60}"; PORT=8098
export LANDGIS_DB_NAME=landgis_bench
scripts/db-up.sh >/dev/null
[ -f target/landgis.jar ] || mvn_cmd -q package -DskipTests -Dfrontend.skip=true
PSQL=(psql -X -qtA -h "$LANDGIS_DB_HOST" -U "$LANDGIS_DB_USER" -d landgis_bench)
have=$("${PSQL[@]}" -c "SELECT count(*) FROM cadastre.parcel" 2>/dev/null || echo 0)
if [ "${have:-0}" -lt "$((N * 9 / 10))" ]; then
  log "loading $N generated parcels into landgis_bench (once)"
  java -Xmx8g -jar target/landgis.jar demo-load --landgis.demo.parcels="$N" --landgis.demo.seed=1 > /tmp/landgis-bench-load.log 2>&1
  "${PSQL[@]}" -c "VACUUM ANALYZE cadastre.parcel"
fi
# the service migrates the database first (the jar may be newer than the load)
java -Xmx2g -jar target/landgis.jar --server.port=$PORT --logging.level.root=WARN > /tmp/landgis-bench-planning.log 2>&1 &
APP=$!; trap 'kill $APP 2>/dev/null || true' EXIT
for _ in $(seq 120); do curl -fs "localhost:$PORT/actuator/health" >/dev/null 2>&1 && break; sleep 1; done
if [ "$("${PSQL[@]}" -c "SELECT count(*) FROM planning.plan WHERE name = 'Bench: 20 000 zones'")" = 0 ]; then
  log "making a plan of 20 000 zones (once)"
  "${PSQL[@]}" <<'SQL'
WITH p AS (INSERT INTO planning.plan (kind, name, scale, decision_no, decision_date, decision_body, status)
           VALUES ('general', 'Bench: 20 000 zones', 5000, 'BENCH/QĐ', DATE '2025-01-01', 'bench/planning.sh', 'in_force') RETURNING id),
     d AS (SELECT ST_Union(geom) AS g FROM cadastre.admin_unit_legacy WHERE level = 'commune' AND geom IS NOT NULL),
     v AS (SELECT (ST_Dump(ST_VoronoiPolygons(ST_GeneratePoints(d.g, 20000, 42), 0, d.g))).geom AS cell FROM d)
INSERT INTO planning.zone (plan_id, zone_code, land_use_code, building_density, max_floors, floor_area_ratio, geom)
SELECT p.id, 'B-' || n, (ARRAY['ODT', 'ONT', 'TMD', 'CLN', 'LUC', 'DGT', 'SKC', 'DGD'])[1 + n % 8], 40 + n % 30, 1 + n % 9, 1.5,
       ST_Multi(ST_CollectionExtract(ST_Intersection(c.cell, d.g), 3))
  FROM p, d, (SELECT cell, row_number() OVER () AS n FROM v) c
 WHERE ST_Intersects(c.cell, d.g);
ANALYZE planning.zone;
SQL
fi
ZONES=$("${PSQL[@]}" -c "SELECT count(*) FROM planning.zone z JOIN planning.plan p ON p.id = z.plan_id AND p.status = 'in_force'")
read -r MIN MAX COUNT < <("${PSQL[@]}" -F' ' -c "SELECT min(parcel_id), max(parcel_id), count(*) FROM cadastre.parcel WHERE valid_to IS NULL")
export MIN MAX
wrk -t2 -c16 -d10s -s bench/planning-wrk.lua "http://127.0.0.1:$PORT" >/dev/null   # warm-up
OUT=$(mktemp -d)
echo "| side | clients | seconds | requests /s | p50 ms | p99 ms |"
echo "| --- | --- | --- | --- | --- | --- |"
for CLIENTS in 16 4; do
  wrk -t2 -c$CLIENTS -d"${DURATION}s" --latency -s bench/planning-wrk.lua "http://127.0.0.1:$PORT" > "$OUT/wrk.txt"
  rm -f "$OUT"/pgb*
  pgbench -n -h "$LANDGIS_DB_HOST" -U "$LANDGIS_DB_USER" -c$CLIENTS -j2 -T"$DURATION" -f bench/planning-pgbench.sql \
    -D min="$MIN" -D max="$MAX" -l --log-prefix="$OUT/pgb" landgis_bench > "$OUT/pgbench.txt" 2>&1
  pg_tps=$(awk '/^tps/ {print $3; exit}' "$OUT/pgbench.txt")
  read -r pg_p50 pg_p99 < <(cat "$OUT"/pgb* | awk '{print $3/1000}' | sort -n | awk '{a[NR]=$1} END {print a[int(NR*0.5)], a[int(NR*0.99)]}')
  rps=$(awk '/^Requests\/sec/ {print $2}' "$OUT/wrk.txt")
  read -r p50 p99 < <(awk -F'[= ]' '/^p50_ms/ {print $2, $6}' "$OUT/wrk.txt")
  printf '| landgis GET /api/parcels/{id}/planning (wrk) | %s | %s | %s | %s | %s |\n' $CLIENTS "$DURATION" "$rps" "$p50" "$p99"
  printf '| its two overlay statements in PostgreSQL (pgbench) | %s | %s | %.1f | %s | %s |\n' $CLIENTS "$DURATION" "$pg_tps" "$pg_p50" "$pg_p99"
done
echo
echo "parcels: $COUNT current; zones of plans in force: $ZONES; $(grep -h 'Non-2xx' "$OUT/wrk.txt" || echo 'all answers 200')"
rm -rf "$OUT"
