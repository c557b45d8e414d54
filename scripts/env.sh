# Shared settings of the landgis scripts: sourced, never run.
# Connection settings (override in the environment to point landgis at another database):
export LANDGIS_DB_HOST="${LANDGIS_DB_HOST:-127.0.0.1}"
export LANDGIS_DB_PORT="${LANDGIS_DB_PORT:-5432}"
export LANDGIS_DB_NAME="${LANDGIS_DB_NAME:-landgis}"
export LANDGIS_DB_USER="${LANDGIS_DB_USER:-landgis}"
export LANDGIS_DB_PASSWORD="${LANDGIS_DB_PASSWORD:-landgis}"
# The admin login used only to create the role and databases (trust auth on 127.0.0.1 on these machines).
export LANDGIS_DB_ADMIN_USER="${LANDGIS_DB_ADMIN_USER:-postgres}"
export PG_MAJOR="${PG_MAJOR:-15}"

LANDGIS_ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
export LANDGIS_ROOT

log() { printf '[landgis] %s\n' "$*" >&2; }
die() { printf '[landgis] ERROR: %s\n' "$*" >&2; exit 1; }

# Finds a JDK 25 (Temurin's under /usr/lib/jvm first) and exports JAVA_HOME and PATH.
find_jdk25() {
  local candidates=()
  [ -n "${JAVA_HOME:-}" ] && candidates+=("$JAVA_HOME")
  local d
  for d in /usr/lib/jvm/temurin-25* /usr/lib/jvm/*25* /usr/lib/jvm/*; do [ -d "$d" ] && candidates+=("$d"); done
  for d in "${candidates[@]}"; do
    if [ -x "$d/bin/javac" ]; then
      local v
      v=$("$d/bin/java" -XshowSettings:properties -version 2>&1 | awk -F'= ' '/java.specification.version/ {print $2; exit}')
      if [ "$v" = "25" ]; then
        export JAVA_HOME="$d"; export PATH="$d/bin:$PATH"; return 0
      fi
    fi
  done
  die "no JDK 25 found (looked at \$JAVA_HOME and /usr/lib/jvm/*). Install Temurin 25 (e.g. apt-get install temurin-25-jdk from Adoptium) and retry."
}

# apt-get install of the named Debian packages when any of them is missing.
apt_ensure() {
  local missing=()
  local p
  for p in "$@"; do dpkg -s "$p" >/dev/null 2>&1 || missing+=("$p"); done
  [ ${#missing[@]} -eq 0 ] && return 0
  [ "$(id -u)" = 0 ] || die "packages missing (${missing[*]}) and not root: install them with apt-get"
  log "installing ${missing[*]} (apt)"
  if [ -z "${LANDGIS_APT_UPDATED:-}" ]; then
    # another apt (unattended upgrades, a second script) may hold the locks: wait for it rather than fail
    apt-get -o DPkg::Lock::Timeout=600 update -qq >/dev/null || die "apt-get update failed"
    export LANDGIS_APT_UPDATED=1
  fi
  DEBIAN_FRONTEND=noninteractive apt-get -o DPkg::Lock::Timeout=600 install -y -qq "${missing[@]}" >/dev/null || die "apt-get install ${missing[*]} failed"
}

psql_admin() {
  PGOPTIONS="-c client_min_messages=warning" psql -X -v ON_ERROR_STOP=1 -q -h "$LANDGIS_DB_HOST" -p "$LANDGIS_DB_PORT" -U "$LANDGIS_DB_ADMIN_USER" "$@"
}

mvn_cmd() {
  # Maven 3.8's bundled Guava uses sun.misc.Unsafe, which JDK 25 warns about on every run
  export MAVEN_OPTS="${MAVEN_OPTS:-} --sun-misc-unsafe-memory-access=allow"
  local opts=(-B -ntp)
  { [ -n "${CI:-}" ] || [ ! -t 1 ]; } && opts+=(-Dstyle.color=never)
  mvn "${opts[@]}" "$@"
}

# The web map (frontend/) is built by Maven with the machine's node and npm: node 20.19+ (Vite 7). Debian 12's
# own nodejs package is 18, too old, so nothing is installed here: install Node.js 20 or 22 (e.g. NodeSource).
find_node20() {
  command -v node >/dev/null && command -v npm >/dev/null \
    || die "node and npm not found: the web map is built with them (install Node.js 20.19+ or 22.12+)"
  local v
  v=$(node -p 'process.versions.node')
  node -e 'const [a,b]=process.versions.node.split(".").map(Number); process.exit(a>22||a===22&&b>=12||a===20&&b>=19?0:1)' \
    || die "node $v is too old for the web map's build (Vite 7 needs 20.19+ or 22.12+)"
}
