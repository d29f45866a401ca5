"""Period-luminosity fit: mag = intercept + slope (log P - 1), by OLS or Theil-Sen.

    python3 src/fit_pl.py --photometry DIR_IN --method ols --magnitude wesenheit --out DIR

Writes DIR/fit.json (slope, intercept at log P = 1, scatter, n, method, magnitude) and
DIR/residuals.csv (star, log_period, mag, model, residual).
"""

import argparse
import os
import statistics

import leavitt


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--photometry", required=True, help="the photometry output directory")
    parser.add_argument("--method", required=True, choices=["ols", "theil_sen"])
    parser.add_argument("--magnitude", required=True, choices=["v_band", "wesenheit"])
    parser.add_argument("--out", required=True)
    args = parser.parse_args()

    rows = leavitt.read_csv(
        os.path.join(args.photometry, "photometry.csv"), ["star", "log_period", "mag"]
    )
    x = [float(r["log_period"]) - leavitt.PIVOT_LOG_PERIOD for r in rows]
    y = [float(r["mag"]) for r in rows]
    slope, intercept = leavitt.fit_line(x, y, args.method)
    residuals = [b - (intercept + slope * a) for a, b in zip(x, y)]

    out = leavitt.output_dir(args.out)
    leavitt.write_json(
        os.path.join(out, "fit.json"),
        {
            "method": args.method,
            "magnitude": args.magnitude,
            "pivot_log_period": leavitt.PIVOT_LOG_PERIOD,
            "slope": leavitt.rounded(slope),
            "intercept": leavitt.rounded(intercept),
            "scatter": leavitt.rounded(statistics.stdev(residuals)),
            "n": len(rows),
        },
    )
    leavitt.write_csv(
        os.path.join(out, "residuals.csv"),
        ["star", "log_period", "mag", "model", "residual"],
        [
            [r["star"], r["log_period"], r["mag"], f"{b - res:.3f}", f"{res:.3f}"]
            for r, b, res in zip(rows, y, residuals)
        ],
    )


if __name__ == "__main__":
    main()
