#!/usr/bin/env bash
# Map serving, landgis beside MapServer 8 (../shared/peers/mapserver) on the SAME rows of one database, same run:
#  1. WMS GetMap 256x256 PNG, EPSG:3857, uncached, over a shuffled list of tiles at zooms 14-18 (kit's bench.sh);
#  2. MVT tiles /tiles/parcels/{z}/{x}/{y}.mvt at zooms 14-16 (wrk, tile cache off) beside the same ST_AsMVT
#     statement straight into PostgreSQL (pgbench); parcels are not in tiles below zoom 14 (catalog max-scale
#     1:50 000), so zooms 12-13 would compare empty answers;
#  3. the same map from both servers as PNGs for a side-by-side look (bench/img/).
# Usage: bench/wms.sh [parcels=200000] [duration=20s]     Results: printed; raw files in $OUT.
set -euo pipefail
. "$(dirname "$0")/../scripts/env.sh"
cd "$LANDGIS_ROOT"
find_jdk25
apt_ensure wrk
N="${1:-200000}"; DURATION="${2:-20s}"; PORT=8097
KIT="${PEER_KIT:-$LANDGIS_ROOT/../shared/peers/mapserver}"
export LANDGIS_DB_NAME=landgis_bench
scripts/db-up.sh >/dev/null
[ -f target/landgis.jar ] || mvn_cmd -q package -DskipTests
PSQL=(psql -X -qtA -h "$LANDGIS_DB_HOST" -U "$LANDGIS_DB_USER" -d landgis_bench)
have=$("${PSQL[@]}" -c "SELECT count(*) FROM cadastre.parcel WHERE valid_to IS NULL" 2>/dev/null || echo 0)
if [ "${have:-0}" -lt "$((N * 9 / 10))" ] || [ "${have:-0}" -gt "$((N * 12 / 10))" ]; then
  log "loading $N generated parcels into landgis_bench"
  "${PSQL[@]}" -d postgres -c "DROP DATABASE IF EXISTS landgis_bench" >/dev/null
  scripts/db-up.sh >/dev/null
  java -Xmx8g -jar target/landgis.jar demo-load --landgis.demo.parcels="$N" --landgis.demo.seed=1 > /tmp/landgis-bench-load.log 2>&1
  PGOPTIONS="-c client_min_messages=error" "${PSQL[@]}" -c "VACUUM ANALYZE cadastre.parcel" -c "ANALYZE"
fi
# the peer reads the same rows through a view with its column names
"${PSQL[@]}" >/dev/null <<'SQL'
CREATE SCHEMA IF NOT EXISTS peer;
CREATE OR REPLACE VIEW peer.parcels AS
  SELECT id, land_use_code AS land_use, parcel_no, geom FROM cadastre.parcel WHERE valid_to IS NULL;
SQL
OUT="${BENCH_OUT:-/tmp/landgis-bench-wms/$(date -u +%Y%m%dT%H%M%SZ)}"; mkdir -p "$OUT"
export PGDATABASE=landgis_bench PGUSER="$LANDGIS_DB_ADMIN_USER" PARCELS_TABLE=peer.parcels ZONES_TABLE=none REPORTS_TABLE=none \
       PEER_STATE=/tmp/mapserver-peer-landgis PEER_PORT=8181 PEER_PROCS=2
"$KIT/stop.sh" >/dev/null 2>&1 || true
"$KIT/start.sh" > "$OUT/peer-start.log" 2>&1 || { cat "$OUT/peer-start.log"; exit 1; }

java -Xmx2g -jar target/landgis.jar --server.port=$PORT --logging.level.root=WARN --landgis.tiles.cache-enabled=false \
  > "$OUT/landgis.log" 2>&1 &
APP=$!; trap 'kill $APP 2>/dev/null || true; "$KIT/stop.sh" >/dev/null 2>&1 || true' EXIT
for _ in $(seq 120); do curl -fs "localhost:$PORT/actuator/health" >/dev/null 2>&1 && break; sleep 1; done

# tiles at zooms 14-18 (GetMap) and 14-16 (MVT), shuffled with a fixed seed
for z in 14 15 16 17 18; do "$KIT/bench/make_tiles.sh" "$z" > "$OUT/tiles-z$z.txt"; done
seeded() { openssl enc -aes-256-ctr -pass pass:landgis -nosalt </dev/zero 2>/dev/null; }
cat "$OUT"/tiles-z1[4-8].txt | grep -v '^#' | shuf --random-source=<(seeded) > "$OUT/tiles-wms.txt"
cat "$OUT"/tiles-z1[4-6].txt | grep -v '^#' | shuf --random-source=<(seeded) > "$OUT/tiles-mvt.txt"
log "tiles: $(wc -l < "$OUT/tiles-wms.txt") for GetMap (z14-18), $(wc -l < "$OUT/tiles-mvt.txt") for MVT (z14-16)"

# 1. GetMap, both servers, one kit run
BENCH_OUT="$OUT/wms" BENCH_TESTS=wms TILE_FILE="$OUT/tiles-wms.txt" BENCH_DURATION="$DURATION" \
  "$KIT/bench.sh" peer=http://127.0.0.1:8181/ows landgis=http://127.0.0.1:$PORT/ows > "$OUT/wms.txt" 2>&1 || { cat "$OUT/wms.txt"; exit 1; }

