# Sourced by bench/run and bench/crash-test (bash, set -euo pipefail). Gateway build/start/stop helpers.
# Callers set: STAMP OUT_DIR; they get ROOT SHARED_BENCH GW_DLL GW_PID and the cleanup trap.

BENCH_DIR="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
ROOT="$(git -C "$BENCH_DIR" rev-parse --show-toplevel 2>/dev/null || (cd "$BENCH_DIR/.." && pwd))"
SHARED_BENCH="${SHARED_BENCH:-$ROOT/../shared/bench}"
GW_DLL="$ROOT/src/JobGateway.Api/bin/Release/net10.0/JobGateway.Api.dll"
ADMIN_KEY="${ADMIN_KEY:-bench-admin-key-$(date +%s%N)}"
export DOTNET_CLI_TELEMETRY_OPTOUT=1 DOTNET_NOLOGO=1

log() { echo "[$(date +%H:%M:%S)] $*" >&2; }
die() { echo "$(basename "$0"): $*" >&2; exit 1; }

GW_PID=""
PG_STARTED_HERE=0
BG_PIDS=()      # other background processes we started (samplers, clients); killed by pid on exit
BG_GROUPS=()    # process groups we started with setsid (run-refs.sh and its servers)
TMP_DIR=""
cleanup() {
  local p
  for p in "${BG_PIDS[@]}"; do kill "$p" 2>/dev/null || true; done
  for p in "${BG_GROUPS[@]}"; do kill -TERM -- "-$p" 2>/dev/null || true; done
  if [ -n "$GW_PID" ] && kill -0 "$GW_PID" 2>/dev/null; then
    kill "$GW_PID" 2>/dev/null || true
    for _ in $(seq 1 50); do kill -0 "$GW_PID" 2>/dev/null || break; sleep 0.2; done
    kill -9 "$GW_PID" 2>/dev/null || true
  fi
  wait 2>/dev/null || true
  if [ -n "$TMP_DIR" ] && [ "${KEEP_DB:-0}" != 1 ]; then rm -rf "$TMP_DIR"; fi
  if [ "$PG_STARTED_HERE" = 1 ] && [ "${KEEP_DB:-0}" != 1 ]; then stop_postgres; fi
}
trap cleanup EXIT
trap 'exit 130' INT TERM

require_tools() {
  [ "${1:-}" = no-wrk ] || command -v wrk >/dev/null 2>&1 || die "wrk is not installed. Install it with: apt-get update && apt-get install -y wrk"
  command -v dotnet >/dev/null 2>&1 || die "dotnet (the .NET 10 SDK) is not on PATH"
  command -v python3 >/dev/null 2>&1 || die "python3 is not installed (apt-get install -y python3)"
  command -v curl >/dev/null 2>&1 || die "curl is not installed (apt-get install -y curl)"
}

require_shared() {
  [ -x "$SHARED_BENCH/run-refs.sh" ] && [ -x "$SHARED_BENCH/load.sh" ] ||
    die "the shared bench harness is missing: expected $SHARED_BENCH/run-refs.sh and load.sh (the repository's ../shared/bench)"
  SHARED_BENCH="$(cd "$SHARED_BENCH" && pwd)"
  command -v node >/dev/null 2>&1 && command -v npm >/dev/null 2>&1 ||
    die "node and npm are needed for the node-soap reference (apt-get install -y nodejs npm)"
}

build_gateway() {
  if [ "${SKIP_BUILD:-0}" = 1 ] && [ -f "$GW_DLL" ]; then log "SKIP_BUILD=1: using $GW_DLL"; return; fi
  log "building src/JobGateway.Api (Release)"
  dotnet build "$ROOT/src/JobGateway.Api" -c Release -nologo -v q >"$OUT_DIR/build-gateway.log" 2>&1 ||
    { tail -30 "$OUT_DIR/build-gateway.log" >&2; die "gateway build failed (log: $OUT_DIR/build-gateway.log)"; }
}

# The gateway scenarios bench/run and bench/ab load, in one place so that both measure the same requests.
NATIVE_BODY='{"type":"bench","name":"bench","payload":{"n":1},"externalRef":"bench"}'
EP_BODY='{"data":{"type":"subscription_job","attributes":{"external_ref":"x","job_type":"billing-run"}}}'
# scenario_load NAME BASE KEY IDS_FILE NUMBERS_FILE SECONDS -> the bench/load.sh line
#   NAME: native-create ep-create soap11-create soap12-create dasp-status mm-status native-get
scenario_load() {
  local name="$1" base="$2" key="$3" ids="$4" numbers="$5" secs="$6" kind envs=()
  case "$name" in
    native-create) kind=rest; envs=(REST_PATH=/api/jobs REST_CT=application/json REST_ACCEPT=application/json
                     API_KEY_HEADER=Authorization "API_KEY=Bearer $key" "REST_BODY=$NATIVE_BODY") ;;
    ep-create)     kind=rest; envs=(REST_PATH=/v2/subscriptions/jobs API_KEY_HEADER=Authorization "API_KEY=Bearer $key" "REST_BODY=$EP_BODY") ;;
    soap11-create) kind=soap11; envs=("API_KEY=$key" CLIENT=bench) ;;
    soap12-create) kind=soap12; envs=("API_KEY=$key" CLIENT=bench) ;;
    dasp-status)   kind=getjobstatus; envs=("API_KEY=$key" "IDS_FILE=$ids") ;;
    mm-status)     kind=uploadstatus; envs=("API_KEY=$key" CLIENT=bench "IDS_FILE=$numbers") ;;
    native-get)    kind=apiget; envs=("API_KEY=$key" "IDS_FILE=$ids") ;;
    *) die "unknown scenario $name" ;;
  esac
  env "${envs[@]}" DURATION="$secs" "$BENCH_DIR/load.sh" "$base" "$kind"
}

