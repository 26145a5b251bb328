#!/usr/bin/env bash
# Bench: labels per second beside zint, and a 10,000-label PDF sheet over HTTP.
#
#   cargo build --release -p server -p scanner-cli && bench/labels.sh
#
# 1. 10,000 GS1 DataMatrix PNGs, X 0.5 mm at 300 dpi (6 px a module), for serials of one
#    product, by `gs1scan labels` (both cores) and by `zint --batch` (one process; zint has no
#    threads), in the same run, alternating for ROUNDS rounds (3); the median labels/s of each
#    and the ratio ours/zint.
# 2. 10,000 Digital Link QR SVGs, the same way.
# 3. The server (SQLite, seeded with `seed --demo`, 10,000 serials commissioned through the API)
#    draws a 10,000-label A4 sheet: seconds, PDF size, and the server's peak RSS (VmHWM) before
#    and after.
# Environment: N (10000), KEEP_TMP. Needs zint (Debian package; installed if missing), python3.
set -euo pipefail
cd "$(dirname "$0")/.."
N=${N:-10000}
GS1SCAN=target/release/gs1scan
SERVER=target/release/gs1dpp-server
TMP=$(mktemp -d)
PORT=$((30000 + $$ % 10000))
SERVER_PID=
cleanup() {
    [[ -n $SERVER_PID ]] && kill "$SERVER_PID" 2>/dev/null || true
    wait 2>/dev/null || true
    [[ -n ${KEEP_TMP:-} ]] || rm -rf "$TMP"
}
trap cleanup EXIT

[[ -x $GS1SCAN && -x $SERVER ]] || { echo "build first: cargo build --release -p server -p scanner-cli" >&2; exit 1; }
command -v zint >/dev/null || { apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq zint; }

GTIN=08934567000017
seq -f "(01)${GTIN}(21)S%05g" "$N" >"$TMP/ais.txt"
sed -e 's/(/[/g' -e 's/)/]/g' "$TMP/ais.txt" >"$TMP/zint-ais.txt"
seq -f "https://id.gs1.org/01/${GTIN}/21/S%05g" "$N" >"$TMP/uris.txt"

now() { date +%s.%N; }
rate() { awk -v n="$N" -v s="$1" -v e="$2" 'BEGIN { printf "%.0f", n / (e - s) }'; }

# Files go to memory (/dev/shm when there is one): on this VM the disk's speed wanders more than
# either encoder's. Each side runs ROUNDS times, alternating, and the median rate counts.
OUT=$TMP
[[ -d /dev/shm && -w /dev/shm ]] && OUT=$(mktemp -d /dev/shm/labels.XXXXXX)
ROUNDS=${ROUNDS:-3}
median() { sort -n | awk '{a[NR]=$1} END {print a[int((NR+1)/2)]}'; }
# Times one command ($2...) that writes into the fresh folder $1; prints labels/s.
timed() {
    local dir=$1
    shift
    rm -rf "$dir" && mkdir -p "$dir"
    local s e
    s=$(now)
    "$@" >/dev/null
    e=$(now)
    rate "$s" "$e"
}
compare() {
    local ours=() zints=()
    for _ in $(seq "$ROUNDS"); do
        ours+=("$(timed "$OUT/ours" "${OURS[@]}")")
        zints+=("$(timed "$OUT/zint" "${ZINT[@]}")")
    done
    printf '%s\n' "${ours[@]}" | median
    printf '%s\n' "${zints[@]}" | median
}

echo "== $N GS1 DataMatrix PNGs, X 0.5 mm at 300 dpi ($ROUNDS rounds each)"
OURS=("$GS1SCAN" labels "$TMP/ais.txt" --out-dir "$OUT/ours" --format png --symbology gs1-datamatrix --x-mm 0.5 --dpi 300)
# --square: the same square ECC 200 symbol as ours (zint may pick a rectangle otherwise);
# --scale=3 is 6 px a module, as 0.5 mm at 300 dpi.
ZINT=(zint --batch --barcode=71 --gs1 --square --scale=3 --filetype=png --output="$OUT/zint/~~~~~.png" -i "$TMP/zint-ais.txt")
{ read -r DM_OURS; read -r DM_ZINT; } < <(compare)

