#!/usr/bin/env python3
"""Writes the first 30 MNIST test digits of each class as 8-bit grey PNG files into mnist-png/<label>/.

Usage: python3 make-mnist-pngs.py [MNIST_FOLDER]   (default: ../../../shared/datasets/mnist)
Only the standard library is used (gzip, zlib, struct), so it runs anywhere. The images are the official
t10k arrays unchanged: light ink on black, 28x28. File names carry the index in t10k (e.g. 7/t10k-00000.png).
"""
import gzip, os, struct, sys, zlib

here = os.path.dirname(os.path.abspath(__file__))
mnist = sys.argv[1] if len(sys.argv) > 1 else os.path.join(here, "..", "..", "..", "shared", "datasets", "mnist")
PER_CLASS = 30

def read_idx(path, expected_magic):
    with gzip.open(path, "rb") as f:
        data = f.read()
    magic, count = struct.unpack(">II", data[:8])
    if magic != expected_magic:
        raise SystemExit(f"{path}: magic {magic:#x}, expected {expected_magic:#x}")
    return data, count

def png(width, height, pixels):
    raw = b"".join(b"\x00" + pixels[y * width:(y + 1) * width] for y in range(height))
    def chunk(kind, body):
        return struct.pack(">I", len(body)) + kind + body + struct.pack(">I", zlib.crc32(kind + body) & 0xFFFFFFFF)
    header = struct.pack(">IIBBBBB", width, height, 8, 0, 0, 0, 0)
    return b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", header) + chunk(b"IDAT", zlib.compress(raw, 9)) + chunk(b"IEND", b"")

images, n = read_idx(os.path.join(mnist, "t10k-images-idx3-ubyte.gz"), 0x803)
labels, m = read_idx(os.path.join(mnist, "t10k-labels-idx1-ubyte.gz"), 0x801)
assert n == m, "image and label counts differ"
rows, cols = struct.unpack(">II", images[8:16])
counts = [0] * 10
for i in range(n):
    label = labels[8 + i]
    if counts[label] >= PER_CLASS:
        continue
    counts[label] += 1
    folder = os.path.join(here, "mnist-png", str(label))
    os.makedirs(folder, exist_ok=True)
    offset = 16 + i * rows * cols
    with open(os.path.join(folder, f"t10k-{i:05d}.png"), "wb") as f:
        f.write(png(cols, rows, images[offset:offset + rows * cols]))
    if min(counts) >= PER_CLASS:
        break
print("wrote", sum(counts), "PNG files:", counts)