# 2. MVT: landgis over HTTP, then the same statement in pgbench
SQL=$(cat <<'Q'
SELECT ST_AsMVT(t.*, 'parcels', 4096, 'mvt_geom', 'mvt_id') FROM (
  SELECT "id" AS mvt_id, "parcel_id", "commune_code", "commune_name", "new_commune_code", "sheet_no", "parcel_no", "land_use_code",
         "land_use_name", "legal_area"::float8, "geom_area"::float8, "address", "valid_from"::text, "land_uses",
         ST_AsMVTGeom(ST_Transform("geom", 3857), ST_TileEnvelope(:z, :x, :y), 4096, 64, true) AS mvt_geom
    FROM "ows"."parcels" WHERE "geom" && ST_Transform(ST_TileEnvelope(:z, :x, :y, margin => 0.015625), 9210)) t
 WHERE t.mvt_geom IS NOT NULL;
Q
)
awk '{print $1, $2, $3}' "$OUT/tiles-mvt.txt" > "$OUT/mvt-zxy.txt"
TILES=$(wc -l < "$OUT/mvt-zxy.txt")
# pgbench picks a random line: the tile list is loaded into a table once
"${PSQL[@]}" >/dev/null <<SQL2
DROP TABLE IF EXISTS peer.bench_tiles; CREATE TABLE peer.bench_tiles (n serial PRIMARY KEY, z int, x int, y int);
\copy peer.bench_tiles (z, x, y) FROM '$OUT/mvt-zxy.txt' WITH (DELIMITER ' ')
SQL2
{ echo "\\set n random(1, $TILES)"; echo "SELECT z AS z, x AS x, y AS y FROM peer.bench_tiles WHERE n = :n \\gset";
  echo "$SQL"; } > "$OUT/mvt-pgbench.sql"
wrk -t2 -c4 -d5s -s bench/mvt-wrk.lua "http://127.0.0.1:$PORT" -- "$OUT/mvt-zxy.txt" > /dev/null
echo "| test | clients | landgis req/s | landgis p99 ms | raw ST_AsMVT (pgbench) tps | raw p99 ms | landgis / raw |" > "$OUT/mvt.md"
echo "| --- | --- | --- | --- | --- | --- | --- |" >> "$OUT/mvt.md"
for C in 2 4 8; do
  wrk -t2 -c$C -d"$DURATION" --latency -s bench/mvt-wrk.lua "http://127.0.0.1:$PORT" -- "$OUT/mvt-zxy.txt" > "$OUT/mvt-wrk-c$C.txt"
  # the raw baseline at its best: prepared statements, and without parallel workers, which on 2 cores under
  # concurrent clients cost more than they bring (measured: 25 tps with them, 37 without, at 2 clients)
  rm -f "$OUT"/pgb.*
  PGOPTIONS="-c max_parallel_workers_per_gather=0" pgbench -n -M prepared -h "$LANDGIS_DB_HOST" -U "$LANDGIS_DB_USER" -c$C -j2 \
    -T"${DURATION%s}" -f "$OUT/mvt-pgbench.sql" -l --log-prefix="$OUT/pgb" landgis_bench > "$OUT/mvt-pgbench-c$C.txt" 2>&1
  pg_tps=$(awk '/^tps/ {print $3; exit}' "$OUT/mvt-pgbench-c$C.txt")
  pg_p99=$(cat "$OUT"/pgb.* | awk '{print $3/1000}' | sort -n | awk '{a[NR]=$1} END {print a[int(NR*0.99)]}')
  rps=$(awk '/^Requests\/sec/ {print $2}' "$OUT/mvt-wrk-c$C.txt")
  p99=$(awk '/^ +99%/ {v=$2; if (v ~ /ms$/) {sub(/ms/,"",v)} else if (v ~ /us$/) {sub(/us/,"",v); v=v/1000} else if (v ~ /s$/) {sub(/s/,"",v); v=v*1000}; print v}' "$OUT/mvt-wrk-c$C.txt")
  echo "| MVT z14-16 | $C | $rps | $p99 | $pg_tps | $pg_p99 | $(awk -v a="$rps" -v b="$pg_tps" 'BEGIN {printf "%.2f", a / b}') |" >> "$OUT/mvt.md"
done

# 3. the same map from both (zoom 18 near the centre: parcels, colours, labels)
read -r CX CY < <("${PSQL[@]}" -F' ' -c "SELECT ST_X(c), ST_Y(c) FROM (SELECT ST_Transform(ST_Centroid(ST_SetSRID(ST_Extent(geom)::geometry, 9210)), 3857) c FROM cadastre.parcel WHERE valid_to IS NULL) x")
H=200
BBOX="$(awk -v x="$CX" -v y="$CY" -v h=$H 'BEGIN {printf "%.2f,%.2f,%.2f,%.2f", x-h, y-h*0.75, x+h, y+h*0.75}')"
Q="SERVICE=WMS&VERSION=1.3.0&REQUEST=GetMap&LAYERS=parcels&STYLES=&CRS=EPSG:3857&WIDTH=800&HEIGHT=600&FORMAT=image/png&BBOX=$BBOX"
mkdir -p bench/img
curl -fs "http://127.0.0.1:8181/ows?$Q" -o bench/img/wms-mapserver.png
curl -fs "http://127.0.0.1:$PORT/ows?$Q" -o bench/img/wms-landgis.png

echo "## GetMap 256x256 PNG, EPSG:3857, zooms 14-18 (kit bench.sh; ratio = landgis / MapServer)"
sed -n '/req\/s per target/,$p' "$OUT/wms.txt"
echo
echo "## MVT"
cat "$OUT/mvt.md"
echo
echo "raw results: $OUT; parcels: $("${PSQL[@]}" -c "SELECT count(*) FROM cadastre.parcel WHERE valid_to IS NULL")"
