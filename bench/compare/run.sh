#!/usr/bin/env bash
# Parses the same query-domain-list payload with this crate's typed parser and with two Python
# parsers (the DMAPI docs' sample and dns-lexicon's Joker provider, installed from PyPI into a
# local virtualenv), timing parse only; prints one table: implementation, MB/s, ratio.
# Usage: bench/compare/run.sh [rows]   (default 100000)
set -euo pipefail
here="$(cd "$(dirname "$0")" && pwd)"
cd "$here/../.."
rows=${1:-100000}
venv="$here/.venv"
if [ ! -x "$venv/bin/python" ]; then
  python3 -m venv "$venv"
  "$venv/bin/pip" install -q "dns-lexicon==3.25.2"
fi
cargo build --release -q -p dmapi-tests --example parse-file
bin=target/release/examples/parse-file
payload=$(mktemp --suffix=.txt)
trap 'rm -f "$payload"' EXIT
"$bin" write "$rows" "$payload"
echo "payload: $rows rows, $(wc -c <"$payload") bytes"
results=$( {
  printf 'dmapi typed, borrowed rows\t%s\n' "$("$bin" time-borrowed "$payload" 5)"
  printf 'dmapi typed, streamed rows\t%s\n' "$("$bin" time-stream "$payload" 5)"
  printf 'dmapi typed, owned rows\t%s\n' "$("$bin" time "$payload" 5)"
  printf 'Rust naive split (unchecked)\t%s\n' "$("$bin" time-naive "$payload" 5)"
  "$venv/bin/python" "$here/parsers.py" "$payload" 5
} )
printf '%-28s %10s %8s\n' implementation MB/s ratio
fastest_python=$(printf '%s\n' "$results" | grep Python | cut -f2 | sort -g | tail -1)
printf '%s\n' "$results" | while IFS=$'\t' read -r name mbs; do
  printf '%-28s %10s %7.1fx\n' "$name" "$mbs" "$(echo "$mbs / $fastest_python" | bc -l)"
done
