"""Summarises the cleaned readings; writes estimate.json into the output directory."""

import argparse
import csv
import json
import math
import os
import statistics


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--cleaned", required=True)
    parser.add_argument("--estimator", choices=["mean", "median"], required=True)
    parser.add_argument("--out", required=True)
    args = parser.parse_args()

    with open(os.path.join(args.cleaned, "cleaned.csv"), newline="") as f:
        values = [float(r["value"]) for r in csv.DictReader(f)]

    n = len(values)
    sd = statistics.stdev(values)
    if args.estimator == "mean":
        value, error = statistics.fmean(values), sd / math.sqrt(n)
    else:
        # The median's standard error for Gaussian data is sqrt(pi / 2) times the mean's.
        value, error = statistics.median(values), math.sqrt(math.pi / 2) * sd / math.sqrt(n)

    os.makedirs(args.out, exist_ok=True)
    result = {"estimator": args.estimator, "n": n, "value": round(value, 4), "error": round(error, 4)}
    with open(os.path.join(args.out, "estimate.json"), "w") as f:
        json.dump(result, f, indent=2, sort_keys=True)
        f.write("\n")
    print(f"{args.estimator} = {value:.3f} +- {error:.3f}")


if __name__ == "__main__":
    main()
