#!/usr/bin/env bash
# Bench: the public resolver under load. Seeds N products (default 1,000,000) into a fresh
# SQLite database, starts the release server with one HTTP worker (wrk gets the other core),
# and runs wrk against
#   1. the cached default redirect   GET /01/{gtin}                (one hot GTIN)
#   2. the cold path                 GET /01/{gtin}                (a different GTIN per request)
#   3. the lookup JSON               GET /api/v1/lookup?code={gtin} (one hot GTIN)
# printing req/s, p50 and p99 for each. When nginx is installed it also runs nginx (one worker)
# returning a fixed 307 with the same wrk settings and prints our/nginx ratios; last, the
# server's peak RSS. Targets: cached redirect >= 0.7 of nginx with p99 < 5 ms; cold path >= 0.3
# of nginx; RSS < 200 MB.
#
# Run from the repository root after `cargo build --release -p server`:
#   bench/resolve.sh
# Environment: N (1000000), DURATION (10s), CONNECTIONS (64), REUSE_DB (a seeded SQLite file to
# copy instead of seeding). Needs wrk and curl; nginx optional. Everything it creates lives in a
# temp directory removed on exit.
set -euo pipefail

BIN=${BIN:-target/release/gs1dpp-server}
N=${N:-1000000}
DURATION=${DURATION:-10s}
CONNECTIONS=${CONNECTIONS:-64}
PORT=$((20000 + $$ % 10000))
NGINX_PORT=$((PORT + 1))
TMP=$(mktemp -d)
SERVER_PID=
NGINX_PID=

cleanup() {
    [[ -n $SERVER_PID ]] && kill "$SERVER_PID" 2>/dev/null && wait "$SERVER_PID" 2>/dev/null
    [[ -n $NGINX_PID ]] && kill "$NGINX_PID" 2>/dev/null
    rm -rf "$TMP"
}
trap cleanup EXIT

[[ -x $BIN ]] || { echo "build first: cargo build --release -p server" >&2; exit 1; }
command -v wrk >/dev/null || { echo "needs wrk (apt-get install wrk)" >&2; exit 1; }

export DATABASE_URL="sqlite://$TMP/bench.db" DATA_DIR="$TMP" BIND="127.0.0.1:$PORT"
export RUST_LOG=warn WORKERS=1 RATE_LIMIT_PER_MINUTE=0

# The GTIN-13 of item reference $1 under the load-test prefix 893999, as 14 digits.
gtin() {
    local body sum=0 i d
    body=$(printf '893999%06d' "$1")
    for ((i = 0; i < 12; i++)); do
        d=${body:i:1}
        if ((i % 2)); then sum=$((sum + 3 * d)); else sum=$((sum + d)); fi
    done
    printf '0%s%d' "$body" $(((10 - sum % 10) % 10))
}

if [[ -n ${REUSE_DB:-} ]]; then
    cp "$REUSE_DB" "$TMP/bench.db"
    echo "== reusing $REUSE_DB"
else
    echo "== seeding $N products (SQLite)"
    start=$(date +%s.%N)
    "$BIN" seed --products "$N" >"$TMP/seed.json"
    echo "   $(cat "$TMP/seed.json") in $(awk -v s="$start" -v e="$(date +%s.%N)" 'BEGIN{printf "%.0f", e-s}') s"
fi

"$BIN" serve >"$TMP/server.log" 2>&1 &
SERVER_PID=$!
for _ in $(seq 200); do
    curl -sf "http://127.0.0.1:$PORT/readyz" >/dev/null && break
    sleep 0.1
done
HOT=$(gtin 4242)
curl -sf -o /dev/null -w '%{http_code}' "http://127.0.0.1:$PORT/01/$HOT" | grep -q 307 \
    || { echo "the resolver does not redirect /01/$HOT" >&2; cat "$TMP/server.log" >&2; exit 1; }

