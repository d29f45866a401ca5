"""Absolute zero point of the Leavitt law from Milky Way Cepheids with parallaxes.

    python3 calibration/zero_point.py --calibrators data/parallax_sample.csv \
        --magnitude wesenheit --parallax-offset lindegren2021 --out DIR

Each calibrator's distance modulus comes from its parallax (mu = 10 - 5 log10(parallax in mas)),
after optionally removing Gaia's global parallax zero point (-0.017 mas, Lindegren et al. 2021).
Absolute magnitudes are then fitted by least squares against log P - 1. Writes
DIR/zero_point.json and DIR/calibrators.csv. Standard library only; self-contained so that this
sub-analysis stays movable.
"""

import argparse
import csv
import json
import math
import os
import statistics
import sys

R_WESENHEIT = 2.55  # the same W = V - R (V - I) as the parent analysis
OFFSETS_MAS = {"uncorrected": 0.0, "lindegren2021": -0.017}


def fail(message):
    print(f"zero_point.py: {message}", file=sys.stderr)
    sys.exit(1)


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--calibrators", required=True)
    parser.add_argument("--magnitude", required=True, choices=["v_band", "wesenheit"])
    parser.add_argument("--parallax-offset", required=True, choices=sorted(OFFSETS_MAS))
    parser.add_argument("--out", required=True)
    args = parser.parse_args()

    try:
        with open(args.calibrators, newline="") as f:
            rows = list(csv.DictReader(f))
    except OSError as e:
        fail(f"cannot read {args.calibrators}: {e.strerror}")
    if len(rows) < 3:
        fail(f"{args.calibrators} has {len(rows)} calibrators; at least 3 are needed")

    x, y, table = [], [], []
    for r in rows:
        parallax = float(r["parallax_mas"]) - OFFSETS_MAS[args.parallax_offset]
        if parallax <= 0:
            fail(f"{args.calibrators}: {r['star']} has a non-positive parallax {parallax} mas")
        v, i = float(r["v_mag"]), float(r["i_mag"])
        mag = v if args.magnitude == "v_band" else v - R_WESENHEIT * (v - i)
        modulus = 10.0 - 5.0 * math.log10(parallax)
        log_period = math.log10(float(r["period_days"]))
        x.append(log_period - 1.0)
        y.append(mag - modulus)
        table.append([r["star"], f"{log_period:.4f}", f"{modulus:.3f}", f"{mag - modulus:.3f}"])

    mx, my = statistics.fmean(x), statistics.fmean(y)
    slope = sum((a - mx) * (b - my) for a, b in zip(x, y)) / sum((a - mx) ** 2 for a in x)
    zero_point = my - slope * mx
    scatter = statistics.stdev(b - (zero_point + slope * a) for a, b in zip(x, y))

    os.makedirs(args.out, exist_ok=True)
    with open(os.path.join(args.out, "zero_point.json"), "w") as f:
        json.dump(
            {
                "magnitude": args.magnitude,
                "parallax_offset": args.parallax_offset,
                "pivot_log_period": 1.0,
                "zero_point": round(zero_point, 4),
                "slope": round(slope, 4),
                "scatter": round(scatter, 4),
                "n": len(rows),
            },
            f,
            indent=2,
            sort_keys=True,
        )
        f.write("\n")
    with open(os.path.join(args.out, "calibrators.csv"), "w", newline="") as f:
        out = csv.writer(f, lineterminator="\n")
        out.writerow(["star", "log_period", "distance_modulus", "absolute_mag"])
        out.writerows(table)


if __name__ == "__main__":
    main()
