#!/usr/bin/env python3
"""Writes an IDX folder with the first LIMIT MNIST training images (test files unchanged), read by the launcher
like MNIST's own. Usage: make_subset.py MNIST_FOLDER TARGET_FOLDER LIMIT"""
import gzip, os, shutil, struct, sys
source, target, limit = sys.argv[1], sys.argv[2], int(sys.argv[3])
os.makedirs(target, exist_ok=True)
for stem, item in [("train-images-idx3-ubyte", 784), ("train-labels-idx1-ubyte", 1)]:
    data = gzip.open(f"{source}/{stem}.gz").read()
    rank = data[3]
    header = bytearray(data[:4 + 4 * rank])
    header[4:8] = struct.pack(">I", limit)
    with gzip.open(f"{target}/{stem}.gz", "wb") as f:
        f.write(bytes(header) + data[4 + 4 * rank:4 + 4 * rank + limit * item])
for stem in ["t10k-images-idx3-ubyte", "t10k-labels-idx1-ubyte"]:
    shutil.copy(f"{source}/{stem}.gz", target)
