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
command -v npm >/dev/null || missing+=(nodejs npm)
# shellcheck source=lib/postgres.sh
source scripts/lib/postgres.sh
[ -n "${JOBGATEWAY_TEST_POSTGRES:-}" ] || [ -n "$(pg_bin)" ] || missing+=(postgresql)
if [ ${#missing[@]} -gt 0 ]; then
  echo "== installing test prerequisites: ${missing[*]}"
  as_root apt-get update -qq
  as_root env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
fi

# The OpenAPI linters (Spectral, Redocly) that the contract tests run on the served document, at the versions of
# tools/openapi/package-lock.json; installed again when the lock file changed.
openapi_tools=tools/openapi
if [ ! -x "$openapi_tools/node_modules/.bin/spectral" ] || [ ! -x "$openapi_tools/node_modules/.bin/redocly" ] \
   || [ "$openapi_tools/package-lock.json" -nt "$openapi_tools/node_modules/.package-lock.json" ]; then
  echo "== installing the OpenAPI linters ($openapi_tools)"
  npm ci --prefix "$openapi_tools" --no-audit --no-fund --loglevel=error >/dev/null
fi

cleanup=()
trap 'for c in "${cleanup[@]}"; do eval "$c" || true; done' EXIT

# A throw-away PostgreSQL server for the store and scale-out tests (unless JOBGATEWAY_TEST_POSTGRES already
# names one). The tests create (and drop) their own databases in it. fsync off: the server lives for one
# test run, and the tests want speed, not durability.
if [ -z "${JOBGATEWAY_TEST_POSTGRES:-}" ]; then
  cleanup+=(stop_postgres)
  start_postgres -c fsync=off -c synchronous_commit=off -c full_page_writes=off
  export JOBGATEWAY_TEST_POSTGRES="$PG_CONNECTION"
fi

export DOTNET_CLI_TELEMETRY_OPTOUT=1 DOTNET_NOLOGO=1
dotnet tool restore >/dev/null
echo "== building JobGateway.sln (Release); a line per project as it is built"
SECONDS=0
dotnet build JobGateway.sln -c Release -nologo -v m -clp:NoSummary
echo "== built in ${SECONDS}s; running the test projects (a line per project as it starts and as it ends)"

log="$(mktemp)"
cleanup+=("rm -f '$log'")
status=0
dotnet test JobGateway.sln -c Release --no-build -nologo 2>&1 | tee "$log" || status=$?

# One closing line over every test assembly.
awk '/(Passed|Failed)!  ?- /{
  for (i = 1; i <= NF; i++) { gsub(",", "", $(i+1)); if ($i == "Failed:") f += $(i+1); if ($i == "Passed:") p += $(i+1); if ($i == "Skipped:") s += $(i+1) }
} END { printf "tests: %d passed, %d failed, %d skipped\n", p, f, s }' "$log"
exit "$status"
