"""Photometry table: log period and the chosen magnitude (V or Wesenheit W) of every Cepheid.

    python3 src/photometry.py --catalog data/cepheids.csv --magnitude wesenheit --out DIR

Writes DIR/photometry.csv (star, log_period, mag, colour_vi).
"""

import argparse
import math
import os

import leavitt


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--catalog", required=True)
    parser.add_argument("--magnitude", required=True, choices=["v_band", "wesenheit"])
    parser.add_argument("--out", required=True)
    args = parser.parse_args()

    rows = leavitt.read_csv(args.catalog, ["star", "period_days", "v_mag", "i_mag"])
    table = []
    for row in rows:
        period, v, i = float(row["period_days"]), float(row["v_mag"]), float(row["i_mag"])
        if period <= 0:
            leavitt.fail(f"{args.catalog}: star {row['star']} has period {period} <= 0 days")
        mag = leavitt.magnitude(args.magnitude, v, i)
        table.append([row["star"], f"{math.log10(period):.4f}", f"{mag:.3f}", f"{v - i:.3f}"])
    out = leavitt.output_dir(args.out)
    leavitt.write_csv(
        os.path.join(out, "photometry.csv"), ["star", "log_period", "mag", "colour_vi"], table
    )


if __name__ == "__main__":
    main()
