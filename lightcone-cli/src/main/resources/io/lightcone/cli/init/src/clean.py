"""Applies the outlier rule to the readings; writes cleaned.csv into the output directory."""

import argparse
import csv
import os
import statistics


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--readings", required=True)
    parser.add_argument("--outliers", choices=["keep", "sigma_clip"], required=True)
    parser.add_argument("--out", required=True)
    args = parser.parse_args()

    with open(args.readings, newline="") as f:
        rows = [(int(r["reading"]), float(r["value"])) for r in csv.DictReader(f)]

    if args.outliers == "sigma_clip":
        values = [v for _, v in rows]
        centre = statistics.median(values)
        mad = statistics.median(abs(v - centre) for v in values)
        # 1.4826 * MAD estimates the standard deviation of Gaussian data.
        rows = [(i, v) for i, v in rows if abs(v - centre) <= 3 * 1.4826 * mad]

    os.makedirs(args.out, exist_ok=True)
    with open(os.path.join(args.out, "cleaned.csv"), "w", newline="") as f:
        writer = csv.writer(f, lineterminator="\n")
        writer.writerow(["reading", "value"])
        for i, v in rows:
            writer.writerow([i, f"{v:.2f}"])
    print(f"kept {len(rows)} readings")


if __name__ == "__main__":
    main()