echo "== $N Digital Link QR SVGs ($ROUNDS rounds each)"
OURS=("$GS1SCAN" labels "$TMP/uris.txt" --out-dir "$OUT/ours" --format svg --symbology qr)
ZINT=(zint --batch --barcode=58 --filetype=svg --output="$OUT/zint/~~~~~.svg" -i "$TMP/uris.txt")
{ read -r QR_OURS; read -r QR_ZINT; } < <(compare)
[[ $OUT == "$TMP" ]] || rm -rf "$OUT"

echo "== a $N-label A4 sheet over HTTP"
export DATABASE_URL="sqlite://$TMP/bench.db" DATA_DIR="$TMP" BIND="127.0.0.1:$PORT" RUST_LOG=warn RATE_LIMIT_PER_MINUTE=0
"$SERVER" seed --demo >"$TMP/seed.json"
"$SERVER" serve >"$TMP/server.log" 2>&1 &
SERVER_PID=$!
for _ in $(seq 100); do curl -s -o /dev/null "http://127.0.0.1:$PORT/readyz" && break; sleep 0.1; done
hwm() { awk '/VmHWM/ {printf "%.0f", $2 / 1024}' "/proc/$SERVER_PID/status"; }
# Step 1 commissions the serials through the API; step 2 times the sheet, reading it as it
# streams. The server's peak RSS is read after each.
cat >"$TMP/client.py" <<'PY'
import json, sys, time, urllib.request
step, port, tmp, n = sys.argv[1], sys.argv[2], sys.argv[3], int(sys.argv[4])
seed = json.load(open(f"{tmp}/seed.json"))
base = f"http://127.0.0.1:{port}"
def call(path, body, headers=None):
    h = {"content-type": "application/json", **(headers or {})}
    return urllib.request.urlopen(urllib.request.Request(base + path, json.dumps(body).encode(), h))
ex = seed["users"]["exporter"]
password = ex["password"] or open(f"{tmp}/password").read()
open(f"{tmp}/password", "w").write(password)
token = json.load(call("/api/v1/auth/login", {"email": ex["email"], "password": password}))["access_token"]
auth = {"authorization": "Bearer " + token}
gtin = seed["gtins"]["with_serial"]
serials = {"prefix": "B", "start": 1, "count": n, "width": 6}
if step == "commission":
    call(f"/api/v1/products/{gtin}/serials", {"range": serials},
         {**auth, "Idempotency-Key": "bench-labels"}).read()
    sys.exit(0)
start = time.time()
res = call("/api/v1/labels/sheets", {"gtin": gtin, "range": serials,
           "page": {"size": "a4", "columns": 4, "rows": 10, "margin_mm": 8}}, auth)
size = 0
while True:
    chunk = res.read(1 << 16)
    if not chunk:
        break
    size += len(chunk)
print(f"{time.time() - start:.2f} {size}")
PY
python3 "$TMP/client.py" commission "$PORT" "$TMP" "$N"
BEFORE_RSS=$(hwm)
python3 "$TMP/client.py" sheet "$PORT" "$TMP" "$N" >"$TMP/sheet.txt"
read -r SHEET_S SHEET_BYTES <"$TMP/sheet.txt"
SHEET_RSS=$(hwm)

printf '\n%-34s %12s %12s %8s\n' "case" "ours (/s)" "zint (/s)" "ratio"
printf '%-34s %12s %12s %8s\n' "GS1 DataMatrix PNG, 0.5 mm 300 dpi" "$DM_OURS" "$DM_ZINT" "$(awk -v a="$DM_OURS" -v b="$DM_ZINT" 'BEGIN{printf "%.2f", a/b}')"
printf '%-34s %12s %12s %8s\n' "Digital Link QR SVG" "$QR_OURS" "$QR_ZINT" "$(awk -v a="$QR_OURS" -v b="$QR_ZINT" 'BEGIN{printf "%.2f", a/b}')"
printf '%s-label A4 sheet: %s s, %s bytes; server peak RSS %s MB before it, %s MB after\n' \
    "$N" "$SHEET_S" "$SHEET_BYTES" "$BEFORE_RSS" "$SHEET_RSS"
