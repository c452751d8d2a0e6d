#!/usr/bin/env bash
# bench/load.sh TARGET_BASE_URL KIND -- one bounded wrk run against 127.0.0.1, one output line in the format of
# ../shared/bench/load.sh:  KIND URL req/s p50 p99 non2xx sockerr n=N
#
# KIND soap11 | rest | get | soapstatus    -> delegated to ../shared/bench/load.sh unchanged
# KIND soap12 | apiget | getjobstatus | uploadstatus -> bench/lua/KIND.lua, counted by the shared lua/report.lua
#   soap12        POST SOAP 1.2 T2A job_create        PATH default /soap/t2a.asmx
#   apiget        GET /api/jobs/{id} with Bearer key  PATH default /api/jobs/{id}, ids from IDS_FILE
#   getjobstatus  DiscountASP GetJobStatus            PATH default /1.0/customerapi.asmx, GUIDs from IDS_FILE
#   uploadstatus  MagnetMail getUploadJobStatus       PATH default /mmapi.asmx, job numbers from IDS_FILE
# Env: THREADS=2 CONNS=32 DURATION=10 (<=15) TIMEOUT=5s API_KEY CLIENT IDS_FILE BENCH_PATH LOG_DIR
#      SHARED_BENCH (default: <repo root>/../shared/bench)
set -euo pipefail
here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
if [ $# -lt 2 ]; then sed -n '2,14p' "$0"; exit 2; fi
if [ -z "${SHARED_BENCH:-}" ]; then
  root="$(git -C "$here" rev-parse --show-toplevel 2>/dev/null || (cd "$here/.." && pwd))"
  SHARED_BENCH="$root/../shared/bench"
fi
[ -x "$SHARED_BENCH/load.sh" ] || { echo "bench/load.sh: $SHARED_BENCH/load.sh not found (the shared bench harness must sit at <repo>/../shared/bench)" >&2; exit 2; }
base="${1%/}"; kind="$2"

case "$kind" in
  soap11|rest|get|soapstatus) exec "$SHARED_BENCH/load.sh" "$@" ;;
  soap12)       path="${BENCH_PATH:-/soap/t2a.asmx}" ;;
  apiget)       def_get='/api/jobs/{id}'; path="${BENCH_PATH:-$def_get}" ;;
  getjobstatus) path="${BENCH_PATH:-/1.0/customerapi.asmx}" ;;
  uploadstatus) path="${BENCH_PATH:-/mmapi.asmx}" ;;
  *) echo "bench/load.sh: unknown KIND '$kind'" >&2; exit 2 ;;
esac

# Loopback targets only (same rule as the shared load.sh).
case "$base" in
  http://127.*|http://localhost:*|http://localhost|http://\[::1\]*) ;;
  *) echo "bench/load.sh: refusing non-loopback target '$base'" >&2; exit 2 ;;
esac
hostport="${base#http://}"; hostport="${hostport%%/*}"

threads="${THREADS:-2}"; conns="${CONNS:-32}"; dur="${DURATION:-10}"; dur="${dur%s}"
timeout="${TIMEOUT:-5s}"
[ "$dur" -gt 15 ] && dur=15
log_dir="${LOG_DIR:-$here/results/raw}"; mkdir -p "$log_dir"
url="$base$path"

export BENCH_LUA_DIR="$SHARED_BENCH/lua" BENCH_LOCAL_LUA_DIR="$here/lua" \
  BENCH_KIND="$kind" BENCH_URL="$url" BENCH_PATH="$path"

raw="$log_dir/$(date +%Y%m%d-%H%M%S)-$kind-$(echo "$hostport" | tr ':[]' '___').txt"
wrk -t"$threads" -c"$conns" -d"${dur}s" --timeout "$timeout" -s "$here/lua/$kind.lua" "$base/" >"$raw" 2>&1 || {
  echo "bench/load.sh: wrk failed, see $raw" >&2; cat "$raw" >&2; exit 1; }
line="$(grep '^RESULT ' "$raw" | tail -1 || true)"
if [ -z "$line" ]; then echo "bench/load.sh: no RESULT line, see $raw" >&2; cat "$raw" >&2; exit 1; fi
read -r _ k u rps p50 p99 non2xx sock n <<<"$line"
printf '%-10s %-48s %9s req/s  p50 %7s ms  p99 %8s ms  non2xx %-7s sockerr %-5s n=%s\n' \
  "$k" "$u" "$rps" "$p50" "$p99" "$non2xx" "$sock" "$n"
