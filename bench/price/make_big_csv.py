"""Writes a large scoring input by repeating California housing rows, with an `id` column first.

Usage: make_big_csv.py HOUSING_CSV OUT_CSV ROWS
The target column is dropped: scoring input carries features only.
"""
import sys

source, out, rows = sys.argv[1], sys.argv[2], int(sys.argv[3])
with open(source, encoding="utf-8") as f:
    header = f.readline().rstrip("\n").split(",")
    lines = [line.rstrip("\n").split(",") for line in f]
target = header.index("median_house_value")
keep = [i for i in range(len(header)) if i != target]
body = [",".join(fields[i] for i in keep) for fields in lines]
with open(out, "w", encoding="utf-8") as f:
    f.write("id," + ",".join(header[i] for i in keep) + "\n")
    for n in range(rows):
        f.write(f"{n},{body[n % len(body)]}\n")
