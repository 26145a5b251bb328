#!/usr/bin/env bash
# Bench: commission 1,000,000 serials through the API (10 x 100,000, range form) on SQLite and on
# PostgreSQL, then `psql \copy` the same 1,000,000 rows into an equivalent scratch table as the
# ceiling, and print rows/s and our/COPY ratio (target: at least 0.5).
#
# Run from the repository root after `cargo build --release -p server`:
#   bench/commission.sh
# Environment: PG_URL (default postgres://postgres@127.0.0.1:5432/test), BATCHES (10), PER (100000).
# Needs curl, jq, sqlite3 and psql. Everything it creates (a temp directory with the SQLite file
# and the JWT secret, a PostgreSQL schema bench_<pid>) is removed on exit.
set -euo pipefail

BIN=${BIN:-target/release/gs1dpp-server}
PG_URL=${PG_URL:-postgres://postgres@127.0.0.1:5432/test}
BATCHES=${BATCHES:-10}
PER=${PER:-100000}
TOTAL=$((BATCHES * PER))
GTIN=08934567890120
PASSWORD='bench password 0123456789'
PORT=$((20000 + $$ % 10000))
TMP=$(mktemp -d)
SCHEMA="bench_$$"
SERVER_PID=

cleanup() {
    [[ -n $SERVER_PID ]] && kill "$SERVER_PID" 2>/dev/null && wait "$SERVER_PID" 2>/dev/null
    psql -q "$PG_URL" -c "DROP SCHEMA IF EXISTS $SCHEMA CASCADE" >/dev/null 2>&1 || true
    rm -rf "$TMP"
}
trap cleanup EXIT

[[ -x $BIN ]] || { echo "build first: cargo build --release -p server" >&2; exit 1; }
now() { date +%s.%N; }
rate() { awk -v n="$1" -v s="$2" 'BEGIN { printf "%.0f", n / s }'; }

# Migrates, creates the admin and the exporter, inserts the product with $1 (an SQL runner).
bootstrap() {
    local sql=$1
    "$BIN" migrate >/dev/null
    echo "$PASSWORD" | "$BIN" admin create-user --email admin@bench.vn --org Platform \
        --role admin --password-stdin >/dev/null
    echo "$PASSWORD" | "$BIN" admin create-user --email exporter@bench.vn --org 'Bench Exporter' \
        --role exporter --password-stdin >/dev/null
    $sql "INSERT INTO products (id, org_id, gtin, name_vi, name_en, status, created_at, updated_at)
          SELECT 'bench-product', id, '$GTIN', 'Cà phê', 'Coffee', 'active', $NOW, $NOW
          FROM organisations WHERE name = 'Bench Exporter'"
}

# Starts the server, commissions TOTAL serials, prints and returns (in RATE) rows/s.
run_api() {
    local label=$1
    "$BIN" serve >"$TMP/server-$label.log" 2>&1 &
    SERVER_PID=$!
    for _ in $(seq 100); do
        curl -sf "http://127.0.0.1:$PORT/readyz" >/dev/null && break
        sleep 0.1
    done
    local token
    token=$(curl -sf -H 'content-type: application/json' \
        -d "{\"email\":\"exporter@bench.vn\",\"password\":\"$PASSWORD\"}" \
        "http://127.0.0.1:$PORT/api/v1/auth/login" | jq -r .access_token)
    local start end
    start=$(now)
    for i in $(seq 0 $((BATCHES - 1))); do
        local body="{\"range\":{\"prefix\":\"B\",\"start\":$((i * PER + 1)),\"count\":$PER,\"width\":9}}"
        local out
        out=$(curl -s -w '\n%{http_code}' -H "authorization: Bearer $token" \
            -H 'content-type: application/json' -H "idempotency-key: bench-$i" \
            -d "$body" "http://127.0.0.1:$PORT/api/v1/products/$GTIN/serials")
        [[ ${out##*$'\n'} == 201 ]] || { echo "$label batch $i failed: $out" >&2; exit 1; }
    done
    end=$(now)
    kill "$SERVER_PID"; wait "$SERVER_PID" 2>/dev/null || true; SERVER_PID=
    RATE=$(rate "$TOTAL" "$(awk -v a="$start" -v b="$end" 'BEGIN { print b - a }')")
    printf '%-10s %9d serials in %6.2f s: %8d rows/s\n' "$label" "$TOTAL" \
        "$(awk -v a="$start" -v b="$end" 'BEGIN { print b - a }')" "$RATE"
}

export BIND="127.0.0.1:$PORT" DATA_DIR="$TMP" RUST_LOG=warn

# SQLite.
export DATABASE_URL="sqlite://$TMP/bench.db"
NOW="strftime('%Y-%m-%d %H:%M:%f', 'now')"
bootstrap "sqlite3 $TMP/bench.db"
run_api sqlite
SQLITE_RATE=$RATE

# PostgreSQL, in a fresh schema.
psql -q "$PG_URL" -c "CREATE SCHEMA $SCHEMA" >/dev/null
SEP='?'; [[ $PG_URL == *\?* ]] && SEP='&'
export DATABASE_URL="$PG_URL${SEP}options=-csearch_path%3D$SCHEMA"
PSQL=(psql -q -v ON_ERROR_STOP=1 "$DATABASE_URL")
NOW="(now() AT TIME ZONE 'utc')"
bootstrap "${PSQL[*]} -c"
run_api postgres
PG_RATE=$RATE

# The ceiling: \copy of the same rows into a table like serials (same primary key).
"${PSQL[@]}" -c "CREATE TABLE copy_serials (LIKE serials INCLUDING ALL)"
"${PSQL[@]}" -c "\\copy (SELECT gtin, 'C' || serial, org_id, lot, state, job_id, updated_at FROM serials) TO '$TMP/rows.tsv'"
start=$(now)
"${PSQL[@]}" -c "\\copy copy_serials (gtin, serial, org_id, lot, state, job_id, updated_at) FROM '$TMP/rows.tsv'"
end=$(now)
secs=$(awk -v a="$start" -v b="$end" 'BEGIN { print b - a }')
COPY_RATE=$(rate "$TOTAL" "$secs")
printf '%-10s %9d rows    in %6.2f s: %8d rows/s\n' "psql-copy" "$TOTAL" "$secs" "$COPY_RATE"
awk -v a="$PG_RATE" -v b="$COPY_RATE" -v s="$SQLITE_RATE" \
    'BEGIN { printf "our/COPY: postgres %.2f, sqlite %.2f (target >= 0.50)\n", a / b, s / b }'
