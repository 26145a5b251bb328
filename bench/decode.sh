#!/usr/bin/env bash
# Bench: `barcode::decode` beside zxing-cpp on the reference barcode images.
#
#   bench/decode.sh
#
# Builds the `decode_times` example (release), which decodes every PNG of
# ../shared/reference/barcode-images N times (5) and prints each image's median milliseconds;
# then times zxingcpp.read_barcodes (the Python wheel, its defaults: try harder, rotate, invert)
# on the same images the same way, in the same run. Both sides time decoding the PNG from bytes
# already in memory plus reading the symbols (reading the file is outside the timing; our PNG
# decode is `image`'s, theirs Pillow's). Prints both medians over all images and the ratio
# ours/zxing-cpp (the target is at most 1).
# Environment: N (5), IMAGES (the folder), VENV (/tmp/gs1dpp-bench-venv, reused if present),
# KEEP_TMP. Needs python3 with venv; pip installs zxing-cpp, pillow and numpy into VENV.
set -euo pipefail
cd "$(dirname "$0")/.."
N=${N:-5}
IMAGES=${IMAGES:-../shared/reference/barcode-images}
VENV=${VENV:-/tmp/gs1dpp-bench-venv}
TARGET=${CARGO_TARGET_DIR:-target}
TMP=$(mktemp -d)
cleanup() { [[ -n ${KEEP_TMP:-} ]] || rm -rf "$TMP"; }
trap cleanup EXIT

[[ -d $IMAGES ]] || { echo "no reference images in $IMAGES" >&2; exit 1; }
cargo build --release -q -p gs1-barcode --features decode --example decode_times
if [[ ! -x $VENV/bin/python ]]; then
    python3 -m venv "$VENV"
fi
"$VENV/bin/python" -c 'import zxingcpp, PIL, numpy' 2>/dev/null \
    || "$VENV/bin/pip" install -q zxing-cpp pillow numpy

"$TARGET/release/examples/decode_times" "$IMAGES" "$N" >"$TMP/ours.csv"

"$VENV/bin/python" - "$IMAGES" "$N" >"$TMP/zxingcpp.csv" <<'PY'
import io, pathlib, statistics, sys, time, warnings
import zxingcpp
from PIL import Image

warnings.simplefilter("ignore")  # Pillow on palette PNGs with transparency; not our concern
root, n = pathlib.Path(sys.argv[1]), int(sys.argv[2])
print("image,ms,found")
for path in sorted(root.rglob("*.png")):
    data = path.read_bytes()
    times, found = [], 0
    for _ in range(n):
        start = time.perf_counter()
        image = Image.open(io.BytesIO(data))
        image.load()
        found = len(zxingcpp.read_barcodes(image))
        times.append((time.perf_counter() - start) * 1000)
    print(f"{path.relative_to(root)},{statistics.median(times):.3f},{found}")
PY

"$VENV/bin/python" - "$TMP/ours.csv" "$TMP/zxingcpp.csv" <<'PY'
import csv, statistics, sys

def load(path):
    with open(path) as f:
        return {row["image"]: float(row["ms"]) for row in csv.DictReader(f)}

ours, theirs = load(sys.argv[1]), load(sys.argv[2])
images = sorted(set(ours) & set(theirs))
print("image,ours_ms,zxingcpp_ms")
for image in images:
    print(f"{image},{ours[image]:.2f},{theirs[image]:.2f}")
a = statistics.median(ours[i] for i in images)
b = statistics.median(theirs[i] for i in images)
print(f"\nimages: {len(images)}")
print(f"median ms per image: ours {a:.2f}, zxing-cpp {b:.2f}, ratio ours/zxing-cpp {a / b:.2f}")
print(f"total ms: ours {sum(ours[i] for i in images):.0f}, "
      f"zxing-cpp {sum(theirs[i] for i in images):.0f}")
PY
