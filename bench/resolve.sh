#!/usr/bin/env bash
# Bench: the public resolver under load. Seeds N products (default 1,000,000) into a fresh
# SQLite database, starts the release server with one HTTP worker (wrk gets the other core),
# and runs wrk against
#   1. the cached default redirect   GET /01/{gtin}                (one hot GTIN)
#   2. the cold path                 GET /01/{gtin}                (a different GTIN per request)
#   3. the lookup JSON               GET /api/v1/lookup?code={gtin} (one hot GTIN)
# printing req/s, p50, p99 and the server's CPU time per request for each. When nginx is
# installed it also runs nginx (one worker) returning a fixed 307 with the same wrk settings
# and prints our/nginx ratios, by req/s and by CPU per request; last, the server's peak RSS
# (VmHWM). Rate limiting is off (RATE_LIMIT_PER_MINUTE=0): wrk is one IP.
# With REDIS=redis://host:port, a second server on the same database with REDIS_URL set (its own
# key prefix) is measured on the cached redirect in the same rounds, and the ratio printed
# (target: with Redis at least 0.9 of the rate without; a cached hit must not touch Redis).
# Targets: cached redirect >= 0.7 of nginx with p99 < 5 ms; cold path >= 0.3
# of nginx; RSS < 200 MB.
#
# Run from the repository root after `cargo build --release -p server`:
#   bench/resolve.sh
# Environment: N (1000000), DURATION (5s), ROUNDS (3), CONNECTIONS (64), REUSE_DB (a seeded
# SQLite file to copy instead of seeding), KEEP_DB (a path to copy the seeded file to). Needs
# wrk and curl; nginx and taskset optional. Everything else lives in a temp directory removed on
# exit. The server and nginx are pinned to CPU 0 and wrk to CPU 1 when taskset is there; each
# case runs ROUNDS times, interleaved with nginx, and the medians are compared.
set -euo pipefail

BIN=${BIN:-target/release/gs1dpp-server}
N=${N:-1000000}
DURATION=${DURATION:-5s}
CONNECTIONS=${CONNECTIONS:-64}
PORT=$((20000 + $$ % 10000))
NGINX_PORT=$((PORT + 1))
TMP=$(mktemp -d)
SERVER_PID=
NGINX_PID=
REDIS_PID=
REDIS=${REDIS:-}

cleanup() {
    [[ -n $SERVER_PID ]] && kill "$SERVER_PID" 2>/dev/null && wait "$SERVER_PID" 2>/dev/null
    [[ -n $NGINX_PID ]] && kill "$NGINX_PID" 2>/dev/null
    [[ -n $REDIS_PID ]] && kill "$REDIS_PID" 2>/dev/null && wait "$REDIS_PID" 2>/dev/null
    rm -rf "$TMP"
}
trap cleanup EXIT

# shellcheck source=bench/nginx.sh
source "$(dirname "$0")/nginx.sh"

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
    [[ -n ${KEEP_DB:-} ]] && cp "$TMP/bench.db" "$KEEP_DB"
    echo "   $(cat "$TMP/seed.json") in $(awk -v s="$start" -v e="$(date +%s.%N)" 'BEGIN{printf "%.0f", e-s}') s"
fi
# The seed or the copy leaves a gigabyte and more of dirty pages; flush them now, or the
# kernel writes them back during the first rounds and the server is measured against the disk.
sync

# Pinned: the server (and later nginx) on CPU 0, wrk on CPU 1, so neither steals the other's
# core; unpinned, the scheduler now and then stacks both on one core and a run loses half.
PIN_SERVER= PIN_WRK=
if command -v taskset >/dev/null && (($(nproc) >= 2)); then
    PIN_SERVER="taskset -c 0" PIN_WRK="taskset -c 1"
fi
$PIN_SERVER "$BIN" serve >"$TMP/server.log" 2>&1 &
SERVER_PID=$!
for _ in $(seq 200); do
    curl -sf "http://127.0.0.1:$PORT/readyz" >/dev/null && break
    sleep 0.1
done
if [[ -n $REDIS ]]; then
    REDIS_HTTP=$((PORT + 2))
    BIND="127.0.0.1:$REDIS_HTTP" REDIS_URL="$REDIS" REDIS_KEY_PREFIX="bench:$$:" \
        $PIN_SERVER "$BIN" serve >"$TMP/server-redis.log" 2>&1 &
    REDIS_PID=$!
    for _ in $(seq 200); do
        curl -sf "http://127.0.0.1:$REDIS_HTTP/readyz" >/dev/null && break
        sleep 0.1
    done
    curl -sf "http://127.0.0.1:$REDIS_HTTP/readyz" | grep -q '"redis":"ok"' \
        || { echo "the server with REDIS_URL=$REDIS is not ready with redis" >&2; cat "$TMP/server-redis.log" >&2; exit 1; }