cat >"$TMP/cold.lua" <<LUA
-- A different GTIN per request: item references spread over the seeded range.
local n, i = $N, 0
local function gtin(ref)
  local body = string.format("893999%06d", ref)
  local sum = 0
  for k = 1, 12 do
    local d = tonumber(body:sub(k, k))
    if k % 2 == 0 then sum = sum + 3 * d else sum = sum + d end
  end
  return "0" .. body .. tostring((10 - sum % 10) % 10)
end
function setup(thread) thread:set("seed", math.random(0, n - 1)) end
request = function()
  i = i + 7919
  return wrk.format("GET", "/01/" .. gtin((seed + i) % n))
end
LUA

# Runs wrk; prints "label req/s p50 p99" and keeps req/s in RPS.
RPS=0
run() {
    local label=$1 url=$2 script=${3:-}
    local out
    if [[ -n $script ]]; then
        out=$(wrk -t1 -c"$CONNECTIONS" -d"$DURATION" --latency -s "$script" "$url")
    else
        out=$(wrk -t1 -c"$CONNECTIONS" -d"$DURATION" --latency "$url")
    fi
    RPS=$(awk '/^Requests\/sec/ {printf "%.0f", $2}' <<<"$out")
    local p50 p99 errors
    p50=$(awk '$1 == "50%" {print $2}' <<<"$out")
    p99=$(awk '$1 == "99%" {print $2}' <<<"$out")
    errors=$(grep -E "Non-2xx|Socket errors" <<<"$out" | tr -s ' ' | tr '\n' ';' || true)
    printf '%-28s %10s req/s   p50 %-9s p99 %-9s %s\n' "$label" "$RPS" "$p50" "$p99" "$errors"
}

echo "== wrk -t1 -c$CONNECTIONS -d$DURATION, server with 1 worker"
curl -s -o /dev/null "http://127.0.0.1:$PORT/01/$HOT"
run "cached default redirect" "http://127.0.0.1:$PORT/01/$HOT"; CACHED=$RPS
run "cold path (distinct GTINs)" "http://127.0.0.1:$PORT" "$TMP/cold.lua"; COLD=$RPS
run "lookup JSON" "http://127.0.0.1:$PORT/api/v1/lookup?code=$HOT"; LOOKUP=$RPS
RSS_KB=$(awk '/VmHWM/ {print $2}' "/proc/$SERVER_PID/status")

if command -v nginx >/dev/null; then
    mkdir -p "$TMP/nginx"
    cat >"$TMP/nginx/nginx.conf" <<NGX
worker_processes 1;
daemon off;
pid $TMP/nginx/nginx.pid;
error_log $TMP/nginx/error.log;
events { worker_connections 1024; }
http {
    access_log off;
    client_body_temp_path $TMP/nginx;
    proxy_temp_path $TMP/nginx;
    fastcgi_temp_path $TMP/nginx;
    uwsgi_temp_path $TMP/nginx;
    scgi_temp_path $TMP/nginx;
    server {
        listen 127.0.0.1:$NGINX_PORT;
        location / {
            add_header Link '<http://127.0.0.1:$PORT/01/$HOT?linkType=linkset>; rel="linkset"; type="application/linkset+json"';
            return 307 http://127.0.0.1:$PORT/01/$HOT?linkType=gs1:verificationService;
        }
    }
}
NGX
    nginx -c "$TMP/nginx/nginx.conf" &
    NGINX_PID=$!
    sleep 0.5
    run "nginx fixed 307" "http://127.0.0.1:$NGINX_PORT/01/$HOT"; NGINX=$RPS
    awk -v c="$CACHED" -v k="$COLD" -v l="$LOOKUP" -v n="$NGINX" 'BEGIN {
        printf "ratios to nginx: cached redirect %.2f (target >= 0.7), cold path %.2f (target >= 0.3), lookup %.2f\n", c/n, k/n, l/n }'
else
    echo "nginx not installed: no ratios (apt-get install nginx-light)"
fi
echo "server peak RSS: $((RSS_KB / 1024)) MB (target < 200 MB)"
