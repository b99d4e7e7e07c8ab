"""Writes SOAK rows of California-housing-shaped CSV to stdout, 1% of them corrupt in every way a scorer
must reject without losing the row count: text in a number, NaN/inf, empty numeric cells, too few and too
many fields, invalid UTF-8, a control byte, a 100 KB cell, and a quoted field with a stray quote.
Usage: python3 make_rows.py ROWS SEED > file.csv   (stdlib only; deterministic for a seed)"""
import random
import sys

rows, seed = int(sys.argv[1]), int(sys.argv[2])
rng = random.Random(seed)
out = sys.stdout.buffer
out.write(b"id,longitude,latitude,housing_median_age,total_rooms,total_bedrooms,population,households,median_income,ocean_proximity\n")
# The categories of the shipped sample (the model trained on it rejects any other as unseen).
oceans = [b"NEAR BAY", b"INLAND", b"<1H OCEAN", b"NEAR OCEAN"]
corruptions = [
    lambda f: f.__setitem__(4, b"many"),
    lambda f: f.__setitem__(3, b"NaN"),
    lambda f: f.__setitem__(8, b"-inf"),
    lambda f: f.__setitem__(2, b""),
    lambda f: f.__delitem__(slice(5, 7)),
    lambda f: f.append(b"extra"),
    lambda f: f.__setitem__(9, b"\xff\xfe bad utf-8"),
    lambda f: f.__setitem__(1, b"1\x1b[31m2"),
    lambda f: f.__setitem__(6, b"9" * 100_000),
    lambda f: f.__setitem__(9, b'"NEAR "BAY"'),
]
kinds = [0] * len(corruptions)
buffer = []
for i in range(rows):
    fields = [b"r%d" % i,
              b"%.2f" % rng.uniform(-124.3, -114.3), b"%.2f" % rng.uniform(32.5, 42.0),
              b"%d" % rng.randint(1, 52), b"%d" % rng.randint(2, 20000), b"%d" % rng.randint(1, 4000),
              b"%d" % rng.randint(3, 30000), b"%d" % rng.randint(1, 5000), b"%.4f" % rng.uniform(0.5, 15.0),
              rng.choice(oceans)]
    if rng.random() < 0.01:
        k = rng.randrange(len(corruptions))
        kinds[k] += 1
        corruptions[k](fields)
    buffer.append(b",".join(fields))
    if len(buffer) == 10000:
        out.write(b"\n".join(buffer) + b"\n")
        buffer = []
if buffer:
    out.write(b"\n".join(buffer) + b"\n")
# NaN and an empty cell are missing values, imputed as in training: every other kind must be rejected.
sys.stderr.write("corrupt rows %d, by kind %s, of which must be rejected %d\n"
                 % (sum(kinds), kinds, sum(kinds) - kinds[1] - kinds[3]))
