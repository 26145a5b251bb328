#!/usr/bin/env bash
# Bench: instructions per request, counted by valgrind's callgrind, for the resolver's cold
# path (a different GTIN per request), its cached default redirect, and nginx's fixed 307.
#
# wrk's req/s on this kind of VM wanders by 2x from minute to minute; instruction counts do
# not (same binary, same data: the same count within a fraction of a percent), so this is the
# figure to compare two builds by. It counts user space only: the kernel's share of a request
# (accept, recv, send: about a quarter of a cold miss, and most of nginx's) is not in it.
#
# Run from the repository root after `cargo build --release -p server`, with a seeded database
# (`KEEP_DB=/tmp/1m.db bench/resolve.sh` writes one):
#   REUSE_DB=/tmp/1m.db bench/instructions.sh
# Environment: REUSE_DB (required), N (products in it, 1000000), REQUESTS (2000), BIN. Needs
# valgrind and python3; nginx optional. Prints one line per case and the ratios.
set -euo pipefail

BIN=${BIN:-target/release/gs1dpp-server}
N=${N:-1000000}
REQUESTS=${REQUESTS:-2000}
PORT=$((30000 + $$ % 10000))
NGINX_PORT=$((PORT + 1))
TMP=$(mktemp -d)
PIDS=()

cleanup() {
    for p in "${PIDS[@]}"; do kill "$p" 2>/dev/null || true; done
    wait 2>/dev/null || true
    [[ -n ${KEEP_TMP:-} ]] || rm -rf "$TMP"
}
trap cleanup EXIT

# shellcheck source=bench/nginx.sh
source "$(dirname "$0")/nginx.sh"

[[ -x $BIN ]] || { echo "build first: cargo build --release -p server" >&2; exit 1; }
[[ -n ${REUSE_DB:-} && -f $REUSE_DB ]] || { echo "set REUSE_DB to a seeded database (see the header)" >&2; exit 1; }
command -v valgrind >/dev/null || { echo "needs valgrind" >&2; exit 1; }

cp "$REUSE_DB" "$TMP/bench.db"
export DATABASE_URL="sqlite://$TMP/bench.db" DATA_DIR="$TMP" BIND="127.0.0.1:$PORT"
export RUST_LOG=warn WORKERS=1 RATE_LIMIT_PER_MINUTE=0

# Sends the requests of file $2 (one path per line) to port $1 on one kept-alive connection.
send() {
    python3 - "$1" "$2" <<'PY'
import http.client, sys
conn = http.client.HTTPConnection("127.0.0.1", int(sys.argv[1]), timeout=120)
for path in open(sys.argv[2]).read().split():
    conn.request("GET", path)
    r = conn.getresponse()
    r.read()
    if r.status not in (307,):
        sys.exit(f"{path}: HTTP {r.status}")
PY
}

# Paths: "cold" gives $3 odd item references in a stride, each once; "warm" gives $3 even ones
# spread over all $4 products, so every leaf of the GTIN index is in SQLite's page cache before
# counting starts (as after the first seconds of a wrk run) and none of the cold answers is
# cached; "hot" gives reference $2, $3 times.
paths() {
    python3 - "$@" <<'PY'
import sys
def gtin(ref):
    body = "893999%06d" % ref
    s = sum(int(d) * (3 if k % 2 else 1) for k, d in enumerate(body))
    return "0" + body + str((10 - s % 10) % 10)
kind, start, count, n = sys.argv[1], int(sys.argv[2]), int(sys.argv[3]), int(sys.argv[4])
for i in range(count):
    if kind == "hot":
        ref = start
    elif kind == "warm":
        ref = 2 * (i * (n // 2) // count)
    else:
        ref = 2 * ((start + i * 7919) % (n // 2)) + 1
    print("/01/" + gtin(ref))
PY
}

wait_up() {
    for _ in $(seq 600); do
        curl -s -o /dev/null "http://127.0.0.1:$1/$2" && return 0
        sleep 0.1
    done
    echo "nothing answers on port $1" >&2
    exit 1
}

# Counts the instructions the process under callgrind ($1, its out file $2) spends on the
# requests in $3 sent to port $4: collection is switched on only around them.
count() {
    local pid=$1 out=$2 reqs=$3 port=$4
    callgrind_control -i on "$pid" >/dev/null
    send "$port" "$reqs"
    callgrind_control -i off "$pid" >/dev/null
    callgrind_control -d "$pid" >/dev/null
    # The dump just written (the last numbered part) holds the counts since the last dump.
    local part
    part=$(ls -v "$out".* 2>/dev/null | tail -1)
    awk '/^totals:/ {print $2}' "$part"
}

paths cold 0 "$REQUESTS" "$N" >"$TMP/cold"
paths warm 0 10000 "$N" >"$TMP/warm"
paths hot 4242 "$REQUESTS" "$N" >"$TMP/hot"

echo "== $BIN under callgrind, $REQUESTS requests per case"
valgrind --tool=callgrind --instr-atstart=no --callgrind-out-file="$TMP/server.cg" \
    "$BIN" serve >"$TMP/server.log" 2>&1 &
SERVER=$!
PIDS+=("$SERVER")
wait_up "$PORT" readyz
# Warm-up: code, SQLite's page cache, the allocator's pages.
send "$PORT" "$TMP/warm"
send "$PORT" "$TMP/hot"
COLD=$(count "$SERVER" "$TMP/server.cg" "$TMP/cold" "$PORT")
CACHED=$(count "$SERVER" "$TMP/server.cg" "$TMP/hot" "$PORT")

NGINX=
if command -v nginx >/dev/null; then
    # One process: callgrind counts the process it started.
    nginx_conf "$TMP/nginx" "$NGINX_PORT" "$PORT" "$(head -1 "$TMP/hot" | cut -d/ -f3)" \
        "master_process off;"
    valgrind --tool=callgrind --instr-atstart=no --callgrind-out-file="$TMP/nginx.cg" \
        nginx -c "$TMP/nginx/nginx.conf" >"$TMP/nginx.log" 2>&1 &
    NGINX_PID=$!
    PIDS+=("$NGINX_PID")
    wait_up "$NGINX_PORT" ""
    send "$NGINX_PORT" "$TMP/warm"
    NGINX=$(count "$NGINX_PID" "$TMP/nginx.cg" "$TMP/hot" "$NGINX_PORT")
fi

per() { awk -v t="$1" -v n="$REQUESTS" 'BEGIN { printf "%.0f", t / n }'; }
printf '%-28s %14s\n' "case" "instr/request"
printf '%-28s %14s\n' "cold path (distinct GTINs)" "$(per "$COLD")"
printf '%-28s %14s\n' "cached default redirect" "$(per "$CACHED")"
if [[ -n $NGINX ]]; then
    printf '%-28s %14s\n' "nginx fixed 307" "$(per "$NGINX")"
    awk -v c="$CACHED" -v k="$COLD" -v n="$NGINX" 'BEGIN {
        printf "nginx/ours (user-space instructions): cached %.2f, cold %.2f\n", n / c, n / k }'
fi
