#!/usr/bin/env bash
# Makes a PostGIS database ready for landgis on this machine, without Docker. Idempotent.
#  - installs postgresql-$PG_MAJOR-postgis-3 (and the client) with apt when missing;
#  - starts the local cluster when nothing answers on $LANDGIS_DB_HOST:$LANDGIS_DB_PORT;
#  - creates the role and the databases $LANDGIS_DB_NAME and ${LANDGIS_DB_NAME}_test (for the tests) with PostGIS.
#  - creates ${LANDGIS_DB_NAME}_template (extensions only, a template the tests copy) and lets the role create databases.
# Usage: scripts/db-up.sh [extra-database ...]
set -euo pipefail
. "$(dirname "$0")/env.sh"

local_server=0
case "$LANDGIS_DB_HOST" in 127.0.0.1|localhost|::1) local_server=1 ;; esac

if [ "$local_server" = 1 ]; then
  apt_ensure "postgresql-$PG_MAJOR" "postgresql-$PG_MAJOR-postgis-3" "postgresql-client-$PG_MAJOR"
  if ! pg_isready -q -h "$LANDGIS_DB_HOST" -p "$LANDGIS_DB_PORT"; then
    if ! pg_lsclusters -h 2>/dev/null | awk '{print $1" "$2}' | grep -q "^$PG_MAJOR main$"; then
      log "creating PostgreSQL $PG_MAJOR cluster 'main'"
      pg_createcluster "$PG_MAJOR" main --port "$LANDGIS_DB_PORT" >/dev/null
      # trust on loopback, as on the machines this project is developed on; production uses passwords
      sed -i -E 's/^(host\s+all\s+all\s+127\.0\.0\.1\/32\s+)\S+/\1trust/; s/^(host\s+all\s+all\s+::1\/128\s+)\S+/\1trust/' \
        "/etc/postgresql/$PG_MAJOR/main/pg_hba.conf"
    fi
    log "starting PostgreSQL $PG_MAJOR"
    pg_ctlcluster --skip-systemctl-redirect "$PG_MAJOR" main start || true
    for _ in $(seq 30); do pg_isready -q -h "$LANDGIS_DB_HOST" -p "$LANDGIS_DB_PORT" && break; sleep 1; done
  fi
fi
pg_isready -q -h "$LANDGIS_DB_HOST" -p "$LANDGIS_DB_PORT" || die "PostgreSQL does not answer on $LANDGIS_DB_HOST:$LANDGIS_DB_PORT"

psql_admin -d postgres <<SQL
SELECT 'CREATE ROLE "$LANDGIS_DB_USER" LOGIN CREATEDB PASSWORD ' || quote_literal('$LANDGIS_DB_PASSWORD')
WHERE NOT EXISTS (SELECT 1 FROM pg_roles WHERE rolname = '$LANDGIS_DB_USER') \gexec
SQL

# ${LANDGIS_DB_NAME}_template: an empty database with the extensions, from which tests make throw-away databases.
# Character classes and case (LC_CTYPE) are Unicode's whatever the cluster's default: lower(), regular expressions with
# the 'i' flag and the search's unaccent work on Vietnamese letters ("ỦY BAN" is "ủy ban"); C.UTF-8 is in every Debian.
for db in "$LANDGIS_DB_NAME" "${LANDGIS_DB_NAME}_test" "${LANDGIS_DB_NAME}_template" "$@"; do
  psql_admin -d postgres <<SQL
SELECT 'CREATE DATABASE "$db" OWNER "$LANDGIS_DB_USER" ENCODING ''UTF8'' LC_CTYPE ''C.UTF-8'' TEMPLATE template0'
WHERE NOT EXISTS (SELECT 1 FROM pg_database WHERE datname = '$db') \gexec
SQL
  # Extensions need a superuser; the schema itself is Flyway's (src/main/resources/db/migration).
  psql_admin -d "$db" -c 'CREATE EXTENSION IF NOT EXISTS postgis; CREATE EXTENSION IF NOT EXISTS unaccent; CREATE EXTENSION IF NOT EXISTS pg_trgm;' \
    -c "GRANT ALL ON SCHEMA public TO \"$LANDGIS_DB_USER\"; ALTER TABLE spatial_ref_sys OWNER TO \"$LANDGIS_DB_USER\";"
done
psql_admin -d postgres -c "ALTER DATABASE \"${LANDGIS_DB_NAME}_template\" WITH IS_TEMPLATE true" \
  -c "ALTER ROLE \"$LANDGIS_DB_USER\" CREATEDB"
log "PostGIS ready: postgresql://$LANDGIS_DB_USER@$LANDGIS_DB_HOST:$LANDGIS_DB_PORT/$LANDGIS_DB_NAME (and ${LANDGIS_DB_NAME}_test)"