fi
HOT=$(gtin 4242)
curl -sf -o /dev/null -w '%{http_code}' "http://127.0.0.1:$PORT/01/$HOT" | grep -q 307 \
    || { echo "the resolver does not redirect /01/$HOT" >&2; cat "$TMP/server.log" >&2; exit 1; }

# The cold path: round r asks for GTINs from its own block of N/ROUNDS item references, each
# once (a stride coprime with the block), so no request finds a cached answer.
cold_script() {
    local round=$1 block=$((N / ROUNDS))
    cat >"$TMP/cold-$round.lua" <<LUA
local start, block, i = $(((round - 1) * (N / ROUNDS))), $block, 0
local function gtin(ref)
  local body = string.format("893999%06d", ref)
  local sum = 0
  for k = 1, 12 do
    local d = tonumber(body:sub(k, k))
    if k % 2 == 0 then sum = sum + 3 * d else sum = sum + d end
  end
  return "0" .. body .. tostring((10 - sum % 10) % 10)
end
request = function()
  i = i + 1
  return wrk.format("GET", "/01/" .. gtin(start + (i * 7919) % block))
end
LUA
    echo "$TMP/cold-$round.lua"
}

# CPU time (user + system, clock ticks) process $1 has used so far; 0 when it is gone.
CLK_TCK=$(getconf CLK_TCK 2>/dev/null || echo 100)
ticks() { awk '{print $14 + $15}' "/proc/$1/stat" 2>/dev/null || echo 0; }

# Runs wrk once against the process $3 (a pid); sets RPS, P50 and P99 (ms) and CPU_US, the
# process's CPU time per request in µs. On a VM whose speed wanders from minute to minute,
# CPU per request moves far less than req/s does.
RPS=0 P50=0 P99=0 CPU_US=0
wrk_once() {
    local url=$1 script=${2:-} pid=${3:-} out t0 t1
    t0=$(ticks "$pid")
    if [[ -n $script ]]; then
        out=$($PIN_WRK wrk -t1 -c"$CONNECTIONS" -d"$DURATION" --latency -s "$script" "$url")
    else
        out=$($PIN_WRK wrk -t1 -c"$CONNECTIONS" -d"$DURATION" --latency "$url")
    fi
    if grep -qE "Non-2xx|Socket errors" <<<"$out" && [[ $url != *":$NGINX_PORT"* ]]; then
        # 3xx count as non-2xx for wrk; only socket errors matter here.
        grep -q "Socket errors" <<<"$out" && echo "   wrk: $(grep 'Socket errors' <<<"$out")" >&2
    fi
    t1=$(ticks "$pid")
    RPS=$(awk '/^Requests\/sec/ {printf "%.0f", $2}' <<<"$out")
    COLD_REQUESTS=$(awk '/requests in/ {print $1}' <<<"$out")
    CPU_US=$(awk -v t=$((t1 - t0)) -v hz="$CLK_TCK" -v n="$COLD_REQUESTS" 'BEGIN { printf "%.1f", (n > 0 ? t * 1e6 / hz / n : 0) }')
    ms() { awk -v v="$1" 'BEGIN { if (v ~ /us$/) printf "%.2f", v/1000; else if (v ~ /ms$/) printf "%.2f", v+0; else printf "%.2f", v*1000 }'; }
    P50=$(ms "$(awk '$1 == "50%" {print $2}' <<<"$out")")
    P99=$(ms "$(awk '$1 == "99%" {print $2}' <<<"$out")")
}

median() { tr ' ' '\n' <<<"$*" | sort -n | awk '{a[NR]=$1} END {print a[int((NR+1)/2)]}'; }

# The VM's throughput wanders by 20% from run to run, so every case runs ROUNDS times,
# interleaved with nginx, and the medians are compared.
ROUNDS=${ROUNDS:-3}
declare -A R P5 P9 CPU
measure() {
    local key=$1 url=$2 script=${3:-} pid=$SERVER_PID
    [[ $key == nginx ]] && pid=$NGINX_WORKER
    [[ $key == cached_redis ]] && pid=$REDIS_PID
    wrk_once "$url" "$script" "$pid"
    R[$key]="${R[$key]:-} $RPS"; P5[$key]="${P5[$key]:-} $P50"; P9[$key]="${P9[$key]:-} $P99"
    CPU[$key]="${CPU[$key]:-} $CPU_US"
}