port_free() { ! (exec 3<>"/dev/tcp/127.0.0.1/$1") 2>/dev/null; }

# The database of a run. DB_PROVIDER=Sqlite (default): a SQLite file under the run's temporary directory.
# DB_PROVIDER=PostgreSql: a new database on PG_CONNECTION's server when that is given (a connection string
# to an existing database, used for its host and credentials), else on a throw-away server started here
# with PostgreSQL's durable defaults (fsync on, synchronous_commit on), as production would run it.
DB_PROVIDER="${DB_PROVIDER:-Sqlite}"
PG_STARTED_HERE=0
# ensure_database_server -- call once, in the script itself (not in a subshell), before new_database.
ensure_database_server() {
  if [ "$DB_PROVIDER" = PostgreSql ] && [ -z "${PG_CONNECTION:-}" ]; then
    # shellcheck source=../../scripts/lib/postgres.sh
    source "$ROOT/scripts/lib/postgres.sh"
    start_postgres || die "could not start PostgreSQL (apt-get install -y postgresql)"
    PG_STARTED_HERE=1
  fi
}

# new_database NAME TMP_DIR -- prints what start_gateway takes: a SQLite file path or a connection string.
new_database() {
  local name="$1" tmp="$2"
  case "$DB_PROVIDER" in
    Sqlite) echo "$tmp/$name.db" ;;
    PostgreSql)
      if [ "$PG_STARTED_HERE" = 1 ]; then
        create_database "${name}_$(date +%s)_$$"
      else
        local db="${name}_$(date +%s)_$$"
        PGPASSWORD="$(sed -n 's/.*Password=\([^;]*\).*/\1/p' <<<"$PG_CONNECTION")" psql \
          "host=$(sed -n 's/.*Host=\([^;]*\).*/\1/p' <<<"$PG_CONNECTION") port=$(sed -n 's/.*Port=\([^;]*\).*/\1/p' <<<"$PG_CONNECTION") user=$(sed -n 's/.*Username=\([^;]*\).*/\1/p' <<<"$PG_CONNECTION") dbname=postgres" \
          -qc "CREATE DATABASE $db" >&2 || die "could not create database $db on PG_CONNECTION's server"
        sed "s/Database=[^;]*/Database=$db/" <<<"$PG_CONNECTION"
      fi ;;
    *) die "DB_PROVIDER must be Sqlite or PostgreSql" ;;
  esac
}

# start_gateway PORT DATABASE LOG_FILE -- DATABASE from new_database (fresh or existing); waits for /health/ready.
# GW_ENV: more environment assignments for the gateway, space-separated (Gateway__Execution__LeaseSeconds=5 ...).
start_gateway() {
  local port="$1" db="$2" logf="$3" extra=()
  [ -n "${SLOTS:-}" ] && extra+=("Gateway__Execution__Slots=$SLOTS")
  if [ -n "${GW_ENV:-}" ]; then read -ra more <<<"$GW_ENV"; extra+=("${more[@]}"); fi
  if [ "$DB_PROVIDER" = PostgreSql ]; then
    extra+=("Gateway__Database__Provider=PostgreSql" "Gateway__Database__ConnectionString=$db")
  else
    extra+=("Gateway__Database__ConnectionString=Data Source=$db")
  fi
  env Gateway__BootstrapAdminKey="$ADMIN_KEY" \
    Gateway__Database__SqliteDurability="${SQLITE_DURABILITY:-Normal}" \
    Serilog__MinimumLevel__Default=Warning \
    Serilog__MinimumLevel__Override__Microsoft.AspNetCore.HttpLogging=Warning \
    Serilog__MinimumLevel__Override__Microsoft.Hosting.Lifetime=Warning \
    Logging__LogLevel__Default=Warning \
    ASPNETCORE_ENVIRONMENT=Production \
    "${extra[@]}" \
    dotnet "$GW_DLL" --urls "http://127.0.0.1:$port" >>"$logf" 2>&1 &
  GW_PID=$!
  local i
  for i in $(seq 1 300); do
    if [ "$(curl -s -o /dev/null -w '%{http_code}' "http://127.0.0.1:$port/health/ready" || true)" = 200 ]; then
      log "gateway up: pid=$GW_PID port=$port db=$(printf %s "$db" | sed -E "s/(Password=)[^;]*/\1***/I")"; return 0
    fi
    kill -0 "$GW_PID" 2>/dev/null || { tail -30 "$logf" >&2; die "the gateway exited during start-up (log: $logf)"; }
    sleep 0.2
  done
  die "the gateway did not become ready within 60 s (log: $logf)"
}

stop_gateway() {
  [ -z "$GW_PID" ] && return 0
  kill "$GW_PID" 2>/dev/null || true
  for _ in $(seq 1 75); do kill -0 "$GW_PID" 2>/dev/null || break; sleep 0.2; done
  kill -0 "$GW_PID" 2>/dev/null && { log "gateway pid $GW_PID did not stop on TERM, KILL"; kill -9 "$GW_PID" 2>/dev/null || true; }
  wait "$GW_PID" 2>/dev/null || true
  GW_PID=""
}
