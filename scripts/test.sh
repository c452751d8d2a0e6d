#!/usr/bin/env bash
# Runs every test of JobGateway on a fresh machine. It first installs what the tests need when it is
# missing (Debian packages for the real SOAP clients, ...), so that no test that needs a real client or
# server is ever skipped in CI (CI=true makes those tests fail instead of skipping).
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."

as_root() { if [ "$(id -u)" = 0 ]; then "$@"; else sudo "$@"; fi; }

missing=()
{ command -v php >/dev/null && php -m 2>/dev/null | grep -qi '^soap$'; } || missing+=(php-cli php-soap)
/usr/bin/python3 -c 'import zeep' 2>/dev/null || missing+=(python3-zeep)
command -v chromium >/dev/null || missing+=(chromium)
# PostgreSQL: Debian keeps pg_ctl and initdb in /usr/lib/postgresql/<version>/bin, off the PATH.
pg_bin() { local d found=""; for d in /usr/lib/postgresql/*/bin; do [ -x "$d/initdb" ] && [ -x "$d/pg_ctl" ] && found="$d"; done; echo "$found"; }
[ -n "${JOBGATEWAY_TEST_POSTGRES:-}" ] || [ -n "$(pg_bin)" ] || missing+=(postgresql)
if [ ${#missing[@]} -gt 0 ]; then
  echo "== installing test prerequisites: ${missing[*]}"
  as_root apt-get update -qq
  as_root env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
fi

cleanup=()
trap 'for c in "${cleanup[@]}"; do eval "$c" || true; done' EXIT

# A throw-away PostgreSQL server for the store and scale-out tests (unless JOBGATEWAY_TEST_POSTGRES already
# names one): a temporary data directory owned by an unprivileged user, listening on 127.0.0.1 only, on a
# free port, stopped and deleted on exit. The tests create (and drop) their own databases in it.
start_postgres() {
  local bin dir port password run=()
  bin="$(pg_bin)"
  dir="$(mktemp -d /tmp/jobgateway-pg.XXXXXX)"
  if [ "$(id -u)" = 0 ]; then
    # The server refuses to run as root.
    local user=postgres
    id -u "$user" >/dev/null 2>&1 || user=nobody
    chown "$user" "$dir"
    run=(runuser -u "$user" --)
  fi
  chmod 700 "$dir"
  password="$(head -c 18 /dev/urandom | od -An -tx1 | tr -d ' \n')"
  port="$(/usr/bin/python3 -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])' 2>/dev/null || echo $((20000 + RANDOM % 20000)))"
  echo "$password" > "$dir/pwfile"
  [ ${#run[@]} -eq 0 ] || chown "${run[2]}" "$dir/pwfile"
  cleanup+=("(cd '$dir' && ${run[*]} '$bin/pg_ctl' -D '$dir/data' -m immediate stop >/dev/null 2>&1); rm -rf '$dir'")
  (cd "$dir" && "${run[@]}" "$bin/initdb" -D "$dir/data" -U jobgateway --pwfile="$dir/pwfile" \
      --auth-local=trust --auth-host=scram-sha-256 -E UTF8 --no-sync >"$dir/initdb.log" 2>&1) \
    || { cat "$dir/initdb.log"; return 1; }
  # fsync off: the server lives for one test run, and the tests want speed, not durability.
  (cd "$dir" && "${run[@]}" "$bin/pg_ctl" -D "$dir/data" -l "$dir/server.log" -w -t 60 \
      -o "-k $dir -h 127.0.0.1 -p $port -c max_connections=300 -c fsync=off -c synchronous_commit=off -c full_page_writes=off" \
      start >/dev/null) || { cat "$dir/server.log"; return 1; }
  export JOBGATEWAY_TEST_POSTGRES="Host=127.0.0.1;Port=$port;Username=jobgateway;Password=$password;Database=postgres"
  echo "== PostgreSQL $("$bin/postgres" --version | awk '{print $3}') on 127.0.0.1:$port (data in $dir)"
}
if [ -z "${JOBGATEWAY_TEST_POSTGRES:-}" ]; then
  start_postgres
fi

export DOTNET_CLI_TELEMETRY_OPTOUT=1 DOTNET_NOLOGO=1
dotnet tool restore >/dev/null
dotnet build JobGateway.sln -c Release -nologo -v q

log="$(mktemp)"
cleanup+=("rm -f '$log'")
status=0
dotnet test JobGateway.sln -c Release --no-build -nologo 2>&1 | tee "$log" || status=$?

# One closing line over every test assembly.
awk '/(Passed|Failed)!  ?- /{
  for (i = 1; i <= NF; i++) { gsub(",", "", $(i+1)); if ($i == "Failed:") f += $(i+1); if ($i == "Passed:") p += $(i+1); if ($i == "Skipped:") s += $(i+1) }
} END { printf "tests: %d passed, %d failed, %d skipped\n", p, f, s }' "$log"
exit "$status"
