#!/usr/bin/env bash
# Real-image check: MNIST test digits re-rendered as 64×64 RGB and 200×150 palette PNGs (dark ink on white,
# enlarged bilinearly) are scored by `launcher score`; their accuracy is compared with the same model's
# accuracy on the original IDX arrays (also through `launcher score`). Appends the figures to RESULTS-real-images.md.
#
# Usage: bench/digit-recognition/rerender.sh MODEL_BUNDLE [COUNT]   (COUNT: first test digits used, default 10000)
set -euo pipefail
here="$(cd "$(dirname "$0")" && pwd)"
root="$(cd "$here/../.." && pwd)"
bundle="$1"; count="${2:-10000}"
mnist="$root/../shared/datasets/mnist"
python="$root/bench/.venv/bin/python"
launcher="${LAUNCHER:-$root/.build/release/launcher}"
work="$(mktemp -d)"; trap 'rm -rf "$work"' EXIT

"$python" - "$mnist" "$work" "$count" <<'PY'
import gzip, os, struct, sys, zlib
import numpy as np, torch, torch.nn.functional as F
mnist, work, count = sys.argv[1], sys.argv[2], int(sys.argv[3])
data = gzip.open(f"{mnist}/t10k-images-idx3-ubyte.gz").read()
images = np.frombuffer(data, np.uint8, offset=16).reshape(-1, 28, 28)[:count].astype(np.float32) / 255
labels = np.frombuffer(gzip.open(f"{mnist}/t10k-labels-idx1-ubyte.gz").read(), np.uint8, offset=8)[:count]
np.savetxt(f"{work}/labels.txt", labels, fmt="%d")
def chunk(kind, body):
    return struct.pack(">I", len(body)) + kind + body + struct.pack(">I", zlib.crc32(kind + body) & 0xFFFFFFFF)
def png(pixels, palette):
    h, w = pixels.shape
    if palette:
        levels = np.unique(pixels)
        index = np.searchsorted(levels, pixels).astype(np.uint8)
        rows = b"".join(b"\x00" + index[y].tobytes() for y in range(h))
        plte = chunk(b"PLTE", bytes(np.repeat(levels, 3)))
        header = struct.pack(">IIBBBBB", w, h, 8, 3, 0, 0, 0)
    else:
        rgb = np.repeat(pixels[:, :, None], 3, axis=2)
        rows = b"".join(b"\x00" + rgb[y].tobytes() for y in range(h))
        plte = b""
        header = struct.pack(">IIBBBBB", w, h, 8, 2, 0, 0, 0)
    return b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", header) + plte + chunk(b"IDAT", zlib.compress(rows, 6)) + chunk(b"IEND", b"")
for (w, h, palette) in [(64, 64, False), (200, 150, True)]:
    side = min(w, h)
    big = F.interpolate(torch.from_numpy(images).unsqueeze(1), size=(side, side), mode="bilinear", align_corners=False)
    big = big.squeeze(1).clamp(0, 1).numpy()
    folder = f"{work}/{w}x{h}"; os.makedirs(folder)
    with open(f"{work}/{w}x{h}.txt", "w") as listing:
        for i in range(count):
            canvas = np.full((h, w), 255, np.uint8)
            left, top = (w - side) // 2, (h - side) // 2
            canvas[top:top + side, left:left + side] = np.round(255 * (1 - big[i])).astype(np.uint8)
            path = f"{folder}/{i:05d}.png"
            open(path, "wb").write(png(canvas, palette))
            listing.write(path + "\n")
PY

accuracy() { "$python" - "$1" "$work/labels.txt" <<'PY'
import csv, sys
labels = [int(x) for x in open(sys.argv[2]).read().split()]
rows = list(csv.DictReader(open(sys.argv[1])))
n = min(len(rows), len(labels))
print(f"{sum(int(r['label']) == labels[i] for i, r in enumerate(rows[:n])) / n:.4f} {n}")
PY
}
"$launcher" score --model "$bundle" --input "$mnist/t10k-images-idx3-ubyte.gz" --output "$work/arrays.csv" --quiet
read -r arrays n_arrays <<<"$(accuracy "$work/arrays.csv")"
out="$here/RESULTS-real-images.md"
{
  echo "## $(date -u +%Y-%m-%d) model \`$(basename "$bundle")\`, first $count MNIST test digits"
  echo ""
  echo "| input | accuracy | difference from the arrays (points) |"
  echo "|---|---:|---:|"
  echo "| original IDX arrays | $arrays | |"
  for size in 64x64 200x150; do
    "$launcher" score --model "$bundle" --input "$work/$size.txt" --output "$work/$size.csv" --rejects "$work/$size.rejects" --quiet
    read -r acc n <<<"$(accuracy "$work/$size.csv")"
    kind=$([ "$size" = 64x64 ] && echo "RGB" || echo "palette")
    echo "| $size $kind PNG, dark ink on white | $acc | $("$python" -c "print(f'{($acc - $arrays) * 100:+.2f}')") |"
  done
  echo ""
} | tee -a "$out"
