"""The input file the engine tests score, and `launcher score`'s own answer on it (the reference)."""

import csv
import os
import subprocess

import pyarrow as pa
import pyarrow.csv as pacsv

SAMPLE = os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "..", "samples", "price-prediction",
                      "housing-sample.csv")


def make_input(path, rows):
    """`rows` rows of the shipped housing sample with an increasing integer id; every 997th row carries a value
    the model must reject (text in a numeric column, or an infinity) and every 1009th an empty cell (imputed)."""
    with open(SAMPLE, newline="") as f:
        reader = csv.reader(f)
        header = next(reader)
        source = [row for row in reader]
    features = [i for i, name in enumerate(header) if name != "median_house_value"]
    with open(path, "w", newline="") as out:
        out.write(",".join(["id"] + [header[i] for i in features]) + "\n")
        for k in range(rows):
            row = [source[k % len(source)][i] for i in features]
            if k % 997 == 13:
                row[2] = "forty" if k % 2 else "inf"
            elif k % 1009 == 7:
                row[4] = ""
            out.write(",".join([str(k)] + row) + "\n")


def launcher_reference(launcher, bundle, path, work):
    """(scored table sorted by id, sorted [(id, reason)] of the rejects) from `launcher score` on the file."""
    output, rejects = os.path.join(work, "reference.csv"), os.path.join(work, "reference-rejects.csv")
    subprocess.run([launcher, "score", "--model", bundle, "--input", path, "--output", output, "--rejects", rejects,
                    "--quiet"], check=True)
    scored = pacsv.read_csv(output, convert_options=pacsv.ConvertOptions(column_types={"id": pa.string()}))
    numeric = {n: pa.float64() for n in scored.column_names if n != "id"}
    scored = pacsv.read_csv(output, convert_options=pacsv.ConvertOptions(column_types={"id": pa.string(), **numeric}))
    ids = {}
    with open(path) as f:
        for line_number, line in enumerate(f, start=1):
            ids[line_number] = line.split(",", 1)[0]
    with open(rejects, newline="") as f:
        reader = csv.reader(f)
        next(reader)
        reference_rejects = sorted((ids[int(line)], reason) for line, reason in reader)
    return scored.sort_by("id"), reference_rejects
