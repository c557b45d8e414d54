#!/usr/bin/env bash
# A/B of service builds on the point look-up: for each JAR (optionally "JAR|extra Spring Boot arguments") in turn, the
# service on landgis_bench (loaded by bench/lookup.sh), 10 s of warm-up, then wrk with 16 clients for SECONDS.
# Alternate the jars (A B A B): this machine type is noisy. Besides requests/s and p99 it prints the JVM's CPU time per
# request over the measured run (utime + stime from /proc): the service's own cost, steadier than throughput when
# other VMs take the cores. Usage: bench/lookup-ab.sh SECONDS JAR...
set -uo pipefail
. "$(dirname "$0")/../scripts/env.sh"; cd "$LANDGIS_ROOT"; find_jdk25
S=$1; shift
read -r WEST SOUTH EAST NORTH < <(psql -X -qtA -F' ' -h "$LANDGIS_DB_HOST" -U "$LANDGIS_DB_USER" -d landgis_bench -c \
  "SELECT ST_XMin(e), ST_YMin(e), ST_XMax(e), ST_YMax(e) FROM (SELECT ST_Transform(ST_SetSRID(ST_Extent(geom)::geometry, 9210), 4326) e
   FROM cadastre.parcel WHERE valid_to IS NULL) x")
export WEST SOUTH EAST NORTH
for spec in "$@"; do jar=${spec%%|*}; extra=""; [ "$spec" != "$jar" ] && extra=${spec#*|}
  LANDGIS_DB_NAME=landgis_bench java -Xmx2g -jar "$jar" --server.port=8098 --logging.level.root=WARN $extra > /tmp/ab-server.log 2>&1 &
  APP=$!
  for _ in $(seq 120); do curl -fs "localhost:8098/actuator/health" >/dev/null 2>&1 && break; sleep 1; done
  wrk -t2 -c16 -d10s -s bench/lookup-wrk.lua "http://127.0.0.1:8098" >/dev/null
  c0=$(awk '{print $14 + $15}' /proc/$APP/stat)
  wrk -t2 -c16 -d${S}s --latency -s bench/lookup-wrk.lua "http://127.0.0.1:8098" > /tmp/ab-wrk.txt
  c1=$(awk '{print $14 + $15}' /proc/$APP/stat)
  n=$(awk '/requests in/ {print $1}' /tmp/ab-wrk.txt)
  cpu=$(awk -v c=$((c1 - c0)) -v t="$(getconf CLK_TCK)" -v n="$n" 'BEGIN {printf "%.1f", c / t * 1000000 / n}')
  echo "$(basename $jar) $extra: $(awk '/Requests\/sec/ {print $2}' /tmp/ab-wrk.txt)/s p50 $(awk '$1=="50%" {print $2}' /tmp/ab-wrk.txt) p99 $(awk '$1=="99%" {print $2}' /tmp/ab-wrk.txt) non2xx $(awk '/Non-2xx/ {print $NF}' /tmp/ab-wrk.txt) JVM CPU ${cpu} us/request"
  kill $APP; wait $APP 2>/dev/null
done
