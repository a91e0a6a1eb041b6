#!/usr/bin/env bash
# Load test of the sandbox over loopback with wrk (Debian package `wrk`): query-domain-list, or
# another request.
# Usage: sandbox/scripts/load-test.sh [bulk-domains] [extra form params]
#   sandbox/scripts/load-test.sh 0                       # demo data, 2 domains
#   sandbox/scripts/load-test.sh 100000 'pattern=bulk-0001*'
#   STATE_FILE=/tmp/s.sqlite sandbox/scripts/load-test.sh 100000 'pattern=bulk-0001*'
#   STATE_FILE=/tmp/s.sqlite REQUEST=user-set-property sandbox/scripts/load-test.sh 0 \
#     'name=autorenew&value=1'                           # writes, each one committed
#   REQUEST=domain-modify sandbox/scripts/load-test.sh 100000 'domain=bulk-%06d.com&autorenew=1'
# Environment: STATE_FILE (keep the state in this SQLite file; an existing one is loaded, so a
# second run measures loading it), REQUEST (default query-domain-list), CONNECTIONS (32),
# DURATION (10s), ASYNC_DELAY_MS (2000), PORT, BIN (another build of the sandbox, to compare). A `%06d` in the params is replaced by a counter
# (1..bulk-domains, the two wrk threads half-way apart: a different object for each request).
# Prints the start-up time, wrk's summary with latency percentiles, and the resident memory.
set -euo pipefail
cd "$(dirname "$0")/../.."
bulk=${1:-0}
extra=${2:-}
port=${PORT:-18480}
command -v wrk >/dev/null || { echo "needs wrk (apt-get install wrk)" >&2; exit 1; }
bin=${BIN:-./target/release/dmapi-sandbox}
[ -n "${BIN:-}" ] || cargo build --release -q -p dmapi-sandbox
out=$(mktemp)
request=${REQUEST:-query-domain-list}
state=()
[ -n "${STATE_FILE:-}" ] && state=(--state-file "$STATE_FILE")
start=$(date +%s.%N)
$bin --port "$port" --bulk-domains "$bulk" "${state[@]}" \
  --async-delay-ms "${ASYNC_DELAY_MS:-2000}" >"$out" 2>/dev/null &
pid=$!
trap 'kill $pid 2>/dev/null; rm -f "$out" "$out.lua"' EXIT
for _ in $(seq 600); do grep -q password "$out" && break; sleep 0.05; done
echo "started in $(awk "BEGIN {print $(date +%s.%N) - $start}") s${STATE_FILE:+ (state file $STATE_FILE)}"
password=$(awk '/password/ {print $2}' "$out")
sid=$(curl -s -d "username=reseller@example.com&password=$password" \
  "http://127.0.0.1:$port/request/login" | awk -F': ' 'tolower($1)=="auth-sid" {print $2}')
if [ "$request" = query-domain-list ]; then body="auth-sid=$sid&showstatus=1"; else body="auth-sid=$sid"; fi
mod=$((bulk > 0 ? bulk : 999999))
cat >"$out.lua" <<LUA
wrk.method = "POST"
wrk.headers["Content-Type"] = "application/x-www-form-urlencoded"
local template = "$body${extra:+&$extra}"
-- Globals, so that setup's thread:set reaches them in each thread.
n = 0
base = 0
setup = function(thread)
  thread:set("base", base)
  base = base + $((mod / 2))
end
if template:find("%%06d") then
  request = function()
    n = n + 1
    local body = template:gsub("%%06d", string.format("%06d", (base + n) % $mod + 1))
    return wrk.format(nil, nil, nil, body)
  end
else
  wrk.body = template
end
LUA
echo "RSS before: $(ps -o rss= -p $pid) KiB"
connections=${CONNECTIONS:-32}
wrk -t$((connections > 1 ? 2 : 1)) -c"$connections" -d"${DURATION:-10s}" --latency -s "$out.lua" \
  "http://127.0.0.1:$port/request/$request"
echo "RSS after: $(ps -o rss= -p $pid) KiB"
