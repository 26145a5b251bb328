#!/usr/bin/env bash
# Bench: POST /api/v1/products/import of N CSV rows (default 20,000 new products in a licensed
# prefix, so each row also issues its GTIN) on SQLite and on PostgreSQL, then the same body
# again (every row unchanged); prints rows/s for each. Target (issue 18): at least 5,000 rows/s
# on PostgreSQL for the first import.
#
# Run from the repository root after `cargo build --release -p server`:
#   bench/import.sh
# Environment: PG_URL (default postgres://postgres@127.0.0.1:5432/test), N (20000).
# Needs curl, jq, python3 and psql. Everything it creates (a temp directory with the SQLite file
# and the keys, a PostgreSQL schema bench_<pid>) is removed on exit.
set -euo pipefail

BIN=${BIN:-target/release/gs1dpp-server}
PG_URL=${PG_URL:-postgres://postgres@127.0.0.1:5432/test}
N=${N:-20000}
PREFIX=8934568
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

# N rows of GTIN-13s in $PREFIX with their check digits.
python3 - "$N" "$PREFIX" >"$TMP/rows.csv" <<'PY'
import sys
n, prefix = int(sys.argv[1]), sys.argv[2]
print("gtin,name_vi,name_en,net_content,net_content_unit,target_markets")
width = 12 - len(prefix)
for i in range(n):
    body = prefix + str(i).zfill(width)
    s = sum(int(d) * (3 if k % 2 else 1) for k, d in enumerate(body))
    print(f"{body}{(10 - s % 10) % 10},Sản phẩm {i},Product {i},500,GRM,VN;US")
PY

login() {
    curl -sf -H 'content-type: application/json' \
        -d "{\"email\":\"$1\",\"password\":\"$PASSWORD\"}" \
        "http://127.0.0.1:$PORT/api/v1/auth/login" | jq -r .access_token
}

# Starts the server on DATABASE_URL, licenses the prefix, imports twice, prints rows/s.
run() {
    local label=$1
    "$BIN" migrate >/dev/null
    echo "$PASSWORD" | "$BIN" admin create-user --email admin@bench.vn --org Platform \
        --role admin --password-stdin >/dev/null
    echo "$PASSWORD" | "$BIN" admin create-user --email exporter@bench.vn --org 'Bench Exporter' \
        --role exporter --password-stdin >/dev/null
    "$BIN" serve >"$TMP/server-$label.log" 2>&1 &
    SERVER_PID=$!
    for _ in $(seq 100); do
        curl -sf "http://127.0.0.1:$PORT/readyz" >/dev/null && break
        sleep 0.1
    done
    local admin exporter org
    admin=$(login admin@bench.vn)
    exporter=$(login exporter@bench.vn)
    org=$(curl -sf -H "authorization: Bearer $exporter" "http://127.0.0.1:$PORT/api/v1/me" | jq -r .org.id)
    curl -sf -H "authorization: Bearer $admin" -H 'content-type: application/json' \
        -d "{\"org_id\":\"$org\",\"prefix\":\"$PREFIX\"}" "http://127.0.0.1:$PORT/api/v1/prefixes" >/dev/null
    for pass in new unchanged; do
        local start end out
        start=$(now)
        out=$(curl -sf -H "authorization: Bearer $exporter" -H 'content-type: text/csv' \
            --data-binary @"$TMP/rows.csv" "http://127.0.0.1:$PORT/api/v1/products/import")
        end=$(now)
        local want=created
        [[ $pass == unchanged ]] && want=unchanged
        [[ $(jq -r ".$want" <<<"$out") == "$N" ]] || { echo "$label $pass: $out" >&2; exit 1; }
        awk -v l="$label" -v p="$pass" -v n="$N" -v a="$start" -v b="$end" \
            'BEGIN { printf "%-9s %-9s %6d rows in %6.2f s: %7.0f rows/s\n", l, p, n, b - a, n / (b - a) }'
    done
    kill "$SERVER_PID"; wait "$SERVER_PID" 2>/dev/null || true; SERVER_PID=
}

export BIND="127.0.0.1:$PORT" DATA_DIR="$TMP" RUST_LOG=warn RATE_LIMIT_PER_MINUTE=0

export DATABASE_URL="sqlite://$TMP/bench.db"
run sqlite

psql -q "$PG_URL" -c "CREATE SCHEMA $SCHEMA" >/dev/null
SEP='?'; [[ $PG_URL == *\?* ]] && SEP='&'
export DATABASE_URL="$PG_URL${SEP}options=-csearch_path%3D$SCHEMA"
run postgres
