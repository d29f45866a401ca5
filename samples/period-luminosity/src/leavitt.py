"""Small helpers shared by this sample's recipes: reading tables, fitting lines, writing results.

Standard library only, so the sample runs wherever python3 does. Outputs are written with
fixed precision and sorted keys, so the same inputs always give the same bytes (and the same
data_version in the output's manifest).
"""

import csv
import json
import math
import os
import statistics
import sys

#: Log period at which zero points are quoted (P = 10 days), so slope and zero point decouple.
PIVOT_LOG_PERIOD = 1.0
#: A_V / E(V-I) for the Wesenheit index W = V - R (V - I), which cancels interstellar reddening.
R_WESENHEIT = 2.55


def fail(message):
    """Stop the recipe with a message on stderr and a non-zero exit code."""
    print(f"{os.path.basename(sys.argv[0])}: {message}", file=sys.stderr)
    sys.exit(1)


def read_csv(path, required):
    """Rows of a CSV file as dicts; fails naming the file when it or a column is missing."""
    try:
        with open(path, newline="") as f:
            rows = list(csv.DictReader(f))
    except OSError as e:
        fail(f"cannot read {path}: {e.strerror}")
    if not rows:
        fail(f"{path} has no data rows")
    missing = [c for c in required if c not in rows[0]]
    if missing:
        fail(f"{path} lacks the column(s) {', '.join(missing)}")
    return rows


def read_json(path):
    try:
        with open(path) as f:
            return json.load(f)
    except OSError as e:
        fail(f"cannot read {path}: {e.strerror}")


def write_json(path, values):
    with open(path, "w") as f:
        json.dump(values, f, indent=2, sort_keys=True)
        f.write("\n")


def write_csv(path, header, rows):
    with open(path, "w", newline="") as f:
        out = csv.writer(f, lineterminator="\n")
        out.writerow(header)
        out.writerows(rows)


def output_dir(path):
    """The recipe's {output} directory, created if the runner has not made it yet."""
    os.makedirs(path, exist_ok=True)
    return path


def magnitude(system, v, i):
    """The magnitude the analysis fits: plain V, or the reddening-free Wesenheit index."""
    if system == "v_band":
        return v
    if system == "wesenheit":
        return v - R_WESENHEIT * (v - i)
    fail(f"unknown magnitude system '{system}' (expected v_band or wesenheit)")


def fit_line(x, y, method):
    """(slope, intercept) of y = intercept + slope * x by least squares or Theil-Sen."""
    if len(x) < 3:
        fail(f"need at least 3 stars to fit a line, got {len(x)}")
    if method == "ols":
        mx, my = statistics.fmean(x), statistics.fmean(y)
        sxx = sum((a - mx) ** 2 for a in x)
        slope = sum((a - mx) * (b - my) for a, b in zip(x, y)) / sxx
        return slope, my - slope * mx
    if method == "theil_sen":
        # Median of all pairwise slopes: up to ~29% of the stars may be outliers (blends).
        slopes = [
            (y[k] - y[j]) / (x[k] - x[j])
            for j in range(len(x))
            for k in range(j + 1, len(x))
            if x[k] != x[j]
        ]
        slope = statistics.median(slopes)
        return slope, statistics.median(b - slope * a for a, b in zip(x, y))
    fail(f"unknown fit method '{method}' (expected ols or theil_sen)")


def rounded(value, digits=4):
    """A float with fixed precision; NaN and infinities are not valid JSON numbers."""
    if not math.isfinite(value):
        fail(f"a result is not a finite number: {value}")
    return round(value, digits)