HAVE_NGINX=
if command -v nginx >/dev/null; then
    nginx_conf "$TMP/nginx" "$NGINX_PORT" "$PORT" "$HOT"
    $PIN_SERVER nginx -c "$TMP/nginx/nginx.conf" &
    NGINX_PID=$!
    sleep 0.5
    NGINX_WORKER=$(pgrep -P "$NGINX_PID" | head -1)
    HAVE_NGINX=1
else
    echo "nginx not installed: no ratios (apt-get install nginx-light)"
fi

echo "== wrk -t1 -c$CONNECTIONS -d$DURATION, $ROUNDS rounds, server with 1 worker"
curl -s -o /dev/null "http://127.0.0.1:$PORT/01/$HOT"
[[ -n $REDIS ]] && curl -s -o /dev/null "http://127.0.0.1:$REDIS_HTTP/01/$HOT"
for ((round = 1; round <= ROUNDS; round++)); do
    measure cached "http://127.0.0.1:$PORT/01/$HOT"
    [[ -n $REDIS ]] && measure cached_redis "http://127.0.0.1:$REDIS_HTTP/01/$HOT"
    [[ -n $HAVE_NGINX ]] && measure nginx "http://127.0.0.1:$NGINX_PORT/01/$HOT"
    measure cold "http://127.0.0.1:$PORT" "$(cold_script "$round")"
    if ((COLD_REQUESTS > N / ROUNDS)); then
        echo "   warning: $COLD_REQUESTS cold requests exceed the block of $((N / ROUNDS)); some repeat" >&2
    fi
    measure lookup "http://127.0.0.1:$PORT/api/v1/lookup?code=$HOT"
    echo "   round $round: cached$(cut -d' ' -f$((round + 1)) <<<"${R[cached]}") nginx$(cut -d' ' -f$((round + 1)) <<<"${R[nginx]:- -}") cold$(cut -d' ' -f$((round + 1)) <<<"${R[cold]}") lookup$(cut -d' ' -f$((round + 1)) <<<"${R[lookup]}") req/s"
done
RSS_KB=$(awk '/VmHWM/ {print $2}' "/proc/$SERVER_PID/status")

printf '%-28s %10s %10s %10s %12s\n' "median of $ROUNDS" "req/s" "p50 ms" "p99 ms" "cpu us/req"
for key in cached cached_redis cold lookup nginx; do
    [[ -z ${R[$key]:-} ]] && continue
    label=$key
    case $key in
        cached) label="cached default redirect" ;;
        cached_redis) label="cached, with REDIS_URL" ;;
        cold) label="cold path (distinct GTINs)" ;;
        lookup) label="lookup JSON" ;;
        nginx) label="nginx fixed 307" ;;
    esac
    printf '%-28s %10s %10s %10s %12s\n' "$label" "$(median ${R[$key]})" "$(median ${P5[$key]})" "$(median ${P9[$key]})" "$(median ${CPU[$key]})"
done
if [[ -n $HAVE_NGINX ]]; then
    awk -v c="$(median ${R[cached]})" -v k="$(median ${R[cold]})" -v l="$(median ${R[lookup]})" -v n="$(median ${R[nginx]})" 'BEGIN {
        printf "ratios to nginx: cached redirect %.2f (target >= 0.7), cold path %.2f (target >= 0.3), lookup %.2f\n", c/n, k/n, l/n }'
    # The same comparison by CPU per request (nginx's / ours): steadier on a noisy machine.
    awk -v c="$(median ${CPU[cached]})" -v k="$(median ${CPU[cold]})" -v l="$(median ${CPU[lookup]})" -v n="$(median ${CPU[nginx]})" 'BEGIN {
        if (c > 0 && k > 0 && l > 0) printf "by CPU per request (nginx/ours): cached redirect %.2f, cold path %.2f, lookup %.2f\n", n/c, n/k, n/l }'
fi
if [[ -n $REDIS ]]; then
    awk -v c="$(median ${R[cached]})" -v r="$(median ${R[cached_redis]})" -v cc="$(median ${CPU[cached]})" -v rc="$(median ${CPU[cached_redis]})" 'BEGIN {
        printf "with REDIS_URL / without: cached redirect %.2f by req/s, %.2f by CPU per request (target >= 0.9)\n", r/c, (rc > 0 ? cc/rc : 0) }'
fi
echo "server peak RSS: $((RSS_KB / 1024)) MB (target < 200 MB)"
