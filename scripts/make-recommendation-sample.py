#!/usr/bin/env python3
"""Generates samples/recommendation/{ratings.csv,items.csv}: synthetic ratings with latent structure.

400 users and 300 items get 4 latent taste dimensions; item popularity follows a Zipf law, so a few items
collect many ratings (the skew of real logs). A user rates ~30 items drawn by popularity; the rating is
round(3.4 + user bias + item bias + taste·profile + noise) clipped to 1..5. Standard library only, seeded,
so the output is identical on every run. Usage: python3 scripts/make-recommendation-sample.py
"""
import os
import random

rng = random.Random(20240607)
USERS, ITEMS, DIMS = 400, 300, 4
here = os.path.dirname(os.path.abspath(__file__))
out = os.path.join(here, "..", "samples", "recommendation")
os.makedirs(out, exist_ok=True)

tastes = [[rng.gauss(0, 0.7) for _ in range(DIMS)] for _ in range(USERS)]
profiles = [[rng.gauss(0, 0.7) for _ in range(DIMS)] for _ in range(ITEMS)]
user_bias = [rng.gauss(0, 0.4) for _ in range(USERS)]
item_bias = [rng.gauss(0, 0.5) for _ in range(ITEMS)]
weights = [1.0 / (rank + 1) ** 0.9 for rank in range(ITEMS)]
genres = ["Drama", "Comedy", "Thriller", "Romance", "Sci-Fi", "Documentary"]

rows = []
t = 880000000
for u in range(USERS):
    count = 12 + int(rng.expovariate(1 / 18))
    seen = set()
    while len(seen) < min(count, ITEMS // 2):
        seen.add(rng.choices(range(ITEMS), weights)[0])
    for i in sorted(seen, key=lambda _: rng.random()):
        score = 3.4 + user_bias[u] + item_bias[i] + sum(a * b for a, b in zip(tastes[u], profiles[i])) + rng.gauss(0, 0.5)
        t += rng.randint(1, 5000)
        rows.append((f"u{u + 1}", f"i{i + 1}", max(1, min(5, round(score))), t))

with open(os.path.join(out, "ratings.csv"), "w") as f:
    f.write("userId,itemId,rating,timestamp\n")
    for r in rows:
        f.write("%s,%s,%d,%d\n" % r)
with open(os.path.join(out, "items.csv"), "w") as f:
    f.write("itemId,title\n")
    for i in range(ITEMS):
        f.write("i%d,Synthetic %s title %d\n" % (i + 1, genres[i % len(genres)], i + 1))
print(len(rows), "ratings")
