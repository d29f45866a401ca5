"""Writes report.md: the estimate and the readings it came from."""

import argparse
import csv
import json
import os


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--cleaned", required=True)
    parser.add_argument("--estimate", required=True)
    parser.add_argument("--out", required=True)
    args = parser.parse_args()

    with open(os.path.join(args.estimate, "estimate.json")) as f:
        estimate = json.load(f)
    with open(os.path.join(args.cleaned, "cleaned.csv"), newline="") as f:
        values = [float(r["value"]) for r in csv.DictReader(f)]

    os.makedirs(args.out, exist_ok=True)
    with open(os.path.join(args.out, "report.md"), "w") as f:
        f.write("# Sensor reading\n\n")
        f.write(
            f"The {estimate['estimator']} of {estimate['n']} readings is "
            f"**{estimate['value']} ± {estimate['error']}**.\n\n"
        )
        f.write(f"Readings used: {min(values):.2f} to {max(values):.2f}.\n")


if __name__ == "__main__":
    main()
