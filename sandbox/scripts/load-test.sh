#!/usr/bin/env bash
# Load test of the sandbox: query-domain-list over loopback with wrk (Debian package `wrk`).
# Usage: sandbox/scripts/load-test.sh [bulk-domains] [extra form params]
#   sandbox/scripts/load-test.sh 0                       # demo data, 2 domains
#   sandbox/scripts/load-test.sh 100000 'pattern=bulk-0001*'
# Prints wrk's summary and the server's resident memory.
set -euo pipefail
cd "$(dirname "$0")/../.."
bulk=${1:-0}
extra=${2:-}
port=${PORT:-18480}
command -v wrk >/dev/null || { echo "needs wrk (apt-get install wrk)" >&2; exit 1; }
cargo build --release -q -p dmapi-sandbox
out=$(mktemp)
./target/release/dmapi-sandbox --port "$port" --bulk-domains "$bulk" >"$out" 2>/dev/null &
pid=$!
trap 'kill $pid 2>/dev/null; rm -f "$out" "$out.lua"' EXIT
for _ in $(seq 50); do grep -q password "$out" && break; sleep 0.2; done
password=$(awk '/password/ {print $2}' "$out")
sid=$(curl -s -d "username=reseller@example.com&password=$password" \
  "http://127.0.0.1:$port/request/login" | awk -F': ' 'tolower($1)=="auth-sid" {print $2}')
cat >"$out.lua" <<LUA
wrk.method = "POST"
wrk.body = "auth-sid=$sid&showstatus=1${extra:+&$extra}"
wrk.headers["Content-Type"] = "application/x-www-form-urlencoded"
LUA
echo "RSS before: $(ps -o rss= -p $pid) KiB"
wrk -t2 -c"${CONNECTIONS:-32}" -d"${DURATION:-10s}" -s "$out.lua" \
  "http://127.0.0.1:$port/request/query-domain-list"
echo "RSS after: $(ps -o rss= -p $pid) KiB"
